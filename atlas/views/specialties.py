"""Specialties of the TVET classifier taught (or newly opened) in the region."""

from flask import Blueprint, abort, render_template

from .. import queries
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached
from . import tables

bp = Blueprint("specialties", __name__, url_prefix="/<lang>/specialties")


@bp.get("/export.<any(csv, table):kind>")
@cached
def export(kind):
    db, lang = get_db(), current_language()
    return tables.respond(kind, f"specialties-{lang}.csv", tables.specialties_table(db, lang))


@bp.get("/")
@cached
def index():
    db, lang = get_db(), current_language()
    return render_template("specialties/index.html", specialties=queries.list_specialties(db, lang))


@bp.get("/<slug>")
@cached
def detail(slug):
    db, lang = get_db(), current_language()
    specialty = queries.get_specialty(db, lang, slug)
    if specialty is None:
        abort(404)
    return render_template(
        "specialties/detail.html",
        specialty=specialty,
        qualifications=queries.list_qualifications(db, lang, slug),
        professions=queries.list_specialty_professions(db, lang, slug),
        offerings=queries.list_specialty_offerings(db, lang, slug),
        training_areas=queries.list_specialty_training_areas(db, lang, slug),
        source=queries.get_source(db, lang, specialty["source"]),
        # A specialty a college or the department's table added: not yet checked against the classifier.
        added=queries.get_addition(db, lang, "specialty", slug) if specialty.get("classifier_checked") == 0 else {},
    )
