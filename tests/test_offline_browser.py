"""Offline use end to end in Debian's Chromium (Playwright): a visited card opens offline, the
whole atlas can be saved and searched offline, a new build replaces saved pages, and the static
copy works from `python -m http.server` without a request leaving its folder."""

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from atlas import create_app
from atlas.dataset.build import build
from tests.conftest import DATA
from tests.browser import WIDTHS, needs_chromium, serving

pytestmark = needs_chromium
DATE = re.compile(r"\d\d\.\d\d\.\d{4}")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server of its own, over a database that a test may rebuild from its own copy of data/."""
    folder = tmp_path_factory.mktemp("offline-site")
    data, db = folder / "data", folder / "atlas.db"
    shutil.copytree(DATA, data)
    build(data, db)
    app = create_app({"TESTING": True, "DATABASE": str(db)})
    with serving(app) as url:
        yield SimpleNamespace(url=url, app=app, data=data, db=db)


@pytest.fixture()
def context(browser, site):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=site.url)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def until(page, script, timeout=20):
    """Poll a JavaScript expression (page.wait_for_function would need 'unsafe-eval')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {script}")


def saved(page, path):
    until(page, "navigator.serviceWorker.ready.then(() => true)")
    until(page, f"caches.match({path!r}, {{ignoreVary: true}}).then(Boolean)")


def build_id(page):
    return page.locator("meta[name=atlas-build]").get_attribute("content")


def test_a_visited_card_opens_offline_and_says_when_it_was_saved(context):
    page = context.new_page()
    page.goto("/kk/professions/welder")
    expect(page.locator("[data-saved-banner]")).to_be_hidden()
    saved(page, "/kk/professions/welder")
    context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text().startswith("Дәнекерлеуші")
    banner = page.locator("[data-saved-banner]")
    expect(banner).to_be_visible()
    assert DATE.search(banner.inner_text()) and "{date}" not in banner.inner_text()
    page.goto("/kk/professions/cook")  # never opened: the offline page, which lists what is saved
    expect(page.locator("[data-offline-missing]")).to_be_visible()
    page.locator("[data-saved-list] a[href$='/kk/professions/welder']").wait_for()
    assert page.locator("html").get_attribute("lang") == "kk"


def test_pages_the_server_says_not_to_store_are_never_saved(context):
    """The editing area answers no-store: on a shared school computer its pages must not stay behind."""
    page = context.new_page()
    page.goto("/kk/")
    saved(page, "/kk/")
    page.goto("/kk/manage/login")
    page.goto("/kk/professions/cook")  # by the time this one is saved, the login page would have been too
    saved(page, "/kk/professions/cook")
    assert page.evaluate("caches.match('/kk/manage/login', {ignoreVary: true}).then(Boolean)") is False


def test_save_the_whole_atlas_then_read_and_search_it_offline(context):
    page = context.new_page()
    page.goto("/ru/")
    saved(page, "/ru/")
    panel = page.locator("[data-save]")
    panel.wait_for()
    panel.locator("[data-save-all]").click()
    panel.locator("[data-save-undo]").wait_for(timeout=120_000)
    status = panel.locator("[data-save-status]").inner_text()
    assert "Весь атлас сохранён" in status and re.search(r"\d+(,\d)? МБ", status), status
    stored = page.evaluate("JSON.parse(localStorage.getItem('atlas-saved-ru'))")
    print(f"\nwhole atlas (ru): {stored['total']} pages, {stored['bytes'] / 1e6:.2f} MB")

    context.set_offline(True)
    page.goto("/ru/professions/cook")  # never opened
    assert page.locator("h1").inner_text().startswith("Повар")
    expect(page.locator("[data-saved-banner]")).to_be_visible()
    page.goto("/ru/colleges/ukvpk")
    expect(page.locator("[data-saved-banner]")).to_be_visible()

    box = page.locator("header input[name=q]")
    box.press_sequentially("cdfhobr", delay=30)  # «сварщик» typed on the English layout
    page.locator(".suggestion-list a[href$='/ru/professions/welder']").wait_for()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/ru/offline\?q="))
    page.locator("[data-offline-found] a[href$='/ru/professions/welder']").click()
    page.wait_for_url("**/ru/professions/welder")
    assert page.locator("h1").inner_text().startswith("Сварщик")

    # Undo: the saved pages go (the page on screen stays).
    context.set_offline(False)
    page.goto("/ru/about")
    page.locator("[data-save-undo]").click()
    page.locator("[data-save-undo]").wait_for(state="hidden")
    assert page.locator("[data-save-status]").inner_text() == "Сохранённая копия удалена с этого устройства."
    context.set_offline(True)
    page.goto("/ru/professions/cook")
    expect(page.locator("[data-offline-missing]")).to_be_visible()


@pytest.mark.parametrize("typed", ["danekerleushi", "данекерлеуши", "дәнекерлеуші"])
def test_search_offline_for_kazakh_typed_without_kazakh_letters(context, typed):
    page = context.new_page()
    page.goto("/kk/")
    saved(page, "/kk/")
    page.locator("[data-save-all]").click()
    page.locator("[data-save-undo]").wait_for(timeout=120_000)
    context.set_offline(True)
    page.goto("/kk/professions/cook")
    box = page.locator("header input[name=q]")
    box.press_sequentially(typed, delay=30)
    page.locator(".suggestion-list a[href$='/kk/professions/welder']").wait_for()
    page.goto(f"/kk/search?q={typed}")  # a search page never opened: the offline page searches
    found = page.locator("[data-offline-found] a")
    found.first.wait_for()
    assert found.first.get_attribute("href").endswith("/kk/professions/welder")
    assert found.first.inner_text() == "Дәнекерлеуші"


def test_without_javascript_nothing_offline_shows(browser, site):
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/kk/")
    assert page.locator("[data-save]").is_hidden() and page.locator("[data-saved-banner]").is_hidden()
    page.locator("main input[name=q]").fill("дәнекерлеуші")
    page.locator("main form.search-form button[type=submit]").click()
    page.locator("ol.results a[href='/kk/professions/welder']").wait_for()
    context.close()


@pytest.mark.parametrize("path", ["/{lang}/offline", "/{lang}/offline?q=danekerleushi", "/{lang}/"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_accessibility_violations_on_the_offline_pages(browser, site, path, lang):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=WIDTHS["phone"], base_url=site.url, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/{lang}/professions/welder")
    saved(page, f"/{lang}/professions/welder")
    page.goto(path.format(lang=lang))
    page.locator("[data-save]" if path == "/{lang}/" else "[data-saved-list] li").first.wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.set_offline(True)  # a saved copy with its banner, or the offline page standing in for a page
    page.goto(f"/{lang}/professions/welder" if path == "/{lang}/" else f"/{lang}/professions/cook")
    page.locator("[data-saved-banner]" if path == "/{lang}/" else "[data-offline-missing]").wait_for()
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_a_new_build_replaces_the_saved_pages_on_the_next_visit(context, site):
    page = context.new_page()
    for path in ("/kk/professions/cook", "/kk/professions/welder"):
        page.goto(path)
        saved(page, path)
    old = build_id(page)
    context.set_offline(True)
    page.goto("/kk/professions/cook")
    expect(page.locator("[data-saved-banner]")).to_be_visible()
    assert build_id(page) == old

    with open(site.data / "sectors" / next(p.name for p in (site.data / "sectors").iterdir()), "a") as f:
        f.write("\n# a new build\n")
    new = build(site.data, site.db)["build_id"]
    assert new != old
    context.set_offline(False)
    page.reload()
    expect(page.locator("[data-saved-banner]")).to_be_hidden()
    assert build_id(page) == new
    until(page, f"caches.match('/kk/professions/welder').then(r => r.headers.get('X-Atlas-Build') === {new!r})")
    context.set_offline(True)
    page.goto("/kk/professions/welder")  # not opened since the new build, yet its saved copy is the new one
    expect(page.locator("[data-saved-banner]")).to_be_visible()
    assert build_id(page) == new


# --- the static copy ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def static_site(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("static") / "atlas"
    result = site.app.test_cli_runner().invoke(args=["export-static", str(folder)])
    assert result.exit_code == 0, result.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield SimpleNamespace(url=url, folder=folder)
    server.terminate()
    server.wait()


def test_every_internal_link_of_the_static_copy_resolves_over_http(static_site):
    links = set()
    for page in static_site.folder.rglob("*.html"):
        address = urljoin(static_site.url, page.relative_to(static_site.folder).as_posix())
        for url in re.findall(r'\s(?:href|src|action)="([^"]*)"', page.read_text(encoding="utf-8")):
            url = unescape(url)
            if url and not url.startswith(("#", "http://", "https://", "mailto:", "tel:")):
                links.add(urljoin(address, url).split("#")[0])
    assert len(links) > 300
    broken = []
    for link in sorted(links):
        try:
            urllib.request.urlopen(link, timeout=5).close()
        except OSError as error:
            broken.append(f"{link}: {error}")
    assert broken == []


def test_walk_and_search_the_static_copy_without_leaving_its_folder(browser, static_site):
    context = browser.new_context(viewport=WIDTHS["desktop"])
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(static_site.url)
    page.locator("a[hreflang=kk]").click()
    page.wait_for_url("**/kk/index.html")
    page.locator("nav.main-nav a[href$='professions/index.html']").click()
    page.wait_for_url("**/kk/professions/index.html")
    page.locator("main a[href$='welder/index.html']").click()
    page.wait_for_url("**/kk/professions/welder/index.html")
    expect(page.locator("h1")).to_have_text(re.compile("^Дәнекерлеуші"))
    assert page.locator("form.shortlist-form").count() == 0
    page.locator("main a[href*='/colleges/']").first.click()
    page.wait_for_url("**/colleges/**/index.html")
    page.locator("a.lang-switch").click()
    page.wait_for_url("**/ru/colleges/**/index.html")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    box = page.locator("header input[name=q]")
    box.press_sequentially("danekerleushi", delay=30)
    page.locator(".suggestion-list a[href$='/ru/professions/welder/index.html']").wait_for()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/ru/offline/index\.html\?q=danekerleushi"))
    page.locator("[data-offline-found] a[href$='/ru/professions/welder/index.html']").click()
    page.wait_for_url("**/ru/professions/welder/index.html")
    expect(page.locator("h1")).to_have_text(re.compile("^Сварщик"))
    page.goto(urljoin(static_site.url, "ru/index.html"))  # the quiz needs the server: the copy does not offer it
    assert page.locator("a[href*='quiz']").count() == 0
    context.close()
    assert errors == []
    outside = [url for url in requests if not url.startswith(static_site.url)]
    assert requests and outside == []
    assert urlsplit(static_site.url).hostname == "127.0.0.1"


@pytest.mark.parametrize("lang, typed, slug", [
    ("kk", "danekerleushi", "professions/welder"),  # Kazakh in plain Latin
    ("kk", "dánekerleýshi", "professions/welder"),  # the 2018 Latin alphabet
    ("kk", "dänekerleuşi", "professions/welder"),  # the 2021 Latin alphabet
    ("kk", "данекерлеуши", "professions/welder"),  # no Kazakh keyboard
    ("kk", "дәнекерлеушілер", "professions/welder"),  # a Kazakh plural ending
    ("ru", "cdfhobr", "professions/welder"),  # «сварщик» on the English layout
    ("ru", "сварщика", "professions/welder"),  # a Russian case ending
    ("ru", "qurylysshy", "professions/construction-master"),
])
def test_offline_search_finds_what_the_server_finds(browser, static_site, client, lang, typed, slug):
    """The script folds the query, the build folded the index with the server's normalise.py: the
    first offline result is what the server's search puts first."""
    server = client.get(f"/{lang}/search", query_string={"q": typed}).get_data(as_text=True)
    first = re.search(r'<li class="result[^"]*">\s*<span class="type">[^<]*</span>\s*<a href="/\w\w/([^"]+)"', server)
    assert first and first.group(1).startswith(slug), typed
    context = browser.new_context()
    page = context.new_page()
    page.goto(urljoin(static_site.url, f"{lang}/offline/index.html?q={typed}"))
    found = page.locator("[data-offline-found] a").first
    found.wait_for(timeout=10_000)
    href = found.get_attribute("href")
    context.close()
    assert href.endswith(f"/{first.group(1)}/index.html"), (typed, href)


def test_offline_search_finds_records_by_the_start_of_their_code(browser, static_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(urljoin(static_site.url, "ru/offline/index.html?q=0715"))
    found = page.locator("[data-offline-found] a")
    found.first.wait_for(timeout=10_000)
    hrefs = [found.nth(i).get_attribute("href") for i in range(found.count())]
    assert any("/ru/specialties/" in href for href in hrefs)
    for href in hrefs[:3]:
        page.goto(href)
        assert "0715" in page.locator("main").inner_text(), href
    context.close()
