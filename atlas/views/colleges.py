"""Colleges of the region, filterable by town, and each college's page."""

from flask import Blueprint, abort, render_template

from .. import queries
from ..web.db import get_db
from ..web.i18n import current_language
from ..dataset.overlay import EDITORIAL_SOURCE
from ..web.caching.pages import cached
from ..web.params import choice_arg
from . import tables

bp = Blueprint("colleges", __name__, url_prefix="/<lang>/colleges")


@bp.get("/export.<any(csv, table):kind>")
@cached
def export(kind):
    db, lang = get_db(), current_language()
    town = choice_arg("town", queries.list_town_names(db, lang))
    return tables.respond(kind, f"colleges-{lang}.csv", tables.colleges_table(db, lang, town))


@bp.get("/")
@cached
def index():
    db, lang = get_db(), current_language()
    towns = queries.list_towns(db, lang)
    town = choice_arg("town", {t["slug"] for t in towns})
    return render_template("colleges/index.html", colleges=queries.list_colleges(db, lang, town=town),
                           towns=towns, town=town,
                           town_name=next((t["name"] for t in towns if t["slug"] == town), None))


@bp.get("/<slug>")
@cached
def detail(slug):
    db, lang = get_db(), current_language()
    college = queries.get_college(db, lang, slug)
    if college is None:
        abort(404)
    return render_template(
        "colleges/detail.html",
        college=college,
        offerings=queries.list_college_offerings(db, lang, slug),
        partners=queries.list_college_partners(db, lang, slug),
        source=queries.get_source(db, lang, college["source"]),
        facts=queries.list_college_facts(db, lang, slug),
        training_areas=queries.list_college_training_areas(db, lang, slug),
        sources=queries.list_college_sources(db, lang, slug),
        provenance=queries.get_college_provenance(db, lang, slug),
        origins=queries.get_offering_origins(db, lang, college=slug),
        # A college the editing area created (from the department's table): when, and from what.
        added=queries.get_addition(db, lang, "college", slug) if college["source"] == EDITORIAL_SOURCE["slug"] else {},
    )
