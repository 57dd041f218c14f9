"""Employers of the region: who hires, in which sector, and with which colleges they train."""

from flask import Blueprint, abort, render_template

from .. import queries
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached
from . import tables

bp = Blueprint("employers", __name__, url_prefix="/<lang>/employers")


@bp.get("/export.<any(csv, table):kind>")
@cached
def export(kind):
    db, lang = get_db(), current_language()
    return tables.respond(kind, f"employers-{lang}.csv", tables.employers_table(db, lang))


@bp.get("/")
@cached
def index():
    db, lang = get_db(), current_language()
    return render_template("employers/index.html", employers=queries.list_employers(db, lang))


@bp.get("/<slug>")
@cached
def detail(slug):
    db, lang = get_db(), current_language()
    employer = queries.get_employer(db, lang, slug)
    if employer is None:
        abort(404)
    return render_template(
        "employers/detail.html", employer=employer,
        professions=queries.list_employer_professions(db, lang, slug),
        colleges=queries.list_employer_colleges(db, lang, slug),
        source=queries.get_source(db, lang, employer["source"]),
    )
