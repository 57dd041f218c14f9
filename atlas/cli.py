"""The `atlas` command: Flask's CLI plus build, check-data and serve."""

import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import create_app
from .build import build, load_valid
from .quality import review
from .sources import LANGS, DataError


@click.group(cls=FlaskGroup, create_app=lambda: create_app())
def cli():
    """Atlas of new professions of East Kazakhstan region."""


def init_app(app):
    """The commands live on the app's CLI, so `atlas` (and `flask --app atlas`) list them."""
    for command in (build_command, check_data_command, serve_command):
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
    data_dir = data_dir or current_app.config["DATA_DIR"]
    db_path = db_path or current_app.config["DATABASE"]
    try:
        meta = build(data_dir, db_path)
    except DataError as error:
        report_problems(error)
    click.echo(f"Built {db_path} (build {meta['build_id']}).")


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
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} finding(s).")
    sys.exit(1 if findings else 0)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", 8000)), show_default="8000 or $PORT")
@click.option("--workers", type=int, default=None, help="Default: twice the number of cores, plus one.")
def serve_command(host, port, workers):
    """Serve the site with gunicorn, the production server."""
    workers = workers or (os.cpu_count() or 1) * 2 + 1
    args = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-", "atlas.wsgi:app"]
    os.execvp(args[0], args)


if __name__ == "__main__":
    cli()
