"""`atlas import colleges`: the education department's registry of colleges, row by row.

Each row is matched to a college of the atlas (matching.py: BIN, name without its legal form,
then a fuzzy match that only proposes candidates). A known college gets only the fields that
differ, shown before and after; a college the atlas lacks is created with --create-missing (or
the administrator's choice) as an approved change. The registry's BIN and official names are
remembered with the import, so that the state-order table can name a college by either.
"""

import re

from . import cells, matching
from .cells import Bad
from .mappings import NEW
from .matching import CollegeIndex, plain_name, slug_of
from .plan import Options, Plan, shown
from .plan_types import Change, Conflict, Decision, Problem
from .reader import N_

FIELDS = ("address_kk", "address_ru", "phone", "website", "email", "languages", "dormitory")


def phone_of(value):
    """«8 (7232) 12-34-56», «+7 723 2123456» -> +7 7232 123456; anything else is refused."""
    digits = re.sub(r"\D", "", cells.text_of(value))
    if len(digits) == 11 and digits[0] in "78":
        return f"+7 {digits[1:5]} {digits[5:]}"
    raise Bad(N_("'%(value)s' is not a phone number of Kazakhstan (+7 and 10 digits)"), value=str(value)[:30])


def website_of(value):
    """A website typed without https:// is completed, not refused."""
    text = cells.text_of(value).strip().rstrip("/")
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "https://" + text
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*\.[^\s]+", text, re.IGNORECASE):
        raise Bad(N_("'%(value)s' is not a website address"), value=str(value)[:60])
    return text


def email_of(value):
    text = cells.text_of(value).strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise Bad(N_("'%(value)s' is not an e-mail address"), value=text[:60])
    return text


READERS = {"address_kk": cells.text_of, "address_ru": cells.text_of, "phone": phone_of, "website": website_of,
           "email": email_of, "languages": cells.languages_of, "dormitory": cells.yes_no_of}


def read_fields(number, raw, problems):
    values = {}
    for field, reader in READERS.items():
        value = raw.get(field, "")
        if value == "" or (isinstance(value, str) and not value.strip()):
            continue
        try:
            cells.text_of(value)  # a formula or a date is refused whatever the column
            values[field] = reader(value)
        except Bad as bad:
            problems.append(Problem(number, field, bad.msgid, bad.params))
    if bool(values.get("address_kk")) != bool(values.get("address_ru")):
        values.pop("address_kk", None), values.pop("address_ru", None)  # one language alone would break the page
    return values


def town_of(number, raw, data, problems):
    """A new college's town, a slug of data/towns.csv (the build refuses a college without one)."""
    text = cells.text_of(raw.get("town", "") or "")
    town = matching.town_slug(text, data["towns"])
    if not town:
        problems.append(Problem(number, "town", N_("'%(value)s' is not a town of the atlas: a new college needs one of "
                                                   "%(towns)s"),
                                {"value": text[:60], "towns": matching.town_names(data["towns"])}))
    return town


def plan_colleges(rows, data, options=None):
    """The Plan of a registry's rows: college changes, decisions and problems."""
    options = options or Options()
    index = CollegeIndex(data["colleges"], options.remembered)
    colleges = {c["slug"]: c for c in data["colleges"]}
    taken = set(colleges)
    result, decisions, seen = Plan(), {}, {}
    result.counts = {"rows": 0, "new": 0, "changed": 0, "unchanged": 0, "loose": 0}
    result.remember = []  # (kind, value, slug): BINs and official names, saved with the import
    for number, raw in rows:
        if not any(str(v).strip() for v in raw.values()):
            continue
        result.counts["rows"] += 1
        before = len(result.problems)
        try:
            names = {lang: cells.text_of(raw.get(f"name_{lang}", "") or "") for lang in ("kk", "ru")}
            short = cells.text_of(raw.get("short_name", "") or "")
        except Bad as bad:
            result.problems.append(Problem(number, "name_ru", bad.msgid, bad.params))
            continue
        bin_number = ""
        if str(raw.get("bin", "")).strip():
            try:
                bin_number = cells.bin_cell(raw["bin"])
            except Bad as bad:
                result.problems.append(Problem(number, "bin", bad.msgid, bad.params))
        if names["ru"] and not names["kk"] and cells.language_of(names["ru"]) == "kk":
            names = {"kk": names["ru"], "ru": ""}  # a Kazakh name under a Russian header
        values = read_fields(number, raw, result.problems)
        if not (names["kk"] or names["ru"] or short):
            result.problems.append(Problem(number, "name_ru", N_("is empty")))
        if len(result.problems) > before:
            continue
        slug, how, candidates = match_row(index, names, short, bin_number)
        label = names["ru"] or names["kk"] or short
        if slug is None and how != "none" or (slug is None and not options.create_missing and how == "none"):
            key = ("college", label)
            decisions.setdefault(key, Decision("college", label, how, candidates)).rows.append(number)
            message = (N_("'%(value)s' is not in the atlas yet: it is created with --create-missing") if how == "none"
                       else N_("'%(value)s' fits more than one college or only loosely: %(candidates)s; choose one "
                               "(or map it)"))
            result.problems.append(Problem(number, "name_ru", message, {"value": label[:80], "candidates": ", ".join(
                f"{s} ({score}%)" for s, score in candidates)}, decision=True))
            continue
        if slug not in (None, NEW) and slug not in colleges:  # a mapping that names no college
            result.problems.append(Problem(number, "name_ru", N_("'%(value)s' is mapped to '%(slug)s', which is not "
                                                                 "a college of the atlas"),
                                           {"value": label[:80], "slug": slug[:80]}))
            continue
        if slug in seen:
            result.problems.append(Problem(number, "name_ru", N_("the same college as row %(row)s"),
                                           {"row": seen[slug]}))
            continue
        if slug is None or slug == NEW:
            new = {"name_kk": plain_name(names["kk"]), "name_ru": plain_name(names["ru"])}
            missing = [f"name_{lang}" for lang in ("kk", "ru") if not new[f"name_{lang}"]]
            if missing:
                result.problems.append(Problem(number, missing[0], N_("a new college needs its name in both "
                                                                      "languages")))
                continue
            town = town_of(number, raw, data, result.problems)
            if not town:
                continue
            slug = slug_of(short or new["name_ru"], taken)
            result.changes.append(Change(slug, slug, {**new, "town": town, **values}, {}, True, [number], "college"))
            result.counts["new"] += 1
        else:
            result.counts["loose"] += how not in ("exact",)
            change_known(slug, colleges[slug], values, number, options, result)
        seen[slug] = number
        index.add(slug, names["kk"], names["ru"])
        result.remember += [("bin", bin_number, slug)] if bin_number else []
        result.remember += [("official", name, slug) for name in (names["kk"], names["ru"]) if name]
    result.decisions = list(decisions.values())
    return result


def match_row(index, names, short, bin_number):
    """(slug, how, candidates): by BIN, then each name; two names that point at two colleges are a decision."""
    found = [index.match(name, bin_number) for name in (names["ru"], names["kk"], short) if name] or \
        [index.match("", bin_number)]
    slugs = {m.slug for m in found if m.slug}
    if len(slugs) == 1:
        first = next(m for m in found if m.slug)
        return first.slug, first.how, []
    if len(slugs) > 1:
        return None, "ambiguous", [(s, 100) for s in sorted(slugs)]
    candidates = {}
    for m in found:
        for slug, score in m.candidates:
            candidates[slug] = max(candidates.get(slug, 0), score)
    how = "none" if not candidates else ("ambiguous" if any(m.how == "ambiguous" for m in found) else "fuzzy")
    return None, how, sorted(candidates.items(), key=lambda i: (-i[1], i[0]))


def change_known(slug, current, values, number, options, result):
    differing = {k: v for k, v in values.items() if (current.get(k) if current.get(k) is not None else
                                                      ([] if isinstance(v, list) else "")) != v}
    for name in [k for k in differing if (slug, "", k) in options.provided]:
        result.conflicts.append(Conflict(slug, "", name, current.get(name), differing[name], [number]))
        if options.conflicts == "keep":
            del differing[name]
        elif options.conflicts != "table":
            result.problems.append(Problem(number, name, N_(
                "the college provided %(current)s and the department approved it; the table says %(table)s: "
                "decide which to keep"), {"current": shown(current.get(name)), "table": shown(differing[name])},
                decision=True))
    if differing:
        result.changes.append(Change(slug, slug, differing, {k: current.get(k) for k in differing}, False, [number],
                                     "college"))
        result.counts["changed"] += 1
    else:
        result.counts["unchanged"] += 1
