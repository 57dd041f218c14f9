"""The printed atlas: a typeset PDF book in each language, and a booklet per sector, made from
the same public database as the site (WeasyPrint over the book's own templates).

    content.py   what goes into a book, through the site's queries
    alphabet.py  the index in Kazakh or Russian alphabetical order
    render.py    the book's templates -> HTML -> PDF
    make.py      the site's books of the current build, made in a background process
    shelf.py     where the books live and which are served
    views.py     /<lang>/atlas.pdf, /<lang>/sectors/<slug>.pdf
    cli.py       `atlas book`
"""


def init_app(app):
    from . import cli, shelf, views

    # Books are made after every build and publish, in the background; tests turn it on where they need it.
    app.config.setdefault("BOOKS_AUTO", not app.config.get("TESTING"))
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.book_command)
    app.jinja_env.globals["book_download"] = views.download_info
    app.jinja_env.globals["booklet_ready"] = views.booklet_ready
    # Pages that show the book's size change when a book is finished, within one build: a key of
    # both page caches (called outside requests too, so it reads only the app).
    keys = app.extensions.setdefault("atlas_page_keys", [])
    keys.append(lambda: shelf.state_token(shelf.books_dir(app.config)))


def start_after_build(app, build_id=None):
    """Start making the new build's books in the background (never raises)."""
    from .make import start

    return start(app, build_id=build_id)
