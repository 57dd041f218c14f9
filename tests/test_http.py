"""HTTP behaviour: validators and 304s, compression, static caching, security headers, page weight."""

import gzip
import re

import brotli
import pytest
from bs4 import BeautifulSoup

from atlas.paths import ROOT
from atlas import create_app


def build_id(client):
    return client.get("/healthz").json["build_id"]


@pytest.mark.parametrize("url", ["/ru/professions/welder", "/kk/", "/api/v1/professions/welder", "/ru/search?q=дрон"])
def test_etag_from_the_build_and_304(client, url):
    response = client.get(url)
    etag = response.headers["ETag"]
    assert etag.startswith(f'"{build_id(client)}-')
    assert response.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": response.headers["Last-Modified"]}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("encoding, decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_html_and_json_are_compressed(client, encoding, decompress):
    plain = client.get("/ru/professions/welder")
    packed = client.get("/ru/professions/welder", headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert client.get("/ru/professions/welder", headers={"Accept-Encoding": encoding,
                                                         "If-None-Match": packed.headers["ETag"]}).status_code == 304
    api = client.get("/api/v1/professions?per_page=20", headers={"Accept-Encoding": encoding})
    assert api.headers["Content-Encoding"] == encoding


def test_static_files_have_hashed_names_and_far_future_caching(client):
    soup = BeautifulSoup(client.get("/kk/").data, "html.parser")
    css = soup.find("link", rel="stylesheet")["href"]
    assert re.match(r"^/assets/[0-9a-f]{12}/css/atlas\.css$", css)
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert client.get(css.replace(css.split("/")[2], "0" * 12)).status_code == 404
    assert client.get("/assets/" + css.split("/")[2] + "/../atlas/__init__.py").status_code == 404


PAGES = ["/kk/", "/ru/professions/welder", "/api/v1/professions", "/nope", "/ru/search?q=x", "/robots.txt"]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    scripts = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in scripts and "unsafe-eval" not in scripts
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_cdn_mode_allows_the_cdn_host_with_sri(db_path):
    app = create_app({"TESTING": True, "DATABASE": str(db_path), "HTMX_CDN": True})
    response = app.test_client().get("/kk/")
    script = BeautifulSoup(response.data, "html.parser").find("script", src=re.compile("htmx"))
    assert script["src"].startswith("https://cdn.jsdelivr.net/npm/htmx.org@2.")
    assert script["integrity"].startswith("sha384-") and script["crossorigin"] == "anonymous"
    assert "script-src 'self' https://cdn.jsdelivr.net" in response.headers["Content-Security-Policy"]


def test_local_htmx_matches_its_sri_hash(client):
    import base64
    import hashlib

    soup = BeautifulSoup(client.get("/kk/").data, "html.parser")
    script = soup.find("script", src=re.compile("htmx"))
    body = client.get(script["src"]).data
    assert script["integrity"] == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


def test_cookies_are_lax_and_secure_over_https(app):
    switch = "/ru/language?next=/ru/"
    plain = app.test_client().get(switch, base_url="http://localhost").headers["Set-Cookie"]
    assert "SameSite=Lax" in plain and "Secure" not in plain
    secure = app.test_client().get(switch, base_url="https://localhost").headers["Set-Cookie"]
    assert "SameSite=Lax" in secure and "Secure" in secure
    added = app.test_client().post("/ru/shortlist/add", data={"item": "p:welder"}, base_url="https://localhost")
    assert "SameSite=Lax" in added.headers["Set-Cookie"] and "Secure" in added.headers["Set-Cookie"]


def test_page_weight(client):
    assert len(client.get("/ru/professions/industrial-safety-specialist").data) < 30_000
    biggest_card = max(len(client.get(f"/kk/professions/{p.stem}").data) for p in (ROOT / "data" / "professions").glob("*.yaml"))
    assert biggest_card < 30_000
    assert (ROOT / "static" / "js" / "atlas.js").stat().st_size < 3_000
    assert not list((ROOT / "static").rglob("*.woff*"))


def test_page_cache_keeps_answers_apart(db_path):
    """Cached pages must differ wherever the output differs: the visitor's shortlist badge and
    button, htmx fragment or page."""
    app = create_app({"TESTING": True, "DATABASE": str(db_path)})
    client = app.test_client()
    first = client.get("/ru/search?q=дрон")
    assert client.get("/ru/search?q=дрон").data == first.data
    assert b"<html" not in client.get("/ru/search?q=дрон", headers={"HX-Request": "true"}).data
    client.set_cookie("shortlist", "p:welder")
    assert b"count-badge" in client.get("/ru/search?q=дрон").data
    assert b"/ru/shortlist/remove" in client.get("/ru/professions/welder").data
    assert b"/ru/shortlist/remove" not in app.test_client().get("/ru/professions/welder").data
    csv_response = client.get("/ru/professions/export.csv")
    assert client.get("/ru/professions/export.csv").headers["Content-Disposition"] == csv_response.headers["Content-Disposition"]


@pytest.mark.parametrize("url", ["/ru/professions/welder", "/kk/", "/ru/search?q=дрон", "/kk/colleges/ukvpk",
                                 "/ru/shortlist", "/kk/quiz"])
def test_visitors_without_a_shortlist_get_the_same_bytes_and_no_cookie(app, url):
    """Regression: every first GET set a session cookie (for a CSRF token) and a language
    cookie, so no two visitors got the same page and no cache could keep it."""
    first, second = app.test_client().get(url), app.test_client().get(url)
    assert first.status_code == 200 and first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in first.headers["Vary"]
    assert app.test_client().get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_visitors_shortlist_keeps_pages_private(app):
    client = app.test_client()
    client.set_cookie("shortlist", "p:welder")
    response = client.get("/ru/professions/welder")
    assert response.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/ru/professions/welder", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_cached_page_follows_an_edited_stylesheet(app, monkeypatch):
    """Regression: the page cache kept pages naming a stylesheet version that was gone (a 404)
    until the server restarted. And when this test ran alone, the first page was kept under
    the versions of the assets named so far, none, which an emptied record matched again."""
    from atlas.web import assets

    client = app.test_client()
    first = client.get("/ru/").get_data(as_text=True)
    monkeypatch.setattr(assets, "RECHECK", -1.0)
    monkeypatch.setattr(assets, "_versions", {})  # put back afterwards, so no other test sees the fake version
    monkeypatch.setattr(assets, "_every", {})
    monkeypatch.setattr(assets, "digest", lambda path: "0123456789ab")
    second = client.get("/ru/").get_data(as_text=True)
    assert "/assets/0123456789ab/css/atlas.css" in second and "/assets/0123456789ab/" not in first


def test_the_full_professions_list_is_answered_in_front_of_flask(db_path):
    """The full list weighs over 64 kB: it is kept by the response cache like every other public
    page, rather than sent through Flask (and its page cache) on every visit."""
    app = create_app({"TESTING": True, "DATABASE": str(db_path)})
    through_flask = []
    app.before_request(lambda: through_flask.append(1))
    client = app.test_client()
    first = client.get("/ru/professions/")
    assert first.status_code == 200 and len(first.data) > 64 * 1024
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get("/ru/professions/")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert len(through_flask) == 1


def test_the_response_cache_is_bounded_in_bytes():
    from atlas.web.caching.responses import BodiesLRU

    kept = BodiesLRU(size=10, max_bytes=250)
    for name in "abc":
        kept.set(name, (0, "200 OK", (), b"x" * 100))
    assert kept.get("a") is None and kept.get("b") and kept.get("c") and kept.bytes == 200
    kept.set("c", (0, "200 OK", (), b"x" * 10))  # replaced, not counted twice
    assert kept.bytes == 110
    kept.set("d", (0, "200 OK", (), b"x" * 300))  # larger than the whole budget: nothing of it stays
    assert kept.bytes <= 250 and kept.get("d") is None
