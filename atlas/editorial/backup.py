"""`atlas backup` and `atlas restore` of the editing database.

The backup uses SQLite's online backup API, which copies a consistent snapshot while the site
keeps writing (in WAL mode writers are not blocked for long). A restore copies a backup back
the same way, into the live file, so open connections see the restored data on their next
transaction. It first checks the backup: its integrity, and a schema exactly like the one this
version creates (tables, columns, indexes and the project's own triggers, nothing else), since
a trigger or a column slipped into a file would otherwise live on in the editing area. A backup
made by an earlier version is brought up to date (as store.connect does) on a private copy first.
Backups are readable by their owner only, like the database: they hold password hashes.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from . import store


def backup(db_path, target):
    """Copy db_path to target consistently; returns the number of history rows copied."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    store.private_file(temporary)
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


def schema_of(conn):
    """Everything that makes a database's shape, comparable between two files: each table's
    columns (name, type, not null, default, key), each index's table, uniqueness and columns,
    each trigger's and view's text (spaces folded)."""
    shape = set()
    for kind, name, table, sql in conn.execute("select type, name, tbl_name, sql from sqlite_master "
                                               "where name not like 'sqlite_%'"):
        if kind == "table":
            for column in conn.execute(f'pragma table_info("{name}")'):
                shape.add(("column", name, column[1], column[2].lower(), column[3], column[4], column[5]))
            shape.add(("table", name))
        elif kind == "index":
            columns = tuple(c[2] for c in conn.execute(f'pragma index_info("{name}")'))
            unique = next((i[2] for i in conn.execute(f'pragma index_list("{table}")') if i[1] == name), None)
            shape.add(("index", name, table, unique, columns))
        else:
            shape.add((kind, name, table, " ".join((sql or "").lower().split())))
    return shape


def expected_schema():
    conn = store.connect(":memory:")
    try:
        return schema_of(conn)
    finally:
        conn.close()


def describe(item):
    kind, name = item[0], item[1]
    if kind == "column":
        return f"column {item[2]} of table {name}"
    return f"{kind} {name}"


def added_by_migrations():
    """What store.migrate adds to a database of the first release: all a backup may lack."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(store.SCHEMA)
        return expected_schema() - schema_of(conn)
    finally:
        conn.close()


def check_before_update(conn):
    """Refuse a backup that has anything this version's schema lacks, or lacks anything but
    what migrations add (which the restore then adds)."""
    found, wanted = schema_of(conn), expected_schema()
    if not found <= wanted or not wanted - found <= added_by_migrations():
        check(conn)  # raises, naming what differs


def check(conn):
    """The number of history rows, after checking the file's integrity and its schema."""
    if conn.execute("pragma integrity_check").fetchone()[0] != "ok":
        raise ValueError("the file is damaged (integrity check failed)")
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    if not {"users", "changes", "history"} <= tables:
        raise ValueError("the file is not a backup of the editing database")
    found, wanted = schema_of(conn), expected_schema()
    if found != wanted:
        extra = sorted({describe(item) for item in found - wanted})
        missing = sorted({describe(item) for item in wanted - found})
        reasons = ([f"not in the editing database's schema: {', '.join(extra)}"] if extra else []) + \
                  ([f"differs or is missing: {', '.join(missing)}"] if missing else [])
        raise ValueError("the file's schema is not the editing database's (" + "; ".join(reasons) + ")")
    return conn.execute("select count(*) from history").fetchone()[0]


def restore(backup_path, db_path):
    """Replace the editing database's content with a backup; returns its history row count."""
    if not Path(backup_path).is_file():
        raise ValueError(f"no file at {backup_path}")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "backup.db"
        store.private_file(copy)
        shutil.copyfile(backup_path, copy)
        try:
            source = sqlite3.connect(copy)
            if source.execute("pragma integrity_check").fetchone()[0] != "ok":
                raise ValueError("the file is damaged (integrity check failed)")
            if {"users", "changes", "history"} <= {r[0] for r in source.execute(
                    "select name from sqlite_master where type = 'table'")}:
                check_before_update(source)
                store.connect(str(copy)).close()  # a backup of an earlier version gains what this one added
            count = check(source)
        except sqlite3.DatabaseError as error:
            raise ValueError(f"the file is not an SQLite database: {error}") from None
        try:
            store.private_file(db_path)
            destination = sqlite3.connect(db_path, timeout=30)
            with destination:
                source.backup(destination)
            destination.execute("pragma journal_mode = wal")
            destination.close()
        finally:
            source.close()
    return count
