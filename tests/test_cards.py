"""Cards a student can act on: how to get in, age limits, requirements, first steps, where it
leads, interest type; on the page, in the print sheet, in the API and in `atlas check-data`."""

import sqlite3

import pytest
import yaml

from atlas import create_app
from atlas.dataset.build import build
from atlas.dataset.checks import validate
from atlas.dataset.quality import review
from atlas.dataset.sources import DataError, read_all

from .conftest import DATA


def card_file(data_dir, slug):
    return data_dir / "professions" / f"{slug}.yaml"


def load_card(data_dir, slug):
    return yaml.safe_load(card_file(data_dir, slug).read_text(encoding="utf-8"))


def save_card(data_dir, slug, card):
    card_file(data_dir, slug).write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")


def without_age_limit(card):
    for key in ("min_age", "min_age_kk", "min_age_ru", "min_age_source"):
        card.pop(key, None)
    return card


def problems_of(data_dir):
    data, problems = read_all(data_dir)
    return [str(p) for p in problems or validate(data)]


AGE_CARD = {
    "min_age": 18,
    "min_age_kk": "Еңбек кодексінің 26-бабына сәйкес 18 жасқа толмаған адамдармен жер астындағы жұмысқа еңбек шарты жасалмайды.",
    "min_age_ru": "По статье 26 Трудового кодекса с лицами моложе 18 лет не заключают трудовой договор на подземные работы.",
    "min_age_source": "https://adilet.zan.kz/rus/docs/K1500000414",
    "requirements": [{"text_kk": "Өнеркәсіптік қауіпсіздік бойынша аттестаттау", "text_ru": "Аттестация по промышленной безопасности",
                      "source": "https://adilet.zan.kz/rus/docs/Z1400000188"}],
    "other_names_kk": ["Дәнекерлеу шебері"], "other_names_ru": ["Электросварщик"],
    "aliases_kk": ["сварщик"], "aliases_ru": ["сварной", "welder"],
    "first_steps_kk": ["физиканы күшейту", "колледждің ашық есік күніне бару", "мектеп шеберханасында металмен жұмыс істеп көру"],
    "first_steps_ru": ["подтянуть физику", "сходить на день открытых дверей колледжа", "поработать с металлом в школьной мастерской"],
    "career_path_kk": ["Электргаздәнекерлеуші (жұмысшы біліктілігі)", "Дәнекерлеу шебері", "Дәнекерлеу инженері (ЖОО)"],
    "career_path_ru": ["Электрогазосварщик (рабочая квалификация)", "Мастер сварочного участка", "Инженер-сварщик (вуз)"],
}


@pytest.fixture(scope="module")
def age_db(tmp_path_factory):
    """A build in which the welder card carries every new block, for the page, print and API tests."""
    import shutil

    data_dir = tmp_path_factory.mktemp("cards") / "data"
    shutil.copytree(DATA, data_dir)
    card = load_card(data_dir, "welder")
    card.update(AGE_CARD)
    save_card(data_dir, "welder", card)
    path = data_dir.parent / "atlas.db"
    build(data_dir, path)
    return path


@pytest.fixture(scope="module")
def age_client(age_db):
    return create_app({"TESTING": True, "DATABASE": str(age_db)}).test_client()


@pytest.mark.parametrize("lang, expected", [
    ("ru", ["Работать — только с 18 лет", "а не учёбы", "статье 26 Трудового кодекса", "Аттестация по промышленной безопасности", "Как поступить",
            "Что можно сделать в этом году", "подтянуть физику", "Куда ведёт", "Инженер-сварщик (вуз)",
            "Тип интересов", "Электросварщик"]),
    ("kk", ["18 жастан", "оқуға емес", "26-бабына", "аттестаттау", "Қалай түсуге болады", "Биыл не істеуге болады",
            "физиканы күшейту", "Қайда апарады", "Дәнекерлеу инженері (ЖОО)", "Қызығушылық түрі", "Дәнекерлеу шебері"]),
])
def test_card_shows_every_block(age_client, lang, expected):
    page = age_client.get(f"/{lang}/professions/welder").get_data(as_text=True)
    missing = [text for text in expected if text not in page]
    assert missing == []
    assert "adilet.zan.kz/rus/docs/K1500000414" in page  # the age limit's source is linked


@pytest.mark.parametrize("lang, hidden", [("ru", ["сварной", "welder"]), ("kk", ["сварщик"])])
def test_search_aliases_are_not_displayed(age_client, lang, hidden):
    """Slang, Russian words on Kazakh pages and English words stay searchable but are not shown."""
    page = age_client.get(f"/{lang}/professions/welder").get_data(as_text=True)
    shown = page.split('class="aliases"', 1)[1].split("</p>", 1)[0] if 'class="aliases"' in page else ""
    assert shown and not any(word in shown for word in hidden)


def test_aliases_still_find_the_card(age_db):
    from atlas.search.query import search

    db = sqlite3.connect(age_db)
    db.row_factory = sqlite3.Row
    assert search(db, "aliases", "сварной", {}).results[0]["key"] == "welder"
    assert search(db, "aliases", "электросварщик", {}).results[0]["key"] == "welder"


def test_print_sheet_has_the_new_blocks(age_client):
    sheet = age_client.get("/ru/professions/welder/print?both=1").get_data(as_text=True)
    for text in ("Работать — только с 18 лет", "а не учёбы", "Аттестация по промышленной безопасности", "подтянуть физику", "Инженер-сварщик (вуз)",
                 "18 жастан", "физиканы күшейту"):
        assert text in sheet


def test_api_answers_how_to_get_in(age_client):
    card = age_client.get("/api/v1/professions/welder").json
    assert card["min_age"] == 18
    assert card["requirements_ru"] == ["Аттестация по промышленной безопасности"]
    assert card["requirements_kk"] == ["Өнеркәсіптік қауіпсіздік бойынша аттестаттау"]
    assert len(card["first_steps_kk"]) == 3 and len(card["first_steps_ru"]) == 3
    assert card["career_path_ru"][-1] == "Инженер-сварщик (вуз)"
    assert isinstance(card["entry_grades"], list)


def test_every_card_in_the_api_has_the_new_fields(client):
    answer = client.get("/api/v1/professions?per_page=100").json
    fields = {"entry_grades", "min_age", "requirements_kk", "requirements_ru", "first_steps_kk", "first_steps_ru",
              "career_path_kk", "career_path_ru"}
    assert all(fields <= set(card) for card in answer["items"])


def test_entry_grades_come_from_the_specialty_records(data_copy, tmp_path):
    """One fact in one place: a specialty's entry grades and length show on every card it leads to."""
    text = (data_copy / "specialties.csv").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("07150500,"))
    cells = line.split(",")
    cells[4] = "9;11"
    cells += [""] * (11 - len(cells))
    cells[9], cells[10] = "34", "22"
    (data_copy / "specialties.csv").write_text(text.replace(line, ",".join(cells)), encoding="utf-8")
    build(data_copy, tmp_path / "atlas.db")
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db")}).test_client()
    page = client.get("/ru/professions/welder").get_data(as_text=True)
    assert "после 9 класса" in page and "2 года 10 месяцев" in page and "1 год 10 месяцев" in page
    assert client.get("/api/v1/professions/welder").json["entry_grades"] == ["9", "11"]


@pytest.mark.parametrize("change, message", [
    ({"min_age": 18, "min_age_kk": "x", "min_age_ru": "x"}, "field 'min_age_source': an age limit needs its source"),
    ({"min_age": 18, "min_age_source": "https://adilet.zan.kz/rus/docs/K1500000414"}, "field 'min_age_kk': say in a sentence"),
    ({"min_age": 40, "min_age_kk": "x", "min_age_ru": "x", "min_age_source": "region-report-2025"}, "is not an age limit"),
    ({"requirements": [{"text_kk": "Аттестаттау", "text_ru": "Аттестация"}]}, "field 'requirements[1].source': a requirement needs its source"),
    ({"requirements": [{"text_kk": "Аттестаттау", "text_ru": "Аттестация", "source": "no-such-source"}]}, "requirements[1].source"),
    ({"requirements": ["Аттестация"]}, "field 'requirements': each item must be a mapping"),
    ({"conditions_ru": "Работать под землёй можно только с 18 лет."}, "field 'min_age': the text states an age limit"),
    ({"first_steps_ru": [{"подтянуть физику": "она нужна"}]}, "field 'first_steps_ru[1]': is not text"),
    ({"min_age": "восемнадцать"}, "field 'min_age': 'восемнадцать' is not a whole number"),
])
def test_check_data_refuses_unsourced_age_limits_and_requirements(data_copy, change, message):
    card = without_age_limit(load_card(data_copy, "welder"))
    card.update(change)
    save_card(data_copy, "welder", card)
    found = problems_of(data_copy)
    assert any(message in p and "welder" in p for p in found), found


def test_build_refuses_an_unsourced_age_limit(data_copy, tmp_path):
    card = without_age_limit(load_card(data_copy, "welder"))
    card.update(min_age=18, min_age_kk="x", min_age_ru="x")
    save_card(data_copy, "welder", card)
    with pytest.raises(DataError):
        build(data_copy, tmp_path / "atlas.db")
    assert not (tmp_path / "atlas.db").exists()


def test_check_data_reports_missing_blocks_per_card(data_copy):
    card = load_card(data_copy, "welder")
    card.update(first_steps_kk=["бір"], first_steps_ru=[], career_path_kk=[], career_path_ru=[])
    save_card(data_copy, "welder", card)
    data, problems = read_all(data_copy)
    assert problems == []
    _, findings = review(data)
    missing = sorted(f.field for f in findings if f.where == "record welder" and f.kind.startswith("missing block"))
    assert missing == ["career_path_kk", "career_path_ru", "first_steps_kk", "first_steps_ru"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_card_says_the_region_does_not_teach_it(client, db_path, lang):
    """A data gap is "no data yet", never "not taught"."""
    db = sqlite3.connect(db_path)
    slugs = [r[0] for r in db.execute("select slug from professions")]
    banned = {"ru": ["не обучают", "не готовят", "не учат"], "kk": ["оқытпайды", "даярламайды"]}[lang]
    for slug in slugs:
        page = client.get(f"/{lang}/professions/{slug}").get_data(as_text=True)
        assert not [word for word in banned if word in page], slug


def test_where_to_study_shows_an_approved_offering_with_its_provenance(tmp_path):
    """An offering the education department approved shows on the card with its places (the latest
    year's, with the year), length and "provided by the college, checked on DATE"."""
    change = {"id": 1, "kind": "offering", "college": "ukmtk", "record_key": "07150500",
              "data": {"places_2025": 25, "places_2026": 27, "languages": ["kk", "ru"], "entry_grades": ["9"],
                       "study_months": 34},
              "source": "", "checked_on": "2026-06-01", "published_on": "2026-06-02"}
    build(DATA, tmp_path / "atlas.db", overlay=[change])
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db")}).test_client()
    page = client.get("/ru/professions/welder").get_data(as_text=True)
    # "Where to study" (the college is named in "How to get in" too, before it)
    row = page.split('class="study"', 1)[1].split('href="/ru/colleges/ukmtk"', 1)[1].split("</tr>", 1)[0]
    assert "2026-06-01" in row and "27 (2026)" in row and "2 года 10 месяцев" in row and "после 9 класса" in row
    assert "25 (2025)" not in row


def test_where_to_study_says_no_data_for_an_offering_without_places(client):
    """No state_order row for an offering: its places cell says "no data", never 0, and the header
    names no fixed year."""
    page = client.get("/ru/professions/welder").get_data(as_text=True)
    row = page.split('href="/ru/colleges/ukmtk"', 1)[1].split("</tr>", 1)[0]
    assert "нет данных" in row.rsplit("<td>", 1)[1]
    assert ">Места по госзаказу</th>" in page and "Места по госзаказу, 2025" not in page


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_quiz_result_and_comparison_use_the_cards_wording_for_a_gap(client, lang):
    """Regression: they said «Колледжи области пока не обучают этой профессии» where the atlas only
    lacks data on the specialty (beekeeper has no study route)."""
    from atlas.features import quiz
    from atlas.dataset.sources import read_all as read

    data, _ = read(DATA)
    statements = data["quiz_statements"]
    code = quiz.encode({s["id"]: 2 if s["type"] in "RC" else 0 for s in statements}, statements)
    pages = [client.get(f"/{lang}/compare/professions?profession=beekeeper&profession=welder"),
             client.get(f"/{lang}/quiz/result?a={code}")]
    banned = {"ru": ["не обучают", "не готовят", "не учат"], "kk": ["оқытпайды", "даярламайды"]}[lang]
    gap = {"ru": "В атласе пока нет данных о специальности", "kk": "атласта әзірге дерек жоқ"}[lang]
    for response in pages:
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and not [word for word in banned if word in page]
    assert gap in pages[0].get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [
    ("ru", ["Зарплата в отрасли", "по Казахстану", "III квартал 2025 года", "до вычета налогов", "не обещание"]),
    ("kk", ["Саладағы жалақы", "Қазақстан бойынша", "2025 жылғы III тоқсан", "салық ұсталғанға дейін", "уәде емес"]),
])
def test_pay_shows_sector_region_period_and_source_hedged(client, lang, words):
    from .conftest import soup_of

    soup = soup_of(client.get(f"/{lang}/professions/nurse"))
    pay = soup.select_one("section.pay")
    text = " ".join(pay.get_text().split())
    assert [w for w in words if w not in text] == []
    assert "328" in text and "500" in text
    assert pay.select_one("a[href='https://www.ng.kz/modules/news/article.php?storyid=57848']")


def test_no_pay_is_shown_without_a_source(client):
    """Only cards whose sector a source gives a wage for show one: nothing is estimated for the rest."""
    from .conftest import soup_of

    assert soup_of(client.get("/ru/professions/welder")).select_one("section.pay") is None


def test_nearest_route_and_unverified_code_are_marked(client):
    from .conftest import soup_of

    soup = soup_of(client.get("/ru/professions/bim-modeller"))
    assert "ближайший путь" in soup.select_one("section.get-in").get_text()
    route = soup.select_one("section.study .route")
    assert "Ближайший путь" in route.get_text() and route.select_one("h3 .badge-unverified")
