"""What the browser tests share: Debian's Chromium with the flags this machine needs, the
page sizes they look at, and a live server for an app on a free loopback port."""

import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
needs_chromium = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed (make tools)")


@contextmanager
def serving(app):
    """The app on http://127.0.0.1:<free port> in a thread, for as long as the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
