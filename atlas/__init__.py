"""Atlas of new professions of East Kazakhstan region: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the app: settings, Babel, the read-only database, views and the CLI."""
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static")
    app.config.from_mapping(
        DATABASE=str(ROOT / "instance" / "atlas.db"),
        DATA_DIR=str(ROOT / "data"),
        HTMX_CDN=False,
        SECRET_KEY=os.urandom(16).hex(),
        JSON_AS_ASCII=False,
    )
    app.config.from_prefixed_env("ATLAS")
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from . import assets, cli, errors, i18n, security
    from .views import register

    i18n.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    register(app)
    cli.init_app(app)
    return app
