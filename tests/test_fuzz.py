"""Random input at every route: paths, query parameters, headers, methods and bodies never
get a 5xx (Hypothesis), and the API keeps to its OpenAPI document (Schemathesis)."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas import create_app

ROUTES = ["/", "/{lang}/", "/{lang}/about", "/{lang}/professions/", "/{lang}/professions/{x}",
          "/{lang}/professions/{x}/print", "/{lang}/specialties/", "/{lang}/specialties/{x}", "/{lang}/colleges/",
          "/{lang}/colleges/{x}", "/{lang}/colleges/{x}/print", "/{lang}/employers/{x}", "/{lang}/search",
          "/{lang}/search/suggest", "/{lang}/search/export.csv", "/{lang}/professions/export.table",
          "/{lang}/compare", "/{lang}/compare/professions", "/{lang}/quiz", "/{lang}/quiz/result",
          "/{lang}/shortlist", "/{lang}/shortlist/add", "/{lang}/shortlist/remove", "/{lang}/shortlist/save",
          "/{lang}/language", "/{lang}/stats",
          "/{lang}/open-data", "/api/v1/search", "/api/v1/professions", "/api/v1/professions/{x}",
          "/api/v1/colleges/{x}", "/healthz", "/robots.txt", "/sitemap.xml", "/assets/{x}/{x}", "/{x}", "/{x}/{x}"]


def routes_of_the_app():
    """Every rule the app serves, written like ROUTES, so that new pages are fuzzed too."""
    app = create_app({"TESTING": True, "DATABASE": "unused.db"})
    rules = {re.sub(r"<[^>]+>", "{x}", rule.rule.replace("<lang>", "{lang}")) for rule in app.url_map.iter_rules()}
    return sorted(rules - {"/static/{x}"})


ROUTES = sorted(set(ROUTES) | set(routes_of_the_app()))
PARAMS = ["q", "lang", "type", "sector", "status", "town", "grade", "language", "dual", "page", "per_page", "limit",
          "college", "profession", "items", "a", "both", "r1", "x", "next", "item"]
# Names url_for takes as its own keywords: a page that passed them on used to answer 500.
URL_FOR_KEYWORDS = ["_external", "_scheme", "_method", "_anchor", "endpoint", "kind", "values", "lang", "slug",
                    "version", "filename", "key"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
# Digits that str.isdigit() accepts and int() does not, or that int() accepts and ASCII does not.
ODD_DIGITS = st.text(alphabet="0123456789²³¹①⑨٣۵߂०৩๓༣၅Ⅻ𝟗", min_size=1, max_size=6)
# Huge values (thousands of digits, 100 kB) are in test_hardening.py: Hypothesis keeps examples small.
VALUE = st.one_of(TEXT, ODD_DIGITS, st.sampled_from(["", " ", "0", "-1", "1e3", "9" * 40, "x" * 600, "%", "\x00"]))
NAME = st.one_of(st.sampled_from(PARAMS + URL_FOR_KEYWORDS), TEXT.filter(bool))
SEGMENT = st.one_of(st.sampled_from(["welder", "ukvpk", "07161100", "kazzinc", "kk", "ru", "..", "%00", "a" * 300]), TEXT)


@pytest.fixture(scope="module")
def fuzz_client(db_path, tmp_path_factory):
    editing = tmp_path_factory.mktemp("editorial") / "editorial.db"  # the editing area's pages are fuzzed too
    return create_app({"TESTING": True, "DATABASE": str(db_path), "EDITORIAL_DATABASE": str(editing)}).test_client()


@st.composite
def requests(draw):
    route = draw(st.sampled_from(ROUTES))
    path = route.replace("{lang}", draw(st.sampled_from(["kk", "ru", "en", ""])))
    while "{x}" in path:
        path = path.replace("{x}", draw(SEGMENT).replace("/", "").replace("?", "").replace("#", "") or "x", 1)
    params = draw(st.lists(st.tuples(NAME, VALUE), max_size=6))
    header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
    headers = draw(st.dictionaries(
        st.sampled_from(["Accept-Language", "HX-Request", "HX-Boosted", "If-None-Match", "If-Modified-Since",
                         "Accept-Encoding", "Cookie", "Host", "Origin", "Sec-Fetch-Site", "X-Forwarded-For"]),
        st.one_of(header_text, st.just("shortlist=" + "p:welder," * 60), st.just("x" * 600)), max_size=4))
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]))
    body = draw(st.one_of(st.none(), st.binary(max_size=200), st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=4)))
    return method, path, params, headers, body


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(request=requests())
def test_no_route_ever_answers_5xx(fuzz_client, request):
    method, path, params, headers, body = request
    kwargs = {"data": body} if isinstance(body, (bytes, dict)) else {}
    response = fuzz_client.open(path or "/", method=method, query_string=params, headers=headers, **kwargs)
    response.close()  # file answers (the favicon, the database download) hold their file open
    # The one 5xx by design: a printed book not made yet is "503, come back in N seconds".
    book_not_ready = response.status_code == 503 and path.endswith(".pdf") and "Retry-After" in response.headers
    assert response.status_code < 500 or book_not_ready, (method, path, params, headers)


@pytest.fixture(scope="module")
def api_app(db_path):
    return create_app({"TESTING": True, "DATABASE": str(db_path), "SERVER_NAME": "localhost"})


OPERATIONS = ["GET /api/v1/search", "GET /api/v1/professions", "GET /api/v1/professions/{key}",
              "GET /api/v1/specialties", "GET /api/v1/specialties/{key}", "GET /api/v1/colleges",
              "GET /api/v1/colleges/{key}", "GET /api/v1/employers", "GET /api/v1/employers/{key}"]


@pytest.mark.parametrize("label", OPERATIONS)
def test_api_keeps_to_its_openapi_document(api_app, label):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operations = {op.ok().label: op.ok() for op in schema.get_all_operations()}
    assert sorted(operations) == sorted(OPERATIONS)

    @given(case=operations[label].as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers={"Accept-Encoding": "identity"})  # the WSGI client does not decompress

    check()
