"""Shared set-up of the editing-area tests: a data copy, its public build, an editing
database, accounts, and a client that logs in and fills forms with their CSRF token."""

import re
import shutil

import pytest

from atlas import create_app
from atlas.dataset.build import build
from atlas.editorial import accounts, store
from tests import conftest

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


_built = {}


def built_data(tmp_path_factory):
    """One copy of data/ and its public build per test session (tests copy the build file)."""
    if "folder" not in _built:
        folder = tmp_path_factory.mktemp("editorial-data")
        shutil.copytree(conftest.DATA, folder / "data")
        build(folder / "data", folder / "atlas.db")
        _built["folder"] = folder
    return _built["folder"]


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    """The shared data copy and its public build (a module imports this fixture to use it)."""
    return built_data(tmp_path_factory)


def make_site(folder, base, **config):
    """(app, editing connection) over the shared data copy and a fresh copy of its public build."""
    public = folder / "atlas.db"
    shutil.copy(base / "atlas.db", public)
    settings = {"TESTING": True, "DATABASE": str(public), "DATA_DIR": str(base / "data"),
                "EDITORIAL_DATABASE": str(folder / "editorial.db"), "EDITORIAL_LOGIN_LIMIT": "1000 per minute",
                "EDITORIAL_LOGIN_ADDRESS_LIMIT": "1000 per minute", "PAGE_CACHE": False, **config}
    app = create_app(settings)
    return app, store.connect(settings["EDITORIAL_DATABASE"])


def staffed_site(folder, base, editors=("editor@college.example",), **config):
    """make_site with an administrator (admin@edu.example) and editors of ukvpk."""
    app, conn = make_site(folder, base, **config)
    add_account(conn, "admin@edu.example", role="admin")
    for email in editors:
        add_account(conn, email)
    return app, conn


@pytest.fixture()
def site(tmp_path, base):
    """(app, editing connection) of a fresh editing area with its administrator and one
    college's editor (a module imports this fixture to use it)."""
    app, conn = staffed_site(tmp_path, base)
    yield app, conn
    conn.close()


def add_account(conn, email, role="editor", colleges=("ukvpk",)):
    return store.add_user(conn, email, role, colleges if role == "editor" else (), accounts.hash_password(PASSWORD))


def token(response):
    found = TOKEN.search(response.get_data(as_text=True))
    assert found, "the page has no CSRF token"
    return found.group(1)


def review_fields(page):
    """The hidden fields of a review page's form: its token and the revision it shows."""
    found = re.search(r'name="revision" value="(\d+)"', page.get_data(as_text=True))
    assert found, "the review page has no revision"
    return {"csrf_token": token(page), "revision": found.group(1)}


def login(client, email, password=PASSWORD, lang="kk"):
    page = client.get(f"/{lang}/manage/login")
    return client.post(f"/{lang}/manage/login", data={"email": email, "password": password, "csrf_token": token(page)})


def form_values(html):
    """What a browser would send from the page's editing form as it is shown."""
    from bs4 import BeautifulSoup

    form = max(BeautifulSoup(html, "html.parser").find_all("form"), key=lambda f: len(f.find_all(["input", "select"])))
    values = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            chosen = [o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")]
            values.setdefault(name, []).extend(chosen[:1] if not field.has_attr("multiple") else chosen)
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field.get("value", "on"))
        else:
            values.setdefault(name, []).append(field.text if field.name == "textarea" else field.get("value", ""))
    return values


def post_form(client, url, data):
    """GET the form page, then POST what it shows with data's fields replaced (like a person
    who changed those fields and pressed a button)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    fields = form_values(page.get_data(as_text=True))
    fields.update({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    return client.post(url, data=fields)


def errors_of(response):
    return re.findall(r'class="field-error"[^>]*>([^<]+)<', response.get_data(as_text=True))


def first_specialty_not_offered(app, college="ukvpk"):
    from atlas.editorial import records

    with app.app_context():
        data = records.read_tables(app.config["DATA_DIR"])
    taken = {o["specialty"] for o in data["offerings"] if o["college"] == college}
    taken |= {a.get("specialty") for a in data.get("college_training_areas", []) if a.get("college") == college}
    return next(s["slug"] for s in data["specialties"] if s["slug"] not in taken and s["code"])


def other_college(app, college="ukvpk"):
    from atlas.editorial import records

    data = records.read_tables(app.config["DATA_DIR"])
    return next(c["slug"] for c in data["colleges"] if c["slug"] != college)
