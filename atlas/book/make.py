"""Making the site's books for the current build, and starting that in the background.

`atlas build`, `atlas publish` and the administrators' publish button call start(): it
launches `python -m atlas.book_maker` as a separate process in a session of its own and
returns at once, so a publish never waits for a book and a failed or slow book (a missing
font, a crash, running out of memory) cannot fail the publish. The site also calls start()
when it is asked for a book of a build that has none yet (a database copied in by hand).

Makers take turns (a lock file), and each one makes the books of whatever build is current
when its turn comes, so a burst of publishes ends with the last build's books.
"""

import argparse
import fcntl
import os
import subprocess
import sys
import threading
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from . import shelf
from .content import gather
from .render import BookError, check_fonts, render_html, write_pdf

LANGS = ("kk", "ru")


def base_url(config):
    """Where the QR codes and links of the book lead: the public host (ATLAS_SERVER_NAME)."""
    scheme = "https" if config.get("HTTPS") else "http"
    return f"{scheme}://{config.get('SERVER_NAME') or 'localhost'}"


def card_urls(app):
    """card_urls(app)(lang)(slug): the live card's absolute URL, built by the site's own URL map
    (outside any request: the book is not made in one)."""
    scheme, host = base_url(app.config).split("://", 1)
    adapter = app.url_map.bind(host, url_scheme=scheme)

    def in_language(lang):
        return lambda slug: adapter.build("professions.card", {"lang": lang, "slug": slug}, force_external=True)

    return in_language


def make_one(db, lang, build, url_for_card, target, sector=None):
    """One PDF: the whole book in lang (or a sector's booklet); returns (pages, bytes, seconds)."""
    started = time.monotonic()
    html = render_html(gather(db, lang, build, url_for_card, sector=sector))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        pages = write_pdf(html, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return pages, target.stat().st_size, round(time.monotonic() - started, 1)


def make_site_books(app, log=print):
    """Every book of the current build into the books folder (skipped when they exist)."""
    from ..web.db import connect
    from ..queries import list_sectors

    books = shelf.books_dir(app.config)
    books.mkdir(parents=True, exist_ok=True)
    with open(books / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # makers take turns
        db = connect(app.config["DATABASE"])  # the build current now; a later publish does not change it
        build = {row["key"]: row["value"] for row in db.execute("select key, value from meta")}
        build_id = build["build_id"]
        if (books / build_id / "done.json").exists():
            return build_id
        folder = books / build_id
        shelf.write_json(folder / "making.json", {"pid": os.getpid(), "started": time.time()})
        (folder / "failed.json").unlink(missing_ok=True)
        shelf.touch_state(books)
        started = time.monotonic()
        try:
            check_fonts()
            urls = card_urls(app)
            done = {"build_id": build_id, "built_at": build["built_at"], "books": {}, "sectors": {}}
            for lang in LANGS:
                pages, size, seconds = make_one(db, lang, build, urls(lang), shelf.pdf_path(books, build_id, lang))
                done["books"][lang] = {"pages": pages, "bytes": size, "seconds": seconds}
                log(f"{lang}: {pages} pages, {size} bytes, {seconds} s")
            done["seconds"] = round(time.monotonic() - started, 1)
            done["made_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            shelf.write_json(folder / "done.json", done)  # both books are served from now on
            shelf.touch_state(books)
            for lang in LANGS:  # then the sectors' booklets (the earlier build's meanwhile)
                for sector in list_sectors(db, lang):
                    if sector["professions"]:
                        target = shelf.pdf_path(books, build_id, lang, sector["slug"])
                        pages, size, _ = make_one(db, lang, build, urls(lang), target, sector=sector["slug"])
                        done["sectors"].setdefault(lang, {})[sector["slug"]] = {"pages": pages, "bytes": size}
            shelf.write_json(folder / "done.json", done)
            shelf.prune(books, keep=build_id)
            return build_id
        except Exception as error:
            reason = str(error) if isinstance(error, BookError) else traceback.format_exc(limit=5)
            shelf.write_json(folder / "failed.json", {"at": time.time(), "reason": reason})
            raise
        finally:
            (folder / "making.json").unlink(missing_ok=True)
            shelf.touch_state(books)
            db.close()


def start(app, build_id=None):
    """Launch a maker for the current build in the background; returns its process (or None
    when BOOKS_AUTO is off). Never raises: a publish must not fail because of a book. With
    build_id, the maker is noted at once, so that other workers do not start another."""
    config = app.config
    if not config.get("BOOKS_AUTO"):
        return None
    try:
        books = shelf.books_dir(config)
        books.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, "-m", "atlas.book_maker", "--db", str(config["DATABASE"]), "--books", str(books)]
        if config.get("SERVER_NAME"):
            args += ["--server-name", str(config["SERVER_NAME"])]
        if config.get("HTTPS"):
            args.append("--https")
        with open(books / "make.log", "a") as log:
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                       start_new_session=True, close_fds=True)
        threading.Thread(target=process.wait, daemon=True).start()  # no zombie left in a long-lived worker
        if build_id and shelf.BUILD_ID.match(build_id):
            shelf.write_json(books / build_id / "making.json", {"pid": process.pid, "started": time.time()})
            shelf.touch_state(books)
        return process
    except Exception:  # noqa: BLE001 - whatever stops the maker from starting must not stop a publish
        app.logger.exception("the book could not be started")
        return None
