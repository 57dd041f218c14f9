"""Atlas of new professions of East Kazakhstan region: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask

from .paths import ROOT  # noqa: E402 (the project folder: data/, instance/, static/, translations/)
UPLOAD_LIMIT = 5 * 1024 * 1024  # the largest state-order table the import takes (README)
FORM_ALLOWANCE = 64 * 1024  # the form fields and multipart headers around it (deploy/nginx.conf adds the same)


def load_secret_key(folder):
    """The key that signs session cookies and CSRF tokens. Every worker must share it, so it
    is kept in a file (created once, readable by the owner only) unless ATLAS_SECRET_KEY is set."""
    path = folder / "secret_key"
    if not path.exists():
        # Workers start together: each writes a key of its own aside, then links it into place.
        # The link appears whole and only once (it fails if the file exists), so every worker
        # reads back the same key, never a half-written one.
        folder.mkdir(parents=True, exist_ok=True)
        own = folder / f".secret_key.{os.getpid()}.{os.urandom(4).hex()}"
        descriptor = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as f:
            f.write(os.urandom(32).hex())
        try:
            os.link(own, path)
        except FileExistsError:
            pass  # another worker's key is in place: use it
        finally:
            own.unlink()
    return path.read_text().strip()


def create_app(test_config=None):
    """Build the app: settings, Babel, the read-only database, views and the CLI."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static")
    app.config.from_mapping(
        DATABASE=str(ROOT / "instance" / "atlas.db"),
        DATA_DIR=str(ROOT / "data"),
        HTMX_CDN=False,
        PAGE_CACHE=True,
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        HTTPS=False,  # served over HTTPS (TLS ends in front): https URLs, Secure cookies, HSTS
        PROXY_FIX=0,  # how many proxies in front whose X-Forwarded-For/-Proto to believe
        PUBLIC_MAX_AGE=60,  # seconds a cache may keep a page that is the same for every visitor
        MAX_CONTENT_LENGTH=UPLOAD_LIMIT + FORM_ALLOWANCE,  # refused (413) before a byte of the body is read
    )
    app.config.from_prefixed_env("ATLAS")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(ROOT / "instance")
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import book, cli, editorial
    from .offline import views as offline_views
    from .stateorder import views as import_views
    from .views import register, shortlist
    from .web import assets, errors, fragments, i18n, security, sessions, templating, urls
    from .web.caching import headers as cache_headers, responses as response_cache

    templating.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    sessions.init_app(app, public_forms=[shortlist.bp])  # any visitor may send these, with no session
    cache_headers.init_app(app)
    register(app)
    app.register_blueprint(offline_views.bp)
    app.register_blueprint(import_views.bp)  # the import page of the editing area
    book.init_app(app)
    editorial.init_app(app)
    cli.init_app(app)
    urls.init_app(app)
    fragments.init_app(app)
    response_cache.init_app(app, harmless_cookies=[i18n.COOKIE])
    security.init_front(app)
    return app
