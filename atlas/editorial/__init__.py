"""The editing area: college editors and the education department keep college pages current.

It lives at /<lang>/manage/, reads and writes only its own database (instance/editorial.db,
setting EDITORIAL_DATABASE or ATLAS_EDITORIAL_DATABASE) and reaches the public site only
through `atlas publish`, which builds a new public database with the approved changes.
Public pages never read the editing database and never open its session.
"""

import re
from contextlib import contextmanager

from flask import g, request
from flask.sessions import SecureCookieSessionInterface, SessionInterface

from ..paths import ROOT
from . import store

from .web import MANAGE_PATH


def is_manage(req):
    return bool(MANAGE_PATH.match(req.path))


class ManageCookie(SecureCookieSessionInterface):
    """The editing area's own session cookie: Strict, HttpOnly, Secure over HTTPS (or always,
    with EDITORIAL_SECURE_COOKIE). Public pages keep their own cookie and never see this one."""

    def get_cookie_name(self, app):
        return app.config["EDITORIAL_SESSION_COOKIE"]

    def get_cookie_samesite(self, app):
        return "Strict"

    def get_cookie_httponly(self, app):
        return True

    def get_cookie_secure(self, app):
        return request.is_secure or bool(app.config["EDITORIAL_SECURE_COOKIE"] or app.config.get("HTTPS"))

    def get_cookie_path(self, app):
        return "/"


class SplitSessions(SessionInterface):
    """The app's session for public pages, the editing area's for /<lang>/manage/."""

    def __init__(self, public):
        self.public, self.manage = public, ManageCookie()

    def pick(self):
        return self.manage if is_manage(request) else self.public

    def open_session(self, app, req):
        chosen = self.manage if is_manage(req) else self.public
        name = chosen.get_cookie_name(app)
        if app.secret_key and not (name in req.cookies and req.cookies[name]):
            return chosen.session_class()  # no cookie, as on nearly every public page: nothing to verify
        return chosen.open_session(app, req)

    def save_session(self, app, session, response):
        if not (session or session.modified or session.accessed):
            return  # untouched and empty: Flask's own save would end here too, after more work
        return self.pick().save_session(app, session, response)

    def is_null_session(self, obj):
        return self.pick().is_null_session(obj)

    def make_null_session(self, app):
        return self.pick().make_null_session(app)


@contextmanager
def hooks_confined_to(app, *blueprints):
    """Flask-Login serves the editing area only, yet hooks into every request of the app: a
    look into the session (which made every public answer vary on cookies) and its clean-up.
    The hooks registered app-wide inside this block run for these blueprints' requests
    instead, first, as app-wide hooks would."""
    registries = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    existing = [list(registry.get(None, ())) for registry in registries]
    yield
    for registry, old in zip(registries, existing):
        added = [hook for hook in registry.get(None, ()) if hook not in old]
        registry[None] = old
        for name in blueprints:
            registry.setdefault(name, [])[:0] = added


def init_app(app):
    app.config.setdefault("EDITORIAL_DATABASE", str(ROOT / "instance" / "editorial.db"))
    app.config.setdefault("EDITORIAL_SECURE_COOKIE", False)
    app.config.setdefault("EDITORIAL_SESSION_COOKIE", "atlas_manage")
    app.config.setdefault("EDITORIAL_LOGIN_LIMIT", "5 per minute;20 per hour;50 per day")
    app.config.setdefault("EDITORIAL_LOGIN_ADDRESS_LIMIT", "30 per minute;200 per hour")
    app.config.setdefault("EDITORIAL_INVITATION_LIMIT", "30 per minute;300 per day")
    app.config.setdefault("EDITORIAL_SESSION_IDLE_MINUTES", 60)
    app.config.setdefault("RATELIMIT_STORAGE", "")  # "" = the editing database; or e.g. redis://host:6379/0
    app.config.setdefault("EDITORIAL_BASE_URL", "")  # invitation links: else the public host, else the request's
    app.config.setdefault("EDITORIAL_SMTP_HOST", "")
    app.config.setdefault("EDITORIAL_SMTP_PORT", 587)
    app.config.setdefault("EDITORIAL_SMTP_USER", "")
    app.config.setdefault("EDITORIAL_SMTP_PASSWORD", "")
    app.config.setdefault("EDITORIAL_SMTP_FROM", "")
    app.session_interface = SplitSessions(app.session_interface)
    from ..text import limit_of

    app.jinja_env.globals["text_limit"] = limit_of  # the forms show each field's length limit

    from . import accounts, admin_views, cli, edit_views, overview_views, web  # noqa: F401 (routes register on import)

    with hooks_confined_to(app, web.bp.name, "stateorder"):
        # No `current_user` in every template: loading the account on each public page cost every visitor.
        accounts.login_manager.init_app(app, add_context_processor=False)
    app.register_blueprint(web.bp)
    cli.init_app(app)

    @app.teardown_appcontext
    def close_editorial_db(error):
        conn = g.pop("editorial_db", None)
        if conn is not None:
            conn.close()
