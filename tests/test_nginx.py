"""nginx in front of gunicorn (deploy/serve.py, what `make serve-nginx` runs): clients that
send their headers slowly wait in nginx and never hold a gunicorn thread."""

import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from atlas.paths import ROOT
from .conftest import server_environment

pytestmark = pytest.mark.skipif(not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")),
                                reason="nginx is not installed (make tools installs it)")
SLOW_CLIENTS = 50


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    """(status, headers, seconds) of a GET."""
    start = time.perf_counter()
    with urlopen(Request(url, headers=headers or {}), timeout=10) as response:
        response.read()
        return response.status, response.headers, time.perf_counter() - start


def start(tmp_path, db_path, *options):
    port = free_port()
    env = server_environment(DATABASE=str(db_path), SECRET_KEY="nginx-test")
    env.pop("MICRO_CACHE", None)
    process = subprocess.Popen([sys.executable, "deploy/serve.py", "--port", str(port), "--workers", "2",
                                "--instance", str(tmp_path / "nginx"), *options], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if get(url + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("nginx and gunicorn did not start")
    return process, url, port


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture()
def front(tmp_path, db_path):
    process, url, port = start(tmp_path, db_path)
    yield url, port, tmp_path / "nginx"
    stop(process)


@pytest.fixture()
def cached_front(tmp_path, db_path):
    """nginx with its micro-cache (make serve-nginx MICRO_CACHE=1)."""
    process, url, _ = start(tmp_path, db_path, "--micro-cache")
    yield url
    stop(process)


def test_slow_header_clients_do_not_hold_the_workers(front):
    url, port, _ = front
    held = []
    try:
        for _ in range(SLOW_CLIENTS):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and the rest never comes
            held.append(client)
        time.sleep(0.5)
        for _ in range(3):  # a worker held by a slow client would not answer within get()'s 10 s
            for path in ["/healthz", "/ru/professions/welder", "/kk/search?q=welder"]:
                status, _, seconds = get(url + path)
                assert status == 200 and seconds < 5.0, (path, status, seconds)
        for client in held[:5]:
            client.sendall(b"X-Slow: 1\r\n")  # still trickling in: nginx keeps waiting, not the app
        assert get(url + "/healthz")[2] < 5.0
    finally:
        for client in held:
            client.close()


def test_assets_from_nginx_and_pages_through_it(front):
    url, _, instance = front
    status, headers, _ = get(url + "/ru/")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=60" and "Set-Cookie" not in headers
    page = urlopen(url + "/ru/", timeout=10).read().decode()
    css = page.split('href="/assets/', 1)[1].split('"', 1)[0]
    status, headers, _ = get(f"{url}/assets/{css}", {"Accept-Encoding": "gzip"})
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] in ("gzip", "br")
    assert (instance / "nginx.conf").exists() and (instance / "nginx.pid").exists()


def fetch(url, headers=None, method="GET", data=None):
    """(status, headers, body) of a request, errors included."""
    try:
        with urlopen(Request(url, headers=headers or {}, method=method, data=data), timeout=10) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        return error.code, error.headers, error.read()


def test_compressed_once_by_nginx_never_by_the_app(front):
    url, _, instance = front
    status, plain_headers, plain = fetch(url + "/ru/professions/welder")
    assert status == 200 and "Content-Encoding" not in plain_headers and plain.startswith(b"<!doctype")
    status, gzipped, packed = fetch(url + "/ru/professions/welder", {"Accept-Encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip" and gzipped["ETag"].startswith("W/")
    assert gzip.decompress(packed) == plain  # one layer: the app sent it plain
    if "brotli on" not in (instance / "nginx.conf").read_text():
        # Without nginx's brotli module nobody compresses with brotli: the app never sees the
        # visitor's Accept-Encoding.
        status, headers, body = fetch(url + "/ru/professions/welder", {"Accept-Encoding": "br"})
        assert "Content-Encoding" not in headers and body == plain
    # The weak ETag nginx gives a compressed answer still validates it.
    revalidated = fetch(url + "/ru/professions/welder", {"Accept-Encoding": "gzip", "If-None-Match": gzipped["ETag"]})
    assert revalidated[0] == 304


def test_micro_cache_only_when_asked(tmp_path):
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        from serve import render
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    without = render(tmp_path, "127.0.0.1:1", tmp_path / "s.sock")
    with_cache = render(tmp_path, "127.0.0.1:1", tmp_path / "s.sock", micro_cache=True)
    assert "proxy_cache" not in without and "micro-cache" not in without.split("Micro-cache", 1)[1]
    assert "proxy_cache atlas_pages;" in with_cache and 'proxy_set_header Accept-Encoding "";' in without


def test_micro_cache_keeps_anonymous_public_pages_only(cached_front):
    url = cached_front
    first = fetch(url + "/ru/professions/welder")
    again = fetch(url + "/ru/professions/welder")
    assert first[1]["X-Cache"] == "MISS" and again[1]["X-Cache"] == "HIT" and again[2] == first[2]
    assert fetch(url + "/kk/professions/welder")[1]["X-Cache"] == "MISS"  # the other language is another page
    htmx = fetch(url + "/ru/search?q=welder", {"HX-Request": "true"})
    page = fetch(url + "/ru/search?q=welder")
    assert page[2] != htmx[2] and b"<!doctype" in page[2] and b"<!doctype" not in htmx[2]  # Vary: HX-Request
    # Any cookie goes to the app, and its private answer is not kept for anyone else.
    for cookie in ("shortlist=p:welder", "lang=kk", "session=x"):
        status, headers, body = fetch(url + "/ru/professions/welder", {"Cookie": cookie})
        assert status == 200 and headers["X-Cache"] == "BYPASS", cookie
    assert fetch(url + "/ru/professions/welder")[1]["X-Cache"] == "HIT"
    saved = fetch(url + "/ru/professions/welder", {"Cookie": "shortlist=p:welder"})
    assert saved[1]["Cache-Control"] == "private, no-cache" and saved[2] != first[2]
    # The editing area is never kept, even without a cookie.
    for _ in range(2):
        status, headers, _ = fetch(url + "/ru/manage/login")
        assert headers.get("X-Cache") != "HIT"
    # A POST to a kept URL reaches the app (and is never answered from the cache).
    for _ in range(2):
        status, headers, body = fetch(url + "/ru/professions/welder", method="POST", data=b"x=1")
        assert status == 405 and headers.get("X-Cache") is None and body != first[2]
