"""The editing area end to end in Debian's Chromium, in both languages, with and without
JavaScript: an administrator invites an editor, the editor adds an offering and submits it,
the administrator compares, approves and publishes, and the public pages show it."""

import sqlite3
from datetime import date

import pytest
from playwright.sync_api import expect

from atlas.editorial import store
from tests.browser import needs_chromium, serving
from tests.editorial_helpers import PASSWORD, add_account, built_data, make_site

pytestmark = needs_chromium
YEAR = date.today().year  # a year whose places the offering form always asks for
NOTES = {"kk": "колледж ұсынған, білім басқармасы", "ru": "предоставлено колледжем, проверено управлением образования"}


@pytest.fixture()
def served(tmp_path, tmp_path_factory):
    app, conn = make_site(tmp_path, built_data(tmp_path_factory))
    add_account(conn, "admin@edu.example", role="admin")
    with serving(app) as url:
        app.config["EDITORIAL_BASE_URL"] = url
        yield app, conn, url
    conn.close()


def taught_specialty(app, college="ukvpk"):
    """A specialty that a profession card leads to and the college does not teach yet."""
    db = sqlite3.connect(app.config["DATABASE"])
    found = db.execute("""select profession, specialty from profession_specialties
                          where specialty not in (select specialty from offerings where college = ?)
                            and specialty in (select slug from specialties where code != '')
                          order by profession limit 1""", (college,)).fetchone()
    db.close()
    return found


def log_in(page, lang, email, password=PASSWORD):
    page.goto(f"/{lang}/manage/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form.manage-form button[type=submit]")
    page.wait_for_url(f"**/{lang}/manage/")


@pytest.mark.parametrize("lang, javascript", [("kk", True), ("ru", True), ("ru", False), ("kk", False)])
def test_from_invitation_to_the_public_pages(browser, served, lang, javascript):
    app, conn, base_url = served
    profession, specialty = taught_specialty(app)
    contexts = [browser.new_context(base_url=base_url, java_script_enabled=javascript) for _ in range(3)]
    admin, editor, visitor = (context.new_page() for context in contexts)
    for page in (admin, editor, visitor):
        page.set_default_timeout(10_000)
    try:
        # the administrator invites an editor for the college
        log_in(admin, lang, "admin@edu.example")
        admin.goto(f"/{lang}/manage/users")
        admin.fill("input[name=email]", "editor@college.example")
        admin.check("input[name=role][value=editor]")
        admin.select_option("select[name=college]", "ukvpk")
        admin.click("form.manage-form button[type=submit]")
        link = admin.locator("input.invitation-link").input_value()
        assert f"/{lang}/manage/invitation/" in link

        # the editor accepts, and adds an offering with places and languages
        editor.goto(link)
        editor.fill("input[name=password]", "ertis river morning 1")
        editor.fill("input[name=password_again]", "ertis river morning 1")
        editor.click("form.manage-form button[type=submit]")
        editor.wait_for_url(f"**/{lang}/manage/")
        editor.click(f"a[href='/{lang}/manage/colleges/ukvpk']")
        editor.click(f"a[href='/{lang}/manage/colleges/ukvpk/offerings/new']")
        editor.select_option("select[name=specialty]", specialty)
        editor.check("input[name=languages][value=kk]")
        editor.check("input[name=languages][value=ru]")
        editor.check("input[name=entry_grades][value='9']")
        editor.fill(f"input[name=places_{YEAR}]", "25")
        editor.fill("input[name=paid_places]", "10")
        editor.fill("input[name=study_months]", "34")
        editor.click("button[name=action][value=submit]")
        editor.wait_for_url(f"**/{lang}/manage/colleges/ukvpk/offerings/{specialty}")
        assert store.list_changes(conn, status=("submitted",))

        # the administrator compares, approves and publishes
        admin.goto(f"/{lang}/manage/review")
        admin.click(f"a[href^='/{lang}/manage/review/']")
        admin.locator("table.comparison td.after").first.wait_for()
        after = admin.locator("table.comparison td.after").all_inner_texts()
        assert "25" in after and "10" in after and "34" in after
        with admin.expect_navigation():
            admin.click("button[name=decision][value=approve]")
        admin.goto(f"/{lang}/manage/")
        with admin.expect_navigation():
            admin.click("form[action$='/manage/publish'] button")
        expect(admin.locator("p.done")).to_have_count(1)

        # the public pages show the new offering and where it comes from
        visitor.goto(f"/{lang}/colleges/ukvpk")
        row = visitor.locator("tr", has=visitor.locator(f"a[href='/{lang}/specialties/{specialty}']"))
        assert NOTES[lang] in row.inner_text() and f"25 ({YEAR})" in row.inner_text()
        visitor.goto(f"/{lang}/professions/{profession}")
        assert visitor.locator(f"a[href='/{lang}/colleges/ukvpk']").count() >= 1
        visitor.goto(f"/{lang}/compare?college=ukvpk")
        assert visitor.locator(f"a[href='/{lang}/specialties/{specialty}']").count() >= 1
        visitor.goto(f"/{lang}/changes")
        assert visitor.locator(f"a[href='/{lang}/colleges/ukvpk']").count() >= 1
        response = visitor.request.get("/api/v1/colleges/ukvpk")
        record = response.json()
        assert any(o["specialty"] == specialty and o["state_order"][0]["places"] == 25 for o in record["offerings"])
        assert {"record": f"ukvpk/{specialty}", "field": f"places_{YEAR}", "origin": "college"}.items() <= next(
            p for p in record["provenance"] if p["record"] == f"ukvpk/{specialty}" and p["field"] == f"places_{YEAR}"
        ).items()
    finally:
        for context in contexts:
            context.close()
