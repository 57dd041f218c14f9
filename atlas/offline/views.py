"""Routes of the offline capability: /sw.js, /<lang>/manifest.webmanifest, /<lang>/offline
and its two JSON files (the pages to save, the search index)."""

import json
import posixpath

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from ..web import assets
from .. import queries
from ..web.db import DatabaseUnavailable, build_info, get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached

bp = Blueprint("offline", __name__)

THEME_COLOUR = "#0b5563"
BACKGROUND = "#ffffff"
ICONS = [("icons/icon-192.png", "192x192", "any"), ("icons/icon-512.png", "512x512", "any"),
         ("icons/maskable-192.png", "192x192", "maskable"), ("icons/maskable-512.png", "512x512", "maskable")]
# Pages a saved atlas holds besides every record's own page: the lists and the home, about and figures pages.
LIST_PAGES = ("home.index", "home.about", "stats.index", "professions.index", "specialties.index", "colleges.index",
              "employers.index", "enrol.index", "changes.index", "opendata.index", "offline.page")
RECORD_PAGES = (("professions.card", "professions"), ("specialties.detail", "specialties"),
                ("colleges.detail", "colleges"), ("employers.detail", "employers"))


@bp.app_context_processor
def offline_context():
    """The build id every page carries (<meta name="atlas-build">): the service worker keys
    its saved copies on it, so a new build replaces them on the next visit online."""
    try:
        build = build_info()["build_id"]
    except DatabaseUnavailable:  # the error page still renders
        build = ""
    return {"atlas_build": build}


def relative(url, base):
    """url as a path relative to the folder base (both absolute paths): the manifest names its
    icons and start page relatively, so the same file also works in the static copy."""
    return posixpath.relpath(url, base.rstrip("/") or "/") + ("/" if url.endswith("/") and url != "/" else "")


@bp.get("/sw.js")
def service_worker():
    """The worker script at the site's root, so that its scope covers /kk/ and /ru/. Never cached
    for long: browsers must see a new version of it at once."""
    body = assets.content(f"{current_app.static_folder}/js/sw.js")[0]
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/<lang>/manifest.webmanifest")
@cached
def manifest():
    root = url_for("home.index")
    body = {
        "name": _("Atlas of new professions of East Kazakhstan"), "short_name": _("Atlas of professions"),
        "description": _("Professions of the future in East Kazakhstan region: what the work is, where to study it "
                         "in the region's colleges and who hires."),
        "lang": current_language(), "dir": "ltr", "id": "./", "start_url": "./", "scope": "./",
        "display": "standalone", "theme_color": THEME_COLOUR, "background_color": BACKGROUND,
        "icons": [{"src": relative(assets.asset(path), root), "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for path, sizes, purpose in ICONS],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/<lang>/offline")
@cached
def page():
    """What a visitor sees offline when the page they asked for was not saved: a search over the
    saved pages and their list (both filled in by static/js/offline.js)."""
    return render_template("offline/index.html")


@bp.get("/<lang>/offline/pages.json")
@cached
def pages():
    """Every page "Save the whole atlas" stores for this language: each card, specialty, college
    and employer page, the lists, and the search index."""
    db = get_db()
    urls = [url_for(endpoint) for endpoint in LIST_PAGES if endpoint in current_app.view_functions]
    # The filtered lists the home page and the lists link to: by sector, by status, colleges by town.
    urls += [url_for("professions.index", sector=slug) for slug in queries.list_sector_names(db, current_language())]
    urls += [url_for("professions.index", status=status) for status in sorted(queries.count_professions_by_status(db))]
    urls += [url_for("colleges.index", town=town["slug"]) for town in queries.list_towns(db, current_language())
             if town["colleges"]]
    for endpoint, table in RECORD_PAGES:
        urls += [url_for(endpoint, slug=slug) for slug in queries.list_keys(db, table)]
    urls += [url_for("offline.search_index"), url_for("offline.manifest")]
    return jsonify(build=build_info()["build_id"], urls=urls)


@bp.get("/<lang>/offline/search.json")
@cached
def search_index():
    """The records of the offline search, as the build wrote them, with what the script needs to
    show them: the build id, the path of each type's pages (relative to /<lang>/) and type names."""
    lang = current_language()
    records = queries.get_offline_search_records(get_db(), lang)
    if records is None:
        abort(404)
    root = url_for("home.index")
    paths = {type_: relative(url_for(endpoint, slug="-"), root)[:-1] for type_, endpoint in
             (("profession", "professions.card"), ("specialty", "specialties.detail"),
              ("college", "colleges.detail"), ("employer", "employers.detail"))}
    names = {"profession": _("Profession"), "specialty": _("Specialty"), "college": _("College"),
             "employer": _("Employer")}
    labels = {"suggestions": _("Suggestions"), "all": _("All results for «%(q)s»", q="{q}")}
    head = json.dumps({"build": build_info()["build_id"], "lang": lang, "paths": paths, "types": names, "labels": labels},
                      ensure_ascii=False)
    return Response(f'{head[:-1]},"records":{records}}}', mimetype="application/json")
