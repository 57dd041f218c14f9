"""data/ -> SQLite: read, validate, write every table and the search index, swap atomically.

No Flask here: the build is a pure function of data/, run by `atlas build`, by the setup
and by the tests. The database it writes is an immutable artifact that the site only reads.
"""

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .checks import validate
from .search import index
from .sources import BOOL, FLOAT, INT, LIST, RECORDS, TABLES, TEXT, DataError, read_all

SCHEMA_VERSION = "1"


def build_id_for(data_dir):
    """A short hash of every file in data/: the same data always gives the same id (and ETag)."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    data_dir = Path(data_dir)
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_valid(data_dir):
    """The dataset, or DataError listing every problem found in it."""
    data, problems = read_all(data_dir)
    if not problems:
        problems = validate(data)
    if problems:
        raise DataError(problems)
    return data


def build(data_dir, db_path):
    """Validate data_dir and write db_path; the old database stays in place if anything fails."""
    data = load_valid(data_dir)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(temporary)
        write_tables(db, data)
        index.write(db)
        meta = {
            "build_id": build_id_for(data_dir),
            "built_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "schema_version": SCHEMA_VERSION,
        }
        db["meta"].insert_all([{"key": k, "value": v} for k, v in meta.items()], pk="key")
        db.conn.commit()
        db.conn.execute("VACUUM")
        db.conn.close()
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
    return meta


SQL_TYPES = {TEXT: str, INT: int, FLOAT: float, BOOL: int, LIST: str}
KEYS = {
    "sources": "slug", "towns": "slug", "subjects": "slug", "sectors": "slug", "specialties": "slug",
    "qualifications": "code", "colleges": "slug", "offerings": ("college", "specialty"),
    "employers": "slug", "region_figures": ("key", "year"), "professions": "slug",
}
LINK_TABLES = {
    "employer_colleges": ({"employer": str, "college": str}, ("employer", "college")),
    "profession_related": ({"profession": str, "related": str, "position": int}, ("profession", "related")),
    "profession_specialties": ({"profession": str, "specialty": str, "qualification": str, "position": int},
                               ("profession", "specialty", "qualification")),
    "profession_employers": ({"profession": str, "employer": str}, ("profession", "employer")),
}
DROPPED = {"employers": {"colleges"}, "professions": {"study", "related", "employers"}}
INDEXES = [("offerings", "specialty"), ("qualifications", "specialty"), ("profession_specialties", "specialty"),
           ("profession_employers", "employer"), ("professions", "sector"), ("colleges", "town"),
           ("employer_colleges", "college"), ("profession_related", "related")]


def create_tables(db):
    """Every table, created up front so that an empty one still exists with its columns."""
    for name, key in KEYS.items():
        kinds = {**TABLES, **RECORDS}[name]
        columns = {c: SQL_TYPES[k] for c, k in kinds.items() if c not in DROPPED.get(name, ())}
        db[name].create(columns, pk=key)
    for name, (columns, key) in LINK_TABLES.items():
        db[name].create(columns, pk=key)


def clean(record, name=""):
    """A record as stored: no bookkeeping keys, no fields that live in link tables."""
    dropped = DROPPED.get(name, ())
    return {k: v for k, v in record.items() if not k.startswith("_") and k not in dropped}


def write_tables(db, data):
    create_tables(db)
    for name in KEYS:
        db[name].insert_all(clean(record, name) for record in data[name])
    db["employer_colleges"].insert_all(
        {"employer": e["slug"], "college": c} for e in data["employers"] for c in e["colleges"])
    professions = data["professions"]
    db["profession_related"].insert_all(
        {"profession": p["slug"], "related": r, "position": i}
        for p in professions for i, r in enumerate(p["related"]))
    db["profession_specialties"].insert_all(
        {"profession": p["slug"], "specialty": str(link["specialty"]),
         "qualification": str(link.get("qualification") or ""), "position": i}
        for p in professions for i, link in enumerate(p["study"]))
    db["profession_employers"].insert_all(
        {"profession": p["slug"], "employer": e} for p in professions for e in p["employers"])
    for part in ("types", "statements", "scale"):
        db[f"quiz_{part}"].insert_all(clean(record) for record in data[f"quiz_{part}"])
    for table, column in INDEXES:
        db[table].create_index([column])
