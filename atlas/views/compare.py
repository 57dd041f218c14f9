"""Side-by-side comparison of 2 to 4 colleges or professions; the comparison is its URL."""

from urllib.parse import quote

from flask import Blueprint, abort, render_template, request, url_for

from .. import queries
from ..web.db import get_db
from ..web.i18n import current_language
from ..web.caching.pages import cached
from ..web.security import public_url

bp = Blueprint("compare", __name__, url_prefix="/<lang>/compare")

MAX_ITEMS = 4


def chosen(name, known):
    """The distinct values of a repeated parameter, in order; an unknown one or too many is a 400."""
    values = list(dict.fromkeys(v.strip() for v in request.args.getlist(name) if v.strip()))
    unknown = [v for v in values if v not in known]
    if unknown:
        abort(400, description=f"{name}={unknown[0]}")
    if len(values) > MAX_ITEMS:
        abort(400, description=f"{name}: {MAX_ITEMS}")
    return values


def differs(values):
    return len({repr(v) for v in values}) > 1


def share_links(url):
    return {"whatsapp": f"https://wa.me/?text={quote(url)}",
            "telegram": f"https://t.me/share/url?url={quote(url)}"}


def without(name, values, value):
    return url_for(request.endpoint, **{name: [v for v in values if v != value]})


@bp.get("")
@cached
def colleges():
    db, lang = get_db(), current_language()
    everyone = queries.list_colleges(db, lang)
    slugs = chosen("college", {c["slug"] for c in everyone})
    items = []
    for slug in slugs:
        college = queries.get_college(db, lang, slug)
        offerings = {o["specialty"]: o for o in queries.list_college_offerings(db, lang, slug)}
        partners = [p["name"] for p in queries.list_college_partners(db, lang, slug)]
        items.append({**college, "offerings": offerings, "partners": partners,
                      "remove_url": without("college", slugs, slug)})
    specialties = {}
    for item in items:
        for code, offering in item["offerings"].items():
            specialties.setdefault(code, offering)
    aligned = sorted(specialties.values(), key=lambda o: (o["code"] or "~", o["name"]))
    fields = ["town_name", "languages", "dormitory", "school_college_track", "partners", "phone", "website",
              "address", "verified"]
    return render_template(
        "compare/colleges.html", items=items, specialties=aligned,
        differs={f: differs([i[f] for i in items]) for f in fields},
        specialty_differs={s["specialty"]: differs([s["specialty"] in i["offerings"] for i in items]) for s in aligned},
        others=[c for c in everyone if c["slug"] not in slugs], slugs=slugs,
        share=share_links(public_url(request.full_path.rstrip("?"))), max_items=MAX_ITEMS,
    )


@bp.get("/professions")
@cached
def professions():
    db, lang = get_db(), current_language()
    everyone = queries.list_professions(db, lang)
    slugs = chosen("profession", {p["slug"] for p in everyone})
    items = []
    for slug in slugs:
        profession = queries.get_profession(db, lang, slug)
        routes = queries.list_study_routes(db, lang, slug)
        subjects = [s["name"] for s in queries.get_subjects(db, lang, profession["subjects"])]
        items.append({**profession, "routes": routes, "subject_names": subjects,
                      "remove_url": without("profession", slugs, slug)})
    fields = ["sector_name", "status", "subject_names", "skills", "soft_skills"]
    return render_template(
        "compare/professions.html", items=items,
        differs={f: differs([i[f] for i in items]) for f in fields},
        others=[p for p in everyone if p["slug"] not in slugs], slugs=slugs,
        share=share_links(public_url(request.full_path.rstrip("?"))), max_items=MAX_ITEMS,
    )
