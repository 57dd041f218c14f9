"""The printed atlas on the site: /<lang>/atlas.pdf and /<lang>/sectors/<slug>.pdf.

Thin views over files the maker wrote (make.py): no book is ever made inside a request. Until
the current build's books exist, the newest earlier ones are served; with none at all, a page
in the visitor's language says when the book will be ready (503 with Retry-After) and, when no
maker is at work, one is started in the background.
"""

import time

from flask import Blueprint, abort, current_app, make_response, render_template, send_file

from ..web.db import build_info, get_db
from ..web.i18n import current_language, decimal_text
from ..queries import list_sector_names
from . import make, shelf

bp = Blueprint("book", __name__, url_prefix="/<lang>")
RESTART_PAUSE = 60  # seconds one worker waits before starting another maker for the same build
GLANCE_SECONDS = 1.0  # how long a worker goes by what it last read of the shelf, unless the shelf changed


def shelf_status(books, build_id):
    """shelf.status, read again when the shelf's state token changes (a maker started, finished
    or failed) or a second has passed (a maker that died, the minutes left): the home and about
    pages show the book, and reading the shelf's notes cost a sixth of a home page."""
    memory = current_app.extensions.setdefault("atlas_shelf_glance", {})
    token, now = shelf.state_token(books), time.monotonic()
    seen = memory.get((str(books), build_id))
    if seen and seen[0] == token and now - seen[1] < GLANCE_SECONDS:
        return seen[2]
    found = shelf.status(books, build_id)
    if len(memory) > 16:  # builds come and go
        memory.clear()
    memory[(str(books), build_id)] = (token, now, found)
    return found


def books_status():
    """The shelf as this request sees it, starting a maker when the current build has no books
    and none is at work (a database copied in by hand, a maker that died)."""
    books, build_id = shelf.books_dir(current_app.config), build_info()["build_id"]
    found = shelf_status(books, build_id)
    if not found["current"] and not found["making"] and not found["failed"]:
        started = current_app.extensions.setdefault("atlas_book_starts", {})
        if time.monotonic() - started.get(build_id, -RESTART_PAUSE) >= RESTART_PAUSE:
            started[build_id] = time.monotonic()
            if make.start(current_app._get_current_object(), build_id=build_id):
                found = shelf.status(books, build_id)
    return books, found


def preparing(found):
    """503 with Retry-After: the book is not there yet (or could not be made)."""
    response = make_response(render_template("book/preparing.html", status=found), 503)
    response.headers["Retry-After"] = str(found["ready_in"] or 60)
    response.headers["Cache-Control"] = "no-store"
    return response


def send_book(path, name, build_id, current):
    """The PDF, named and tagged (ETag) with its build; marked when it is an earlier build's."""
    response = send_file(path, mimetype="application/pdf", download_name=name, conditional=True,
                         etag=f"{build_id}-{name}")
    # Any cache may keep it, but asks first (a 304 costs nothing): the book served for a build
    # changes when the build's own book is finished, within max-age.
    response.cache_control.public = True
    response.cache_control.no_cache = True
    if not current:
        response.headers["X-Atlas-Book-Build"] = build_id  # an earlier build's: a new one is coming
    return response


@bp.get("/atlas.pdf")
def atlas():
    lang = current_language()
    books, found = books_status()
    if not found["served"]:
        return preparing(found)
    path = shelf.pdf_path(books, found["served"], lang)
    return send_book(path, f"atlas-{lang}-{found['served']}.pdf", found["served"], bool(found["current"]))


@bp.get("/sectors/<slug>.pdf")
def sector(slug):
    lang = current_language()
    if slug not in list_sector_names(get_db(), lang):
        abort(404)
    books, found = books_status()
    if not found["served"]:
        return preparing(found)
    booklet = shelf.find_booklet(books, found, lang, slug)
    if booklet is None:
        if found["making"]:
            return preparing(found)  # the booklets come after the books
        abort(404)  # a sector without professions has no booklet
    build_id, path = booklet
    current = bool(found["current"]) and build_id == found["served"]
    return send_book(path, f"atlas-{lang}-{slug}-{build_id}.pdf", build_id, current)


def download_info():
    """For the home and about pages: the book served now (pages, size), and when the current
    build's will be ready if it is not yet. Part of the page caches' keys (see init_app)."""
    lang = current_language()
    _, found = books_status()
    book = (found["book"] or {}).get("books", {}).get(lang)
    size = None
    if book:
        size = decimal_text(round(book["bytes"] / 1_000_000, 1), lang)
    return {"book": book, "size_mb": size, "current": bool(found["current"]),
            "minutes": max(1, round((found["ready_in"] or 0) / 60)), "failed": bool(found["failed"])}


def booklet_ready(slug):
    """Whether a sector's booklet can be downloaded now: its link shows only then (a static copy
    made before the books would otherwise keep a link that leads nowhere)."""
    books, found = books_status()
    return found["served"] is not None and shelf.find_booklet(books, found, current_language(), slug) is not None
