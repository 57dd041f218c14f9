"""Static files under content-hashed URLs, so browsers may cache them for a year.

`asset('css/atlas.css')` gives /assets/<hash>/css/atlas.css; when the file changes, so
does its URL. Hashes are computed once per process.
"""

import hashlib
import mimetypes
import os
import time
from functools import lru_cache
from pathlib import Path

from flask import Response, abort, current_app, url_for
from werkzeug.security import safe_join

HTMX_VERSION = "2.0.8"
HTMX_SRI = "sha384-/TgkGk7p307TH7EXJDuUlgG3Ce1UVolAOFopFekQkkXihi5u/6OCvVKyz1W+idaz"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def read(path, modified):
    data = Path(path).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]


def content(path):
    """A static file's bytes and the short hash that names its version, read once per
    version of the file (an edited stylesheet gets a new URL without a restart)."""
    return read(path, os.stat(path).st_mtime_ns)


def digest(path):
    return content(path)[1]


_versions = {}
RECHECK = 1.0  # seconds between looks at a file's modification time


def current_version(folder, filename):
    """A static file's version, looked up on disk at most once a second, not on every page."""
    now = time.monotonic()
    known = _versions.get((folder, filename))
    if known is None or now - known[0] > RECHECK:
        known = (now, digest(safe_join(folder, filename)))
        _versions[(folder, filename)] = known
    return known[1]


def asset(filename):
    """The URL of a static file's current version."""
    return url_for("assets", version=current_version(current_app.static_folder, filename), filename=filename)


def htmx_src():
    """The pinned htmx: from the CDN (with its SRI hash) when HTMX_CDN is set, else our copy."""
    return HTMX_CDN_URL if current_app.config["HTMX_CDN"] else asset("vendor/htmx.min.js")


_every = {}


def versions_key(folder=None):
    """The versions of every static file, looked over at most once a second: part of the page
    caches' keys and of the remembered page head (base.html), so that a kept page never names
    a version of a stylesheet that is gone. Every file, not only those named so far: a cache
    filled before any page named an asset would otherwise keep its answers after an edit."""
    folder = folder or current_app.static_folder
    now = time.monotonic()
    known = _every.get(folder)
    if known is None or now - known[0] > RECHECK:
        names = sorted(path.relative_to(folder).as_posix() for path in Path(folder).rglob("*") if path.is_file())
        known = _every[folder] = (now, tuple(current_version(folder, name) for name in names))
    return known[1]


def init_app(app):
    @app.get("/assets/<version>/<path:filename>")
    def assets(version, filename):
        path = safe_join(app.static_folder, filename)
        try:
            found = path is not None and Path(path).is_file() and digest(path) == version
        except OSError:  # a name too long for the file system, say
            found = False
        if not found:
            abort(404)
        # A plain response (not a file stream), so that text assets get compressed too.
        response = Response(content(path)[0], mimetype=mimetypes.guess_type(path)[0] or "application/octet-stream")
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response

    @app.context_processor
    def asset_helpers():
        return {"asset": asset, "asset_versions": versions_key, "htmx_sri": HTMX_SRI, "htmx_src": htmx_src}
