"""The records an editor sees and the rules their edits must pass.

The current value of a college is what `atlas publish` would build: its row in data/ with
every approved change laid over it (atlas/overlay.py, the same code the build runs). Edits are
checked by running the build's own checks (atlas/checks.py) on the dataset with the edited
record laid over it, keeping only the problems of that record: one set of rules for both.
"""

import copy
import threading
from pathlib import Path

from ..dataset import overlay
from ..dataset.checks import validate
from ..dataset.sources import TABLES, read_all
from ..text import clean_values
from . import localtime

EDITABLE = overlay.EDITABLE
_cache = {"key": None, "data": None}
_lock = threading.Lock()


def read_tables(data_dir):
    """Everything in data/, as the build reads it (cached until a file changes), so that the
    build's checks see exactly what they see during `atlas build`."""
    paths = sorted(p for p in Path(data_dir).rglob("*") if p.is_file())
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    with _lock:
        if _cache["key"] != key:
            data, _problems = read_all(data_dir)
            _cache.update(key=key, data=data)
        return copy.deepcopy(_cache["data"])


def as_overlay(change, today=None):
    """A change of the editing database as the build's overlay takes it."""
    return {"id": change["id"], "kind": change["kind"], "college": change["college"],
            "record_key": change["record_key"], "data": clean_values(change["data"]),
            "source": change.get("source") or "",
            # dates of the region, not of UTC: a change approved at 21:00 UTC was approved the next day there
            "checked_on": localtime.local_date(change["reviewed_at"]) if change.get("reviewed_at") else "",
            "published_on": (localtime.local_date(change["published_at"]) if change.get("published_at")
                             else today or localtime.local_date())}


def current(data_dir, approved):
    """The dataset with every approved change laid over it."""
    data = read_tables(data_dir)
    overlay.apply(data, [as_overlay(c) for c in approved], TABLES)
    return data


def get_college(data, slug):
    return next((c for c in data["colleges"] if c["slug"] == slug), None)


def get_offering(data, college, specialty):
    return next((o for o in data["offerings"] if o["college"] == college and o["specialty"] == specialty), None)


def list_offerings(data, college):
    return [o for o in data["offerings"] if o["college"] == college]


def partners_of(data, college):
    return sorted(e["slug"] for e in data["employers"] if college in e["colleges"])


def editable_values(data, kind, college, record_key):
    """The fields an editor edits, as they are now ({} for a new offering)."""
    if kind == "college":
        record = get_college(data, college) or {}
        values = {f: record.get(f) for f in EDITABLE["colleges"]}
        values["partners"] = partners_of(data, college)
        values["new_partners"] = []
        return values
    record = get_offering(data, college, record_key)
    if record is None:
        return {}
    values = {f: record.get(f) for f in EDITABLE["offerings"]}
    for places in data["state_order"]:
        if (places["college"], places["specialty"]) == (college, record_key):
            values[overlay.places_field(places["year"])] = places["places"]
    return values


def check(data, kind, college, record_key, values, along=()):
    """Problems the build would find in this record: [(field, Problem)]. `along`: changes laid
    over first, such as the specialty an offering of a new specialty needs (their own problems
    come back with the field "form")."""
    data = copy.deepcopy(data)
    candidate = {"id": 0, "kind": kind, "college": college, "record_key": record_key, "data": values,
                 "source": "", "checked_on": "", "published_on": ""}
    overlay.apply(data, [*along, candidate], TABLES)
    along_files = {f"editing area change {change['id']}" for change in along}
    record = get_college(data, college) if kind == "college" else get_offering(data, college, record_key)
    marks = {(record["_file"], record["_line"])}
    found = []
    for problem in validate(data):
        if (problem.file, problem.where) in marks:
            found.append((problem.field, problem))
        elif problem.file == "editing area change 0" and problem.where.startswith("new partner"):
            found.append(("new_partners", problem))
        elif problem.file == "editing area change 0" and problem.where.startswith("places "):
            found.append((overlay.places_field(problem.where.split()[1]), problem))  # a state_order row
        elif problem.file in along_files:
            found.append(("form", problem))
    return found
