"""HTTP behaviour: validators and 304s, compression, static caching, security headers, page weight."""

import gzip
import re

import brotli
import pytest
from bs4 import BeautifulSoup

from atlas import ROOT, create_app


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
    client = app.test_client()
    plain = client.get("/ru/", base_url="http://localhost").headers["Set-Cookie"]
    assert "SameSite=Lax" in plain and "Secure" not in plain
    secure = app.test_client().get("/ru/", base_url="https://localhost").headers["Set-Cookie"]
    assert "SameSite=Lax" in secure and "Secure" in secure


def test_page_weight(client):
    assert len(client.get("/ru/professions/industrial-safety-specialist").data) < 30_000
    biggest_card = max(len(client.get(f"/kk/professions/{p.stem}").data) for p in (ROOT / "data" / "professions").glob("*.yaml"))
    assert biggest_card < 30_000
    assert (ROOT / "static" / "js" / "atlas.js").stat().st_size < 3_000
    assert not list((ROOT / "static").rglob("*.woff*"))


def test_page_cache_keeps_answers_apart(db_path):
    """Cached pages must differ wherever the output differs: the visitor's shortlist badge,
    htmx fragment or page, and pages with a CSRF token are never cached."""
    app = create_app({"TESTING": True, "DATABASE": str(db_path)})
    client = app.test_client()
    first = client.get("/ru/search?q=дрон")
    assert client.get("/ru/search?q=дрон").data == first.data
    assert b"<html" not in client.get("/ru/search?q=дрон", headers={"HX-Request": "true"}).data
    client.set_cookie("shortlist", "p:welder")
    assert b"count-badge" in client.get("/ru/search?q=дрон").data
    card = client.get("/ru/professions/welder")
    token = BeautifulSoup(card.data, "html.parser").select_one("input[name=csrf_token]")["value"]
    other = app.test_client().get("/ru/professions/welder")
    assert token not in other.get_data(as_text=True)
    csv_response = client.get("/ru/professions/export.csv")
    assert client.get("/ru/professions/export.csv").headers["Content-Disposition"] == csv_response.headers["Content-Disposition"]


def test_pages_with_a_form_keep_their_etag_from_second_to_second(client):
    """Regression: the CSRF token is signed with the time, so a card's ETag changed every
    second and a revisit never got a 304."""
    import time

    first = client.get("/ru/professions/welder")
    time.sleep(1.1)
    again = client.get("/ru/professions/welder", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other_visitor = create_app({"TESTING": True, "DATABASE": client.application.config["DATABASE"]}).test_client()
    assert other_visitor.get("/ru/professions/welder", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
