"""Reading a request's query parameters and paths: anything unexpected is a 400 or None, never an
exception deeper down."""

from urllib.parse import urlencode, urlsplit

from flask import abort, request


def query_value(name):
    """A query parameter's first value, or "". (Werkzeug's `args.get` raises and catches an
    exception for every absent name, and most are absent.)"""
    args = request._get_current_object().args  # one look through Flask's proxy
    return args[name] if name in args else ""


def choice_arg(name, allowed):
    """A query parameter that must be one of allowed (or absent): anything else is a 400."""
    value = query_value(name).strip()
    if not value:
        return None
    if value not in allowed:
        abort(400, description=f"{name}={value[:60]}")
    return value


def int_arg(name, default, low, high):
    """A whole-number query parameter from low to high; anything else is a 400.

    Only ASCII digits count: str.isdigit() also accepts '²' or '①', which int() then
    rejects, and a few thousand digits make int() refuse the string outright."""
    raw = query_value(name).strip() or str(default)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and low <= int(raw) <= high):
        abort(400, description=f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def query_suffix():
    """This request's query string as `?q=…` (or "" without one), to follow another URL: the
    export links take the page's own filters this way. Its parameters never become url_for's
    own keywords (_external, _scheme, _method, endpoint...)."""
    query = urlencode(list(request.args.items(multi=True)))
    return f"?{query}" if query else ""


def local_path(target):
    """target when it is a path on this site (never another site's address), else None."""
    parts = urlsplit(target or "")
    if target and target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme \
            and target.isprintable() and "\\" not in target:
        return target
    return None
