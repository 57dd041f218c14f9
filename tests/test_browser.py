"""End to end in Debian's Chromium (Playwright): the paths people take, at phone and desktop
widths, in both languages, with and without JavaScript; accessibility checked with axe-core."""

import io
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .browser import WIDTHS, needs_chromium, serving

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def base_url(app):
    with serving(app) as url:
        yield url


@pytest.fixture(params=list(WIDTHS))
def page(request, browser, base_url):
    context = browser.new_context(viewport=WIDTHS[request.param], base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture()
def page_without_js(browser, base_url):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("lang, typed, slug", [("kk", "дәнекер", "welder"), ("ru", "сварщ", "welder"),
                                               ("kk", "qurylysshy", "construction-master")])
def test_search_as_you_type_and_pick_a_result(page, lang, typed, slug):
    page.goto(f"/{lang}/search")
    page.locator("#search-q").press_sequentially(typed, delay=40)
    result = page.locator(f"ol.results a[href='/{lang}/professions/{slug}']")
    result.wait_for()
    page.wait_for_url(re.compile(r"\?q="))
    assert page.locator("[aria-live=polite]").count() == 1
    result.click()
    page.wait_for_url(f"**/{lang}/professions/{slug}")
    assert page.locator("h1").count() == 1


def test_suggestions_under_the_header_box(page):
    page.goto("/ru/professions/cook")
    box = page.locator("header input[name=q]")
    if not box.is_visible():
        pytest.skip("the header box is part of the page at this width")
    box.press_sequentially("свар", delay=40)
    page.locator(".suggestion-list a[href='/ru/professions/welder']").click()
    page.wait_for_url("**/ru/professions/welder")


def test_filter_by_facet(page):
    page.goto("/ru/search?q=оператор")
    if not page.locator(".facets").is_visible():  # a phone: the filters are behind one button
        page.locator("details.filter-panel summary").click()
    page.locator(".facet a[href*='type=profession']").first.click()
    page.wait_for_url(re.compile("type=profession"))
    types = page.locator("ol.results li .type").all_inner_texts()
    assert types and set(t.strip().lower() for t in types) == {"профессия"}


def test_card_to_college_and_language_switch(page):
    page.goto("/ru/professions/welder")
    page.locator("section.study a[href='/ru/colleges/ukmtk']").first.click()
    page.wait_for_url("**/ru/colleges/ukmtk")
    page.goto("/ru/professions/drone-operator")
    page.locator("a.lang-switch").click()
    page.wait_for_url("**/kk/professions/drone-operator")
    assert page.locator("html").get_attribute("lang") == "kk"


def test_compare_colleges_from_the_list(page):
    page.goto("/kk/colleges/")
    page.locator("input[value=ukvpk]").check()
    page.locator("input[value=ridder-college]").check()
    page.locator("main form button[type=submit]").click()
    # The query keeps the list's order, whatever it is: both colleges, nothing else.
    page.wait_for_url(re.compile(r"/kk/compare\?college=[a-z-]+&college=[a-z-]+$"))
    assert sorted(re.findall(r"college=([a-z-]+)", page.url)) == ["ridder-college", "ukvpk"]
    expect(page.locator("thead th[scope=col]")).to_have_count(3)


def test_take_the_quiz(page):
    page.goto("/ru/quiz")
    for fieldset in page.locator("form.quiz fieldset").all():
        fieldset.locator("input[type=radio]").last.check()
    page.locator("form.quiz button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ru/quiz/result\?a=\d+$"))
    expect(page.locator("table.scores")).to_be_visible()


@pytest.mark.parametrize("lang, slug", [("ru", "welder"), ("kk", "welder"), ("kk", "blaster"), ("ru", "truck-driver")])
def test_print_view_fits_one_a4_page_and_its_qr_code_reads_back(page, base_url, lang, slug):
    """Even the longest cards, with age limits and requirements, print on one A4 page."""
    import zxingcpp
    from PIL import Image

    page.goto(f"/{lang}/professions/{slug}/print")
    image = Image.open(io.BytesIO(page.locator("figure.qr-box svg").screenshot()))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"{base_url}/{lang}/professions/{slug}"]
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_core_paths_without_javascript(page_without_js, lang):
    page = page_without_js
    page.goto(f"/{lang}/")
    page.locator("main input[name=q]").fill("дәнекерлеуші")
    page.locator("main form.search-form button[type=submit]").click()
    page.wait_for_url(re.compile(f"/{lang}/search"))
    page.locator(f"ol.results a[href='/{lang}/professions/welder']").click()
    page.wait_for_url(f"**/{lang}/professions/welder")
    page.locator("a.lang-switch").click()
    page.wait_for_url("**/professions/welder")
    page.goto(f"/{lang}/compare?college=ukvpk")
    page.locator("form.add-form button").click()
    page.wait_for_url(re.compile(r"college=ukvpk&college=[a-z-]+$"))
    expect(page.locator("thead th[scope=col]")).to_have_count(3)
    page.goto(f"/{lang}/professions/welder")
    with page.expect_navigation():
        page.locator("form.shortlist-form button").click()
    page.goto(f"/{lang}/shortlist")
    expect(page.locator(f".card-list a[href='/{lang}/professions/welder']")).to_have_count(1)
    page.goto(f"/{lang}/quiz")
    for fieldset in page.locator("form.quiz fieldset").all():
        fieldset.locator("input[type=radio]").first.check()
    page.locator("form.quiz button[type=submit]").click()
    page.wait_for_url(lambda url: "/quiz/result?a=" in unquote(url))


def test_keyboard_only_search_and_visible_focus(browser, base_url):
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=base_url)
    page = context.new_page()
    page.goto("/ru/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.locator("#home-q").focus()
    page.keyboard.type("сварщик")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/ru/search"))
    page.goto("/ru/colleges/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "ukvpk":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/ru/compare"))
    expect(page.locator("thead th[scope=col]")).to_have_count(3)
    context.close()


AXE_PAGES = ["/{lang}/", "/{lang}/professions/", "/{lang}/professions/drone-operator", "/{lang}/specialties/",
             "/{lang}/specialties/07161100", "/{lang}/colleges/", "/{lang}/colleges/ukvpk", "/{lang}/employers/kazzinc",
             "/{lang}/search?q=оператор", "/{lang}/search?q=zzzqqq", "/{lang}/compare?college=ukvpk&college=ridder-college",
             "/{lang}/compare/professions?profession=welder&profession=cook", "/{lang}/quiz",
             "/{lang}/quiz/result?a=" + "21" * 21, "/{lang}/shortlist", "/{lang}/stats", "/{lang}/about",
             "/{lang}/open-data", "/{lang}/professions/welder/print", "/{lang}/professions/export.table", "/{lang}/nothing"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_accessibility_violations(browser, base_url, path, lang):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=WIDTHS["phone"], base_url=base_url, bypass_csp=True)
    page = context.new_page()
    page.goto(path.format(lang=lang))
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_keyboard_only_filters(browser, base_url):
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=base_url)
    page = context.new_page()
    page.goto("/kk/search?q=оператор")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details.filter-panel > summary')"):
            page.keyboard.press("Enter")  # a phone: the filters open from their button
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "type=profession" in href:
            break
    assert "type=profession" in href
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("type=profession"))
    page.goto("/ru/professions/")
    page.locator("#f-sector").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the form submits from the keyboard
    page.wait_for_url(re.compile(r"sector=\w"))
    context.close()


PHONE_PAGES = ["/{lang}/", "/{lang}/professions/", "/{lang}/professions/information-security-technician",
               "/{lang}/specialties/", "/{lang}/colleges/ukvpk", "/{lang}/search?q=оператор", "/{lang}/quiz",
               "/{lang}/stats", "/{lang}/shortlist", "/{lang}/about", "/{lang}/open-data", "/{lang}/employers/"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_nothing_overflows_a_360px_phone(browser, base_url, lang):
    """Regression: long Kazakh words in the sector tiles pushed the home page wider than the phone."""
    context = browser.new_context(viewport=WIDTHS["phone"], base_url=base_url)
    page = context.new_page()
    wide = []
    for path in PHONE_PAGES:
        page.goto(path.format(lang=lang))
        if page.evaluate("document.scrollingElement.scrollWidth") > WIDTHS["phone"]["width"]:
            wide.append(path)
    context.close()
    assert wide == []
