"""From read rows to a plan: every problem of every row, or the changes the file makes.

The plan compares the file with what `atlas publish` would build now (data/ with every approved
change laid over it), so importing the same file twice finds nothing to change the second time.
Rows of the same college, specialty and year (one per language, say) add up: an offering has one
number of state-funded places a year, with every language and qualification of its rows.
A year's places become the change's `places_<year>` field, a row of the state_order table.
A value that a college provided and the department approved is never replaced silently: it is a
conflict, and the import waits for a decision (keep the college's value, or take the table's).
"""

from dataclasses import dataclass, field
from datetime import date

from ..dataset.checks import STATE_ORDER_YEARS
from ..dataset.overlay import places_field
from .matching import CollegeIndex, slug_of
from .mappings import NEW
from .plan_types import Change, Conflict, Problem
from .reader import N_
from .rows import Context, read_row


def years(today=None):
    """(first, last) year a table may give: the build's range, and no later than next year, whose
    state order the department announces before the year starts."""
    first, last = STATE_ORDER_YEARS
    return first, min(last, (today or date.today()).year + 1)


@dataclass
class Options:
    create_missing: bool = False
    remembered: dict = field(default_factory=dict)  # mappings.load()
    provided: dict = field(default_factory=dict)  # {(college, specialty, field): value} from colleges
    conflicts: str = ""  # "", "keep" (the college's value) or "table"


@dataclass
class Plan:
    changes: list = field(default_factory=list)  # specialties, then colleges, then offerings
    problems: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    unknown: list = field(default_factory=list)  # [(column letter, header)] ignored
    counts: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # {column: (column letter, header)} as the file names them
    data: dict = field(default_factory=dict)  # the dataset planned against, to name values in the report

    @property
    def ready(self):
        return not self.problems

    def __iter__(self):
        """(changes, problems), as the import was planned before: nothing to write while a problem remains."""
        return iter(([] if self.problems else self.changes, self.problems))


def none_as_empty(value, like):
    """An empty list cell reads as []; a number (even 0) stays itself, so 0 places re-imports as no change."""
    return [] if value is None and isinstance(like, list) else value


def plan(rows, data, today=None, options=None):
    """The Plan of a file's rows against the current dataset."""
    options = options or Options()
    index = CollegeIndex(data["colleges"], options.remembered)
    ctx = Context(data, index, options.remembered, options.create_missing, years(today))
    result = Plan()
    groups, count = {}, 0
    for number, raw in rows:
        if not any(str(v).strip() for v in raw.values()):
            continue
        count += 1
        row = read_row(number, raw, ctx, result.problems)
        if row is not None:
            group = groups.setdefault((row.college, row.specialty), [])
            group.append(row)
    slugs = new_college_slugs(ctx, data)
    result.changes += [Change("", code, specialty_data(record), {}, True, record["rows"], "specialty")
                       for code, record in sorted(ctx.new_specialties.items())
                       if options.create_missing or record.get("chosen")]
    result.changes += [Change(slugs[key], slugs[key], {"name_kk": r["name_kk"], "name_ru": r["name_ru"],
                                                       "town": r["town"]}, {}, True,
                              r["rows"], "college") for key, r in ctx.new_colleges.items()
                       if options.create_missing or r.get("chosen")]
    offerings = compare(groups, slugs, data, options, result)
    result.changes += offerings
    result.decisions = list(ctx.decisions.values())
    result.counts = {"rows": count, "new": sum(c.new for c in offerings),
                     "changed": sum(not c.new for c in offerings),
                     "unchanged": len(groups) - len(offerings), "colleges": len(ctx.new_colleges),
                     "specialties": sum(not r.get("known") for r in ctx.new_specialties.values()),
                     "loose": sum(n for how, n in ctx.matched.items() if how != "exact")}
    return result


def new_college_slugs(ctx, data):
    taken = {c["slug"] for c in data["colleges"]}
    return {key: slug_of(key, taken) for key in ctx.new_colleges}


def specialty_data(record):
    return {"name_kk": record["name_kk"], "name_ru": record["name_ru"],
            "qualifications": [record["qualifications"][code] for code in sorted(record["qualifications"])]}


def target_of(group):
    """The offering's fields as the table gives them."""
    places, paid, languages, qualifications, grades, dual, months = {}, {}, set(), set(), set(), [], {}
    latest = max(row.year for row in group)
    for row in group:
        places[row.year] = places.get(row.year, 0) + row.places
        languages.update(row.languages)
        qualifications.update(row.qualifications)
        extra = row.optional
        grades.update(extra.get("entry_grades", []))
        if "paid_places" in extra and row.year == latest:
            paid[row.year] = paid.get(row.year, 0) + extra["paid_places"]
        if "dual" in extra:
            dual.append(extra["dual"])
        for grade in ("9", "11"):
            if f"months_{grade}" in extra:
                months.setdefault(grade, extra[f"months_{grade}"])
        if "study_months" in extra:
            own = extra.get("entry_grades", [])
            months.setdefault(own[0] if len(own) == 1 else "any", extra["study_months"])
    target = {places_field(year): value for year, value in sorted(places.items())}
    target["languages"] = sorted(languages)
    if qualifications:  # an empty cell says nothing about qualifications: keep the current ones
        target["qualifications"] = sorted(qualifications)
    if grades:
        target["entry_grades"] = sorted(grades, key=int)
    if months:  # one study length an offering: after grade 9 when the table gives it, the shortest way in
        target["study_months"] = months.get("9") or months.get("any") or months.get("11")
    if paid:
        target["paid_places"] = sum(paid.values())
    if dual:
        target["dual"] = any(dual)
    return target


def compare(groups, slugs, data, options, result):
    """Offering changes for the groups, with conflicts against the colleges' approved values."""
    offerings = {(o["college"], o["specialty"]): o for o in data["offerings"]}
    places_now = {}
    for row in data["state_order"]:
        places_now.setdefault((row["college"], row["specialty"]), {})[places_field(row["year"])] = row["places"]
    changes = []
    for (college, specialty), group in groups.items():
        if college.startswith(NEW + ":"):
            college = slugs[college.split(":", 1)[1]]
        target = target_of(group)
        numbers = [row.number for row in group]
        current = offerings.get((college, specialty))
        if current is None:
            changes.append(Change(college, specialty, target, {}, True, numbers))
            continue
        current = {**current, **places_now.get((college, specialty), {})}
        differing = {k: v for k, v in target.items() if none_as_empty(current.get(k), v) != v}
        for name in [k for k in differing if (college, specialty, k) in options.provided]:
            result.conflicts.append(Conflict(college, specialty, name, current.get(name), differing[name], numbers))
            if options.conflicts == "keep":
                del differing[name]
            elif options.conflicts != "table":
                result.problems.append(Problem(numbers[0], column_of(name), N_(
                    "the college provided %(current)s and the department approved it; the table says %(table)s: "
                    "decide which to keep"), {"current": shown(current.get(name)), "table": shown(differing[name])},
                    decision=True))
        if differing:
            changes.append(Change(college, specialty, differing, {k: current.get(k) for k in differing}, False, numbers))
    return changes


COLUMN_OF_FIELD = {"entry_grades": "entry_grade", "qualifications": "qualification_codes", "languages": "language"}


def column_of(name):
    """The state-order table's column that an offering's field comes from."""
    return "places" if name.startswith("places_") else COLUMN_OF_FIELD.get(name, name)


def shown(value):
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return "—" if value is None else str(value)


def college_provided(approved):
    """{(college, specialty, field): value} of the values that colleges provided and the department
    approved and that no later import replaced (an import's change has a source, a college's none)."""
    latest = {}
    for change in approved:
        if change["kind"] not in ("offering", "college"):
            continue
        specialty = change["record_key"] if change["kind"] == "offering" else ""
        for name, value in change["data"].items():
            latest[(change["college"], specialty, name)] = (not change.get("source"), value)
    return {key: value for key, (provided, value) in latest.items() if provided}
