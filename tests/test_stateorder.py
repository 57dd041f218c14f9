"""`atlas import state-order` and its admin page: good CSV and XLSX files, every kind of bad row
reported by row and column, hostile files refused before parsing, a re-import that changes
nothing, and a dry run that leaves the editing database byte for byte as it was."""

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest

from atlas.dataset.build import load_valid
from atlas.stateorder import FileRefused, prepare
from atlas.stateorder.reader import MAX_BYTES, MAX_ROWS

from .conftest import DATA

HEADER = "year,college,specialty_code,qualification_codes,language,places"
NEXT_YEAR = date.today().year + 1
# How a report names two offerings of GOOD: the college by its name, then the specialty's code (and its name).
WELDING_AT_UKMTK = "Усть-Каменогорский многопрофильный технологический колледж, 07150500"
DRONES_AT_UKVPK = "Өскемен жоғары политехникалық колледжі, 07161100"
GOOD = [HEADER, "2025,ukmtk,07150500,,kk,25", "2025,ukmtk,07150500,,ru,20",
        "2025,Өскемен жоғары политехникалық колледжі,07161100,,both,15"]


@pytest.fixture(scope="module")
def data():
    return load_valid(DATA)


def xlsx(rows, formula=None, merged=False, date_cell=False):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r in rows:
        sheet.append(r)
    if formula:
        sheet["F2"] = formula
    if merged:
        sheet.merge_cells("A2:B2")
    if date_cell:
        import datetime
        sheet["F2"] = datetime.date(2025, 5, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(lines):
    return [line.split(",") for line in lines]


def test_good_csv_plans_new_and_changed_offerings(data):
    changes, problems = prepare("so.csv", "\n".join(GOOD).encode(), data)
    assert problems == []
    by_key = {(c.college, c.specialty): c for c in changes}
    welding = by_key[("ukmtk", "07150500")]
    assert welding.data == {"places_2025": 45, "languages": ["kk", "ru"]} and not welding.new
    assert by_key[("ukvpk", "07161100")].new


def test_semicolons_bom_and_any_header_order(data):
    text = "\ufeff Places ;LANGUAGE;college;Year;specialty_code;qualification_codes\n25;kk;ukmtk;2025;07150500;\n"
    changes, problems = prepare("so.csv", text.encode("utf-8"), data)
    assert problems == [] and changes[0].data["places_2025"] == 25


def test_any_year_up_to_next_year_becomes_a_places_field(data):
    lines = [HEADER, "2009,ukmtk,07150500,,kk,12", f"{NEXT_YEAR},ukmtk,07150500,,kk,30", f"{NEXT_YEAR},ukmtk,07150500,,ru,5"]
    changes, problems = prepare("so.csv", "\n".join(lines).encode(), data)
    assert problems == [] and changes[0].data == {"places_2009": 12, f"places_{NEXT_YEAR}": 35, "languages": ["kk", "ru"]}


def test_good_xlsx_with_numbers_and_a_dropped_leading_zero(data):
    content = xlsx([HEADER.split(","), [2025, "ukmtk", 7150500, None, "kk", 25]])
    changes, problems = prepare("so.xlsx", content, data)
    assert problems == [] and changes[0].specialty == "07150500"


@pytest.mark.parametrize("line, column, reason", [
    ("2025,nowhere,07150500,,kk,25", "college", "is not a college"),
    ("2025,ukmtk,99999900,,kk,25", "specialty_code", "is not a specialty"),
    ("2025,ukmtk,07150500,07161101,kk,25", "qualification_codes", "is not a qualification of 07150500"),
    ("2025,ukmtk,07150500,,en,25", "language", "must be kk, ru or both"),
    ("2025,ukmtk,07150500,,kk,-5", "places", "cannot be negative"),
    ("2025,ukmtk,07150500,,kk,100000", "places", "is not plausible"),
    ("2025,ukmtk,07150500,,kk,many", "places", "is not a whole number"),
    ("1999,ukmtk,07150500,,kk,5", "year", "1999 is not a year from 2000 to"),
    (f"{NEXT_YEAR + 1},ukmtk,07150500,,kk,5", "year", f"{NEXT_YEAR + 1} is not a year from 2000 to {NEXT_YEAR}"),
    ("2025,ukmtk,07150500,,kk,=SUM(1;2)", "places", "a formula"),
])
def test_bad_rows_are_reported_by_row_and_column(data, line, column, reason):
    changes, problems = prepare("so.csv", "\n".join([*GOOD, line]).encode(), data)
    assert changes == []  # one bad row: nothing at all is written
    assert [(p.row, p.column) for p in problems] == [(5, column)]
    assert reason in problems[0].msgid % problems[0].params


@pytest.mark.parametrize("kind", ["formula", "date"])
def test_xlsx_formulas_and_dates_are_refused_by_cell(data, kind):
    rows = [HEADER.split(","), [2025, "ukmtk", "07150500", None, "kk", 1]]
    content = xlsx(rows, formula="=2*10" if kind == "formula" else None, date_cell=kind == "date")
    changes, problems = prepare("so.xlsx", content, data)
    assert changes == [] and [(p.row, p.column) for p in problems] == [(2, "places")]


@pytest.mark.parametrize("name, content, reason", [
    ("so.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook"),
    ("so.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100), "not an Excel workbook"),
    ("so.pdf", b"%PDF-1.4", "Only .csv and .xlsx"),
    ("so.csv", b"\xff\xfe\x00y\x00e", "not a CSV table"),
    ("so.csv", "year;college\n".encode("cp1251") + "Өскемен".encode("utf-8")[:1] + b"\xe9", "not in UTF-8"),
    ("so.csv", b"", "empty"),
    ("so.csv", b"a,b,c\n1,2,3\n", "missing: year"),
    ("so.csv", (HEADER + "\n").encode(), "no rows"),
    ("so.csv", b"x" * (MAX_BYTES + 1), "larger than"),
    ("so.csv", (HEADER + "\n" + "2025,ukmtk,07150500,,kk,1\n" * (MAX_ROWS + 5)).encode(), "more than"),
    ("so.csv", (HEADER + "," + ",".join(f"c{i}" for i in range(40)) + "\n").encode(), "columns"),
])
def test_hostile_files_are_refused_with_a_reason(data, name, content, reason):
    with pytest.raises(FileRefused) as error:
        prepare(name, content, data)
    assert reason in error.value.msgid % error.value.params


def test_zip_bomb_is_refused_before_inflating(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(FileRefused) as error:
        prepare("bomb.xlsx", buffer.getvalue(), data)
    assert "zip bomb" in error.value.msgid


def test_merged_cells_are_refused(data):
    content = xlsx([HEADER.split(","), [2025, "ukmtk", "07150500", None, "kk", 1]], merged=True)
    with pytest.raises(FileRefused) as error:
        prepare("so.xlsx", content, data)
    assert "merged cells" in error.value.msgid


def test_huge_sheet_dimension_is_refused(data):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.cell(row=MAX_ROWS + 10, column=1, value=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FileRefused) as error:
        prepare("so.xlsx", buffer.getvalue(), data)
    assert "rows" in error.value.msgid


@pytest.fixture()
def cli_env(tmp_path, monkeypatch):
    editorial = tmp_path / "editorial.db"
    monkeypatch.setenv("ATLAS_EDITORIAL_DATABASE", str(editorial))
    table = tmp_path / "state-order-2025.csv"
    table.write_text("\n".join(GOOD), encoding="utf-8")
    return editorial, table


def run(app, *args):
    from atlas.console import cli

    runner = app.test_cli_runner()
    return runner.invoke(cli, ["import", "state-order", *map(str, args)], catch_exceptions=False)


@pytest.fixture()
def import_app(cli_env):
    from atlas import create_app

    return create_app({"TESTING": True, "EDITORIAL_DATABASE": str(cli_env[0])})


def test_import_then_reimport_changes_nothing(import_app, cli_env):
    editorial, table = cli_env
    first = run(import_app, table, "--lang", "ru")
    assert first.exit_code == 0 and WELDING_AT_UKMTK in first.output
    from atlas.editorial import store

    conn = store.connect(str(editorial))
    changes = store.approved_changes(conn)
    conn.close()
    assert len(changes) == 2 and all(c["source"].startswith(
        "the education department's state-order table state-order-2025.csv, imported ") for c in changes)
    before = editorial.read_bytes()
    second = run(import_app, table, "--lang", "ru")
    assert second.exit_code == 0 and WELDING_AT_UKMTK not in second.output
    assert editorial.read_bytes() == before


def test_an_import_that_fails_half_way_writes_nothing(import_app, cli_env, monkeypatch):
    """Regression: each offering was its own transaction, so a failure left half an import."""
    editorial, table = cli_env
    from atlas.editorial import store

    real, calls = store.record_approved_change, []

    def failing_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "record_approved_change", failing_second)
    with pytest.raises(RuntimeError):
        run(import_app, table, "--lang", "ru")
    conn = store.connect(str(editorial))
    assert store.approved_changes(conn) == [] and len(calls) == 2
    conn.close()


def test_dry_run_leaves_the_editing_database_byte_identical(import_app, cli_env):
    editorial, table = cli_env
    from atlas.editorial import store

    store.connect(str(editorial)).close()
    before = editorial.read_bytes()
    result = run(import_app, table, "--dry-run", "--lang", "kk")
    assert result.exit_code == 0 and DRONES_AT_UKVPK in result.output
    assert editorial.read_bytes() == before


@pytest.mark.parametrize("lang, reason", [("kk", "орын саны теріс бола алмайды"),
                                          ("ru", "число мест не может быть отрицательным")])
def test_the_reason_of_a_problem_is_translated_too(import_app, cli_env, lang, reason):
    """Regression: the row and column were translated but the reason stayed in English."""
    _, table = cli_env
    table.write_text("\n".join([*GOOD, "2025,ukmtk,07150500,,kk,-1"]), encoding="utf-8")
    result = run(import_app, table, "--dry-run", "--lang", lang)
    assert reason in result.output and "cannot be negative" not in result.output


@pytest.mark.parametrize("lang, words", [("kk", "жол"), ("ru", "строка")])
def test_problems_in_the_chosen_language(import_app, cli_env, lang, words):
    _, table = cli_env
    table.write_text("\n".join([*GOOD, "2025,ukmtk,07150500,,kk,-1"]), encoding="utf-8")
    result = run(import_app, table, "--dry-run", "--lang", lang)
    assert result.exit_code == 1 and words in result.output and "places" in result.output


def test_readme_documents_the_import_and_its_template():
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert "atlas import state-order" in readme and "template" in readme


# The administrator's page: upload, dry run, apply.

@pytest.fixture()
def site(tmp_path, tmp_path_factory):
    from tests.editorial_helpers import add_account, built_data, make_site

    app, conn = make_site(tmp_path, built_data(tmp_path_factory), STATE_ORDER_UPLOADS=str(tmp_path / "uploads"))
    add_account(conn, "admin@example.kz", role="admin")
    add_account(conn, "editor@example.kz")
    return app, conn, tmp_path / "editorial.db"


def upload(client, name, content, lang="ru"):
    from tests.editorial_helpers import token

    page = client.get(f"/{lang}/manage/import/")
    return client.post(f"/{lang}/manage/import/", data={"csrf_token": token(page), "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_admin_uploads_sees_the_dry_run_then_applies(site):
    from tests.editorial_helpers import login, token

    app, conn, editorial = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="ru")
    before = editorial.read_bytes()
    report = upload(client, "state-order-2025.xlsx", xlsx(rows_of(GOOD)))
    assert report.status_code == 200 and WELDING_AT_UKMTK in report.get_data(as_text=True)
    assert editorial.read_bytes() == before  # the dry run wrote nothing
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', report.get_data(as_text=True)).group(1)
    applied = client.post("/ru/manage/import/apply", data={"csrf_token": token(report), "digest": digest,
                                                            "extension": "xlsx", "name": "state-order-2025.xlsx"})
    assert applied.status_code == 200
    sources = {c["source"] for c in store_changes(conn)}
    assert sources == {f"the education department's state-order table state-order-2025.xlsx, imported "
                       f"{date.today().isoformat()} by admin@example.kz"}
    again = upload(client, "state-order-2025.xlsx", xlsx(rows_of(GOOD)))
    assert "Менять нечего" in again.get_data(as_text=True) and 'name="digest"' not in again.get_data(as_text=True)


def test_abandoned_uploads_are_removed_after_a_day(site, tmp_path):
    import os
    import time

    from tests.editorial_helpers import login

    app, _, _ = site
    folder = tmp_path / "uploads"
    folder.mkdir(exist_ok=True)
    stale, fresh = folder / f"{'a' * 64}.csv", folder / f"{'b' * 64}.csv"
    stale.write_text("x")
    fresh.write_text("x")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)
    client = app.test_client()
    login(client, "admin@example.kz")
    upload(client, "so.csv", "\n".join(GOOD).encode())
    assert not stale.exists() and fresh.exists()


def store_changes(conn):
    from atlas.editorial import store

    return store.approved_changes(conn)


def test_bad_file_gets_its_problems_and_no_apply_button(site):
    from tests.editorial_helpers import login

    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="kk")
    response = upload(client, "so.csv", "\n".join([*GOOD, "2025,ukmtk,07150500,,kk,-1"]).encode(), lang="kk")
    assert response.status_code == 422 and "5-жол, F «places» бағаны" in response.get_data(as_text=True)
    assert 'name="digest"' not in response.get_data(as_text=True)
    refused = upload(client, "so.xlsx", b"PK\x03\x04junk", lang="kk")
    assert refused.status_code == 422 and "Excel" in refused.get_data(as_text=True)


@pytest.mark.parametrize("data", [{"digest": "../../etc/passwd", "extension": "csv"},
                                  {"digest": "a" * 64, "extension": "exe"}, {"digest": "a" * 64, "extension": "csv"}, {}])
def test_apply_with_unexpected_parameters_is_a_clear_error(site, data):
    from tests.editorial_helpers import login, token

    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz")
    page = client.get("/kk/manage/import/")
    response = client.post("/kk/manage/import/apply", data={"csrf_token": token(page), **data})
    assert response.status_code in (400, 404)


def test_only_administrators_may_import(site):
    from tests.editorial_helpers import login

    app, _, _ = site
    client = app.test_client()
    assert client.get("/kk/manage/import/").status_code == 302  # anonymous: to the login page
    login(client, "editor@example.kz")
    assert client.get("/kk/manage/import/").status_code == 403


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_templates_download_and_import_cleanly(site, data, kind):
    from tests.editorial_helpers import login

    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz")
    response = client.get(f"/kk/manage/import/template.{kind}")
    assert response.status_code == 200
    with pytest.raises(FileRefused) as error:  # the template is a header with no rows yet
        prepare(f"t.{kind}", response.data, data)
    assert "no rows" in error.value.msgid
    if kind == "xlsx":
        sheets = openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames
        assert sheets == ["state-order", "Нұсқаулық", "Инструкция"]


def test_entity_expansion_in_a_workbook_is_refused(data):
    """A "billion laughs" sheet: openpyxl parses through defusedxml, which refuses entity declarations."""
    content = xlsx([HEADER.split(","), [2025, "ukmtk", "07150500", None, "kk", 1]])
    source = zipfile.ZipFile(io.BytesIO(content))
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet".encode(), 1)
            target.writestr(item.filename, body)
    with pytest.raises(FileRefused) as error:
        prepare("laughs.xlsx", buffer.getvalue(), data)
    assert "not an Excel workbook" in error.value.msgid


@pytest.mark.parametrize("locale, words", [("ru_RU.UTF-8", "строка 5"), ("kk_KZ.UTF-8", "5-жол"), ("C.UTF-8", "5-жол")])
def test_report_follows_the_terminal_locale(import_app, cli_env, monkeypatch, locale, words):
    _, table = cli_env
    table.write_text("\n".join([*GOOD, "2025,ukmtk,07150500,,kk,-1"]), encoding="utf-8")
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", locale)
    assert words in run(import_app, table, "--dry-run").output


def test_a_2026_import_goes_public_at_the_next_publish_and_the_card_shows_its_year(site):
    """The whole way of a new year's table: upload, apply, publish; the card shows the latest year
    with its figure, the API lists every year newest first, and the same file again changes nothing."""
    from tests.editorial_helpers import login, token

    app, conn, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="ru")
    table = "\n".join([HEADER, "2025,ukmtk,07150500,,kk,20", "2026,ukmtk,07150500,,kk,25",
                       "2026,ukmtk,07150500,,ru,5"]).encode()
    report = upload(client, "state-order-2026.csv", table)
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', report.get_data(as_text=True)).group(1)
    applied = client.post("/ru/manage/import/apply", data={"csrf_token": token(report), "digest": digest,
                                                            "extension": "csv", "name": "state-order-2026.csv"})
    assert applied.status_code == 200
    assert store_changes(conn)[-1]["data"] == {"places_2025": 20, "places_2026": 30, "languages": ["kk", "ru"]}
    public = app.test_client()
    assert "30 (2026)" not in public.get("/ru/professions/welder").get_data(as_text=True)  # not before publishing
    assert app.test_cli_runner().invoke(args=["publish"]).exit_code == 0
    card = public.get("/ru/professions/welder").get_data(as_text=True)
    # "Where to study" (the college is named in "How to get in" too, before it)
    row = card.split('class="study"', 1)[1].split('href="/ru/colleges/ukmtk"', 1)[1].split("</tr>", 1)[0]
    assert "30 (2026)" in row and "(2025)" not in row
    # where the figure comes from, under the college's name (the card's document keys it by college)
    assert f"из таблицы госзаказа управления образования (state-order-2026.csv), загружено {date.today().isoformat()}" in row
    assert "30 (2026)" in public.get("/kk/colleges/ukmtk").get_data(as_text=True)
    assert "30 (2026)" in public.get("/ru/specialties/07150500").get_data(as_text=True)
    assert "Места по госзаказу, 2026" in public.get("/ru/changes").get_data(as_text=True)
    record = public.get("/api/v1/colleges/ukmtk").get_json()
    offering = next(o for o in record["offerings"] if o["specialty"] == "07150500")
    source = (f"the education department's state-order table state-order-2026.csv, imported {date.today().isoformat()} "
              "by admin@example.kz")
    assert offering["state_order"] == [{"year": 2026, "places": 30, "source": source},
                                       {"year": 2025, "places": 20, "source": source}]
    origins = {(p["record"], p["field"]): p for p in record["provenance"]}
    assert origins[("ukmtk/07150500", "places_2026")]["origin"] == "public"
    assert origins[("ukmtk/07150500", "places_2026")]["source"] == source
    again = upload(client, "state-order-2026.csv", table)
    assert "Менять нечего" in again.get_data(as_text=True) and 'name="digest"' not in again.get_data(as_text=True)
