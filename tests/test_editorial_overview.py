"""The department's overview, bulk invitations, and the editing pages in the reader's language:
names instead of slugs, values translated, times in the region's zone, links on the right host."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from atlas.editorial import localtime, store
from atlas.editorial.bulk_invitations import fold, read_rows
from atlas.editorial.forms import complete_website
from atlas.editorial.records import as_overlay
from tests.editorial_helpers import base, site  # noqa: F401 (fixtures this module uses)
from tests.editorial_helpers import add_account, login, make_site, post_form, review_fields, token

UKVPK_RU = "Усть-Каменогорский высший политехнический колледж"
UKVPK_KK = "Өскемен жоғары политехникалық колледжі"


def admin_client(app, lang="ru"):
    client = app.test_client()
    login(client, "admin@edu.example", lang=lang)
    return client


def text_of(response):
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


# Times of the region

def test_the_region_is_utc_plus_5():
    moment = datetime(2026, 6, 1, tzinfo=timezone.utc)
    assert localtime.REGION.utcoffset(moment) == timedelta(hours=5)
    assert localtime.format_time("2026-01-01T20:30:00+00:00") == "02.01.2026 01:30 (UTC+5)"
    assert localtime.format_time("2026-01-01T20:30:00") == "02.01.2026 01:30 (UTC+5)"  # stored UTC without a zone
    assert localtime.format_time("") == "" and localtime.format_time("not a time") == ""
    assert localtime.format_day("2026-03-08") == "08.03.2026"


@pytest.mark.parametrize("name", ["Asia/Novosibirsk", "No/Such_Zone", "../etc/passwd"])
def test_a_zone_without_the_2024_change_falls_back_to_a_fixed_utc_plus_5(name):
    """An old tzdata keeps Asia/Almaty at +06: a zone that does not give +05 is not used."""
    zone = localtime.region_zone(name)
    assert zone is localtime.FIXED
    assert localtime.format_time("2026-01-01T20:30:00+00:00", zone) == "02.01.2026 01:30 (UTC+5)"


def test_asia_almaty_is_used_when_it_gives_plus_5():
    assert localtime.region_zone("Asia/Almaty").key == "Asia/Almaty"


def test_public_dates_are_the_regions_dates():
    """Approved at 21:00 UTC is the next morning in the region: the page must say the next day."""
    change = {"id": 1, "kind": "college", "college": "ukvpk", "record_key": "ukvpk", "data": {},
              "reviewed_at": "2026-03-01T21:00:00+00:00", "published_at": "2026-03-01T19:10:00+00:00"}
    overlay = as_overlay(change)
    assert overlay["checked_on"] == "2026-03-02"
    assert overlay["published_on"] == "2026-03-02"


# The overview

def test_the_overview_is_for_administrators_and_linked_from_home_and_menu(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example")
    assert editor.get("/kk/manage/overview").status_code == 403
    assert editor.get("/kk/manage/overview.csv").status_code == 403
    assert editor.get("/kk/manage/overview/invitations").status_code == 403
    assert app.test_client().get("/kk/manage/overview").status_code == 302
    admin = admin_client(app, "kk")
    home = admin.get("/kk/manage/").get_data(as_text=True)
    assert home.count('href="/kk/manage/overview"') == 2  # the menu and the home page
    assert 'href="/kk/manage/overview/invitations"' in home


def test_the_overview_counts_what_each_college_filled(site):
    app, conn = site
    admin = admin_client(app)
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"phone": "+7 7232 00 00 00",
                                 "website": "https://college.example.kz"}, {}, "", who="admin@edu.example")
    page = admin.get("/ru/manage/overview")
    assert page.status_code == 200
    rows = {m[0]: m[1] for m in re.findall(r'<th scope="row"><a href="/ru/manage/colleges/([^"]+)">[^<]*</a></th>(.*?)</tr>',
                                           page.get_data(as_text=True), re.S)}
    assert "2 из 4" in rows["ukvpk"]  # phone and website of phone, e-mail, website, address
    assert "admin@edu.example" in rows["ukvpk"] and "(UTC+5)" in rows["ukvpk"]
    assert "никогда" in rows["ukmtk"]
    assert "у 0 заполнены все контакты" in text_of(page)  # ukvpk has two of four
    assert UKVPK_RU in page.get_data(as_text=True)


def test_the_overview_sorts_with_plain_links(site):
    app, conn = site
    admin = admin_client(app)
    store.record_approved_change(conn, "ukks", "college", "ukks", {"phone": "+7 7232 00 00 01"}, {}, "")
    html = admin.get("/ru/manage/overview").get_data(as_text=True)
    assert 'href="/ru/manage/overview?sort=contacts&amp;order=asc"' in html
    by_contacts = admin.get("/ru/manage/overview?sort=contacts&order=desc").get_data(as_text=True)
    order = re.findall(r'<th scope="row"><a href="/ru/manage/colleges/([^"]+)"', by_contacts)
    assert order[0] == "ukks"
    assert 'aria-sort="descending"' in by_contacts
    by_name = re.findall(r'<th scope="row"><a href="/ru/manage/colleges/([^"]+)"',
                         admin.get("/ru/manage/overview?sort=name").get_data(as_text=True))
    reverse = re.findall(r'<th scope="row"><a href="/ru/manage/colleges/([^"]+)"',
                         admin.get("/ru/manage/overview?sort=name&order=desc").get_data(as_text=True))
    assert by_name == list(reversed(reverse)) and len(by_name) > 5
    assert admin.get("/ru/manage/overview?sort=drop%20table&order=x").status_code == 200  # unknown: by name


def test_the_overview_csv_is_safe_in_a_spreadsheet(site):
    app, conn = site
    store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"name_ru": "=HYPERLINK(\"http://x\")"}, {}, "")
    response = admin_client(app).get("/ru/manage/overview.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["slug", "name", "contacts"]
    row = next(r for r in rows if r[0] == "ukvpk")
    assert row[1] == "'=HYPERLINK(\"http://x\")"
    assert len(rows) == 1 + len([r for r in rows[1:] if r[0]])


# Bulk invitations

def upload(client, content, lang="ru", name="contacts.csv"):
    page = client.get(f"/{lang}/manage/overview/invitations")
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(f"/{lang}/manage/overview/invitations", content_type="multipart/form-data",
                       data={"csrf_token": token(page), "action": "check", "file": (io.BytesIO(data), name)})


def send(client, response, lang="ru"):
    table = re.search(r'<textarea name="table" hidden>(.*?)</textarea>', response.get_data(as_text=True), re.S)
    assert table, "the dry run offers no sending"
    import html

    return client.post(f"/{lang}/manage/overview/invitations",
                       data={"csrf_token": token(response), "action": "send", "table": html.unescape(table.group(1))})


def test_a_dry_run_names_each_wrong_row_and_sends_nothing(site):
    app, conn = site
    admin = admin_client(app)
    users_before = len(store.list_users(conn))
    table = ("Колледж;Электронная почта\n"
             f"КГКП «{UKVPK_RU}» управления образования ВКО;secretary@ukvpk.example.kz\n"
             "Несуществующий колледж;x@example.kz\n"
             "ukmtk;not-an-address\n"
             ";empty@example.kz\n"
             "ukks;admin@edu.example\n")
    response = upload(admin, table)
    assert response.status_code == 422
    text = text_of(response)
    assert "В атласе нет колледжа «Несуществующий колледж»" in text
    assert "«not-an-address» — не адрес электронной почты" in text
    assert "Колледж не указан" in text
    assert "учётная запись администратора" in text
    assert "В 4 строках ошибки" in text
    assert '<textarea name="table"' not in response.get_data(as_text=True)
    assert len(store.list_users(conn)) == users_before


def test_a_close_name_is_suggested_not_guessed(site):
    app, conn = site
    response = upload(admin_client(app), "college,email\nУсть-Каменогорский высший политехническй колледж,a@b.kz\n")
    assert response.status_code == 422
    assert f"Возможно, имеется в виду «{UKVPK_RU}»" in text_of(response)


def test_bulk_invitations_create_accounts_with_links_on_the_admins_host(site):
    app, conn = site
    admin = admin_client(app, "kk")
    table = ("college,email\n"
             f"{UKVPK_KK},secretary@colleges.example.kz\n"
             "ukmtk,secretary@colleges.example.kz\n"
             "ukmtk,secretary@colleges.example.kz\n"  # the same row twice: once
             "ukks,editor@college.example\n")  # an existing editor: access added
    dry = upload(admin, table, lang="kk")
    assert dry.status_code == 200, text_of(dry)
    assert "2-жолды қайталайды" not in text_of(dry) and "3-жолды қайталайды" in text_of(dry)
    assert store.get_user(conn, email="secretary@colleges.example.kz") is None  # a dry run writes nothing
    done = send(admin, dry, lang="kk")
    assert done.status_code == 200
    secretary = store.get_user(conn, email="secretary@colleges.example.kz")
    assert secretary["role"] == "editor" and secretary["colleges"] == ["ukmtk", "ukvpk"]
    assert store.get_user(conn, email="editor@college.example")["colleges"] == ["ukks", "ukvpk"]
    links = re.findall(r'class="invitation-link" readonly value="([^"]+)"', done.get_data(as_text=True))
    assert len(links) == 1 and links[0].startswith("http://localhost/kk/manage/invitation/")
    assert app.test_client().get(links[0].removeprefix("http://localhost")).status_code == 200
    again = text_of(upload(admin, table, lang="kk"))  # the same table again: no new account
    assert "бұрын шақырылған, бірақ әлі кірмеген" in again  # the secretary has not come yet: a fresh link
    assert "рұқсаты бар: жіберетін ештеңе жоқ" in again  # the editor has every college of the table
    assert len(store.list_users(conn)) == 3


def test_a_hostile_or_empty_upload_is_refused_with_a_reason(site):
    app, conn = site
    admin = admin_client(app)
    assert upload(admin, b"").status_code == 422
    assert upload(admin, b"\x00\x01binary").status_code == 422
    big = upload(admin, "ukvpk,a@b.kz\n" * 30000)
    assert big.status_code == 422 and "КБ" in text_of(big)
    page = admin.get("/ru/manage/overview/invitations")
    no_file = admin.post("/ru/manage/overview/invitations", data={"csrf_token": token(page), "action": "check"})
    assert no_file.status_code == 422 and "Выберите файл CSV" in text_of(no_file)
    forged = admin.post("/ru/manage/overview/invitations",
                        data={"csrf_token": token(page), "action": "send", "table": "ukvpk;bad address"})
    assert forged.status_code == 422 and store.get_user(conn, email="bad address") is None


def test_excel_csv_in_windows_1251_without_a_header_is_read():
    rows = read_rows(f"admin@x.kz;{UKVPK_RU}\r\n".encode("cp1251").decode("cp1251"))
    assert rows == [(1, UKVPK_RU, "admin@x.kz")]


@pytest.mark.parametrize("written", [f"КГКП «{UKVPK_RU}» управления образования ВКО",
                                     f"ШҚО білім басқармасының «{UKVPK_KK}» КМҚК",
                                     f"  {UKVPK_RU.upper()}  ", f'"{UKVPK_RU}"'])
def test_official_names_fold_to_the_atlas_name(written):
    assert fold(written) in (fold(UKVPK_RU), fold(UKVPK_KK))


# Invitation links and `atlas users add`

def invitation_lines(result):
    return [line for line in result.output.splitlines() if "/manage/invitation/" in line]


def test_the_cli_says_which_base_it_used_and_warns_about_loopback(site):
    app, conn = site
    result = app.test_cli_runner().invoke(args=["users", "add", "a@college.example", "--role", "editor",
                                                "--college", "ukvpk"])
    assert result.exit_code == 0, result.output
    assert "base is http://127.0.0.1:5000" in result.output and "Warning: this is a loopback address" in result.output
    assert result.output.strip().splitlines()[-1].startswith("http://127.0.0.1:5000/kk/manage/invitation/")


def test_invitation_links_use_the_public_host(tmp_path, base):
    app, conn = make_site(tmp_path, base, SERVER_NAME="atlas.example.kz", HTTPS=True)
    result = app.test_cli_runner().invoke(args=["users", "add", "b@college.example", "--role", "editor",
                                                "--college", "ukvpk"])
    assert result.exit_code == 0, result.output
    assert invitation_lines(result)[0].startswith("https://atlas.example.kz/kk/manage/invitation/")
    assert "ATLAS_SERVER_NAME" in result.output and "Warning" not in result.output
    conn.close()


def test_the_accounts_page_links_on_the_host_the_admin_uses(tmp_path, base):
    app, conn = make_site(tmp_path, base, TRUSTED_HOSTS=["editors.example.kz"])
    add_account(conn, "admin@edu.example", role="admin")
    client = app.test_client()
    page = client.get("/ru/manage/login", base_url="http://editors.example.kz")
    client.post("/ru/manage/login", base_url="http://editors.example.kz",
                data={"email": "admin@edu.example", "password": "correct horse battery", "csrf_token": token(page)})
    page = client.get("/ru/manage/users", base_url="http://editors.example.kz")
    response = client.post("/ru/manage/users", base_url="http://editors.example.kz",
                           data={"csrf_token": token(page), "email": "c@college.example", "role": "editor",
                                 "college": "ukvpk"})
    assert response.status_code == 200
    link = re.search(r'class="invitation-link" readonly value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert link.startswith("http://editors.example.kz/ru/manage/invitation/")
    assert "127.0.0.1:5000" not in response.get_data(as_text=True)
    conn.close()


def test_users_add_refuses_a_college_the_atlas_does_not_have(site):
    app, conn = site
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "add", "d@college.example", "--role", "editor", "--college", "ukvpkk"])
    assert result.exit_code == 2
    assert "no college 'ukvpkk'" in result.output and "ukvpk" in result.output
    assert store.get_user(conn, email="d@college.example") is None
    # a college that exists only as an approved change of the editing area is known
    store.record_approved_change(conn, "new-college", "college", "new-college",
                                 {"name_kk": "Жаңа колледж", "name_ru": "Новый колледж"}, {}, "table.csv, 2026-07-01")
    result = runner.invoke(args=["users", "add", "d@college.example", "--role", "editor", "--college", "new-college"])
    assert result.exit_code == 0, result.output


# Forms

@pytest.mark.parametrize("typed, kept", [("college.kz", "https://college.kz"), ("www.vkpk.kz/ru ", "https://www.vkpk.kz/ru"),
                                         ("https://college.kz", "https://college.kz"), ("//college.kz", "https://college.kz"),
                                         ("http://college.kz", "http://college.kz"), ("not a site", "not a site"),
                                         ("", "")])
def test_a_website_without_its_scheme_is_completed(typed, kept):
    assert complete_website(typed).strip() == kept


def test_the_college_form_completes_the_website(site):
    app, conn = site
    editor = app.test_client()
    login(editor, "editor@college.example")
    response = post_form(editor, "/kk/manage/colleges/ukvpk", {"college": "ukvpk", "website": "vkpk.edu.kz",
                                                                "action": "save"})
    assert response.status_code == 303
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"]["website"] == "https://vkpk.edu.kz"


# Review, history and what changed, in the reader's language

def edit_and_submit(app):
    editor = app.test_client()
    login(editor, "editor@college.example")
    response = post_form(editor, "/kk/manage/colleges/ukvpk", {"college": "ukvpk", "languages": ["kk", "ru"],
                                                                "dormitory": "yes", "action": "submit"})
    assert response.status_code == 303


def test_the_review_names_the_college_the_submitter_and_the_values(site):
    app, conn = site
    edit_and_submit(app)
    admin = admin_client(app)
    change = store.list_changes(conn, status=("submitted",))[0]
    listing = text_of(admin.get("/ru/manage/review"))
    assert UKVPK_RU in listing and "Отправитель: editor@college.example" in listing and "(UTC+5)" in listing
    page = admin.get(f"/ru/manage/review/{change['id']}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert UKVPK_RU in text and "Отправитель: editor@college.example" in text
    assert re.search(r'class="after"[^>]*><ul class="values"><li>казахский</li><li>русский</li></ul>', html)
    assert "Общежитие" in text and re.search(r'class="after"[^>]*>да</td>', html)


def test_the_history_speaks_the_readers_language(site):
    app, conn = site
    edit_and_submit(app)
    for lang, words in (("ru", ["сохранён черновик", "отправлено на проверку", "Языки обучения", "казахский",
                                UKVPK_RU, "(UTC+5)"]),
                        ("kk", ["жоба сақталды", "тексеруге жіберілді", "қазақ", UKVPK_KK, "(UTC+5)"])):
        page = admin_client(app, lang).get(f"/{lang}/manage/history")
        text = text_of(page)
        for word in words:
            assert word in text, (lang, word)
        assert '["kk", "ru"]' not in page.get_data(as_text=True) and ">save<" not in page.get_data(as_text=True)
    filtered = admin_client(app).get("/ru/manage/history?action=submit&college=ukvpk")
    assert 'value="submit" selected' in filtered.get_data(as_text=True)
    assert "сохранён черновик" not in text_of(filtered).split("Скачать в CSV")[-1]


def test_what_changed_shows_old_and_new_values_translated(site):
    app, conn = site
    edit_and_submit(app)
    admin = admin_client(app)
    change = store.list_changes(conn, status=("submitted",))[0]
    page = admin.get(f"/ru/manage/review/{change['id']}")
    assert admin.post(f"/ru/manage/review/{change['id']}",
                      data={**review_fields(page), "decision": "approve"}).status_code == 303
    home = admin.get("/ru/manage/")
    assert admin.post("/ru/manage/publish", data={"csrf_token": token(home)}).status_code == 303
    for lang, expected in (("ru", "казахский, русский"), ("kk", "қазақ")):
        text = text_of(app.test_client().get(f"/{lang}/changes"))
        assert expected in text and "→" in text, text[:2000]
        assert localtime.format_day(localtime.local_date()) in text
    feed = app.test_client().get("/ru/changes.atom").get_data(as_text=True)
    assert "→ казахский, русский" in feed


def test_a_failing_mail_server_still_shows_every_link(site, monkeypatch):
    app, conn = site
    app.config["EDITORIAL_SMTP_HOST"] = "127.0.0.1"

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("smtplib.SMTP", refused)
    admin = admin_client(app)
    dry = upload(admin, "ukvpk,one@colleges.example.kz\nukmtk,two@colleges.example.kz\n")
    done = send(admin, dry)
    assert done.status_code == 200
    links = re.findall(r'class="invitation-link" readonly value="([^"]+)"', done.get_data(as_text=True))
    assert len(links) == 2


def test_the_history_csv_gives_the_regions_time_too(site):
    app, conn = site
    edit_and_submit(app)
    rows = list(csv.reader(io.StringIO(admin_client(app).get("/ru/manage/history.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0][-1] == "at_local"
    assert rows[1][-1] == localtime.format_time(rows[1][1]) and rows[1][-1].endswith("(UTC+5)")


def test_the_accounts_page_warns_when_its_link_is_a_loopback_one(site):
    app, conn = site
    client = app.test_client()
    page = client.get("/ru/manage/login", base_url="http://127.0.0.1:5108")
    client.post("/ru/manage/login", base_url="http://127.0.0.1:5108",
                data={"email": "admin@edu.example", "password": "correct horse battery", "csrf_token": token(page)})
    page = client.get("/ru/manage/users", base_url="http://127.0.0.1:5108")
    response = client.post("/ru/manage/users", base_url="http://127.0.0.1:5108",
                           data={"csrf_token": token(page), "email": "e@college.example", "role": "editor",
                                 "college": "ukvpk"})
    assert "http://127.0.0.1:5108/ru/manage/invitation/" in response.get_data(as_text=True)
    assert "начинаться с http://127.0.0.1:5108 — это адрес только этого компьютера" in text_of(response)
