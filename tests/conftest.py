"""Shared fixtures: one database built from data/ per test session, the app, its clients."""

import os
import shutil
from pathlib import Path

import pytest

from atlas.paths import ROOT
from atlas import create_app
from atlas.dataset.build import build

DATA = ROOT / "data"


@pytest.fixture(scope="session")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "atlas.db"
    build(DATA, path)
    return path


@pytest.fixture(scope="session")
def app(db_path):
    return create_app({"TESTING": True, "DATABASE": str(db_path)})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def data_copy(tmp_path):
    """A copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def soup_of(response):
    """A response's HTML, parsed, for tests that look at a page's structure."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def blank_kazakh_summary(data_dir: Path, slug="welder", awaiting=True):
    """A card whose Kazakh summary is empty, marked as awaiting translation (or not)."""
    card = data_dir / "professions" / f"{slug}.yaml"
    text = card.read_text(encoding="utf-8")
    start, end = text.index("summary_kk:"), text.index("summary_ru:")
    card.write_text(text[:start] + "summary_kk: ''\n" + text[end:] + ("awaiting_translation: kk\n" if awaiting else ""),
                    encoding="utf-8")


def edit_csv(path: Path, old: str, new: str):
    """Replace the first occurrence of old in a data file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (tests/browser.py has its flags)."""
    from playwright.sync_api import sync_playwright

    from .browser import ARGS, CHROMIUM

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def server_environment(**settings):
    """The environment of a server a test starts (gunicorn, nginx in front): these ATLAS_ settings
    over this process's environment, and no printed atlas made in the background. Over the
    session's shared database a book maker would change the home page ("ready in about 3
    minutes") under the tests that compare pages, and take a core for minutes."""
    return {**os.environ, "ATLAS_BOOKS_AUTO": "false", **{f"ATLAS_{name}": value for name, value in settings.items()}}
