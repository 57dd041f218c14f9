"""HTTP caching and compression.

Every answer of a database build carries a validator: an ETag made of the build id and a
hash of the body, and Last-Modified from the build time. A client that already has the
same answer gets 304 Not Modified. Text is compressed with Brotli or gzip (Flask-Compress),
which also keeps the ETags of compressed and plain answers apart.
"""

import hashlib
import zlib
from datetime import datetime

from flask import g, request, session
from flask_compress import Compress

from .db import DatabaseUnavailable, build_info

COMPRESSED = ["text/html", "application/json", "text/css", "text/javascript", "application/javascript",
              "text/csv", "image/svg+xml", "application/xml", "text/plain"]


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


def init_app(app):
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
        if "Cache-Control" in response.headers:
            return response  # static assets set their own
        try:
            build = build_info()
        except DatabaseUnavailable:
            return response
        response.set_etag(f"{build['build_id']}-{zlib.crc32(stable_body(response)):08x}")
        response.last_modified = datetime.fromisoformat(build["built_at"])
        if response.mimetype == "text/html":
            # Pages show the visitor's shortlist (a cookie) and may carry a CSRF token.
            response.vary.add("Cookie")
            response.headers["Cache-Control"] = "private, no-cache"
        else:
            response.headers["Cache-Control"] = "public, no-cache"
        return response.make_conditional(request)
