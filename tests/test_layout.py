"""How pages look on a 360 px phone and a desktop, in Debian's Chromium: nothing wider than the
screen, no word cut in two, the footer at the bottom. Regressions found by looking at screenshots."""

import pytest
from playwright.sync_api import expect

from .browser import WIDTHS, needs_chromium, serving

pytestmark = needs_chromium
PHONE = WIDTHS["phone"]

# Words of six letters or more whose letters land on two lines: a word broken mid-word.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-–—/,.;:()«»"]{6,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        if (rects.length > 1 && Math.abs(rects[0].top - rects[rects.length - 1].top) > 4) split.push(m[0]);
      }
    }
  }
  return split;
}"""


@pytest.fixture(scope="module")
def base_url(app):
    with serving(app) as url:
        yield url


@pytest.fixture()
def phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("path", [
    # Regression: the visually hidden "Remove <college>" text escaped the sideways-scrolling table.
    "/ru/compare?college=ukvpk&college=ridder-college&college=ukks",
    "/kk/compare/professions?profession=welder&profession=crane-operator&profession=blaster",
    "/kk/enrol/", "/ru/professions/welder", "/kk/professions/crane-operator", "/kk/changes", "/ru/manage/login",
])
def test_page_is_no_wider_than_a_phone(phone, path):
    phone.goto(path)
    assert phone.evaluate("document.scrollingElement.scrollWidth") == PHONE["width"]


@pytest.mark.parametrize("path, selector", [
    # Regression: two tiles a row cut «телекоммуникациялар», «Здравоохранение» and «агротехнологии» in two.
    ("/kk/", ".tiles"), ("/ru/", ".tiles"),
    ("/kk/professions/telecom-technician", "h1"), ("/ru/professions/farm-machinery-repairer", "h1"),
])
def test_no_word_is_cut_in_two_on_a_phone(phone, path, selector):
    phone.goto(path)
    assert phone.evaluate(SPLIT_WORDS, selector) == []


def test_footer_sits_at_the_bottom_of_a_short_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    page = context.new_page()
    page.goto("/kk/changes")
    bottom = page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom")
    context.close()
    assert bottom >= 900  # a short page fills the screen; a long one pushes the footer further down


def test_remove_links_of_the_comparison_are_big_enough_to_tap(phone):
    """Regression (Lighthouse target-size, Kazakh compare page): the "Remove" links were about 20 px tall."""
    phone.goto("/kk/compare?college=ukvpk&college=ridder-college")
    sizes = phone.eval_on_selector_all("a.remove", "links => links.map(a => a.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 24


# Every public page type, at 360 px, in both languages.
PAGE_TYPES = [
    "/{lang}/", "/{lang}/about", "/{lang}/professions/", "/{lang}/professions/welder", "/{lang}/professions/welder/print",
    "/{lang}/specialties/", "/{lang}/specialties/07150500", "/{lang}/colleges/", "/{lang}/colleges/ukmtk",
    "/{lang}/colleges/ukmtk/print", "/{lang}/employers/", "/{lang}/employers/kazzinc", "/{lang}/enrol/",
    "/{lang}/quiz", "/{lang}/shortlist", "/{lang}/stats", "/{lang}/open-data", "/{lang}/changes",
    "/{lang}/search?q=сварщик", "/{lang}/search?q=zzzzqqq", "/{lang}/professions/export.table",
    "/{lang}/compare?college=ukmtk&college=ukvpk", "/{lang}/compare/professions?profession=welder&profession=electrician",
    "/{lang}/manage/login", "/{lang}/no-such-page",
]


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_fits_a_phone(phone, path, lang):
    phone.goto(path.format(lang=lang))
    assert phone.evaluate("document.scrollingElement.scrollWidth") == PHONE["width"]


FIRST_RESULT_TOP = "(() => { const r = document.querySelector('.results li'); return r && r.getBoundingClientRect().top; })()"


@pytest.mark.parametrize("path", ["/kk/search?q=дәнекерлеуші", "/ru/search?q=сварщик", "/kk/search?q=инженер",
                                  "/ru/search?q=оператор&type=profession&town=oskemen"])
def test_the_first_search_result_is_on_the_first_screen_of_a_phone(phone, path):
    phone.goto(path)
    top = phone.evaluate(FIRST_RESULT_TOP)
    assert top is not None and top < 780


def test_search_filters_are_one_button_on_a_phone_and_a_column_on_a_desktop(browser, base_url, phone):
    phone.goto("/ru/search?q=оператор&type=profession")
    panel = phone.locator("details.filter-panel")
    assert panel.get_attribute("open") is None
    expect(phone.locator(".facets")).to_be_hidden()
    assert phone.locator("details.filter-panel summary .count-badge").inner_text() == "1"
    phone.locator("details.filter-panel summary").click()
    expect(phone.locator(".facets")).to_be_visible()
    # The downloads come after the results.
    last_result = phone.evaluate("document.querySelector('.results li:last-child').getBoundingClientRect().bottom")
    assert phone.evaluate("document.querySelector('.export-links').getBoundingClientRect().top") > last_result
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=base_url)
    desktop = context.new_page()
    desktop.goto("/ru/search?q=оператор")
    expect(desktop.locator(".facets")).to_be_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_phone_menu_is_a_button_in_the_brand_row(browser, base_url, javascript, lang):
    """Regression: the menu took four lines above every page at 360 px. It works without JavaScript."""
    context = browser.new_context(viewport=PHONE, base_url=base_url, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"/{lang}/professions/welder")
    bar = page.evaluate("document.querySelector('.site-header .bar').getBoundingClientRect().toJSON()")
    button = page.evaluate("document.querySelector('.menu-button').getBoundingClientRect().toJSON()")
    assert bar["top"] <= button["top"] and button["bottom"] <= bar["bottom"]
    # Two rows: the bar and the search box, nothing else.
    search = page.evaluate("document.querySelector('.header-search').getBoundingClientRect().toJSON()")
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().toJSON()")
    assert search["top"] >= bar["bottom"] - 1 and header["bottom"] <= search["bottom"] + 1
    link = page.locator("nav.main-nav a").first
    expect(link).to_be_hidden()
    page.locator(".menu-button").click()
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/{lang}/professions/")
    context.close()


def test_the_desktop_menu_shows_its_links_without_a_button(browser, base_url):
    context = browser.new_context(viewport=WIDTHS["desktop"], base_url=base_url)
    page = context.new_page()
    page.goto("/kk/")
    expect(page.locator("nav.main-nav a").first).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("path", ["/ru/compare?college=ukmtk&college=ukvpk&college=ridder-college",
                                  "/kk/compare?college=ukmtk&college=ukvpk",
                                  "/kk/compare/professions?profession=welder&profession=electrician&profession=blaster"])
def test_the_comparison_stacks_on_a_phone_without_cutting_values(phone, path):
    """Regression: at 360 px the comparison showed one college at a time, its name cut at the screen's edge."""
    phone.goto(path)
    assert phone.evaluate("document.scrollingElement.scrollWidth") == PHONE["width"]
    overflowing = phone.eval_on_selector_all(
        ".compare th, .compare td", "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).length")
    assert overflowing == 0
    assert phone.evaluate(SPLIT_WORDS, ".compare thead") == []
    # Every item's name stays on screen, with every value labelled by its item.
    for box in phone.eval_on_selector_all(".compare thead th[scope=col]", "ths => ths.map(t => t.getBoundingClientRect().right)"):
        assert box <= PHONE["width"]
    labels = phone.eval_on_selector_all(".compare tbody td[data-label]", "tds => tds.length")
    assert labels > 0
