"""Queries for what sources say about colleges (facts, training areas, the sources themselves with
their dates) and for the enrolment page. Same contract as pages.py: (db, lang, ...) -> plain dicts."""

import json

from .pages import per_build, row, rows

__all__ = ["list_college_facts", "list_college_training_areas", "list_college_sources",
           "list_specialty_training_areas", "list_enrol_items", "get_enrol_summary"]


def list_college_facts(db, lang, college):
    return rows(db, """select college_facts.*, sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                              sources.url as source_url, sources.date as source_date
                       from college_facts left join sources on sources.slug = college_facts.source
                       where college_facts.college = ? order by college_facts.year desc, college_facts.rowid""",
                (college,), lang)


def training_area_professions(db, lang, area):
    """The cards an area leads to: those the area names, then those of its matching specialty."""
    named = json.loads(area.pop("professions") or "[]")
    linked = [r[0] for r in db.execute(
        "select profession from profession_specialties where specialty = ? order by position, profession",
        (area["specialty"],))] if area["specialty"] else []
    slugs = list(dict.fromkeys([*named, *linked]))
    if not slugs:
        return []
    found = {r["slug"]: r for r in rows(
        db, f"select slug, name_kk, name_ru from professions where slug in ({', '.join('?' * len(slugs))})",
        slugs, lang)}
    return [found[s] for s in slugs if s in found]


def list_college_training_areas(db, lang, college):
    """Training areas a source names for a college without naming a classifier specialty: never
    offerings, so they carry no code, places or languages of their own."""
    areas = rows(db, """select college_training_areas.*, specialties.code as specialty_code,
                               specialties.name_kk as specialty_name_kk, specialties.name_ru as specialty_name_ru,
                               sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                               sources.url as source_url, sources.date as source_date
                        from college_training_areas
                        left join specialties on specialties.slug = college_training_areas.specialty
                        left join sources on sources.slug = college_training_areas.source
                        where college_training_areas.college = ? order by college_training_areas.rowid""",
                 (college,), lang)
    for area in areas:
        area["linked_professions"] = training_area_professions(db, lang, area)
    return areas


def list_specialty_training_areas(db, lang, specialty):
    """Colleges a source names for training in a specialty's area, for the specialty page."""
    return rows(db, """select college_training_areas.*, colleges.name_kk as college_name_kk,
                              colleges.name_ru as college_name_ru,
                              sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                              sources.url as source_url, sources.date as source_date
                       from college_training_areas join colleges on colleges.slug = college_training_areas.college
                       left join sources on sources.slug = college_training_areas.source
                       where college_training_areas.specialty = ? order by college_training_areas.rowid""",
                (specialty,), lang)


def list_college_sources(db, lang, college):
    """Every source that says something about a college, with its date and what it is cited for."""
    found = rows(db, """
        select sources.*, min(uses.what) as what from (
            select source, 'college' as what from colleges where slug = :c
            union all select source, 'offerings' from offerings where college = :c
            union all select source, 'facts' from college_facts where college = :c
            union all select source, 'areas' from college_training_areas where college = :c
        ) as uses join sources on sources.slug = uses.source
        group by sources.slug order by min(uses.what = 'college') desc, sources.date desc, sources.rowid""",
                 {"c": college}, lang)
    return found


def list_enrol_items(db, lang):
    """The enrolment page's items in order, each with its source."""
    return rows(db, """select enrol_items.*, sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                              sources.url as source_url, sources.date as source_date
                       from enrol_items left join sources on sources.slug = enrol_items.source
                       order by enrol_items.position""", lang=lang)


@per_build
def get_enrol_summary(db, lang):
    """What a profession card repeats from the enrolment page: the medical-certificate line with its
    source, and the study lengths only where a source gives them (none yet: None, never a guess)."""
    medical = row(db, """select enrol_items.text_kk, enrol_items.text_ru, enrol_items.applies_kk,
                                enrol_items.applies_ru, enrol_items.source,
                                sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                                sources.url as source_url, sources.date as source_date
                         from enrol_items left join sources on sources.slug = enrol_items.source
                         where enrol_items.medical = 1""", lang=lang)
    return {"medical_certificate": medical, "study_lengths": None}

