"""The offline search index, written at build time: for each language, one compact JSON list
of every searchable record (its type, slug, name, sector and the skeleton keys of its names,
aliases and codes), kept in the table `offline_search` and served as JSON.

It is derived from the server's own search tables (search/index.py), so its keys are folded
by exactly the same normalisation (normalise.py) and it follows any field the server indexes;
the browser then only has to fold the query, which takes a few lines of JavaScript.
"""

import json
import sqlite3

from .. import queries
from ..languages import LANGUAGES

TABLE = "offline_search"


def unique(keys, skip=()):
    """Keys in first-seen order, without repeats or those in skip."""
    seen, result = set(skip), []
    for key in keys:
        if key and key not in seen:
            seen.add(key)
            result.append(key)
    return result


def records(conn, lang):
    """[type, slug, name, sector (or town) name, name keys, other keys, codes] for every search document."""
    labels = {"sector": queries.list_sector_names(conn, lang), "town": queries.list_town_names(conn, lang)}
    other = {row["rowid"]: row["aliases"] for row in conn.execute("select rowid, aliases from search_fts")}
    codes, label_of = {}, {}
    for row in conn.execute("select doc_id, code from search_codes order by code"):
        codes.setdefault(row["doc_id"], []).append(row["code"])
    # A record's label: its sector, else its town (colleges have no sector).
    for row in conn.execute("select doc_id, facet, value from search_facets where facet in ('sector', 'town') "
                            "order by facet, value"):
        label_of.setdefault(row["doc_id"], labels[row["facet"]].get(row["value"], ""))
    found = []
    for doc in conn.execute("select id, type, key, name_kk, name_ru, name_keys from search_docs order by id"):
        name = doc[f"name_{lang}"] or doc["name_kk"] or doc["name_ru"]
        name_keys = unique(doc["name_keys"].split())
        found.append([doc["type"], doc["key"], name, label_of.get(doc["id"], ""),
                      " ".join(name_keys), " ".join(unique((other.get(doc["id"]) or "").split(), name_keys)),
                      " ".join(codes.get(doc["id"], []))])
    return found


def write(db):
    """Create the offline_search table: one row per language with its records as JSON."""
    conn = db.conn
    factory, conn.row_factory = conn.row_factory, sqlite3.Row
    try:
        rows = [{"lang": lang, "records": json.dumps(records(conn, lang), ensure_ascii=False, separators=(",", ":"))}
                for lang in LANGUAGES]
    finally:
        conn.row_factory = factory
    db[TABLE].insert_all(rows, pk="lang")
