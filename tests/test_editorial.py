"""The editing area: accounts, invitations, access rules, session security, rate limits."""

from datetime import datetime, timedelta, timezone

import pytest

from atlas.editorial import store
from tests.editorial_helpers import base, site  # noqa: F401 (fixtures this module uses)
from tests.editorial_helpers import (PASSWORD, add_account, errors_of, login, make_site, other_college, post_form,
                                     token)


@pytest.fixture()
def app(site):
    return site[0]


@pytest.fixture()
def conn(site):
    return site[1]


@pytest.mark.parametrize("path", ["/kk/manage/", "/ru/manage/colleges/ukvpk", "/kk/manage/review", "/ru/manage/history",
                                  "/kk/manage/history.csv", "/ru/manage/users", "/kk/manage/colleges/ukvpk/offerings/new"])
def test_anonymous_requests_go_to_the_login_page(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{path[:3]}/manage/login")


def test_manage_pages_are_private_and_not_indexed(app):
    response = app.test_client().get("/ru/manage/login")
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.get_data(as_text=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("atlas_manage="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie


def test_manage_cookie_is_secure_over_https(app):
    response = app.test_client().get("/ru/manage/login", base_url="https://localhost")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("atlas_manage="))
    assert "Secure" in cookie


def test_public_pages_never_open_the_editing_session(app):
    client = app.test_client()
    login(client, "editor@college.example")
    response = client.get("/kk/colleges/ukvpk")
    assert response.status_code == 200
    assert not any(c.startswith("atlas_manage=") for c in response.headers.getlist("Set-Cookie"))


def test_login_starts_a_new_session(app):
    client = app.test_client()
    before = token(client.get("/kk/manage/login"))
    response = login(client, "editor@college.example")
    assert response.status_code == 303
    after = token(client.get("/kk/manage/colleges/ukvpk"))
    assert before != after


def test_forms_need_the_csrf_token(app):
    client = app.test_client()
    login(client, "editor@college.example")
    response = client.post("/kk/manage/colleges/ukvpk", data={"college": "ukvpk", "phone": "+7 700 000 00 00"})
    assert response.status_code == 400


def invitation_path(link):
    return "/" + link.split("/", 3)[3]


def test_invitation_works_once(app, conn):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "add", "new@college.example", "--role", "editor", "--college", "ukvpk"])
    assert result.exit_code == 0, result.output
    path = invitation_path(result.output.strip().splitlines()[-1])
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, data={"password": "a new password 1", "password_again": "a new password 1",
                                       "csrf_token": token(page)})
    assert response.status_code == 303
    assert client.get("/kk/manage/colleges/ukvpk").status_code == 200
    assert app.test_client().get(path).status_code == 404
    assert login(app.test_client(), "new@college.example", "a new password 1").status_code == 303


def test_invitation_expires_after_72_hours(app, conn):
    user_id = store.add_user(conn, "late@college.example", "editor", ["ukvpk"])
    old = store.create_invitation(conn, user_id, at=datetime.now(timezone.utc) - timedelta(hours=72, minutes=1))
    fresh = store.create_invitation(conn, user_id, at=datetime.now(timezone.utc) - timedelta(hours=71))
    client = app.test_client()
    assert client.get(f"/kk/manage/invitation/{old}").status_code == 404
    assert client.get(f"/kk/manage/invitation/{fresh}").status_code == 200


def test_a_short_password_is_refused(app, conn):
    user_id = store.add_user(conn, "short@college.example", "editor", ["ukvpk"])
    path = f"/ru/manage/invitation/{store.create_invitation(conn, user_id)}"
    client = app.test_client()
    response = client.post(path, data={"password": "short", "password_again": "short",
                                       "csrf_token": token(client.get(path))})
    assert response.status_code == 422
    assert client.get(path).status_code == 200  # not spent


def test_users_cli_add_with_password_list_and_disable(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "add", "first@edu.example", "--role", "admin", "--password-stdin"],
                           input="a long admin passphrase\n")
    assert result.exit_code == 0, result.output
    assert "http" not in result.output
    assert login(app.test_client(), "first@edu.example", "a long admin passphrase").status_code == 303
    listed = runner.invoke(args=["users", "list"]).output
    assert "first@edu.example\tadmin\t-\tactive" in listed
    assert "editor@college.example\teditor\tukvpk\tactive" in listed
    assert runner.invoke(args=["users", "disable", "first@edu.example"]).exit_code == 0
    assert "first@edu.example\tadmin\t-\tdisabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "add", "x@y.example", "--role", "editor"]).exit_code != 0


def test_admin_invites_from_the_web(app):
    client = app.test_client()
    login(client, "admin@edu.example")
    response = post_form(client, "/ru/manage/users", {"email": "web@college.example", "role": "editor",
                                                      "college": "ukvpk"})
    assert response.status_code == 200
    assert "/ru/manage/invitation/" in response.get_data(as_text=True)
    refused = post_form(client, "/ru/manage/users", {"email": "web@college.example", "role": "editor",
                                                     "college": "ukvpk"})
    assert refused.status_code == 422


def test_editor_cannot_read_or_change_another_college(app, conn):
    other = other_college(app)
    client = app.test_client()
    login(client, "editor@college.example")
    assert client.get(f"/kk/manage/colleges/{other}").status_code == 403
    assert client.get(f"/kk/manage/colleges/{other}/offerings/new").status_code == 403
    page = client.get("/kk/manage/colleges/ukvpk")
    fields = {"csrf_token": token(page), "version": "0", "phone": "+7 700 000 00 00"}
    assert client.post(f"/kk/manage/colleges/{other}", data={**fields, "college": other}).status_code == 403
    # the form of the editor's own college, with the hidden college field changed
    assert client.post("/kk/manage/colleges/ukvpk", data={**fields, "college": other}).status_code == 403
    assert client.post("/kk/manage/colleges/ukvpk/offerings/new",
                       data={**fields, "college": other, "specialty": "07161100"}).status_code == 403
    assert store.list_changes(conn) == []
    # a change of another college cannot be submitted by its id
    foreign = store.save_draft(conn, "admin@edu.example", other, "college", other, {"phone": "+7 700 111 11 11"}, {})
    assert client.post(f"/kk/manage/changes/{foreign['id']}/submit",
                       data={"csrf_token": fields["csrf_token"]}).status_code == 403
    assert store.get_change(conn, foreign["id"])["status"] == "draft"


@pytest.mark.parametrize("path", ["/kk/manage/review", "/kk/manage/history", "/kk/manage/history.csv",
                                  "/kk/manage/users", "/kk/manage/review/1"])
def test_editor_cannot_open_administrator_pages(app, path):
    client = app.test_client()
    login(client, "editor@college.example")
    assert client.get(path).status_code == 403


def test_editor_cannot_publish(app):
    client = app.test_client()
    login(client, "editor@college.example")
    page = client.get("/kk/manage/")
    assert client.post("/kk/manage/publish", data={"csrf_token": token(page)}).status_code == 403


def test_disabled_account_is_logged_out_on_its_next_request(app, conn):
    client = app.test_client()
    login(client, "editor@college.example")
    assert client.get("/kk/manage/colleges/ukvpk").status_code == 200
    assert app.test_cli_runner().invoke(args=["users", "disable", "editor@college.example"]).exit_code == 0
    response = client.get("/kk/manage/colleges/ukvpk")
    assert response.status_code == 302 and "/kk/manage/login" in response.headers["Location"]
    assert login(app.test_client(), "editor@college.example").status_code == 200  # and cannot log in again


def test_wrong_passwords_are_slowed_down_with_the_same_answer(tmp_path, base):
    app, conn = make_site(tmp_path, base, EDITORIAL_LOGIN_LIMIT="3 per minute")
    add_account(conn, "known@college.example")
    answers = {}
    for number, email in enumerate(("known@college.example", "nobody@college.example")):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{number + 1}"
        statuses, bodies = [], set()
        for attempt in range(5):
            response = login(client, email, f"wrong password {attempt}")
            statuses.append(response.status_code)
            bodies.add(response.get_data(as_text=True).replace(email, "EMAIL").split("<form", 1)[0])
        answers[email] = (statuses, bodies)
    assert answers["known@college.example"][0] == answers["nobody@college.example"][0] == [200, 200, 200, 429, 429]
    assert answers["known@college.example"][1] == answers["nobody@college.example"][1]
    # the right password is refused too while the account's attempts are used up
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.3"
    assert login(client, "known@college.example").status_code == 429
    conn.close()


def test_validation_errors_are_shown_next_to_the_field_in_the_editors_language(app):
    client = app.test_client()
    login(client, "editor@college.example", lang="ru")
    response = post_form(client, "/ru/manage/colleges/ukvpk", {
        "college": "ukvpk", "website": "ftp://example.kz", "phone": "87232", "lat": "49.9", "action": "save"})
    assert response.status_code == 422
    errors = errors_of(response)
    assert "Напишите адрес, начиная с http:// или https://." in errors
    assert "Напишите телефон в виде +7 и номер." in errors
    assert "Укажите и широту, и долготу или не указывайте ни одну." in errors
    body = response.get_data(as_text=True)
    assert 'value="ftp://example.kz"' in body and 'value="87232"' in body  # nothing typed is lost


def test_the_build_rejects_what_the_form_rejects(app, conn):
    """One set of rules: an approved change with a bad value fails the publish as well."""
    from atlas.dataset.build import build
    from atlas.editorial.records import as_overlay
    from atlas.dataset.sources import DataError

    change_id = store.record_approved_change(conn, "ukvpk", "college", "ukvpk", {"website": "www.example.kz"}, {},
                                             "test")
    with pytest.raises(DataError) as error:
        build(app.config["DATA_DIR"], app.config["DATABASE"] + ".new",
              [as_overlay(store.get_change(conn, change_id))])
    assert [p.field for p in error.value.problems] == ["website"]


def test_csv_cells_cannot_start_a_formula():
    """The history CSV goes through the site's one CSV helper."""
    from atlas.features.exports import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+7 700", "-2", "@SUM(A1)", "\tx", "\rx", "ok", 5)] == [
        "'=1+1", "'+7 700", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok", 5]


def test_history_cannot_be_rewritten_or_deleted(conn):
    store.save_draft(conn, "editor@college.example", "ukvpk", "college", "ukvpk", {"phone": "+7 700 000 00 00"}, {})
    with pytest.raises(Exception, match="append-only"):
        conn.execute("update history set after = 'x'")
    with pytest.raises(Exception, match="append-only"):
        conn.execute("delete from history")


def test_history_filters_and_csv(app, conn):
    store.save_draft(conn, "editor@college.example", "ukvpk", "college", "ukvpk", {"phone": "=HYPERLINK(1)"}, {})
    client = app.test_client()
    login(client, "admin@edu.example")
    assert "=HYPERLINK" in client.get("/kk/manage/history?college=ukvpk&action=save").get_data(as_text=True)
    assert "HYPERLINK" not in client.get("/kk/manage/history?action=submit").get_data(as_text=True)
    response = client.get("/kk/manage/history.csv?college=ukvpk")
    assert response.mimetype == "text/csv"
    assert ",'=HYPERLINK(1)," in response.get_data(as_text=True)
    assert client.get("/kk/manage/history?since=yesterday&college=<script>").status_code == 200


def test_backup_and_restore_cli(app, conn, tmp_path):
    store.save_draft(conn, "editor@college.example", "ukvpk", "college", "ukvpk", {"phone": "+7 700 000 00 00"}, {})
    runner = app.test_cli_runner()
    target = tmp_path / "backup" / "editorial.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    store.save_draft(conn, "editor@college.example", "ukvpk", "college", "ukvpk", {"phone": "+7 700 999 99 99"}, {},
                     version=1)
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"] == {"phone": "+7 700 000 00 00"}
    broken = tmp_path / "not-a-backup.db"
    broken.write_bytes(b"hello")
    assert runner.invoke(args=["restore", str(broken)]).exit_code != 0
    assert store.open_change(conn, "ukvpk", "college", "ukvpk")["data"] == {"phone": "+7 700 000 00 00"}


def test_stale_colleges_are_listed_for_the_administrator(app, conn):
    client = app.test_client()
    login(client, "admin@edu.example")
    other = other_college(app)
    store.record_approved_change(conn, other, "college", other, {"phone": "+7 700 000 00 00"}, {}, "test")
    body = client.get("/kk/manage/").get_data(as_text=True)
    stale = body.split('id="stale-title"', 1)[1]
    assert "/kk/manage/colleges/ukvpk" in stale
    assert f"/kk/manage/colleges/{other}\"" not in stale


def test_login_never_redirects_to_another_host(app):
    client = app.test_client()
    page = client.get("/kk/manage/login")
    response = client.post("/kk/manage/login", data={"email": "editor@college.example", "password": PASSWORD,
                                                      "next": "//evil.example/manage", "csrf_token": token(page)})
    assert response.headers["Location"] == "/kk/manage/"


def test_restore_of_a_missing_file_is_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "missing.db")])
    assert result.exit_code != 0 and "no file" in result.output


def test_invitations_are_mailed_when_smtp_is_set(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"], message.get_content()))

    monkeypatch.setattr("atlas.editorial.invitations.smtplib.SMTP", FakeSMTP)
    app.config.update(EDITORIAL_SMTP_HOST="smtp.example", EDITORIAL_SMTP_USER="atlas@edu.example")
    client = app.test_client()
    login(client, "admin@edu.example")
    response = post_form(client, "/kk/manage/users", {"email": "mailed@college.example", "role": "editor",
                                                      "college": "ukvpk"})
    assert response.status_code == 200
    assert sent[0] == ("connect", "smtp.example", 587) and ("login", "atlas@edu.example") in sent
    kind, to, body = sent[-1]
    assert kind == "send" and to == "mailed@college.example" and "/kk/manage/invitation/" in body


def test_every_published_field_has_a_label():
    """The "what changed" page and feed name each field in words, never by its column name."""
    from atlas.editorial.forms import FIELD_LABELS
    from atlas.dataset.overlay import PROVENANCE_FIELDS

    fields = {field for table in PROVENANCE_FIELDS.values() for field in table}
    assert sorted(fields - set(FIELD_LABELS)) == []
