"""The read-only JSON API under /api/v1/, reusing the site's queries and search."""

from flask import Blueprint, abort, g, jsonify, request, url_for

from ... import queries
from ...web.db import build_info, get_db
from ...languages import LANGUAGES
from .openapi import openapi_document
from ...web.caching.pages import cached
from ...search.query import search
from ...web.params import int_arg, query_value
from ..search import present, read_filters, result_paths

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100
MAX_PAGE = 10_000


def read_language():
    lang = request.args["lang"] if "lang" in request.args else "kk"
    if lang not in LANGUAGES:
        abort(400, description="lang must be kk or ru")
    g.lang = lang
    return lang


def read_limit(default=20):
    return int_arg("limit", default, 1, MAX_LIMIT)


@bp.get("/search")
@cached
def search_api():
    """Search results in relevance order, with facet counts; `url` is in the asked language."""
    lang, limit = read_language(), read_limit()
    db = get_db()
    filters = read_filters(db, lang)
    q = query_value("q")
    outcome = search(db, build_info()["build_id"], q, filters)
    results, paths = [], result_paths()
    for row in outcome.results[:limit]:
        item = present(row, lang, outcome.words, paths, html=False)
        results.append({key: item[key] for key in ("type", "slug", "name_kk", "name_ru", "url", "score")})
    return jsonify(query=outcome.query, corrected=outcome.corrected, total=outcome.total,
                   results=results, facets=outcome.facets)


def read_page(default_per_page=50):
    return int_arg("page", 1, 1, MAX_PAGE), int_arg("per_page", default_per_page, 1, MAX_LIMIT)


def read_record_filters(table):
    filterable = queries.RECORD_TABLES[table][1]
    unknown = sorted(set(request.args) - set(filterable) - {"page", "per_page"})
    if unknown:
        abort(400, description=f"unknown parameter: {', '.join(unknown)}")
    return {column: request.args.get(column) for column in filterable}


def with_urls(table, record):
    endpoint = PAGE_ENDPOINTS[table]
    key = record[queries.RECORD_TABLES[table][0]]
    return {**record, "urls": {lang: url_for(endpoint, lang=lang, slug=key, _external=True) for lang in LANGUAGES}}


PAGE_ENDPOINTS = {"professions": "professions.card", "specialties": "specialties.detail",
                  "colleges": "colleges.detail", "employers": "employers.detail"}


def list_view(table):
    def view():
        page, per_page = read_page()
        total, records = queries.list_records(get_db(), table, read_record_filters(table), per_page, (page - 1) * per_page)
        return jsonify(total=total, page=page, per_page=per_page, items=[with_urls(table, r) for r in records])
    view.__name__ = f"list_{table}"
    view.__doc__ = f"{table.capitalize()}, in both languages, filtered and paged."
    return view


def detail_view(table):
    def view(key):
        db = get_db()
        record = queries.get_record(db, table, key)
        if record is None:
            abort(404, description=f"no such record in {table}: {key}")
        return jsonify({**with_urls(table, record), **queries.get_record_links(db, table, key)})
    view.__name__ = f"get_{table}"
    return view


for _table in PAGE_ENDPOINTS:
    bp.add_url_rule(f"/{_table}", view_func=list_view(_table))
    bp.add_url_rule(f"/{_table}/<key>", view_func=detail_view(_table))


@bp.get("/openapi.json")
def openapi():
    db = get_db()
    return jsonify(openapi_document(list(queries.list_sector_names(db, "kk")), list(queries.list_town_names(db, "kk"))))
