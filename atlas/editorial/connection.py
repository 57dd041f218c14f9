"""This request's connection to the editing database, opened on first use and closed at teardown."""

from flask import current_app, g

from . import store


def get_conn():
    """This request's connection to the editing database."""
    if "editorial_db" not in g:
        g.editorial_db = store.connect(current_app.config["EDITORIAL_DATABASE"])
    return g.editorial_db
