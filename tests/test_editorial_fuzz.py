"""Random parameter names and values at every editing-area route: never a 500, never a change
to another college, whoever asks."""

from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.editorial import store
from tests.editorial_helpers import built_data, login, other_college, staffed_site, token

ROUTES = ["/{lang}/manage/", "/{lang}/manage/login", "/{lang}/manage/colleges/{college}",
          "/{lang}/manage/colleges/{college}/offerings/new", "/{lang}/manage/colleges/{college}/offerings/{text}",
          "/{lang}/manage/review", "/{lang}/manage/review/{number}", "/{lang}/manage/history",
          "/{lang}/manage/history.csv", "/{lang}/manage/users", "/{lang}/manage/users/{number}/disable",
          "/{lang}/manage/changes/{number}/submit", "/{lang}/manage/invitation/{text}", "/{lang}/manage/publish",
          "/{lang}/changes", "/{lang}/changes.atom", "/{lang}/manage/overview", "/{lang}/manage/overview.csv",
          "/{lang}/manage/overview/invitations"]
FIELDS = ["college", "specialty", "version", "action", "phone", "website", "email", "lat", "lon", "languages",
          "entry_grades", f"places_{date.today().year}", f"places_{date.today().year + 1}", "places_1999",
          "paid_places", "study_months", "dual", "partners", "new_partner_kk",
          "name_kk", "name_ru", "decision", "comment", "role", "since", "until", "who", "next", "password",
          "sort", "order", "table", "file"]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
params = st.dictionaries(st.one_of(st.sampled_from(FIELDS), text.filter(bool)),
                         st.one_of(text, st.sampled_from(["ukvpk", "yes", "9", "kk", "-1", "1e9", "submit", "approve",
                                                          "0", "NaN", "../../etc"])), max_size=6)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app, conn = staffed_site(tmp_path_factory.mktemp("fuzz"), built_data(tmp_path_factory), PAGE_CACHE=False)
    yield app, conn
    conn.close()


@pytest.fixture(scope="module")
def clients(site):
    app, _ = site
    anonymous, editor, admin = app.test_client(), app.test_client(), app.test_client()
    login(editor, "editor@college.example")
    login(admin, "admin@edu.example")
    return {"anonymous": anonymous, "editor": editor, "admin": admin}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(who=st.sampled_from(["anonymous", "editor", "admin"]), route=st.sampled_from(ROUTES),
       lang=st.sampled_from(["kk", "ru", "en"]), college=st.sampled_from(["ukvpk", "other", "x" * 300, "%00"]),
       number=st.integers(min_value=-1, max_value=10**12), value=text.filter(lambda s: "/" not in s and s not in (".", "..")),
       method=st.sampled_from(["GET", "POST"]), fields=params, with_token=st.booleans())
def test_no_route_answers_500(site, clients, who, route, lang, college, number, value, method, fields, with_token):
    app, conn = site
    college = other_college(app) if college == "other" else college
    client = clients[who]
    # A path segment as a browser sends it: quoted, so "?" or "#" in it stays in the path.
    path = route.format(lang=lang, college=college, number=number, text=quote(value or "x", safe=""))
    if method == "GET":
        response = client.get(path, query_string=fields)
    else:
        data = dict(fields)
        if with_token:
            data["csrf_token"] = token(client.get("/kk/manage/login"))
        if path.endswith("/publish"):
            path = path.replace("/publish", "/review")
        response = client.post(path, data=data)
    assert response.status_code < 500, (path, response.status_code)
    other = other_college(app)
    editor_changes = [c for c in store.list_changes(conn) if c["college"] == other and c["author_id"] is not None
                      and store.get_user(conn, c["author_id"])["email"] == "editor@college.example"]
    assert editor_changes == []
