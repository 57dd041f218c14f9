"""Which college of the atlas a row of a department's table means, as clerks write college names.

A department writes a college by its official long name (`КГКП «…» управления образования ВКО`,
`ШҚО білім басқармасының «…» КМҚК`), by its everyday name, its atlas slug or its BIN. Both
imports (the colleges registry and the state-order table) match the same way, in this order:
a remembered choice of the administrator, the BIN, the slug or exact name, the name with its
legal-form wrappers removed, and last a close fuzzy match. A fuzzy match, or a name that fits
two colleges, is never taken on its own: it comes back with its candidates for a decision.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# Legal forms and the department's own name around a college's name, lowercase, longest first.
WRAPPERS = sorted([
    "коммунальное государственное казенное предприятие", "государственное коммунальное казенное предприятие",
    "коммунальное государственное предприятие на праве хозяйственного ведения",
    "коммуналдық мемлекеттік қазыналық кәсіпорны", "коммуналдық мемлекеттік қазыналық кәсіпорын",
    "шаруашылық жүргізу құқығындағы коммуналдық мемлекеттік кәсіпорны",
    "товарищество с ограниченной ответственностью", "жауапкершілігі шектеулі серіктестігі",
    "акционерное общество", "акционерлік қоғамы", "частное учреждение", "жеке мекеме", "мекемесі",
    "управления образования восточно-казахстанской области", "управления образования акимата восточно-казахстанской области",
    "управления образования акимата вко", "управления образования вко", "управление образования вко",
    "шығыс қазақстан облысы білім басқармасының", "шығыс қазақстан облысының білім басқармасының",
    "шқо әкімдігінің білім басқармасының", "шқо білім басқармасының", "шқо білім басқармасы",
], key=len, reverse=True)
WRAPPER = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in WRAPPERS) + r")(?![\w-])")
# Abbreviated legal forms, only in capitals: «Ақ жол» is a name, «АҚ» a joint-stock company.
ABBREVIATIONS = re.compile(r"(?<![\w-])(КГКП|ГККП|КГП на ПХВ|КГП|РГКП|КМҚК|ШЖҚ КМК|ШЖҚ РМК|КММ|КГУ|ТОО|ЖШС|АО|АҚ|ЧУ|"
                           r"ГУ|ММ|НАО|КЕАҚ)(?![\w-])")
QUOTES = "«»“”„‟\"'‘’‚‛‹›`"
QUOTED = re.compile(r"[«“„\"‹']\s*(.+)[»”“\"›']")
FUZZY_FLOOR = 85  # below this a name is not even a candidate (token set ratio)
MAX_CANDIDATES = 3


def fold(text):
    """Case, ё/е, width forms and spaces folded: the exact-name comparison."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("ё", "е")
    return " ".join(text.split())


def normalise_name(text):
    """A college name without its legal form, its quotes and the department's name around it.

    «КГКП «Усть-Каменогорский высший политехнический колледж» управления образования ВКО» and
    «Усть-Каменогорский высший политехнический колледж» normalise to the same text."""
    text = fold(ABBREVIATIONS.sub(" ", unicodedata.normalize("NFKC", str(text))))
    quoted = QUOTED.search(text)
    if quoted and len(quoted.group(1)) > 3:
        text = quoted.group(1)  # the official form puts the name itself in quotes
    text = WRAPPER.sub(" ", text)
    text = "".join(" " if ch in QUOTES or (not ch.isalnum() and ch not in "-") else ch for ch in text)
    return " ".join(text.replace(" - ", " ").split()).strip("- ")


def plain_name(text):
    """A college's name as people write it, from its official form: what is in the quotes, else
    the text without legal forms, in its own case («Усть-Каменогорский высший политехнический колледж»)."""
    text = " ".join(ABBREVIATIONS.sub(" ", unicodedata.normalize("NFKC", str(text))).split())
    quoted = QUOTED.search(text)
    if quoted and len(quoted.group(1)) > 3:
        text = quoted.group(1)
    else:
        text = re.sub(WRAPPER.pattern, " ", text, flags=re.IGNORECASE)
        text = "".join(" " if ch in QUOTES else ch for ch in text)
    return " ".join(text.split()).strip(" -,.")


def bin_valid(value):
    """Kazakhstan's BIN/IIN: 12 digits, the last a check digit over the first 11 with weights
    1..11; when that remainder is 10, a second pass with weights 3..11, 1, 2; 10 again means
    the number is invalid."""
    digits = str(value).strip()
    if not re.fullmatch(r"\d{12}", digits):
        return False
    numbers = [int(d) for d in digits]
    check = sum(w * d for w, d in zip(range(1, 12), numbers)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], numbers)) % 11
        if check == 10:
            return False
    return check == numbers[11]


def bin_of(value):
    """A BIN cell as 12 digits: a spreadsheet may have made it a number and dropped leading zeros."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:012d}"
    return re.sub(r"[\s\u00a0-]", "", str(value))


@dataclass
class Match:
    """slug when the name is decided; else candidates [(slug, score)] for the administrator."""
    slug: str | None
    how: str  # mapping, bin, exact, official, fuzzy, ambiguous, none
    candidates: list = field(default_factory=list)


class CollegeIndex:
    """The atlas's colleges (and those a file is about to create) by every name a table may use.

    remembered: {"college": {normalised name: slug}, "bin": {bin: slug}} from the editing database."""

    def __init__(self, colleges, remembered=None):
        remembered = remembered or {}
        self.by_mapping = dict(remembered.get("college", {}))
        self.by_bin = dict(remembered.get("bin", {}))
        self.exact, self.normal = {}, {}
        self.names = {}
        for college in colleges:
            self.add(college["slug"], college.get("name_kk"), college.get("name_ru"))
        for name, slug in remembered.get("official", {}).items():
            self.normal.setdefault(name, set()).add(slug)

    def add(self, slug, *names):
        self.exact.setdefault(fold(slug), set()).add(slug)
        for name in names:
            if name:
                self.exact.setdefault(fold(name), set()).add(slug)
                normal = normalise_name(name)
                self.normal.setdefault(normal, set()).add(slug)
                self.names.setdefault(normal, set()).add(slug)

    def match(self, name="", bin_number=""):
        if bin_number and bin_number in self.by_bin:
            return Match(self.by_bin[bin_number], "bin")
        normal = normalise_name(name) if name else ""
        if normal in self.by_mapping:
            return Match(self.by_mapping[normal], "mapping")
        for table, how in ((self.exact, "exact"), (self.normal, "official")):
            found = table.get(fold(name) if how == "exact" else normal, set())
            if len(found) == 1:
                return Match(next(iter(found)), how)
            if len(found) > 1:
                return Match(None, "ambiguous", [(slug, 100) for slug in sorted(found)])
        if not normal:
            return Match(None, "none")
        candidates = {}
        for choice, score, _ in process.extract(normal, list(self.names), scorer=fuzz.token_set_ratio,
                                                limit=MAX_CANDIDATES * 2, score_cutoff=FUZZY_FLOOR):
            for slug in self.names[choice]:
                candidates[slug] = max(candidates.get(slug, 0), round(score))
        ranked = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        if not ranked:
            return Match(None, "none")
        return Match(None, "ambiguous" if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 3 else "fuzzy", ranked)


def town_slug(text, towns):
    """The slug of data/towns.csv that a table's «Город/район» names («г. Риддер», «Риддер қ.», «ridder»), else ''."""
    text = re.sub(r"^(г|город|қ|қала)\.?\s+|\s+(қ|қаласы|г)\.?$", "", fold(text)).strip()
    return next((t["slug"] for t in towns if text and text in (t["slug"], fold(t["name_kk"]), fold(t["name_ru"]))), "")


def town_names(towns):
    """The towns of the atlas in both languages («Өскемен / Усть-Каменогорск»), for a message."""
    return ", ".join(t["name_kk"] if t["name_kk"] == t["name_ru"] else f"{t['name_kk']} / {t['name_ru']}" for t in towns)


CYRILLIC = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye"))
CYRILLIC.update({"х": "kh", "ц": "ts", "ё": "e", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ъ": "", "ь": "",
                 "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"})


def slug_of(name, taken, limit=48):
    """A Latin slug from a college's short name, unique among `taken` (which it joins)."""
    text = "".join(CYRILLIC.get(ch, ch) for ch in normalise_name(name))
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-") or "college"
    slug, number = text, 2
    while slug in taken:
        slug, number = f"{text}-{number}", number + 1
    taken.add(slug)
    return slug
