"""One place that decides between a full page and an htmx fragment."""

from flask import make_response, render_template, request


def wants_fragment():
    """An htmx request for part of a page; boosted and history-restore requests want the page."""
    environ = request.environ  # the headers as the server passed them, read without exceptions
    return (environ.get("HTTP_HX_REQUEST") == "true" and environ.get("HTTP_HX_BOOSTED") != "true"
            and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true")


# Every header wants_fragment() reads, so that a shared cache (or ours) keys on all of them.
VARY = "HX-Request, HX-Boosted, HX-History-Restore-Request"


def render_page_or_fragment(page_template, fragment_template, **context):
    response = make_response(render_template(fragment_template if wants_fragment() else page_template, **context))
    response.headers["Vary"] = VARY  # a new response, with no Vary of its own to keep
    return response
