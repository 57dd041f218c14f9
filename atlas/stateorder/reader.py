"""Reading a state-order table (CSV or XLSX) into plain rows, refusing hostile files up front.

Every limit is checked before the file is parsed: its size, and for XLSX (a zip archive) the number
of members, their uncompressed size and compression ratio, so a zip bomb is refused without being
inflated. Rows and columns are counted while reading and the reading stops at the limit, so a huge
sheet never fills memory. Headers are read as clerks write them (headers.py).
"""

import csv
import io
import re
import zipfile
from datetime import date, datetime, time

from . import headers

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 200
MAX_ROWS = 5000
MAX_COLUMNS = 30
COLUMNS = ("year", "college", "specialty_code", "qualification_codes", "language", "places")


class Columns(tuple):
    """Columns a refusal names: the report shows each with its label in the reader's language;
    as plain text, their names as the template has them."""

    def __str__(self):
        return ", ".join(self)


def N_(message):
    """Marks a message for `make translations` (Babel extracts N_ by default); it is translated
    where it is shown, in the language of the report (report.py)."""
    return message


class FileRefused(Exception):
    """The whole file is refused (not a spreadsheet, too big, a zip bomb...): (msgid, params)."""

    def __init__(self, msgid, **params):
        super().__init__(msgid)
        self.msgid, self.params, self.unknown = msgid, params, []

    @classmethod
    def with_headers(cls, unknown, msgid, **params):
        """Refused for a missing column, with the headers it did not know: the upload page offers them
        as choices ("this header is the college column")."""
        error = cls(msgid, **params)
        error.unknown = unknown
        return error


def read(name, content, kind="state-order", remembered=None):
    """(rows, unknown headers, named): rows are (spreadsheet row number, {column: raw value}) after
    the header; named is {column: (column letter, header text)}, how the file names each column.

    name: the uploaded file's name (its extension picks the format); content: its bytes; kind:
    "state-order" or "colleges" (headers.py); remembered: the administrator's header choices."""
    if len(content) > MAX_BYTES:
        raise FileRefused(N_("The file is larger than %(limit)s MB."), limit=MAX_BYTES // (1024 * 1024))
    if not content.strip():
        raise FileRefused(N_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        table = read_xlsx(content)
    elif extension == "csv":
        table = read_csv(content)
    else:
        raise FileRefused(N_("Only .csv and .xlsx files can be imported."))
    return split_header(table, kind, remembered)


def read_csv(content):
    if b"\x00" in content[:4096]:
        raise FileRefused(N_("The file is not a CSV table."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(N_("The CSV file is not in UTF-8: save it as «CSV UTF-8».")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    table = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise FileRefused(N_("The table has more than %(limit)s rows."), limit=MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise FileRefused(N_("The table has more than %(limit)s columns."), limit=MAX_COLUMNS)
            table.append((len(table) + 1, [cell_of(value) for value in cells]))
    except csv.Error:
        raise FileRefused(N_("The file is not a CSV table.")) from None
    return table


def check_archive(content):
    """Refuse a zip bomb or a zip that is not a workbook, from the archive's directory alone."""
    if not content.startswith(b"PK\x03\x04"):
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx).")) from None
    if len(members) > MAX_MEMBERS:
        raise FileRefused(N_("The workbook has too many parts to be a state-order table."))
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED or any(m.file_size > MAX_RATIO * max(m.compress_size, 1) + 4096 for m in members):
        raise FileRefused(N_("The workbook unpacks to far more than its size (a zip bomb?): it was not opened."))
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx)."))
    return archive


MERGE = re.compile(rb"<(\w+:)?mergeCell\b")


def read_xlsx(content):
    archive = check_archive(content)
    for part in archive.namelist():
        if not part.endswith((".xml", ".rels")):
            continue
        body = archive.read(part)  # within the size checked above
        if b"<!ENTITY" in body or b"<!DOCTYPE" in body:  # a workbook never declares entities
            raise FileRefused(N_("The file is not an Excel workbook (.xlsx)."))
        if part.startswith("xl/worksheets/") and MERGE.search(body):
            raise FileRefused(N_("The sheet has merged cells: unmerge them so that every row has its own values."))
    import openpyxl  # imported here: only the import needs it, the site does not

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise FileRefused(N_("The table has more than %(limit)s rows."), limit=MAX_ROWS)
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise FileRefused(N_("The table has more than %(limit)s columns."), limit=MAX_COLUMNS)
        table = []
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if number > MAX_ROWS + 1:
                raise FileRefused(N_("The table has more than %(limit)s rows."), limit=MAX_ROWS)
            values = [cell_of(cell) for cell in cells]
            while values and values[-1] == "":
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise FileRefused(N_("The table has more than %(limit)s columns."), limit=MAX_COLUMNS)
            table.append((number, values))
        return table
    except FileRefused:
        raise
    except Exception:  # a damaged or hostile sheet (entity declarations, bad XML) fails while it is read
        raise FileRefused(N_("The file is not an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


class Formula(str):
    """A cell holding a formula: refused, since the atlas would not know the value it computes."""


class DateValue(str):
    """A cell holding a date or time where the table expects text or a number."""


def cell_of(cell):
    """A cell's raw value: text, a number, or a marker for a formula or a date."""
    value = getattr(cell, "value", cell)
    data_type = getattr(cell, "data_type", None)
    if value is None:
        return ""
    if data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if isinstance(value, (datetime, date, time)) or getattr(cell, "is_date", False):
        return DateValue(str(value))
    if isinstance(value, str):
        return value.strip()
    return value


def split_header(table, kind="state-order", remembered=None):
    """Find the header (the first non-empty row) and map every later row to its columns.

    Returns (rows, unknown, named): unknown is [(column letter, header text)] of columns the table
    does not know, which are ignored; named is {column: (column letter, header text)} of those it
    knows, so that a report points at a cell as the clerk sees it. A missing required column
    refuses the file, naming what was found."""
    table = [(n, cells) for n, cells in table if any(str(c).strip() for c in cells)]
    if not table:
        raise FileRefused(N_("The file is empty."))
    header_row, header = table[0]
    index, unknown, duplicated = headers.resolve(kind, header, remembered)
    missing = [c for c in headers.REQUIRED[kind] if c not in index]
    if missing:
        found = ", ".join(f"«{str(h).strip()}»" for h in header if str(h).strip()) or "—"
        raise FileRefused.with_headers(
            [(letter(position), text) for position, text in unknown],
            N_("Row %(row)s must be the header with the columns %(columns)s; missing: %(missing)s "
               "(the row has: %(found)s)."),
            row=header_row, columns=Columns(headers.REQUIRED[kind]), missing=Columns(missing), found=found[:600])
    if duplicated:
        raise FileRefused(N_("The header repeats the column %(column)s."), column=Columns(sorted(set(duplicated))))
    rows = []
    for number, cells in table[1:]:
        rows.append((number, {c: (cells[i] if i < len(cells) else "") for c, i in index.items()}))
    if not rows:
        raise FileRefused(N_("The table has a header but no rows."))
    named = {column: (letter(position), str(header[position]).strip()[:60]) for column, position in index.items()}
    return rows, [(letter(position), text) for position, text in unknown], named


def letter(position):
    """A spreadsheet's column letter (0 -> A, 26 -> AA)."""
    name = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        name = chr(65 + rest) + name
    return name
