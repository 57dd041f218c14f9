"""Content quality per language, for `atlas check-data`: how complete each language is, and
fields that look wrong (empty, the same in both languages, Kazakh text with no Kazakh letters)."""

import re
from dataclasses import dataclass

from .sources import LANGS

KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# Below these lengths a text may fairly be the same in both languages ("Фармацевт", "Логистика")
# or have no Kazakh-specific letter ("Токарь").
SAME_TEXT_LIMIT = 30
KAZAKH_CHECK_LIMIT = 60
CONTENT_TABLES = ("sectors", "professions", "specialties", "qualifications", "colleges", "employers",
                  "towns", "subjects", "sources", "region_figures", "wages", "quiz_types", "quiz_statements", "quiz_scale")


@dataclass(frozen=True)
class Finding:
    file: str
    where: str
    field: str
    kind: str  # empty | identical | no-kazakh-letters | missing block: ...

    def __str__(self):
        return f"{self.file}: {self.where}: field '{self.field}': {self.kind}"


def as_text(value):
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value or "")


def bilingual_fields(record):
    return sorted({key[:-3] for key in record if key.endswith(("_kk", "_ru"))})


# The blocks every card must have at the current standard, and how many items each needs.
CARD_BLOCKS = {"first_steps": 3, "career_path": 2}


def missing_card_blocks(record):
    """The new-standard blocks a card lacks in either language, as (field, need) pairs."""
    awaiting = record.get("awaiting_translation") or ""
    return [(f"{block}_{lang}", need) for block, need in CARD_BLOCKS.items() for lang in LANGS
            if lang != awaiting and len(record.get(f"{block}_{lang}") or []) < need]


def review(data):
    """(stats, findings): stats[lang] = {"records", "complete_records", "fields", "filled_fields"}."""
    stats = {lang: {"records": 0, "complete_records": 0, "fields": 0, "filled_fields": 0} for lang in LANGS}
    findings = []
    for table in CONTENT_TABLES:
        for record in data[table]:
            fields = bilingual_fields(record)
            for lang in LANGS:
                filled = [f for f in fields if as_text(record[f"{f}_{lang}"]).strip()]
                stats[lang]["records"] += 1
                stats[lang]["fields"] += len(fields)
                stats[lang]["filled_fields"] += len(filled)
                stats[lang]["complete_records"] += len(filled) == len(fields)
            for field in fields:
                kk, ru = as_text(record[f"{field}_kk"]).strip(), as_text(record[f"{field}_ru"]).strip()
                if bool(kk) != bool(ru):
                    findings.append(Finding(record["_file"], record["_line"], f"{field}_{'kk' if not kk else 'ru'}", "empty"))
                if kk and kk == ru and len(kk) > SAME_TEXT_LIMIT:
                    findings.append(Finding(record["_file"], record["_line"], f"{field}_kk", "identical"))
                if len(kk) > KAZAKH_CHECK_LIMIT and not KAZAKH_LETTERS.search(kk) and kk != ru:
                    findings.append(Finding(record["_file"], record["_line"], f"{field}_kk", "no-kazakh-letters"))
    for record in data["professions"]:
        for field, need in missing_card_blocks(record):
            findings.append(Finding(record["_file"], record["_line"], field, f"missing block (needs {need} or more items)"))
    return stats, findings


# The region's colleges, as the regional education department counts them (data/region_figures.csv,
# key "colleges"); the fallback is the 2025 report's figure.
REGION_COLLEGES = 37


def college_coverage(data):
    """How much of the college data the atlas holds, so that the gap stays visible: colleges named
    of the region's total, and offerings with places (a row of any year in state_order), languages
    and entry grades."""
    figures = [f for f in data["region_figures"] if f["key"] == "colleges" and f["value"] is not None]
    total = int(max(figures, key=lambda f: f["year"] or 0)["value"]) if figures else REGION_COLLEGES
    offerings = data["offerings"]
    with_places = {(r["college"], r["specialty"]) for r in data["state_order"] if r["places"] is not None}
    return {
        "colleges": len(data["colleges"]), "region_colleges": total, "offerings": len(offerings),
        "with_places": sum((o["college"], o["specialty"]) in with_places for o in offerings),
        "with_languages": sum(bool(o["languages"]) for o in offerings),
        "with_entry_grades": sum(bool(o["entry_grades"]) for o in offerings),
    }
