"""Specialties the atlas lacks, added through the editing area: the change kind, the migration of
an existing editing database, the overlay that adds them and the build that accepts them."""

import sqlite3

import pytest

from atlas.dataset.build import build, load_overlaid
from atlas.dataset.checks import qualification_code, specialty_code
from atlas.editorial import store
from atlas.editorial.publish import publish
from atlas.editorial.records import as_overlay
from atlas.dataset.sources import DataError
from tests.conftest import DATA

NEW = "10140100"  # not in data/specialties.csv (the tests check it)
KNOWN = "07161100"  # in data/specialties.csv


def specialty_change(change_id, code=NEW, college="", source="department-2026.xlsx, 2026-07-01", **data):
    data = {"name_kk": "Парикмахерское искусство", "name_ru": "Парикмахерское искусство",
            "qualifications": [{"code": "4S10140102", "name_kk": "Парикмахер-стилист", "name_ru": "Парикмахер-стилист"}], **data}
    return {"id": change_id, "kind": "specialty", "college": college, "record_key": code, "data": data,
            "source": source, "checked_on": "2026-07-01", "published_on": "2026-07-02"}


def offering_change(change_id, specialty=NEW, college="ukvpk"):
    return {"id": change_id, "kind": "offering", "college": college, "record_key": specialty,
            "data": {"qualifications": ["10140102"], "languages": ["ru"], "study_months": 34}, "source": "",
            "checked_on": "2026-07-01", "published_on": "2026-07-02"}


def by_key(records, key, value):
    return next((r for r in records if r[key] == value), None)


# The editing database

OLD_SCHEMA = store.SCHEMA.replace(", 'specialty'", "")


def old_database(path):
    """An editing database as the previous version made it, with one change in it."""
    assert OLD_SCHEMA != store.SCHEMA
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.execute("insert into changes (college, kind, record_key, status, data, before, created_at, updated_at) "
                 "values ('ukvpk', 'offering', '07161100', 'draft', '{\"languages\": [\"kk\"]}', '{}', 'x', 'x')")
    conn.commit()
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("insert into changes (college, kind, record_key, status, data, before, created_at, updated_at) "
                     "values ('', 'specialty', '09160100', 'approved', '{}', '{}', 'x', 'x')")
    conn.close()


def test_an_existing_editing_database_is_migrated_once_and_keeps_its_changes(tmp_path):
    path = tmp_path / "editorial.db"
    old_database(path)
    conn = store.connect(path)
    assert [(c["id"], c["kind"], c["data"]) for c in store.list_changes(conn)] == [
        (1, "offering", {"languages": ["kk"]})]
    change_id = store.record_approved_change(conn, "", "specialty", NEW, {"name_ru": "Парикмахерское искусство"}, {}, "dept.xlsx")
    assert store.get_change(conn, change_id)["kind"] == "specialty"
    indexes = {r[0] for r in conn.execute("select name from sqlite_master where tbl_name = 'changes' and type = 'index'")}
    assert "changes_open" in indexes
    sql = conn.execute("select sql from sqlite_master where name = 'changes'").fetchone()[0]
    conn.close()
    again = store.connect(path)  # a second start changes nothing
    assert again.execute("select sql from sqlite_master where name = 'changes'").fetchone()[0] == sql
    assert [c["kind"] for c in store.list_changes(again)] == ["offering", "specialty"]
    with pytest.raises(sqlite3.IntegrityError):
        again.execute("insert into changes (college, kind, record_key, status, data, before, created_at, updated_at) "
                      "values ('', 'unknown', 'x', 'approved', '{}', '{}', 'x', 'x')")
    again.close()


def test_a_new_editing_database_takes_specialty_changes_from_both_store_functions(tmp_path):
    conn = store.connect(tmp_path / "editorial.db")
    draft = store.save_draft(conn, "editor@college.example", "ukvpk", "specialty", NEW,
                             {"name_kk": "", "name_ru": "Парикмахерское искусство", "qualifications": []}, {})
    assert (draft["kind"], draft["status"], draft["source"]) == ("specialty", "draft", "")
    assert store.open_change(conn, "ukvpk", "specialty", NEW)["id"] == draft["id"]
    imported = store.record_approved_change(conn, "", "specialty", "10140100", {"name_kk": "Шаштараз өнері"}, {},
                                            "department-2026.xlsx, 2026-07-01")
    assert [c["id"] for c in store.approved_changes(conn)] == [imported]
    conn.close()


# The overlay and the build

def test_the_codes_used_here_are_new_and_known():
    data, _, _ = load_overlaid(DATA)
    codes = {s["code"] for s in data["specialties"]}
    assert NEW not in codes and KNOWN in codes
    assert all(s["classifier_checked"] is True for s in data["specialties"])
    assert all(q["classifier_checked"] is True for q in data["qualifications"])


def test_a_new_specialty_and_an_offering_of_it_are_built(tmp_path):
    # The offering comes first: specialty changes are applied before any other.
    overlay = [offering_change(1), specialty_change(2, name_kk="", name_ru="Парикмахерское искусство")]
    build(DATA, tmp_path / "atlas.db", overlay)
    db = sqlite3.connect(tmp_path / "atlas.db")
    db.row_factory = sqlite3.Row
    specialty = dict(db.execute("select * from specialties where slug = ?", (NEW,)).fetchone())
    assert (specialty["code"], specialty["name_ru"], specialty["classifier_checked"]) == (NEW, "Парикмахерское искусство", 0)
    assert specialty["name_kk"] == "Парикмахерское искусство"  # the one name given, until someone writes the other
    assert db.execute("select classifier_checked from specialties where slug = ?", (KNOWN,)).fetchone()[0] == 1
    qualification = dict(db.execute("select * from qualifications where code = '10140102'").fetchone())
    assert (qualification["specialty"], qualification["level"], qualification["classifier_checked"]) == (NEW, "4S", 0)
    offering = db.execute("select languages, study_months from offerings where college = 'ukvpk' and specialty = ?",
                          (NEW,)).fetchone()
    assert tuple(offering) == ('["ru"]', 34)
    published = {r["change_id"]: dict(r) for r in db.execute("select * from published_changes")}
    assert published[2]["kind"] == "specialty" and published[2]["source"] == "department-2026.xlsx, 2026-07-01"
    assert published[2]["fields"] == '["specialty", "10140102"]'


def test_a_specialty_data_has_is_never_rewritten_but_gains_missing_qualifications():
    before, _, _ = load_overlaid(DATA)
    known = by_key(before["specialties"], "slug", KNOWN)
    change = specialty_change(1, code=KNOWN, name_kk="Басқа атау", name_ru="Другое название",
                              qualifications=[{"code": "07161101", "name_ru": "Переименованная"},
                                              {"code": "3W07161109", "name_ru": "Новая квалификация"}])
    data, _, published = load_overlaid(DATA, [change])
    after = by_key(data["specialties"], "slug", KNOWN)
    assert {k: after[k] for k in ("name_kk", "name_ru", "classifier_checked", "source")} == \
        {k: known[k] for k in ("name_kk", "name_ru", "classifier_checked", "source")}
    assert by_key(data["qualifications"], "code", "07161101") == by_key(before["qualifications"], "code", "07161101")
    added = by_key(data["qualifications"], "code", "07161109")
    assert (added["specialty"], added["level"], added["classifier_checked"]) == (KNOWN, "3W", False)
    assert published[0]["fields"] == '["07161109"]'


def test_a_later_change_renames_a_specialty_an_earlier_change_added():
    first = specialty_change(1, name_kk="", name_ru="Парикмахерское искусство (черн.)")
    second = specialty_change(2, name_kk="Парикмахерское искусство", name_ru="Парикмахерское искусство", qualifications=[])
    data, _, _ = load_overlaid(DATA, [first, second])
    record = by_key(data["specialties"], "slug", NEW)
    assert (record["name_kk"], record["name_ru"]) == ("Парикмахерское искусство", "Парикмахерское искусство")
    assert [s["slug"] for s in data["specialties"]].count(NEW) == 1


@pytest.mark.parametrize("change, field", [
    (specialty_change(7, code="1014010"), "code"),
    (specialty_change(7, name_kk="", name_ru=""), "name_kk"),
    (specialty_change(7, qualifications=[{"code": "07161109", "name_ru": "Чужая"}]), "code"),
    (specialty_change(7, qualifications=[{"code": "7W10140102", "name_ru": "Уровень"}]), "code"),
])
def test_a_bad_specialty_change_is_refused_by_the_build_naming_the_change(change, field):
    with pytest.raises(DataError) as error:
        load_overlaid(DATA, [change])
    assert any(p.file == "editing area change 7" and p.field == field for p in error.value.problems)


def test_a_qualification_of_another_specialty_is_not_moved():
    change = specialty_change(7, qualifications=[{"code": "07161101", "name_ru": "Чужая"}])
    data, _, published = load_overlaid(DATA, [change])
    assert by_key(data["qualifications"], "code", "07161101")["specialty"] == KNOWN
    assert published[0]["fields"] == '["specialty"]'


def test_an_offering_of_a_specialty_nobody_added_is_still_refused():
    with pytest.raises(DataError) as error:
        load_overlaid(DATA, [offering_change(3)])
    assert any(p.field == "specialty" and NEW in p.message for p in error.value.problems)


def test_publish_builds_an_imported_specialty_from_the_editing_database(tmp_path):
    conn = store.connect(tmp_path / "editorial.db")
    store.record_approved_change(conn, "", "specialty", NEW, specialty_change(0)["data"], {},
                                 "department-2026.xlsx, 2026-07-01")
    meta, count = publish(conn, DATA, tmp_path / "atlas.db", "admin@edu.example")
    assert count == 1
    db = sqlite3.connect(tmp_path / "atlas.db")
    assert db.execute("select classifier_checked from specialties where slug = ?", (NEW,)).fetchone() == (0,)
    assert [as_overlay(c)["kind"] for c in store.approved_changes(conn)] == ["specialty"]
    conn.close()


@pytest.mark.parametrize("typed, expected", [
    ("07161100", "07161100"), (" 0716 1100 ", "07161100"), ("0716110", None), ("07161101", None), ("", None),
    ("абв", None),
])
def test_specialty_codes_as_typed(typed, expected):
    assert specialty_code(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("07161101", ("", "07161101")), ("3W07161101", ("3W", "07161101")), ("4s 0716 1103", ("4S", "07161103")),
    ("5АВ07161104", ("5AB", "07161104")),  # Cyrillic А and В, as a table may have them
    ("5AB07161104", ("5AB", "07161104")), ("07161100", None), ("6X07161101", None), ("0716110", None), ("", None),
])
def test_qualification_codes_as_typed(typed, expected):
    assert qualification_code(typed) == expected


def test_a_college_a_change_creates_takes_its_town_and_needs_one():
    fields = {"name_kk": "Сынақ колледжі", "name_ru": "Тестовый колледж"}
    created = {"id": 5, "kind": "college", "college": "test-college", "record_key": "test-college",
               "data": {**fields, "town": "oskemen"}, "source": "colleges.xlsx, 2026-07-01",
               "checked_on": "2026-07-01", "published_on": "2026-07-02"}
    data, _, _ = load_overlaid(DATA, [created])
    assert by_key(data["colleges"], "slug", "test-college")["town"] == "oskemen"
    with pytest.raises(DataError) as error:
        load_overlaid(DATA, [{**created, "data": fields}])
    assert any(p.file == "editing area change 5" and p.field == "town" for p in error.value.problems)
