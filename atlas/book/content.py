"""What goes into a book, gathered from the public database through the site's own queries.

No SQL and no Flask here: the same functions of (db, lang, ...) that the pages call, so the
book follows whatever the build contains. A whole book has every sector; a sector's booklet
has one, with the colleges, specialties and index entries of its cards only.
"""

from .. import queries
from .alphabet import index_groups

FOREWORD_FIGURES = ("colleges", "students", "students_state_funded_share", "graduate_employment", "dual_students",
                    "dual_enterprises", "new_specialties_enrolled")


def latest_figures(db, lang):
    """The region's figures for the foreword: the latest year of each, in a reading order, and
    the state order's years (the trend a reader asks about first)."""
    figures = queries.list_region_figures(db, lang)
    latest = {}
    for figure in figures:
        latest[figure["key"]] = figure  # rows are in year order: the last one wins
    chosen = [latest[key] for key in FOREWORD_FIGURES if key in latest]
    state_order = [f for f in figures if f["key"] == "state_order_places"]
    sources = list({f["source"]: f for f in chosen + state_order if f["source_title"]}.values())
    return {"figures": chosen, "state_order": state_order, "sources": sources}


def sector_chapters(db, lang, card_url, only=None):
    """The sectors in their order, each with its cards (in the language's name order) as the
    web card has them, plus the live card's URL for the QR code."""
    chapters = []
    for sector in queries.list_sectors(db, lang):
        if only and sector["slug"] != only:
            continue
        cards = []
        for item in queries.list_professions(db, lang, sector=sector["slug"]):
            card = queries.get_profession_card(db, lang, item["slug"])
            card["url"] = card_url(item["slug"])
            cards.append(card)
        if cards:
            chapters.append({**sector, "cards": cards})
    return chapters


def specialty_uses(chapters):
    """{specialty slug: [(profession slug, name)]}: which cards a specialty leads to."""
    uses = {}
    for chapter in chapters:
        for card in chapter["cards"]:
            for route in card["routes"]:
                uses.setdefault(route["slug"], []).append((card["profession"]["slug"], card["profession"]["name"]))
    return uses


def colleges_of(db, lang, chapters, whole):
    """The colleges with their contacts and the codes they teach: every college in the whole
    book, those that teach a card's specialty in a booklet."""
    teaching = {o["college"] for chapter in chapters for card in chapter["cards"]
                for route in card["routes"] for o in route["offerings"]}
    found = []
    for college in queries.list_colleges(db, lang):
        if not whole and college["slug"] not in teaching:
            continue
        college["offerings"] = queries.list_college_offerings(db, lang, college["slug"]) if college["specialties"] else []
        found.append(college)
    return found


def index_entries(chapters):
    """Every card under its name, and each of its other names pointing to it."""
    entries = []
    for chapter in chapters:
        for card in chapter["cards"]:
            profession = card["profession"]
            entries.append({"name": profession["name"], "slug": profession["slug"], "see": None})
            for other in profession["other_names"]:
                if other.casefold() != profession["name"].casefold():
                    entries.append({"name": other[:1].upper() + other[1:], "slug": profession["slug"],
                                    "see": profession["name"]})
    return entries


def quiz_parts(db, lang, chapters):
    """The paper quiz: the six types, the statements numbered, and for each type the cards
    whose interest code starts with it (where its page numbers lead)."""
    types, statements, scale = queries.list_quiz(db, lang)
    by_type = {code: [] for code in types}
    for chapter in chapters:
        for card in chapter["cards"]:
            code = (card["profession"]["riasec"] or "")[:1]
            if code in by_type:
                by_type[code].append(card["profession"])
    numbered = [{**s, "number": i} for i, s in enumerate(statements, start=1)]
    return {"types": list(types.values()), "statements": numbered, "scale": scale,
            "numbers": {code: [s["number"] for s in numbered if s["type"] == code] for code in types},
            "professions": by_type}


def gather(db, lang, build, card_url, sector=None):
    """Everything one book (or, with sector, one sector's booklet) shows, in one language."""
    from ..dataset.enrol import SECTIONS

    chapters = sector_chapters(db, lang, card_url, only=sector)
    whole = sector is None
    uses = specialty_uses(chapters)
    specialties = [s for s in queries.list_specialties(db, lang) if s["slug"] in uses]
    for specialty in specialties:
        specialty["uses"] = uses[specialty["slug"]]
    enrol = queries.list_enrol_items(db, lang)
    return {
        "lang": lang,
        "whole": whole,
        "sector": chapters[0] if sector and chapters else None,
        "build": build,
        "foreword": latest_figures(db, lang),
        "counts": queries.count_all(db),
        "quiz": quiz_parts(db, lang, chapters),
        "chapters": chapters,
        "enrol": [(section, [item for item in enrol if item["section"] == section]) for section in SECTIONS],
        "colleges": colleges_of(db, lang, chapters, whole),
        "specialties": specialties,
        "index": index_groups(index_entries(chapters), lang),
        "sources": queries.list_sources(db, lang),
        "card_count": sum(len(c["cards"]) for c in chapters),
        "slugs": {card["profession"]["slug"] for c in chapters for card in c["cards"]},
    }
