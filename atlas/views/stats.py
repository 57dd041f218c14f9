"""The region's figures over time, as server-drawn SVG charts with their data and sources."""

from flask import Blueprint, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _

from .. import queries
from ..features.charts import bar_chart
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached

bp = Blueprint("stats", __name__, url_prefix="/<lang>")


def shown(figure):
    value = figure["value"]
    text = format_decimal(value if figure["unit"] == "percent" else int(value))
    return {"percent": f"{text}%", "count_plus": f"{text}+"}.get(figure["unit"], text)


@bp.get("/stats")
@cached
def index():
    db, lang = get_db(), current_language()
    figures = queries.list_region_figures(db, lang)
    by_key = {}
    for figure in figures:
        by_key.setdefault(figure["key"], []).append({**figure, "shown": shown(figure)})
    charts = []

    def chart(chart_id, title, description, items, maximum=None):
        bars = [(label, f["value"], f["shown"]) for label, f in items]
        charts.append({"id": chart_id, "title": title, "svg": bar_chart(chart_id, title, description, bars, maximum),
                       "rows": [(label, f["shown"]) for label, f in items], "source": items[0][1]["source_title"]})

    order = by_key["state_order_places"]
    chart("state-order", _("State-funded places in the region's colleges"),
          _("From %(first)s places in %(y1)s to %(last)s in %(y2)s.", first=order[0]["shown"], y1=order[0]["year"],
            last=order[-1]["shown"], y2=order[-1]["year"]),
          [(str(f["year"]), f) for f in order])
    patrons = by_key["patron_enterprises_start"] + by_key["patron_enterprises"]
    chart("patrons", _("Patron enterprises of colleges, 2025"),
          _("%(start)s enterprises at the start of the year, %(end)s by its end.", start=patrons[0]["shown"], end=patrons[1]["shown"]),
          [(_("start of 2025"), patrons[0]), (_("end of 2025"), patrons[1])])
    dual = [by_key[k][0] for k in ("dual_enterprises", "dual_specialties", "dual_colleges")]
    chart("dual", _("Dual training in 2025"),
          _("More than %(students)s students learn partly at work: %(e)s enterprises, %(s)s specialties, %(c)s colleges.",
            students=by_key["dual_students"][0]["shown"].rstrip("+"), e=dual[0]["shown"], s=dual[1]["shown"], c=dual[2]["shown"]),
          [(_("enterprises"), dual[0]), (_("specialties"), dual[1]), (_("colleges"), dual[2])])
    employment = by_key["graduate_employment"][0]
    chart("employment", _("Graduate employment, 2025"),
          _("%(share)s of the graduates found work.", share=employment["shown"]),
          [(_("employed"), employment)], maximum=100)
    return render_template("stats/index.html", charts=charts, figures=[{**f, "shown": shown(f)} for f in figures],
                           new_enrolled=by_key["new_specialties_enrolled"][0],
                           new_specialties=[s for s in queries.list_specialties(db, lang) if s["opened_2025"]])
