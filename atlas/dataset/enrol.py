"""data/enrol.yaml: how to enrol in a college, as items that each state one rule with its source.

Admission rules are legal facts that change from campaign to campaign, so every item must say
where it comes from and which year or period it applies to; the build refuses an item without
them, the same way it refuses a verified college without a source.
"""

from pathlib import Path

import yaml

from . import safeyaml
from .problems import LANGS, Problem

LABEL = "data/enrol.yaml"
SECTIONS = ("who", "places", "apply", "documents", "dates")
TEXT_FIELDS = ("text", "applies")
KNOWN_KEYS = {"id", "section", "source", "changes_yearly", "medical",
              *(f"{field}_{lang}" for field in TEXT_FIELDS for lang in LANGS)}


def read(data_dir, problems):
    """The items of data/enrol.yaml in order, each with `_file`, `_line` and `position`."""
    path = Path(data_dir) / "enrol.yaml"
    try:
        raw = safeyaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(LABEL, "file", "", "the file is missing"))
        return []
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(LABEL, "file", "", f"is not valid YAML: {error}"))
        return []
    items = (raw or {}).get("items") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(LABEL, "file", "items", "must be a list of items"))
        return []
    records = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(LABEL, f"item {position}", "", "must be a mapping of keys to values"))
            continue
        where = f"item {item.get('id') or position}"
        for key in sorted(set(item) - KNOWN_KEYS):
            problems.append(Problem(LABEL, where, key, "unknown key; check its spelling"))
        record = {"_file": LABEL, "_line": where, "position": position, "id": str(item.get("id") or ""),
                  "section": str(item.get("section") or ""), "source": str(item.get("source") or ""),
                  "changes_yearly": item.get("changes_yearly"), "medical": bool(item.get("medical"))}
        for field in TEXT_FIELDS:
            for lang in LANGS:
                value = item.get(f"{field}_{lang}")
                record[f"{field}_{lang}"] = " ".join(str(value).split()) if value is not None else ""
        records.append(record)
    return records


def check(data):
    """Every item: a known section, both languages, a known source, the year it applies to."""
    sources = {s["slug"] for s in data["sources"]}
    seen = set()
    items = data["enrol"]
    for item in items:
        def problem(field, message, item=item):
            return Problem(item["_file"], item["_line"], field, message)
        if not item["id"]:
            yield problem("id", "is empty")
        elif item["id"] in seen:
            yield problem("id", f"'{item['id']}' is used twice")
        seen.add(item["id"])
        if item["section"] not in SECTIONS:
            yield problem("section", f"'{item['section']}' must be one of {', '.join(SECTIONS)}")
        for field in TEXT_FIELDS:
            for lang in LANGS:
                if not item[f"{field}_{lang}"]:
                    what = "the rule" if field == "text" else "the year or period it applies to"
                    yield problem(f"{field}_{lang}", f"is empty; write {what}")
        source = item["source"]
        if not source:
            yield problem("source", "every rule needs its source")
        elif not source.startswith(("http://", "https://")) and source not in sources:
            yield problem("source", f"'{source}' is not in data/sources; check the spelling")
        if not isinstance(item["changes_yearly"], bool):
            yield problem("changes_yearly", "must be true or false")
    if items and sum(item["medical"] for item in items) != 1:
        yield Problem(LABEL, "items", "medical", "exactly one item must be marked medical: true")
    for section in SECTIONS:
        if items and not any(item["section"] == section for item in items):
            yield Problem(LABEL, "items", "section", f"no item in section '{section}'")


def write(db, items):
    db["enrol_items"].create({"id": str, "position": int, "section": str, "text_kk": str, "text_ru": str,
                              "applies_kk": str, "applies_ru": str, "source": str, "changes_yearly": int,
                              "medical": int}, pk="id")
    db["enrol_items"].insert_all({k: v for k, v in item.items() if not k.startswith("_")} for item in items)
