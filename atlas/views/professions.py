"""Profession list (with sector and status filters) and the profession card."""

from flask import Blueprint, abort, render_template, url_for

from .. import queries
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached
from ..web.params import choice_arg
from . import tables

bp = Blueprint("professions", __name__, url_prefix="/<lang>/professions")

STATUSES = ("new", "changing", "in_demand")


def read_filters(db, lang):
    return (choice_arg("sector", queries.list_sector_names(db, lang)), choice_arg("status", STATUSES))


@bp.get("/export.<any(csv, table):kind>")
@cached
def export(kind):
    db, lang = get_db(), current_language()
    return tables.respond(kind, f"professions-{lang}.csv", tables.professions_table(db, lang, *read_filters(db, lang)))


@bp.get("/")
@cached
def index():
    db, lang = get_db(), current_language()
    sectors = queries.list_sectors(db, lang)
    sector, status = read_filters(db, lang)
    # A card's path is the list's own and the slug (checked to be latin letters, digits and
    # hyphens: nothing to quote); url_for for each of 142 cards cost a tenth of the page.
    professions = queries.list_profession_items(db, lang, url_for("professions.index"), sector=sector, status=status)
    return render_template(
        "professions/index.html",
        professions=professions,
        sectors=sectors, statuses=STATUSES, status_counts=queries.count_professions_by_status(db),
        sector=sector, status=status,
        sector_name=next((s["name"] for s in sectors if s["slug"] == sector), None),
    )


@bp.get("/<slug>")
@cached
def card(slug):
    card = queries.get_profession_card(get_db(), current_language(), slug)
    if card is None:
        abort(404)
    return render_template("professions/card.html", **card)
