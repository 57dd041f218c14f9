"""Sessions exist only where someone signs in (the editing area); public pages never start one.

The public shortlist forms carry no per-visitor token, so that every visitor without a
shortlist gets the same bytes of a page (and caches can keep it): their POSTs are checked
for a same-origin Sec-Fetch-Site / Origin instead (security.py), and the shortlist cookie
is SameSite=Lax. Flask-WTF's signed token stays on for every other blueprint, the editing
area's forms among them. The session cookie is SameSite=Lax always and Secure over HTTPS.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from .errors import render_error

csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app):
        return request.is_secure or super().get_cookie_secure(app)


def init_app(app, public_forms=()):
    app.session_interface = SessionInterface()
    # Flask-WTF's own hook asks whether the view is exempt before it looks at the method, on
    # every GET (a quarter of a page's hooks); the same check here, asked only of the
    # methods it guards.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    for blueprint in public_forms:
        csrf.exempt(blueprint)

    @app.before_request
    def check_csrf():
        if request.method in app.config["WTF_CSRF_METHODS"] and app.config["WTF_CSRF_ENABLED"]:
            csrf.protect(apply_exemptions=True)

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(400, "csrf")
