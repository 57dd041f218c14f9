"""`atlas backup` and `atlas restore` of the editing database.

The backup uses SQLite's online backup API, which copies a consistent snapshot while the site
keeps writing (in WAL mode writers are not blocked for long). A restore copies a backup back
the same way, into the live file, so open connections see the restored data on their next
transaction; it checks the backup first and refuses a file that is not an editing database.
"""

import sqlite3
from pathlib import Path


def backup(db_path, target):
    """Copy db_path to target consistently; returns the number of history rows copied."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    source = sqlite3.connect(db_path, timeout=30)
    try:
        destination = sqlite3.connect(temporary)
        with destination:
            source.backup(destination, pages=256)
        destination.execute("pragma journal_mode = delete")
        count = check(destination)
        destination.close()
    finally:
        source.close()
    temporary.replace(target)
    return count


def check(conn):
    """The number of history rows, after checking the file's integrity and tables."""
    if conn.execute("pragma integrity_check").fetchone()[0] != "ok":
        raise ValueError("the file is damaged (integrity check failed)")
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    if not {"users", "changes", "history"} <= tables:
        raise ValueError("the file is not a backup of the editing database")
    return conn.execute("select count(*) from history").fetchone()[0]


def restore(backup_path, db_path):
    """Replace the editing database's content with a backup; returns its history row count."""
    if not Path(backup_path).is_file():
        raise ValueError(f"no file at {backup_path}")
    try:
        source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
        count = check(source)
    except sqlite3.DatabaseError as error:
        raise ValueError(f"the file is not an SQLite database: {error}") from None
    try:
        destination = sqlite3.connect(db_path, timeout=30)
        with destination:
            source.backup(destination)
        destination.execute("pragma journal_mode = wal")
        destination.close()
    finally:
        source.close()
    return count
