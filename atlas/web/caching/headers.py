"""HTTP caching and compression.

Every answer of a database build carries a validator: an ETag made of the build id and a
hash of the body, and Last-Modified from the build time. A client that already has the
same answer gets 304 Not Modified. Text is compressed with Brotli or gzip (Flask-Compress),
which also keeps the ETags of compressed and plain answers apart.

An answer that is the same for every visitor (no cookie but the language one, no session) is
`public` for PUBLIC_MAX_AGE seconds, so that a caching proxy or CDN may serve it; pages
say `Vary: Cookie`, because a visitor's shortlist shows in them.
"""

import hashlib
import logging
import zlib
from datetime import datetime
from functools import lru_cache

from flask import g, request, session
from flask_compress import Compress
from werkzeug.http import http_date

from ..db import DatabaseUnavailable, build_info
from ..i18n import COOKIE as LANGUAGE_COOKIE

log = logging.getLogger(__name__)

COMPRESSED = ["text/html", "application/json", "text/css", "text/javascript", "application/javascript",
              "text/csv", "image/svg+xml", "application/xml", "text/plain"]


# Request headers that can make an answer a 304 or a part (206); without any of them there
# is nothing for Werkzeug's make_conditional to decide.
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
               "HTTP_RANGE", "HTTP_IF_RANGE")


@lru_cache(maxsize=8)
def last_modified(built_at):
    """A build's time as an HTTP date, worked out once per build rather than for every answer."""
    return http_date(datetime.fromisoformat(built_at))


def stable_body(response):
    """The body as far as validators are concerned. A form's CSRF token is signed with the
    time, so it changes every second while the session's token behind it stays the same
    (and an older copy of the page keeps working): hash that session token instead."""
    body = response.get_data()
    signed = g.get("csrf_token")
    if signed:
        raw = session.get("csrf_token", "")
        body = body.replace(signed.encode(), hashlib.sha256(raw.encode()).hexdigest().encode())
    return body


def vary_on_cookie(response):
    """Add Cookie to the answer's Vary, as `response.vary.add("Cookie")` writes it, without
    Werkzeug's HeaderSet: made, changed and written back, it cost more than the page's ETag."""
    headers = response.headers
    names = [name.strip() for name in headers["Vary"].split(",")] if "Vary" in headers else []
    if "cookie" not in (name.lower() for name in names):
        headers["Vary"] = ", ".join([*filter(None, names), "Cookie"])


def per_visitor():
    """Whether this answer may differ from one visitor to the next: the visitor sent a cookie
    (a shortlist shows in every page; a session belongs to one person) or a form token was
    made. Only the language cookie changes nothing. Without a cookie a session is empty, so
    reading it (Flask-Login does on every page) makes no answer personal; one that starts a
    session sets a cookie, and NoCookieOnPublicAnswers keeps that answer private."""
    return bool(set(request.cookies) - {LANGUAGE_COOKIE}) or "csrf_token" in g


class NoCookieOnPublicAnswers:
    """The last word on every response, after the session is saved: an answer that sets a
    cookie is never `public`, or a shared cache would hand that cookie to every later visitor.
    Such an answer becomes private (and the mistake is logged)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def checked_start_response(status, headers, exc_info=None):
            names = {name.lower(): value for name, value in headers}
            if "set-cookie" in names and "public" in names.get("cache-control", ""):
                log.warning("%s set a cookie on a public answer: made private", environ.get("PATH_INFO"))
                headers = [(n, v) for n, v in headers if n.lower() != "cache-control"]
                headers.append(("Cache-Control", "private, no-cache"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, checked_start_response)


def init_app(app):
    app.config.setdefault("PUBLIC_MAX_AGE", 60)
    app.wsgi_app = NoCookieOnPublicAnswers(app.wsgi_app)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 512)
    Compress(app)

    # Registered after Compress, so it runs before it (Flask runs after_request last-first).
    @app.after_request
    def add_validators(response):
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.direct_passthrough:
            return response
        if any(name.lower() == "cache-control" for name in response.headers.keys()):
            return response  # static assets set their own
        try:
            build = build_info()
        except DatabaseUnavailable:
            return response
        response.set_etag(f"{build['build_id']}-{zlib.crc32(stable_body(response)):08x}")
        response.headers["Last-Modified"] = last_modified(build["built_at"])
        if response.mimetype == "text/html":  # the visitor's shortlist shows in every page
            vary_on_cookie(response)
        if per_visitor():
            response.headers["Cache-Control"] = "private, no-cache"
        else:
            response.headers["Cache-Control"] = f"public, max-age={int(app.config['PUBLIC_MAX_AGE'])}"
        environ = request.environ
        if any(name in environ for name in CONDITIONAL):
            return response.make_conditional(request)
        return response
