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
                  "towns", "subjects", "sources", "region_figures", "quiz_types", "quiz_statements", "quiz_scale")


@dataclass(frozen=True)
class Finding:
    file: str
    where: str
    field: str
    kind: str  # empty | identical | no-kazakh-letters

    def __str__(self):
        return f"{self.file}: {self.where}: field '{self.field}': {self.kind}"


def as_text(value):
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value or "")


def bilingual_fields(record):
    return sorted({key[:-3] for key in record if key.endswith(("_kk", "_ru"))})


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
    return stats, findings
