"""Lighthouse (mobile settings, Debian's Chromium) on the main page types, in both
languages, through the production server on loopback; prints a table of scores.

Targets: performance at least 95, accessibility, best practices and SEO 100.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE", ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"))
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = {
    "home": "/{lang}/", "professions": "/{lang}/professions/", "card": "/{lang}/professions/drone-operator",
    "specialty": "/{lang}/specialties/07161100", "college": "/{lang}/colleges/ukvpk",
    "search": "/{lang}/search?q=" + quote("оператор"), "compare": "/{lang}/compare?college=ukvpk&college=ridder-college",
    "quiz": "/{lang}/quiz", "stats": "/{lang}/stats", "enrol": "/{lang}/enrol/", "changes": "/{lang}/changes",
    "offline": "/{lang}/offline",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "atlas.console", "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def audit(url, out):
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")})
    report = json.loads(Path(out).read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = sorted({audit_id for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
                      if ref["weight"] and (audit_id := ref["id"]) and
                      (report["audits"][audit_id]["score"] is not None and report["audits"][audit_id]["score"] < 0.9)})
    return scores, failing


def main():
    server, port = serve()
    rows, below = [], 0
    try:
        with tempfile.TemporaryDirectory() as folder:
            for lang in ("kk", "ru"):
                for name, path in PAGES.items():
                    scores, failing = audit(f"http://127.0.0.1:{port}{path.format(lang=lang)}", Path(folder) / "r.json")
                    below += any(scores[c] < TARGETS[c] for c in CATEGORIES)
                    rows.append([f"{name} ({lang})", *[str(scores[c]) for c in CATEGORIES], ", ".join(failing)])
    finally:
        server.terminate()
        server.wait(timeout=10)
    header = ["page", *CATEGORIES, "audits below 0.9"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    print(f"\ntargets: {', '.join(f'{c} >= {t}' for c, t in TARGETS.items())}; pages below target: {below}")


if __name__ == "__main__":
    main()
