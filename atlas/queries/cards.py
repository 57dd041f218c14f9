"""The profession card as a whole: what the page, the print sheet and the printed atlas show.

The build gathers each card once (`gather_profession_card`, from the pages' queries, the
colleges' sources and the provenance of published changes) and writes it as one JSON
document a card and language (`profession_cards`, see documents.py; dataset.build.write_profession_cards);
pages read that document (`get_profession_card`). Gathered at every request, a card was a
dozen queries (13 on average) and twenty dicts made of their rows: a sixth of the page."""

import sqlite3

from .changes import get_offering_origins
from .colleges import get_enrol_summary, list_specialty_training_areas
from .documents import load_document
from .pages import (get_profession, get_source, get_subjects, list_interest_types, list_profession_employers,
                    get_wage, list_profession_requirements, list_related_professions, list_study_routes)

__all__ = ["get_profession_card", "gather_profession_card"]


def get_profession_card(db, lang, slug):
    """Everything a profession card shows, as the build wrote it: None when there is no such card."""
    try:
        found = db.execute("select card from profession_cards where slug = ? and lang = ?", [slug, lang]).fetchone()
    except sqlite3.OperationalError as error:  # a database built before cards were written whole
        if "no such table" not in str(error):
            raise
        return gather_profession_card(db, lang, slug)
    return load_document(found[0]) if found else None


def gather_profession_card(db, lang, slug):
    """A profession card from the tables (the build, for `profession_cards`): None when there
    is no such card. Only what JSON keeps: strings as keys, lists rather than tuples or sets.

    How to get in is derived here from the specialty records and the colleges' offerings, so
    that one fact (a specialty's entry grades and length) lives in one place."""
    profession = get_profession(db, lang, slug)
    if profession is None:
        return None
    routes = list_study_routes(db, lang, slug)
    for route in routes:
        grades = set(route["entry_grades"]) | {g for o in route["offerings"] for g in o["entry_grades"]}
        route["entry"] = sorted(grades, key=int)
        # The colleges whose offering says how to get in (entry grades, study length, languages).
        route["known"] = [o for o in route["offerings"] if o["entry_grades"] or o["study_months"] or o["languages"]]
        # Where each college's offering comes from (by the college: the route is one specialty)
        # when there are offerings; else what sources name instead.
        origins = get_offering_origins(db, lang, specialty=route["slug"]) if route["offerings"] else {}
        route["origins"] = {college: origin for (college, _), origin in origins.items()}
        route["training_areas"] = [] if route["offerings"] else list_specialty_training_areas(db, lang, route["slug"])
    return {
        "profession": profession,
        "subjects": get_subjects(db, lang, profession["subjects"]),
        "routes": routes,
        "new_specialty": any(route["opened_2025"] for route in routes),
        "employers": list_profession_employers(db, lang, slug),
        "related": list_related_professions(db, lang, slug),
        "requirements": list_profession_requirements(db, lang, slug),
        "age_source": get_source(db, lang, profession["min_age_source"]),
        "wage": get_wage(db, lang, profession["wage"]),
        "interests": list_interest_types(db, lang, profession["riasec"]),
        "enrol": get_enrol_summary(db, lang),
    }
