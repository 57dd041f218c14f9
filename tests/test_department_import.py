"""The department's real tables go in whole: its registry of colleges and its state-order table as
clerks fill them (official long names in both languages, BINs, Russian and Kazakh headers, codes the
atlas does not ship), with decisions for what cannot be placed, remembered for the next file."""

import re

import pytest

from atlas.stateorder import cells, headers, matching
from atlas.stateorder.cells import Bad
from tests import department_tables as tables
from tests.editorial_helpers import add_account, built_data, login, make_site, token


@pytest.fixture()
def site(tmp_path, tmp_path_factory):
    app, conn = make_site(tmp_path, built_data(tmp_path_factory), STATE_ORDER_UPLOADS=str(tmp_path / "uploads"))
    add_account(conn, "admin@example.kz", role="admin")
    return app, conn, tmp_path


def run(app, *args):
    from atlas.console import cli

    return app.test_cli_runner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def write(folder, name, content):
    path = folder / name
    path.write_bytes(content)
    return path


def approved(conn):
    from atlas.editorial import store

    return store.approved_changes(conn)


# The BIN's check digit, the names, the headers and the cells, one at a time.

def first_pass_ten():
    """A BIN whose first pass gives 10, so that the second pass decides."""
    for serial in range(10 ** 6):
        base = [int(d) for d in f"{serial:011d}"]
        if sum(w * d for w, d in zip(range(1, 12), base)) % 11 == 10:
            second = sum(w * d for w, d in zip([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], base)) % 11
            if second != 10:
                return "".join(map(str, base)) + str(second)
    raise AssertionError


@pytest.mark.parametrize("number, valid", [
    (tables.bin_number(1), True), (tables.bad_bin(1), False), (first_pass_ten(), True),
    (first_pass_ten()[:11] + str((int(first_pass_ten()[11]) + 1) % 10), False),
    ("12345678901", False), ("12345678901a", False), ("", False),
])
def test_bin_check_digit(number, valid):
    assert matching.bin_valid(number) is valid


@pytest.mark.parametrize("written", [
    "КГКП «Усть-Каменогорский высший политехнический колледж» управления образования ВКО",
    "ГККП \"Усть-Каменогорский высший политехнический колледж\"",
    "Усть-Каменогорский  высший политехнический колледж управления образования Восточно-Казахстанской области",
    "усть-каменогорский высший политехнический колледж",
])
def test_official_names_normalise_to_the_everyday_name(written):
    assert matching.normalise_name(written) == "усть-каменогорский высший политехнический колледж"


def test_kazakh_official_form_and_a_name_that_is_a_word():
    assert matching.normalise_name("ШҚО білім басқармасының «Өскемен жоғары политехникалық колледжі» КМҚК") == \
        "өскемен жоғары политехникалық колледжі"
    assert matching.normalise_name("Ақ жол колледжі") == "ақ жол колледжі"  # «ақ» is a word, «АҚ» a legal form


@pytest.mark.parametrize("header, column", [
    ("Год", "year"), ("Жыл", "year"), ("YEAR", "year"), ("Колледж", "college"), ("Оқу орны", "college"),
    ("Учебное заведение", "college"), ("Код специальности", "specialty_code"), ("Мамандық коды", "specialty_code"),
    ("Квалификация", "qualification_codes"), ("Язык обучения", "language"), ("Оқыту тілі", "language"),
    ("Количество мест", "places"), ("Орын саны", "places"), ("Госзаказ", "places"), ("specialty_code", "specialty_code"),
])
def test_headers_as_clerks_write_them(header, column):
    index, unknown, _ = headers.resolve("state-order", [header])
    assert index == {column: 0} and unknown == []


@pytest.mark.parametrize("reader, value, expected", [
    (cells.months_of, "2 г. 10 мес.", 34), (cells.months_of, "3 жыл 10 ай", 46), (cells.months_of, 22, 22),
    (cells.grades_of, "на базе 9 классов", ["9"]), (cells.grades_of, "9, 11", ["9", "11"]),
    (cells.languages_of, "каз/рус", ["kk", "ru"]), (cells.languages_of, "қазақ", ["kk"]),
    (cells.languages_of, "both", ["kk", "ru"]), (cells.yes_no_of, "иә", True), (cells.yes_no_of, "нет", False),
    (cells.specialty_of, "07150500 Сварочное дело", ("07150500", "Сварочное дело")),
    (cells.specialty_of, 7150500, ("07150500", "")),
    (cells.qualifications_of, "3W10130101 Парикмахер; 4S10130102", [("10130101", "Парикмахер", "3W"),
                                                                              ("10130102", "", "4S")]),
])
def test_cells_as_clerks_type_them(reader, value, expected):
    assert reader(value) == expected


@pytest.mark.parametrize("reader, value", [
    (cells.months_of, "3"), (cells.grades_of, "10"), (cells.languages_of, "немецкий"), (cells.yes_no_of, "может быть"),
    (cells.specialty_of, "0715050"), (cells.specialty_of, "07150501"), (cells.qualifications_of, "3X07150501"),
    (cells.bin_cell, tables.bad_bin(3)),
])
def test_cells_that_are_refused(reader, value):
    with pytest.raises(Bad):
        reader(value)


# The whole way, from the command line: registry, state order, publish.

def test_registry_with_a_bad_bin_is_refused_by_row_and_column(site):
    app, conn, folder = site
    path = write(folder, "registry.xlsx", tables.as_xlsx(tables.registry_rows()))
    result = run(app, "colleges", path, "--create-missing", "--lang", "ru")
    assert result.exit_code == 1 and "строка 9, столбец E «БИН»" in result.output and "контрольная цифра" in result.output
    assert approved(conn) == []


def test_a_new_college_needs_a_town_of_the_atlas(site):
    app, conn, folder = site
    rows = tables.registry_rows(with_bad_bin=False)
    rows[3][5] = "Атлантида"
    result = run(app, "colleges", write(folder, "r.csv", tables.as_csv(rows)), "--create-missing", "--lang", "ru")
    assert result.exit_code == 1 and "строка 4, столбец F «Город/район»: «Атлантида»" in result.output
    assert approved(conn) == []


def test_a_report_points_at_cells_as_the_clerk_sees_them(site):
    """A problem names the column by its letter and the header the file gives it, in either
    language of the report; a column the file lacks, by its label rather than its key."""
    from atlas.stateorder import planning, report

    app, _, folder = site
    path = write(folder, "registry.xlsx", tables.as_xlsx(tables.registry_rows()))
    result = run(app, "colleges", path, "--create-missing", "--lang", "kk")
    assert result.exit_code == 1 and "9-жол, E «БИН» бағаны" in result.output and " bin " not in result.output
    with app.app_context():
        lines = report.in_language("ru", report.problem_lines, [planning.Problem(4, "town", "is empty")], {})
    assert lines[0].startswith("строка 4, столбец Город: ")


def test_a_new_college_is_reported_with_its_town_by_name(site):
    """Regression: the report read «town: glubokoe» and «Языки обучения: kk, ru»."""
    app, conn, folder = site
    rows = tables.registry_rows(with_bad_bin=False)
    rows[1][5] = "г. Усть-Каменогорск"
    path = write(folder, "registry.csv", tables.as_csv(rows))
    ru = run(app, "colleges", path, "--create-missing", "--dry-run", "--lang", "ru")
    kk = run(app, "colleges", path, "--create-missing", "--dry-run", "--lang", "kk")
    assert ru.exit_code == kk.exit_code == 0 and approved(conn) == []
    assert "Город: Усть-Каменогорск" in ru.output and "Город: Зайсан" in ru.output
    assert "Қала: Өскемен" in kk.output and "Оқыту тілдері: қазақ, орыс" in kk.output  # names, not codes
    assert "town:" not in ru.output + kk.output and "oskemen" not in ru.output + kk.output


def test_changes_are_reported_by_the_names_a_clerk_knows(site):
    """Regression: offerings read «ukmtk, 07150500» and a new specialty's qualification as a bare code."""
    app, _, folder = site
    table = "year,college,specialty_code,language,places\n2026,ukmtk,07150500,ru,10\n".encode()
    known = run(app, "state-order", write(folder, "so.csv", table), "--dry-run", "--lang", "ru")
    assert "Изменится: Усть-Каменогорский многопрофильный технологический колледж, 07150500 Сварочное дело" in known.output
    assert "ukmtk" not in known.output
    registry = tables.registry_rows(with_bad_bin=False)
    assert run(app, "colleges", write(folder, "r.csv", tables.as_csv(registry)), "--create-missing").exit_code == 0
    rows = tables.state_order_rows(count=12, ambiguous=False)
    new = run(app, "state-order", write(folder, "so2.csv", tables.as_csv(rows)), "--create-missing", "--dry-run",
              "--lang", "ru")
    assert new.exit_code == 0, new.output
    assert "Новая специальность колледжа: Алтынсайский аграрный колледж, 10130100 Бытовое обслуживание:" in new.output
    assert "Квалификации: 10130101 Мастер бытовых услуг" in new.output


@pytest.mark.parametrize("lang, level", [("ru", "(рабочая квалификация)"), ("kk", "(жұмысшы біліктілігі)")])
def test_a_new_qualifications_level_is_in_its_change_line(site, lang, level):
    """Regression: «3W10130101 Мастер бытовых услуг» read as «10130101 Мастер бытовых услуг»,
    the level the department gave it lost to the reviewer."""
    app, _, folder = site
    text = ("year,college,specialty_code,specialty_name_kk,specialty_name_ru,qualification_codes,language,places\n"
            "2026,ukmtk,10130100,Тұрмыстық қызмет көрсету,Бытовое обслуживание,"
            "3W10130101 Мастер бытовых услуг,ru,10\n")
    result = run(app, "state-order", write(folder, "s.csv", text.encode()), "--create-missing", "--dry-run",
                 "--lang", lang)
    assert result.exit_code == 0, result.output
    assert f"10130101 Мастер бытовых услуг {level}" in result.output


def test_an_offering_of_a_college_the_same_file_creates_names_it(site):
    app, _, folder = site
    text = ("Год;Колледж;Наименование колледжа на казахском языке;Город;Код специальности;Язык обучения;"
            "Количество мест\n2026;КГКП «Сказочный колледж» управления образования ВКО;"
            "ШҚО білім басқармасының «Ертегі колледжі» КМҚК;г. Риддер;07150500;рус;5\n")
    result = run(app, "state-order", write(folder, "s.csv", text.encode()), "--create-missing", "--dry-run", "--lang", "kk")
    assert result.exit_code == 0, result.output
    assert "Жаңа колледж: skazochnyi-kolledzh: Атауы қазақша: Ертегі колледжі" in result.output
    assert "Жаңа мамандық: Ертегі колледжі, 07150500 Дәнекерлеу ісі" in result.output


def test_department_tables_go_in_whole(site):
    app, conn, folder = site
    registry = write(folder, "registry.xlsx", tables.as_xlsx(tables.registry_rows(with_bad_bin=False)))
    waiting = run(app, "colleges", registry, "--lang", "ru")  # new colleges need --create-missing
    assert waiting.exit_code == 1 and "--create-missing" in waiting.output and approved(conn) == []
    dry = run(app, "colleges", registry, "--create-missing", "--dry-run", "--lang", "ru")
    assert dry.exit_code == 0 and "Колледжи: 6 новых" in dry.output and approved(conn) == []
    assert run(app, "colleges", registry, "--create-missing", "--lang", "ru").exit_code == 0
    colleges = [c for c in approved(conn) if c["kind"] == "college"]
    assert len(colleges) == 6 and "ukvpk" not in {c["college"] for c in colleges}  # matched, not duplicated
    assert colleges[0]["source"].startswith("the education department's college registry registry.xlsx, imported ")

    table = write(folder, "state-order-2026.csv", tables.as_csv(tables.state_order_rows()))
    editorial = folder / "editorial.db"
    before = editorial.read_bytes()
    dry = run(app, "state-order", table, "--create-missing", "--dry-run", "--lang", "ru")
    assert dry.exit_code == 1 and editorial.read_bytes() == before
    assert "Строк прочитано: 161." in dry.output.splitlines()[0]
    assert re.search(r"строка 162, столбец B «Колледж»: .Алтынсайский колледж.*altynsaiskii-agrarnyi-kolledzh.*"
                     r"altynsaiskii-meditsinskii-kolledzh", dry.output)
    assert "«Примечание»" in dry.output  # an unknown column is reported and ignored
    mapping = write(folder, "mapping.csv", "kind,value,target\ncollege,Алтынсайский колледж,"
                    "altynsaiskii-meditsinskii-kolledzh\n".encode())
    applied = run(app, "state-order", table, "--create-missing", "--mapping", mapping, "--lang", "ru")
    assert applied.exit_code == 0, applied.output
    kinds = [c["kind"] for c in approved(conn)]
    assert kinds.count("specialty") == 3 and kinds.count("offering") >= 35
    again = run(app, "state-order", table, "--create-missing", "--lang", "ru")  # the mapping is remembered
    assert again.exit_code == 0 and "Менять нечего" in again.output

    published = app.test_cli_runner().invoke(args=["publish"])
    assert published.exit_code == 0, "".join(__import__("traceback").format_exception(published.exception))
    client = app.test_client()
    page = client.get("/ru/colleges/altynsaiskii-meditsinskii-kolledzh")
    assert page.status_code == 200 and "Алтынсайский медицинский колледж" in page.get_data(as_text=True)
    assert "из реестра колледжей управления образования (registry.xlsx)" in page.get_data(as_text=True)
    assert "None" not in page.get_data(as_text=True)  # a made-up town is no town of the atlas: none shown
    assert "Бытовое обслуживание" in client.get("/ru/specialties/10130100").get_data(as_text=True)
    kazakh = client.get("/kk/colleges/altynsaiskii-meditsinskii-kolledzh").get_data(as_text=True)
    assert "білім басқармасының колледждер тізілімінен (registry.xlsx)" in kazakh
    record = client.get("/api/v1/colleges/ukvpk").get_json()
    assert any(o["specialty"] == "10130100" for o in record["offerings"])


def test_kazakh_headers_in_a_workbook_read_the_same(site):
    app, conn, folder = site
    registry = write(folder, "registry.csv", tables.as_csv(tables.registry_rows(with_bad_bin=False)))
    assert run(app, "colleges", registry, "--create-missing").exit_code == 0
    table = write(folder, "мемтапсырыс.xlsx", tables.as_xlsx(tables.state_order_rows(kazakh=True, ambiguous=False)))
    result = run(app, "state-order", table, "--create-missing", "--dry-run", "--lang", "kk")
    assert result.exit_code == 0, result.output
    assert "«Ескерту»" in result.output and "Тұрмыстық қызмет көрсету" in result.output


def test_a_mapping_file_names_a_header_and_creates_one_specialty(site):
    """`--mapping`: a header the atlas does not know becomes a column, and "+new" creates a specialty
    without --create-missing; the decisions are remembered for the next file."""
    app, conn, folder = site
    text = ("Год;Наименование ОО;Код специальности;Наименование специальности;Язык обучения;Количество мест\n"
            "2026;ukvpk;10130100;Бытовое обслуживание;рус;15\n")
    table = write(folder, "so.csv", text.encode())
    refused = run(app, "state-order", table, "--dry-run", "--lang", "ru")
    assert refused.exit_code == 1 and "«Наименование ОО»" in refused.output
    mapping = write(folder, "m.csv", "kind;value;target\nheader;Наименование ОО;college\nspecialty;10130100;+new\n".encode())
    assert run(app, "state-order", table, "--mapping", mapping).exit_code == 0
    assert [c["kind"] for c in approved(conn)] == ["specialty", "offering"]
    assert approved(conn)[0]["data"]["name_ru"] == "Бытовое обслуживание"
    assert run(app, "state-order", table, "--dry-run").exit_code == 0  # remembered: the same file reads alone


def test_missing_required_column_names_what_was_found(site):
    app, _, folder = site
    path = write(folder, "so.csv", "Год;Колледж;Количество мест\n2026;ukvpk;5\n".encode())
    result = run(app, "state-order", path, "--dry-run", "--lang", "ru")
    assert result.exit_code == 1 and "«Количество мест»" in result.output
    # each column by the template's name and by its label in the reader's language
    assert "не хватает: specialty_code «Код специальности», language «Язык обучения»" in result.output, result.output
    assert "year «Год», college «Колледж»" in result.output
    kk = run(app, "state-order", path, "--dry-run", "--lang", "kk")
    assert "specialty_code «Мамандық коды»" in kk.output and "Код специальности" not in kk.output, kk.output


def test_a_college_provided_value_is_a_conflict_not_silently_replaced(site):
    """Regression: a college's approved languages «kk, ru» became «ru» without a word; the line
    named the college by its slug."""
    from atlas.editorial import store

    app, conn, folder = site
    change = store.save_draft(conn, "admin@example.kz", "ukmtk", "offering", "07150500",
                              {"languages": ["kk", "ru"]}, {})
    store.submit(conn, "admin@example.kz", change["id"])
    store.review(conn, "admin@example.kz", change["id"], approve=True)
    path = write(folder, "so.csv", "year,college,specialty_code,language,places\n2026,ukmtk,07150500,ru,10\n".encode())
    asked = run(app, "state-order", path, "--lang", "ru")
    assert asked.exit_code == 1 and "kk, ru" in asked.output and len(approved(conn)) == 1
    # the field by its label and the cell by its column, not by their keys
    assert "Языки обучения: одобренное значение колледжа — казахский, русский" in asked.output
    assert "столбец D «language»" in asked.output
    # the college and the specialty by name, as the change lines name them, not by slug and bare code
    assert ("Усть-Каменогорский многопрофильный технологический колледж, 07150500 Сварочное дело (по видам), "
            "Языки обучения:") in asked.output
    assert run(app, "state-order", path, "--conflicts", "keep").exit_code == 0
    assert "languages" not in approved(conn)[-1]["data"] and approved(conn)[-1]["data"]["places_2026"] == 10


# The administrator's page: the link, the choices, remembered.

def test_import_is_linked_from_the_administrators_home_and_menu(site):
    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="ru")
    home = client.get("/ru/manage/").get_data(as_text=True)
    assert home.count('href="/ru/manage/import/"') >= 2


def test_a_choice_on_the_page_is_remembered_for_the_next_file(site):
    app, conn, folder = site
    assert run(app, "colleges", write(folder, "r.csv", tables.as_csv(tables.registry_rows(False))),
               "--create-missing").exit_code == 0
    client = app.test_client()
    login(client, "admin@example.kz", lang="ru")
    content = tables.as_csv(tables.state_order_rows(ambiguous=True, count=10))
    form = client.get("/ru/manage/import/")
    report = client.post("/ru/manage/import/", data={"csrf_token": token(form), "kind": "state-order",
                                                     "create_missing": "yes", "file": (__import__("io").BytesIO(content),
                                                                                        "so.csv")},
                         content_type="multipart/form-data")
    body = report.get_data(as_text=True)
    assert report.status_code == 422 and 'name="college-target-0"' in body
    fields = dict(re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', body))
    fields.update({"csrf_token": token(report), "college-target-0": "altynsaiskii-meditsinskii-kolledzh",
                   "create_missing": "yes"})
    decided = client.post("/ru/manage/import/decide", data=fields)
    assert decided.status_code == 200 and "Применить" in decided.get_data(as_text=True)
    again = client.post("/ru/manage/import/", data={"csrf_token": token(form), "kind": "state-order",
                                                    "create_missing": "yes",
                                                    "file": (__import__("io").BytesIO(content), "so.csv")},
                        content_type="multipart/form-data")
    assert again.status_code == 200 and 'name="college-target-0"' not in again.get_data(as_text=True)


def test_a_missing_column_can_be_chosen_among_the_unknown_headers_on_the_page(site):
    import io

    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="kk")
    content = "Жыл;Ұйым;Мамандық коды;Оқыту тілі;Орын саны\n2026;ukvpk;07161100;қаз;12\n".encode()
    form = client.get("/kk/manage/import/")
    report = client.post("/kk/manage/import/", data={"csrf_token": token(form), "kind": "state-order",
                                                     "file": (io.BytesIO(content), "so.csv")},
                         content_type="multipart/form-data")
    body = report.get_data(as_text=True)
    assert report.status_code == 422 and "«Ұйым»" in body and 'name="header-target-0"' in body
    # the columns to choose from by their Kazakh labels, the template's names beside them
    assert '<option value="college">Колледж (college)</option>' in body
    assert '<option value="specialty_code">Мамандық коды (specialty_code)</option>' in body
    assert "<code>specialty_code</code> «Мамандық коды»" in form.get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', body))
    fields.update({"csrf_token": token(report), "header-target-0": "college"})
    decided = client.post("/kk/manage/import/decide", data=fields)
    assert decided.status_code == 200 and "Өскемен жоғары политехникалық колледжі, 07161100" in decided.get_data(as_text=True)
    tampered = client.post("/kk/manage/import/decide", data={**fields, "header-target-0": "password_hash"})
    assert tampered.status_code == 400


def test_a_mapping_to_a_college_that_does_not_exist_is_refused(site):
    """A typo in a mapping file must not create offerings of a college nobody can publish."""
    app, conn, folder = site
    table = write(folder, "so.csv", "year,college,specialty_code,language,places\n2026,Колледж Х,07150500,ru,5\n".encode())
    mapping = write(folder, "m.csv", "kind,value,target\ncollege,Колледж Х,no-such-college\n".encode())
    result = run(app, "state-order", table, "--mapping", mapping, "--lang", "ru")
    assert result.exit_code == 1 and "no-such-college" in result.output and approved(conn) == []


def test_the_registry_through_the_page_creates_colleges_and_remembers_their_bins(site):
    import io

    from atlas.stateorder import mappings

    app, conn, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="ru")
    form = client.get("/ru/manage/import/")
    content = tables.as_xlsx(tables.registry_rows(with_bad_bin=False))
    report = client.post("/ru/manage/import/", data={"csrf_token": token(form), "kind": "colleges",
                                                     "create_missing": "yes", "file": (io.BytesIO(content), "r.xlsx")},
                         content_type="multipart/form-data")
    body = report.get_data(as_text=True)
    assert report.status_code == 200 and "Колледжи: 6 новых" in body
    fields = dict(re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', body))
    applied = client.post("/ru/manage/import/apply", data={**fields, "csrf_token": token(report)})
    assert applied.status_code == 200 and len(approved(conn)) == 6
    assert approved(conn)[0]["source"].endswith(" by admin@example.kz")
    assert mappings.load(conn)["bin"][tables.bin_number(99)] == "ukvpk"


def test_a_state_order_row_may_create_a_college_named_in_both_languages_with_its_town():
    from atlas.dataset.build import load_valid
    from atlas.stateorder import prepare
    from atlas.stateorder.plan import Options
    from tests.conftest import DATA

    text = ("Год;Колледж;Наименование колледжа на казахском языке;Город;Код специальности;Язык обучения;"
            "Количество мест\n2026;КГКП «Сказочный колледж» управления образования ВКО;"
            "ШҚО білім басқармасының «Ертегі колледжі» КМҚК;г. Риддер;07150500;рус;5\n")
    data = load_valid(DATA)
    waiting = prepare("so.csv", text.encode(), data)
    assert [p.decision for p in waiting.problems] == [True] and waiting.counts["colleges"] == 1
    plan = prepare("so.csv", text.encode(), data, options=Options(create_missing=True))
    assert plan.problems == [] and plan.changes[0].data == {"name_kk": "Ертегі колледжі", "name_ru": "Сказочный колледж",
                                                           "town": "ridder"}
    assert plan.changes[1].college == plan.changes[0].college == "skazochnyi-kolledzh"


def test_the_registry_template_downloads_and_reads_as_a_header_without_rows(site):
    from atlas.stateorder import FileRefused, reader

    app, _, _ = site
    client = app.test_client()
    login(client, "admin@example.kz", lang="kk")
    response = client.get("/kk/manage/import/colleges-template.csv")
    assert response.status_code == 200
    with pytest.raises(FileRefused) as error:
        reader.read("t.csv", response.data, "colleges")
    assert "no rows" in error.value.msgid
