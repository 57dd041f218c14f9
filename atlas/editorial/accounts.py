"""Accounts of the editing area: Argon2 password hashes, Flask-Login users, and the two
decorators every editing view uses.

Roles: an administrator (the regional education department) manages accounts, reviews and
publishes; an editor edits only the colleges assigned to them.
"""

from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, logout_user

from . import store

hasher = PasswordHasher()
# Checked against when no account matches, so that an unknown e-mail takes as long as a wrong password.
DUMMY_HASH = hasher.hash("no account has this password")
MIN_PASSWORD = 10

login_manager = LoginManager()
login_manager.session_protection = "strong"


class User(UserMixin):
    def __init__(self, row):
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.colleges = tuple(row["colleges"])

    @property
    def is_admin(self):
        return self.role == "admin"

    def may_edit(self, college):
        """Administrators may edit every college; an editor only their own."""
        return self.is_admin or college in self.colleges


def hash_password(password):
    return hasher.hash(password)


def password_problem(password):
    """A reason the password is not acceptable (as a msgid key), or None."""
    if len(password or "") < MIN_PASSWORD:
        return "short"
    return None


def check_login(conn, email, password):
    """The user whose e-mail and password these are, else None. The work done is the same
    whether or not the account exists, so the answer's timing tells nothing."""
    row = store.get_user(conn, email=(email or "").strip()[:254])
    stored = row["password_hash"] if row and row["password_hash"] else DUMMY_HASH
    try:
        hasher.verify(stored, password or "")
        matched = True
    except (VerificationError, InvalidHashError):
        matched = False
    if not matched or row is None or not row["password_hash"] or row["disabled_at"]:
        return None
    return User(row)


def load_user(user_id):
    """The session's user, or None (then the request is anonymous) when the account was
    disabled since: a disabled account is logged out on its next request."""
    from . import get_conn

    try:
        row = store.get_user(get_conn(), int(user_id))
    except (TypeError, ValueError):
        return None
    if row is None or row["disabled_at"]:
        session.clear()
        return None
    return User(row)


login_manager.user_loader(load_user)


@login_manager.unauthorized_handler
def unauthorized():
    return redirect(url_for("manage.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


def login_required(view):
    """Anonymous requests go to the login page (with a way back)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    """Administrators only: anonymous requests go to the login page, editors get 403."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def require_college(slug):
    """403 unless the current user may edit this college."""
    if not current_user.is_authenticated or not current_user.may_edit(slug):
        abort(403)


def sign_out():
    logout_user()
    session.clear()
    g.pop("_login_user", None)
