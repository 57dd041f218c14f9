"""The administrator's import page, /<lang>/manage/import: upload, see the dry run, apply.

It lives under /<lang>/manage/ so that the editing area's session opens for it, and it reuses the
editing area's CSRF check, private headers and login decorators. An uploaded file is kept under
instance/ by the hash of its content between the dry run and the apply, and re-checked against
the data of that moment before anything is written.
"""

import hashlib
import io
import re
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_login import current_user

from .. import ROOT
from ..editorial import get_conn, records, store
from ..editorial.accounts import admin_required
from ..editorial.web import check_csrf, manage_context, private_headers
from ..i18n import current_language
from . import FileRefused, prepare, record, report, source_of
from .plan import years
from .reader import COLUMNS, MAX_BYTES
from .template import csv_template, xlsx_template

bp = Blueprint("stateorder", __name__, url_prefix="/<lang>/manage/import")
bp.before_request(check_csrf)
bp.after_request(private_headers)
bp.context_processor(manage_context)
DIGEST = re.compile(r"^[0-9a-f]{64}$")
EXTENSIONS = ("csv", "xlsx")


KEEP_SECONDS = 24 * 3600


def uploads():
    """The folder of files waiting between their dry run and their apply; a file not applied
    within a day is removed, so abandoned uploads do not pile up."""
    folder = Path(current_app.config.get("STATE_ORDER_UPLOADS") or ROOT / "instance" / "state-order-uploads")
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def current_data():
    return records.current(current_app.config["DATA_DIR"], store.approved_changes(get_conn()))


def check(name, content):
    """The report of a file as the page shows it: (changes, problem lines, change lines, summary, refused)."""
    lang = current_language()
    try:
        changes, problems = prepare(name, content, current_data())
    except FileRefused as error:
        return [], [], [], "", report.in_language(lang, report.refused_line, error)
    return (changes, report.in_language(lang, report.problem_lines, problems),
            report.in_language(lang, report.change_lines, changes),
            report.in_language(lang, report.summary, changes, problems, True), "")


@bp.get("/")
@admin_required
def index():
    return render_template("stateorder/index.html", columns=COLUMNS, limit=MAX_BYTES // (1024 * 1024), years=years())


@bp.post("/")
@admin_required
def upload():
    """The dry run: check the file, keep it by its hash, show what would change."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("stateorder/index.html", columns=COLUMNS, limit=MAX_BYTES // (1024 * 1024),
                               years=years(), refused=report.in_language(current_language(), report.refused_line,
                                                          FileRefused("The file is empty."))), 400
    content = upload.stream.read(MAX_BYTES + 1)
    name = upload.filename
    changes, problems, lines, summary, refused = check(name, content)
    digest = ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if changes and not problems and not refused and extension in EXTENSIONS:
        digest = hashlib.sha256(content).hexdigest()
        (uploads() / f"{digest}.{extension}").write_bytes(content)
    status = 200 if not (problems or refused) else 422
    return render_template("stateorder/report.html", name=name[:120], problems=problems, lines=lines,
                           summary=summary, refused=refused, digest=digest, extension=extension), status


@bp.post("/apply")
@admin_required
def apply():
    """Re-check the kept file against today's data, then record it as approved changes."""
    digest, extension = request.form.get("digest", ""), request.form.get("extension", "")
    name = request.form.get("name", "")[:120] or f"state-order.{extension}"
    if not DIGEST.match(digest) or extension not in EXTENSIONS:
        abort(400)
    path = uploads() / f"{digest}.{extension}"
    if not path.exists():
        abort(404)
    content = path.read_bytes()
    changes, problems, lines, summary, refused = check(f"upload.{extension}", content)
    written = 0
    if changes and not problems and not refused:
        written = len(record(get_conn(), changes, source_of(name), current_user.email))
        summary = report.in_language(current_language(), report.summary, changes, [], False, written)
    path.unlink(missing_ok=True)
    return render_template("stateorder/report.html", name=name, problems=problems, lines=lines, summary=summary,
                           refused=refused, digest="", extension=extension, applied=bool(written)), \
        200 if not (problems or refused) else 422


@bp.get("/template.<any(csv, xlsx):kind>")
@admin_required
def template(kind):
    lang = current_language()
    if kind == "csv":
        return send_file(io.BytesIO(csv_template()), mimetype="text/csv", as_attachment=True,
                         download_name="state-order-template.csv")
    return send_file(io.BytesIO(xlsx_template(lang)), as_attachment=True, download_name="state-order-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

