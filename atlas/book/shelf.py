"""Where the made books live, and which of them the site serves.

    <books>/<build id>/kk/atlas.pdf, kk/sectors/<slug>.pdf, ru/...
    <books>/<build id>/done.json     written last: the build's books are complete
    <books>/<build id>/making.json   a maker is at work on this build (its pid, when it started)
    <books>/<build id>/failed.json   the last attempt failed (why, when)
    <books>/.state                   rewritten at every change: part of the page caches' keys

Books sit beside the public database, never inside it: the database stays an immutable
artifact, and a book can take a minute to make after the build it belongs to. Until a build's
books are done, the newest finished ones of an earlier build are served.
"""

import json
import os
import re
import shutil
import time
from functools import lru_cache
from pathlib import Path

RETRY_AFTER_FAILURE = 600  # seconds before the site asks again for a book that failed
DEFAULT_SECONDS = 240  # a first guess at how long both languages' books take
BUILD_ID = re.compile(r"^[0-9a-f]{6,64}$")


def books_dir(config):
    """BOOKS_DIR, or `books/` next to the public database."""
    return folder_of(config.get("BOOKS_DIR"), config["DATABASE"])


@lru_cache(maxsize=16)
def folder_of(books, database):
    """The home and about pages look for the books on every request: the path is made once."""
    return Path(books or Path(database).parent / "books")


def read_json(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path, value):
    """Written aside and renamed into place: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def touch_state(books):
    write_json(Path(books) / ".state", {"at": time.time()})


def state_token(books):
    """Changes whenever a book is started, finished or failed (for cache keys)."""
    try:
        stat = os.stat(os.path.join(books, ".state"))
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def pid_alive(pid):
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError, TypeError):
        return False
    return True


def finished(books):
    """{build id: done.json} of every build whose books are complete."""
    found = {}
    books = Path(books)
    if not books.is_dir():
        return found
    for folder in books.iterdir():
        if BUILD_ID.match(folder.name):
            done = read_json(folder / "done.json")
            if done:
                found[folder.name] = done
    return found


def making(books, build_id):
    """The maker's note when one is at work on build_id now, else None."""
    note = read_json(Path(books) / build_id / "making.json")
    return note if note and pid_alive(note.get("pid")) else None


def failed_recently(books, build_id):
    note = read_json(Path(books) / build_id / "failed.json")
    return note if note and time.time() - note.get("at", 0) < RETRY_AFTER_FAILURE else None


def expected_seconds(books, done):
    """How long making the books took last time (else a first guess)."""
    times = [d.get("seconds", 0) for d in done.values() if d.get("seconds")]
    return int(max(times)) if times else DEFAULT_SECONDS


def status(books, build_id):
    """What the site can serve for build_id: {"current": done.json or None, "served": the
    build id whose books are served (this one or an earlier one) or None, "making": ...,
    "failed": ..., "ready_in": seconds until this build's books are expected}."""
    done = finished(books)
    current = done.get(build_id)
    served = build_id if current else None
    if not served and done:
        served = max(done, key=lambda b: done[b].get("made_at", ""))
    note = making(books, build_id)  # after the books, the booklets
    ready_in = None
    if not current:
        elapsed = time.time() - note["started"] if note else 0
        ready_in = max(15, int(expected_seconds(books, done) - elapsed))
    return {"current": current, "served": served, "book": done.get(served) if served else None,
            "making": note, "failed": None if current else failed_recently(books, build_id), "ready_in": ready_in}


def pdf_path(books, build_id, lang, sector=None):
    folder = Path(books) / build_id / lang
    return folder / "sectors" / f"{sector}.pdf" if sector else folder / "atlas.pdf"


def find_booklet(books, found, lang, sector):
    """(build id, path) of a sector's booklet: the served build's, else (while it is still being
    made) the newest earlier one on the shelf; None when there is none."""
    done = finished(books)
    order = [found["served"]] + sorted((b for b in done if b != found["served"]),
                                       key=lambda b: done[b].get("made_at", ""), reverse=True)
    for build_id in order:
        path = pdf_path(books, build_id, lang, sector)
        if build_id and path.is_file():
            return build_id, path
    return None


def prune(books, keep):
    """Remove every other build's books (once keep's are complete), but not one being made."""
    for folder in Path(books).iterdir():
        if folder.name != keep and BUILD_ID.match(folder.name) and folder.is_dir():
            if not making(books, folder.name):
                shutil.rmtree(folder, ignore_errors=True)
