"""`atlas import state-order`: the education department's yearly state-order table, in one step.

reader.py turns a CSV or XLSX file into rows (refusing hostile files before parsing them), plan.py
checks every row and compares the file with the current data, and record() below writes the plan
as approved changes of the editing area, which go public at the next `atlas publish`. Nothing is
written unless every row is valid, and a dry run writes nothing at all.
"""

from datetime import date

from . import plan as planning
from . import reader
from .reader import FileRefused


def prepare(name, content, data):
    """(changes, problems) for a file: problems are plan.Problem; a refused file raises FileRefused."""
    rows, _ = reader.read(name, content)
    return planning.plan(rows, data)


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
