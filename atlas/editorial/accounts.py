"""Accounts of the editing area: Argon2 password hashes, Flask-Login users, and the two
decorators every editing view uses.

Roles: an administrator (the regional education department) manages accounts, reviews and
publishes; an editor edits only the colleges assigned to them.
"""

import re
import time
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from . import store

hasher = PasswordHasher()
# Checked against when no account matches, so that an unknown e-mail takes as long as a wrong password.
DUMMY_HASH = hasher.hash("no account has this password")
MIN_PASSWORD = 10
MIN_DISTINCT = 5
# Rows of keys and alphabets that people type as a "password", forwards or backwards.
RUNS = ("01234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "йцукенгшщзхъфывапролджэячсмитьбю", "qazwsxedcrfvtgbyhnujm")
# Words at the top of every leaked-password list, with digits and signs around them taken away.
COMMON_WORDS = {"password", "passw", "pass", "parol", "пароль", "qwerty", "йцукен", "admin", "administrator",
                "welcome", "letmein", "iloveyou", "monkey", "dragon", "football", "sunshine", "master", "secret",
                "atlas", "college", "колледж", "user", "login", "test", "changeme", "default"}
SEEN_EVERY = 60  # seconds: how often a session's last-use time is written into its cookie

login_manager = LoginManager()
login_manager.session_protection = "strong"


class User(UserMixin):
    def __init__(self, row):
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.colleges = tuple(row["colleges"])
        self.generation = row["session_generation"] if "session_generation" in row else 0

    @property
    def is_admin(self):
        return self.role == "admin"

    def may_edit(self, college):
        """Administrators may edit every college; an editor only their own."""
        return self.is_admin or college in self.colleges


def hash_password(password):
    return hasher.hash(password)


def password_problem(password, email=""):
    """A reason the password is not acceptable (as a msgid key), or None: too short, too few
    different characters or a row of the keyboard or the alphabet ("simple"), one of the
    words every guessing list starts with ("common"), or the account's own e-mail ("email"),
    as NIST SP 800-63B asks of a password check."""
    password = password or ""
    lower = password.lower()
    if len(password) < MIN_PASSWORD:
        return "short"
    if len(set(lower)) < MIN_DISTINCT or any(lower in run or lower in run[::-1] for run in RUNS):
        return "simple"
    if re.sub(r"[\d\W_]+", "", lower) in COMMON_WORDS:
        return "common"
    name = (email or "").split("@")[0].lower()
    if len(name) >= 4 and name in lower:
        return "email"
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
    """The session's user, or None (then the request is anonymous, and the session is
    emptied) when the account was disabled, the session was revoked (its generation is older
    than the account's: a logout, a new password, a disabled account) or it lay unused for
    longer than EDITORIAL_SESSION_IDLE_MINUTES."""
    from .connection import get_conn

    try:
        row = store.get_user(get_conn(), int(user_id))
    except (TypeError, ValueError):
        return None
    now = int(time.time())
    idle = int(current_app.config["EDITORIAL_SESSION_IDLE_MINUTES"]) * 60
    seen = session.get("_seen")
    if (row is None or row["disabled_at"] or session.get("_gen") != row["session_generation"]
            or not isinstance(seen, int) or now - seen > idle):
        session.clear()
        return None
    if now - seen >= SEEN_EVERY:
        session["_seen"] = now
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


def sign_in(user):
    """A new session (and CSRF token) for the user: nothing from before survives."""
    session.clear()
    login_user(user)
    session["_gen"] = user.generation
    session["_seen"] = int(time.time())


def sign_out():
    """End this session and every other session of the account, on the server: a copy of the
    cookie taken before is refused from now on."""
    from .connection import get_conn

    if current_user.is_authenticated:
        conn = get_conn()
        with store.transaction(conn):
            store.end_sessions(conn, current_user.id)
    logout_user()
    session.clear()
    g.pop("_login_user", None)
