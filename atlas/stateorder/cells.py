"""One cell at a time: the values a clerk types, read as the atlas stores them.

Each reader returns the value, or raises Bad(msgid, params) with the reason the report shows
next to the row and the column. Both imports use them.
"""

import re

from ..dataset.checks import PLACES_LIMIT, QUALIFICATION_CODE, SPECIALTY_CODE
from .reader import N_, DateValue, Formula

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
LANGUAGE_WORDS = (("kk", ("kk", "kz", "kaz", "каз", "қаз", "казах", "қазақ")),
                  ("ru", ("ru", "rus", "рус", "орыс")), ("both", ("both", "екі", "оба", "два")))
YES = {"yes", "да", "иә", "ия", "иа", "есть", "бар", "+", "1", "true", "дуальное", "дуальды"}
NO = {"no", "нет", "жоқ", "-", "—", "0", "false"}
LEVEL = re.compile(r"^(?:3W|4S|5AB)$")  # the classifier's levels, as checks.LEVELS has them
LOOKALIKES = str.maketrans("АВСЅWаbсs", "ABSSWABSS")


class Bad(Exception):
    def __init__(self, msgid, **params):
        super().__init__(msgid)
        self.msgid, self.params = msgid, params


def text_of(value):
    """A cell as text; formulas and dates are refused in every column, whatever it holds."""
    if isinstance(value, Formula):
        raise Bad(N_("a formula (%(formula)s): type the value itself"), formula=value[:40])
    if isinstance(value, DateValue):
        raise Bad(N_("a date (%(value)s) where a number or code should be"), value=value[:20])
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def language_of(text):
    """kk when a text has Kazakh letters, else ru: the language of a name typed in one column."""
    return "kk" if KAZAKH_LETTERS & set(text) else "ru"


def number_of(value):
    """A whole number from a cell (text or number), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).replace(" ", "").replace("\u00a0", "")
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else None


def year_of(value, first, last):
    year = number_of(text_of(value))
    if year is None:
        raise Bad(N_("'%(value)s' is not a year"), value=str(value)[:20])
    if not first <= year <= last:
        raise Bad(N_("%(value)s is not a year from %(first)s to %(last)s"), value=year, first=first, last=last)
    return year


def places_of(value):
    places = number_of(value)
    if places is None:
        raise Bad(N_("'%(value)s' is not a whole number"), value=str(value)[:20])
    if places < 0:
        raise Bad(N_("a number of places cannot be negative"))
    if places > PLACES_LIMIT:
        raise Bad(N_("%(value)s places is not plausible (at most %(limit)s)"), value=places, limit=PLACES_LIMIT)
    return places


def languages_of(value):
    """['kk'], ['ru'] or both, from «kk», «both», «каз/рус», «қазақ, орыс», «казахский и русский»..."""
    text = text_of(value).lower()
    found = set()
    for word in re.split(r"[\s,;/+&]+|\bи\b|\bжәне\b", text):
        if not word:
            continue
        language = next((lang for lang, stems in LANGUAGE_WORDS if word.startswith(stems)), None)
        if language is None:
            raise Bad(N_("'%(value)s' must be kk, ru or both"), value=text[:20])
        found.update(["kk", "ru"] if language == "both" else [language])
    if not found:
        raise Bad(N_("'%(value)s' must be kk, ru or both"), value=text[:20])
    return sorted(found)


def grades_of(value):
    """Entry after grade 9, 11 or both: «9», «11», «9, 11», «на базе 9 классов», «9 сынып негізінде»."""
    text = text_of(value)
    grades = sorted(set(re.findall(r"\d+", text)), key=int)
    if not grades or any(g not in ("9", "11") for g in grades):
        raise Bad(N_("'%(value)s' must be 9, 11 or both"), value=text[:30])
    return grades


def months_of(value):
    """A study length in months: «34», «2 г. 10 мес.», «2 года 10 месяцев», «2 жыл 10 ай»."""
    text = text_of(value).lower()
    plain = number_of(text)
    if plain is None:
        found = re.fullmatch(r"(?:(\d+)\s*(?:г|год|года|лет|ж|жыл)\.?)?\s*,?\s*(?:(\d+)\s*(?:м|мес|месяц|месяца|месяцев|ай)\.?)?",
                             text)
        if not found or not any(found.groups()):
            raise Bad(N_("'%(value)s' is not a study length: write the months (34) or «2 г. 10 мес.»"), value=text[:30])
        plain = int(found.group(1) or 0) * 12 + int(found.group(2) or 0)
    if not 6 <= plain <= 60:
        raise Bad(N_("%(value)s months is not a study length (6 to 60)"), value=plain)
    return plain


def yes_no_of(value):
    text = text_of(value).lower().rstrip(".")
    if text in YES:
        return True
    if text in NO:
        return False
    raise Bad(N_("'%(value)s' must be yes or no"), value=text[:20])


def specialty_of(value):
    """(code, name or '') from «07150500», 7150500 (a number that lost its zero) or «07150500 Сварочное дело»."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value):08d}", ""
    text = text_of(value)
    found = re.fullmatch(r"(\d{7,8})\s*[-–—.:)]?\s*(.*)", text)
    if not found:
        raise Bad(N_("'%(value)s' is not a specialty code (8 digits ending in 00)"), value=text[:30])
    code = found.group(1).zfill(8)
    if not SPECIALTY_CODE.match(code):
        raise Bad(N_("'%(value)s' is not a specialty code (8 digits ending in 00)"), value=code)
    return code, found.group(2).strip(" -–—")


def qualifications_of(value):
    """[(code, name or '', level or '')] from «07150501 07150502», «3W07150501 Электрогазосварщик; 4S07150503 Техник»."""
    text = text_of(value)
    pieces = re.split(r"((?:\b[1-5][A-Za-zА-Яа-я]{1,2})?\s?\d{8})", text)
    if pieces[0].strip(" ,;.-–—"):
        raise Bad(N_("'%(value)s' is not a qualification code"), value=pieces[0].strip()[:30])
    found = []
    for coded, name in zip(pieces[1::2], pieces[2::2]):
        level, code = coded[:-8].strip().translate(LOOKALIKES).upper(), coded[-8:]
        if (level and not LEVEL.match(level)) or not QUALIFICATION_CODE.match(code):
            raise Bad(N_("'%(value)s' is not a qualification code"), value=coded.strip()[:30])
        found.append((code, name.strip(" ,;.-–—"), level))
    return found


def bin_cell(value):
    """A BIN as 12 digits with a valid check digit, or Bad."""
    from .matching import bin_of, bin_valid

    number = bin_of(text_of(value) if not isinstance(value, (int, float)) else value)
    if not re.fullmatch(r"\d{12}", number):
        raise Bad(N_("'%(value)s' is not a BIN (12 digits)"), value=number[:20])
    if not bin_valid(number):
        raise Bad(N_("%(value)s is not a valid BIN: its check digit is wrong"), value=number)
    return number
