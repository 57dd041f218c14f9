"""Provenance of college data and the list of published changes, both written by the build
(from the editing area's approved changes) into the public database."""

import json
import sqlite3

from ..provenance import read_import_source
from .clauses import where
from .pages import get_source, rows

ORIGIN_RANK = {"college": 0, "public": 1, "unverified": 2}


def safe(query):
    """A database built before these tables existed answers as if nothing were recorded."""
    def wrapper(*args, **kwargs):
        try:
            return query(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return {} if query.__name__.startswith("get_") else []
            raise
    wrapper.__name__, wrapper.__doc__ = query.__name__, query.__doc__
    return wrapper


def summary(field_rows, db, lang):
    """Where a record's values come from, most trustworthy first: [{origin, checked_on,
    source (a dict with title and url, or None), fields}] grouped by origin, date and source."""
    groups = {}
    for r in field_rows:
        key = (r["origin"], r["checked_on"], r["source"])
        groups.setdefault(key, []).append(r["field"])
    found = []
    # newest first within an origin: a value the department imported last is what the offering shows,
    # not the older public source of the fields the import left alone
    newest = sorted(groups.items(), key=lambda i: i[0][1], reverse=True)
    for (origin, checked_on, source), fields in sorted(newest, key=lambda i: ORIGIN_RANK.get(i[0][0], 3)):
        found.append({"origin": origin, "checked_on": checked_on, "fields": fields,
                      "source": source_of(db, lang, source) if origin != "college" else None})
    return found


def source_of(db, lang, value):
    if not value:
        return None
    return get_source(db, lang, value) or {"title": value, "url": "", "imported": read_import_source(value)}


@safe
def get_addition(db, lang, kind, key):
    """How a record that the editing area added (a college the department's table brought, a
    specialty a college or the table proposed) came in: its first published change as
    {"source" (the import's file and date, '' from a college), "checked_on", "college",
    "college_name" (the proposing college's name, or '')}; {} for a record of data/."""
    column = "college" if kind == "college" else "record_key"
    found = db.execute(f"""select published_changes.source, published_changes.checked_on, published_changes.college,
                                  colleges.name_{lang} as college_name
                           from published_changes left join colleges on colleges.slug = published_changes.college
                           where published_changes.kind = ? and published_changes.{column} = ?
                           order by published_changes.change_id limit 1""", (kind, key)).fetchone()
    return dict(found) if found else {}


@safe
def get_college_provenance(db, lang, slug):
    """{"fields": {field: origin row}, "groups": summary} of a college's editable fields."""
    field_rows = db.execute("""select field, origin, source, checked_on from provenance
                               where table_name = 'colleges' and record_key = ? order by rowid""", (slug,)).fetchall()
    college = db.execute("select * from colleges where slug = ?", (slug,)).fetchone()
    columns = set(college.keys()) if college is not None else set()
    partners = db.execute("select count(*) from employer_colleges where college = ?", (slug,)).fetchone()[0]
    filled = [r for r in field_rows if (partners if r["field"] == "partners" else
                                        r["field"] in columns and college[r["field"]] not in (None, "", "[]"))]
    groups = summary(filled, db, lang)
    for group in groups:  # name_kk and name_ru are one "name" to a reader; lon goes with lat
        group["fields"] = list(dict.fromkeys(f.removesuffix("_kk").removesuffix("_ru").replace("lon", "lat")
                                             for f in group["fields"]))
    return {"fields": {r["field"]: r for r in field_rows}, "groups": groups}


@safe
def get_offering_origins(db, lang, college=None, specialty=None):
    """{(college, specialty): the offering's most trustworthy origin} for one college's or one
    specialty's offerings: {"origin", "checked_on", "source"}."""
    field_rows = db.execute(
        # offerings first, then each one's provenance by its key (the primary key's index): the
        # other way round, SQLite compared every provenance row with every offering
        f"""select provenance.*, offerings.college, offerings.specialty from offerings
           cross join provenance on provenance.table_name = 'offerings'
             and provenance.record_key = offerings.college || '/' || offerings.specialty
           {where(**{"offerings.college": college, "offerings.specialty": specialty})}""",
        {"college": college, "specialty": specialty}).fetchall()
    by_record = {}
    for r in field_rows:
        by_record.setdefault((r["college"], r["specialty"]), []).append(r)
    return {key: summary(found, db, lang)[0] for key, found in by_record.items()}


@safe
def list_published_changes(db, lang, limit=200):
    """Published changes, newest first, with the college's and specialty's names (a specialty
    new to the atlas is a change of its own, with or without the college that proposed it)."""
    found = rows(db, """
        select published_changes.*, colleges.name_kk as college_name_kk, colleges.name_ru as college_name_ru,
               specialties.code as specialty_code, specialties.name_kk as specialty_name_kk,
               specialties.name_ru as specialty_name_ru
        from published_changes
        left join colleges on colleges.slug = published_changes.college
        left join specialties on published_changes.kind in ('offering', 'specialty')
                             and specialties.slug = published_changes.record_key
        -- a specialty the department's table added has no college; every other change has one
        where colleges.slug is not null or published_changes.kind = 'specialty'
        order by published_on desc, change_id desc limit ?""", (limit,), lang)
    for change in found:
        change["fields"] = json.loads(change["fields"] or "[]")
        change["values"] = json.loads(change.get("values") or "{}")  # {field: [before, after]}
    return found
