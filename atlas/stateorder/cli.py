"""`atlas import state-order FILE [--dry-run] [--lang kk|ru]`."""

import os
import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import ROOT
from ..sources import LANGS
from . import FileRefused, prepare, record, report, source_of


def terminal_language():
    """kk or ru from the terminal's locale (LC_ALL, LC_MESSAGES, LANG); Kazakh, the site's first
    language, when the locale names neither."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value[:2] in LANGS:
            return value[:2]
    return "kk"


def current_data(editorial_path, data_dir):
    """What `atlas publish` would build now: data/ with every approved change laid over it. The
    editing database is opened read-only (and not at all if it does not exist yet), so that a dry
    run leaves it byte for byte as it was."""
    from ..editorial import records, store

    approved = []
    if Path(editorial_path).exists():
        conn = sqlite3.connect(f"file:{editorial_path}?mode=ro", uri=True, timeout=15)
        conn.row_factory = sqlite3.Row
        try:
            approved = store.approved_changes(conn)
        finally:
            conn.close()
    return records.current(data_dir, approved)


def editorial_database():
    return current_app.config.get("EDITORIAL_DATABASE") or str(ROOT / "instance" / "editorial.db")


@click.group("import")
def import_group():
    """Import official tables into the atlas."""


@import_group.command("state-order")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--lang", type=click.Choice(LANGS), help="Language of the report (default: the terminal's locale).")
@with_appcontext
def state_order_command(path, dry_run, lang):
    """Import the state-order table (CSV or XLSX) as approved changes, public at the next publish."""
    from ..editorial import store

    lang = lang or terminal_language()
    say = lambda function, *args: report.in_language(lang, function, *args)  # noqa: E731
    with open(path, "rb") as f:
        content = f.read(10 * 1024 * 1024)  # reader refuses anything above its own, lower limit
    try:
        data = current_data(editorial_database(), current_app.config["DATA_DIR"])
        changes, problems = prepare(path.name, content, data)
    except FileRefused as error:
        click.echo(say(report.refused_line, error), err=True)
        sys.exit(1)
    for line in say(report.problem_lines, problems):
        click.echo(line, err=True)
    for line in say(report.change_lines, changes):
        click.echo(line)
    written = 0
    if changes and not problems and not dry_run:
        conn = store.connect(editorial_database())
        try:
            written = len(record(conn, changes, source_of(path.name), "cli"))
        finally:
            conn.close()
    click.echo(say(report.summary, changes, problems, dry_run, written), err=bool(problems))
    sys.exit(1 if problems else 0)
