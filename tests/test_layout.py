"""How pages look on a 360 px phone and a desktop, in Debian's Chromium: nothing wider than the
screen, no word cut in two, the footer at the bottom. Regressions found by looking at screenshots."""

import pytest

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
