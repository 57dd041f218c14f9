"""Benchmarks: latency in process and throughput through the production server, on the
shipped data and on a synthetic dataset 20 times larger. Results are printed as tables.

Machines here are shared and noisy: read the numbers side by side, as ratios within one
run, rather than against absolute thresholds.
"""

import json
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
from atlas.dataset.build import build  # noqa: E402
from atlas.cli import gunicorn_command  # noqa: E402
from atlas.search.query import search  # noqa: E402
from bench.synthetic import grow  # noqa: E402

OUT = ROOT / "bench" / "out"
FACTOR = 20
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 200))
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
# Each page figure through gunicorn: SPELLS runs of the page, each between runs of the floor.
SPELLS = 3
SPELL_SECONDS = max(LOAD_SECONDS // SPELLS, 1)
FLOOR_SECONDS = max(LOAD_SECONDS // 5, 1)
CONNECTIONS = 64
SEARCH_MIX = ["сварщик", "оператор", "qurylysshy", "строителями", "бухгалтр", "cnhjbntkm", "0724", "электрик",
              "техник", "дәнекерлеушілер", "механник", "оператор дронов", "sisadmin", "күн панелі", "прораб"]
# Words that match many records: each search then ranks, counts facets and highlights a full page.
BROAD_WORDS = ["жұмыс", "работа", "техник", "мастер", "электр", "қызмет", "жүйе", "маман"]
# The servers measured make no books: a new build's would be typeset in the background, on the
# same two cores, while wrk runs (`books` below measures them on their own).
QUIET = {"ATLAS_BOOKS_AUTO": "false"}
# The least share of the floor each cold page should reach on the shipped data (README, "What a page costs").
COLD_TARGETS = {"home": 0.30, "card": 0.30, "api search": 0.30, "list (every profession)": 0.25,
                "search, broad words": 0.25}
PAGES = {
    "home": "/ru/",
    "card": "/kk/professions/drone-operator",
    "list": "/ru/professions/",
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
    # No book maker: a page that shows the book starts one for a build without it, and the x20
    # book kept a core busy (and 10 GB) through every figure measured after it.
    client = create_app({"DATABASE": str(path), "BOOKS_AUTO": False}).test_client()
    for label, url in PAGES.items():
        median, p95 = timed(lambda: client.get(url))
        rows.append((name, docs, label, median, p95))
    return rows


def size_of(url):
    """Bytes of an answer as wrk gets it (no Accept-Encoding: not compressed)."""
    with urlopen(url, timeout=30) as response:
        return len(response.read())


def kilobytes(size):
    return f"{size / 1024:.1f} kB" if size else ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url):
    for _ in range(200):
        try:
            with urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers at {url}")


def wrk(url, paths=None, seconds=None, headers=()):
    """Requests per second, errors and requests done of one wrk run; paths, when given, are
    requested in turn."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds or LOAD_SECONDS}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    script = None
    if paths:
        script = OUT / "paths.lua"
        listed = ", ".join('"' + quote(p, safe="/?=&") + '"' for p in paths)
        script.write_text("paths = {" + listed + "}\ni = 0\nrequest = function()\n  i = i + 1\n"
                          "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True).stdout
    done = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.findall(r"Non-2xx or 3xx responses: \d+|Socket errors: .*", output)
    return (float(rps.group(1)) if rps else 0.0), ("; ".join(errors) or "0 errors"), (int(done.group(1)) if done else 0)


def cpu_seconds(pid):
    """CPU seconds (user and system) a server process and its children (gunicorn's workers)
    have used so far: per request, what a page costs the server itself."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def load(server, url, paths=None, seconds=None):
    """wrk against a Peer: requests/s, errors, and the server's CPU milliseconds per request."""
    start = cpu_seconds(server.process.pid)
    rps, errors, requests = wrk(url, paths, seconds)
    used = cpu_seconds(server.process.pid) - start
    return rps, errors, (used * 1000 / requests if requests else 0.0)


class Peer:
    """A server process on a free loopback port, stopped on exit."""

    def __init__(self, command, health, env=None):
        self.port = free_port()
        self.process = subprocess.Popen([part.replace("{port}", str(self.port)) for part in command], cwd=ROOT,
                                        env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.url(health))

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{quote(path, safe='/?=&')}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)  # gunicorn lets requests in flight finish
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def rotating_searches():
    """Distinct searches with facets, as many visitors would make them."""
    facets = ["", "&type=profession", "&type=specialty", "&status=new", "&type=profession&status=new", "&sector=energy"]
    return [f"/ru/search?q={q}{f}" for q in SEARCH_MIX for f in facets]


def cold_paths(path):
    """For each page type, a different URL on every request (with the page cache off, nothing
    of one request helps the next): every card, every college, the searches of many visitors."""
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    professions = [r[0] for r in db.execute("select slug from professions order by slug")]
    colleges = [r[0] for r in db.execute("select slug from colleges order by slug")]
    return {
        "home": [f"/{lang}/?v={i}" for i in range(100) for lang in ("kk", "ru")],
        "card": [f"/{lang}/professions/{slug}" for slug in professions for lang in ("kk", "ru")],
        "college": [f"/{lang}/colleges/{slug}" for slug in colleges for lang in ("kk", "ru")],
        "search+facets": rotating_searches(),
        "api search": [f"/api/v1/search?q={q}&lang={lang}&type=profession" for q in SEARCH_MIX for lang in ("kk", "ru")],
        "list (every profession)": [f"/{lang}/professions/?v={i}" for i in range(50) for lang in ("kk", "ru")],
        "search, broad words": [f"/{lang}/search?q={q}" for q in BROAD_WORDS for lang in ("kk", "ru")],
    }


def through_server(name, path):
    """Requests per second through gunicorn on loopback (wrk, 64 connections), each as a share
    of a bare Flask page served the same way (the floor). Machines here are shared: each figure
    is a few short runs with the floor measured around each (measure), so that each share
    compares runs made under the same load. The CPU time the servers used per request is read
    from /proc around each run, for a second share: requests/s also count what wrk and other
    work take of the two cores, CPU time only the server's own work (which a busy machine still
    slows, through its caches). Then the same full-text search with facets through Datasette.
    ratio["cold"] keeps each cold page's share, for the targets (COLD_TARGETS)."""
    if not shutil.which("wrk"):
        return [(name, "all", "", "wrk missing", "", "", "")], None
    rows, ratio = [], {}
    atlas = gunicorn_command("127.0.0.1:{port}")
    search_api = "/api/v1/search?q=оператор&lang=ru&type=profession&limit=20"
    searches = rotating_searches()
    with Peer(gunicorn_command("127.0.0.1:{port}", app="bench.hello:app"), "/") as floor, \
            Peer(atlas, "/healthz", {**QUIET, "ATLAS_DATABASE": str(path)}) as warm, \
            Peer(atlas, "/healthz", {**QUIET, "ATLAS_DATABASE": str(path), "ATLAS_PAGE_CACHE": "false"}) as cold:

        def measure(label, server, url, paths=None):
            """The page in SPELLS short runs, each between two runs of the floor: the medians
            of their requests/s and of their shares. The machine's load drifts within seconds,
            so a share compares runs made next to each other, and one run that a neighbour's
            load spoiled does not decide the figure."""
            size = sum(size_of(server.url(p)) for p in paths[:4]) // len(paths[:4]) if paths else size_of(server.url(url))
            floors = [load(floor, floor.url("/"), seconds=FLOOR_SECONDS)]
            spells = []
            for _ in range(SPELLS):
                spells.append(load(server, server.url(url), paths, seconds=SPELL_SECONDS))
                floors.append(load(floor, floor.url("/"), seconds=FLOOR_SECONDS))
            shares = [rps / (((before[0] + after[0]) / 2) or 1.0)
                      for (rps, _, _), before, after in zip(spells, floors, floors[1:])]
            rps, share = statistics.median(r for r, _, _ in spells), statistics.median(shares)
            errors = "; ".join(sorted({e for _, e, _ in spells}))
            rows.append((name, label, size, rps, statistics.median(f for f, _, _ in floors), share, errors,
                         statistics.median(c for _, _, c in spells), statistics.median(c for _, _, c in floors)))
            return rps, share

        for label, url in PAGES.items():
            measure(f"{label}, warm", warm, url)
        # What sending as many bytes costs by itself: a bare Flask page of the full list's size.
        same = size_of(warm.url(PAGES["list"]))
        measure("bare Flask page of the list's size (compare with \"list, warm\")", floor, f"/bytes/{same}")
        measure(f"search+facets, {len(searches)} different, warm", warm, searches[0], searches)
        ratio["atlas"], _ = measure("api search+facets, warm (as Datasette below)", warm, search_api)
        ratio["cold"] = {}
        for label, paths in cold_paths(path).items():
            label_with_urls = f"{label}, cold ({len(paths)} URLs, page cache off)"
            _, ratio["cold"][label] = measure(label_with_urls, cold, paths[0], paths)
        ratio["atlas_uncached"], _ = measure("api search+facets, cold (as Datasette below)", cold, search_api)
        ratio["floor"] = wrk(floor.url("/"))[0]
    if shutil.which("datasette") or (Path(sys.executable).parent / "datasette").exists():
        metadata = OUT / "datasette.json"
        db_name = path.stem
        metadata.write_text(json.dumps({"databases": {db_name: {"tables": {"search_docs": {
            "fts_table": "search_fts", "fts_pk": "id"}}}}}))
        datasette = [str(Path(sys.executable).parent / "datasette"), "serve", "-i", str(path), "--port", "{port}",
                     "--metadata", str(metadata), "--setting", "num_sql_threads", "4"]
        with Peer(datasette, f"/{db_name}.json") as peer:
            url = f"/{db_name}/search_docs.json?_search=operator&_facet=type&type=profession&_size=20"
            ratio["datasette"] = wrk(peer.url(url))[0]
            rows.append((name, "Datasette: same search with facets", 0, ratio["datasette"], ratio["floor"],
                         ratio["datasette"] / (ratio["floor"] or 1.0), "", 0, 0))
    return [(n, w, kilobytes(b), f"{r:.0f}", f"{f:.0f}", f"{share:.1%}", f"{c:.2f}" if c else "",
             f"{fc / c:.1%}" if c else "", e) for n, w, b, r, f, share, e, c, fc in rows], ratio


def through_nginx(path):
    """Pages through nginx with its micro-cache (`make serve-nginx MICRO_CACHE=1`), each as a
    share of nginx sending a static file of the same size: the most this machine can serve."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which("wrk") or not Path(nginx).exists():
        return [("all", "", "wrk or nginx missing", "", "", "")]
    static = OUT / "nginx-static"
    static.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "deploy/serve.py", "--port", "{port}", "--instance", str(OUT / "nginx"),
               "--micro-cache", "--static", str(static)]
    rows = []
    with Peer(command, "/healthz", {**QUIET, "ATLAS_DATABASE": str(path)}) as front:
        for label, url, headers in [
            ("list, micro-cache", PAGES["list"], ()),
            ("home, micro-cache", PAGES["home"], ()),
            ("card, micro-cache", PAGES["card"], ()),
            ("list, a cookie: past the micro-cache to the app's response cache", PAGES["list"], ("Cookie: lang=ru",)),
        ]:
            size = size_of(front.url(url))
            (static / f"same-{size}.html").write_bytes(b"x" * size)
            static_url = front.url(f"/assets/000000000000/same-{size}.html")
            before = wrk(static_url, seconds=max(LOAD_SECONDS // 2, 1))[0]
            rps, errors, _ = wrk(front.url(url), headers=headers)
            limit = (before + wrk(static_url, seconds=max(LOAD_SECONDS // 2, 1))[0]) / 2
            rows.append((label, kilobytes(size), f"{rps:.0f}", f"{limit:.0f}", f"{rps / (limit or 1.0):.0%}", errors))
    return rows


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def state_order_import():
    """The import of a 5 000-row state-order table, CSV and XLSX, each in its own process (bench/stateorder.py)
    so that the peak resident size is the import's. Targets: under 10 s and 300 MB."""
    found = []
    for kind in ("csv", "xlsx"):
        out = subprocess.run([sys.executable, "-m", "bench.stateorder", kind], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        found.append((kind, r["rows"], f"{r['bytes'] / 1024:.0f} KB", r["changes"], f"{r['check_s']:.2f}",
                      f"{r['total_s']:.2f}", f"{r['cpu_s']:.2f}", r["peak_mb"]))
    table("State-order import, 5 000 rows (dry run, then recorded; target < 10 s and < 300 MB)",
          ["file", "rows", "size", "changes", "check s", "check + record s", "of it CPU s", "peak MB"], found)


def books(path):
    """The printed atlas (`atlas book --lang L`) of the shipped data, each language's whole book in
    a process of its own: wall time, that process's CPU time and peak memory (os.wait4 gives one
    child's own figures), and the pages. CPU time is the figure to read on a shared machine."""
    rows = []
    for lang in ("kk", "ru"):
        out = OUT / f"atlas-{lang}.pdf"
        env = {**os.environ, "ATLAS_DATABASE": str(path)}
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "atlas.console", "book", "--lang", lang, "--out", str(out)],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        pages = re.search(r": (\d+) pages", output)
        if child.returncode or not pages:
            rows.append((lang, "failed", "", "", "", output.strip().splitlines()[-1:]))
            continue
        rows.append((lang, f"{seconds:.1f}", f"{usage.ru_utime + usage.ru_stime:.1f}", f"{usage.ru_maxrss / 1024:.0f}",
                     pages.group(1), f"{out.stat().st_size / 1e6:.1f}"))
    return rows


def print_books(path):
    table("The printed atlas, shipped data, one process per book (target: under 60 s and 1 GB each)",
          ["lang", "wall s", "CPU s", "peak RSS MB", "pages", "MB"], books(path))


def main():
    if sys.argv[1:] == ["import"]:  # `python bench/run.py import`: only the import's figures
        state_order_import()
        return
    if sys.argv[1:] == ["books"]:  # this part alone: python bench/run.py books
        OUT.mkdir(parents=True, exist_ok=True)
        build(ROOT / "data", OUT / "shipped.db")
        print_books(OUT / "shipped.db")
        return
    state_order_import()
    dbs = databases()
    latency = [row for name, path in dbs.items() for row in in_process(name, path)]
    table("Latency in process (ms)", ["data", "documents", "what", "median", "p95"],
          [(n, d, w, f"{m:.2f}", f"{p:.2f}") for n, d, w, m, p in latency])
    throughput, ratios, cold_shares = [], [], None
    for name, path in dbs.items():
        rows, ratio = through_server(name, path)
        throughput += rows
        if name == "shipped" and ratio:
            cold_shares = ratio["cold"]
        if ratio and ratio.get("datasette"):
            ratios.append((name, f"{ratio['atlas'] / ratio['datasette']:.1f}x",
                           f"{ratio['atlas_uncached'] / ratio['datasette']:.1f}x"))
    table(f"Throughput through gunicorn, {CONNECTIONS} connections, each page in {SPELLS} runs of {SPELL_SECONDS}s "
          f"between runs of the floor ({FLOOR_SECONDS}s), medians (requests/s; the floor is a bare Flask page through "
          "the same gunicorn settings; the share is the median of each run's share of the floor around it; server "
          "CPU is the CPU time gunicorn's processes used per request, and its share is the floor's CPU per request "
          "over the page's: a second view of the same cost, which a busy machine raises too)",
          ["data", "what", "size", "req/s", "floor req/s", "share of floor", "server CPU ms/req",
           "share of floor by CPU", "errors"], throughput)
    if cold_shares:
        table("Cold pages against their targets (shipped data, this run)", ["page", "share of floor", "target", ""],
              [(page, f"{cold_shares[page]:.1%}", f"{target:.0%}", "met" if cold_shares[page] >= target else "not met")
               for page, target in COLD_TARGETS.items()])
    table("Full-text search with facets: Atlas API / Datasette, same database, same machine",
          ["data", "ratio", "ratio with the page cache off"], ratios)
    table(f"Through nginx in front of gunicorn (shipped data), {CONNECTIONS} connections, {LOAD_SECONDS}s each: "
          "each page against nginx sending a static file of the same size (the limit)",
          ["what", "size", "req/s", "static file req/s", "share of static", "errors"], through_nginx(dbs["shipped"]))
    print_books(dbs["shipped"])


if __name__ == "__main__":
    main()
