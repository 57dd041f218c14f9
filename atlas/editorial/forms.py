"""Turning a submitted form into a record's fields, and problems into messages in the
editor's language.

Values are parsed by the same parse_cell as data/'s CSV files; only the editable fields are
read, so a tampered form cannot set `source`, `verified` or another college's data.
"""

import re
from datetime import date

from flask_babel import lazy_gettext

from ..dataset.overlay import places_field, places_year
from ..dataset.sources import INT, TABLES, parse_cell
from ..text import MULTILINE, clean_text, limit_of, too_long
from .records import EDITABLE

LIST_FIELDS = {"languages", "entry_grades", "qualifications", "partners"}
MAX_TEXT = 2000


def form_years(today=None):
    """The years whose state-order places the offering form asks for, newest first: next year's
    (the department announces it before the year starts) and the last three."""
    year = (today or date.today()).year
    return [year + 1, year, year - 1, year - 2]


def places_fields(today=None):
    return [places_field(year) for year in form_years(today)]


def read_form(form, kind):
    """(values, errors) from a request form; errors maps a field to a message."""
    columns = TABLES["colleges" if kind == "college" else "offerings"]
    values, errors = {}, {}
    fields = list(EDITABLE["colleges" if kind == "college" else "offerings"])
    if kind == "offering":
        fields += places_fields()
    for field in fields:
        column = columns.get(field, INT)  # places_<year> are whole numbers
        if field in LIST_FIELDS:
            values[field] = sorted({clean_text(v) for v in form.getlist(field) if clean_text(v)})
            continue
        raw = form.get(field, "")
        if field == "website":
            raw = complete_website(raw)
        raw = clean_text(raw[:MAX_TEXT * 4], multiline=field in MULTILINE)
        if too_long(field, raw):
            errors[field] = too_long_message(field)
            values[field] = raw[:limit_of(field)]
            continue
        try:
            values[field] = parse_cell(raw, column)
        except ValueError as error:
            errors[field] = translate(str(error))
            values[field] = raw.strip()
    if kind == "college":
        values["partners"] = sorted({clean_text(v) for v in form.getlist("partners") if clean_text(v)})
        names = [(clean_text(kk[:MAX_TEXT]), clean_text(ru[:MAX_TEXT]))
                 for kk, ru in zip(form.getlist("new_partner_kk"), form.getlist("new_partner_ru"))]
        if any(too_long("new_partner", name) for pair in names for name in pair):
            errors["new_partners"] = too_long_message("new_partner")
        values["new_partners"] = [{"name_kk": kk[:limit_of("new_partner")], "name_ru": ru[:limit_of("new_partner")]}
                                  for kk, ru in names if kk or ru]
    return values, errors


def too_long_message(field):
    return lazy_gettext("This text is too long: at most %(num)s characters.", num=limit_of(field))


WEB_ADDRESS = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$")


def complete_website(raw):
    """An address typed as people type it ("college.kz", "www.college.kz/ru") gets its https://;
    anything else is left for the build's check to name."""
    text = raw.strip()
    if text.startswith("//"):
        text = text[2:]
    if text and "://" not in text and WEB_ADDRESS.match(text):
        return "https://" + text
    return raw


# The build's messages (checks.py, sources.parse_cell), as the editor reads them.
MESSAGES = [
    (r"^is empty; write it", lazy_gettext("Write this in both languages.")),
    (r"^is empty while the other language is filled", lazy_gettext("Fill this in both languages, or leave both empty.")),
    (r"^is empty$", lazy_gettext("This field is required.")),
    (r"^'(?P<value>.*)' is not in data/", lazy_gettext("“%(value)s” is not in the atlas's list; choose from the list.")),
    (r"^'(?P<value>.*)' is not a qualification of", lazy_gettext("“%(value)s” is not a qualification of this specialty.")),
    (r"must be 9 or 11$", lazy_gettext("Entry is after grade 9 or grade 11.")),
    (r"must be kk, ru or en$", lazy_gettext("Choose Kazakh, Russian or English.")),
    (r"is out of range \(0 to 5000\)$", lazy_gettext("Enter a number from 0 to 5000.")),
    (r"is not a study length", lazy_gettext("Enter the study length in months, from 6 to 60.")),
    (r"^give both lat and lon", lazy_gettext("Give both latitude and longitude, or neither.")),
    (r"^the coordinates are outside", lazy_gettext("This point is outside East Kazakhstan region.")),
    (r"^must start with http", lazy_gettext("Write the address starting with http:// or https://.")),
    (r"^is not a web address", lazy_gettext("This is not a web address: write it as https://example.kz.")),
    (r"^write it as \+7", lazy_gettext("Write the phone as +7 followed by the number.")),
    (r"^is not an e-mail address", lazy_gettext("This is not an e-mail address.")),
    (r"^is longer than", lazy_gettext("This text is too long.")),
    (r"is not a whole number$", lazy_gettext("Enter a whole number.")),
    (r"is not a number$", lazy_gettext("Enter a number, such as 49.95.")),
    (r"is not yes or no$", lazy_gettext("Choose yes or no.")),
]


def translate(message):
    """The editor's-language version of a build message (the English one if it is new)."""
    for pattern, text in MESSAGES:
        found = re.search(pattern, message)
        if found:
            return text % found.groupdict() if found.groupdict() else text
    return message


def errors_from(problems):
    errors = {}
    for field, problem in problems:
        errors.setdefault(field or "form", translate(problem.message))
    return errors


class Labels(dict):
    """The label of each editable field; a `places_<year>` field of any year has one too, so that
    a change carrying an older or a newer year reads as well as the form's own years."""

    def __missing__(self, field):
        year = places_year(field)
        if year is None:
            raise KeyError(field)
        return lazy_gettext("State-order places, %(year)s", year=year)

    def __contains__(self, field):
        return dict.__contains__(self, field) or places_year(field) is not None

    def including(self, fields):
        """A copy that also lists these places fields, for templates that loop over the labels."""
        return Labels({**self, **{field: self[field] for field in fields}})


FIELD_LABELS = Labels({
    "name_kk": lazy_gettext("Name in Kazakh"), "name_ru": lazy_gettext("Name in Russian"),
    "address_kk": lazy_gettext("Address in Kazakh"), "address_ru": lazy_gettext("Address in Russian"),
    "phone": lazy_gettext("Phone"), "website": lazy_gettext("Website"), "email": lazy_gettext("E-mail"),
    "lat": lazy_gettext("Latitude"), "lon": lazy_gettext("Longitude"), "languages": lazy_gettext("Languages of instruction"),
    "dormitory": lazy_gettext("Dormitory"), "school_college_track": lazy_gettext("School + college track"),
    "description_kk": lazy_gettext("Description in Kazakh"), "description_ru": lazy_gettext("Description in Russian"),
    "partners": lazy_gettext("Dual-training partners"), "new_partners": lazy_gettext("New partners"),
    "qualifications": lazy_gettext("Qualifications"), "entry_grades": lazy_gettext("Entry after grade"),
    "study_months": lazy_gettext("Study length, months"), "paid_places": lazy_gettext("Paid places"),
    "dual": lazy_gettext("Dual training"),
})
