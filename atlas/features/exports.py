"""Files people take away: CSV (UTF-8 with a BOM, so that Excel reads Cyrillic) and the
zip of the whole dataset."""

import csv
import io
import zipfile

from flask import Response

BOM = "\ufeff"
# A spreadsheet runs a cell that begins with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell that a spreadsheet takes as text, never as a formula: one that begins like a
    formula gets a leading apostrophe (OWASP's advice). Every CSV the site writes goes through
    here; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header, rows):
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def csv_response(filename, header, rows):
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dataset_zip(tables, readme):
    """A zip with one CSV per table: tables is {name: (header, rows)}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, (header, rows) in tables.items():
            archive.writestr(f"{name}.csv", csv_text(header, rows).encode("utf-8"))
    return buffer.getvalue()
