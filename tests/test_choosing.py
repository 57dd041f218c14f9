"""Tools for choosing: comparison and the shortlist, all working without JavaScript."""

import re
from urllib.parse import unquote

import pytest

from .conftest import soup_of


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_compare_colleges_side_by_side(client, lang):
    response = client.get(f"/{lang}/compare?college=ukvpk&college=ridder-college")
    assert response.status_code == 200
    soup = soup_of(response)
    heads = [a["href"] for a in soup.select("thead th a[href*='/colleges/']")]
    assert heads == [f"/{lang}/colleges/ukvpk", f"/{lang}/colleges/ridder-college"]
    town_row = next(tr for tr in soup.select("tbody tr") if "differs" in tr.get("class", []))
    assert town_row.select_one(".differs-mark")
    assert "дерек жоқ" in soup.get_text() or "нет данных" in soup.get_text()
    assert soup.select_one("a[href^='https://wa.me/']") and soup.select_one("a[href^='https://t.me/share/url']")


def test_compare_aligns_specialties_and_marks_missing_as_no_data(client):
    soup = soup_of(client.get("/ru/compare?college=ukmtk&college=kazau-college"))
    row = next(tr for tr in soup.select("tbody tr") if tr.find("a", href="/ru/specialties/07150500"))
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0].startswith("обучают") and cells[1] == "данных пока нет"
    assert "0" not in [c.strip() for c in cells]


def test_compare_add_form_works_without_javascript(client):
    soup = soup_of(client.get("/kk/compare?college=ukvpk"))
    form = soup.select_one("form.add-form")
    assert form["method"] == "get"
    assert [i["value"] for i in form.select("input[type=hidden]")] == ["ukvpk"]
    assert "ukvpk" not in [o["value"] for o in form.select("option")]


@pytest.mark.parametrize("query", ["college=nowhere", "college=ukvpk&college=x",
                                   "college=a&college=b&college=c&college=d&college=e"])
def test_compare_rejects_unknown_or_too_many(client, query):
    assert client.get(f"/ru/compare?{query}").status_code == 400


def test_compare_professions(client):
    soup = soup_of(client.get("/kk/compare/professions?profession=welder&profession=cook&profession=nurse"))
    assert len(soup.select("thead th[scope=col]")) == 4
    assert soup.find("a", href="/kk/specialties/07150500")


@pytest.mark.parametrize("page, link", [("/kk/professions/welder", "/kk/compare/professions?profession=welder"),
                                        ("/ru/colleges/ukvpk", "/ru/compare?college=ukvpk")])
def test_a_record_page_links_its_comparison(client, page, link):
    """A card and a college page open the comparison with themselves in it (the link is built
    with the one slug, which url_for keeps, not a list, which it builds anew every time)."""
    soup = soup_of(client.get(page))
    assert soup.select_one(".actions").find("a", href=link)


def test_college_list_offers_comparison_checkboxes(client):
    soup = soup_of(client.get("/ru/colleges/"))
    form = soup.find("form", action="/ru/compare")
    assert form and form["method"] == "get"
    assert len(form.select("input[type=checkbox][name=college]")) >= 3


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


def test_shortlist_add_remove_share_without_javascript(app):
    client = app.test_client()
    card = soup_of(client.get("/ru/professions/welder"))
    form = card.select_one("form.shortlist-form")
    assert form["method"] == "post" and form["action"] == "/ru/shortlist/add"
    assert not form.select("input[name=csrf_token]")  # the same bytes for every visitor
    response = client.post("/ru/shortlist/add", data={"item": "p:welder", "next": "/ru/professions/welder"},
                           headers=SAME_ORIGIN)
    assert response.status_code == 303 and response.headers["Location"] == "/ru/professions/welder"
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    client.post("/ru/shortlist/add", data={"item": "c:ukvpk"}, headers=SAME_ORIGIN)
    shortlist = soup_of(client.get("/ru/shortlist"))
    assert [a["href"] for a in shortlist.select(".card-list a")] == ["/ru/professions/welder", "/ru/colleges/ukvpk"]
    share = shortlist.select_one("input.share-url")["value"]
    assert unquote(share).endswith("/ru/shortlist?items=p:welder,c:ukvpk")
    client.post("/ru/shortlist/remove", data={"item": "p:welder"}, headers=SAME_ORIGIN)
    assert [a["href"] for a in soup_of(client.get("/ru/shortlist")).select(".card-list a")] == ["/ru/colleges/ukvpk"]


def test_shared_link_recreates_the_shortlist(app):
    client = app.test_client()
    page = soup_of(client.get("/kk/shortlist?items=p:cook,s:07150500,c:nowhere,x:bad"))
    shared = page.select_one("section.shared")
    assert [a["href"] for a in shared.select("a")] == ["/kk/professions/cook", "/kk/specialties/07150500"]
    client.post("/kk/shortlist/save", data={"items": "p:cook,s:07150500"}, headers=SAME_ORIGIN)
    mine = soup_of(client.get("/kk/shortlist"))
    assert {a["href"] for a in mine.select(".card-list a")} == {"/kk/professions/cook", "/kk/specialties/07150500"}


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    {"Origin": "https://evil.example"}, {"Origin": "null"}, {"Origin": "http://localhost.evil.example"},
])
def test_state_changes_from_other_sites_are_refused(app, headers):
    """Fetch Metadata (Sec-Fetch-Site, else Origin) instead of a per-session token."""
    client = app.test_client()
    response = client.post("/ru/shortlist/add", data={"item": "p:welder"}, headers=headers)
    assert response.status_code == 403
    assert "отправлена с другого сайта" in response.get_data(as_text=True)
    assert "shortlist=" not in response.headers.get("Set-Cookie", "")


def test_next_must_be_a_local_path(app):
    client = app.test_client()
    response = client.post("/ru/shortlist/add", data={"item": "p:welder", "next": "https://evil.example/"},
                           headers=SAME_ORIGIN)
    assert response.headers["Location"] == "/ru/shortlist"


def test_cookie_with_garbage_is_ignored(app):
    client = app.test_client()
    client.set_cookie("shortlist", "p:welder,zzz,p:,q:x," + "p:a" * 500)
    soup = soup_of(client.get("/ru/shortlist"))
    assert [a["href"] for a in soup.select(".card-list a")] == ["/ru/professions/welder"]
    assert re.search(r"count-badge\">\d+<", str(soup))
