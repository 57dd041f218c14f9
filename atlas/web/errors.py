"""Error pages in the visitor's language: 400, 404, 405, 503, and never a bare 500."""

import logging
from urllib.parse import unquote_to_bytes

from flask import abort, g, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from .db import DatabaseUnavailable
from ..languages import LANGUAGES
from .i18n import preferred_language

log = logging.getLogger(__name__)


MESSAGES = {403: "cross-site request refused", 404: "not found", 405: "method not allowed", 413: "request too large",
            500: "internal error",
            503: "database unavailable"}


def language_of_path():
    first = request.path.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else preferred_language()


def render_error(status, detail=None):
    if "lang" not in g:
        g.lang = language_of_path()
    if request.path.startswith("/api/"):
        return make_response(jsonify(error=status, message=detail or MESSAGES.get(status, "")), status)
    return make_response(render_template("errors/error.html", status=status, detail=detail), status)


def init_app(app):
    @app.before_request
    def reject_invalid_encoding():
        """Werkzeug keeps undecodable %-escapes as literal text; say plainly that they are wrong."""
        try:
            unquote_to_bytes(request.query_string).decode("utf-8")
        except UnicodeDecodeError:
            abort(400, description="the address is not valid UTF-8")

    @app.get("/_errors/413")
    def too_large():
        """The page nginx shows for a body over its client_max_body_size (deploy/nginx.conf
        sends its 413 here, with the refused address in X-Original-URI for the language)."""
        first = request.headers.get("X-Original-URI", "").strip("/").split("/", 1)[0]
        g.lang = first if first in LANGUAGES else preferred_language()
        return render_error(413)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in (301, 302, 303, 307, 308) or error.code < 400:
            return error
        if isinstance(error, SecurityError) or isinstance(request.routing_exception, SecurityError):
            # An unknown Host: no page can be built for it (its links would name that host).
            return make_response("Bad request: unknown host\n", 400, {"Content-Type": "text/plain; charset=utf-8"})
        detail = error.description if error.code in (400, 403) or request.path.startswith("/api/") else None
        response = render_error(error.code, detail)
        if error.code == 405:
            response.headers["Allow"] = ", ".join(error.valid_methods or [])
        return response

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(error):
        log.error("database unavailable: %s", error)
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        log.exception("unexpected error on %s", request.path)
        return render_error(500)
