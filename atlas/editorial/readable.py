"""Changes and history as their reader reads them: actions, fields and values in the page's
language, colleges and specialties by name rather than slug or code.

The history stores what was typed (text, or JSON for lists, numbers and yes/no) and the
changes store records' fields as the build reads them; this module turns both into short
lines of text. No Flask request is needed except for the translations, so the CLI can use it.
"""

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext, ngettext

from .forms import FIELD_LABELS

ACTIONS = {
    "save": lazy_gettext("saved a draft"),
    "submit": lazy_gettext("sent for review"),
    "approve": lazy_gettext("approved"),
    "return": lazy_gettext("returned for changes"),
    "import": lazy_gettext("imported from a file"),
    "publish": lazy_gettext("published"),
    "user-add": lazy_gettext("created an account"),
    "user-disable": lazy_gettext("disabled an account"),
    "user-colleges": lazy_gettext("gave access to colleges"),
    "password-set": lazy_gettext("set a password"),
    "invitation-accepted": lazy_gettext("accepted the invitation"),
}
YES_NO = {"dormitory", "school_college_track", "dual"}
LEVELS = {"3W": lazy_gettext("worker qualification"), "4S": lazy_gettext("mid-level specialist"),
          "5AB": lazy_gettext("applied bachelor")}  # the classifier's levels, as the specialty page names them


def action_label(action):
    """The action in the reader's language; one this module does not know keeps its name."""
    return str(ACTIONS[action]) if action in ACTIONS else action


def field_label(field):
    if not field:
        return ""
    return str(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def decode_cell(text):
    """A history cell back into the value it was written from (see store.cell)."""
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        return text
    if text[:1] in ("[", "{") or text in ("true", "false", "null"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def by_key(rows, key="slug"):
    return {row[key]: row for row in rows or ()}


class Names:
    """Looks up names of colleges, specialties, qualifications, employers and towns in a dataset
    (the one records.current returns), in one language."""

    def __init__(self, data, lang):
        self.lang = lang
        self.colleges = by_key(data.get("colleges"))
        self.specialties = by_key(data.get("specialties"))
        self.by_code = {s["code"]: s for s in data.get("specialties") or () if s.get("code")}
        self.qualifications = by_key(data.get("qualifications"), "code")
        self.employers = by_key(data.get("employers"))
        self.towns = by_key(data.get("towns"))

    def name(self, record):
        other = "ru" if self.lang == "kk" else "kk"
        return record.get(f"name_{self.lang}") or record.get(f"name_{other}") or ""

    def college(self, slug):
        record = self.colleges.get(slug)
        return (self.name(record) if record else "") or slug or ""

    def specialty(self, key):
        """"07140100 Electrical equipment…" from a specialty's slug or code."""
        record = self.specialties.get(key) or self.by_code.get(key)
        if record is None:
            return key or ""
        return " ".join(part for part in (record.get("code") or "", self.name(record)) if part) or key

    def record(self, kind, college, record_key):
        """What a change is about, as one line: "College details" or the specialty's code and name."""
        if kind == "college":
            return _("College details")
        if kind in ("offering", "specialty"):
            return self.specialty(record_key)
        return record_key or ""

    def qualification(self, code):
        record = self.qualifications.get(code)
        return " ".join(part for part in (code, self.name(record) if record else "") if part)

    def employer(self, slug):
        record = self.employers.get(slug)
        return (self.name(record) if record else "") or slug

    def town(self, slug):
        record = self.towns.get(slug)
        return (self.name(record) if record else "") or slug

    def value_lines(self, field, value):
        """A field's value as lines of text; [] when there is no value."""
        if value is None or value == "" or value == [] or value == {}:
            return []
        if isinstance(value, bool) or field in YES_NO and value in ("yes", "no"):
            return [_("yes") if value in (True, "yes") else _("no")]
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            if field in ("languages", "entry_grades", "town"):
                value = [value]
            else:
                return [str(value)]
        return [self.item(field, item) for item in value]

    def item(self, field, item):
        if isinstance(item, dict):
            if "email" in item:  # an account, as the history keeps it
                return item["email"]
            other = "ru" if self.lang == "kk" else "kk"
            name = item.get(f"name_{self.lang}") or item.get(f"name_{other}") or ""
            text = " ".join(part for part in (str(item.get("code") or ""), name) if part)
            level = LEVELS.get(item.get("level") or "")
            if text and level:  # a new qualification: the reviewer sees the level the department gave it
                text = f"{text} ({level})"
            return text or json.dumps(item, ensure_ascii=False)
        if field == "languages":
            return {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}.get(str(item), str(item))
        if field == "entry_grades":
            return _("after grade %(grade)s", grade=item)
        if field == "qualifications":
            return self.qualification(str(item))
        if field == "partners":
            return self.employer(str(item))
        if field == "colleges":
            return self.college(str(item))
        if field == "town":
            return self.town(str(item))
        return str(item)


def history_row(row, names):
    """A history row as the history page shows it."""
    before, after = decode_cell(row["before"]), decode_cell(row["after"])
    field = row["field"]
    if row["action"] in ("user-add", "user-colleges") and isinstance(after, dict):
        lines = [after.get("email", "")] + [names.college(c) for c in after.get("colleges", [])]
        after_lines = [line for line in lines if line]
    else:
        after_lines = names.value_lines(field, after)
    comment = row["comment"]
    if row["action"] == "publish" and comment.split(" ", 1)[0].isdigit():
        count = int(comment.split(" ", 1)[0])
        comment = ngettext("%(num)d approved change", "%(num)d approved changes", count)
    elif row["action"] == "password-set":
        comment = ""  # the account's number, which tells a reader nothing
    return {**row, "comment": comment, "action_label": action_label(row["action"]), "field_label": field_label(field),
            "college_name": names.college(row["college"]) if row["college"] else "",
            "record_name": names.record(row["kind"], row["college"], row["record_key"]) if row["kind"] else "",
            "before_lines": names.value_lines(field, before), "after_lines": after_lines}
