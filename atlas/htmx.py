"""One place that decides between a full page and an htmx fragment."""

from flask import make_response, render_template, request


def wants_fragment():
    """An htmx request for part of a page; boosted and history-restore requests want the page."""
    headers = request.headers
    return (headers.get("HX-Request") == "true" and headers.get("HX-Boosted") != "true"
            and headers.get("HX-History-Restore-Request") != "true")


def render_page_or_fragment(page_template, fragment_template, **context):
    response = make_response(render_template(fragment_template if wants_fragment() else page_template, **context))
    # Every header wants_fragment() reads, so that a shared cache (or ours) keys on all of them.
    for header in ("HX-Request", "HX-Boosted", "HX-History-Restore-Request"):
        response.vary.add(header)
    return response
