"""The benchmark's synthetic data (bench/synthetic.py) stays a dataset `atlas build` accepts:
`make bench` measures the larger database built from it."""

import sqlite3

from atlas.dataset.build import build
from bench.synthetic import grow

from .conftest import DATA


def test_the_synthetic_data_builds_with_every_record_cloned(tmp_path):
    grow(DATA, tmp_path / "data", 2)
    build(tmp_path / "data", tmp_path / "x2.db")
    build(DATA, tmp_path / "x1.db")
    grown, shipped = sqlite3.connect(tmp_path / "x2.db"), sqlite3.connect(tmp_path / "x1.db")

    def count(db, sql):
        return db.execute(sql).fetchone()[0]

    for table in ("professions", "employers"):
        assert count(grown, f"select count(*) from {table}") == 2 * count(shipped, f"select count(*) from {table}")
    coded = "select count(*) from specialties where code != ''"
    assert count(grown, coded) == 2 * count(shipped, coded)  # a specialty without a code is not cloned


def test_measuring_pages_in_process_starts_no_book_maker(db_path, monkeypatch):
    """The in-process part of `make bench` renders the home page, which starts a book maker
    for a build that has no book: it must not, or the maker takes a core (the x20 book for
    twenty minutes) from every throughput figure measured after it."""
    import bench.run
    from atlas.book import make

    started = []
    monkeypatch.setattr(make.subprocess, "Popen", lambda *args, **kwargs: started.append(args))
    monkeypatch.setattr(bench.run, "ROUNDS", 10)
    rows = bench.run.in_process("test", db_path)
    assert any(label == "home" for _, _, label, _, _ in rows)
    assert started == []
