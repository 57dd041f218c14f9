"""The shortlist: professions, specialties and colleges a visitor keeps, with no account.

It lives in a cookie on the visitor's device (the server stores nothing) and can be
shared as a link, `?items=p:welder,c:ukvpk`, that recreates it.
"""

from flask import request

COOKIE = "shortlist"
KINDS = {"p": "profession", "s": "specialty", "c": "college"}
MAX_ITEMS = 40


def parse(text):
    """Items of a cookie or link value, in order, without duplicates or malformed parts."""
    items = []
    for part in (text or "").split(","):
        kind, _, key = part.strip().partition(":")
        if kind in KINDS and key and len(key) <= 80 and (kind, key) not in items:
            items.append((kind, key))
    return items[:MAX_ITEMS]


def serialise(items):
    return ",".join(f"{kind}:{key}" for kind, key in items[:MAX_ITEMS])


def current():
    cookies = request.cookies
    return parse(cookies[COOKIE] if COOKIE in cookies else "")  # no exception raised for the usual absent cookie


def store(response, items):
    """Keep items in the cookie for a year (SameSite=Lax; Secure over HTTPS)."""
    response.set_cookie(COOKIE, serialise(items), max_age=365 * 24 * 3600, samesite="Lax",
                        secure=request.is_secure, httponly=True)
    return response
