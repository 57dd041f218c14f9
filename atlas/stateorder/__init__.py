"""`atlas import state-order`: the education department's yearly state-order table, in one step.

reader.py turns a CSV or XLSX file into rows (refusing hostile files before parsing them), plan.py
checks every row and compares the file with the current data, and record() below writes the plan
as approved changes of the editing area, which go public at the next `atlas publish`. Nothing is
written unless every row is valid, and a dry run writes nothing at all.
"""

import io
import zipfile
from datetime import date

from ..text import clean_values
from . import plan as planning
from . import reader
from .reader import N_, FileRefused


def prepare(name, content, data):
    """(changes, problems) for a file: problems are plan.Problem; a refused file raises FileRefused."""
    refuse_damaged_archive(content)
    try:
        rows, _ = reader.read(name, content)
    except FileRefused:
        raise
    except Exception as error:  # a damaged part of an archive fails only when it is read: never a 500
        raise FileRefused(*damage(error)) from None
    rows = [(number, clean_values(row) if isinstance(row, dict) else row) for number, row in rows]
    return planning.plan(rows, data)


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


def source_of(name, today=None):
    """The public source of imported values: the file's name and the import's date."""
    safe = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())[:120]
    return f"{safe}, {(today or date.today()).isoformat()}"


def record(conn, changes, source, who):
    """Write a plan as approved changes of the editing database, in one transaction (a failure
    half-way writes nothing); the only place this package writes. Returns the ids of the changes."""
    from ..editorial import store

    with store.transaction(conn):
        return [store.record_approved_change(conn, college=c.college, kind="offering", record_key=c.specialty,
                                             data=c.data, before=c.before, source=source, who=who)
                for c in changes]


__all__ = ["FileRefused", "prepare", "record", "source_of"]
