"""Offline use: the manifest and icons, the service worker's URL and headers, the pages to save,
the offline search index (folded like the server's) and `atlas export-static`."""

import gzip
import io
import json
import posixpath
import re
import sqlite3
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest

from atlas.paths import ROOT
from atlas.offline import icons
from atlas.search.normalise import index_words, skeleton
from atlas.offline.staticcopy import MARKER

LANGS = ["kk", "ru"]


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.data)


@pytest.mark.parametrize("lang", LANGS)
def test_manifest_names_the_app_in_its_language_with_icons_that_exist(client, lang):
    from PIL import Image

    manifest = get_json(client, f"/{lang}/manifest.webmanifest")
    assert client.get(f"/{lang}/manifest.webmanifest").mimetype == "application/manifest+json"
    assert manifest["lang"] == lang
    assert manifest["name"] != "Atlas of new professions of East Kazakhstan"  # translated
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert manifest["theme_color"] == "#0b5563" and manifest["display"] == "standalone"
    found = {}
    for icon in manifest["icons"]:
        url = posixpath.normpath(posixpath.join(f"/{lang}/", icon["src"]))
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/png", url
        image = Image.open(io.BytesIO(response.data))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        found[icon["purpose"], image.width] = True
    assert set(found) == {("any", 192), ("any", 512), ("maskable", 192), ("maskable", 512)}


def test_manifest_names_differ_between_languages(client):
    assert get_json(client, "/kk/manifest.webmanifest")["name"] != get_json(client, "/ru/manifest.webmanifest")["name"]


def test_committed_icons_are_what_the_drawing_code_draws():
    from PIL import Image, ImageChops

    for name, (size, maskable) in icons.icon_files().items():
        committed = Image.open(ROOT / "static" / "icons" / name).convert("RGBA")
        difference = ImageChops.difference(committed, icons.draw(size, maskable)).getbbox()
        assert difference is None, f"static/icons/{name} is out of date: run python -m atlas.offline.icons"


@pytest.mark.parametrize("path", ["/kk/", "/ru/professions/welder", "/kk/colleges/ukvpk", "/ru/search?q=сварщик",
                                  "/kk/offline", "/ru/nothing-here"])
def test_every_page_links_the_manifest_and_carries_the_build_id(client, path):
    html = client.get(path).get_data(as_text=True)
    lang = path.split("/")[1]
    assert f'<link rel="manifest" href="/{lang}/manifest.webmanifest">' in html
    build = get_json(client, "/healthz")["build_id"]
    assert f'<meta name="atlas-build" content="{build}">' in html
    assert '<meta name="atlas-saved" content="">' in html  # the worker fills it in on a saved copy
    assert re.search(r'<script src="/assets/\w+/js/offline.js" data-sw="/sw.js" defer>', html)


def test_pages_still_render_when_the_database_is_missing(tmp_path):
    from atlas import create_app

    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "none.db")}).test_client()
    response = client.get("/kk/professions/welder")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert '<meta name="atlas-build" content="">' in html and 'rel="manifest"' in html


def test_service_worker_is_served_from_the_root_and_never_cached_for_long(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_shipped_javascript_is_small():
    """Regression guard for the promise in the README: the offline scripts stay under 10 KB compressed."""
    total = sum(len(gzip.compress((ROOT / "static" / "js" / name).read_bytes(), 9)) for name in ("offline.js", "sw.js"))
    assert total < 10_000


@pytest.mark.parametrize("lang", LANGS)
def test_pages_to_save_are_every_record_and_list_page_of_the_language(client, db_path, lang):
    listed = get_json(client, f"/{lang}/offline/pages.json")
    urls = listed["urls"]
    db = sqlite3.connect(db_path)
    for table, prefix in [("professions", "professions"), ("specialties", "specialties"), ("colleges", "colleges"),
                          ("employers", "employers")]:
        slugs = [r[0] for r in db.execute(f"select slug from {table}")]
        assert slugs and all(f"/{lang}/{prefix}/{slug}" in urls for slug in slugs), table
    for page in ("/", "/about", "/professions/", "/specialties/", "/colleges/", "/offline", "/offline/search.json"):
        assert f"/{lang}{page}" in urls
    assert len(urls) == len(set(urls))
    assert all(url.startswith(f"/{lang}/") for url in urls)
    assert listed["build"] == get_json(client, "/healthz")["build_id"]


def test_every_page_to_save_answers(client):
    for url in get_json(client, "/ru/offline/pages.json")["urls"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("lang", LANGS)
def test_offline_page_is_localized_and_has_a_search_box(client, lang):
    response = client.get(f"/{lang}/offline")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert 'action="/%s/search"' % lang in html and "data-saved-list" in html
    assert "Saved pages" not in html  # translated


def records(client, lang):
    return get_json(client, f"/{lang}/offline/search.json")["records"]


def test_search_index_holds_every_search_document_folded_like_the_server(client, db_path):
    db = sqlite3.connect(db_path)
    documents = db.execute("select type, key, name_kk, name_ru from search_docs").fetchall()
    kk, ru = records(client, "kk"), records(client, "ru")
    assert len(kk) == len(ru) == len(documents)
    by_key = {(r[0], r[1]): r for r in kk}
    for type_, key, name_kk, name_ru in documents:
        record = by_key[type_, key]
        assert record[2] == (name_kk or name_ru)
        assert set(index_words(f"{name_kk} {name_ru}")) == set(record[4].split())
    welder = by_key["profession", "welder"]
    assert skeleton("дәнекерлеуші") == skeleton("danekerleushi") == skeleton("данекерлеуши")
    assert skeleton("дәнекерлеуші") in welder[4].split()
    assert welder[3]  # its sector's name


def test_search_index_names_are_in_the_language_and_codes_are_kept(client):
    kk = {(r[0], r[1]): r for r in records(client, "kk")}
    ru = {(r[0], r[1]): r for r in records(client, "ru")}
    assert kk["profession", "welder"][2] == "Дәнекерлеуші"
    assert ru["profession", "welder"][2] == "Сварщик"
    assert kk["profession", "welder"][3] != ru["profession", "welder"][3]  # the sector, localised
    assert any(code.startswith("0715") for r in kk.values() if r[0] == "specialty" for code in r[6].split())


def test_search_index_tells_the_script_where_pages_are(client):
    index = get_json(client, "/ru/offline/search.json")
    assert index["paths"] == {"profession": "professions/", "specialty": "specialties/", "college": "colleges/",
                              "employer": "employers/"}
    assert index["types"]["profession"] == "Профессия"
    assert "{q}" in index["labels"]["all"]
    for type_, key, *_ in index["records"][:20]:
        assert client.get(f"/ru/{index['paths'][type_]}{key}").status_code == 200


def test_search_index_is_compact(client):
    for lang in LANGS:
        assert len(gzip.compress(client.get(f"/{lang}/offline/search.json").data)) < 40_000


def test_save_panel_is_on_the_home_and_about_pages_and_hidden_without_javascript(client):
    for path in ("/kk/", "/ru/about"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r'<section class="save-offline" data-save hidden', html)
        assert '<button type="button" data-save-all>' in html
    assert "data-save-all" not in client.get("/kk/professions/welder").get_data(as_text=True)


# --- the static copy ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(app, tmp_path_factory):
    target = tmp_path_factory.mktemp("copy") / "atlas"
    result = app.test_cli_runner().invoke(args=["export-static", str(target)])
    assert result.exit_code == 0, result.output
    return target


def internal_links(page, html):
    for url in re.findall(r'\s(?:href|src|action)="([^"]*)"', html):
        url = unescape(url)
        if not url or url.startswith(("#", "http://", "https://", "mailto:", "tel:")):
            continue
        yield url, (page.parent / unquote(urlsplit(url).path)).resolve()


def test_export_writes_every_page_of_both_languages(exported, client):
    for lang in LANGS:
        for url in get_json(client, f"/{lang}/offline/pages.json")["urls"]:
            path = urlsplit(url).path.strip("/")
            if urlsplit(url).query:
                continue
            assert (exported / path / "index.html").is_file() or (exported / path).is_file(), url
    assert (exported / "index.html").is_file() and (exported / MARKER).is_file()
    assert json.loads((exported / "kk" / "offline" / "search.json").read_text())["records"]
    assert list(exported.glob("assets/*/css/atlas.css")) and list(exported.glob("assets/*/js/offline.js"))


def test_every_link_of_the_copy_is_relative_and_resolves(exported):
    pages = list(exported.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'\s(?:href|src|action)="/', html), page
        assert not re.search(r'\s(?:href|src|action)="https?://localhost', html), page
        for url, target in internal_links(page, html):
            assert target.exists(), f"{page.relative_to(exported)}: {url}"


def test_copy_leaves_out_what_needs_the_server(exported):
    card = (exported / "ru" / "professions" / "welder" / "index.html").read_text(encoding="utf-8")
    assert 'method="post"' not in card and "hx-get" not in card
    assert '<meta name="atlas-static" content="1">' in card
    note = "Это работает только в онлайн-атласе: в этой офлайн-копии недоступно."
    for page in ("colleges",):  # the form stays readable, its submit button gives way to the note
        html = (exported / "ru" / page / "index.html").read_text(encoding="utf-8")
        assert note in html and not re.search(r'<button(?![^>]*type="button")[^>]*>', html.split("<main", 1)[1]), page
    shortlist = (exported / "ru" / "shortlist" / "index.html").read_text(encoding="utf-8")
    assert note in shortlist and "<form" not in shortlist.split("<main", 1)[1].split("</main>")[0]
    search = re.search(r'<form class="search-form[^>]*action="([^"]*)"', card).group(1)
    assert search == "../../offline/index.html"


def test_copy_does_not_offer_the_quiz(exported):
    """Regression: the copy offered the quiz, whose result needs the server, so a student answered
    every statement for nothing. The quiz and every link to it are left out."""
    assert not (exported / "ru" / "quiz").exists() and not (exported / "kk" / "quiz").exists()
    for page in (exported / "ru" / "index.html", exported / "kk" / "professions" / "welder" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "quiz" not in " ".join(re.findall(r'\shref="([^"]*)"', html)), page
        assert not re.search(r"<li[^>]*>\s*</li>", html), page


def test_copy_front_door_looks_like_the_site(exported):
    html = (exported / "index.html").read_text(encoding="utf-8")
    css = re.search(r'<link rel="stylesheet" href="([^"]*atlas\.css)">', html)
    assert css and (exported / css.group(1)).is_file()
    assert '<header class="site-header">' in html and 'class="brand-mark"' in html
    assert 'href="kk/index.html"' in html and 'href="ru/index.html"' in html


def test_export_refuses_a_folder_that_is_not_an_earlier_copy(app, tmp_path):
    (tmp_path / "homework.txt").write_text("keep me")
    result = app.test_cli_runner().invoke(args=["export-static", str(tmp_path)])
    assert result.exit_code != 0 and "not empty" in result.output
    assert (tmp_path / "homework.txt").read_text() == "keep me"


def test_export_replaces_an_earlier_copy(app, exported):
    stale = exported / "kk" / "professions" / "gone" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    result = app.test_cli_runner().invoke(args=["export-static", str(exported)])
    assert result.exit_code == 0, result.output
    assert not stale.exists() and (exported / "kk" / "index.html").exists()


def test_readme_states_the_measured_sizes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "atlas export-static" in readme
    assert re.search(r"whole atlas.*\d+(\.\d+)? MB", readme, re.I | re.S)

