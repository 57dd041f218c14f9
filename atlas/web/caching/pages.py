"""A small in-process cache of rendered answers, for the views whose output depends only on
the database build, the URL and a few request facts (never on the session).

The database is immutable under a build id, so a rendered search page stays right until the
next build; popular searches are then answered without running the search or the templates.
"""

import threading
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, make_response, request

from ..assets import versions_key
from ..db import build_info
from ..htmx import wants_fragment
from ..i18n import current_language

MAX_ENTRIES = 512
MAX_BODY = 256 * 1024


class LRU:
    def __init__(self, size):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def app_cache():
    """Each app keeps its own cache: two apps in one process may render differently."""
    return current_app.extensions.setdefault("atlas_pagecache", LRU(MAX_ENTRIES))


def request_key():
    """Everything the answer of a cached view may depend on (with what capabilities add to
    app.extensions["atlas_page_keys"]: the printed book's state, say)."""
    return (build_info()["build_id"], versions_key(), request.host_url, request.full_path, wants_fragment(),
            request.cookies.get("shortlist", ""), current_language(),
            *[key() for key in current_app.extensions.get("atlas_page_keys", ())])


def cached(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_app.config["PAGE_CACHE"]:
            return view(*args, **kwargs)
        key = request_key()
        hit = app_cache().get(key)
        if hit is not None:
            body, headers = hit
            return make_response(body, 200, headers)
        response = make_response(view(*args, **kwargs))
        body = response.get_data()
        # A page that made a CSRF token (Flask-WTF keeps it in g) depends on the session: never cached.
        if response.status_code == 200 and "csrf_token" not in g and len(body) <= MAX_BODY:
            # The view's own headers (type, disposition, Vary); validators and cookies come later.
            app_cache().set(key, (body, [(k, v) for k, v in response.headers if k != "Content-Length"]))
        return response
    return wrapper
