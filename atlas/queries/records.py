"""Open data: records in both languages, as stored, for the API and the downloads."""

import json
import sqlite3

from .places import list_state_order

RECORD_TABLES = {
    # table: (key column, filterable columns, JSON list columns, columns left out)
    "professions": ("slug", ("sector", "status"), ("aliases_kk", "aliases_ru", "other_names_kk", "other_names_ru",
                                                   "tasks_kk", "tasks_ru", "skills_kk", "skills_ru", "soft_skills_kk",
                                                   "soft_skills_ru", "subjects", "first_steps_kk", "first_steps_ru",
                                                   "career_path_kk", "career_path_ru"), ()),
    "specialties": ("slug", (), ("entry_grades",), ()),
    "colleges": ("slug", ("town",), ("languages",), ()),
    "employers": ("slug", ("town", "sector"), (), ("colleges",)),
}


def decode(record, lists):
    out = dict(record)
    for column in lists:
        if column in out:
            out[column] = json.loads(out[column]) if out[column] else []
    for column in ("verified", "dormitory", "school_college_track", "targeted_training", "dual", "opened_2025",
                   "classifier_checked"):
        if column in out and out[column] is not None:
            out[column] = bool(out[column])
    return out


def add_profession_blocks(db, record):
    """A card's derived answers to "how do I get in": the entry grades of the specialties that
    lead there (from the specialty records and the colleges' offerings) and its requirements."""
    slug = record["slug"]
    grades = set()
    for found in db.execute("""select specialties.entry_grades from profession_specialties
                               join specialties on specialties.slug = profession_specialties.specialty
                               where profession = ?
                               union all
                               select offerings.entry_grades from profession_specialties
                               join offerings on offerings.specialty = profession_specialties.specialty
                               where profession = ?""", (slug, slug)):
        grades.update(json.loads(found[0]) if found[0] else [])
    record["entry_grades"] = sorted(grades, key=int)
    requirements = [dict(r) for r in db.execute(
        "select text_kk, text_ru, source from profession_requirements where profession = ? order by position", (slug,))]
    record["requirements"] = requirements
    for lang in ("kk", "ru"):
        record[f"requirements_{lang}"] = [r[f"text_{lang}"] for r in requirements]
    return record


def list_records(db, table, filters, limit, offset):
    """(total, records) of a table with equality filters on whitelisted columns, in file order."""
    key, filterable, lists, _ = RECORD_TABLES[table]
    clauses = [f"{column} = :{column}" for column in filterable if filters.get(column)]
    where = " where " + " and ".join(clauses) if clauses else ""
    params = {c: filters[c] for c in filterable if filters.get(c)}
    total = db.execute(f"select count(*) from {table}{where}", params).fetchone()[0]
    found = db.execute(f"select * from {table}{where} order by rowid limit :limit offset :offset",
                       {**params, "limit": limit, "offset": offset}).fetchall()
    records = [decode(r, lists) for r in found]
    if table == "professions":
        records = [add_profession_blocks(db, r) for r in records]
    return total, records


def get_record(db, table, key_value):
    key, _, lists, _ = RECORD_TABLES[table]
    found = db.execute(f"select * from {table} where {key} = ?", (key_value,)).fetchone()
    if not found:
        return None
    record = decode(found, lists)
    return add_profession_blocks(db, record) if table == "professions" else record


def list_offerings(db, column, key_value):
    """A college's or a specialty's offerings, each with its `state_order` (newest year first)."""
    assert column in ("college", "specialty")
    found = [decode(r, ("qualifications", "languages", "entry_grades"))
             for r in db.execute(f"select * from offerings where {column} = ?", (key_value,))]
    by_offering = list_state_order(db, **{column: key_value})
    for offering in found:
        offering["state_order"] = by_offering.get((offering["college"], offering["specialty"]), [])
    return found


def get_record_links(db, table, key_value):
    """The linked records that a single record's API answer includes."""
    one = lambda sql: [dict(r) for r in db.execute(sql, (key_value,))]  # noqa: E731
    if table == "professions":
        return {
            "study": one("select specialty, qualification from profession_specialties where profession = ? order by position"),
            "related": [r["related"] for r in one("select related from profession_related where profession = ? order by position")],
            "employers": [r["employer"] for r in one("select employer from profession_employers where profession = ?")],
        }
    if table == "specialties":
        return {
            "qualifications": [decode(r, ()) for r in one("select code, level, name_kk, name_ru, as_of, source, verified, classifier_checked from qualifications where specialty = ? order by code")],
            "offerings": list_offerings(db, "specialty", key_value),
            "professions": [r["profession"] for r in one("select distinct profession from profession_specialties where specialty = ?")],
        }
    if table == "colleges":
        return {
            "offerings": list_offerings(db, "college", key_value),
            "partners": [r["employer"] for r in one("select employer from employer_colleges where college = ?")],
            "provenance": list_provenance(db, key_value),
        }
    return {
        "colleges": [r["college"] for r in one("select college from employer_colleges where employer = ?")],
        "professions": [r["profession"] for r in one("select profession from profession_employers where employer = ?")],
    }


def list_provenance(db, college):
    """Where each editable value of a college and of its offerings comes from."""
    try:
        found = db.execute("""select record_key as record, field, origin, source, checked_on from provenance
                              where (table_name = 'colleges' and record_key = :college)
                                 or (table_name = 'offerings' and substr(record_key, 1, length(:college) + 1) = :college || '/')
                              order by table_name, record_key, rowid""", {"college": college})
        return [dict(r) for r in found]
    except sqlite3.OperationalError:  # a database built before provenance was recorded
        return []


def list_table_rows(db, table):
    """Every row of a table as stored, for the CSV download of the whole dataset."""
    assert table in EXPORTED_TABLES
    cursor = db.execute(f"select * from {table} order by rowid")
    return [d[0] for d in cursor.description], cursor.fetchall()


EXPORTED_TABLES = ("sectors", "professions", "profession_specialties", "profession_related", "profession_employers",
                   "specialties", "qualifications", "colleges", "offerings", "state_order", "employers",
                   "employer_colleges", "towns", "subjects", "sources", "region_figures")
