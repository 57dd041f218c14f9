"""One row of a state-order table, read and checked against the atlas: what it says, or why not.

A row's college is found by matching.py; a specialty or qualification code that the atlas lacks
is taken when the row gives its name (it becomes a new record with --create-missing); a name that
fits two colleges or only loosely is a decision for the administrator, never a guess.
"""

from dataclasses import dataclass, field

from . import cells
from .cells import Bad
from .mappings import NEW
from .matching import normalise_name, plain_name, town_names, town_slug
from .plan_types import Decision, Problem
from .reader import N_


@dataclass
class Row:
    number: int
    year: int
    college: str
    specialty: str
    qualifications: list
    languages: list
    places: int
    optional: dict = field(default_factory=dict)  # entry_grades, months_9, months_11, paid_places, dual


class Context:
    """What every row is checked against, built once per file."""

    def __init__(self, data, index, remembered, create_missing, years):
        self.index, self.create_missing, self.years = index, create_missing, years
        self.specialties = {s["slug"]: s for s in data["specialties"]}
        self.colleges = {c["slug"] for c in data["colleges"]}
        self.towns = data["towns"]
        self.owner = {q["code"]: q["specialty"] for q in data["qualifications"]}
        self.specialty_map = remembered.get("specialty", {})
        self.new_specialties = {}  # code -> {"name_kk", "name_ru", "qualifications": {code: names}, "rows"}
        self.new_colleges = {}  # normalised name -> {"name_kk", "name_ru", "bin", "rows"}
        self.decisions = {}  # (kind, value) -> Decision
        self.matched = {}  # how -> number of rows


def read_row(number, raw, ctx, problems):
    """A Row, or None with the row's problems added."""
    before = len(problems)

    def cell(column, reader, required=True):
        value = raw.get(column, "")
        try:
            if value == "" or (isinstance(value, str) and not value.strip()):
                if required:
                    raise Bad(N_("is empty"))
                return None
            cells.text_of(value)  # a formula or a date is refused whatever the column
            return reader(value)
        except Bad as bad:
            problems.append(Problem(number, column, bad.msgid, bad.params))
            return None

    year = cell("year", lambda value: cells.year_of(value, *ctx.years))
    bin_number = cell("bin", cells.bin_cell, required=False)
    college = college_of(number, raw, bin_number, ctx, problems)
    specialty = specialty_of(number, raw, ctx, problems)
    qualifications = qualifications_of(number, raw, specialty, ctx, problems)
    languages = cell("language", cells.languages_of)
    places = cell("places", cells.places_of)
    optional = {}
    for column, reader, key in (("entry_grade", cells.grades_of, "entry_grades"), ("paid_places", cells.places_of,
                                "paid_places"), ("dual", cells.yes_no_of, "dual"), ("study_months", cells.months_of,
                                "study_months"), ("months_after_9", cells.months_of, "months_9"),
                                ("months_after_11", cells.months_of, "months_11")):
        value = cell(column, reader, required=False)
        if value is not None:
            optional[key] = value
    if len(problems) > before:
        return None
    return Row(number, year, college, specialty, qualifications, languages, places, optional)


def college_of(number, raw, bin_number, ctx, problems):
    try:
        name = cells.text_of(raw.get("college", ""))
    except Bad as bad:
        problems.append(Problem(number, "college", bad.msgid, bad.params))
        return None
    if not name and not bin_number:
        problems.append(Problem(number, "college", N_("is empty")))
        return None
    found = ctx.index.match(name, bin_number or "")
    if found.slug == NEW or (found.slug is None and found.how == "none"):
        return new_college(number, name, raw, bin_number, ctx, problems, chosen=found.slug == NEW)
    if found.slug is not None and found.slug not in ctx.colleges:  # a mapping that names no college
        problems.append(Problem(number, "college", N_("'%(value)s' is mapped to '%(slug)s', which is not a college "
                                                      "of the atlas"), {"value": (name or bin_number)[:80],
                                                                        "slug": found.slug[:80]}))
        return None
    if found.slug is not None:
        ctx.matched[found.how] = ctx.matched.get(found.how, 0) + 1
        return found.slug
    decision = ctx.decisions.setdefault(("college", name), Decision("college", name, found.how, found.candidates))
    decision.rows.append(number)
    problems.append(Problem(number, "college", N_("'%(value)s' fits more than one college or only loosely: "
                            "%(candidates)s; choose one (or map it)"), {"value": name[:80], "candidates": ", ".join(
                                f"{slug} ({score}%)" for slug, score in found.candidates)}, decision=True))
    return None


def new_college(number, name, raw, bin_number, ctx, problems, chosen=False):
    """A college the atlas lacks: created with --create-missing when the row names it in both languages."""
    names = {cells.language_of(name): name}
    for lang in ("kk", "ru"):
        other = cells.text_of(raw.get(f"college_name_{lang}", "") or "")
        if other:
            names[lang] = other
    key = normalise_name(name) or bin_number
    if not (names.get("kk") and names.get("ru")):
        what, value = ("college", name) if name else ("bin", bin_number)  # a row may give the BIN alone
        ctx.decisions.setdefault((what, value), Decision(what, value, "none", [])).rows.append(number)
        problems.append(Problem(number, "college", N_("'%(value)s' is not a college of the atlas: import the "
                                "department's college registry first (atlas import colleges) or choose a college"),
                                {"value": (name or bin_number)[:80]}, decision=True))
        return None
    town = town_slug(cells.text_of(raw.get("town", "") or ""), ctx.towns)
    if not town:
        problems.append(Problem(number, "town", N_("'%(value)s' is not a town of the atlas: a new college needs one of "
                                                   "%(towns)s"), {"value": cells.text_of(raw.get("town", "") or "")[:60],
                                                                  "towns": town_names(ctx.towns)}))
        return None
    record = ctx.new_colleges.setdefault(key, {"name_kk": plain_name(names["kk"]), "name_ru": plain_name(names["ru"]),
                                               "bin": bin_number,
                                               "town": town, "rows": []})
    record["rows"].append(number)
    record["chosen"] = record.get("chosen") or chosen
    if not (ctx.create_missing or chosen):  # the administrator's "create it" is a decision too
        problems.append(Problem(number, "college", N_("'%(value)s' is not in the atlas yet: it is created with "
                                "--create-missing"), {"value": name[:80]}, decision=True))
        return None
    return f"{NEW}:{key}"


def specialty_of(number, raw, ctx, problems):
    try:
        code, name = cells.specialty_of(raw.get("specialty_code", "")) if str(raw.get("specialty_code", "")).strip() \
            else (None, "")
    except Bad as bad:
        problems.append(Problem(number, "specialty_code", bad.msgid, bad.params))
        return None
    if code is None:
        problems.append(Problem(number, "specialty_code", N_("is empty")))
        return None
    chosen = ctx.specialty_map.get(code) == NEW
    code = code if chosen else ctx.specialty_map.get(code, code)
    if code in ctx.specialties:
        return code
    names = {lang: cells.text_of(raw.get(f"specialty_name_{lang}", "") or "") for lang in ("kk", "ru")}
    if name and not names[cells.language_of(name)]:
        names[cells.language_of(name)] = name
    if not (names["kk"] or names["ru"]):
        problems.append(Problem(number, "specialty_code", N_("'%(value)s' is not a specialty of the atlas; give its name "
                                "(a column such as «Наименование специальности») to add it"), {"value": code}))
        return None
    record = ctx.new_specialties.setdefault(code, {"name_kk": "", "name_ru": "", "qualifications": {}, "rows": []})
    for lang, value in names.items():
        record[f"name_{lang}"] = record[f"name_{lang}"] or value[:300]
    record["rows"].append(number)
    record["chosen"] = record.get("chosen") or chosen
    if not (ctx.create_missing or chosen):
        ctx.decisions.setdefault(("specialty", code), Decision("specialty", code, "none", [])).rows.append(number)
        problems.append(Problem(number, "specialty_code", N_("'%(value)s' is not in the atlas yet: it is created with "
                                "--create-missing"), {"value": code}, decision=True))
    return code  # also when it waits for --create-missing: its qualifications are collected


def qualifications_of(number, raw, specialty, ctx, problems):
    value = raw.get("qualification_codes", "")
    if not str(value).strip():
        return []
    try:
        found = cells.qualifications_of(value)
    except Bad as bad:
        problems.append(Problem(number, "qualification_codes", bad.msgid, bad.params))
        return []
    codes = []
    for code, name, level in found:
        if code in ctx.owner:
            if specialty and ctx.owner[code] != specialty:
                problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not a qualification of "
                                        "%(specialty)s"), {"value": code, "specialty": specialty}))
            codes.append(code)
            continue
        if specialty and code[:6] != specialty[:6]:
            problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not a qualification of "
                                    "%(specialty)s"), {"value": code, "specialty": specialty}))
            continue
        names = {lang: cells.text_of(raw.get(f"qualification_name_{lang}", "") or "") for lang in ("kk", "ru")}
        if name:
            names[cells.language_of(name)] = name
        if not specialty or not (names["kk"] or names["ru"]):
            problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not a qualification of the atlas"),
                                    {"value": code}))
            continue
        if specialty in ctx.specialties and specialty not in ctx.new_specialties:  # a known specialty's new qualification
            known = ctx.specialties[specialty]
            ctx.new_specialties[specialty] = {"name_kk": known["name_kk"], "name_ru": known["name_ru"],
                                              "qualifications": {}, "rows": [], "known": True}
        if not ctx.create_missing and ctx.new_specialties[specialty].get("known"):
            problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not in the atlas yet: it is "
                                    "created with --create-missing"), {"value": code}, decision=True))
        ctx.new_specialties[specialty]["qualifications"].setdefault(
            code, {"code": code, "level": level, "name_kk": names["kk"][:300], "name_ru": names["ru"][:300]})
        codes.append(code)
    return codes
