"""Static files under content-hashed URLs, so browsers may cache them for a year.

`asset('css/atlas.css')` gives /assets/<hash>/css/atlas.css; when the file changes, so
does its URL. Hashes are computed once per process.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, send_from_directory, url_for

HTMX_VERSION = "2.0.8"
HTMX_SRI = "sha384-/TgkGk7p307TH7EXJDuUlgG3Ce1UVolAOFopFekQkkXihi5u/6OCvVKyz1W+idaz"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset(filename):
    path = Path(current_app.static_folder) / filename
    return url_for("assets", version=digest(str(path)), filename=filename)


def init_app(app):
    @app.get("/assets/<version>/<path:filename>")
    def assets(version, filename):
        path = Path(app.static_folder) / filename
        if not path.is_file() or digest(str(path)) != version:
            abort(404)
        response = send_from_directory(app.static_folder, filename, max_age=YEAR)
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response

    @app.context_processor
    def asset_helpers():
        return {"asset": asset, "htmx_sri": HTMX_SRI,
                "htmx_src": HTMX_CDN_URL if app.config["HTMX_CDN"] else asset("vendor/htmx.min.js")}
