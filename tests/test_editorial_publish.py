"""Drafts, review, conflicts and publishing: from an editor's form to the public pages."""

import re
import sqlite3
import threading
from datetime import date

import pytest

from atlas.editorial import backup, localtime, store
from tests.editorial_helpers import base  # noqa: F401 (a fixture this module uses)
from tests.editorial_helpers import (errors_of, first_specialty_not_offered, form_values, login, post_form,
                                     review_fields, staffed_site, token)

THIS_YEAR = date.today().year
PLACES = f"places_{THIS_YEAR}"  # a year the offering form always shows


@pytest.fixture()
def site(tmp_path, base):
    app, conn = staffed_site(tmp_path, base, editors=("editor@college.example", "second@college.example"))
    yield app, conn
    conn.close()


def new_offering(client, specialty, lang="kk", action="submit", **fields):
    data = {"college": "ukvpk", "specialty": specialty, "languages": ["kk", "ru"], "entry_grades": ["9", "11"],
            PLACES: "25", "paid_places": "10", "study_months": "34", "dual": "yes", "action": action, **fields}
    return post_form(client, f"/{lang}/manage/colleges/ukvpk/offerings/new", data)


def approve_all(client, conn, lang="kk"):
    for change in store.list_changes(conn, status=("submitted",)):
        page = client.get(f"/{lang}/manage/review/{change['id']}")
        assert client.post(f"/{lang}/manage/review/{change['id']}",
                           data={**review_fields(page), "decision": "approve"}).status_code == 303


def publish(client, lang="kk"):
    page = client.get(f"/{lang}/manage/")
    return client.post(f"/{lang}/manage/publish", data={"csrf_token": token(page)})


def test_an_offering_goes_from_draft_to_the_public_pages(site):
    app, conn = site
    specialty = first_specialty_not_offered(app)
    editor, admin, public = app.test_client(), app.test_client(), app.test_client()
    login(editor, "editor@college.example")
    login(admin, "admin@edu.example", lang="ru")
    assert new_offering(editor, specialty, action="save").status_code == 303
    assert store.list_changes(conn, status=("submitted",)) == []
    assert specialty not in public.get("/ru/colleges/ukvpk").get_data(as_text=True)
    page = editor.get(f"/kk/manage/colleges/ukvpk/offerings/{specialty}")
    assert editor.post(f"/kk/manage/changes/{store.list_changes(conn)[0]['id']}/submit",
                       data={"csrf_token": token(page)}).status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    comparison = admin.get(f"/ru/manage/review/{change['id']}").get_data(as_text=True)
    assert f"Места по госзаказу, {THIS_YEAR}" in comparison and re.search(r'<td class="after"[^>]*>25</td>', comparison)
    approve_all(admin, conn, lang="ru")
    before = public.get("/healthz").get_data(as_text=True)
    assert publish(admin, lang="ru").status_code == 303
    assert public.get("/healthz").get_data(as_text=True) != before
    for lang, note in (("ru", "предоставлено колледжем, проверено управлением образования"),
                       ("kk", "колледж ұсынған, білім басқармасы")):
        college = public.get(f"/{lang}/colleges/ukvpk").get_data(as_text=True)
        assert f"/{lang}/specialties/{specialty}" in college and note in college
        changes = public.get(f"/{lang}/changes").get_data(as_text=True)
        assert "/colleges/ukvpk" in changes and specialty in changes
        feed = public.get(f"/{lang}/changes.atom")
        assert feed.mimetype == "application/atom+xml" and specialty in feed.get_data(as_text=True)
    record = public.get("/api/v1/colleges/ukvpk").get_json()
    offering = next(o for o in record["offerings"] if o["specialty"] == specialty)
    assert offering["state_order"] == [{"year": THIS_YEAR, "places": 25, "source": "college-submissions"}]
    assert offering["languages"] == ["kk", "ru"]
    assert offering["study_months"] == 34
    origins = {(p["record"], p["field"]): p for p in record["provenance"]}
    assert origins[(f"ukvpk/{specialty}", PLACES)]["origin"] == "college"
    assert origins[(f"ukvpk/{specialty}", PLACES)]["checked_on"] == localtime.local_date(change["submitted_at"])
    college = public.get("/ru/colleges/ukvpk").get_data(as_text=True)
    assert f"25 ({THIS_YEAR})" in college
    # nothing is published twice: a second publish adds no new change
    assert publish(admin).status_code == 303
    assert len(public.get("/kk/changes").get_data(as_text=True).split(f"{specialty}")) > 1


def test_the_offering_form_takes_next_years_places(site):
    """The form asks for next year's places and the last three years', whatever today is; a year
    it does not show cannot be slipped in."""
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example", lang="ru")
    page = editor.get("/ru/manage/colleges/ukvpk/offerings/new").get_data(as_text=True)
    for year in (THIS_YEAR + 1, THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2):
        assert f'name="places_{year}"' in page and f"Места по госзаказу, {year}" in page
    assert f'name="places_{THIS_YEAR - 3}"' not in page
    specialty = first_specialty_not_offered(app)
    response = new_offering(editor, specialty, lang="ru", **{f"places_{THIS_YEAR + 1}": "40", "places_1999": "7"})
    assert response.status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    assert change["data"][f"places_{THIS_YEAR + 1}"] == 40 and "places_1999" not in change["data"]
    review = app.test_client()
    login(review, "admin@edu.example", lang="kk")
    comparison = review.get(f"/kk/manage/review/{change['id']}").get_data(as_text=True)
    assert f"Мемлекеттік тапсырыс орындары, {THIS_YEAR + 1}" in comparison


def test_returned_change_shows_the_comment_to_the_editor(site):
    app, conn = site
    editor, admin = app.test_client(), app.test_client()
    login(editor, "editor@college.example", lang="ru")
    login(admin, "admin@edu.example")
    response = post_form(editor, "/ru/manage/colleges/ukvpk", {"college": "ukvpk", "phone": "+7 723 222 22 22",
                                                               "action": "submit"})
    assert response.status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    page = admin.get(f"/kk/manage/review/{change['id']}")
    assert admin.post(f"/kk/manage/review/{change['id']}", data={
        **review_fields(page), "decision": "return"}).status_code == 422  # a return needs a comment
    assert admin.post(f"/kk/manage/review/{change['id']}", data={
        **review_fields(page), "decision": "return", "comment": "Укажите <b>код</b> города"}).status_code == 303
    body = editor.get("/ru/manage/colleges/ukvpk").get_data(as_text=True)
    assert "возвращено на доработку" in body and "Укажите &lt;b&gt;код&lt;/b&gt; города" in body
    assert [r["action"] for r in store.list_history(conn, college="ukvpk")][:3] == ["return", "submit", "save"]


def test_a_second_save_over_a_newer_version_is_a_conflict(site):
    app, conn = site
    first, second = app.test_client(), app.test_client()
    login(first, "editor@college.example")
    login(second, "second@college.example")
    url = "/kk/manage/colleges/ukvpk"
    form_first = form_values(first.get(url).get_data(as_text=True))
    form_second = form_values(second.get(url).get_data(as_text=True))
    assert first.post(url, data={**form_first, "phone": "+7 723 111 11 11", "action": "save"}).status_code == 303
    response = second.post(url, data={**form_second, "phone": "+7 723 999 99 99", "action": "save"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "+7 723 111 11 11" in body  # their version is shown
    assert 'value="+7 723 999 99 99"' in body  # what was typed is kept
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"]["phone"] == "+7 723 111 11 11"
    again = second.post(url, data={**form_values(body), "action": "save"})  # saving again, knowingly, keeps mine
    assert again.status_code == 303
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"]["phone"] == "+7 723 999 99 99"


def test_a_change_that_fails_validation_is_not_saved(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example")
    specialty = first_specialty_not_offered(app)
    response = new_offering(editor, specialty, study_months="200", languages=["kk", "de"], **{PLACES: "9999"})
    assert response.status_code == 422
    assert set(errors_of(response)) >= {"0-ден 5000-ға дейінгі сан жазыңыз.",
                                        "Оқу мерзімін аймен жазыңыз: 6-дан 60-қа дейін.",
                                        "Қазақ, орыс немесе ағылшын тілін таңдаңыз."}
    assert 'value="9999"' in response.get_data(as_text=True)
    assert store.list_changes(conn) == []


def test_editor_text_is_escaped_everywhere(site):
    app, conn = site
    editor, admin, public = app.test_client(), app.test_client(), app.test_client()
    login(editor, "editor@college.example")
    login(admin, "admin@edu.example")
    hostile = "<script>alert(1)</script>"
    response = post_form(editor, "/kk/manage/colleges/ukvpk", {
        "college": "ukvpk", "description_kk": hostile, "description_ru": "=cmd|' /C calc'!A0 " + hostile,
        "new_partner_kk": hostile, "new_partner_ru": hostile, "action": "submit"})
    assert response.status_code == 303, errors_of(response)
    approve_all(admin, conn)
    assert publish(admin).status_code == 303
    for url in ("/kk/manage/", "/kk/manage/history", "/kk/manage/colleges/ukvpk"):
        assert hostile not in admin.get(url).get_data(as_text=True)
    assert "'=cmd" in admin.get("/kk/manage/history.csv").get_data(as_text=True)
    for url in ("/kk/colleges/ukvpk", "/ru/changes", "/kk/changes.atom", "/ru/colleges/ukvpk"):
        assert hostile not in public.get(url).get_data(as_text=True), url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in public.get("/kk/colleges/ukvpk").get_data(as_text=True)


def test_an_import_is_recorded_as_an_approved_change_with_its_source(site):
    app, conn = site
    specialty = first_specialty_not_offered(app)
    change_id = store.record_approved_change(conn, "ukvpk", "offering", specialty, {"places_2025": 50}, {},
                                             "state-order-2026.xlsx, 2026-07-01", who="admin@edu.example")
    assert store.get_change(conn, change_id)["status"] == "approved"
    assert [r["action"] for r in store.list_history(conn, action="import")] == ["import"]
    assert app.test_cli_runner().invoke(args=["publish"]).exit_code == 0
    body = app.test_client().get("/ru/colleges/ukvpk").get_data(as_text=True)
    assert f"/ru/specialties/{specialty}" in body and "state-order-2026.xlsx, 2026-07-01" in body


def test_atlas_build_keeps_the_approved_changes(site):
    """Regression: a rebuild after a deploy (`make run` runs `atlas build`) dropped what the
    colleges had published until the next publish."""
    app, conn = site
    specialty = first_specialty_not_offered(app)
    store.record_approved_change(conn, "ukvpk", "offering", specialty, {"places_2025": 50}, {},
                                 "state-order-2026.xlsx, 2026-07-01", who="admin@edu.example")
    result = app.test_cli_runner().invoke(args=["build"])
    assert result.exit_code == 0 and "approved changes" in result.output
    body = app.test_client().get("/ru/colleges/ukvpk").get_data(as_text=True)
    assert f"/ru/specialties/{specialty}" in body


def test_a_publish_that_fails_validation_keeps_the_old_build(site):
    app, conn = site
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"lat": 10.0, "lon": 10.0}, {}, "test")
    public = app.test_client()
    before = public.get("/healthz").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "admin@edu.example")
    response = publish(admin)
    assert response.status_code == 422 and "lat" in response.get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["publish"])
    assert result.exit_code == 1 and "nothing was published" in result.output
    assert public.get("/healthz").get_data(as_text=True) == before
    assert all(c["published_at"] is None for c in store.list_changes(conn))


def test_backup_taken_during_writes_restores_a_consistent_state(site, tmp_path):
    """Each save writes its change and its history row in one transaction; a backup taken
    while saves run must hold, for every change, exactly as many save rows as its version."""
    app, conn = site
    path = app.config["EDITORIAL_DATABASE"]
    stop = threading.Event()

    def write():
        writer = store.connect(path)
        version = None
        number = 0
        while not stop.is_set():
            number += 1
            change = store.save_draft(writer, "editor@college.example", "ukvpk", "college", "ukvpk",
                                      {"phone": f"+7 700 {number:03d} 00 00"}, {}, version)
            version = change["version"]
        writer.close()

    threads = [threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    try:
        copies = []
        for number in range(5):
            target = tmp_path / f"backup-{number}.db"
            backup.backup(path, target)
            copies.append(target)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    for target in copies:
        restored = tmp_path / f"restored-{target.name}"
        backup.restore(target, restored)
        db = sqlite3.connect(restored)
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        for change_id, version in db.execute("select id, version from changes"):
            saves = db.execute("select count(*) from history where change_id = ? and action = 'save'",
                               (change_id,)).fetchone()[0]
            assert saves == version
        db.close()
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["version"] > 1
