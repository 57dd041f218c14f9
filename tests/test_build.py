"""The build: data/ -> validated, atomically replaced SQLite database."""

import shutil
import sqlite3

import pytest

from atlas import create_app
from atlas.dataset.build import build, build_id_for
from atlas.dataset.sources import DataError
from atlas.queries.clauses import where
from atlas.queries.pages import list_profession_items

from .conftest import DATA, blank_kazakh_summary, edit_csv


def test_build_writes_every_table(db_path):
    db = sqlite3.connect(db_path)
    counts = {t: db.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("professions", "specialties", "qualifications", "colleges", "employers", "sectors",
                        "region_figures", "search_docs", "search_fts", "profession_specialties")}
    assert all(counts.values()), counts
    assert counts["search_docs"] == sum(counts[t] for t in ("professions", "specialties", "colleges", "employers"))


def test_build_id_depends_only_on_data(data_copy):
    assert build_id_for(DATA) == build_id_for(data_copy)
    edit_csv(data_copy / "towns.csv", "Зайсан,Зайсан", "Зайсан,Зайсан ")
    assert build_id_for(DATA) != build_id_for(data_copy)


def problems_for(data_dir, tmp_path):
    with pytest.raises(DataError) as caught:
        build(data_dir, tmp_path / "out.db")
    return [str(p) for p in caught.value.problems]


SO_HEADER = "year,college,specialty,places,source\n"
# (file, old text, new text, what the message must say)
BROKEN = [
    ("towns.csv", "ridder,Риддер,Риддер", "oskemen,Риддер,Риддер", "data/towns.csv: line 3: field 'slug': 'oskemen' is used twice"),
    ("colleges.csv", "ukvpk,Өскемен жоғары политехникалық колледжі,Усть-Каменогорский высший политехнический колледж,oskemen",
     "ukvpk,Өскемен жоғары политехникалық колледжі,Усть-Каменогорский высший политехнический колледж,oskmen",
     "data/colleges.csv: line 2: field 'town': 'oskmen' is not in data/towns"),
    ("specialties.csv", "07161100,07161100,", "07161100,0716110,", "field 'code': '0716110' is not a specialty code"),
    ("qualifications.csv", "07161101,07161100,,", "07161101,07161100,4X,", "field 'level': '4X' must be 3W, 4S, 5AB or empty"),
    ("qualifications.csv", "07150501,07150500,", "07160501,07150500,", "does not start with its specialty's code 071505"),
    ("towns.csv", "zaisan,Зайсан,Зайсан", "zaisan,,Зайсан", "data/towns.csv: line 6: field 'name_kk': is empty"),
    ("offerings.csv", "ukmtk,07150500,,,,,,", "ukmtk,07150500,,,10,,,", "field 'entry_grades': '10' must be 9 or 11"),
    ("offerings.csv", "paid_places", "places_2025,paid_places",
     "data/offerings.csv: line 1: field 'places_2025': state-order places are rows of data/state_order.csv"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07150500,9000,kasipodaq-119391\n",
     "data/state_order.csv: line 2: field 'places': 9000 is out of range (0 to 5000)"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07150500,many,kasipodaq-119391\n",
     "data/state_order.csv: line 2: field 'places': 'many' is not a whole number"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "1999,ukmtk,07150500,25,kasipodaq-119391\n",
     "data/state_order.csv: line 2: field 'year': must be a year from 2000 to 2100"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07161100,25,kasipodaq-119391\n",
     "data/state_order.csv: line 2: field 'specialty': 'ukmtk/07161100' is not an offering of data/offerings.csv"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07150500,25,kasipodaq-119391\n2026,ukmtk,07150500,30,kasipodaq-119391\n",
     "data/state_order.csv: line 3: field 'year': 2026 is given twice for this offering (also line 2)"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07150500,25,\n", "data/state_order.csv: line 2: field 'source': every figure needs its source"),
    ("state_order.csv", SO_HEADER, SO_HEADER + "2026,ukmtk,07150500,25,no-such-source\n",
     "data/state_order.csv: line 2: field 'source': 'no-such-source' is not in data/sources"),
    ("offerings.csv", "kasipodaq-119391,yes", "kasipodaq-119391,maybe", "field 'verified': 'maybe' is not yes or no"),
    ("employers.csv", "vosca,Vosca,Vosca,,,,zakon-2025-12-19,yes", "vosca,Vosca,Vosca,,,,,yes", "field 'source': a verified record needs its source"),
    ("region_figures.csv", "graduate_employment,2025,86.8,", "graduate_employment,2025,186.8,", "a percentage cannot exceed 100"),
    ("professions/welder.yaml", "status: in_demand", "status: hot", "field 'status': 'hot' must be one of"),
    ("professions/welder.yaml", "sector: manufacturing", "sector: metalwork", "field 'sector': 'metalwork' is not in data/sectors"),
    ("professions/welder.yaml", "riasec:", "riasec: RRX #", "field 'riasec'"),
    ("professions/welder.yaml", "slug: welder", "slug: welder-2", "field 'slug': must match the file name 'welder'"),
    ("professions/welder.yaml", "related:", "colour: blue\nrelated:", "field 'colour': unknown key"),
    ("professions/welder.yaml", "specialty: \"07150500\"", "specialty: \"07150599\"", "specialty '07150599' is not in data/specialties.csv"),
]


@pytest.mark.parametrize("file, old, new, message", BROKEN, ids=[b[3][:40] for b in BROKEN])
def test_each_error_names_file_line_and_field(data_copy, tmp_path, file, old, new, message):
    edit_csv(data_copy / file, old, new)
    found = problems_for(data_copy, tmp_path)
    assert any(message in p for p in found), found


def test_missing_kazakh_is_allowed_when_marked_awaiting_translation(data_copy, tmp_path):
    blank_kazakh_summary(data_copy, awaiting=False)
    assert any("field 'summary_kk': is empty" in p for p in problems_for(data_copy, tmp_path))
    card = data_copy / "professions" / "welder.yaml"
    card.write_text(card.read_text(encoding="utf-8") + "awaiting_translation: kk\n", encoding="utf-8")
    build(data_copy, tmp_path / "ok.db")


def test_profession_without_study_route_must_say_so(data_copy, tmp_path):
    card = data_copy / "professions" / "beekeeper.yaml"
    text = card.read_text(encoding="utf-8")
    start, end = text.index("study_note_kk:"), text.index("study_note_ru:")
    card.write_text(text[:start] + "study_note_kk: ''\n" + text[end:], encoding="utf-8")
    assert any("beekeeper" in p and "study_note_kk" in p for p in problems_for(data_copy, tmp_path))


def test_failed_build_leaves_the_old_database_untouched(data_copy, tmp_path):
    target = tmp_path / "atlas.db"
    build(data_copy, target)
    before = target.read_bytes()
    edit_csv(data_copy / "towns.csv", "ridder,Риддер,Риддер", "ridder,,")
    with pytest.raises(DataError):
        build(data_copy, target)
    assert before == target.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_cli_build_reports_problems_and_exits_non_zero(runner, data_copy, tmp_path):
    edit_csv(data_copy / "towns.csv", "ridder,Риддер,Риддер", "ridder,,Риддер")
    result = runner.invoke(args=["build", "--data", str(data_copy), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "data/towns.csv: line 3: field 'name_kk': is empty" in result.output
    assert not (tmp_path / "x.db").exists()


def test_cli_build_and_check_data_succeed_on_shipped_data(runner, tmp_path):
    result = runner.invoke(args=["build", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.db").exists()
    result = runner.invoke(args=["check-data"])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)." in result.output


def test_state_order_is_a_table_of_one_row_a_year_indexed_by_offering(data_copy, tmp_path):
    edit_csv(data_copy / "state_order.csv", SO_HEADER, SO_HEADER + "2025,ukmtk,07150500,20,kasipodaq-119391\n"
             "2026,ukmtk,07150500,25,kasipodaq-119391\n")
    build(data_copy, tmp_path / "out.db")
    db = sqlite3.connect(tmp_path / "out.db")
    assert db.execute("select year, college, specialty, places, source from state_order order by year").fetchall() == [
        (2025, "ukmtk", "07150500", 20, "kasipodaq-119391"), (2026, "ukmtk", "07150500", 25, "kasipodaq-119391")]
    indexed = [db.execute(f"pragma index_info({name!r})").fetchall() for (name,) in db.execute(
        "select name from pragma_index_list('state_order')")]
    assert any([column[2] for column in index] == ["college", "specialty"] for index in indexed)
    assert "places_2025" not in [c[1] for c in db.execute("pragma table_info(offerings)")]


def test_profession_list_is_every_card_in_each_language_in_name_order(db_path):
    """The lists' narrow table says what the wide one does: every card once a language, in the
    order of its name in that language (ignoring case), the other language's text where one is
    empty, and the summary cut at a word before 160 characters, without the punctuation the cut
    left, and with an ellipsis (the template's truncate left "уборки...." and "От...")."""
    db = sqlite3.connect(db_path)
    for lang, other in (("kk", "ru"), ("ru", "kk")):
        listed = db.execute("select slug, name, teaser from profession_list where lang = ? order by position",
                            (lang,)).fetchall()
        wide = db.execute(f"""select slug, coalesce(nullif(name_{lang}, ''), name_{other}),
                                     coalesce(nullif(summary_{lang}, ''), summary_{other})
                              from professions order by name_{lang} collate nocase""").fetchall()
        assert [r[0] for r in listed] == [r[0] for r in wide]
        assert [r[1] for r in listed] == [r[1] for r in wide]
        for (_, _, teaser), (_, _, summary) in zip(listed, wide):
            if len(summary) <= 160:
                assert teaser == summary
            else:
                assert len(teaser) <= 161 and teaser.endswith("…") and summary.startswith(teaser[:-1])
                assert not teaser[:-1].endswith((".", ",", ";", ":", " ", "—")) and summary[len(teaser) - 1] in " ,.;:—–-"
        assert any(len(r[2]) > 160 for r in wide), "no summary long enough to be cut: the check proves nothing"


@pytest.mark.parametrize("sector, status", [(None, None), ("energy", None), (None, "new"), ("energy", "in_demand"),
                                            ("nope", None)])
def test_the_list_page_reads_the_list_table_as_one_array(db_path, sector, status):
    """The list page reads the professions as the one JSON array a language that the build
    writes beside the list's table: the same rows, in the same order, filtered the same way."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    for lang in ("kk", "ru"):
        rows = db.execute(f"""select '/p/' || slug, name, status, sector_name, teaser from profession_list
                              {where(lang=lang, sector=sector, status=status)} order by position""",
                          {"lang": lang, "sector": sector, "status": status}).fetchall()
        assert list_profession_items(db, lang, "/p/", sector=sector, status=status) == rows
        assert rows or sector == "nope"


def test_profession_list_shows_the_other_language_where_a_card_lacks_one(data_copy, tmp_path):
    blank_kazakh_summary(data_copy)
    build(data_copy, tmp_path / "ok.db")
    db = sqlite3.connect(tmp_path / "ok.db")
    kk, ru = (db.execute("select teaser from profession_list where lang = ? and slug = 'welder'", (lang,)).fetchone()[0]
              for lang in ("kk", "ru"))
    assert kk == ru and ru


def test_every_card_is_written_as_the_document_its_pages_read(db_path):
    """A card page reads the one JSON document the build wrote of it: the same card, value for
    value, as gathered from the tables (nothing JSON would change: no tuple keys, no sets)."""
    from atlas.queries.cards import gather_profession_card, get_profession_card

    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    slugs = [r[0] for r in db.execute("select slug from professions")]
    assert db.execute("select count(*) from profession_cards").fetchone()[0] == 2 * len(slugs)
    for slug in slugs:
        for lang in ("kk", "ru"):
            assert get_profession_card(db, lang, slug) == gather_profession_card(db, lang, slug)
    assert get_profession_card(db, "kk", "no-such-card") is None
    origins = [o for slug in slugs for route in get_profession_card(db, "ru", slug)["routes"]
               for o in route["origins"].values()]
    assert origins, "no card names where an offering comes from: the check proves nothing"


def test_a_database_built_before_the_documents_serves_the_same_card_and_list(db_path, tmp_path):
    """A database built before the cards were written whole (no `profession_cards`) and before
    the list's array was kept as UTF-16 (JSON text then) still serves the cards and the list, the same."""
    older = tmp_path / "older.db"
    shutil.copy(db_path, older)
    db = sqlite3.connect(older)
    db.execute("drop table profession_cards")
    for lang, stored in db.execute("select lang, items from profession_list_json").fetchall():
        db.execute("update profession_list_json set items = ? where lang = ?", [stored.decode("utf-16-le"), lang])
    db.commit()
    assert db.execute("select typeof(items) from profession_list_json").fetchall() == [("text",), ("text",)]
    db.close()
    new, old = (create_app({"TESTING": True, "DATABASE": str(path)}).test_client() for path in (db_path, older))
    slugs = [r[0] for r in sqlite3.connect(db_path).execute("select slug from professions limit 5")]
    for url in ["/ru/professions/", "/kk/professions/?status=new"] + [f"/{lang}/professions/{slug}" for slug in slugs
                                                                      for lang in ("kk", "ru")]:
        answer = old.get(url)
        assert answer.status_code == 200, url
        assert answer.data == new.get(url).data, url
