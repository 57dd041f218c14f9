"""The order of words in the book's index: each language's own alphabet.

Python sorts by code point, which puts Kazakh's own letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) after Я and
Ё before А. A reader looks a profession up the way the alphabet is taught at school, so each
letter gets its place in that language's alphabet; anything else (Latin, digits) follows.
"""

KAZAKH = "А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я".split()
RUSSIAN = "А Б В Г Д Е Ё Ж З И Й К Л М Н О П Р С Т У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я".split()
ALPHABETS = {"kk": KAZAKH, "ru": RUSSIAN}
_PLACES = {lang: {letter: i for i, letter in enumerate(letters)} for lang, letters in ALPHABETS.items()}


def sort_key(text, lang):
    """A key that orders text as the language's dictionary does (case and «quotes» aside)."""
    places = _PLACES[lang]
    beyond = len(places)
    key = []
    for char in text.upper():
        if char in places:
            key.append((places[char], ""))
        elif char.isalnum():
            key.append((beyond, char))
        # spaces, hyphens and quotes do not change the order
    return tuple(key)


def first_letter(text, lang):
    """The letter a word is filed under in the index: its first letter of the alphabet, or «#»."""
    for char in text.upper():
        if char in _PLACES[lang]:
            return char
        if char.isalnum():
            return "#"
    return "#"


def index_groups(entries, lang):
    """[(letter, entries)] in the alphabet's order; entries are dicts with a "name"."""
    ordered = sorted(entries, key=lambda entry: (sort_key(entry["name"], lang), entry["name"]))
    groups = []
    for entry in ordered:
        letter = first_letter(entry["name"], lang)
        if not groups or groups[-1][0] != letter:
            groups.append((letter, []))
        groups[-1][1].append(entry)
    return groups
