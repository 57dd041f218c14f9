"""One normaliser for every text that an editor or an import writes into the atlas.

Text pasted from a word processor or a PDF brings characters nobody sees: zero-width spaces
and joiners, soft hyphens, byte-order marks, bidi overrides that make a name read backwards,
and control characters that make the Atom feed invalid XML. `clean_text` takes them all out
(they carry no meaning in Kazakh or Russian text), composes letters into their NFC form (so
"й" typed two ways is one letter for search and comparison), keeps line breaks only in
multi-line fields, folds runs of spaces into one and trims the ends. `too_long` and `web_address_problem` say what the
forms and the import refuse. No Flask here: the editing forms, the state-order import and
the build's checks all call it.
"""

import re
import unicodedata
from urllib.parse import urlsplit

# The longest text each field may hold; the forms show these (maxlength and a hint).
LIMITS = {
    "name_kk": 200, "name_ru": 200, "address_kk": 300, "address_ru": 300, "phone": 40, "website": 300,
    "email": 254, "description_kk": 2000, "description_ru": 2000, "partner": 200, "comment": 2000,
}
DEFAULT_LIMIT = 2000
MULTILINE = {"description_kk", "description_ru", "comment"}
LINE_BREAKS = {"\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"}
REMOVED = {"Cc", "Cf", "Cs"}  # controls; format characters (bidi, zero-width, soft hyphen); lone surrogates
NONCHARACTERS = {"\ufffe", "\uffff"}
SPACES = re.compile(" {2,}")  # a removed character or a line break between two spaces leaves one


def clean_text(value, multiline=False):
    """The text as the atlas stores it (see the module's docstring); None stays None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value).replace("\r\n", "\n"))
    kept = []
    for ch in text:
        if ch in LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif ch == "\t":
            kept.append(" ")
        elif ch in NONCHARACTERS or unicodedata.category(ch) in REMOVED:
            continue
        else:
            kept.append(ch)
    text = SPACES.sub(" ", "".join(kept))
    if multiline:
        return "\n".join(line.strip(" ") for line in text.split("\n")).strip()
    return text.strip()


def clean_values(values, field=""):
    """Every text inside a record's values (lists and nested records too) through clean_text."""
    if isinstance(values, dict):
        return {key: clean_values(value, key) for key, value in values.items()}
    if isinstance(values, list):
        return [clean_values(value, field) for value in values]
    if type(values) is str:  # a subclass marks something (a formula cell of an import): left as it is
        return clean_text(values, multiline=field in MULTILINE)
    return values


XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text):
    """Text with the characters XML 1.0 forbids taken out (a safety net for feeds)."""
    return XML_INVALID.sub("", text)


def limit_of(field):
    if field.startswith("new_partner"):
        return LIMITS["partner"]
    return LIMITS.get(field, DEFAULT_LIMIT)


def too_long(field, text):
    return len(text or "") > limit_of(field)


def web_address_problem(url):
    """Why this is not a web address a page may link to (None when it is one): only http and
    https, with a host, and no user name before the host (`https://atlas.kz@evil.example` shows
    one host and opens another)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a web address"
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(("http://", "https://")):
        return "must start with http:// or https://"
    if not parts.hostname or "@" in parts.netloc or any(ch.isspace() for ch in url):
        return "is not a web address"
    return None


def shorten(text, limit):
    """text cut at the last word boundary before limit, without the punctuation the cut left
    at its end, and with an ellipsis when anything was cut (lists and search results)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:—–- ") + "…"
