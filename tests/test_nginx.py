"""nginx in front of gunicorn (deploy/serve.py, what `make serve-nginx` runs): clients that
send their headers slowly wait in nginx and never hold a gunicorn thread."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.request import Request, urlopen

import pytest

from atlas import ROOT

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


@pytest.fixture()
def front(tmp_path, db_path):
    port = free_port()
    env = {**os.environ, "ATLAS_DATABASE": str(db_path), "ATLAS_SECRET_KEY": "nginx-test"}
    process = subprocess.Popen([sys.executable, "deploy/serve.py", "--port", str(port), "--workers", "2",
                                "--instance", str(tmp_path / "nginx")], cwd=ROOT, env=env,
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
    yield url, port, tmp_path / "nginx"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_slow_header_clients_do_not_hold_the_workers(front):
    url, port, _ = front
    held = []
    try:
        for _ in range(SLOW_CLIENTS):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and the rest never comes
            held.append(client)
        time.sleep(0.5)
        for _ in range(3):
            for path in ["/healthz", "/ru/professions/welder", "/kk/search?q=welder"]:
                status, _, seconds = get(url + path)
                assert status == 200 and seconds < 1.0, (path, status, seconds)
        for client in held[:5]:
            client.sendall(b"X-Slow: 1\r\n")  # still trickling in: nginx keeps waiting, not the app
        assert get(url + "/healthz")[2] < 1.0
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
