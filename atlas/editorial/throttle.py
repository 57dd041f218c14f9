"""Login and invitation limits that every worker and every server sees.

Each password check is counted before it is made, under the account's key and the client
address's key, in one place that all gunicorn workers share: the editing database's `attempts`
table by default (one transaction counts and records, so workers cannot both take the last
slot), or any storage of the `limits` library, such as Redis, when RATELIMIT_STORAGE names one
(`ATLAS_RATELIMIT_STORAGE=redis://host:6379/0`, the same storage URIs as Flask-Limiter's).
A limit is one or more moving windows ("5 per minute;20 per hour;100 per day"): after a burst
the wait grows from the minute to the hour to the day, and a refused request says how long in
Retry-After.

Someone who knows an editor's e-mail could use the account's limit up on purpose. A browser
where the account logged in before keeps a signed "known browser" cookie (OWASP's device
cookies); a login from it is counted under that browser's own key instead, so its owner still
gets in while strangers are held back.
"""

import math
import secrets
import time

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse_many

from ..languages import LANGUAGES
from . import store

DEVICE_COOKIE = "atlas_known_browser"
DEVICE_DAYS = 180


def items(spec):
    return parse_many(spec)


def reserve(conn, checks, at=None):
    """Count one attempt under each (key, limit spec) if none of them is used up; else count
    nothing and return the seconds to wait (at least 1). 0 means: go ahead."""
    storage = current_app.config.get("RATELIMIT_STORAGE") or ""
    parsed = [(key, items(spec)) for key, spec in checks]
    if storage:
        return reserve_in_storage(storage, parsed)
    return reserve_in_database(conn, parsed, time.time() if at is None else at, retention())


def retention():
    """The longest window of any configured limit: older attempts count for nothing."""
    config = current_app.config
    specs = [config["EDITORIAL_LOGIN_LIMIT"], config["EDITORIAL_LOGIN_ADDRESS_LIMIT"],
             config["EDITORIAL_INVITATION_LIMIT"]]
    return max(item.get_expiry() for spec in specs for item in items(spec))


def reserve_in_database(conn, checks, now, keep):
    with store.transaction(conn):
        wait = 0.0
        # Attempts under keys nobody uses again (a sprayed list of e-mails) go too.
        conn.execute("delete from attempts where at <= ?", (now - keep,))
        for key, limits in checks:
            for item in limits:
                times = [row[0] for row in conn.execute(
                    "select at from attempts where key = ? and at > ? order by at", (key, now - item.get_expiry()))]
                if len(times) >= item.amount:
                    wait = max(wait, times[len(times) - item.amount] + item.get_expiry() - now)
        if wait:
            return max(1, math.ceil(wait))
        conn.executemany("insert into attempts (key, at) values (?, ?)", [(key, now) for key, _ in checks])
    return 0


_limiters = {}


def limiter_for(uri):
    """One moving-window limiter per storage URI and process (it holds the connection pool)."""
    if uri not in _limiters:
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        _limiters[uri] = MovingWindowRateLimiter(storage_from_string(uri))
    return _limiters[uri]


def reserve_in_storage(uri, checks):
    limiter = limiter_for(uri)
    now = time.time()

    def wait_for(item, key):
        return max(1, math.ceil(limiter.get_window_stats(item, key).reset_time - now))

    for key, limits in checks:
        for item in limits:
            if not limiter.test(item, key):
                return wait_for(item, key)
    for key, limits in checks:
        for item in limits:
            if not limiter.hit(item, key):  # atomic in the storage: another worker took the last slot
                return wait_for(item, key)
    return 0


def client_address():
    return (request.remote_addr or "unknown")[:64]


# Known browsers

def serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="atlas-known-browser")


def known_browser(user):
    """The id of this browser if it carries a valid known-browser cookie of this account."""
    if user is None:
        return None
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 400:
        return None
    try:
        value = serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if isinstance(value, dict) and value.get("u") == user["id"] and isinstance(value.get("d"), str):
        return value["d"][:64]
    return None


def remember_browser(response, user_id, browser=None):
    """Set (or renew) the known-browser cookie after a successful login; only the editing
    area's paths get it, so public pages stay cookie-free for editors too."""
    value = serializer().dumps({"u": user_id, "d": browser or secrets.token_urlsafe(16)})
    secure = request.is_secure or bool(current_app.config.get("EDITORIAL_SECURE_COOKIE")
                                       or current_app.config.get("HTTPS"))
    for lang in LANGUAGES:
        response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, path=f"/{lang}/manage/",
                            secure=secure, httponly=True, samesite="Strict")
    return response


def login_checks(email, user):
    """What a password check is counted under: this browser, if it is a known one of the
    account; else the account (whether or not it exists) and the client's address."""
    config = current_app.config
    browser = known_browser(user)
    if browser:
        return [(f"browser:{browser}", config["EDITORIAL_LOGIN_LIMIT"])]
    return [(f"account:{email.strip().lower()[:254]}", config["EDITORIAL_LOGIN_LIMIT"]),
            (f"address:{client_address()}", config["EDITORIAL_LOGIN_ADDRESS_LIMIT"])]


def invitation_checks():
    return [(f"invitation:{client_address()}", current_app.config["EDITORIAL_INVITATION_LIMIT"])]
