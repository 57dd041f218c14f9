"""What changed: the published changes to college data, by date, as a page and an Atom feed,
so that counselors can follow updates. Read from the public database only."""

from flask import Blueprint, make_response, render_template

from .. import queries
from ..web.db import build_info, get_db
from ..editorial.forms import FIELD_LABELS
from ..editorial.readable import Names
from ..web.i18n import current_language
from ..web.caching.pages import cached
from ..text import xml_safe

bp = Blueprint("changes", __name__, url_prefix="/<lang>")


def grouped(changes):
    """[(date, [changes])], newest date first."""
    days = {}
    for change in changes:
        days.setdefault(change["published_on"], []).append(change)
    return sorted(days.items(), reverse=True)


@bp.get("/changes")
@cached
def index():
    db, lang = get_db(), current_language()
    return render_template("changes/index.html", days=grouped(queries.list_published_changes(db, lang)),
                           labels=FIELD_LABELS, names=Names({}, lang))


@bp.get("/changes.atom")
@cached
def feed():
    db, lang = get_db(), current_language()
    changes = queries.list_published_changes(db, lang, limit=100)
    response = make_response(xml_safe(render_template("changes/feed.xml", changes=changes, labels=FIELD_LABELS,
                                                      names=Names({}, lang), built_at=build_info()["built_at"])))
    response.mimetype = "application/atom+xml"
    return response
