"""Print views for counselors: one clean A4 page per card or college, with a QR code to
the page, optionally in Kazakh and Russian side by side."""

import segno
from flask import Blueprint, abort, g, render_template, request, url_for
from flask_babel import force_locale
from markupsafe import Markup

from .. import queries
from ..web.db import get_db
from ..languages import LANGUAGES
from ..web.i18n import current_language

bp = Blueprint("printing", __name__, url_prefix="/<lang>")


def qr_svg(url, title):
    """The URL as an inline SVG QR code (segno), labelled for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=3, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def columns(render):
    """One rendering per language when ?both=1, else just the page's language. Each column
    is rendered with its own locale, so its labels are in its own language."""
    if request.args.get("both") not in (None, "", "0", "1"):
        abort(400, description="both")
    page_lang = current_language()
    langs = LANGUAGES if request.args.get("both") == "1" else (page_lang,)
    rendered = []
    for lang in langs:
        g.lang = lang
        g.pop("translations", None)  # the request's cached catalog (i18n.request_translations)
        with force_locale(lang):
            rendered.append((lang, Markup(render(lang))))
        g.pop("translations", None)
    g.lang = page_lang
    return rendered


def sheet(slug, get, page_endpoint, render):
    """The print sheet of one record: its columns, a QR code to its page, its name as title."""
    db = get_db()
    if get(db, "kk", slug) is None:
        abort(404)
    url = url_for(page_endpoint, slug=slug, _external=True)
    return render_template("print/page.html", columns=columns(lambda lang: render(db, lang)), qr=qr_svg(url, url),
                           url=url, title=get(db, current_language(), slug)["name"])


@bp.get("/professions/<slug>/print")
def profession(slug):
    def render(db, lang):
        return render_template("print/_profession.html", **queries.get_profession_card(db, lang, slug))

    return sheet(slug, queries.get_profession, "professions.card", render)


@bp.get("/colleges/<slug>/print")
def college(slug):
    def render(db, lang):
        college = queries.get_college(db, lang, slug)
        return render_template("print/_college.html", college=college,
                               offerings=queries.list_college_offerings(db, lang, slug),
                               partners=queries.list_college_partners(db, lang, slug),
                               source=queries.get_source(db, lang, college["source"]))

    return sheet(slug, queries.get_college, "colleges.detail", render)
