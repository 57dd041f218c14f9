"""How to enrol in a college: the rules and dates from data/enrol.yaml, each with its source."""

from flask import Blueprint, render_template

from .. import queries
from ..web.db import get_db
from ..dataset.enrol import SECTIONS
from ..web.i18n import current_language
from ..web.caching.pages import cached

bp = Blueprint("enrol", __name__, url_prefix="/<lang>/enrol")


@bp.get("/")
@cached
def index():
    db, lang = get_db(), current_language()
    items = queries.list_enrol_items(db, lang)
    sections = [(section, [item for item in items if item["section"] == section]) for section in SECTIONS]
    return render_template("enrol/index.html", sections=sections)
