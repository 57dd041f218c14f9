"""A college adds any specialty: the "add an offering" form finds the atlas's specialties by
code or name, takes one the atlas lacks with its qualifications, and the department approves
both together; what the public then sees (pages, search, API, a card's how to get in)."""

import pytest

from atlas import create_app
from atlas.dataset.build import build
from atlas.editorial import store
from tests.conftest import DATA, soup_of
from tests.editorial_helpers import base, site  # noqa: F401 (fixtures this module uses)
from tests.editorial_helpers import errors_of, login, post_form, review_fields, token

NEW = "10140100"  # not a specialty of data/ (test_specialty_changes checks it)
FORM = "/{lang}/manage/colleges/ukvpk/offerings/new"


@pytest.fixture()
def editor(site):
    client = site[0].test_client()
    login(client, "editor@college.example", lang="ru")
    return client


def propose(client, lang="ru", action="submit", **fields):
    data = {"new_code": NEW, "new_name_kk": "", "new_name_ru": "Парикмахерское искусство",
            "q_code": ["4S10140102", "", ""], "q_name_kk": ["", "", ""], "q_name_ru": ["Парикмахер-стилист", "", ""],
            "languages": ["ru"], "entry_grades": ["9"], "study_months": "34", "action": action, **fields}
    return post_form(client, FORM.format(lang=lang) + "?new=1", data)


def result_links(response):
    return [a["href"].rsplit("=", 1)[1] for a in soup_of(response).select("#specialty-results li a")]


# Finding a specialty

@pytest.mark.parametrize("query, expected", [
    ("свар", "07150500"), ("0715 05", "07150500"), ("07150500", "07150500"), ("дәнекерлеу", "07150500"),
    ("СВАРОЧНОЕ дело", "07150500"), ("4S07161101", "07161100"), ("агроном", "agronomy"),
])
def test_the_form_finds_specialties_by_code_or_name_without_javascript(editor, query, expected):
    response = editor.get(FORM.format(lang="ru"), query_string={"q": query})
    assert response.status_code == 200
    assert expected in result_links(response)
    form = soup_of(response).select_one("form.find-specialty")
    assert form["method"] == "get" and form.select_one("input[name=q]")["value"] == query


def test_as_you_type_htmx_gets_only_the_results(editor):
    response = editor.get(FORM.format(lang="kk"), query_string={"q": "свар"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="specialty-results"' in body
    assert "07150500" in body and "HX-Request" in response.headers.get("Vary", "")
    page = soup_of(editor.get(FORM.format(lang="kk")))
    search = page.select_one("input[name=q]")
    assert search["hx-get"].endswith("/kk/manage/colleges/ukvpk/offerings/new")
    assert search["hx-target"] == "#specialty-results"


def test_no_match_says_so_and_offers_to_add_the_specialty(editor):
    response = editor.get(FORM.format(lang="ru"), query_string={"q": NEW})
    body = response.get_data(as_text=True)
    assert result_links(response) == []
    assert f"В атласе нет специальности, подходящей под «{NEW}»" in body
    add = soup_of(response).select_one("#specialty-results p a")
    assert "new=1" in add["href"] and f"code={NEW}" in add["href"]


def test_a_chosen_specialty_shows_only_its_qualifications(editor, site):
    response = editor.get(FORM.format(lang="ru"), query_string={"specialty": "07161100"})
    page = soup_of(response)
    assert page.select_one("input[type=hidden][name=specialty]")["value"] == "07161100"
    codes = [box["value"] for box in page.select("input[name=qualifications]")]
    assert codes and all(code.startswith("071611") for code in codes)
    # With nothing chosen, no qualification of any specialty is offered; the list follows the choice.
    blank = soup_of(editor.get(FORM.format(lang="ru")))
    assert blank.select("input[name=qualifications]") == []
    assert blank.select_one("select[name=specialty]")["hx-get"].endswith("/offerings/new/qualifications")
    fragment = editor.get("/ru/manage/colleges/ukvpk/offerings/new/qualifications",
                          query_string={"specialty": "07150500"})
    codes = [box["value"] for box in soup_of(fragment).select("input[name=qualifications]")]
    assert codes and all(code.startswith("071505") for code in codes)


def test_an_existing_offering_form_lists_only_its_qualifications(editor, site):
    response = post_form(editor, FORM.format(lang="ru"), {"specialty": "07150500", "languages": ["kk"],
                                                          "action": "save"})
    assert response.status_code == 303
    page = soup_of(editor.get("/ru/manage/colleges/ukvpk/offerings/07150500"))
    codes = [box["value"] for box in page.select("input[name=qualifications]")]
    assert codes and all(code.startswith("071505") for code in codes)


# Proposing a specialty the atlas lacks

def test_a_proposed_specialty_is_sent_with_its_offering(editor, site):
    _, conn = site
    response = propose(editor)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/offerings/{NEW}")
    changes = {c["kind"]: c for c in store.list_changes(conn)}
    assert set(changes) == {"offering", "specialty"}
    assert all(c["status"] == "submitted" and c["college"] == "ukvpk" and c["record_key"] == NEW
               for c in changes.values())
    assert changes["specialty"]["data"] == {"name_kk": "", "name_ru": "Парикмахерское искусство", "qualifications": [
        {"code": "4S10140102", "name_kk": "", "name_ru": "Парикмахер-стилист"}]}
    assert changes["offering"]["data"]["qualifications"] == ["10140102"]
    assert changes["offering"]["data"]["study_months"] == 34
    # The editor's page of the offering shows the proposal, which can still be corrected.
    page = editor.get(f"/ru/manage/colleges/ukvpk/offerings/{NEW}")
    assert "Парикмахерское искусство" in soup_of(page).h1.text
    assert soup_of(page).select_one("input[name=new_name_ru]")["value"] == "Парикмахерское искусство"


@pytest.mark.parametrize("fields, field, message", [
    ({"new_code": "1014010"}, "new_code", "8 цифр, последние две — 00"),
    ({"new_code": "10140102"}, "new_code", "8 цифр, последние две — 00"),
    ({"new_code": "07161100"}, "new_code", "уже есть в атласе"),
    ({"new_name_ru": ""}, "new_name", "хотя бы на одном языке"),
    ({"q_code": ["4S07161109", "", ""]}, "q-1", "первых шести цифр кода её специальности: 101401"),
    ({"q_code": ["6X10140102", "", ""]}, "q-1", "Напишите код квалификации"),
    ({"q_code": ["4S10140102", "10140102", ""], "q_name_ru": ["А", "Б", ""]}, "q-2", "указана дважды"),
    ({"q_name_ru": ["", "", ""]}, "q-1", "хотя бы на одном языке"),
])
def test_a_bad_proposal_is_refused_with_a_message_and_nothing_saved(editor, site, fields, field, message):
    _, conn = site
    response = propose(editor, **fields)
    assert response.status_code == 422
    assert any(message in error for error in errors_of(response)), errors_of(response)
    assert soup_of(response).select_one(f"#{field}-error") is not None
    assert store.list_changes(conn) == []
    # what was typed is still there
    assert soup_of(response).select_one("input[name=new_code]")["value"] == fields.get("new_code", NEW)


def test_qualification_codes_are_taken_with_or_without_their_level(editor, site):
    _, conn = site
    response = propose(editor, q_code=["3W10140101", "10140102", "5АВ 1014 0103"],
                       q_name_kk=["Шаштараз", "", ""], q_name_ru=["", "Парикмахер-стилист", "Технолог"])
    assert response.status_code == 303
    specialty = next(c for c in store.list_changes(conn) if c["kind"] == "specialty")
    assert [q["code"] for q in specialty["data"]["qualifications"]] == ["3W10140101", "10140102", "5AB10140103"]


def test_more_rows_saves_nothing_and_keeps_what_was_typed(editor, site):
    _, conn = site
    response = propose(editor, action="rows")
    assert response.status_code == 200 and store.list_changes(conn) == []
    page = soup_of(response)
    assert len(page.select("input[name=q_code]")) == 6
    assert page.select("input[name=q_code]")[0]["value"] == "4S10140102"
    assert page.select_one("input[name=new_name_ru]")["value"] == "Парикмахерское искусство"


def test_the_same_specialty_cannot_be_proposed_twice_by_a_college(editor, site):
    assert propose(editor, action="save").status_code == 303
    response = propose(editor)
    assert response.status_code == 422
    assert any("уже есть в списке колледжа" in e for e in errors_of(response))


# Review and publishing

def review_page(client, conn, lang):
    change = next(c for c in store.list_changes(conn, status=("submitted",)) if c["kind"] == "offering")
    return change, client.get(f"/{lang}/manage/review/{change['id']}")


def test_the_department_sees_the_new_specialty_and_approves_both_together(editor, site):
    app, conn = site
    assert propose(editor).status_code == 303
    admin = app.test_client()
    login(admin, "admin@edu.example", lang="kk")
    listing = admin.get("/kk/manage/review").get_data(as_text=True)
    assert listing.count("/kk/manage/review/") == 1 and "атласта жаңа" in listing
    change, page = review_page(admin, conn, "kk")
    body = page.get_data(as_text=True)
    assert "Жаңа мамандық, атласта әлі жоқ" in body and NEW in body and "Парикмахер-стилист" in body
    assert admin.post(f"/kk/manage/review/{change['id']}",
                      data={**review_fields(page), "decision": "approve"}).status_code == 303
    assert {c["kind"]: c["status"] for c in store.list_changes(conn)} == {"offering": "approved",
                                                                          "specialty": "approved"}
    home = admin.get("/kk/manage/")
    assert admin.post("/kk/manage/publish", data={"csrf_token": token(home)}).status_code == 303

    public = app.test_client()
    for lang, notice, college in (
            ("ru", "Ещё не сверено с классификатором", "Усть-Каменогорский высший политехнический колледж"),
            ("kk", "жіктеуішімен әлі салыстырылмаған", "Өскемен жоғары политехникалық колледжі")):
        page = public.get(f"/{lang}/specialties/{NEW}")
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert notice in body and NEW in body and "Парикмахерское искусство" in body
        assert f'href="/{lang}/colleges/ukvpk"' in body and college in body
        for query in ("парикмахер", NEW):
            found = public.get("/api/v1/search", query_string={"q": query, "lang": lang}).get_json()
            assert any(r["slug"] == NEW for r in found["results"]), (lang, query)
    record = public.get(f"/api/v1/specialties/{NEW}").get_json()
    assert record["classifier_checked"] is False and record["code"] == NEW
    assert [o["college"] for o in record["offerings"]] == ["ukvpk"]
    assert record["qualifications"][0]["level"] == "4S" and record["qualifications"][0]["classifier_checked"] is False
    assert public.get("/api/v1/specialties/07161100").get_json()["classifier_checked"] is True


def test_returning_the_offering_returns_the_specialty_too(editor, site):
    app, conn = site
    assert propose(editor).status_code == 303
    admin = app.test_client()
    login(admin, "admin@edu.example", lang="ru")
    change, page = review_page(admin, conn, "ru")
    assert admin.post(f"/ru/manage/review/{change['id']}", data={
        **review_fields(page), "decision": "return", "comment": "Проверьте код"}).status_code == 303
    assert {c["status"] for c in store.list_changes(conn)} == {"returned"}
    # corrected and sent again: both go back for review
    response = post_form(editor, f"/ru/manage/colleges/ukvpk/offerings/{NEW}",
                         {"new_name_kk": "Шаштараз өнері", "action": "submit"})
    assert response.status_code == 303
    changes = {c["kind"]: c for c in store.list_changes(conn)}
    assert {c["status"] for c in changes.values()} == {"submitted"}
    assert changes["specialty"]["data"]["name_kk"] == "Шаштараз өнері"


# What the public sees of records the editing area added

def public_app(tmp_path, overlay):
    build(DATA, tmp_path / "atlas.db", overlay)
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db"), "PAGE_CACHE": False})


def change(change_id, kind, college, record_key, data, source=""):
    return {"id": change_id, "kind": kind, "college": college, "record_key": record_key, "data": data,
            "source": source, "checked_on": "2026-07-01", "published_on": "2026-07-02"}


def test_a_college_from_the_departments_table_says_so_and_is_found(tmp_path):
    college = {"name_kk": "Тестілік қызмет көрсету колледжі", "name_ru": "Тестовый колледж сервиса", "town": "oskemen"}
    app = public_app(tmp_path, [
        change(1, "college", "test-service-college", "test-service-college", college,
               source="department-colleges.xlsx, 2026-07-01"),
        change(2, "specialty", "", NEW, {"name_kk": "Шаштараз өнері", "name_ru": "Парикмахерское искусство",
                                         "qualifications": []}, source="department-colleges.xlsx, 2026-07-01"),
        change(3, "offering", "test-service-college", NEW, {"languages": ["kk"]},
               source="department-colleges.xlsx, 2026-07-01")])
    client = app.test_client()
    for lang, said, name in (("ru", "Предоставлено управлением образования 2026-07-01.", "Тестовый колледж сервиса"),
                             ("kk", "Білім басқармасы 2026-07-01 ұсынған.", "Тестілік қызмет көрсету колледжі")):
        body = client.get(f"/{lang}/colleges/test-service-college").get_data(as_text=True)
        assert said in body and name in body
        specialty = client.get(f"/{lang}/specialties/{NEW}").get_data(as_text=True)
        assert said in specialty and "test-service-college" in specialty
        found = client.get("/api/v1/search", query_string={"q": name.split()[0], "lang": lang}).get_json()
        assert any(r["slug"] == "test-service-college" for r in found["results"])
    assert client.get("/api/v1/colleges/test-service-college").get_json()["name_ru"] == "Тестовый колледж сервиса"
    # a college of data/ says nothing of the kind
    assert "управлением образования 2026" not in client.get("/ru/colleges/ukvpk").get_data(as_text=True)


def test_how_to_get_in_shows_each_colleges_entry_length_and_languages(tmp_path):
    app = public_app(tmp_path, [
        change(1, "offering", "ukvpk", "04110100", {"entry_grades": ["9", "11"], "study_months": 34,
                                                    "languages": ["kk", "ru"]})])
    client = app.test_client()
    for lang, line in (("ru", ["после 9 класса, после 11 класса", "срок обучения — 2 года 10 месяцев",
                               "язык обучения: казахский, русский"]),
                       ("kk", ["9-сыныптан кейін, 11-сыныптан кейін", "оқу мерзімі — 2 жыл 10 ай",
                               "оқыту тілі: қазақ, орыс"])):
        page = soup_of(client.get(f"/{lang}/professions/accountant"))
        colleges = page.select(".get-in .get-in-colleges li")
        text = " ".join(colleges[0].get_text(" ", strip=True).split())
        assert colleges[0].a["href"] == f"/{lang}/colleges/ukvpk"
        assert all(part in text for part in line), text
    # a card whose colleges say nothing yet keeps its "no data yet"
    other = client.get("/ru/professions/metallurgist").get_data(as_text=True)
    assert "по этой специальности данных пока нет" in other or "get-in-colleges" not in other


def test_the_list_of_specialties_marks_one_not_yet_checked(tmp_path):
    app = public_app(tmp_path, [change(1, "specialty", "", NEW, {"name_kk": "Шаштараз өнері",
                                                                 "name_ru": "Парикмахерское искусство"}, "t.xlsx")])
    client = app.test_client()
    for lang, mark in (("ru", "ещё не сверена с классификатором"), ("kk", "жіктеуішпен әлі салыстырылмаған")):
        rows = soup_of(client.get(f"/{lang}/specialties/")).select("table.list-table tbody tr")
        marked = [r for r in rows if mark in r.get_text()]
        assert len(marked) == 1 and NEW in marked[0].get_text()


def test_what_changed_lists_a_new_specialty_with_or_without_its_college(tmp_path):
    app = public_app(tmp_path, [
        change(1, "specialty", "", NEW, {"name_ru": "Парикмахерское искусство"}, "department.xlsx, 2026-07-01"),
        change(2, "specialty", "ukvpk", "10130100", {"name_ru": "Специальность колледжа"}),
        change(3, "offering", "ukvpk", "10130100", {"languages": ["ru"]})])
    client = app.test_client()
    for lang, said in (("ru", "новая для атласа специальность"), ("kk", "атласта жаңа оқу мамандығы")):
        page = soup_of(client.get(f"/{lang}/changes"))
        items = {a["href"]: a.find_parent("li").get_text(" ", strip=True) for a in page.select("ul.changes li > a")}
        assert said in items[f"/{lang}/specialties/{NEW}"] and "department.xlsx" in items[f"/{lang}/specialties/{NEW}"]
        assert said in items[f"/{lang}/specialties/10130100"]
        assert f"/{lang}/colleges/ukvpk" in items  # the offering of it, as before
        feed = client.get(f"/{lang}/changes.atom")
        assert feed.status_code == 200 and f"/{lang}/specialties/{NEW}" in feed.get_data(as_text=True)
