"""Every page type in both languages: status, language, no English UI, links between pages."""

import re
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from atlas.paths import ROOT

from .conftest import blank_kazakh_summary

PAGES = [
    "/{lang}/", "/{lang}/about", "/{lang}/professions/", "/{lang}/professions/?sector=energy",
    "/{lang}/professions/?status=new", "/{lang}/professions/drone-operator", "/{lang}/professions/welder",
    "/{lang}/professions/data-analyst", "/{lang}/specialties/", "/{lang}/specialties/07161100",
    "/{lang}/specialties/renewable-energy", "/{lang}/colleges/", "/{lang}/colleges/?town=oskemen",
    "/{lang}/colleges/ukvpk", "/{lang}/colleges/ridder-college", "/{lang}/employers/", "/{lang}/employers/kazzinc",
    "/{lang}/search?q=welder", "/{lang}/search?q=qurylysshy", "/{lang}/search?type=profession&status=new",
    "/{lang}/search?q=zzzzqqq", "/{lang}/search", "/{lang}/compare", "/{lang}/compare?college=ukvpk&college=kazau-college",
    "/{lang}/compare/professions?profession=nurse&profession=paramedic", "/{lang}/quiz", "/{lang}/quiz/result?a=" + "2" * 42,
    "/{lang}/shortlist", "/{lang}/shortlist?items=p:welder", "/{lang}/stats", "/{lang}/open-data",
]


@lru_cache
def english_ui_strings():
    """UI source strings (English) long enough that finding one in a page means it leaked."""
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        catalog = read_po(f)
    same = set()  # strings written alike in every language, such as "JSON API"
    for lang in ("kk", "ru"):
        with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
            same |= {m.id for m in read_po(f) if m.id and m.string == m.id}
    found = []
    for message in (m for m in catalog if m.id not in same):
        for text in message.id if isinstance(message.id, tuple) else [message.id]:
            plain = re.sub(r"%\(\w+\)[sd]", "", text).strip(" .:")
            if plain and (len(plain.split()) >= 2 or len(plain) >= 6) and re.search("[A-Za-z]{3}", plain):
                found.append(plain)
    return found


def visible_text(html):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "code"]):  # code: file names and addresses, not UI text
        tag.decompose()
    return soup.get_text(" ", strip=True)


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_language(client, page, lang):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == lang
    assert soup.title.string.strip()
    assert soup.find("meta", attrs={"name": "description"})["content"].strip()
    alternates = {link["hreflang"] for link in soup.find_all("link", rel="alternate")}
    assert {"kk", "ru", "x-default"} == alternates
    text = visible_text(html)
    leaked = [s for s in english_ui_strings() if re.search(rf"\b{re.escape(s)}\b", text)]
    assert leaked == []


def test_kazakh_and_russian_pages_differ(client):
    kk = visible_text(client.get("/kk/professions/welder").get_data(as_text=True))
    ru = visible_text(client.get("/ru/professions/welder").get_data(as_text=True))
    assert "Дәнекерлеуші" in kk and "Сварщик" in ru
    assert "Облыста қайда оқуға болады" in kk and "Где учиться в области" in ru


def test_language_switch_leads_to_the_same_page_with_its_query(client):
    soup = BeautifulSoup(client.get("/kk/search?q=welder&type=profession").data, "html.parser")
    switch = client.get(soup.select_one("a.lang-switch")["href"])
    assert switch.status_code == 303 and switch.headers["Location"] == "/ru/search?q=welder&type=profession"
    soup = BeautifulSoup(client.get("/ru/professions/cook").data, "html.parser")
    assert client.get(soup.select_one("a.lang-switch")["href"]).headers["Location"] == "/kk/professions/cook"


@pytest.mark.parametrize("headers, cookie, expected", [
    ({}, None, "/kk/"),
    ({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}, None, "/ru/"),
    ({"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"}, None, "/kk/"),
    ({"Accept-Language": "en-US"}, None, "/kk/"),
    ({"Accept-Language": "ru"}, "kk", "/kk/"),
    ({}, "ru", "/ru/"),
])
def test_root_redirects_by_saved_choice_then_browser_then_kazakh(app, headers, cookie, expected):
    client = app.test_client()
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_switching_language_saves_the_choice_and_visiting_does_not(app):
    """Only the switch sets the cookie: every other page is the same for every visitor."""
    client = app.test_client()
    assert "Set-Cookie" not in client.get("/ru/about").headers
    assert client.get("/", headers={"Accept-Language": "kk"}).headers["Location"] == "/kk/"
    response = client.get("/ru/language?next=/ru/about")
    assert response.headers["Location"] == "/ru/about"
    assert "lang=ru" in response.headers["Set-Cookie"] and "SameSite=Lax" in response.headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "kk"}).headers["Location"] == "/ru/"


@pytest.mark.parametrize("path", [
    "/kk/professions/no-such-profession", "/ru/specialties/99999900", "/ru/colleges/nowhere",
    "/kk/employers/nobody", "/en/", "/kk/nothing-here", "/xx/professions/welder",
])
def test_unknown_pages_get_a_localised_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = visible_text(response.get_data(as_text=True))
    assert "Бет табылмады" in text or "Страница не найдена" in text


@pytest.mark.parametrize("path", [
    "/kk/professions/?sector=nope", "/ru/professions/?status=hot", "/kk/colleges/?town=almaty",
    "/kk/search?q=x&type=robot", "/kk/search?q=x&page=0", "/kk/search?q=x&page=abc", "/kk/search?grade=10",
    "/kk/search?q=%FF%FE",
])
def test_malformed_parameters_get_a_localised_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    text = visible_text(response.get_data(as_text=True))
    assert "Сұрау дұрыс емес" in text or "Неверный запрос" in text


def test_post_is_not_allowed_on_pages(client):
    assert client.post("/kk/professions/welder").status_code == 405


def test_card_shows_where_to_study_and_related(client):
    soup = BeautifulSoup(client.get("/ru/professions/drone-operator").data, "html.parser")
    study = soup.select_one("section.study")
    assert study.find("a", href="/ru/specialties/07161100")
    assert soup.find("a", href="/ru/professions/agro-drone-specialist")
    welder = BeautifulSoup(client.get("/ru/professions/welder").data, "html.parser").select_one("section.study")
    assert welder.find("a", href="/ru/colleges/ukmtk")


def test_unverified_college_is_marked(client):
    html = client.get("/kk/colleges/glubokoe-agrarian-college").get_data(as_text=True)
    assert "Қосалқы дереккөз" in html.split("<h1")[1].split("</h1>")[0]
    assert "дерек жоқ" in html
    html = client.get("/kk/colleges/ukvpk").get_data(as_text=True)
    assert "badge-unverified" not in html.split("<h1")[1].split("</h1>")[0]


def test_college_page_links_to_maps(client):
    soup = BeautifulSoup(client.get("/ru/colleges/ukvpk").data, "html.parser")
    hrefs = [a["href"] for a in soup.select(".map-links a")]
    assert hrefs[0].startswith("https://2gis.kz/search/")
    assert hrefs[1].startswith("https://www.openstreetmap.org/")


def test_home_shows_region_figures_with_source(client):
    text = visible_text(client.get("/ru/").get_data(as_text=True))
    assert "7 130" in text or "7\u00a0130" in text
    assert "86,8%" in text
    assert "Источник:" in text


def test_healthz_reports_the_build(client, db_path):
    import sqlite3
    build_id = sqlite3.connect(db_path).execute("select value from meta where key='build_id'").fetchone()[0]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["build_id"] == build_id


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_missing_or_corrupt_database_gives_503_not_a_crash(tmp_path, broken):
    from atlas import create_app

    path = tmp_path / "atlas.db"
    if broken == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    app = create_app({"TESTING": True, "DATABASE": str(path)})
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    response = client.get("/ru/professions/welder")
    assert response.status_code == 503
    assert "Атлас временно недоступен" in response.get_data(as_text=True)


def test_database_of_another_app_failing_does_not_close_ours(app, client, tmp_path):
    """Regression: a corrupt database opened in the same thread closed the cached connection."""
    from atlas import create_app

    assert client.get("/healthz").status_code == 200
    (tmp_path / "bad.db").write_bytes(b"garbage" * 500)
    create_app({"TESTING": True, "DATABASE": str(tmp_path / "bad.db")}).test_client().get("/healthz")
    assert client.get("/healthz").status_code == 200


def test_robots_and_sitemap(client):
    assert "Sitemap:" in client.get("/robots.txt").get_data(as_text=True)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/kk/professions/welder" in sitemap and "/ru/colleges/ukvpk" in sitemap


def test_card_awaiting_translation_shows_the_other_language_with_a_note(data_copy, tmp_path):
    from atlas import create_app
    from atlas.dataset.build import build

    blank_kazakh_summary(data_copy)
    build(data_copy, tmp_path / "atlas.db")
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db")}).test_client()
    soup = BeautifulSoup(client.get("/kk/professions/welder").data, "html.parser")
    assert soup.select_one("article")["lang"] == "ru"
    assert "әлі аударылып жатыр" in soup.select_one(".notice").get_text()
    assert soup.select_one(".lead .badge-awaiting") is not None
    import yaml

    summary_ru = yaml.safe_load((data_copy / "professions" / "welder.yaml").read_text(encoding="utf-8"))["summary_ru"]
    assert " ".join(summary_ru.split()) in " ".join(soup.select_one(".lead").get_text().split())


@pytest.mark.parametrize("q", ["", "оператор", "a b&c=d+e%f#g", "жұмыс/қызмет?", "'quoted' \"double\" <tag>", "!$()*,;:@~"])
def test_facet_links_are_the_urls_url_for_builds(app, q):
    """toggle_url encodes the query string itself (a cold search page builds thirty of these):
    byte for byte what Werkzeug builds, for any query and any facets switched on or off, and
    in the same order whatever links were built before."""
    from flask import g, url_for

    from atlas.views.search import toggle_url

    cases = [({}, "type", "profession"), ({"type": "profession"}, "type", "profession"),
             ({"type": "college", "sector": "energy"}, "status", "new"), ({"sector": "energy", "dual": "yes"}, "sector", "energy")]
    with app.test_request_context("/ru/search"):
        g.lang = "ru"
        for chosen, facet, value in cases:
            filters = {f: chosen.get(f) for f in ("type", "sector", "status", "town", "grade", "language", "dual")}
            params = {k: v for k, v in filters.items() if v}
            if params.get(facet) == value:
                params.pop(facet)
            else:
                params[facet] = value
            assert toggle_url(q, filters, facet, value) == url_for("search.index", q=q or None, **params)
            assert toggle_url(q, filters, facet, value, path="/ru/search") == url_for("search.index", q=q or None,
                                                                                     **params)
        # Always the same order for the same page, whatever links were built before.
        url_for("search.index", q="x", type="college", status="new")
        status_first = {f: None for f in filters} | {"status": "new"}
        assert toggle_url("x", status_first, "type", "college") == "/ru/search?q=x&status=new&type=college"


@pytest.mark.parametrize("q", ["", "оператор", "a b&c=d+e%f#g", "'quoted' \"double\" <tag>"])
@pytest.mark.parametrize("chosen", [{}, {"type": "profession"}, {"sector": "energy", "dual": "yes"},
                                    {"status": "new", "type": "college"}])
def test_a_filter_panels_links_are_toggle_urls(app, q, chosen):
    """facet_links encodes the page's own query once for the facets with nothing chosen:
    every link is still the one toggle_url (and so url_for) makes, in the same order."""
    from flask import g

    from atlas.views.search import FACETS, facet_links, toggle_url

    filters = {f: chosen.get(f) for f in FACETS}
    facets = {"type": {"profession": 9, "college": 2}, "sector": {"energy": 3, "it": 1}, "status": {"new": 4},
              "dual": {"yes": 2}, "town": {"oskemen": 5}}
    with app.test_request_context("/ru/search"):
        g.lang = "ru"
        links = facet_links(q, filters, facets, "/ru/search")
        assert [facet for facet, _ in links] == [f for f in FACETS if f in facets]
        for facet, values in links:
            assert [(url, value, n, on) for url, value, n, on in values] == [
                (toggle_url(q, filters, facet, value, "/ru/search"), value, n, value == filters[facet])
                for value, n in facets[facet].items()]


def test_export_links_follow_each_requests_query(app):
    """Regression: the query of the export links was once encoded a request and kept in g,
    which requests made inside one outer app context share."""
    with app.app_context():
        client = app.test_client()
        new = client.get("/ru/professions/?status=new").get_data(as_text=True)
        changing = client.get("/ru/professions/?status=changing").get_data(as_text=True)
    assert "/ru/professions/export.csv?status=new" in new
    assert "/ru/professions/export.csv?status=changing" in changing
    assert "status=new" not in changing
