"""The editing area under real use: limits shared by every worker, approvals bound to what was
read, no lost updates, sessions that end, values that cannot hurt a page, and the edges
(request size, damaged workbooks, redirects, origins, publish leftovers, restore, file modes).
Each test names the finding it guards."""

import csv
import http.cookiejar
import io
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from atlas.paths import ROOT
from atlas.dataset import cardchecks
from atlas import create_app
from atlas.dataset.build import build
from atlas.cli import gunicorn_command
from atlas.editorial import accounts, backup, store
from atlas.editorial.publish import publish
from atlas.text import clean_text, web_address_problem
from tests.browser import WIDTHS, needs_chromium, serving
from tests.test_load import free_port
from tests.conftest import DATA, server_environment, soup_of
from tests.editorial_helpers import base  # noqa: F401 (a fixture this module uses)
from tests.editorial_helpers import (PASSWORD, add_account, form_values, login, make_site, post_form, review_fields,
                                     token)

LIMITED = {"EDITORIAL_LOGIN_LIMIT": "5 per minute", "EDITORIAL_LOGIN_ADDRESS_LIMIT": "1000 per minute"}


@pytest.fixture()
def site(tmp_path, base):
    app, conn = make_site(tmp_path, base)
    add_account(conn, "admin@edu.example", role="admin")
    add_account(conn, "editor@college.example")
    yield app, conn
    conn.close()


def statuses(client, email, password, times, lang="kk"):
    return [login(client, email, password, lang=lang).status_code for _ in range(times)]


# Limits shared by every worker


def test_two_workers_share_one_count_of_password_checks(tmp_path, base):
    """Regression: each gunicorn worker kept its own count in memory, so 3 workers allowed 3 times
    the limit. Two apps (as two workers are: no memory in common) over one editing database."""
    first, conn = make_site(tmp_path, base, **LIMITED)
    add_account(conn, "editor@college.example")
    second = create_app({**first.config, "TESTING": True})
    clients = [first.test_client(), second.test_client()]
    answers = [login(clients[n % 2], "editor@college.example", f"wrong {n}").status_code for n in range(13)]
    assert answers == [200] * 5 + [429] * 8
    assert conn.execute("select count(*) from attempts where key like 'account:%'").fetchone()[0] == 5
    conn.close()


def test_a_refused_login_says_how_long_to_wait(tmp_path, base):
    app, conn = make_site(tmp_path, base, EDITORIAL_LOGIN_LIMIT="1 per minute")
    client = app.test_client()
    login(client, "nobody@college.example", "wrong password")
    response = login(client, "nobody@college.example", "wrong password", lang="ru")
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 60
    assert "Подождите 1 минуту" in response.get_data(as_text=True)
    conn.close()


def test_others_cannot_lock_the_owner_out_of_a_known_browser(tmp_path, base):
    """Regression: five wrong tries by anyone locked the account for the window. A browser that
    logged in before is counted apart, so its owner gets in while strangers are held back."""
    app, conn = make_site(tmp_path, base, **LIMITED)
    add_account(conn, "editor@college.example")
    owner = app.test_client()
    assert login(owner, "editor@college.example").status_code == 303
    owner.post("/kk/manage/logout", data={"csrf_token": token(owner.get("/kk/manage/"))})
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert statuses(attacker, "editor@college.example", "guess", 8) == [200] * 4 + [429] * 4
    assert login(attacker, "editor@college.example").status_code == 429  # the right password, elsewhere
    assert login(owner, "editor@college.example").status_code == 303  # the owner, from their browser
    # a known-browser cookie of one account does not help with another
    add_account(conn, "second@college.example")
    thief = app.test_client()
    thief.set_cookie("atlas_known_browser", owner.get_cookie("atlas_known_browser", path="/kk/manage/").value,
                     path="/kk/manage/")
    statuses(thief, "second@college.example", "guess", 5)
    assert login(thief, "second@college.example").status_code == 429
    conn.close()


def test_a_limits_storage_can_hold_the_counts(tmp_path, base):
    """RATELIMIT_STORAGE names a storage of the `limits` library (Redis in production); the
    in-process one stands for it here: two apps, one count."""
    first, conn = make_site(tmp_path, base, RATELIMIT_STORAGE="memory://", **LIMITED)
    add_account(conn, "editor@college.example")
    second = create_app({**first.config, "TESTING": True})
    answers = [login(app.test_client(), "shared@college.example", "x" * 12).status_code
               for app in [first, second] * 4]
    assert answers == [200] * 5 + [429] * 3
    assert conn.execute("select count(*) from attempts").fetchone()[0] == 0  # counted there, not here
    conn.close()


def test_invitation_attempts_are_limited_in_the_shared_store(tmp_path, base):
    app, conn = make_site(tmp_path, base, EDITORIAL_INVITATION_LIMIT="3 per minute")
    client = app.test_client()
    assert [client.get(f"/kk/manage/invitation/guess{n}").status_code for n in range(5)] == [404] * 3 + [429] * 2
    conn.close()


# Approvals bound to a revision; no lost updates


def submit_phone(client, phone):
    return post_form(client, "/kk/manage/colleges/ukvpk", {"college": "ukvpk", "phone": phone, "action": "submit"})


def test_approving_a_revision_that_is_not_on_the_review_page_is_refused(site):
    """Regression: the editor changed a submitted draft while the review page was open, and
    "Approve" on the old page approved the new content."""
    app, conn = site
    editor, admin = app.test_client(), app.test_client()
    login(editor, "editor@college.example")
    login(admin, "admin@edu.example", lang="ru")
    assert submit_phone(editor, "+7 723 111 11 11").status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    old_page = admin.get(f"/ru/manage/review/{change['id']}")
    assert "+7 723 111 11 11" in old_page.get_data(as_text=True)
    assert submit_phone(editor, "+7 723 666 66 66").status_code == 303  # saved and sent again meanwhile
    for decision in ("approve", "return"):
        refused = admin.post(f"/ru/manage/review/{change['id']}",
                             data={**review_fields(old_page), "decision": decision, "comment": "x"})
        assert refused.status_code == 409
        body = refused.get_data(as_text=True)
        assert "+7 723 666 66 66" in body and "колледж его изменил" in body
    assert store.get_change(conn, change["id"])["status"] == "submitted"
    new_page = admin.get(f"/ru/manage/review/{change['id']}")
    assert admin.post(f"/ru/manage/review/{change['id']}",
                      data={**review_fields(new_page), "decision": "approve"}).status_code == 303
    approved = store.get_change(conn, change["id"])
    assert approved["status"] == "approved" and approved["data"]["phone"] == "+7 723 666 66 66"


def test_a_stale_form_never_reverts_an_approved_value(site):
    """Regression: a form opened before someone else's change was approved silently proposed the
    old values of every field that change set."""
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example")
    url = "/kk/manage/colleges/ukvpk"
    stale = form_values(editor.get(url).get_data(as_text=True))
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk",
                                 {"phone": "+7 723 222 22 22", "website": "https://new.example.kz"}, {}, "import")
    described = {"description_kk": "Жаңа сипаттама", "description_ru": "Новое описание"}
    response = editor.post(url, data={**stale, **described, "action": "save"})
    assert response.status_code == 303
    draft = store.open_change(conn, "ukvpk", "college", "ukvpk")
    assert draft["data"] == described  # nothing of the approved change undone
    assert "басқа біреу өзгертті" in editor.get(url).get_data(as_text=True)


def test_a_field_both_changed_is_shown_side_by_side_and_nothing_is_saved(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example", lang="ru")
    url = "/ru/manage/colleges/ukvpk"
    stale = form_values(editor.get(url).get_data(as_text=True))
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"phone": "+7 723 222 22 22"}, {}, "import")
    response = editor.post(url, data={**stale, "phone": "+7 723 333 33 33", "description_kk": "Менің сипаттамам",
                                      "description_ru": "Моё описание", "action": "save"})
    assert response.status_code == 409
    soup = soup_of(response)
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in soup.select(".conflict tbody tr")]
    assert rows == [["Телефон", "+7 723 222 22 22", "+7 723 333 33 33"]]
    assert store.open_change(conn, "ukvpk", "college", "ukvpk") is None
    again = editor.post(url, data={**form_values(response.get_data(as_text=True)), "action": "save"})
    assert again.status_code == 303  # saving the shown form again keeps the editor's choice, knowingly
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"] == {
        "phone": "+7 723 333 33 33", "description_kk": "Менің сипаттамам", "description_ru": "Моё описание"}


def test_an_administrators_own_change_needs_a_second_administrator(site):
    """Regression: an administrator could submit and approve its own change alone."""
    app, conn = site
    admin = app.test_client()
    login(admin, "admin@edu.example")
    assert submit_phone(admin, "+7 723 444 44 44").status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    page = admin.get(f"/kk/manage/review/{change['id']}")
    assert "өзіңіз мақұлдай аласыз" in page.get_data(as_text=True)  # the only administrator: allowed, and said
    add_account(conn, "second@edu.example", role="admin")
    page = admin.get(f"/kk/manage/review/{change['id']}")
    assert "«төрт көз»" in page.get_data(as_text=True)
    refused = admin.post(f"/kk/manage/review/{change['id']}", data={**review_fields(page), "decision": "approve"})
    assert refused.status_code == 403 and store.get_change(conn, change["id"])["status"] == "submitted"
    second = app.test_client()
    login(second, "second@edu.example")
    page = second.get(f"/kk/manage/review/{change['id']}")
    assert second.post(f"/kk/manage/review/{change['id']}",
                       data={**review_fields(page), "decision": "approve"}).status_code == 303
    store.disable_user(conn, "second@edu.example")  # alone again: may approve its own
    assert submit_phone(admin, "+7 723 555 55 55").status_code == 303
    change = store.list_changes(conn, status=("submitted",))[0]
    page = admin.get(f"/kk/manage/review/{change['id']}")
    assert admin.post(f"/kk/manage/review/{change['id']}",
                      data={**review_fields(page), "decision": "approve"}).status_code == 303


# Sessions that end


def copied_cookie(client):
    return client.get_cookie("atlas_manage").value


def opens_dashboard(app, cookie):
    client = app.test_client()
    client.set_cookie("atlas_manage", cookie)
    return client.get("/kk/manage/").status_code == 200


def test_a_cookie_copied_before_logout_is_refused_after_it(site):
    app, conn = site
    client = app.test_client()
    login(client, "editor@college.example")
    cookie = copied_cookie(client)
    assert opens_dashboard(app, cookie)
    assert client.post("/kk/manage/logout", data={"csrf_token": token(client.get("/kk/manage/"))}).status_code == 303
    assert not opens_dashboard(app, cookie)


@pytest.mark.parametrize("ending", ["disable", "password"])
def test_disabling_an_account_or_a_new_password_ends_every_session(site, ending):
    app, conn = site
    client = app.test_client()
    login(client, "editor@college.example")
    cookie = copied_cookie(client)
    user = store.get_user(conn, email="editor@college.example")
    if ending == "disable":
        store.disable_user(conn, user["email"])
    else:
        store.set_password(conn, user["id"], accounts.hash_password("another long passphrase"))
    assert not opens_dashboard(app, cookie)


def test_a_session_expires_after_inactivity(site, monkeypatch):
    """EDITORIAL_SESSION_IDLE_MINUTES (60 by default) without a request ends a session; each
    request moves the end further."""
    app, conn = site
    client = app.test_client()
    login(client, "editor@college.example")
    start = time.time()
    for minutes, status in ((59, 200), (118, 200), (180, 302)):
        monkeypatch.setattr(accounts, "time", SimpleNamespace(time=lambda minutes=minutes: start + minutes * 60))
        response = client.get("/kk/manage/")
        assert response.status_code == status, minutes
    assert "/kk/manage/login" in response.headers["Location"]


@pytest.mark.parametrize("password, problem", [
    ("aaaaaaaaaa", "simple"), ("abababababab", "simple"), ("1234567890", "simple"), ("qwertyuiop", "simple"),
    ("0987654321", "simple"), ("Password2024!", "common"), ("пароль123456", "common"),
    ("editor-2026-secret", "email"), ("short", "short"), ("correct horse battery", None),
    ("Ертіс жағасындағы үй", None),
])
def test_passwords_that_are_easy_to_guess_are_refused(password, problem):
    """Regression: the only rule was "10 characters or more" (`aaaaaaaaaa` passed)."""
    assert accounts.password_problem(password, "editor@college.example") == problem


def test_the_invitation_page_says_why_a_password_is_refused(site):
    app, conn = site
    user_id = store.add_user(conn, "new@college.example", "editor", ["ukvpk"])
    path = f"/ru/manage/invitation/{store.create_invitation(conn, user_id)}"
    client = app.test_client()
    response = client.post(path, data={"password": "aaaaaaaaaa", "password_again": "aaaaaaaaaa",
                                       "csrf_token": token(client.get(path))})
    assert response.status_code == 422 and "слишком легко подобрать" in response.get_data(as_text=True)


# Values that cannot hurt a page


@pytest.mark.parametrize("raw, clean", [
    ("Колледж\u202e техники", "Колледж техники"), ("Ride\u200br", "Rider"), ("soft\u00adhyphen", "softhyphen"),
    ("bell\x07 and\x00 null", "bell and null"), ("\ufeffBOM", "BOM"), ("tab\there", "tab here"),
    ("line\nbreak", "line break"), ("и\u0306", "й"), ("  spaces  ", "spaces"), ("isolate\u2066x\u2069", "isolatex"),
])
def test_one_normaliser_for_every_text(raw, clean):
    assert clean_text(raw) == clean


def test_line_breaks_stay_in_descriptions_only():
    assert clean_text("one\r\ntwo\u2028three\x0b", multiline=True) == "one\ntwo\nthree"


@pytest.mark.parametrize("url, ok", [
    ("https://college.kz", True), ("http://college.kz/a?b=c", True), ("javascript:alert(1)", False),
    ("https://atlas.kz@evil.example/", False), ("https://", False), ("ftp://college.kz", False),
    ("https://college .kz", False),
])
def test_web_addresses(url, ok):
    assert (web_address_problem(url) is None) == ok


def test_hidden_characters_are_removed_and_the_feed_stays_valid_xml(site):
    """Regression: control characters in a college name made the Atom feed invalid XML; bidi
    overrides and zero-width characters were published unchanged."""
    app, conn = site
    editor, admin = app.test_client(), app.test_client()
    login(editor, "editor@college.example")
    login(admin, "admin@edu.example")
    response = post_form(editor, "/kk/manage/colleges/ukvpk", {
        "college": "ukvpk", "name_ru": "Колледж\x07 \u202eтехники\u200b", "action": "submit"})
    assert response.status_code == 303
    assert store.list_changes(conn, status=("submitted",))[0]["data"]["name_ru"] == "Колледж техники"
    # an approved change written before the normaliser existed is cleaned when it is published
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"address_ru": "ул.\x0b Тестовая\u202d 1",
                                                                     "address_kk": "Тест\u200b көшесі, 1"}, {},
                                 "old import")
    page = admin.get(f"/kk/manage/review/{store.list_changes(conn, status=('submitted',))[0]['id']}")
    admin.post(page.request.path, data={**review_fields(page), "decision": "approve"})
    assert admin.post("/kk/manage/publish", data={"csrf_token": token(admin.get("/kk/manage/"))}).status_code == 303
    public = app.test_client()
    feed = public.get("/ru/changes.atom").get_data(as_text=True)
    ElementTree.fromstring(feed.encode())
    college = public.get("/ru/colleges/ukvpk").get_data(as_text=True)
    assert "Колледж техники" in college and "ул. Тестовая 1" in college
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\u200b]", college + feed)


def test_each_field_has_a_length_limit_that_the_form_shows(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example", lang="ru")
    page = soup_of(editor.get("/ru/manage/colleges/ukvpk"))
    assert page.select_one("#f-name_ru")["maxlength"] == "200"
    assert page.select_one("#f-description_ru")["maxlength"] == "2000"
    assert "До 200 символов." in page.get_text()
    response = post_form(editor, "/ru/manage/colleges/ukvpk", {"college": "ukvpk", "name_ru": "Щ" * 2000,
                                                               "action": "save"})
    assert response.status_code == 422
    assert "Текст слишком длинный: не больше 200 символов." in response.get_data(as_text=True)
    assert store.list_changes(conn) == []


def test_a_website_with_a_user_name_before_the_host_is_refused(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example")
    response = post_form(editor, "/kk/manage/colleges/ukvpk", {"college": "ukvpk", "action": "save",
                                                               "website": "https://ukvpk.kz@evil.example/"})
    assert response.status_code == 422 and store.list_changes(conn) == []


@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory):
    """A build whose first college has a 2 000-character name and whose second's name starts
    with an address."""
    folder = tmp_path_factory.mktemp("hostile-names")
    shutil.copytree(DATA, folder / "data")
    path = folder / "data" / "colleges.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for number, name in ((1, "Ш" * 2000), (2, "http://evil.example/ukvpk")):
        cells = next(csv.reader([lines[number]]))
        cells[header.index("name_kk")] = cells[header.index("name_ru")] = name
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        lines[number] = buffer.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:  # the cards' notes name the real colleges: not this test's point
        patch.setattr(cardchecks, "CHECKS", [])
        build(folder / "data", folder / "atlas.db")
    return folder / "atlas.db"


def test_table_exports_link_only_atlas_pages_and_show_their_host(hostile_names):
    """Regression: any cell starting with `http` became a link whose text hid the host."""
    client = create_app({"TESTING": True, "DATABASE": str(hostile_names)}).test_client()
    soup = soup_of(client.get("/kk/colleges/export.table"))
    links = soup.select(".print-table a")
    assert links and all(a["href"].startswith("http://localhost/kk/colleges/") for a in links)
    assert all(a.get_text() == a["href"].split("://", 1)[1] for a in links)
    assert "http://evil.example/ukvpk" in soup.get_text() and not soup.select("a[href*='evil']")


@needs_chromium
@pytest.mark.parametrize("url", ["/kk/colleges/", "/ru/search?q=%D0%A8%D0%A8%D0%A8", "/kk/colleges/export.table",
                                 "/ru/compare?college={a}&college={b}"])
def test_a_2000_character_name_does_not_widen_a_phone_page(browser, hostile_names, url):
    """Regression: a 2 000-character name made the public college list 26 870 px wide on a phone."""
    app = create_app({"TESTING": True, "DATABASE": str(hostile_names)})
    slugs = sqlite3.connect(hostile_names).execute("select slug from colleges order by rowid").fetchall()
    first, second = slugs[0][0], slugs[1][0]
    page = browser.new_page(viewport=WIDTHS["phone"])
    with serving(app) as root:
        page.goto(root + url.format(a=first, b=second))
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"]
        assert "ШШШШ" in page.content()
    page.close()


# Edges


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


@pytest.mark.parametrize("path, lang", [("/kk/manage/import/", "kk"), ("/ru/manage/login", "ru"),
                                        ("/ru/shortlist/add", "ru")])
def test_an_oversized_request_is_refused_before_it_is_read(site, path, lang):
    """Regression: an anonymous 400 MB POST was spooled to disk before any check."""
    app, _ = site
    response = app.test_client().post(path, content_type="multipart/form-data; boundary=x", environ_overrides={
        "wsgi.input": Untouchable(), "CONTENT_LENGTH": str(400 * 1024 * 1024)})
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert ("5 МБ-қа дейінгі" if lang == "kk" else "до 5 МБ") in text


def test_the_413_page_for_nginx_speaks_the_refused_pages_language(site):
    app, _ = site
    response = app.test_client().get("/_errors/413", headers={"X-Original-URI": "/ru/manage/import/"})
    assert response.status_code == 413 and "до 5 МБ" in response.get_data(as_text=True)


def test_nginx_takes_what_the_app_takes():
    from atlas import FORM_ALLOWANCE, UPLOAD_LIMIT
    from tests import conftest

    conf = (conftest.ROOT / "deploy" / "nginx.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)k;", conf)
    assert size and int(size.group(1)) * 1024 == UPLOAD_LIMIT + FORM_ALLOWANCE
    assert "error_page 413 /_errors/413;" in conf


def workbook():
    from atlas.stateorder.template import xlsx_template

    source = zipfile.ZipFile(io.BytesIO(xlsx_template("kk")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


def damaged(kind):
    """A workbook with one member damaged the way the finding's files were."""
    content = bytearray(workbook())
    if kind == "crc":
        at = content.index(b"<sheetData")
        content[at + 1:at + 2] = b"S"
        return bytes(content)
    for signature, offset_flag, offset_method in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            if kind == "encrypted":
                content[start + offset_flag] |= 0x1
            else:
                content[start + offset_method:start + offset_method + 2] = (99).to_bytes(2, "little")
            start += 4
    return bytes(content)


@pytest.mark.parametrize("kind, reason", [
    ("crc", "бақылау сомасы"), ("encrypted", "шифрланған"), ("compression", "қысылған")])
def test_a_damaged_workbook_is_refused_with_a_reason(site, tmp_path, kind, reason):
    """Regression: bad CRC, unsupported compression or the encrypted flag gave a 500 on the
    import page and a traceback from the CLI."""
    app, conn = site
    admin = app.test_client()
    login(admin, "admin@edu.example")
    page = admin.get("/kk/manage/import/")
    response = admin.post("/kk/manage/import/", data={"csrf_token": token(page),
                                                      "file": (io.BytesIO(damaged(kind)), "state-order.xlsx")},
                          content_type="multipart/form-data")
    assert response.status_code == 422 and reason in response.get_data(as_text=True)
    path = tmp_path / "state-order.xlsx"
    path.write_bytes(damaged(kind))
    result = app.test_cli_runner().invoke(args=["import", "state-order", str(path), "--dry-run", "--lang", "kk"])
    assert result.exit_code == 1 and reason in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("target", ["/\t/evil.example/kk/manage/", "/\\evil.example/kk/manage/",
                                    "\t//evil.example/kk/manage/", "/\n/evil.example/kk/manage/",
                                    "https://evil.example/kk/manage/", "//evil.example/kk/manage/",
                                    "/kk/other/manage", "/kk/manage\x00/x"])
def test_login_follows_next_only_as_a_path_the_browser_reads_the_same(site, target):
    """Regression: a tab in next= produced `Location: //host/...`."""
    app, _ = site
    client = app.test_client()
    page = client.get("/kk/manage/login")
    response = client.post("/kk/manage/login", data={"email": "editor@college.example", "password": PASSWORD,
                                                      "next": target, "csrf_token": token(page)})
    assert response.headers["Location"] == "/kk/manage/"


def test_login_follows_a_path_of_the_editing_area(site):
    app, _ = site
    client = app.test_client()
    page = client.get("/kk/manage/login")
    response = client.post("/kk/manage/login", data={"email": "editor@college.example", "password": PASSWORD,
                                                      "next": "/kk/manage/colleges/ukvpk?x=1",
                                                      "csrf_token": token(page)})
    assert response.headers["Location"] == "/kk/manage/colleges/ukvpk?x=1"


@pytest.mark.parametrize("origin, status", [("http://localhost", 303), ("https://localhost", 403),
                                            ("http://localhost:80", 403), ("http://localhost:5000", 403),
                                            ("null", 403)])
def test_the_origin_fallback_compares_scheme_host_and_port(client, origin, status):
    """Regression: `https://localhost` passed for a page served over http."""
    assert client.post("/ru/shortlist/add", data={"item": "p:welder"}, headers={"Origin": origin}).status_code == status


def test_a_publish_removes_what_a_killed_publish_left(site):
    app, conn = site
    folder = os.path.dirname(app.config["DATABASE"])
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        names = [f".atlas.db.{dead.pid}.tmp", f".atlas.db.{dead.pid}.tmp-journal", f".atlas.db.{sleeper.pid}.tmp"]
        for name in names:
            with open(os.path.join(folder, name), "wb") as f:
                f.write(b"x" * 1000)
        publish(conn, app.config["DATA_DIR"], app.config["DATABASE"], "test")
        left = sorted(name for name in os.listdir(folder) if ".tmp" in name)
        assert left == [f".atlas.db.{sleeper.pid}.tmp"]  # a build still running keeps its file
    finally:
        sleeper.kill()
        sleeper.wait()


def tampered(path, statement):
    db = sqlite3.connect(path)
    db.executescript(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize("statement, named", [
    ("create trigger promote after insert on history begin update users set role = 'admin'; end;",
     "trigger promote"),
    ("alter table users add column note text;", "column note of table users"),
    ("drop index changes_open;", "index changes_open"),
    ("create table extra (x);", "table extra"),
    ("drop trigger history_no_delete;", "trigger history_no_delete"),
    ("create view v as select 1;", "view v"),
])
def test_restore_accepts_only_the_exact_schema(site, tmp_path, statement, named):
    """Regression: `atlas restore` took any SQLite file with the right table names: a wrong
    schema broke the editing area and an added trigger made an editor an administrator."""
    app, conn = site
    copy = tmp_path / "copy.db"
    backup.backup(app.config["EDITORIAL_DATABASE"], copy)
    tampered(copy, statement)
    result = app.test_cli_runner().invoke(args=["restore", str(copy)])
    assert result.exit_code != 0 and named in result.output
    names = {r[0] for r in conn.execute("select name from sqlite_master")}
    assert "promote" not in names and "extra" not in names


def test_restore_brings_a_backup_of_the_previous_version_up_to_date(site, tmp_path):
    app, conn = site
    old = tmp_path / "old.db"
    backup.backup(app.config["EDITORIAL_DATABASE"], old)
    tampered(old, "drop table attempts; alter table users drop column session_generation;")
    result = app.test_cli_runner().invoke(args=["restore", str(old)])
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "editor@college.example").status_code == 303


def test_an_older_editing_database_keeps_working(tmp_path):
    path = tmp_path / "editorial.db"
    db = sqlite3.connect(path)
    db.executescript(store.SCHEMA)
    db.execute("insert into users (email, role, created_at) values ('old@college.example', 'editor', 'x')")
    db.commit()
    db.close()
    conn = store.connect(str(path))
    assert store.get_user(conn, email="old@college.example")["session_generation"] == 0
    assert conn.execute("select count(*) from attempts").fetchone()[0] == 0
    store.connect(str(path)).close()  # twice: nothing to add the second time
    conn.close()


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_editing_database_and_backups_are_private(site, tmp_path):
    """Regression: the editing database and backups were world-readable (Argon2 hashes,
    e-mails, drafts)."""
    app, conn = site
    database = app.config["EDITORIAL_DATABASE"]
    assert mode(database) == 0o600 and mode(database + "-wal") == 0o600
    target = tmp_path / "backups" / "editorial.db"
    assert app.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0
    assert mode(target) == 0o600
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    os.chmod(loose, 0o644)
    store.connect(str(loose)).close()
    assert mode(loose) == 0o600


# The limits through real servers: gunicorn's workers, and nginx in front of them


class Browser:
    """A browser of the editing area over real HTTP: its own cookies, a new connection for
    every request (so that gunicorn hands them to any worker), redirects not followed."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, root):
        self.root, self.jar = root, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirects)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.root + path, body, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, email, password):
        status, page = self.request("/kk/manage/login")
        assert status == 200, page[:200]
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        return self.request("/kk/manage/login", {"email": email, "password": password,
                                                 "csrf_token": found.group(1)})[0]


def wait_until_up(root, process, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server did not start")
        try:
            with urllib.request.urlopen(root + "/robots.txt", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def server_env(tmp_path, base):
    app, conn = make_site(tmp_path, base)
    add_account(conn, "editor@college.example")
    conn.close()
    return server_environment(DATABASE=app.config["DATABASE"], DATA_DIR=app.config["DATA_DIR"],
                              EDITORIAL_DATABASE=app.config["EDITORIAL_DATABASE"], SECRET_KEY="limits-test",
                              EDITORIAL_LOGIN_LIMIT="5 per minute", EDITORIAL_LOGIN_ADDRESS_LIMIT="1000 per minute",
                              PAGE_CACHE="false")


def attack_and_owner(root):
    """The owner logs in once (their browser becomes known), then 13 wrong passwords arrive on
    new connections; then the owner logs in again from their browser and from a new one."""
    owner = Browser(root)
    assert owner.login("editor@college.example", PASSWORD) == 303
    attacker = Browser(root)
    answers = [attacker.login("editor@college.example", f"guess {n}") for n in range(13)]
    return answers, owner.login("editor@college.example", PASSWORD), Browser(root).login(
        "editor@college.example", PASSWORD)


def test_several_gunicorn_workers_check_at_most_the_limit(tmp_path, base):
    """Regression: with 3 workers, 13 password tries on one account passed in 1.7 s against a
    limit of 5 a minute. Through gunicorn with 3 workers, each request on a new connection."""
    port = free_port()
    log = tmp_path / "access.log"
    process = subprocess.Popen(
        [*gunicorn_command(f"127.0.0.1:{port}", 3, access_log=str(log))[:-1],
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "atlas.wsgi:app"],
        cwd=ROOT, env=server_env(tmp_path, base), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(root, process)
        answers, owner, stranger = attack_and_owner(root)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert answers == [200] * 4 + [429] * 9  # the owner's login was the first of the 5
    assert owner == 303 and stranger == 429
    posts = [line.split() for line in log.read_text().splitlines() if " POST /kk/manage/login " in line]
    assert len(posts) == 16 and len({pid for pid, *_ in posts}) >= 2  # the tries reached several workers


@pytest.mark.skipif(not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")), reason="nginx is not installed")
def test_behind_nginx_the_limit_holds_and_a_large_body_gets_the_atlas_page(tmp_path, base):
    """Regression: 12 tries passed behind nginx; nginx refused the 1–5 MB tables the README
    accepts, with its bare 413 page."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "deploy/serve.py", "--port", str(port), "--workers", "3",
                                "--instance", str(tmp_path / "nginx")], cwd=ROOT, env=server_env(tmp_path, base),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(root, process)
        answers, owner, stranger = attack_and_owner(root)
        big = urllib.request.Request(root + "/ru/manage/import/", data=b"x" * (6 * 1024 * 1024), method="POST",
                                     headers={"Content-Type": "application/octet-stream"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(big, timeout=20)
        page = refused.value.read().decode()
        within = Browser(root).request("/ru/manage/import/", {"x": "y" * (4 * 1024 * 1024)})
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert answers == [200] * 4 + [429] * 9 and owner == 303 and stranger == 429
    assert refused.value.code == 413 and "до 5 МБ" in page and "<html" in page
    assert within[0] == 400  # a 4 MB body reaches the app (which wants its form token)
