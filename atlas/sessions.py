"""CSRF protection for the forms that change state, and the session cookie that carries
its token: SameSite=Lax always, Secure whenever the request came over HTTPS."""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from . import shortlist
from .errors import render_error

csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app):
        return request.is_secure or super().get_cookie_secure(app)


def init_app(app):
    app.session_interface = SessionInterface()
    csrf.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(400, "csrf")

    @app.context_processor
    def shortlist_items():
        return {"shortlist_items": shortlist.current()}
