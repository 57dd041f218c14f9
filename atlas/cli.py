"""The `atlas` command: Flask's CLI plus build, check-data and serve."""

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .dataset import cardchecks
from .book import start_after_build
from .dataset.build import build, load_valid
from .dataset.quality import college_coverage, review
from .dataset.sources import LANGS, DataError
from .stateorder.cli import import_group


def init_app(app):
    """The commands live on the app's CLI, so `atlas` (and `flask --app atlas`) list them."""
    from .offline.staticcopy import export_static_command

    for command in (build_command, check_data_command, serve_command, import_group, export_static_command):
        app.cli.add_command(command)


def report_problems(error):
    for found in error.problems:
        click.echo(str(found), err=True)
    click.echo(f"{len(error.problems)} problem(s) found; nothing was written.", err=True)
    sys.exit(1)


@click.command("build")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data folder (default: data/).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="The database to write.")
@with_appcontext
def build_command(data_dir, db_path):
    """Validate data/ and build the database, replacing the old one atomically."""
    site_database = db_path is None and data_dir is None
    data_dir = data_dir or current_app.config["DATA_DIR"]
    db_path = db_path or current_app.config["DATABASE"]
    editorial = Path(current_app.config["EDITORIAL_DATABASE"])
    if site_database and editorial.exists():
        # Where an editing area is in use, the site's database is always data/ plus the approved
        # changes: a rebuild after a deploy must not drop what the colleges published.
        from .editorial import store
        from .editorial.publish import publish

        try:
            meta, count = publish(store.connect(str(editorial)), data_dir, db_path, "atlas build")
        except DataError as error:
            report_problems(error)
        click.echo(f"Built {db_path} with the editing area's approved changes "
                   f"(build {meta['build_id']}, {count} new change(s)).")
        start_after_build(current_app, meta["build_id"])
        return
    try:
        meta = build(data_dir, db_path)
    except DataError as error:
        report_problems(error)
    click.echo(f"Built {db_path} (build {meta['build_id']}).")
    if site_database:
        start_after_build(current_app, meta["build_id"])


@click.command("check-data")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The data folder (default: data/).")
@with_appcontext
def check_data_command(data_dir):
    """Validate data/ without writing anything, and report each language's completeness."""
    data_dir = data_dir or current_app.config["DATA_DIR"]
    try:
        data = load_valid(data_dir)
    except DataError as error:
        report_problems(error)
    stats, findings = review(data)
    click.echo("language  records  complete  fields  filled")
    for lang in LANGS:
        s = stats[lang]
        click.echo(f"{lang:<8}  {s['records']:>7}  {s['complete_records']:>8}  {s['fields']:>6}  {s['filled_fields']:>6}")
    coverage = college_coverage(data)
    click.echo(f"colleges named: {coverage['colleges']} of the region's {coverage['region_colleges']}; "
               f"offerings: {coverage['offerings']}, with places {coverage['with_places']}, "
               f"with languages {coverage['with_languages']}, with entry grades {coverage['with_entry_grades']}")
    counts, limit, phrases = cardchecks.report(data)
    click.echo("card checks: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    click.echo(f"phrases on the most cards (the limit is {limit:g} of {len(data['professions'])} cards):")
    for lang, phrase, cards in phrases:
        click.echo(f"  {cards:>3}  {lang}  {phrase}")
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} finding(s).")
    sys.exit(1 if findings else 0)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", 8000)), show_default="8000 or $PORT")
@click.option("--workers", type=int, default=None, help="Default: the number of cores, plus one.")
def serve_command(host, port, workers):
    """Serve the site with gunicorn, the production server."""
    args = gunicorn_command(f"{host}:{port}", workers)
    os.execvp(args[0], args)


def gunicorn_command(bind, workers=None, app="atlas.wsgi:app", access_log="-"):
    """gunicorn as `atlas serve` runs it; `make serve-nginx` and the benchmark use the same
    settings (the benchmark also for its bare Flask page, so that the two compare).

    A page is Python work over a file in memory, with nothing to wait for: a core per worker,
    plus one spare (for a publish, which builds for about a second). More threads in a worker
    only take turns at one interpreter lock: side by side on 2 cores, 3 workers of one thread
    served 13-30% more cold cards a second than 5 workers of 4 threads. Idle keep-alive
    connections wait in gthread's poller, and slow clients in nginx (`make serve-nginx`)."""
    workers = workers or (os.cpu_count() or 1) + 1
    args = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
            "--worker-class", "gthread", "--threads", "1"]
    if access_log:
        args += ["--access-logfile", access_log]
    return args + [app]


if __name__ == "__main__":
    cli()
