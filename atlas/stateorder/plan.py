"""From read rows to a plan: every problem of every row, or the offering changes the file makes.

The plan compares the file with what `atlas publish` would build now (data/ with every approved
change laid over it), so importing the same file twice finds nothing to change the second time.
Rows of the same college, specialty and year (one per language, say) add up: an offering has one
number of state-funded places a year, with every language and qualification of its rows.
A year's places become the change's `places_<year>` field, a row of the state_order table.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from ..checks import PLACES_LIMIT, STATE_ORDER_YEARS
from ..overlay import places_field
from .reader import N_

LANGUAGES = {"kk": ["kk"], "ru": ["ru"], "both": ["kk", "ru"], "kk ru": ["kk", "ru"], "kk, ru": ["kk", "ru"],
             "kk,ru": ["kk", "ru"], "kk;ru": ["kk", "ru"]}


def years(today=None):
    """(first, last) year a table may give: the build's range, and no later than next year, whose
    state order the department announces before the year starts."""
    first, last = STATE_ORDER_YEARS
    return first, min(last, (today or date.today()).year + 1)


@dataclass
class Problem:
    row: int
    column: str
    msgid: str
    params: dict = field(default_factory=dict)


@dataclass
class Change:
    college: str
    specialty: str
    data: dict
    before: dict
    new: bool
    rows: list


def number_of(value):
    """A whole number from a cell (text or number), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).replace(" ", "").replace("\u00a0", "")
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else None


def check_cell_kind(number, column, value, problems):
    """Formulas and dates are refused in every column, whatever it holds."""
    from .reader import DateValue, Formula

    if isinstance(value, Formula):
        problems.append(Problem(number, column, N_("a formula (%(formula)s): type the value itself"), {"formula": value[:40]}))
        return False
    if isinstance(value, DateValue):
        problems.append(Problem(number, column, N_("a date (%(value)s) where a number or code should be"),
                                {"value": value[:20]}))
        return False
    return True


def college_lookup(data):
    lookup = {}
    for college in data["colleges"]:
        for key in (college["slug"], college["name_kk"], college["name_ru"]):
            if key:
                lookup[" ".join(str(key).split()).casefold()] = college["slug"]
    return lookup


def parse_row(number, raw, data, lookup, problems, today=None):
    """One row as (year, college, specialty, qualifications, languages, places), or None."""
    before = len(problems)
    if not all(check_cell_kind(number, column, value, problems) for column, value in raw.items()):
        return None
    year = number_of(raw["year"])
    if year is None:
        problems.append(Problem(number, "year", N_("'%(value)s' is not a year"), {"value": str(raw["year"])[:20]}))
    elif not years(today)[0] <= year <= years(today)[1]:
        first, last = years(today)
        problems.append(Problem(number, "year", N_("%(value)s is not a year from %(first)s to %(last)s"),
                                {"value": year, "first": first, "last": last}))
    college = lookup.get(" ".join(str(raw["college"]).split()).casefold())
    if not str(raw["college"]).strip():
        problems.append(Problem(number, "college", N_("is empty")))
    elif college is None:
        problems.append(Problem(number, "college", N_("'%(value)s' is not a college of the atlas (use its slug or exact name)"),
                                {"value": str(raw["college"])[:80]}))
    specialties = {s["slug"] for s in data["specialties"]}
    specialty = str(raw["specialty_code"]).strip()
    if isinstance(raw["specialty_code"], (int, float)) and not isinstance(raw["specialty_code"], bool):
        specialty = f"{int(raw['specialty_code']):08d}"  # a spreadsheet drops the leading zero
    if not specialty:
        problems.append(Problem(number, "specialty_code", N_("is empty")))
    elif specialty not in specialties:
        problems.append(Problem(number, "specialty_code", N_("'%(value)s' is not a specialty of the atlas"),
                                {"value": specialty[:20]}))
    owner = {q["code"]: q["specialty"] for q in data["qualifications"]}
    qualifications = [q for q in re.split(r"[\s,;]+", str(raw["qualification_codes"]).strip()) if q]
    for code in qualifications:
        if code not in owner:
            problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not a qualification of the atlas"),
                                    {"value": code[:20]}))
        elif specialty in specialties and owner[code] != specialty:
            problems.append(Problem(number, "qualification_codes", N_("'%(value)s' is not a qualification of %(specialty)s"),
                                    {"value": code, "specialty": specialty}))
    languages = LANGUAGES.get(" ".join(str(raw["language"]).lower().split()))
    if languages is None:
        problems.append(Problem(number, "language", N_("'%(value)s' must be kk, ru or both"),
                                {"value": str(raw["language"])[:20]}))
    places = number_of(raw["places"])
    if places is None:
        problems.append(Problem(number, "places", N_("'%(value)s' is not a whole number"), {"value": str(raw["places"])[:20]}))
    elif places < 0:
        problems.append(Problem(number, "places", N_("a number of places cannot be negative")))
    elif places > PLACES_LIMIT:
        problems.append(Problem(number, "places", N_("%(value)s places is not plausible (at most %(limit)s)"),
                                {"value": places, "limit": PLACES_LIMIT}))
    if len(problems) > before:
        return None
    return year, college, specialty, qualifications, languages, places


def none_as_empty(value, like):
    """An empty list cell reads as []; a number (even 0) stays itself, so 0 places re-imports as no change."""
    return [] if value is None and isinstance(like, list) else value


def plan(rows, data, today=None):
    """(changes, problems) for the rows of a file against the current dataset."""
    problems, groups = [], {}
    lookup = college_lookup(data)
    for number, raw in rows:
        if not any(str(v).strip() for v in raw.values()):
            continue
        parsed = parse_row(number, raw, data, lookup, problems, today)
        if parsed is None:
            continue
        year, college, specialty, qualifications, languages, places = parsed
        group = groups.setdefault((college, specialty), {"rows": [], "places": {}, "languages": set(),
                                                         "qualifications": set()})
        group["rows"].append(number)
        group["places"][year] = group["places"].get(year, 0) + places
        group["languages"].update(languages)
        group["qualifications"].update(qualifications)
    if problems:
        return [], problems
    offerings = {(o["college"], o["specialty"]): o for o in data["offerings"]}
    places_now = {}
    for row in data["state_order"]:
        places_now.setdefault((row["college"], row["specialty"]), {})[places_field(row["year"])] = row["places"]
    changes = []
    for (college, specialty), group in groups.items():
        target = {places_field(year): places for year, places in sorted(group["places"].items())}
        target["languages"] = sorted(group["languages"])
        if group["qualifications"]:  # an empty cell says nothing about qualifications: keep the current ones
            target["qualifications"] = sorted(group["qualifications"])
        current = offerings.get((college, specialty))
        if current is None:
            changes.append(Change(college, specialty, target, {}, True, group["rows"]))
            continue
        current = {**current, **places_now.get((college, specialty), {})}
        differing = {k: v for k, v in target.items() if none_as_empty(current.get(k), v) != v}
        if differing:
            before = {k: current.get(k) for k in differing}
            changes.append(Change(college, specialty, differing, before, False, group["rows"]))
    return changes, []
