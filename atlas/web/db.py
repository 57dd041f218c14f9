"""The read-only connection to the built database.

The database is an immutable file that `atlas build` replaces atomically. Each worker
thread keeps one connection and reopens it when the file on disk is a new one, so a
rebuild is picked up by the next request without a restart and without a failed request.
"""

import os
import sqlite3
import threading

from flask import current_app, g


class DatabaseUnavailable(Exception):
    """The database file is missing or unreadable: the site answers 503, /healthz fails."""


_local = threading.local()
# The whole file mapped into memory (a built database is a few megabytes; this is a cap).
# SQLite then reads its pages in place, from the pages the system keeps of the file for every
# worker at once, instead of copying each into the connection's own 2 MB cache with a read()
# call: a worker serves every kind of page, which together read more than that cache holds.
MMAP_BYTES = 256 * 1024 * 1024


class BuildConnection(sqlite3.Connection):
    """A connection to one build. It also holds what queries.per_build read once of the
    build's small reference tables: the file never changes, and a new build gets a new
    connection, so nothing kept here goes stale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_build = {}
        self.meta = None  # the build's id and time (build_info), read on first use


def connect(path):
    """A read-only connection that trusts the file never changes in place (immutable=1)."""
    if not os.path.exists(path):
        raise DatabaseUnavailable(f"no database at {path}; run 'atlas build'")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False,
                               factory=BuildConnection)
        conn.row_factory = sqlite3.Row
        conn.execute(f"pragma mmap_size = {MMAP_BYTES}")
        conn.execute("select value from meta where key = 'build_id'").fetchone()
    except sqlite3.DatabaseError as error:
        raise DatabaseUnavailable(f"the database at {path} cannot be read: {error}") from error
    return conn


def get_db():
    """This thread's connection, reopened when the file has been replaced by a new build."""
    kept = g._get_current_object()  # one look through Flask's proxy (i18n.current_language)
    found = kept.get("db")
    if found is not None:
        return found
    path = current_app.config["DATABASE"]
    try:
        stat = os.stat(path)
        identity = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        raise DatabaseUnavailable(f"no database at {path}; run 'atlas build'") from None
    cached = getattr(_local, "cached", None)
    if cached is None or cached[0] != identity:
        conn = connect(path)  # may raise: then the cached connection stays open and usable
        if cached is not None:
            cached[1].close()
        _local.cached = (identity, conn)
    kept.db = _local.cached[1]
    return kept.db


def build_info():
    """The build id and time of the database being served: read once per connection to a
    build, as every page asks for it (its validators, the build id in its head)."""
    db = get_db()
    if db.meta is None:
        db.meta = {row["key"]: row["value"] for row in db.execute("select key, value from meta")}
    return db.meta


