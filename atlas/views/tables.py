"""Lists as tables, for counselors: the same rows as CSV (UTF-8 with BOM) or as a printable
page. Each function returns (title, header, rows) in the page's language."""

from flask import render_template, url_for
from flask_babel import gettext as _

from .. import queries
from ..web.db import build_info
from ..features.exports import csv_response
from ..search.query import search

STATUS = {"new": lambda: _("New"), "changing": lambda: _("Changing"), "in_demand": lambda: _("In demand")}
TYPE = {"profession": lambda: _("Profession"), "specialty": lambda: _("Specialty"),
        "college": lambda: _("College"), "employer": lambda: _("Employer")}
LANGUAGE = {"kk": lambda: _("Kazakh"), "ru": lambda: _("Russian"), "en": lambda: _("English")}
ENDPOINTS = {"profession": "professions.card", "specialty": "specialties.detail", "college": "colleges.detail",
             "employer": "employers.detail"}


def yes_no(value):
    return "" if value is None else (_("yes") if value else _("no"))


class PageLink(str):
    """A cell holding the address of an atlas page: the printable table links only these
    (text that merely starts with "http" stays text) and shows them with their host."""

    is_page_link = True


def page_url(endpoint, slug):
    return PageLink(url_for(endpoint, slug=slug, _external=True))


def professions_table(db, lang, sector, status):
    rows = []
    for p in queries.list_professions(db, lang, sector=sector, status=status):
        routes = queries.list_study_routes(db, lang, p["slug"])
        rows.append([p["name"], p["sector_name"], STATUS[p["status"]](),
                     "; ".join(f"{r['code'] or ''} {r['name']}".strip() for r in routes),
                     "; ".join(sorted({o["college_name"] for r in routes for o in r["offerings"]})),
                     page_url("professions.card", p["slug"])])
    header = [_("Profession"), _("Sector"), _("Status"), _("Specialties"), _("Colleges"), _("Page")]
    return _("Professions"), header, rows


def colleges_table(db, lang, town):
    rows = [[c["name"], c["town_name"], ", ".join(LANGUAGE[x]() for x in c["languages"]), yes_no(c["dormitory"]),
             c["specialties"], yes_no(bool(c["verified"])), page_url("colleges.detail", c["slug"])]
            for c in queries.list_colleges(db, lang, town=town)]
    header = [_("College"), _("Town"), _("Languages of instruction"), _("Dormitory"), _("Specialties"),
              _("Confirmed by an official source"), _("Page")]
    return _("Colleges"), header, rows


def specialties_table(db, lang):
    rows = []
    for s in queries.list_specialties(db, lang):
        qualifications = "; ".join(f"{q['level']}{q['code']} {q['name']}" for q in queries.list_qualifications(db, lang, s["slug"]))
        rows.append([s["code"], s["name"], qualifications, s["professions"], s["colleges"],
                     page_url("specialties.detail", s["slug"])])
    header = [_("Code"), _("Specialty"), _("Qualifications"), _("Professions"), _("Colleges"), _("Page")]
    return _("Specialties"), header, rows


def employers_table(db, lang):
    rows = [[e["name"], e["town_name"] or "", yes_no(bool(e["verified"])), page_url("employers.detail", e["slug"])]
            for e in queries.list_employers(db, lang)]
    return _("Employers"), [_("Employer"), _("Town"), _("Confirmed by an official source"), _("Page")], rows


def search_table(db, lang, q, filters):
    outcome = search(db, build_info()["build_id"], q, filters)
    rows = [[TYPE[r["type"]](), r[f"name_{lang}"], r[f"summary_{lang}"], page_url(ENDPOINTS[r["type"]], r["key"])]
            for r in outcome.results]
    header = [_("Type"), _("Name"), _("Description"), _("Page")]
    return _("Search: %(q)s", q=outcome.query) if outcome.query else _("Search the atlas"), header, rows


def respond(kind, filename, table):
    """The table as a CSV download or as a printable page, as the URL asks."""
    title, header, rows = table
    if kind == "csv":
        return csv_response(filename, header, rows)
    return render_template("exports/table.html", title=title, header=header, rows=rows)
