"""`atlas import state-order|colleges FILE [--dry-run] [--create-missing] [--mapping FILE] [--conflicts keep|table]
[--lang kk|ru]`."""

import os
import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..paths import ROOT
from ..dataset.sources import LANGS
from . import FileRefused, mappings, prepare, record, report, source_of
from . import plan as planning


def terminal_language():
    """kk or ru from the terminal's locale (LC_ALL, LC_MESSAGES, LANG); Kazakh, the site's first
    language, when the locale names neither."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value[:2] in LANGS:
            return value[:2]
    return "kk"


def current_state(editorial_path, data_dir):
    """(data, approved changes, remembered mappings): what `atlas publish` would build now, and the
    administrator's decisions. The editing database is opened read-only (and not at all if it does
    not exist yet), so that a dry run leaves it byte for byte as it was."""
    from ..editorial import records, store

    approved, remembered = [], mappings.empty()
    if Path(editorial_path).exists():
        conn = sqlite3.connect(f"file:{editorial_path}?mode=ro", uri=True, timeout=15)
        conn.row_factory = sqlite3.Row
        try:
            approved, remembered = store.approved_changes(conn), mappings.load(conn)
        finally:
            conn.close()
    return records.current(data_dir, approved), approved, remembered


def current_data(editorial_path, data_dir):
    return current_state(editorial_path, data_dir)[0]


def editorial_database():
    return current_app.config.get("EDITORIAL_DATABASE") or str(ROOT / "instance" / "editorial.db")


@click.group("import")
def import_group():
    """Import the education department's tables into the atlas."""


def options(function):
    for option in reversed([
        click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing."),
        click.option("--create-missing", is_flag=True,
                     help="Create the colleges and specialties the atlas lacks (as approved changes)."),
        click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A CSV of decisions (kind,value,target): headers, college names, specialty codes."),
        click.option("--conflicts", type=click.Choice(["keep", "table"]),
                     help="Where a college's approved value differs: keep it, or take the table's."),
        click.option("--lang", type=click.Choice(LANGS), help="Language of the report (default: the terminal's locale)."),
    ]):
        function = option(function)
    return with_appcontext(function)


@import_group.command("state-order")
@options
def state_order_command(**arguments):
    """Import the state-order table (CSV or XLSX) as approved changes, public at the next publish."""
    run_import("state-order", **arguments)


@import_group.command("colleges")
@options
def colleges_command(**arguments):
    """Import the department's registry of colleges (CSV or XLSX): new colleges and changed details."""
    run_import("colleges", **arguments)


def run_import(kind, path, dry_run, create_missing, mapping, conflicts, lang):
    from ..editorial import store

    lang = lang or terminal_language()
    say = lambda function, *args: report.in_language(lang, function, *args)  # noqa: E731
    with open(path, "rb") as f:
        content = f.read(10 * 1024 * 1024)  # reader refuses anything above its own, lower limit
    try:
        data, approved, remembered = current_state(editorial_database(), current_app.config["DATA_DIR"])
        decisions = []
        if mapping:
            decisions, table = mappings.read_csv(mapping.read_bytes()[:1024 * 1024])
            remembered = mappings.merge(remembered, table)
        options = planning.Options(create_missing=create_missing, remembered=remembered,
                                   provided=planning.college_provided(approved), conflicts=conflicts or "")
        plan = prepare(path.name, content, data, kind, options)
    except FileRefused as error:
        click.echo(say(report.refused_line, error), err=True)
        sys.exit(1)
    for function in (report.overview_lines, ):
        for line in say(function, plan, kind):
            click.echo(line)
    for function in (report.unknown_lines, report.decision_lines, report.conflict_lines):
        for line in say(function, plan):
            click.echo(line, err=True)
    for line in say(report.problem_lines, plan.problems, plan.headers):
        click.echo(line, err=True)
    for line in say(report.change_lines, plan):
        click.echo(line)
    written = 0
    if plan.changes and plan.ready and not dry_run:
        conn = store.connect(editorial_database())
        try:
            written = len(record(conn, plan, source_of(path.name, who="cli", kind=kind), "cli"))
            if decisions:
                mappings.save(conn, decisions, "cli")
        finally:
            conn.close()
    click.echo(say(report.summary, plan.changes, plan.problems, dry_run, written), err=bool(plan.problems))
    sys.exit(1 if plan.problems else 0)
