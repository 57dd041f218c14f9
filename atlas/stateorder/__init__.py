"""`atlas import state-order` and `atlas import colleges`: the education department's tables, in one step.

reader.py turns a CSV or XLSX file into rows (refusing hostile files before parsing them, reading
headers as clerks write them), matching.py finds the college a row means, plan.py (state order)
and colleges.py (the registry) check every row and compare the file with the current data, and
record() below writes the plan as approved changes of the editing area, which go public at the
next `atlas publish`. Nothing is written unless every row is valid and every decision made, and a
dry run writes nothing at all.
"""

import io
import zipfile
from datetime import date

from ..text import clean_values
from . import plan as planning
from . import reader
from .reader import N_, FileRefused

KINDS = ("state-order", "colleges")
# The provenance of imported values, as stored (provenance.IMPORT_SOURCE reads it back).
TABLE_NAMES = {"state-order": "state-order table", "colleges": "college registry"}


def prepare(name, content, data, kind="state-order", options=None, today=None):
    """The Plan of a file; a refused file raises FileRefused. A Plan unpacks as (changes, problems)."""
    from .colleges import plan_colleges

    options = options or planning.Options()
    refuse_damaged_archive(content)
    try:
        rows, unknown, named = reader.read(name, content, kind, options.remembered.get("header"))
    except FileRefused:
        raise
    except Exception as error:  # a damaged part of an archive fails only when it is read: never a 500
        raise FileRefused(*damage(error)) from None
    rows = [(number, clean_values(row) if isinstance(row, dict) else row) for number, row in rows]
    result = planning.plan(rows, data, today, options) if kind == "state-order" else plan_colleges(rows, data, options)
    result.unknown, result.headers, result.data = unknown, named, data
    return result


def refuse_damaged_archive(content):
    """Refuse, from the zip's directory alone, parts that no workbook saved by a spreadsheet
    program has: an encryption flag, or a compression method other than stored or deflated."""
    if not content.startswith(b"PK\x03\x04"):
        return
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except Exception:
        return  # the reader says what is wrong with it
    if any(member.flag_bits & 0x1 for member in members):
        raise FileRefused(N_("The workbook is encrypted: save a copy without a password and import that."))
    if any(member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for member in members):
        raise FileRefused(N_("The workbook is packed in a way spreadsheet programs do not use: open it in Excel "
                             "or LibreOffice and save it again as .xlsx."))


def damage(error):
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        return (N_("The file is damaged (a part of it fails its checksum): save it again from the spreadsheet "
                   "program, or ask for a new copy."),)
    return (N_("The file is damaged and cannot be read: save it again from the spreadsheet program, or ask "
               "for a new copy."),)


def source_of(name, today=None, who="cli", kind="state-order"):
    """The provenance of imported values: which of the department's tables, its file, the date and who."""
    safe = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())[:120]
    who = "".join(ch for ch in str(who) if ch.isprintable())[:120] or "cli"
    return (f"the education department's {TABLE_NAMES[kind]} {safe}, imported "
            f"{(today or date.today()).isoformat()} by {who}")


def read_source(text):
    from ..provenance import read_import_source

    return read_import_source(text)


def record(conn, result, source, who):
    """Write a plan as approved changes of the editing database, in one transaction (a failure
    half-way writes nothing), with the BINs and official names it taught; the only place this
    package writes. Returns the ids of the changes."""
    from ..editorial import store
    from . import mappings

    changes = result if isinstance(result, list) else result.changes
    with store.transaction(conn):
        ids = [store.record_approved_change(conn, college=c.college, kind=c.kind, record_key=c.specialty,
                                            data=c.data, before=c.before, source=source, who=who)
               for c in changes]
        remembered = getattr(result, "remember", [])
        if remembered:
            mappings.save(conn, remembered, who)
    return ids


__all__ = ["FileRefused", "KINDS", "prepare", "read_source", "record", "source_of"]
