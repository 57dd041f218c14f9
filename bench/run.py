"""Benchmarks: latency in process and throughput through the production server, on the
shipped data and on a synthetic dataset 20 times larger. Results are printed as tables.

Machines here are shared and noisy: read the numbers side by side, as ratios within one
run, rather than against absolute thresholds.
"""

import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from atlas import create_app  # noqa: E402
from atlas.build import build  # noqa: E402
from atlas.search.query import search  # noqa: E402
from bench.synthetic import grow  # noqa: E402

OUT = ROOT / "bench" / "out"
FACTOR = 20
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 200))
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = 64
SEARCH_MIX = ["сварщик", "оператор", "qurylysshy", "строителями", "бухгалтр", "cnhjbntkm", "0724", "электрик",
              "техник", "дәнекерлеушілер", "механник", "оператор дронов", "sisadmin", "күн панелі", "прораб"]
PAGES = {
    "home": "/ru/",
    "card": "/kk/professions/drone-operator",
    "college": "/ru/colleges/ukvpk",
    "search+facets": "/ru/search?q=оператор&type=profession&status=new",
    "api search": "/api/v1/search?q=техник&lang=kk&type=profession",
}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed(call, rounds=ROUNDS):
    call()  # warm caches (templates, the search index of this build)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def databases():
    OUT.mkdir(parents=True, exist_ok=True)
    shipped = OUT / "shipped.db"
    build(ROOT / "data", shipped)
    large = OUT / f"x{FACTOR}.db"
    data = OUT / f"data-x{FACTOR}"
    shutil.rmtree(data, ignore_errors=True)
    grow(ROOT / "data", data, FACTOR)
    build(data, large)
    return {"shipped": shipped, f"x{FACTOR}": large}


def in_process(name, path):
    rows = []
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    db.row_factory = sqlite3.Row
    docs = db.execute("select count(*) from search_docs").fetchone()[0]
    build_id = db.execute("select value from meta where key='build_id'").fetchone()[0]
    for filters in ({}, {"type": "profession", "status": "new"}):
        def mix():
            for q in SEARCH_MIX:
                search(db, build_id, q, filters)
        median, p95 = timed(mix, max(ROUNDS // 10, 10))
        label = "search()" + (" +facets" if filters else "")
        rows.append((name, docs, label, median / len(SEARCH_MIX), p95 / len(SEARCH_MIX)))
        per_query = []
        for q in SEARCH_MIX:
            per_query.append(timed(lambda: search(db, build_id, q, filters), max(ROUNDS // 4, 20))[1])
        rows.append((name, docs, label + " worst query p95", max(per_query), max(per_query)))
    client = create_app({"DATABASE": str(path)}).test_client()
    for label, url in PAGES.items():
        median, p95 = timed(lambda: client.get(url))
        rows.append((name, docs, label, median, p95))
    return rows


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def through_server(name, path):
    """Requests per second through gunicorn on loopback, driven by wrk (64 connections)."""
    if not shutil.which("wrk"):
        return [(name, label, "wrk missing") for label in PAGES]
    port = free_port()
    env = {**os.environ, "ATLAS_DATABASE": str(path)}
    server = subprocess.Popen([sys.executable, "-m", "atlas.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for label, url in PAGES.items():
            output = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{LOAD_SECONDS}s", f"http://127.0.0.1:{port}{quote(url, safe='/?=&')}"],
                                    capture_output=True, text=True).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", output)
            rows.append((name, label, f"{float(rps.group(1)):.0f}" if rps else "?", errors.group(0) if errors else "0 errors"))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=10)


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def main():
    dbs = databases()
    latency = [row for name, path in dbs.items() for row in in_process(name, path)]
    table("Latency in process (ms)", ["data", "documents", "what", "median", "p95"],
          [(n, d, w, f"{m:.2f}", f"{p:.2f}") for n, d, w, m, p in latency])
    throughput = [row for name, path in dbs.items() for row in through_server(name, path)]
    table(f"Throughput through gunicorn, {CONNECTIONS} connections, {LOAD_SECONDS}s each (requests/s)",
          ["data", "what", "req/s", "errors"], throughput)


if __name__ == "__main__":
    main()
