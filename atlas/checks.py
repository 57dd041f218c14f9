"""Validation of data/ before anything is written: a flat list of small checks.

Each check takes the dataset and yields Problems. The build refuses to write a database
while any check finds a problem, so a mistake in a spreadsheet never reaches the site.
"""

import re

from .sources import LANGS, Problem

SPECIALTY_CODE = re.compile(r"^\d{6}00$")
QUALIFICATION_CODE = re.compile(r"^\d{6}(?!00)\d{2}$")
LEVELS = {"", "3W", "4S", "5AB"}
STATUSES = {"new", "changing", "in_demand"}
RIASEC = re.compile(r"^(?!.*(.).*\1)[RIASEC]{1,3}$")
GRADES = {"9", "11"}
TEACHING_LANGUAGES = {"kk", "ru", "en"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s]+$")
PHONE = re.compile(r"^\+7[\d ()-]{10,16}$")
KEYS = {
    "sources": "slug", "towns": "slug", "subjects": "slug", "specialties": "slug",
    "qualifications": "code", "colleges": "slug", "employers": "slug",
    "sectors": "slug", "professions": "slug",
}
# Bilingual fields that every record of a table must have in both languages.
REQUIRED_TEXT = {
    "sources": ["title"], "towns": ["name"], "subjects": ["name"], "specialties": ["name"],
    "qualifications": ["name"], "colleges": ["name"], "employers": ["name"],
    "region_figures": ["label"], "sectors": ["name", "description"],
    "professions": ["name", "summary", "tasks", "skills", "soft_skills", "conditions", "outlook"],
    "quiz_types": ["name", "description"], "quiz_statements": ["text"], "quiz_scale": ["label"],
}


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
            for field in ("address", "note"):
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
    ]


def check_references(data):
    keys = {table: {r[key] for r in data[table]} for table, key in KEYS.items()}
    for table, field, target, is_list in reference_checks():
        for record in data[table]:
            values = record.get(field) or []
            for value in values if is_list else [values]:
                if not value or (field == "source" and URL.match(value)):
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
            specialty, qualification = str(link["specialty"]), str(link.get("qualification") or "")
            if specialty not in specialties:
                yield problem(record, "study", f"specialty '{specialty}' is not in data/specialties.csv")
            if qualification and owner.get(qualification) != specialty:
                yield problem(record, "study", f"qualification '{qualification}' is not a qualification of '{specialty}'")
        if not record["study"]:
            for lang in LANGS:
                if not record[f"study_note_{lang}"] and lang != record["awaiting_translation"]:
                    yield problem(record, f"study_note_{lang}", "the region does not train for this profession: "
                                  "say so and what to do instead")
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
    for record in data["offerings"]:
        for field in ("places_2023", "places_2024", "places_2025", "paid_places"):
            if record[field] is not None and not 0 <= record[field] <= 5000:
                yield problem(record, field, f"{record[field]} is out of range (0 to 5000)")
    for record in data["colleges"]:
        if (record["lat"] is None) != (record["lon"] is None):
            yield problem(record, "lat", "give both lat and lon, or neither")
        if record["lat"] is not None and not (45 <= record["lat"] <= 52 and 75 <= record["lon"] <= 88):
            yield problem(record, "lat", "the coordinates are outside East Kazakhstan region")
        if record["website"] and not URL.match(record["website"]):
            yield problem(record, "website", "must start with http:// or https://")
        if record["phone"] and not PHONE.match(record["phone"]):
            yield problem(record, "phone", "write it as +7 followed by the number")
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
    check_study_links, check_enums_and_ranges, check_sources, check_quiz,
]


def validate(data):
    """Every problem every check finds, in order."""
    return [found for check in CHECKS for found in check(data)]
