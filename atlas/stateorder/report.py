"""The import's report in the reader's language: the same lines for the terminal and the web page.

A report starts with the summary (rows, what would be created or changed, names matched loosely),
then what needs a decision, then the row-by-row problems, then the changes themselves.
"""

from flask_babel import force_locale, get_locale, gettext, lazy_gettext, ngettext

from ..dataset.sources import LANGS
from .reader import Columns

# The columns of the department's tables that the editing forms do not have (a college's town is
# the build's to check, not a college's to edit); the others read as the forms name them.
TABLE_LABELS = {
    "town": lazy_gettext("Town"), "year": lazy_gettext("Year"), "college": lazy_gettext("College"),
    "bin": lazy_gettext("BIN"), "short_name": lazy_gettext("Short name"),
    "college_name_kk": lazy_gettext("College's name in Kazakh"),
    "college_name_ru": lazy_gettext("College's name in Russian"),
    "specialty_code": lazy_gettext("Specialty code"),
    "specialty_name_kk": lazy_gettext("Specialty's name in Kazakh"),
    "specialty_name_ru": lazy_gettext("Specialty's name in Russian"),
    "qualification_codes": lazy_gettext("Qualification codes"),
    "qualification_name_kk": lazy_gettext("Qualification's name in Kazakh"),
    "qualification_name_ru": lazy_gettext("Qualification's name in Russian"),
    "language": lazy_gettext("Language of instruction"), "places": lazy_gettext("State-funded places"),
    "entry_grade": lazy_gettext("Entry after grade"),
    "months_after_9": lazy_gettext("Study length after grade 9, months"),
    "months_after_11": lazy_gettext("Study length after grade 11, months"),
}


def label(field):
    """A field as the editing area's forms name it (or one of the tables' own columns), in the
    reader's language."""
    from ..editorial.readable import field_label

    return str(TABLE_LABELS[field]) if field in TABLE_LABELS else field_label(field)


def labelled(columns):
    """[(column, its label in the reader's language)], in the order given: the import pages list
    and offer the columns so."""
    return [(column, label(column)) for column in columns]


def named_columns(columns):
    """Each column by the template's name and its label, such as specialty_code «Код специальности»:
    a clerk whose file says «Шифр специальности» sees which it is."""
    return ", ".join(f"{column} «{name}»" for column, name in labelled(columns))


def column_text(column, headers):
    """A problem's column as the clerk's file names it, its letter and header (F «Город»), so that
    the cell is found at a glance; a column the file lacks by its label."""
    if column in headers:
        letter, header = headers[column]
        return f"{letter} «{header}»"
    return label(column)


def names_of(plan):
    """The plan's dataset read in the reader's language (readable.Names), as it would be after the
    import: the colleges, specialties and qualifications the file creates read by name too."""
    from ..editorial.readable import Names

    new = [c for c in plan.changes if c.new]
    created = {
        "colleges": [{"slug": c.college, **c.data} for c in new if c.kind == "college"],
        "specialties": [{"slug": c.specialty, "code": c.specialty, **c.data} for c in new if c.kind == "specialty"],
        "qualifications": [q for c in new if c.kind == "specialty" for q in c.data.get("qualifications") or ()],
    }
    data = {**plan.data, **{key: [*plan.data.get(key, ()), *records] for key, records in created.items()}}
    return Names(data, get_locale().language)


def value_text(names, field, value):
    """A value as its reader reads it: languages, grades, qualifications and a town by name, not
    by code or slug; yes or no; an empty value as a dash."""
    return ", ".join(names.value_lines(field, value)) or "—"


def fields_of(change, names):
    """Before → after of a changed record; only what a new record has."""
    return "; ".join(f"{label(k)}: {value_text(names, k, change.before.get(k))} → {value_text(names, k, v)}"
                     if not change.new else f"{label(k)}: {value_text(names, k, v)}"
                     for k, v in change.data.items() if not change.new or v not in ("", None, []))


def problem_lines(problems, headers=None):
    """One line a problem: its row and its column as the file has them, and what is wrong."""
    headers = headers or {}
    return [gettext("row %(row)s, column %(column)s: %(reason)s", row=p.row, column=column_text(p.column, headers),
                    reason=gettext(p.msgid, **p.params)) for p in problems]


def change_lines(plan):
    """One line a change. A new college or specialty shows its slug or code, and the names it
    brings follow in its fields; any other change names its college and its specialty's code
    and name, those that the same file creates included."""
    names, lines = names_of(plan), []
    for c in plan.changes:
        params = {"college": c.college, "specialty": c.specialty, "fields": fields_of(c, names)}
        if not (c.new and c.kind in ("college", "specialty")):
            params.update(college=names.college(c.college), specialty=names.specialty(c.specialty))
        if c.kind == "specialty":
            lines.append(gettext("New specialty (not yet checked against the classifier): %(specialty)s: %(fields)s",
                                 **params))
        elif c.kind == "college":
            lines.append(gettext("New college: %(college)s: %(fields)s", **params) if c.new else
                         gettext("Changed college: %(college)s: %(fields)s", **params))
        else:
            lines.append(gettext("New offering: %(college)s, %(specialty)s: %(fields)s", **params) if c.new else
                         gettext("Changed: %(college)s, %(specialty)s: %(fields)s", **params))
    return lines


def overview_lines(plan, kind="state-order"):
    """The summary that comes first: what the file holds and what it would do."""
    counts = plan.counts
    lines = [gettext("Rows read: %(rows)s.", rows=counts.get("rows", 0))]
    if kind == "state-order":
        lines.append(gettext("Offerings: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.", **counts))
        lines.append(gettext("Specialties the atlas lacks (created with --create-missing): %(num)s.",
                             num=counts.get("specialties", 0)))
        lines.append(gettext("Colleges the atlas lacks (created with --create-missing): %(num)s.",
                             num=counts.get("colleges", 0)))
    else:
        lines.append(gettext("Colleges: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.", **counts))
    lines.append(gettext("Rows matched by an official name, a BIN or a remembered choice: %(num)s.",
                         num=counts.get("loose", 0)))
    if plan.decisions or plan.conflicts:
        lines.append(gettext("Waiting for a decision: %(names)s names, %(conflicts)s conflicts.",
                             names=len(plan.decisions), conflicts=len(plan.conflicts)))
    return lines


def decision_lines(plan):
    lines = []
    for d in plan.decisions:
        rows = ", ".join(str(r) for r in d.rows[:10]) + ("…" if len(d.rows) > 10 else "")
        if d.candidates:
            lines.append(gettext("«%(value)s» (rows %(rows)s): which college? Candidates: %(candidates)s",
                                 value=d.value, rows=rows, candidates=", ".join(f"{s} ({n}%)" for s, n in d.candidates)))
        elif d.kind == "bin":
            lines.append(gettext("BIN %(value)s (rows %(rows)s) is not the BIN of a college of the atlas: choose the "
                                 "college, or import the department's registry of colleges first", value=d.value,
                                 rows=rows))
        elif d.kind == "specialty":
            lines.append(gettext("Specialty %(value)s (rows %(rows)s) is not in the atlas: create it or map it to "
                                 "one of the atlas", value=d.value, rows=rows))
        else:
            lines.append(gettext("«%(value)s» (rows %(rows)s) is not a college of the atlas yet: choose it among the "
                                 "atlas's colleges, or add it from the department's registry of colleges",
                                 value=d.value, rows=rows))
    return lines


def conflict_lines(plan):
    """One line a conflict, naming the college and the specialty's code and name as change lines do."""
    names = names_of(plan)
    return [gettext("%(college)s, %(specialty)s, %(field)s: the college's approved value %(current)s, the table's "
                    "%(table)s (rows %(rows)s)", college=names.college(c.college),
                    specialty=names.specialty(c.specialty), field=label(c.field),
                    current=value_text(names, c.field, c.current), table=value_text(names, c.field, c.table),
                    rows=", ".join(map(str, c.rows[:10])))
            for c in plan.conflicts]


def unknown_lines(plan):
    return [gettext("Column %(column)s «%(header)s» is not a column the atlas knows: it was ignored.",
                    column=column, header=header) for column, header in plan.unknown]


def summary(changes, problems, dry_run, written=0):
    if problems:
        return ngettext("%(num)d problem found; nothing was written.", "%(num)d problems found; nothing was written.",
                        len(problems))
    if not changes:
        return gettext("Nothing to change: the atlas already has these values.")
    if dry_run:
        return ngettext("Dry run: %(num)d change would be recorded; nothing was written.",
                        "Dry run: %(num)d changes would be recorded; nothing was written.", len(changes))
    return ngettext("Recorded %(num)d approved change; it goes public at the next «atlas publish».",
                    "Recorded %(num)d approved changes; they go public at the next «atlas publish».", written)


def refused_line(error):
    params = {key: named_columns(value) if isinstance(value, Columns) else value for key, value in error.params.items()}
    return gettext("The file was refused: %(reason)s", reason=gettext(error.msgid, **params))


def in_language(lang, function, *args, **kwargs):
    """Run a report function in lang (kk or ru), inside or outside a request."""
    assert lang in LANGS
    with force_locale(lang):
        return function(*args, **kwargs)
