"""The import's report in the reader's language: the same lines for the terminal and the web page."""

from flask_babel import force_locale, gettext, ngettext

from ..sources import LANGS


def describe(value):
    if isinstance(value, list):
        return ", ".join(value) if value else "—"
    return "—" if value is None else str(value)


def fields_of(change):
    return "; ".join(f"{k}: {describe(change.before.get(k))} → {describe(v)}" if not change.new else
                     f"{k}: {describe(v)}" for k, v in change.data.items())


def problem_lines(problems):
    return [gettext("row %(row)s, column %(column)s: %(reason)s", row=p.row, column=p.column,
                    reason=gettext(p.msgid, **p.params)) for p in problems]


def change_lines(changes):
    return [gettext("New offering: %(college)s, %(specialty)s: %(fields)s", college=c.college, specialty=c.specialty,
                    fields=fields_of(c)) if c.new else
            gettext("Changed: %(college)s, %(specialty)s: %(fields)s", college=c.college, specialty=c.specialty,
                    fields=fields_of(c)) for c in changes]


def summary(changes, problems, dry_run, written=0):
    if problems:
        return ngettext("%(num)d problem found; nothing was written.", "%(num)d problems found; nothing was written.",
                        len(problems))
    if not changes:
        return gettext("Nothing to change: the atlas already has these values.")
    if dry_run:
        return ngettext("Dry run: %(num)d offering would change; nothing was written.",
                        "Dry run: %(num)d offerings would change; nothing was written.", len(changes))
    return ngettext("Recorded %(num)d approved change; it goes public at the next «atlas publish».",
                    "Recorded %(num)d approved changes; they go public at the next «atlas publish».", written)


def refused_line(error):
    return gettext("The file was refused: %(reason)s", reason=gettext(error.msgid, **error.params))


def in_language(lang, function, *args, **kwargs):
    """Run a report function in lang (kk or ru), inside or outside a request."""
    assert lang in LANGS
    with force_locale(lang):
        return function(*args, **kwargs)
