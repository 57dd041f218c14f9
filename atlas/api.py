"""The read-only JSON API under /api/v1/, reusing the site's queries and search."""

from flask import Blueprint, abort, g, jsonify, request

from .db import build_info, get_db
from .i18n import LANGUAGES
from .search.query import search
from .views.search import present, read_filters

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100


def read_language():
    lang = request.args.get("lang", "kk")
    if lang not in LANGUAGES:
        abort(400, description="lang must be kk or ru")
    g.lang = lang
    return lang


def read_limit(default=20):
    raw = request.args.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        abort(400, description=f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


@bp.get("/search")
def search_api():
    """Search results in relevance order, with facet counts; `url` is in the asked language."""
    lang, limit = read_language(), read_limit()
    db = get_db()
    filters = read_filters(db, lang)
    q = request.args.get("q", "")
    if not q.strip() and not any(filters.values()):
        abort(400, description="give a search query in q, or at least one filter")
    outcome = search(db, build_info()["build_id"], q, filters)
    results = []
    for row in outcome.results[:limit]:
        item = present(row, lang, outcome.words)
        results.append({key: item[key] for key in ("type", "slug", "name_kk", "name_ru", "url", "score")})
    return jsonify(query=outcome.query, corrected=outcome.corrected, total=outcome.total,
                   results=results, facets=outcome.facets)
