"""The shortlist page and the POST forms that change it.

The forms carry no per-visitor token (a page stays the same for every visitor without a
shortlist): web/security.py refuses their POSTs unless they come from the site's own pages."""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from .. import queries
from ..features import shortlist
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.params import local_path

bp = Blueprint("shortlist", __name__, url_prefix="/<lang>/shortlist")


@bp.app_context_processor
def shortlist_items():
    """Every page shows the visitor's shortlist count in its menu."""
    return {"shortlist_items": shortlist.current()}

LOOKUP = {"p": queries.get_profession, "s": queries.get_specialty, "c": queries.get_college}
ENDPOINTS = {"p": "professions.card", "s": "specialties.detail", "c": "colleges.detail"}


def resolve(db, lang, items):
    """The items that exist, each with its record and page URL; unknown ones are dropped."""
    found = []
    for kind, key in items:
        record = LOOKUP[kind](db, lang, key)
        if record is not None:
            found.append({"kind": kind, "key": key, "record": record,
                          "url": url_for(ENDPOINTS[kind], slug=key)})
    return found


def back_to(default):
    """Where to go after a change: a local path from the form, else the shortlist."""
    return local_path(request.form.get("next", "")) or default


def form_item():
    items = shortlist.parse(request.form.get("item", ""))
    if len(items) != 1:
        abort(400, description="item")
    return items[0]


@bp.get("")
def index():
    db, lang = get_db(), current_language()
    mine = resolve(db, lang, shortlist.current())
    shared_param = request.args.get("items")
    shared = resolve(db, lang, shortlist.parse(shared_param)) if shared_param is not None else None
    share_url = url_for("shortlist.index", items=shortlist.serialise([(i["kind"], i["key"]) for i in mine]),
                        _external=True)
    return render_template("shortlist/index.html", mine=mine, shared=shared, share_url=share_url,
                           shared_value=shared_param or "")


@bp.post("/add")
def add():
    item = form_item()
    items = shortlist.current()
    if item not in items:
        items.append(item)
    return shortlist.store(redirect(back_to(url_for("shortlist.index")), code=303), items)


@bp.post("/remove")
def remove():
    item = form_item()
    items = [i for i in shortlist.current() if i != item]
    return shortlist.store(redirect(back_to(url_for("shortlist.index")), code=303), items)


@bp.post("/save")
def save():
    """Add every item of a shared link to the visitor's own shortlist."""
    items = shortlist.current()
    for item in shortlist.parse(request.form.get("items", "")):
        if item not in items:
            items.append(item)
    return shortlist.store(redirect(url_for("shortlist.index"), code=303), items)
