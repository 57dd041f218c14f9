"""The front door: language choice, home page and the about page."""

from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for

from .. import queries
from ..web.db import build_info, get_db
from ..web.i18n import current_language, preferred_language, remember_language
from ..web.caching.pages import cached
from ..web.params import local_path
from .opendata import LICENCE

bp = Blueprint("home", __name__)

NEW_SHOWN = 12
KEY_FIGURES = ("state_order_places", "colleges", "graduate_employment", "dual_enterprises", "new_specialties_enrolled")


@bp.get("/")
def root():
    """Send the visitor to their language: saved choice, then browser preference, then Kazakh."""
    response = redirect(url_for("home.index", lang=preferred_language()), code=302)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.get("/<lang>/language")
def switch_language():
    """The language switch: remember the choice, then show the page (?next=) in it."""
    lang = current_language()
    target = local_path(request.args.get("next", ""))
    if not target or not target.startswith(f"/{lang}/"):
        target = url_for("home.index", lang=lang)
    response = redirect(target, code=303)
    response.headers["Cache-Control"] = "no-store"
    return remember_language(response, lang)


@bp.get("/<lang>/")
@cached
def index():
    db, lang = get_db(), current_language()
    figures = queries.list_region_figures(db, lang)
    latest = {}
    for figure in figures:
        if figure["key"] in KEY_FIGURES:
            latest[figure["key"]] = figure  # rows are in year order: the last one wins
    return render_template(
        "home/index.html",
        sectors=queries.list_sectors(db, lang),
        new_professions=queries.list_professions(db, lang, status="new", limit=NEW_SHOWN),
        new_total=queries.count_professions(db, status="new"),
        figures=[latest[k] for k in KEY_FIGURES if k in latest],
        state_order=[f for f in figures if f["key"] == "state_order_places"],
        counts=queries.count_all(db),
    )


@bp.get("/<lang>/about")
@cached
def about():
    db, lang = get_db(), current_language()
    build = build_info()
    return render_template("home/about.html", sources=queries.list_sources(db, lang), counts=queries.count_all(db),
                           build=build, built=datetime.fromisoformat(build["built_at"]), licence=LICENCE)
