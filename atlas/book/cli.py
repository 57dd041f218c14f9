"""`atlas book`: the printed atlas from the current public database."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import shelf
from .make import LANGS, card_urls, make_one, make_site_books
from .render import BookError, check_fonts


@click.command("book")
@click.option("--lang", type=click.Choice(LANGS), help="One language's book (default: the site's books, both languages).")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="The PDF to write (with --lang; default atlas-LANG.pdf).")
@click.option("--sector", help="A sector's booklet instead of the whole book (its slug; with --lang).")
@with_appcontext
def book_command(lang, out, sector):
    """Write the atlas as a typeset PDF book. With --lang, one book to --out; without it, every
    book the site serves (both languages and each sector's booklet), in the foreground, into
    the books folder next to the database."""
    from ..web.db import DatabaseUnavailable, connect

    app = current_app._get_current_object()
    if not app.config.get("SERVER_NAME"):
        click.echo("The QR codes and links lead to http://localhost: set ATLAS_SERVER_NAME to the public host.", err=True)
    try:
        if not lang:
            if out or sector:
                raise click.UsageError("--out and --sector go with --lang")
            build_id = make_site_books(app, log=click.echo)
            click.echo(f"The books of build {build_id} are in {shelf.books_dir(app.config) / build_id}.")
            return
        check_fonts()
        db = connect(app.config["DATABASE"])
        build = {row["key"]: row["value"] for row in db.execute("select key, value from meta")}
        from ..queries import list_sector_names

        if sector and sector not in list_sector_names(db, lang):
            raise click.BadParameter(f"no sector '{sector}'", param_hint="--sector")
        target = Path(out or f"atlas-{lang}{'-' + sector if sector else ''}.pdf")
        pages, size, seconds = make_one(db, lang, build, card_urls(app)(lang), target, sector=sector)
    except (BookError, DatabaseUnavailable) as error:
        click.echo(f"The book was not made: {error}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {target}: {pages} pages, {size / 1_000_000:.1f} MB, in {seconds} s (build {build['build_id']}).")
