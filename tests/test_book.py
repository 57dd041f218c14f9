"""The printed atlas: `atlas book` writes a valid, tagged A4 PDF per language whose contents,
bookmarks and index agree with the pages, with Kazakh letters as themselves and QR codes to
the live cards; the site serves the newest book and never waits for one; a failed or
impossible book never blocks a build or a publish."""

import json
import os
import re
import subprocess
import time

import pytest

from atlas import create_app
from atlas.book import alphabet, make, shelf, views
from atlas.book.render import BookError
from atlas.web.db import connect
from atlas.queries import list_professions, get_profession

from .book_helpers import bookmarks, build_small, page_refs, page_texts, squeeze

LANGS = ["kk", "ru"]
SERVER = "atlas.example.kz"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("book")
    data, db, kept, meta = build_small(folder)
    return {"folder": folder, "data": data, "db": db, "kept": kept, "meta": meta}


@pytest.fixture(scope="module")
def book_app(small):
    return create_app({"TESTING": True, "DATABASE": str(small["db"]), "DATA_DIR": str(small["data"]),
                       "BOOKS_DIR": str(small["folder"] / "books"), "SERVER_NAME": SERVER, "HTTPS": True,
                       "EDITORIAL_DATABASE": str(small["folder"] / "editorial.db")})


@pytest.fixture(scope="module")
def books(small, book_app):
    """Each language's book, written by `atlas book --lang L --out FILE`."""
    made = {}
    runner = book_app.test_cli_runner()
    for lang in LANGS:
        out = small["folder"] / f"atlas-{lang}.pdf"
        result = runner.invoke(args=["book", "--lang", lang, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert f"Wrote {out}" in result.output
        made[lang] = out
    return made


def cards(small, lang):
    db = connect(str(small["db"]))
    found = [get_profession(db, lang, p["slug"]) for p in list_professions(db, lang)]
    db.close()
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_book_is_an_a4_pdf_with_embedded_fonts_its_language_and_a_title(books, lang):
    from pypdf import PdfReader

    reader = PdfReader(str(books[lang]))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged (PDF/UA-1)
    assert reader.metadata.title.endswith({"kk": "жаңа мамандықтар атласы", "ru": "Восточно-Казахстанской области"}[lang])
    fonts = subprocess.run(["pdffonts", str(books[lang])], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), fonts  # embedded, subset, with Unicode maps


@pytest.mark.parametrize("lang", LANGS)
def test_every_card_is_in_the_book_and_the_contents_point_to_its_page(small, books, lang):
    texts = page_texts(books[lang])
    names = [c["name"] for c in cards(small, lang)]
    assert len(names) == len(small["kept"])
    whole = squeeze(" ".join(texts))
    assert all(name in whole for name in names)
    contents = next(i for i, text in enumerate(texts) if {"kk": "Мазмұны", "ru": "Содержание"}[lang] in text)
    refs = page_refs(texts, contents, contents + 2, names)
    assert set(refs) == set(names)
    for name, page in refs.items():
        lines = [squeeze(line) for line in texts[page - 1].splitlines()]
        assert name in " ".join(lines[:8]), (name, page)  # the card's title is at the top of its page
    # The bookmarks name the same pages.
    marks = bookmarks(books[lang])
    assert {name: marks.get(name) for name in names} == refs


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_and_the_specialties_agree_with_the_contents(small, books, lang):
    texts = page_texts(books[lang])
    names = [c["name"] for c in cards(small, lang)]
    contents = next(i for i, text in enumerate(texts) if {"kk": "Мазмұны", "ru": "Содержание"}[lang] in text)
    expected = page_refs(texts, contents, contents + 2, names)
    title = {"kk": "Мамандықтар көрсеткіші", "ru": "Указатель профессий"}[lang]
    index = min(i for i, text in enumerate(texts) if title in text and i > contents)  # its first page
    assert page_refs(texts, index, index + 3, names) == expected
    # An other name points to its card: «Есепші → Бухгалтер, 12»
    accountant = next(c for c in cards(small, lang) if c["slug"] == "accountant")
    other = accountant["other_names"][0]
    other = other[:1].upper() + other[1:]
    match = re.search(re.escape(other) + r" → " + re.escape(accountant["name"]) + r", (\d+)",
                      squeeze(" ".join(texts[index:index + 3])))
    assert match and int(match.group(1)) == expected[accountant["name"]]


def test_the_index_follows_each_alphabet():
    kk = ["Ұста", "Іздеуші", "Әнші", "Аспаз", "Яхтшы", "Қоймашы", "Кассир", "Өрт сөндіруші", "Оператор"]
    assert sorted(kk, key=lambda w: alphabet.sort_key(w, "kk")) == [
        "Аспаз", "Әнші", "Кассир", "Қоймашы", "Оператор", "Өрт сөндіруші", "Ұста", "Іздеуші", "Яхтшы"]
    ru = ["Ёлочник", "Ель", "Ежевика", "Жук", "Яхтсмен", "Агроном"]
    assert sorted(ru, key=lambda w: alphabet.sort_key(w, "ru")) == ["Агроном", "Ежевика", "Ель", "Ёлочник", "Жук", "Яхтсмен"]
    groups = alphabet.index_groups([{"name": n} for n in kk], "kk")
    assert [letter for letter, _ in groups] == ["А", "Ә", "К", "Қ", "О", "Ө", "Ұ", "І", "Я"]


def test_kazakh_letters_extract_as_themselves(books):
    text = squeeze(" ".join(page_texts(books["kk"])))
    assert "Дәнекерлеуші" in text  # what a reader's search finds
    for letter in "әғқңөұүі":
        assert letter in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_qr_code_and_the_links_of_a_card_open_the_live_card(small, books, lang, tmp_path):
    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    name = next(c["name"] for c in cards(small, lang) if c["slug"] == "welder")
    page = bookmarks(books[lang])[name] - 1  # the card's first page, counted from 0
    url = f"https://{SERVER}/{lang}/professions/welder"
    links = [a.get_object().get("/A", {}).get("/URI") for a in PdfReader(str(books[lang])).pages[page].get("/Annots", [])]
    assert url in links
    subprocess.run(["pdftoppm", "-f", str(page + 1), "-l", str(page + 1), "-r", "150", "-png", str(books[lang]),
                    str(tmp_path / "card")], check=True)
    image = Image.open(next(tmp_path.glob("card*.png")))
    assert url in [found.text for found in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_sector_booklet_has_its_cards_only(small, book_app, lang, tmp_path):
    out = tmp_path / "booklet.pdf"
    result = book_app.test_cli_runner().invoke(args=["book", "--lang", lang, "--sector", "public-safety", "--out", str(out)])
    assert result.exit_code == 0, result.output
    marks = bookmarks(out)  # a bookmark per card of the sector, none of the others (they may be named as related)
    for card in cards(small, lang):
        assert (card["name"] in marks) == (card["sector"] == "public-safety"), card["name"]
    bad = book_app.test_cli_runner().invoke(args=["book", "--lang", lang, "--sector", "nowhere", "--out", str(out)])
    assert bad.exit_code != 0 and "nowhere" in bad.output


# The site's shelf: which books are served, and what a visitor sees while one is being made.

def put_books(books_dir, build_id, made_at="2026-01-01T00:00:00+00:00", content=b"%PDF-1.7 test"):
    for lang in LANGS:
        path = shelf.pdf_path(books_dir, build_id, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content + lang.encode())
        sector = shelf.pdf_path(books_dir, build_id, lang, "public-safety")
        sector.parent.mkdir(parents=True, exist_ok=True)
        sector.write_bytes(content)
    shelf.write_json(books_dir / build_id / "done.json", {
        "build_id": build_id, "made_at": made_at, "seconds": 90,
        "books": {lang: {"pages": 123, "bytes": 2_400_000, "seconds": 40} for lang in LANGS}})
    shelf.touch_state(books_dir)


def fetch(client, url, **kwargs):
    """A response read whole and closed (a file response holds its file open until then)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


@pytest.fixture()
def site(small, tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(small["db"]), "BOOKS_DIR": str(tmp_path / "books")})
    return app, tmp_path / "books", small["meta"]["build_id"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_site_serves_the_current_builds_book_with_its_build_in_etag_and_name(site, lang):
    app, books_dir, build_id = site
    put_books(books_dir, build_id)
    client = app.test_client()
    response = fetch(client, f"/{lang}/atlas.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert build_id in response.headers["ETag"] and build_id in response.headers["Content-Disposition"]
    assert response.data == b"%PDF-1.7 test" + lang.encode()
    assert "X-Atlas-Book-Build" not in response.headers
    assert fetch(client, f"/{lang}/atlas.pdf", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert fetch(client, f"/{lang}/sectors/public-safety.pdf").status_code == 200
    assert fetch(client, f"/{lang}/sectors/energy.pdf").status_code == 404  # no booklet of that build
    assert client.get(f"/{lang}/sectors/no-such-sector.pdf").status_code == 404
    sector_page = client.get(f"/{lang}/professions/?sector=public-safety").get_data(as_text=True)
    assert f"/{lang}/sectors/public-safety.pdf" in sector_page  # the booklet is linked where it exists
    home = client.get(f"/{lang}/").get_data(as_text=True)
    assert "/atlas.pdf" in home and {"kk": "123 бет", "ru": "123 страниц"}[lang] in home and "2,4" in home


def test_the_previous_builds_book_stays_until_the_new_one_exists(site):
    app, books_dir, build_id = site
    put_books(books_dir, "0123456789abcdef")
    shelf.write_json(books_dir / build_id / "making.json", {"pid": os.getpid(), "started": time.time()})
    client = app.test_client()
    response = fetch(client, "/ru/atlas.pdf")
    assert response.status_code == 200 and "0123456789abcdef" in response.headers["ETag"]
    assert response.headers["X-Atlas-Book-Build"] == "0123456789abcdef"
    home = client.get("/ru/").get_data(as_text=True)
    assert re.search(r"Книга по последним данным будет готова примерно через [12] минут", home)
    assert "предыдущее издание" in home
    put_books(books_dir, build_id, made_at="2026-02-01T00:00:00+00:00")  # the new one is done
    assert build_id in fetch(client, "/ru/atlas.pdf").headers["ETag"]
    assert "предыдущее издание" not in client.get("/ru/").get_data(as_text=True)  # the page cache saw the change


def test_a_worker_reads_the_shelf_again_when_it_changes_or_a_second_has_passed(site, monkeypatch):
    """The home page does not read the shelf's notes for every visitor, yet never misses a book
    that is done (the maker touches the shelf's state) nor a maker that died (a second later)."""
    app, books_dir, build_id = site
    app.config["PAGE_CACHE"] = False  # every request renders the page
    reads = []
    real = shelf.status
    monkeypatch.setattr(shelf, "status", lambda *args: reads.append(args) or real(*args))
    client = app.test_client()
    shelf.write_json(books_dir / build_id / "making.json", {"pid": os.getpid(), "started": time.time()})
    shelf.touch_state(books_dir)
    for _ in range(3):
        assert "будет готова" in client.get("/ru/about").get_data(as_text=True)
    assert len(reads) == 1
    put_books(books_dir, build_id)  # done: the state token changes
    assert "будет готова" not in client.get("/ru/about").get_data(as_text=True) and len(reads) == 2
    (books_dir / build_id / "done.json").unlink()  # gone without a word to the shelf's state
    shelf.write_json(books_dir / build_id / "making.json", {"pid": 2 ** 22 + 1, "started": time.time()})
    client.get("/ru/about")
    assert len(reads) == 3 - 1  # within the second
    glance = app.extensions["atlas_shelf_glance"]
    for key, (token, at, found) in glance.items():
        glance[key] = (token, at - views.GLANCE_SECONDS, found)
    client.get("/ru/about")
    assert len(reads) == 3 and not shelf.making(books_dir, build_id)


@pytest.mark.parametrize("lang, words", [("kk", "дайын болады"), ("ru", "будет готова")])
def test_without_any_book_the_site_says_when_it_will_be_ready(site, lang, words):
    app, books_dir, build_id = site
    shelf.write_json(books_dir / build_id / "making.json", {"pid": os.getpid(), "started": time.time()})
    response = app.test_client().get(f"/{lang}/atlas.pdf")
    assert response.status_code == 503 and 15 <= int(response.headers["Retry-After"]) <= 240
    assert words in response.get_data(as_text=True) and response.headers["Cache-Control"] == "no-store"
    assert "/sectors/" not in app.test_client().get(f"/{lang}/professions/?sector=public-safety").get_data(as_text=True)


def test_the_site_starts_a_missing_book_in_the_background_only_once(site, monkeypatch):
    app, books_dir, build_id = site
    app.config["BOOKS_AUTO"] = True
    started = []

    class Process:
        pid = os.getpid()

        def wait(self):
            return 0

    monkeypatch.setattr(make.subprocess, "Popen", lambda args, **kw: started.append(args) or Process())
    client = app.test_client()
    for _ in range(3):
        assert client.get("/kk/atlas.pdf").status_code == 503
    assert len(started) == 1 and started[0][1:3] == ["-m", "atlas.book_maker"]
    assert shelf.making(books_dir, build_id)


@pytest.mark.parametrize("setting, starts", [("false", False), ("true", True), (None, True)])
def test_a_served_site_makes_a_missing_book_unless_atlas_books_auto_is_false(small, tmp_path, monkeypatch,
                                                                             setting, starts):
    """The setting a server reads from its environment (README): the tests' own servers over the
    shared database set it, or a maker started there changes the home page while they run."""
    if setting is None:
        monkeypatch.delenv("ATLAS_BOOKS_AUTO", raising=False)
    else:
        monkeypatch.setenv("ATLAS_BOOKS_AUTO", setting)
    started = []
    monkeypatch.setattr(make.subprocess, "Popen", lambda args, **kw: started.append(args))
    app = create_app({"DATABASE": str(small["db"]), "BOOKS_DIR": str(tmp_path / "books"), "SECRET_KEY": "x"})
    assert app.test_client().get("/kk/").status_code == 200
    assert bool(started) == starts


def test_the_static_copy_includes_the_books(site, tmp_path):
    app, books_dir, build_id = site
    put_books(books_dir, build_id)
    result = app.test_cli_runner().invoke(args=["export-static", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    for lang in LANGS:
        assert (tmp_path / "copy" / lang / "atlas.pdf").read_bytes() == b"%PDF-1.7 test" + lang.encode()
        assert 'href="../atlas.pdf"' in (tmp_path / "copy" / lang / "about" / "index.html").read_text()
    assert (tmp_path / "copy" / "kk" / "sectors" / "public-safety.pdf").exists()


def test_a_build_that_changes_a_card_gives_a_new_book_with_the_change(small, tmp_path, monkeypatch):
    """The real background maker, twice: the first build's book is served until the second's
    exists, and the second has the changed card."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(small["data"], data)
    books_dir = tmp_path / "books"
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db"), "DATA_DIR": str(data),
                      "BOOKS_DIR": str(books_dir), "BOOKS_AUTO": True,
                      "EDITORIAL_DATABASE": str(tmp_path / "no-editorial.db")})
    makers = []
    real_start = make.start
    monkeypatch.setattr(make, "start", lambda *a, **k: makers.append(real_start(*a, **k)) or makers[-1])

    def build_and_wait():
        result = app.test_cli_runner().invoke(args=["build"])
        assert result.exit_code == 0, result.output
        build_id = result.output.split("(build ")[1].split(")")[0]
        deadline = time.monotonic() + 600
        while not (books_dir / build_id / "done.json").exists():
            assert time.monotonic() < deadline and not (books_dir / build_id / "failed.json").exists()
            time.sleep(1)
        return build_id

    try:
        first = build_and_wait()
        path = data / "professions" / "welder.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("name_kk: Дәнекерлеуші", "name_kk: Дәнекерлеуші-шебер"),
                        encoding="utf-8")
        second = build_and_wait()
        assert second != first
        response = fetch(app.test_client(), "/kk/atlas.pdf")
        assert response.status_code == 200 and second in response.headers["ETag"]
        pdf = tmp_path / "served.pdf"
        pdf.write_bytes(response.data)
        assert "Дәнекерлеуші-шебер" in squeeze(" ".join(page_texts(pdf)))
    finally:
        for process in makers:  # the booklets may still be under way: stop the makers this test started
            if process and process.poll() is None:
                process.kill()
                process.wait()


# A book never blocks a build or a publish.

def test_a_build_starts_the_books_without_waiting_and_survives_a_maker_that_cannot_start(small, book_app, monkeypatch,
                                                                                        tmp_path):
    book_app.config["BOOKS_AUTO"] = True
    db = tmp_path / "atlas.db"
    book_app.config["DATABASE"] = str(db)
    try:
        def refuse(*args, **kwargs):
            raise OSError("no processes left")

        monkeypatch.setattr(make.subprocess, "Popen", refuse)
        result = book_app.test_cli_runner().invoke(args=["build", "--data", str(small["data"])])
        assert result.exit_code == 0, result.output
        result = book_app.test_cli_runner().invoke(args=["build"])
        assert result.exit_code == 0 and db.exists(), result.output
    finally:
        book_app.config["DATABASE"] = str(small["db"])
        book_app.config["BOOKS_AUTO"] = False


def test_a_missing_font_fails_the_book_not_the_publish(small, tmp_path):
    """The maker runs with a font configuration that has no fonts: it records why, the build
    it follows is in place, and the site says the book could not be made."""
    books_dir = tmp_path / "books"
    fonts = tmp_path / "fonts.conf"
    fonts.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir><cachedir>'
                     f'{tmp_path}/cache</cachedir></fontconfig>')
    environment = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    db = tmp_path / "atlas.db"
    db.write_bytes(small["db"].read_bytes())
    app = create_app({"TESTING": True, "DATABASE": str(db), "BOOKS_DIR": str(books_dir), "BOOKS_AUTO": True,
                      "DATA_DIR": str(small["data"]), "EDITORIAL_DATABASE": str(tmp_path / "editorial.db")})
    from unittest import mock

    real_popen = subprocess.Popen
    with mock.patch.object(make.subprocess, "Popen", lambda args, **kw: real_popen(args, env=environment, **kw)):
        started = time.monotonic()
        result = app.test_cli_runner().invoke(args=["publish"])
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 20  # the publish did not wait for the book
    build_id = result.output.split("(build ")[1].split(",")[0]
    deadline = time.monotonic() + 120
    while not (books_dir / build_id / "failed.json").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    failed = json.loads((books_dir / build_id / "failed.json").read_text())
    assert "fonts-noto-core" in failed["reason"]
    response = app.test_client().get("/kk/atlas.pdf")
    assert response.status_code == 503 and "жасау мүмкін болмады" in response.get_data(as_text=True)


def test_check_fonts_names_the_fix(monkeypatch):
    from atlas.book import render

    monkeypatch.setattr(render.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="Foo Sans\n"))
    with pytest.raises(BookError, match="fonts-noto-core"):
        render.check_fonts()
