"""Publishing under load: two app servers (gunicorn) read one published file; a publish
during wrk's load fails no request, and afterwards both servers serve the new build."""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from urllib.request import urlopen

import pytest

from atlas.paths import ROOT
from atlas.editorial import store
from atlas.editorial.publish import publish
from tests.editorial_helpers import built_data, first_specialty_not_offered, make_site
from tests.conftest import server_environment
from tests.test_load import free_port, wrk

pytestmark = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (make test installs it)")
SECONDS = int(os.environ.get("LOAD_SECONDS", 8))


class Server:
    def __init__(self, database):
        self.port = free_port()
        env = server_environment(DATABASE=str(database), SECRET_KEY="load-test")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--worker-class", "gthread", "--threads", "4", "atlas.wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(150):
            try:
                if urlopen(self.url("/robots.txt"), timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def build_id(self):
        with urlopen(self.url("/healthz"), timeout=5) as response:
            body = response.read().decode()
        try:
            return json.loads(body).get("build_id") or body
        except ValueError:
            return body

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def test_publish_under_load_fails_no_request_and_reaches_both_servers(tmp_path, tmp_path_factory):
    app, conn = make_site(tmp_path, built_data(tmp_path_factory))
    specialty = first_specialty_not_offered(app)
    store.record_approved_change(conn, "ukvpk", "offering", specialty, {"places_2025": 30, "languages": ["kk"]}, {},
                                 "load-test.xlsx, 2026-01-01")
    servers = [Server(app.config["DATABASE"]) for _ in range(2)]
    try:
        before = [server.build_id() for server in servers]
        assert before[0] == before[1]
        results = {}
        loads = [threading.Thread(target=lambda s=s: results.__setitem__(s.port, wrk(s.url("/ru/colleges/ukvpk"),
                                                                                     SECONDS, 16)))
                 for s in servers]
        for load in loads:
            load.start()
        time.sleep(SECONDS / 3)
        meta, count = publish(conn, app.config["DATA_DIR"], app.config["DATABASE"], "load-test")
        for load in loads:
            load.join()
        assert count == 1
        for requests, failed, output in results.values():
            assert requests > 0 and failed == 0, output
        after = [server.build_id() for server in servers]
        assert after == [meta["build_id"], meta["build_id"]] and after[0] != before[0]
        for server in servers:
            with urlopen(server.url("/ru/colleges/ukvpk"), timeout=5) as response:
                assert f"/ru/specialties/{specialty}" in response.read().decode()
    finally:
        for server in servers:
            server.stop()
        conn.close()
