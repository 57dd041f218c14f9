"""Validation of data/ before anything is written: a flat list of small checks.

Each check takes the dataset and yields Problems. The build refuses to write a database
while any check finds a problem, so a mistake in a spreadsheet never reaches the site.
"""

import re

from . import enrol
from .sources import LANGS, REQUIREMENT_KEYS, Problem
from ..text import web_address_problem

SPECIALTY_CODE = re.compile(r"^\d{6}00$")
QUALIFICATION_CODE = re.compile(r"^\d{6}(?!00)\d{2}$")
LEVELS = {"", "3W", "4S", "5AB"}
# A qualification code as typed, read as search reads it (spaces, Cyrillic look-alikes): (level, code).
TYPED_QUALIFICATION = re.compile(r"^(3W|4S|5AB)?(\d{8})$")
STATUSES = {"new", "changing", "in_demand"}
RIASEC = re.compile(r"^(?!.*(.).*\1)[RIASEC]{1,3}$")
GRADES = {"9", "11"}
STUDY_KEYS = {"specialty", "qualification", "nearest"}
TEACHING_LANGUAGES = {"kk", "ru", "en"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s]+$")
PHONE = re.compile(r"^\+7[\d ()-]{10,16}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DESCRIPTION_LENGTH = 1000
PLACES_LIMIT = 5000
STATE_ORDER_YEARS = (2000, 2100)
KEYS = {
    "sources": "slug", "towns": "slug", "subjects": "slug", "specialties": "slug",
    "qualifications": "code", "colleges": "slug", "employers": "slug",
    "sectors": "slug", "professions": "slug", "wages": "slug",
}
# Bilingual fields that every record of a table must have in both languages.
REQUIRED_TEXT = {
    "sources": ["title"], "towns": ["name"], "subjects": ["name"], "specialties": ["name"],
    "qualifications": ["name"], "colleges": ["name"], "employers": ["name"],
    "region_figures": ["label"], "sectors": ["name", "description"], "wages": ["group", "period"],
    "professions": ["name", "summary", "tasks", "skills", "soft_skills", "conditions", "outlook"],
    "quiz_types": ["name", "description"], "quiz_statements": ["text"], "quiz_scale": ["label"],
}


def specialty_code(text):
    """A specialty code typed by a person ("0716 1100", " 07161100"), as the atlas stores it, or
    None when it is not a specialty code of the classifier (8 digits ending in 00)."""
    code = "".join(str(text or "").split())
    return code if SPECIALTY_CODE.match(code) else None


def qualification_code(text):
    """(level, code) of a qualification code typed with or without its level ("4S07161103",
    "07161103", "5АВ 0716 1104" with Cyrillic letters), or None when it is not one."""
    from ..search.normalise import normalise_code

    found = TYPED_QUALIFICATION.match(normalise_code(str(text or "")) or "")
    if not found or not QUALIFICATION_CODE.match(found.group(2)):
        return None
    return found.group(1) or "", found.group(2)


def problem(record, field, message):
    return Problem(record["_file"], record["_line"], field, message)


def check_keys_unique(data):
    for table, key in KEYS.items():
        seen = {}
        for record in data[table]:
            value = record.get(key)
            if not value:
                yield problem(record, key, "is empty")
            elif value in seen:
                yield problem(record, key, f"'{value}' is used twice (also {seen[value]})")
            else:
                seen[value] = record["_line"]


def check_slug_shape(data):
    for table in ("sources", "towns", "subjects", "colleges", "employers", "sectors", "professions"):
        for record in data[table]:
            if record["slug"] and not SLUG.match(record["slug"]):
                yield problem(record, "slug", f"'{record['slug']}' must be lower-case latin letters, digits and hyphens")


def check_codes(data):
    for record in data["specialties"]:
        code = record["code"]
        if code and not SPECIALTY_CODE.match(code):
            yield problem(record, "code", f"'{code}' is not a specialty code (8 digits ending in 00)")
        if code and record["slug"] != code:
            yield problem(record, "slug", f"a coded specialty's slug must be its code '{code}'")
        if not code and not SLUG.match(record["slug"] or ""):
            yield problem(record, "slug", "a specialty without a code needs a slug of latin letters and hyphens")
    specialty_codes = {s["slug"]: s["code"] for s in data["specialties"]}
    for record in data["qualifications"]:
        if not QUALIFICATION_CODE.match(record["code"] or ""):
            yield problem(record, "code", f"'{record['code']}' is not a qualification code (8 digits, not ending in 00)")
        if record["level"] not in LEVELS:
            yield problem(record, "level", f"'{record['level']}' must be 3W, 4S, 5AB or empty")
        parent = specialty_codes.get(record["specialty"])
        if parent and record["code"][:6] != parent[:6]:
            yield problem(record, "code", f"does not start with its specialty's code {parent[:6]}")


def check_both_languages(data):
    for table, fields in REQUIRED_TEXT.items():
        for record in data[table]:
            awaiting = record.get("awaiting_translation") or ""
            for field in fields:
                for lang in LANGS:
                    if not record.get(f"{field}_{lang}") and lang != awaiting:
                        yield problem(record, f"{field}_{lang}", "is empty; write it, or mark the record "
                                      f"'awaiting_translation: {lang}'")
    for table in ("colleges",):
        for record in data[table]:
            for field in ("address", "note", "description"):
                values = [bool(record.get(f"{field}_{lang}")) for lang in LANGS]
                if any(values) and not all(values):
                    yield problem(record, f"{field}_{'kk' if not values[0] else 'ru'}",
                                  "is empty while the other language is filled")
    for record in data["professions"]:
        if record["awaiting_translation"] not in ("", *LANGS):
            yield problem(record, "awaiting_translation", "must be kk, ru or left out")


def reference_checks():
    """(table, field, target table, is_list) for every link between records."""
    return [
        ("specialties", "source", "sources", False), ("qualifications", "specialty", "specialties", False),
        ("qualifications", "source", "sources", False), ("colleges", "town", "towns", False),
        ("colleges", "source", "sources", False), ("offerings", "college", "colleges", False),
        ("offerings", "specialty", "specialties", False), ("offerings", "qualifications", "qualifications", True),
        ("offerings", "source", "sources", False), ("employers", "town", "towns", False),
        ("employers", "sector", "sectors", False), ("employers", "colleges", "colleges", True),
        ("employers", "source", "sources", False), ("region_figures", "source", "sources", False),
        ("professions", "sector", "sectors", False), ("professions", "related", "professions", True),
        ("professions", "employers", "employers", True), ("professions", "subjects", "subjects", True),
        ("professions", "min_age_source", "sources", False), ("professions", "wage", "wages", False),
        ("wages", "source", "sources", False),
        ("college_facts", "college", "colleges", False), ("college_facts", "source", "sources", False),
        ("college_training_areas", "college", "colleges", False),
        ("college_training_areas", "specialty", "specialties", False),
        ("college_training_areas", "professions", "professions", True),
        ("college_training_areas", "source", "sources", False),
    ]


def check_references(data):
    keys = {table: {r[key] for r in data[table]} for table, key in KEYS.items()}
    for table, field, target, is_list in reference_checks():
        for record in data[table]:
            values = record.get(field) or []
            for value in values if is_list else [values]:
                if not value or (field.endswith("source") and URL.match(str(value))):
                    continue
                if value not in keys[target]:
                    yield problem(record, field, f"'{value}' is not in data/{target}; check the spelling")
    for record in data["professions"]:
        if record["slug"] in record["related"]:
            yield problem(record, "related", "a profession cannot be related to itself")


def check_study_links(data):
    specialties = {s["slug"] for s in data["specialties"]}
    owner = {q["code"]: q["specialty"] for q in data["qualifications"]}
    for record in data["professions"]:
        for link in record["study"]:
            if not isinstance(link, dict) or not link.get("specialty"):
                yield problem(record, "study", "each item needs 'specialty' (and may have 'qualification')")
                continue
            for key in sorted(set(link) - STUDY_KEYS):
                yield problem(record, "study", f"unknown key '{key}'; use specialty, qualification, nearest")
            if not isinstance(link.get("nearest", False), bool):
                yield problem(record, "study", "'nearest' must be true or false")
            specialty, qualification = str(link["specialty"]), str(link.get("qualification") or "")
            if specialty not in specialties:
                yield problem(record, "study", f"specialty '{specialty}' is not in data/specialties.csv")
            if qualification and owner.get(qualification) != specialty:
                yield problem(record, "study", f"qualification '{qualification}' is not a qualification of '{specialty}'")
        if not record["study"]:
            for lang in LANGS:
                if not record[f"study_note_{lang}"] and lang != record["awaiting_translation"]:
                    yield problem(record, f"study_note_{lang}", "no specialty leads to this card yet: say that the "
                                  "atlas has no data yet and where a student can ask")
    for record in data["offerings"]:
        for code in record["qualifications"]:
            if code in owner and owner[code] != record["specialty"]:
                yield problem(record, "qualifications", f"'{code}' is not a qualification of '{record['specialty']}'")


def check_enums_and_ranges(data):
    for record in data["professions"]:
        if record["status"] not in STATUSES:
            yield problem(record, "status", f"'{record['status']}' must be one of {', '.join(sorted(STATUSES))}")
        if not RIASEC.match(record["riasec"] or ""):
            yield problem(record, "riasec", f"'{record['riasec']}' must be 1-3 different letters of RIASEC")
    for table in ("specialties", "offerings"):
        for record in data[table]:
            for grade in record["entry_grades"]:
                if grade not in GRADES:
                    yield problem(record, "entry_grades", f"'{grade}' must be 9 or 11")
    for table in ("colleges", "offerings"):
        for record in data[table]:
            for language in record["languages"]:
                if language not in TEACHING_LANGUAGES:
                    yield problem(record, "languages", f"'{language}' must be kk, ru or en")
    for record in data["specialties"]:
        for field in ("months_after_9", "months_after_11"):
            if record[field] is not None and not 6 <= record[field] <= 60:
                yield problem(record, field, f"{record[field]} months is not a study length (6 to 60)")
    for record in data["offerings"]:
        if record["paid_places"] is not None and not 0 <= record["paid_places"] <= PLACES_LIMIT:
            yield problem(record, "paid_places", f"{record['paid_places']} is out of range (0 to {PLACES_LIMIT})")
        months = record.get("study_months")
        if months is not None and not 6 <= months <= 60:
            yield problem(record, "study_months", f"{months} months is not a study length (6 to 60)")
    for record in data["colleges"]:
        if not record["town"]:
            yield problem(record, "town", "is empty; give the slug of its town in data/towns.csv")
        if (record["lat"] is None) != (record["lon"] is None):
            yield problem(record, "lat", "give both lat and lon, or neither")
        elif record["lat"] is not None and not (45 <= record["lat"] <= 52 and 75 <= record["lon"] <= 88):
            yield problem(record, "lat", "the coordinates are outside East Kazakhstan region")
        if record["website"] and web_address_problem(record["website"]):
            yield problem(record, "website", web_address_problem(record["website"]))
        if record["phone"] and not PHONE.match(record["phone"]):
            yield problem(record, "phone", "write it as +7 followed by the number")
        if record.get("email") and not EMAIL.match(record["email"]):
            yield problem(record, "email", "is not an e-mail address")
        for lang in LANGS:
            if len(record.get(f"description_{lang}") or "") > DESCRIPTION_LENGTH:
                yield problem(record, f"description_{lang}", f"is longer than {DESCRIPTION_LENGTH} characters")
    for record in data["region_figures"]:
        if record["year"] is None or not 2000 <= record["year"] <= 2100:
            yield problem(record, "year", "must be a year such as 2025")
        if record["value"] is None or record["value"] < 0:
            yield problem(record, "value", "must be a number of zero or more")
        if record["unit"] == "percent" and record["value"] is not None and record["value"] > 100:
            yield problem(record, "value", "a percentage cannot exceed 100")


def check_sources(data):
    """A record about a real institution that claims to be verified must say where from."""
    for table in ("specialties", "qualifications", "colleges", "offerings", "employers"):
        for record in data[table]:
            if record["verified"] is None:
                yield problem(record, "verified", "must be yes or no")
            elif record["verified"] and not record["source"]:
                yield problem(record, "source", "a verified record needs its source")
    for record in data["region_figures"]:
        if not record["source"]:
            yield problem(record, "source", "every figure needs its source")


WAGE_REGIONS = {"kz", "vko"}
WAGE_LIMIT = 10_000_000


def check_wages(data):
    """A pay figure is shown only as its source gives it: a region the page can name, a period,
    a plausible monthly amount in tenge and the source itself."""
    for record in data["wages"]:
        if record["region"] not in WAGE_REGIONS:
            yield problem(record, "region", f"'{record['region']}' must be kz (the whole country) or vko")
        if record["amount"] is None or not 0 < record["amount"] < WAGE_LIMIT:
            yield problem(record, "amount", "must be a monthly amount in tenge, as the source gives it")
        if not record["source"]:
            yield problem(record, "source", "every figure needs its source")


# Prose that states an age limit: it must then be a sourced min_age, so that a student does not find out at 17.
AGE_LIMIT_WORDS = re.compile(r"18\s*(жас|лет|год)|совершеннолет|кәмелетке", re.IGNORECASE)
MIN_AGES = (14, 21)
PROSE = ("summary", "conditions", "outlook", "study_note")


def check_card_blocks(data):
    """Age limits and requirements are legal facts: each needs its source and both languages."""
    sources = {s["slug"] for s in data["sources"]}

    def unknown_source(value):
        return not value or (not URL.match(str(value)) and value not in sources)

    for record in data["professions"]:
        awaiting = record["awaiting_translation"]
        if record["min_age"] is not None:
            low, high = MIN_AGES
            if not low <= record["min_age"] <= high:
                yield problem(record, "min_age", f"{record['min_age']} is not an age limit ({low} to {high})")
            for lang in LANGS:
                if not record[f"min_age_{lang}"] and lang != awaiting:
                    yield problem(record, f"min_age_{lang}", "say in a sentence which law sets the age limit")
            if not record["min_age_source"]:
                yield problem(record, "min_age_source", "an age limit needs its source (the act and article)")
        elif any(AGE_LIMIT_WORDS.search(record[f"{field}_{lang}"] or "") for field in PROSE for lang in LANGS):
            yield problem(record, "min_age", "the text states an age limit: give it as min_age with min_age_source")
        for position, item in enumerate(record["requirements"], start=1):
            for key in sorted(set(item) - set(REQUIREMENT_KEYS)):
                yield problem(record, f"requirements[{position}].{key}", "unknown key; use text_kk, text_ru, source")
            for lang in LANGS:
                if not isinstance(item.get(f"text_{lang}"), str) or not item[f"text_{lang}"].strip():
                    if lang != awaiting:
                        yield problem(record, f"requirements[{position}].text_{lang}", "is empty")
            if unknown_source(item.get("source")):
                yield problem(record, f"requirements[{position}].source",
                              "a requirement needs its source: a slug of data/sources.csv or a URL")


def check_state_order(data):
    """One row a year of an offering's state-funded places: the offering exists, the year and the
    number are plausible, a year is given once, and a row of data/ says where it comes from."""
    offerings = {(o["college"], o["specialty"]) for o in data["offerings"]}
    sources = {s["slug"] for s in data["sources"]}
    low, high = STATE_ORDER_YEARS
    seen = {}
    for record in data["state_order"]:
        offering = (record["college"], record["specialty"])
        if offering not in offerings:
            yield problem(record, "specialty", f"'{record['college']}/{record['specialty']}' is not an offering of "
                          "data/offerings.csv; add the offering first")
        if record["year"] is None or not low <= record["year"] <= high:
            yield problem(record, "year", f"must be a year from {low} to {high}")
        if record["places"] is None:
            yield problem(record, "places", "is empty")
        elif isinstance(record["places"], bool) or not isinstance(record["places"], int):
            yield problem(record, "places", f"'{record['places']}' is not a whole number")
        elif not 0 <= record["places"] <= PLACES_LIMIT:
            yield problem(record, "places", f"{record['places']} is out of range (0 to {PLACES_LIMIT})")
        key = (*offering, record["year"])
        if key in seen:
            yield problem(record, "year", f"{record['year']} is given twice for this offering (also {seen[key]})")
        seen.setdefault(key, record["_line"])
        if record["_file"].startswith("editing area"):
            continue  # a value of an approved change: its source is the change's (see overlay.py)
        if not record["source"]:
            yield problem(record, "source", "every figure needs its source")
        elif not URL.match(record["source"]) and record["source"] not in sources:
            yield problem(record, "source", f"'{record['source']}' is not in data/sources; check the spelling")


SOURCE_STATUSES = ("confirmed", "secondary", "unverified")
FACT_KINDS = {"worldskills", "fact"}
SOURCE_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def check_college_statuses(data):
    """What sources say about a college keeps their status: confirmed, secondary or unverified.
    A college is `verified` exactly when its status is confirmed, so the two can never disagree."""
    for table in ("colleges", "college_facts", "college_training_areas"):
        for record in data[table]:
            if "_public_verified" in record:
                continue  # a college the editing area created or changed: its data is checked there
            if record["status"] not in SOURCE_STATUSES:
                yield problem(record, "status", f"'{record['status']}' must be one of {', '.join(SOURCE_STATUSES)}")
            if table != "colleges" and not record["source"]:
                yield problem(record, "source", "what a source says needs that source")
    for record in data["colleges"]:
        if "_public_verified" in record:
            continue
        if record["status"] in SOURCE_STATUSES and bool(record["verified"]) != (record["status"] == "confirmed"):
            yield problem(record, "verified", "must be yes exactly when status is confirmed")
    for record in data["college_facts"]:
        if record["kind"] not in FACT_KINDS:
            yield problem(record, "kind", f"'{record['kind']}' must be one of {', '.join(sorted(FACT_KINDS))}")
        if record["year"] is not None and not 1990 <= record["year"] <= 2100:
            yield problem(record, "year", "must be a year such as 2025")
        for lang in LANGS:
            if not record[f"text_{lang}"]:
                yield problem(record, f"text_{lang}", "is empty")
    for record in data["college_training_areas"]:
        for lang in LANGS:
            if not record[f"name_{lang}"]:
                yield problem(record, f"name_{lang}", "is empty")
    for record in data["sources"]:
        if record["date"] and not SOURCE_DATE.match(record["date"]):
            yield problem(record, "date", f"'{record['date']}' must be YYYY, YYYY-MM or YYYY-MM-DD (empty if undated)")


QUIZ_STATEMENTS = (30, 48)


def check_quiz(data):
    """Six RIASEC types in order, 30-48 statements spread over them, a scale starting at 0."""
    types = [t["code"] for t in data["quiz_types"]]
    if types != list("RIASEC"):
        yield Problem("data/quiz.yaml", "types", "code", "must be R, I, A, S, E, C in this order")
    statements = data["quiz_statements"]
    low, high = QUIZ_STATEMENTS
    if not low <= len(statements) <= high:
        yield Problem("data/quiz.yaml", "statements", "", f"there are {len(statements)}; write {low} to {high}")
    seen = set()
    for statement in statements:
        if statement["type"] not in "RIASEC" or len(statement["type"]) != 1:
            yield problem(statement, "type", f"'{statement['type']}' must be one of R I A S E C")
        if statement["id"] in seen:
            yield problem(statement, "id", f"'{statement['id']}' is used twice")
        if not re.match(r"^[a-z][a-z0-9]{0,7}$", str(statement["id"])):
            yield problem(statement, "id", "must be a short lower-case id such as r1")
        seen.add(statement["id"])
    for code in "RIASEC":
        if sum(s["type"] == code for s in statements) < 5:
            yield Problem("data/quiz.yaml", "statements", "type", f"type {code} needs at least 5 statements")
    values = [item["value"] for item in data["quiz_scale"]]
    if values != list(range(len(values))) or len(values) < 2:
        yield Problem("data/quiz.yaml", "scale", "value", "values must be 0, 1, 2, ... in order")


CHECKS = [
    check_keys_unique, check_slug_shape, check_codes, check_both_languages, check_references,
    check_study_links, check_enums_and_ranges, check_sources, check_wages, check_card_blocks, check_quiz,
    check_college_statuses, check_state_order, enrol.check,
]


def validate(data):
    """Every problem every check finds, in order."""
    return [found for check in CHECKS for found in check(data)]
