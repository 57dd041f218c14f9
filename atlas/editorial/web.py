"""The editing area's blueprint: what every /<lang>/manage/ page shares (CSRF, no-store,
noindex, its own session), the login and invitation pages and the dashboard."""

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf

from . import accounts, records, store, throttle
from .connection import get_conn
from .accounts import login_required

# Every page of the editing area, in either language.
MANAGE_PATH = re.compile(r"^/(kk|ru)/manage(/|$)")

bp = Blueprint("manage", __name__, url_prefix="/<lang>/manage")


@bp.before_request
def check_csrf():
    """Every form of the editing area carries Flask-WTF's signed token, whatever the rest of
    the site does about CSRF."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400, description="csrf")


@bp.after_request
def private_headers(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.context_processor
def manage_context():
    return {"csrf_token": generate_csrf, "user": current_user}


def too_many(wait, template="manage/login.html", **context):
    """429 with the time to wait, in Retry-After and on the page."""
    minutes = max(1, (wait + 59) // 60)
    response = current_app.make_response((render_template(template, too_many=True, minutes=minutes, **context), 429))
    response.headers["Retry-After"] = str(wait)
    return response


@bp.errorhandler(403)
def forbidden(error):
    return render_template("manage/forbidden.html"), 403


@bp.errorhandler(400)
def bad_request(error):
    return render_template("manage/bad_request.html", csrf=error.description == "csrf"), 400


def get_change_or_404(conn, change_id):
    change = store.get_change(conn, change_id)
    if change is None:
        abort(404)
    return change


def get_user_or_404(conn, user_id):
    user = store.get_user(conn, user_id)
    if user is None:
        abort(404)
    return user


def safe_next(target):
    """Only a path of this site's editing area, read the same way by this check and by the
    browser: browsers drop tabs and newlines from a URL and take a backslash for a slash, so a
    target with any of them (or any other control character or space) is not followed."""
    fallback = url_for("manage.index")
    if not target or len(target) > 2000 or any(ch <= " " or ch in "\\\x7f" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not MANAGE_PATH.match(parts.path):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Every password check is counted first, in the store all workers share (throttle.py)."""
    if request.method == "GET":
        return render_template("manage/login.html", email="", next=request.args.get("next", ""))
    conn = get_conn()
    email = request.form.get("email", "")[:254]
    known = store.get_user(conn, email=email.strip())
    wait = throttle.reserve(conn, throttle.login_checks(email, known))
    if wait:
        return too_many(wait, email=email, next=request.form.get("next", ""))
    user = accounts.check_login(conn, email, request.form.get("password", ""))
    if user is None:
        return render_template("manage/login.html", email=email, failed=True,
                               next=request.form.get("next", "")), 200
    target = safe_next(request.form.get("next"))
    accounts.sign_in(user)
    return throttle.remember_browser(redirect(target, code=303), user.id, throttle.known_browser(known))


@bp.post("/logout")
def logout():
    accounts.sign_out()
    return redirect(url_for("manage.login"), code=303)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token):
    conn = get_conn()
    wait = throttle.reserve(conn, throttle.invitation_checks())
    if wait:
        return too_many(wait, "manage/invitation.html", invalid=True)
    invited = store.find_invitation(conn, token[:100])
    if invited is None:
        return render_template("manage/invitation.html", invalid=True), 404
    if request.method == "GET":
        return render_template("manage/invitation.html", invited=invited)
    password, repeated = request.form.get("password", ""), request.form.get("password_again", "")
    problem = accounts.password_problem(password, invited["email"]) or ("different" if password != repeated else None)
    if problem:
        return render_template("manage/invitation.html", invited=invited, problem=problem), 422
    user = store.accept_invitation(conn, token[:100], accounts.hash_password(password))
    if user is None:
        return render_template("manage/invitation.html", invalid=True), 404
    accounts.sign_in(accounts.User(user))
    return throttle.remember_browser(redirect(url_for("manage.index"), code=303), user["id"])


@bp.get("/")
@login_required
def index():
    conn = get_conn()
    data = records.current(current_app.config["DATA_DIR"], store.approved_changes(conn))
    colleges = sorted(data["colleges"], key=lambda c: c["slug"])
    if not current_user.is_admin:
        colleges = [c for c in colleges if c["slug"] in current_user.colleges]
    mine = {c["slug"] for c in colleges}
    changes = [c for c in store.list_changes(conn, status=store.OPEN) if c["college"] in mine]
    from .readable import Names

    context = {"colleges": colleges, "changes": changes, "names": Names(data, g.get("lang", "kk"))}
    if current_user.is_admin:
        updated = store.last_updates(conn)
        year_ago = (datetime.now(timezone.utc) - timedelta(days=365)).isoformat()
        context["stale"] = [(c, updated.get(c["slug"])) for c in colleges
                            if (updated.get(c["slug"]) or "") < year_ago]
        context["waiting"] = store.list_changes(conn, status=("submitted",))
        context["approved_unpublished"] = [c for c in store.approved_changes(conn) if not c["published_at"]]
    return render_template("manage/index.html", **context)


def flash_done(message):
    flash(str(message), "done")


def college_name(data, slug, lang=None):
    record = records.get_college(data, slug) or {}
    return record.get(f"name_{lang or g.get('lang', 'kk')}") or slug
