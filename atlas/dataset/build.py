"""data/ -> SQLite: read, validate, write every table and the search index, swap atomically.

No Flask here: the build is a pure function of data/, run by `atlas build`, by the setup
and by the tests. The database it writes is an immutable artifact that the site only reads.
"""

import hashlib
import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from . import cardchecks, enrol
from . import overlay as overlays
from .checks import validate
from . import offline_index as offline_index
from .. import queries
from ..languages import LANGUAGES
from ..queries.documents import dump_document
from ..text import shorten
from ..search import index
from .sources import BOOL, FLOAT, INT, ITEMS, LIST, RECORDS, REQUIREMENT_KEYS, TABLES, TEXT, DataError, read_all

SCHEMA_VERSION = "1"


def build_id_for(data_dir, overlay=None):
    """A short hash of every file in data/ (and of the approved changes laid over it): the same
    data always gives the same id (and ETag)."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    if overlay:
        digest.update(json.dumps(overlay, sort_keys=True, ensure_ascii=False).encode())
    data_dir = Path(data_dir)
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_valid(data_dir):
    """The dataset, or DataError listing every problem found in it."""
    return load_overlaid(data_dir)[0]


def load_overlaid(data_dir, overlay=None):
    """(dataset with the approved changes laid over it, provenance rows, published-change rows),
    or DataError listing every problem found in them: the overlay passes the same checks."""
    data, problems = read_all(data_dir)
    if not problems:
        problems = cardchecks.validate(data)  # before the overlay: see cardchecks.validate
    provenance, published = overlays.apply(data, overlay or [], TABLES) if not problems else ([], [])
    if not problems:
        problems = validate(data)
    if problems:
        raise DataError(problems)
    return data, provenance, published


def build(data_dir, db_path, overlay=None):
    """Validate data_dir (plus the approved changes of the editing area, see overlay.py) and
    write db_path; the old database stays in place if anything fails."""
    data, provenance, published = load_overlaid(data_dir, overlay)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        db = sqlite_utils.Database(temporary)
        write_tables(db, data)
        write_provenance(db, provenance, published)
        write_profession_cards(db)
        index.write(db)
        offline_index.write(db)
        meta = {
            "build_id": build_id_for(data_dir, overlay),
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


SQL_TYPES = {TEXT: str, INT: int, FLOAT: float, BOOL: int, LIST: str, ITEMS: str}
KEYS = {
    "sources": "slug", "towns": "slug", "subjects": "slug", "sectors": "slug", "specialties": "slug",
    "qualifications": "code", "colleges": "slug", "offerings": ("college", "specialty"),
    "employers": "slug", "region_figures": ("key", "year"), "professions": "slug",
    "state_order": ("year", "college", "specialty"), "wages": "slug",
}
LINK_TABLES = {
    "employer_colleges": ({"employer": str, "college": str}, ("employer", "college")),
    "profession_related": ({"profession": str, "related": str, "position": int}, ("profession", "related")),
    # `nearest`: the card's nearest route, not a specialty that trains for the profession itself.
    "profession_specialties": ({"profession": str, "specialty": str, "qualification": str, "position": int,
                                "nearest": int},
                               ("profession", "specialty", "qualification")),
    "profession_employers": ({"profession": str, "employer": str}, ("profession", "employer")),
    "profession_requirements": ({"profession": str, "position": int, "text_kk": str, "text_ru": str, "source": str},
                                ("profession", "position")),
}
DROPPED = {"employers": {"colleges"}, "professions": {"study", "related", "employers", "requirements"}}
INDEXES = [("offerings", "specialty"), ("qualifications", "specialty"), ("profession_specialties", "specialty"),
           ("profession_employers", "employer"), ("professions", "sector"), ("colleges", "town"),
           ("employer_colleges", "college"), ("profession_related", "related"),
           ("state_order", ("college", "specialty"))]


# Keys of data/ stored under another column name: localise() turns `min_age_kk` into `min_age`,
# which is already the card's age as a number, so the sentence is stored as `min_age_text_*`.
RENAMED = {"professions": {"min_age_kk": "min_age_text_kk", "min_age_ru": "min_age_text_ru"}}


def create_tables(db):
    """Every table, created up front so that an empty one still exists with its columns."""
    for name, key in KEYS.items():
        kinds = {**TABLES, **RECORDS}[name]
        renamed = RENAMED.get(name, {})
        columns = {renamed.get(c, c): SQL_TYPES[k] for c, k in kinds.items() if c not in DROPPED.get(name, ())}
        db[name].create(columns, pk=key)
    for name, (columns, key) in LINK_TABLES.items():
        db[name].create(columns, pk=key)


def clean(record, name=""):
    """A record as stored: no bookkeeping keys, no fields that live in link tables."""
    dropped, renamed = DROPPED.get(name, ()), RENAMED.get(name, {})
    return {renamed.get(k, k): v for k, v in record.items() if not k.startswith("_") and k not in dropped}


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
         "qualification": str(link.get("qualification") or ""), "position": i, "nearest": bool(link.get("nearest"))}
        for p in professions for i, link in enumerate(p["study"]))
    db["profession_employers"].insert_all(
        {"profession": p["slug"], "employer": e} for p in professions for e in p["employers"])
    db["profession_requirements"].insert_all(
        {"profession": p["slug"], "position": i, **{key: str(item.get(key) or "") for key in REQUIREMENT_KEYS}}
        for p in professions for i, item in enumerate(p["requirements"]))
    for part in ("types", "statements", "scale"):
        db[f"quiz_{part}"].insert_all(clean(record) for record in data[f"quiz_{part}"])
    write_college_tables(db, data)
    for table, columns in INDEXES:
        db[table].create_index(list(columns) if isinstance(columns, tuple) else [columns])
    for lang in ("kk", "ru"):  # a status's professions in name order (the home page's new ones) without a sort
        db.execute(f"create index idx_professions_status_name_{lang} on professions (status, name_{lang} collate nocase)")
    write_profession_list(db)


def write_profession_list(db):
    """The professions as every list of them reads them (the list page, the home page's new
    ones, the search page's suggestions, compare, the book's chapters): a narrow row a
    profession and language, each language's text falling back to the other where it is
    empty, numbered in the list's order (name, ignoring case), with the summary already cut
    to the list's teaser (text.shorten, as search results cut theirs). A card's row in
    `professions` carries its whole text, some 11 KB; read for a list of every card, those
    rows cost more than the rest of the page.

    The list page, which shows every row, reads them as one JSON array a language
    (`profession_list_json`, stored as queries.documents keeps it): read row by row, its 142 rows
    of five values each cost a third of the page in the sqlite3 module, a Python object made and
    decoded for every value."""
    db["profession_list"].create({"lang": str, "position": int, "slug": str, "name": str, "teaser": str,
                                  "status": str, "sector": str, "sector_name": str}, pk=("lang", "position"))
    for lang in LANGUAGES:
        other = next(code for code in LANGUAGES if code != lang)

        def text(column):
            return f"coalesce(nullif({column}_{lang}, ''), {column}_{other})"

        found = db.execute(f"""
            select professions.slug, {text("professions.name")}, {text("professions.summary")}, professions.status,
                   professions.sector, {text("sectors.name")}
            from professions join sectors on sectors.slug = professions.sector
            order by professions.name_{lang} collate nocase, professions.slug""").fetchall()
        db["profession_list"].insert_all(
            {"lang": lang, "position": position, "slug": slug, "name": name,
             "teaser": shorten(summary or "", TEASER_LENGTH),
             "status": status, "sector": sector, "sector_name": sector_name}
            for position, (slug, name, summary, status, sector, sector_name) in enumerate(found, 1))
    db["profession_list_json"].insert_all(
        ({"lang": lang, "items": dump_document(
            [list(item) for item in db.execute("""select slug, name, status, sector, sector_name, teaser
                                                  from profession_list where lang = ? order by position""", [lang])])}
         for lang in LANGUAGES), pk="lang")


TEASER_LENGTH = 160  # characters of a summary in the lists


def write_profession_cards(db):
    """Each profession card in each language as one JSON document (`profession_cards`), gathered
    from the tables written so far by the queries the card was read with (queries.cards): a
    page then reads one row, where gathering it took a dozen queries and a sixth of the page."""
    db.conn.commit()
    db.conn.row_factory = sqlite3.Row  # what the queries read rows as (web.db.connect)
    try:
        cards = [{"slug": slug, "lang": lang,
                  "card": dump_document(queries.gather_profession_card(db.conn, lang, slug))}
                 for (slug,) in db.conn.execute("select slug from professions order by slug").fetchall()
                 for lang in LANGUAGES]
    finally:
        db.conn.row_factory = None
    db["profession_cards"].create({"slug": str, "lang": str, "card": bytes}, pk=("slug", "lang"))
    db["profession_cards"].insert_all(cards)


COLLEGE_TABLES = ("college_facts", "college_training_areas")


def write_college_tables(db, data):
    """What sources say about colleges, in the order data/ gives it (rowid): these rows have no
    natural key, and a training area is not an offering, so it never joins the offerings table."""
    for name in COLLEGE_TABLES:
        db[name].create({c: SQL_TYPES[k] for c, k in TABLES[name].items()})
        db[name].insert_all(clean(record) for record in data[name])
        db[name].create_index(["college"])
    db["college_training_areas"].create_index(["specialty"])
    enrol.write(db, data["enrol"])


def write_provenance(db, provenance, published):
    """Where each editable value comes from, and the list of published changes."""
    db["provenance"].create({"table_name": str, "record_key": str, "field": str, "origin": str, "source": str,
                             "checked_on": str, "public_value": str, "public_source": str, "change_id": int},
                            pk=("table_name", "record_key", "field"))
    db["provenance"].insert_all(provenance)
    db["published_changes"].create({"change_id": int, "published_on": str, "checked_on": str, "college": str,
                                    "kind": str, "record_key": str, "fields": str, "source": str, "values": str},
                                   pk="change_id")
    db["published_changes"].insert_all(published)
    db["published_changes"].create_index(["published_on"])
