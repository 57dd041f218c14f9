"""The search page, its htmx fragments and the suggestions under the search box."""

from functools import lru_cache, partial

from flask import Blueprint, request, url_for

from .. import queries
from ..text import shorten
from ..web.db import build_info, get_db
from ..web.htmx import render_page_or_fragment
from ..web.i18n import current_language
from ..web.caching.pages import cached
from ..search.query import FACETS, highlight, search
from ..web.urls import query_string
from ..web.params import choice_arg, int_arg, query_value
from . import tables

bp = Blueprint("search", __name__, url_prefix="/<lang>")

PAGE_SIZE = 20
SUGGESTIONS = 6
SUMMARY_LENGTH = 200  # characters of a result's summary
LISTS = {"profession": "professions.index", "specialty": "specialties.index", "college": "colleges.index",
         "employer": "employers.index"}
FIXED_VALUES = {
    "type": ("profession", "specialty", "college", "employer"), "status": ("new", "changing", "in_demand"),
    "grade": ("9", "11"), "language": ("kk", "ru", "en"), "dual": ("yes",),
}


def read_filters(db, lang):
    """The facet parameters of the request; an unknown value is a 400, not an empty page."""
    allowed = dict(FIXED_VALUES)
    allowed["sector"] = queries.list_sector_names(db, lang)
    allowed["town"] = queries.list_town_names(db, lang)
    return {facet: choice_arg(facet, allowed[facet]) for facet in FACETS}


def read_page():
    return int_arg("page", 1, 1, 500)


def result_paths():
    """The path of each type's list, which its pages' paths continue with the slug (latin
    letters, digits and hyphens: nothing to quote), as the professions list makes its links:
    found once a request, where url_for for each result cost a tenth of a broad search."""
    return {kind: url_for(endpoint) for kind, endpoint in LISTS.items()}


def present(row, lang, query_words, paths, html=True):
    """A result row as the templates and (without the highlighted HTML) the API show it;
    paths is result_paths()."""
    item = {
        "type": row["type"], "slug": row["key"], "name": row[f"name_{lang}"],
        "name_kk": row["name_kk"], "name_ru": row["name_ru"], "url": paths[row["type"]] + row["key"],
        "score": round(-row["score"], 3) if row["score"] else 0.0,
    }
    if html:
        item["name_html"] = highlight(row[f"name_{lang}"], query_words)
        item["summary_html"] = highlight(shorten(row[f"summary_{lang}"] or "", SUMMARY_LENGTH), query_words)
    return item


def result_items(results, lang, query_words, paths):
    """What a results page shows of each result, as the template unpacks it: (type, url,
    highlighted name, highlighted summary). A broad search shows twenty; a tuple each, rather
    than present()'s dict with the fields only the API reads, read a key at a time by Jinja."""
    name, summary = f"name_{lang}", f"summary_{lang}"
    return [(row["type"], paths[row["type"]] + row["key"], highlight(row[name], query_words),
             highlight(shorten(row[summary] or "", SUMMARY_LENGTH), query_words)) for row in results]


def facet_labels(db, lang):
    return {"sector": queries.list_sector_names(db, lang), "town": queries.list_town_names(db, lang)}


@lru_cache(maxsize=4096)
def encoded_pair(name, value):
    """`name=value` as Werkzeug encodes it in a query string (a page's facet links repeat the
    same few pairs: the query and the facets on)."""
    return query_string([(name, value)])


def toggle_url(q, filters, facet, value, path=None):
    """The URL of the same search with facet=value switched on (or off when it is on): what
    `url_for("search.index", q=q or None, **params)` gives, byte for byte. A results page has
    thirty of these, each for a query no page asked before, so url_for's memory never helped
    and Werkzeug built each (about 10 µs, a fair share of a cold search page); the path is
    built once a page (`path`, else here) and only the query string is encoded here.

    The chosen facets come in FACETS order and the one switched on last after them, as
    Werkzeug orders the arguments it is given (url_for's memory, keyed on the sorted
    arguments, gave whichever order a worker happened to build first)."""
    params = {k: v for k, v in filters.items() if v}
    if params.get(facet) == value:
        params.pop(facet)
    else:
        params[facet] = value
    query = "&".join(encoded_pair(name, v) for name, v in [("q", q)] * bool(q) + list(params.items()))
    path = path or url_for("search.index")
    return f"{path}?{query}" if query else path


def facet_links(q, filters, facets, path):
    """The filter panel's links, facet by facet in FACETS order: (facet, [(url, value, count,
    whether it is on)]), each url switching its value on or off (toggle_url). Made here in one
    pass rather than by the template a value at a time: a broad search has twenty to thirty."""
    # A value of a facet with nothing chosen joins the end of this page's own query, as
    # toggle_url orders it: that query is encoded once, not once a link.
    prefix = path + "?" + "".join(encoded_pair(name, value) + "&"
                                  for name, value in [("q", q)] * bool(q) + [(k, v) for k, v in filters.items() if v])
    links = []
    for facet in FACETS:
        counts = facets.get(facet)
        if counts:
            chosen = filters.get(facet)
            if chosen:
                links.append((facet, [(toggle_url(q, filters, facet, value, path), value, n, value == chosen)
                                      for value, n in counts.items()]))
            else:
                links.append((facet, [(prefix + encoded_pair(facet, value), value, n, False)
                                      for value, n in counts.items()]))
    return links


def run_search(lang):
    db = get_db()
    filters = read_filters(db, lang)
    outcome = search(db, build_info()["build_id"], query_value("q"), filters)
    return db, filters, outcome


@bp.get("/search")
@cached
def index():
    lang = current_language()
    db, filters, outcome = run_search(lang)
    page = read_page()
    start = (page - 1) * PAGE_SIZE
    paths = result_paths()
    shown = result_items(outcome.results[start:start + PAGE_SIZE], lang, outcome.words, paths)
    popular = [] if outcome.total else queries.list_professions(db, lang, status="new", limit=8)
    path = url_for("search.index")
    return render_page_or_fragment(
        "search/index.html", "search/_results.html",
        outcome=outcome, results=shown, filters=filters, page=page, page_size=PAGE_SIZE,
        labels=facet_labels(db, lang), toggle_url=partial(toggle_url, path=path), popular=popular,
        facet_links=facet_links(outcome.query, filters, outcome.facets, path),
        active=sum(1 for value in filters.values() if value),
    )


@bp.get("/search/export.<any(csv, table):kind>")
def export(kind):
    lang = current_language()
    db = get_db()
    filters = read_filters(db, lang)
    return tables.respond(kind, f"search-{lang}.csv", tables.search_table(db, lang, request.args.get("q", ""), filters))


@bp.get("/search/suggest")
@cached
def suggest():
    """A few results under the search box as one types (htmx); a plain page without it."""
    lang = current_language()
    q = request.args.get("q", "")
    if len(q.strip()) < 2:
        return render_page_or_fragment("search/suggest_page.html", "search/_suggestions.html", results=[], q=q)
    db, filters, outcome = run_search(lang)
    paths = result_paths()
    results = [present(r, lang, outcome.words, paths) for r in outcome.results[:SUGGESTIONS]]
    return render_page_or_fragment("search/suggest_page.html", "search/_suggestions.html",
                                   results=results, q=q, outcome=outcome)
