"""A specialty the atlas lacks, proposed by a college with the offering that needs it.

The "add an offering" form finds the atlas's specialties by code or name; when the college
teaches one the atlas does not have, the editor types its code, names and qualifications.
They are saved as a change of kind "specialty" next to the offering's change (the contract in
store.record_approved_change and overlay.py), sent for review with it and approved with it.
No Flask here, so that the rules are the same wherever a proposal comes from.
"""

import re

from flask_babel import lazy_gettext

from ..dataset.checks import qualification_code, specialty_code
from ..search.normalise import fold, normalise_code
from . import store

LEVEL = re.compile(r"^(3W|4S|5AB)")
NAME_LENGTH = 200
ROWS = 3  # empty qualification rows the form offers; "more rows" adds ROWS more
MAX_ROWS = 30
RESULTS = 30


def search(specialties, query, limit=RESULTS):
    """The specialties whose code starts with the typed digits, or whose name in either
    language has every typed word in it (case, ё/е and Kazakh letters folded); all of them,
    in code order, when nothing is typed."""
    ordered = sorted(specialties, key=lambda s: (s["code"] == "", s["code"] or "", s["slug"]))
    code = normalise_code(query or "")
    if code:
        digits = code_digits(code)
        return [s for s in ordered if (s["code"] or "").startswith(digits[:8]) or
                (len(digits) == 8 and (s["code"] or "")[:6] == digits[:6])][:limit]
    words = fold(query or "").split()
    if not words:
        return ordered
    found = [s for s in ordered
             if all(w in fold(f"{s['code']} {s['slug']} {s['name_kk']} {s['name_ru']}") for w in words)]
    return found[:limit]


def code_digits(code):
    """The digits of a normalised classifier code, without its level (4S07161101 -> 07161101)."""
    return LEVEL.sub("", code)


def proposed_code(query):
    """The specialty code a search for an absent code suggests to propose (a qualification
    code gives its specialty's), or ''."""
    digits = code_digits(normalise_code(query or "") or "")
    return digits[:6] + "00" if len(digits) == 8 else ""


def read(form):
    """(proposal, rows) from the form: the proposal as a change's data plus its code, and the
    typed qualification rows as they were typed, for showing them again."""
    rows = [{"code": code.strip()[:40], "name_kk": kk.strip()[:NAME_LENGTH], "name_ru": ru.strip()[:NAME_LENGTH]}
            for code, kk, ru in zip(form.getlist("q_code"), form.getlist("q_name_kk"), form.getlist("q_name_ru"))]
    rows = rows[:MAX_ROWS]
    proposal = {"code": form.get("new_code", "").strip()[:40],
                "name_kk": " ".join(form.get("new_name_kk", "").split())[:NAME_LENGTH],
                "name_ru": " ".join(form.get("new_name_ru", "").split())[:NAME_LENGTH],
                "qualifications": [r for r in rows if any(r.values())]}
    return proposal, rows


def blank_rows(rows=(), more=0):
    """The rows as typed, `more` empty ones after them, and always room for another: the form
    has at least ROWS rows, and ROWS empty ones when every row is filled."""
    blank = {"code": "", "name_kk": "", "name_ru": ""}
    rows = list(rows) + [dict(blank) for _ in range(more)]
    if all(any(r.values()) for r in rows):
        rows += [dict(blank) for _ in range(ROWS)]
    return rows + [dict(blank) for _ in range(ROWS - len(rows))]


def validate(proposal, data, fixed_code=None):
    """(change data, code, errors): the proposal as a "specialty" change's data, the specialty
    code, and the problems keyed by the form's field names (`new_code`, `new_name`, `q-<n>`)."""
    errors = {}
    code = fixed_code or specialty_code(proposal["code"])
    if code is None:
        errors["new_code"] = lazy_gettext("Write the specialty code: 8 digits ending in 00, such as 10120100.")
    elif not fixed_code and any(s["slug"] == code for s in data["specialties"]):
        errors["new_code"] = lazy_gettext("The atlas has this specialty already: find it by its code above and "
                                          "choose it.")
    if not (proposal["name_kk"] or proposal["name_ru"]):
        errors["new_name"] = lazy_gettext("Write the name in at least one language.")
    qualifications, seen = [], set()
    for number, row in enumerate(proposal["qualifications"], start=1):
        typed = qualification_code(row["code"])
        if typed is None:
            errors[f"q-{number}"] = lazy_gettext("Write the qualification code: 8 digits, with or without its "
                                                 "level 3W, 4S or 5AB, such as 4S10120102.")
            continue
        level, qualification = typed
        if code and qualification[:6] != code[:6]:
            errors[f"q-{number}"] = lazy_gettext("A qualification code starts with the first six digits of its "
                                                 "specialty, %(prefix)s.", prefix=code[:6])
        elif qualification in seen:
            errors[f"q-{number}"] = lazy_gettext("This qualification is given twice.")
        elif not (row["name_kk"] or row["name_ru"]):
            errors[f"q-{number}"] = lazy_gettext("Write the name in at least one language.")
        seen.add(qualification)
        qualifications.append({"code": level + qualification, "name_kk": row["name_kk"], "name_ru": row["name_ru"]})
    change = {"name_kk": proposal["name_kk"], "name_ru": proposal["name_ru"], "qualifications": qualifications}
    return change, code, errors


def offered_codes(change_data):
    """The 8-digit codes of a proposal's qualifications: the offering teaches all of them."""
    return sorted(qualification_code(q["code"])[1] for q in change_data["qualifications"]
                  if qualification_code(q["code"]))


def as_rows(change_data):
    return [{"code": q.get("code", ""), "name_kk": q.get("name_kk", ""), "name_ru": q.get("name_ru", "")}
            for q in change_data.get("qualifications") or []]


def as_candidate(change_data, college, code):
    """The proposal as the overlay takes a change, for checking the offering against it."""
    return {"id": -1, "kind": "specialty", "college": college, "record_key": code, "data": change_data,
            "source": "", "checked_on": "", "published_on": ""}


def companion(conn, change):
    """The open change that goes with this one: the proposed specialty of an offering change, or
    the offering change of a proposed specialty (same college, same code); None if there is none."""
    if change["kind"] not in ("offering", "specialty") or not change["college"]:
        return None
    other = "specialty" if change["kind"] == "offering" else "offering"
    return store.open_change(conn, change["college"], other, change["record_key"])


def submit_together(conn, who, change):
    """Send a change for review with its companion: the department sees the offering and the
    specialty it needs as one submission."""
    with store.transaction(conn):
        done = store.submit(conn, who, change["id"])
        other = companion(conn, change)
        if done and other and other["status"] in ("draft", "returned"):
            store.submit(conn, who, other["id"])
    return done


def review_together(conn, who, change, approve, comment="", version=None):
    """Approve (or return) a change and its submitted companion in one transaction: an offering
    of a new specialty is never public without the specialty, nor the specialty alone."""
    with store.transaction(conn):
        other = companion(conn, change)
        done = store.review(conn, who, change["id"], approve, comment, version=version)
        if done and other and other["status"] == "submitted":
            store.review(conn, who, other["id"], approve, comment)
    return done
