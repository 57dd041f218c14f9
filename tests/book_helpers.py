"""A small dataset for the printed atlas's tests (a book of the whole data takes minutes), and
reading PDFs back: text per page, contents, index."""

import csv
import re
import shutil
from pathlib import Path

import yaml

from atlas.paths import ROOT
from atlas.dataset.build import build

# Four sectors, seven cards: enough for chapters, an index with other names and a contents list.
KEPT_SECTORS = {"business-finance", "public-safety", "light-industry"}
KEPT_CARDS = {"welder"}


def small_data(target):
    """A copy of data/ with only the kept cards, and every link to a removed card dropped."""
    target = Path(target)
    shutil.copytree(ROOT / "data", target)
    kept = set(KEPT_CARDS)
    for path in sorted((target / "professions").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record["sector"] in KEPT_SECTORS or path.stem in KEPT_CARDS:
            kept.add(path.stem)
        else:
            path.unlink()
    for path in (target / "professions").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^related: \[(.*)\]$", text, re.M)
        if match:
            related = [s.strip() for s in match.group(1).split(",") if s.strip() in kept]
            text = text.replace(match.group(0), f"related: [{', '.join(related)}]")
        path.write_text(text, encoding="utf-8")
    areas = target / "college_training_areas.csv"
    with open(areas, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["professions"] = " ".join(s for s in row["professions"].split() if s in kept)
    with open(areas, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return kept


def build_small(folder):
    data = Path(folder) / "data"
    kept = small_data(data)
    db = Path(folder) / "instance" / "atlas.db"
    meta = build(data, db)
    return data, db, kept, meta


def page_texts(path):
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def squeeze(text):
    """Text with runs of white space as one space (names wrap across lines)."""
    return " ".join(text.split())


def page_refs(texts, start, end, names):
    """{name: page number} as a list printed between pages start and end gives them: «name .... 12»."""
    joined = squeeze(" ".join(texts[start:end]))
    found = {}
    for name in names:
        match = re.search(re.escape(name) + r"[\s.]*?(\d+)\b", joined)
        if match:
            found[name] = int(match.group(1))
    return found


def bookmarks(path):
    """{title: page number} of every PDF bookmark, at any level."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    marks = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks[squeeze(item.title)] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return marks
