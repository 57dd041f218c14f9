"""Reading data/: CSV tables and YAML records into plain dicts with typed values.

Every value is parsed here, once, so that validation (checks.py) and the build see the
same thing and every problem can name the file, the line (or record) and the field.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import safeyaml

from .problems import LANGS, DataError, Problem  # noqa: F401 (re-exported)

from . import enrol


# Column types of each CSV table. "list" cells are separated by ";". "items" (YAML only) is a
# list of mappings, such as a card's study routes or its requirements.
TEXT, INT, FLOAT, BOOL, LIST, ITEMS = "text", "int", "float", "bool", "list", "items"

TABLES = {
    "sources": {"slug": TEXT, "title_kk": TEXT, "title_ru": TEXT, "url": TEXT, "date": TEXT},
    "towns": {"slug": TEXT, "name_kk": TEXT, "name_ru": TEXT},
    "subjects": {"slug": TEXT, "name_kk": TEXT, "name_ru": TEXT},
    "specialties": {
        "slug": TEXT, "code": TEXT, "name_kk": TEXT, "name_ru": TEXT, "entry_grades": LIST,
        "opened_2025": BOOL, "as_of": TEXT, "source": TEXT, "verified": BOOL,
        "months_after_9": INT, "months_after_11": INT, "classifier_checked": BOOL,
    },
    "qualifications": {
        "code": TEXT, "specialty": TEXT, "level": TEXT, "name_kk": TEXT, "name_ru": TEXT,
        "as_of": TEXT, "source": TEXT, "verified": BOOL, "classifier_checked": BOOL,
    },
    "colleges": {
        "slug": TEXT, "name_kk": TEXT, "name_ru": TEXT, "town": TEXT, "address_kk": TEXT,
        "address_ru": TEXT, "phone": TEXT, "website": TEXT, "lat": FLOAT, "lon": FLOAT,
        "languages": LIST, "dormitory": BOOL, "school_college_track": BOOL, "source": TEXT,
        "verified": BOOL, "note_kk": TEXT, "note_ru": TEXT, "status": TEXT,
        "email": TEXT, "description_kk": TEXT, "description_ru": TEXT,
    },
    # What a source says about a college (a WorldSkills place, a figure), and the training areas it
    # names without naming a specialty of the classifier: these are not offerings.
    "college_facts": {
        "college": TEXT, "kind": TEXT, "year": INT, "text_kk": TEXT, "text_ru": TEXT, "source": TEXT,
        "status": TEXT,
    },
    "college_training_areas": {
        "college": TEXT, "name_kk": TEXT, "name_ru": TEXT, "specialty": TEXT, "professions": LIST,
        "source": TEXT, "status": TEXT,
    },
    "offerings": {
        "college": TEXT, "specialty": TEXT, "qualifications": LIST, "languages": LIST,
        "entry_grades": LIST, "paid_places": INT, "dual": BOOL, "source": TEXT, "verified": BOOL,
        "study_months": INT,
    },
    # State-funded places of an offering, one row a year: the department publishes a new table every year.
    "state_order": {"year": INT, "college": TEXT, "specialty": TEXT, "places": INT, "source": TEXT},
    "employers": {
        "slug": TEXT, "name_kk": TEXT, "name_ru": TEXT, "town": TEXT, "sector": TEXT,
        "colleges": LIST, "source": TEXT, "verified": BOOL, "targeted_training": BOOL,
    },
    # Average pay of a sector or occupation group, only as a source gives it (region, period, amount).
    "wages": {
        "slug": TEXT, "group_kk": TEXT, "group_ru": TEXT, "region": TEXT, "period_kk": TEXT, "period_ru": TEXT,
        "amount": INT, "source": TEXT,
    },
    "region_figures": {
        "key": TEXT, "year": INT, "value": FLOAT, "unit": TEXT, "label_kk": TEXT,
        "label_ru": TEXT, "source": TEXT,
    },
}

# Columns a CSV file may leave out of its header (added for the editing area): they read as empty.
OPTIONAL_COLUMNS = {"colleges": {"email", "description_kk", "description_ru"}, "offerings": {"study_months"},
                    "specialties": {"classifier_checked"}, "qualifications": {"classifier_checked"}}
# What an empty or absent cell of such a column reads as. data/'s specialties and qualifications are
# copied from the national classifier; one an editor or an import adds (overlay.py) is not, until checked.
DEFAULTS = {"specialties": {"classifier_checked": True}, "qualifications": {"classifier_checked": True}}

# Columns a table no longer has, and where their values live now: a file that still has one is refused
# rather than read without it, so that no figure is silently dropped.
RETIRED_COLUMNS = {"offerings": (re.compile(r"^places_\d{4}$"), "state-order places are rows of data/state_order.csv "
                                 "(year,college,specialty,places,source): move the values there")}

# YAML record folders and the type of each key; lists are YAML lists.
RECORDS = {
    "sectors": {
        "slug": TEXT, "order": INT, "name_kk": TEXT, "name_ru": TEXT,
        "description_kk": TEXT, "description_ru": TEXT,
    },
    "professions": {
        "slug": TEXT, "sector": TEXT, "status": TEXT, "riasec": TEXT,
        "name_kk": TEXT, "name_ru": TEXT, "other_names_kk": LIST, "other_names_ru": LIST,
        "aliases_kk": LIST, "aliases_ru": LIST, "summary_kk": TEXT, "summary_ru": TEXT, "tasks_kk": LIST, "tasks_ru": LIST,
        "skills_kk": LIST, "skills_ru": LIST, "soft_skills_kk": LIST, "soft_skills_ru": LIST,
        "subjects": LIST, "conditions_kk": TEXT, "conditions_ru": TEXT,
        "outlook_kk": TEXT, "outlook_ru": TEXT, "study": ITEMS,
        "study_note_kk": TEXT, "study_note_ru": TEXT, "related": LIST, "employers": LIST,
        "min_age": INT, "min_age_kk": TEXT, "min_age_ru": TEXT, "min_age_source": TEXT,
        "requirements": ITEMS, "first_steps_kk": LIST, "first_steps_ru": LIST,
        "career_path_kk": LIST, "career_path_ru": LIST,
        "awaiting_translation": TEXT, "wage": TEXT,
    },
}

# Keys a record may leave out: they default to empty.
OPTIONAL_KEYS = {"aliases_kk", "aliases_ru", "other_names_kk", "other_names_ru", "study_note_kk", "study_note_ru",
                 "employers", "awaiting_translation", "min_age", "min_age_kk", "min_age_ru", "min_age_source", "wage"}
# A card's requirements: each a licence, attestation or check the work itself requires, with its source.
REQUIREMENT_KEYS = ("text_kk", "text_ru", "source")

YES = {"yes", "true", "1", "да", "иә"}
NO = {"no", "false", "0", "нет", "жоқ"}


def parse_cell(raw, kind):
    """Turn one CSV cell into a value; raise ValueError with a message an editor understands."""
    text = (raw or "").strip()
    if kind == TEXT:
        return text
    if kind == LIST:
        return [item.strip() for item in text.split(";") if item.strip()]
    if text == "":
        return None
    if kind == BOOL:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(f"'{text}' is not yes or no")
    if kind == INT:
        try:
            return int(text.replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
    if kind == FLOAT:
        try:
            return float(text.replace(" ", "").replace(",", "."))
        except ValueError:
            raise ValueError(f"'{text}' is not a number") from None
    raise AssertionError(kind)


def read_table(data_dir, name, problems):
    """Rows of data/<name>.csv as dicts, each with `_file` and `_line` for error messages."""
    path = Path(data_dir) / f"{name}.csv"
    label = f"data/{name}.csv"
    if not path.exists():
        problems.append(Problem(label, "file", "", "the file is missing"))
        return []
    columns = TABLES[name]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(label, "file", "", f"is not UTF-8 ({error.reason}); save it as UTF-8 CSV"))
        return []
    reader = csv.DictReader(text.splitlines())
    optional = OPTIONAL_COLUMNS.get(name, ())
    missing = [column for column in columns if column not in (reader.fieldnames or []) and column not in optional]
    if missing:
        problems.append(Problem(label, "line 1", ", ".join(missing), "column missing from the header"))
        return []
    pattern, where_now = RETIRED_COLUMNS.get(name, (None, ""))
    retired = [column for column in reader.fieldnames or [] if pattern and pattern.match(column or "")]
    if retired:
        problems.append(Problem(label, "line 1", ", ".join(retired), where_now))
        return []
    rows = []
    for line, raw in enumerate(reader, start=2):
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # blank line left by a spreadsheet
        row = {"_file": label, "_line": f"line {line}"}
        defaults = DEFAULTS.get(name, {})
        for column, kind in columns.items():
            try:
                row[column] = parse_cell(raw.get(column), kind)
            except ValueError as error:
                problems.append(Problem(label, f"line {line}", column, str(error)))
                row[column] = None
            if row[column] is None and column in defaults:
                row[column] = defaults[column]
        rows.append(row)
    return rows


def read_records(data_dir, folder, problems):
    """One dict per data/<folder>/*.yaml file, with `_file` and `_line` ("record <slug>")."""
    keys = RECORDS[folder]
    records = []
    for path in sorted((Path(data_dir) / folder).glob("*.yaml")):
        label = f"data/{folder}/{path.name}"
        try:
            raw = safeyaml.load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            problems.append(Problem(label, "file", "", f"is not valid YAML: {error}"))
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(label, "file", "", "must be a mapping of keys to values"))
            continue
        where = f"record {raw.get('slug') or path.stem}"
        record = {"_file": label, "_line": where}
        for key in sorted(set(raw) - set(keys)):
            problems.append(Problem(label, where, key, "unknown key; check its spelling"))
        for key, kind in keys.items():
            value = raw.get(key)
            if value is None:
                if key not in OPTIONAL_KEYS and kind not in (LIST, ITEMS):
                    problems.append(Problem(label, where, key, "missing"))
                value = [] if kind in (LIST, ITEMS) else ("" if kind == TEXT else None)
            elif kind in (LIST, ITEMS) and not isinstance(value, list):
                problems.append(Problem(label, where, key, "must be a list"))
                value = []
            elif kind == ITEMS and not all(isinstance(item, dict) for item in value):
                problems.append(Problem(label, where, key, "each item must be a mapping of keys to values"))
                value = [item for item in value if isinstance(item, dict)]
            elif kind == LIST and not all(isinstance(item, (str, int, float)) for item in value):
                for position, item in enumerate(value, start=1):
                    if not isinstance(item, (str, int, float)):
                        problems.append(Problem(label, where, f"{key}[{position}]", "is not text; an item with "
                                                "': ' in it must be put in quotes, or YAML reads it as a key and value"))
                value = [item for item in value if isinstance(item, (str, int, float))]
            elif kind == TEXT:
                value = " ".join(str(value).split())
            elif kind == INT and not isinstance(value, int):
                problems.append(Problem(label, where, key, f"'{value}' is not a whole number"))
                value = None
            record[key] = [str(item) for item in value] if kind == LIST else value
        if record["slug"] != path.stem:
            problems.append(Problem(label, where, "slug", f"must match the file name '{path.stem}'"))
        records.append(record)
    return records


QUIZ_PARTS = {
    "types": ("code", ["code", "name_kk", "name_ru", "description_kk", "description_ru"]),
    "statements": ("id", ["id", "type", "text_kk", "text_ru"]),
    "scale": ("value", ["value", "label_kk", "label_ru"]),
}


def read_quiz(data_dir, problems):
    """data/quiz.yaml: the interest questionnaire's types, statements and answer scale."""
    label = "data/quiz.yaml"
    try:
        raw = safeyaml.load((Path(data_dir) / "quiz.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(label, "file", "", "the file is missing"))
        return {part: [] for part in QUIZ_PARTS}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(label, "file", "", f"is not valid YAML: {error}"))
        return {part: [] for part in QUIZ_PARTS}
    quiz = {}
    for part, (key, fields) in QUIZ_PARTS.items():
        items = (raw or {}).get(part) or []
        quiz[part] = []
        for position, item in enumerate(items if isinstance(items, list) else [], start=1):
            item = item if isinstance(item, dict) else {}
            where = f"{part} {item.get(key, position)}"
            record = {"_file": label, "_line": where, "position": position}
            for field in fields:
                if item.get(field) in (None, ""):
                    problems.append(Problem(label, where, field, "missing"))
                record[field] = item.get(field, "")
            quiz[part].append(record)
    return quiz


def read_all(data_dir):
    """Everything in data/ plus the problems met while reading it."""
    problems = []
    dataset = {name: read_table(data_dir, name, problems) for name in TABLES}
    dataset.update({folder: read_records(data_dir, folder, problems) for folder in RECORDS})
    quiz = read_quiz(data_dir, problems)
    dataset.update({f"quiz_{part}": records for part, records in quiz.items()})

    dataset["enrol"] = enrol.read(data_dir, problems)
    return dataset, problems
