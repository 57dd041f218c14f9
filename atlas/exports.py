"""Files people take away: CSV (UTF-8 with a BOM, so that Excel reads Cyrillic) and the
zip of the whole dataset."""

import csv
import io
import zipfile

from flask import Response

BOM = "\ufeff"


def csv_text(header, rows):
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
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
