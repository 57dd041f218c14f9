"""The administrator's decisions about a department's names, remembered for the next file.

When a header, a college name or a specialty code of a table is not one the atlas knows, the
administrator decides once (on the upload page, or in a CSV given to `--mapping`) and the next
file with the same name is read the same way. The decisions live in the editing database, in
their own table (created on the first write, so that a dry run never changes the file):

    kind       value (as folded)          target
    header     код оо                     college        ("" = ignore the column)
    college    колледж болашак            ukvpk          ("+new" = create the college)
    specialty  07159900                   07150500       ("+new" = create the specialty)
    bin        123456789012               ukvpk          (a college's BIN, from the colleges import)
    official   усть-каменогорский ...     ukvpk          (a college's official name, from the same)

The CSV for the CLI has the columns kind, value, target, with the value as the table writes it.
"""

import csv
import io
import sqlite3

from .headers import normalise_header
from .matching import bin_of, normalise_name
from .reader import N_, FileRefused

KINDS = ("header", "college", "specialty", "bin", "official")
NEW = "+new"
SCHEMA = """create table if not exists import_mappings (
    kind text not null, value text not null, target text not null, created_at text not null,
    created_by text not null default '', primary key (kind, value))"""


def key_of(kind, value):
    """The folded form a value is remembered and looked up by."""
    if kind == "header":
        return normalise_header(value)
    if kind in ("college", "official"):
        return normalise_name(value)
    if kind == "bin":
        return bin_of(value)
    return str(value).strip()


def empty():
    return {kind: {} for kind in KINDS}


def load(conn):
    """Every remembered decision as {kind: {folded value: target}}; {} when none was ever made."""
    found = empty()
    try:
        for row in conn.execute("select kind, value, target from import_mappings"):
            if row[0] in found:
                found[row[0]][row[1]] = row[2]
    except sqlite3.OperationalError:  # the table is created by the first decision
        pass
    return found


def save(conn, decisions, who):
    """Remember decisions [(kind, value as written, target)]; a later decision replaces an earlier one."""
    from ..editorial import store

    with store.transaction(conn):
        conn.execute(SCHEMA)
        for kind, value, target in decisions:
            key = key_of(kind, value)
            if kind in KINDS and key:
                conn.execute("insert or replace into import_mappings values (?, ?, ?, ?, ?)",
                             (kind, key, target, store.now(), who))
                store.log(conn, who, "import-mapping", field=kind, before=str(value)[:200], after=target)


def merge(*layers):
    """Later layers win: the database's decisions, then a --mapping file's."""
    merged = empty()
    for layer in layers:
        for kind, values in (layer or {}).items():
            merged.setdefault(kind, {}).update(values)
    return merged


def read_csv(content):
    """(decisions [(kind, value, target)], as {kind: {folded: target}}) from a --mapping CSV."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(N_("The CSV file is not in UTF-8: save it as «CSV UTF-8».")) from None
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ","))
    if not rows or [normalise_header(c) for c in rows[0][:3]] != ["kind", "value", "target"]:
        raise FileRefused(N_("A mapping file needs the header kind, value, target."))
    decisions, table = [], empty()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = [*cells, "", ""][:3]
        kind = cells[0].strip().lower()
        if kind not in KINDS or not cells[1].strip():
            raise FileRefused(N_("Row %(row)s of the mapping file: the kind must be one of %(kinds)s and the value "
                                 "not empty."), row=number, kinds=", ".join(KINDS))
        decisions.append((kind, cells[1].strip(), cells[2].strip()))
        table[kind][key_of(kind, cells[1])] = cells[2].strip()
    return decisions, table


def as_table(decisions):
    table = empty()
    for kind, value, target in decisions:
        table[kind][key_of(kind, value)] = target
    return table
