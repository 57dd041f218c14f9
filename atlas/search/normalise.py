"""Text normalisation for search: the index and the query go through the same functions, so a
word matches however it was typed - Kazakh Cyrillic with or without the Kazakh layout, any of the
Kazakh Latin alphabets (2017 apostrophes, 2018 acute accents, 2021 Turkic letters), plain ASCII,
Russian in Cyrillic or Latin, or the right letters on the wrong keyboard layout.

The heart is skeleton(): one ASCII key per word that collapses every letter pair the alphabets
disagree on. Decisions where the alphabets conflict (callers need not know them, only that
both sides must use skeleton()):
  * y is ы (2018, 2021, ASCII) -> "i", like и й і ı; the 2017 bare y (= у) is not supported.
    ý is у (2018) -> "u", like ұ ү ū ü ú.
  * w -> "v" (as в); x -> "h": chat-style Latin writes х as x (texnik = техник).
  * ш ч щ ş ç č sh ch all -> "sh" (2021 spells both ш and ч as ş); c and ц/ts -> "c" (2021's
    ц -> s is not matched); ж j zh -> "j"; х һ h kh -> "h"; gh -> "g"; "ng" stays n+g.
  * ъ ь vanish, ю -> "iu", я -> "ia"; doubled letters collapse (сс, şş/щ), and "s"+"sh" -> "sh"
    (qurylysshy = құрылысшы). Digits are kept as they are, never collapsed.
  * The 2017 letter+apostrophe (a' g' n' o' u' s' c' i' y') is merged by fold() when a letter
    follows, so that words() keeps "o'skemen" whole; a word-final "s'" stays "s".
  * fold() lowers ASCII "I" to "i", not Turkic "ı" (it is English and ASCII Kazakh too);
    skeleton() unites i and ı anyway. Only "İ" needs care: it becomes "i" without a dot mark.
"""

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "words", "skeleton", "skeleton_text", "strip_kazakh_suffixes", "russian_stem",
           "query_variants", "index_words", "layout_variants", "is_code_like", "normalise_code"]


class _LazyTable(dict):
    """A str.translate table that computes a code point's value on first sight and keeps it:
    one C-speed translate per word instead of a Python call per character."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, code):
        value = self[code] = self.compute(chr(code))
        return value


# --- fold -----------------------------------------------------------------------------------

_APOSTROPHES = "'’ʼʻ`´‘"
_APOSTROPHE_LETTER = re.compile(r"([agnouscyiAGNOUSCYI])[%s](?=[^\W\d_])" % _APOSTROPHES)
_APOSTROPHE_MAP = dict(zip("agnouscyiAGNOUSCYI", "äğñöüşçyiÄĞÑÖÜŞÇYI"))
_DROPPED_MARKS = {0x0307} | set(range(0xFE00, 0xFE10))  # İ's stray dot, emoji variation selectors


def _fold_char(ch: str) -> str:
    """One character's folded form. İ is handled before lower(), which would give i + U+0307;
    controls and zero-width characters vanish (they split nothing), other non-letters are gaps."""
    if ch == "İ":
        return "i"
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Me") or ord(ch) in _DROPPED_MARKS:
        return ""
    if category[0] in "LM" or category == "Nd":
        return "".join("е" if c == "ё" else c for c in ch.lower())
    return " "


_FOLD_TABLE = _LazyTable(_fold_char)


def fold(text: str) -> str:
    """Canonical lower-case form: NFC, Turkic-safe lower case, ё -> е, 2017 apostrophe letters
    merged, everything but letters and digits a single space."""
    if any(a in text for a in _APOSTROPHES):
        text = _APOSTROPHE_LETTER.sub(lambda m: _APOSTROPHE_MAP[m.group(1)], text)
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD_TABLE).split())


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


# --- skeleton -------------------------------------------------------------------------------

# "S" is a placeholder for the "sh" key: one letter, so that doubled ш/şş/щ collapse like others.
_SKELETON_MAP = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "j", "з": "z", "и": "i", "й": "i", "і": "i", "ы": "i", "к": "k", "қ": "k", "л": "l",
    "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "c", "ч": "S", "ш": "S",
    "щ": "S", "ъ": "", "ь": "", "э": "e", "ю": "iu", "я": "ia", "є": "e", "ї": "i", "ґ": "g",
    "ў": "u", "q": "k", "w": "v", "x": "h", "y": "i", "ı": "i", "ý": "u", "ş": "S", "ç": "S",
    "č": "S", "š": "S", "ž": "j", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
}
_DIGRAPHS = (("sh", "S"), ("ch", "S"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("ts", "c"))
_DOUBLED = re.compile(r"([a-zA-Z])\1+")


def _skeleton_char(ch: str) -> str:
    """A character's key: the table above, else its ASCII base letter (é -> e, ǵ -> g),
    else itself (other scripts stay searchable as they are)."""
    if ch in _SKELETON_MAP or ch.isascii():
        return _SKELETON_MAP.get(ch, ch)
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii()).lower()
    return "".join(_SKELETON_MAP.get(c, c) for c in base) if base else ch


_SKELETON_TABLE = _LazyTable(_skeleton_char)


@lru_cache(maxsize=1 << 16)
def _skeleton_folded(word: str) -> str:
    """skeleton() of an already folded word (the hot path of index building)."""
    key = _DOUBLED.sub(r"\1", word.translate(_SKELETON_TABLE))
    for digraph, letter in _DIGRAPHS:
        if digraph in key:
            key = key.replace(digraph, letter)
    return _DOUBLED.sub(r"\1", key.replace("sS", "S")).replace("S", "sh")


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """The language-neutral ASCII key of one word (raw or folded; separators inside are
    dropped, so pass single words - see words())."""
    return _skeleton_folded(fold(word).replace(" ", ""))


def skeleton_text(text: str) -> str:
    """The space-joined skeletons of a raw text's words."""
    return " ".join(index_words(text))


def index_words(text: str) -> list[str]:
    """What the index stores for a raw text: the skeleton of every word."""
    return [key for key in map(_skeleton_folded, words(text)) if key]


# --- Kazakh suffixes ------------------------------------------------------------------------

_VOWELS = "аәеёиоөуұүыіэюя"
_HARD = "кқпстфхцчшщбвгдһ"  # take the т-/қ-/к-/п- forms of a suffix
_VOICED = "лмнңжзруй"
_SUFFIX_RULES = (  # (suffixes, letters the stem may end with: Kazakh's sound harmony)
    ("лар лер лық лік", _VOWELS + "руй"),
    ("дар дер дық дік", "лмнңжз"),
    ("тар тер тық тік тың тің ты ті та те тан тен қа ке пен тағы тегі", _HARD),
    ("дың дің ды ді", _VOICED),
    ("да де ға ге дағы дегі", _VOWELS + _VOICED),
    ("дан ден", _VOWELS + "лжзруй"),
    ("ның нің ны ні", _VOWELS),
    ("нан нен", "мнңыі"),
    ("на не нда нде ндағы ндегі н", "ыі"),
    ("мен", _VOWELS + "лмнңруй"),
    ("бен", "жз"),
    ("ым ім ың ің ымыз іміз ыңыз іңіз", _HARD + _VOICED),
    ("ы і", _HARD.translate(str.maketrans("", "", "шщчхһ")) + _VOICED),  # not the agent -шы
    ("сы сі мыз міз ңыз ңіз", _VOWELS),
    ("а е", "мң"),
)
_MIN_STEM = 3  # Kazakh roots are often 3 letters: жол-дар, жер-де
_LONGER_STEM = {  # suffixes that also end common words need a longer stem
    **dict.fromkeys(("лық", "лік", "дық", "дік", "тық", "тік"), 6),  # мамандық is not маман
    **dict.fromkeys(("мен", "бен", "пен"), 5),  # Өскемен is not Өске + мен
}
_PLAIN = str.maketrans("әғқңөұүһі", "агкноуухи")  # Kazakh typed on a Russian layout


def _suffix_table(convert) -> tuple[dict, dict]:
    """suffix -> letters allowed before it, and suffix -> shortest stem, with every suffix in
    the forms convert() gives (as typed without the Kazakh letters, or as a skeleton)."""
    allowed: dict[str, set] = {}
    for suffixes, before in _SUFFIX_RULES:
        for suffix in suffixes.split():
            for form, letters in convert(suffix, before):
                allowed.setdefault(form, set()).update(letters)
    longer = {form: n for s, n in _LONGER_STEM.items() for form, _ in convert(s, "")}
    return allowed, longer


_CYRILLIC_SUFFIXES = _suffix_table(lambda s, a: ((s, a), (s.translate(_PLAIN), a.translate(_PLAIN))))
_SKELETON_SUFFIXES = _suffix_table(
    lambda s, a: ((_skeleton_folded(s), {_skeleton_folded(c)[-1:] for c in a} - {""}),))


def _strip(word: str, allowed: dict, longer: dict) -> str:
    """Peel suffixes off the end, longest first, while the stem stays long enough and the
    suffix agrees with the letter before it."""
    while True:
        for size in (5, 4, 3, 2, 1):
            suffix, stem = word[-size:], word[:-size]
            letters = allowed.get(suffix)
            if letters and len(stem) >= longer.get(suffix, _MIN_STEM) and stem[-1] in letters:
                word = stem
                break
        else:
            return word


@lru_cache(maxsize=1 << 16)
def strip_kazakh_suffixes(word: str) -> str:
    """The Kazakh stem of a Cyrillic word (жүргізушілерге -> жүргізуші, жургизушилерге ->
    жургизуши); a light stripper for query recall, not a morphological analyser."""
    return _strip(fold(word).replace(" ", ""), *_CYRILLIC_SUFFIXES)


# --- Russian --------------------------------------------------------------------------------

_RUSSIAN_WORD = re.compile(r"[а-я]+")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LATIN = re.compile(r"[a-z]")


@lru_cache(maxsize=1)
def _russian_stemmer():
    """Created on first use: importing the module stays cheap."""
    import snowballstemmer
    return snowballstemmer.stemmer("russian")


@lru_cache(maxsize=1 << 16)
def russian_stem(word: str) -> str:
    """The Snowball Russian stem of an all-Russian-letter word; anything else (Latin, digits,
    words with Kazakh letters) is returned unchanged."""
    folded = word.lower().replace("ё", "е")
    if not _RUSSIAN_WORD.fullmatch(folded):
        return word
    return _russian_stemmer().stemWord(folded)


@lru_cache(maxsize=1 << 16)
def query_variants(word: str) -> tuple[str, ...]:
    """Distinct skeletons to try as FTS5 prefixes for one query word, most specific first.
    Remembered like the stems it is made of: a search asks for a word's variants in five
    places (the match, whether the word is known, a name, the rerank, the highlighting)."""
    folded = fold(word).replace(" ", "")
    if not folded:
        return ()
    base = _skeleton_folded(folded)
    candidates = [base, _skeleton_folded(russian_stem(folded)),
                  _skeleton_folded(strip_kazakh_suffixes(folded))]
    if not _CYRILLIC.search(folded):  # Latin-typed Kazakh: strip in skeleton form
        candidates.append(_strip(base, *_SKELETON_SUFFIXES))
    variants: list[str] = []
    for variant in candidates:
        if variant and variant not in variants and (len(variant) >= 3 or variant == base):
            variants.append(variant)
    return tuple(variants)


# --- keyboard layouts -----------------------------------------------------------------------

_EN_KEYS, _RU_KEYS = ("`qwertyuiop[]asdfghjkl;'zxcvbnm,./~{}:\"<>?@#$^&",
                      "ёйцукенгшщзхъфывапролджэячсмитьбю.ёхъжэбю,\"№;:?")
_EN_TO_RU = str.maketrans(_EN_KEYS, _RU_KEYS)
_KAZAKH_KEYS = "2345890-="  # the Kazakh layout's number row: ә і ң ғ ү ұ қ ө һ
_EN_TO_KK = str.maketrans(_EN_KEYS + _KAZAKH_KEYS, _RU_KEYS + "әіңғүұқөһ")
_RU_TO_EN = str.maketrans({ru: en for en, ru in zip(_EN_KEYS[:34], _RU_KEYS[:34])
                           if en.isalpha() or en == "'"})
_CYRILLIC_VOWELS, _LATIN_VOWELS = "аеиоуыэюяәөұүі", "aeiouy"


def _plausible(text: str, vowels: str) -> bool:
    """A conversion is worth trying if every word has a vowel, does not glue letters to digits
    and does not start with ь/ъ (no Russian or Kazakh word does)."""
    tokens = text.split()
    return bool(tokens) and all(
        any(c in vowels for c in t) and not any(c.isdigit() for c in t) and t[0] not in "ьъ"
        for t in tokens if not t.isdigit())


def layout_variants(text: str) -> list[str]:
    """The query as meant when typed on the wrong keyboard layout (folded), plausible ones only:
    English keys meant as Russian/Kazakh, Kazakh number-row keys, Cyrillic meant as English."""
    low = unicodedata.normalize("NFC", text).replace("İ", "i").lower()
    has_latin, has_cyrillic = bool(_LATIN.search(low)), bool(_CYRILLIC.search(low))
    candidates = []
    if has_latin and not has_cyrillic:
        tokens = low.split()  # Kazakh number-row keys inside a word: the likelier reading first
        if any(_LATIN.search(t) and any(k in t for k in _KAZAKH_KEYS) for t in tokens):
            kazakh = " ".join(t.translate(_EN_TO_KK if _LATIN.search(t) else _EN_TO_RU)
                              for t in tokens)  # digits standing alone stay digits
            candidates.append((fold(kazakh), _CYRILLIC_VOWELS))
        candidates.append((fold(low.translate(_EN_TO_RU)), _CYRILLIC_VOWELS))
    elif has_cyrillic and not has_latin and all(
            ord(c) in _RU_TO_EN for c in low if c.isalpha()):
        candidates.append((fold(low.translate(_RU_TO_EN)), _LATIN_VOWELS))
    original, variants = fold(text), []
    for variant, vowels in candidates:
        if variant != original and variant not in variants and _plausible(variant, vowels):
            variants.append(variant)
    return variants


# --- classifier codes -----------------------------------------------------------------------

# Cyrillic look-alikes (А В С) and the same keys on the Russian layout (Ф И Ы Ц) in a prefix.
_PREFIX_LOOKALIKES = str.maketrans("АВСФИЫЦШ", "ABSABSWW")
_CODE = re.compile(r"(3W|4S|5AB)?[\s.\-]*([0-9](?:[\s.\-]*[0-9]){1,7})")
_BROAD_FIELDS = {f"{n:02d}" for n in range(11)}  # ISCED-F 2013 broad fields 00-10
_NON_DIGITS = re.compile(r"\D")


def normalise_code(text: str) -> str | None:
    """A TVET classifier code (or its start) as "4S04110102" / "0724", else None. Without a level
    prefix at least 4 digits (an ISCED-F field, 0724) so that numbers and years are not codes;
    with 3W / 4S / 5AB at least 2. The first two digits must be a broad field, 00-10."""
    match = _CODE.fullmatch(text.strip().upper().translate(_PREFIX_LOOKALIKES))
    if not match:
        return None
    prefix, digits = match.group(1) or "", _NON_DIGITS.sub("", match.group(2))
    if len(digits) < (2 if prefix else 4) or digits[:2] not in _BROAD_FIELDS:
        return None
    return prefix + digits


def is_code_like(text: str) -> bool:
    """Whether the text is a classifier code or the start of one (see normalise_code)."""
    return normalise_code(text) is not None
