"""Routes outside the language prefix: health check, robots.txt, favicon."""

import logging

from flask import Blueprint, Response, current_app, jsonify, send_from_directory, url_for

from .. import queries
from ..web.db import DatabaseUnavailable, build_info, get_db
from ..languages import LANGUAGES

bp = Blueprint("system", __name__)
log = logging.getLogger(__name__)

PAGES = [("professions.card", "professions"), ("specialties.detail", "specialties"),
         ("colleges.detail", "colleges"), ("employers.detail", "employers")]


@bp.get("/healthz")
def healthz():
    """200 with the build id when the database can be read; 503 otherwise (for load balancers).
    Only the status and the build id: file paths and SQLite's errors go to the log."""
    try:
        info = build_info()
    except DatabaseUnavailable as error:
        log.error("health check failed: %s", error)
        return jsonify(status="unavailable"), 503, {"Cache-Control": "no-store"}
    return jsonify(status="ok", build_id=info["build_id"]), 200, {"Cache-Control": "no-store"}


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", "Allow: /", "Disallow: /api/", f"Sitemap: {url_for('system.sitemap', _external=True)}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    db = get_db()
    urls = []
    for lang in LANGUAGES:
        urls.append(url_for("home.index", lang=lang, _external=True))
        urls.append(url_for("enrol.index", lang=lang, _external=True))
        for endpoint, table in PAGES:
            urls.extend(url_for(endpoint, lang=lang, slug=slug, _external=True) for slug in queries.list_keys(db, table))
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    return Response(xml, mimetype="application/xml")


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")
