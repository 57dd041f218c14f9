"""Open data: records in both languages, as stored, for the API and the downloads."""

import json

RECORD_TABLES = {
    # table: (key column, filterable columns, JSON list columns, columns left out)
    "professions": ("slug", ("sector", "status"), ("aliases_kk", "aliases_ru", "tasks_kk", "tasks_ru", "skills_kk",
                                                   "skills_ru", "soft_skills_kk", "soft_skills_ru", "subjects"), ()),
    "specialties": ("slug", (), ("entry_grades",), ()),
    "colleges": ("slug", ("town",), ("languages",), ()),
    "employers": ("slug", ("town", "sector"), (), ("colleges",)),
}


def decode(record, lists):
    out = dict(record)
    for column in lists:
        if column in out:
            out[column] = json.loads(out[column]) if out[column] else []
    for column in ("verified", "dormitory", "school_college_track", "targeted_training", "dual", "opened_2025"):
        if column in out and out[column] is not None:
            out[column] = bool(out[column])
    return out


def list_records(db, table, filters, limit, offset):
    """(total, records) of a table with equality filters on whitelisted columns, in file order."""
    key, filterable, lists, _ = RECORD_TABLES[table]
    clauses = [f"{column} = :{column}" for column in filterable if filters.get(column)]
    where = " where " + " and ".join(clauses) if clauses else ""
    params = {c: filters[c] for c in filterable if filters.get(c)}
    total = db.execute(f"select count(*) from {table}{where}", params).fetchone()[0]
    found = db.execute(f"select * from {table}{where} order by rowid limit :limit offset :offset",
                       {**params, "limit": limit, "offset": offset}).fetchall()
    return total, [decode(r, lists) for r in found]


def get_record(db, table, key_value):
    key, _, lists, _ = RECORD_TABLES[table]
    found = db.execute(f"select * from {table} where {key} = ?", (key_value,)).fetchone()
    return decode(found, lists) if found else None


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
            "qualifications": [decode(r, ()) for r in one("select code, level, name_kk, name_ru, as_of, source, verified from qualifications where specialty = ? order by code")],
            "offerings": [decode(r, ("qualifications", "languages", "entry_grades")) for r in one("select * from offerings where specialty = ?")],
            "professions": [r["profession"] for r in one("select distinct profession from profession_specialties where specialty = ?")],
        }
    if table == "colleges":
        return {
            "offerings": [decode(r, ("qualifications", "languages", "entry_grades")) for r in one("select * from offerings where college = ?")],
            "partners": [r["employer"] for r in one("select employer from employer_colleges where college = ?")],
        }
    return {
        "colleges": [r["college"] for r in one("select college from employer_colleges where employer = ?")],
        "professions": [r["profession"] for r in one("select profession from profession_employers where employer = ?")],
    }


def list_table_rows(db, table):
    """Every row of a table as stored, for the CSV download of the whole dataset."""
    assert table in EXPORTED_TABLES
    cursor = db.execute(f"select * from {table} order by rowid")
    return [d[0] for d in cursor.description], cursor.fetchall()


EXPORTED_TABLES = ("sectors", "professions", "profession_specialties", "profession_related", "profession_employers",
                   "specialties", "qualifications", "colleges", "offerings", "employers", "employer_colleges",
                   "towns", "subjects", "sources", "region_figures")
