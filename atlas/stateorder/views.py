"""The administrator's import page, /<lang>/manage/import: upload, see the dry run, decide, apply.

It lives under /<lang>/manage/ so that the editing area's session opens for it, and it reuses the
editing area's CSRF check, private headers and login decorators. An uploaded file is kept under
instance/ by the hash of its content between the dry run and the apply, and re-checked against
the data of that moment before anything is written. Every header, college name and specialty the
atlas cannot place is a choice on the report; the choices are remembered (mappings.py) and read
the next file the same way.
"""

import hashlib
import io
import re
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_login import current_user

from ..paths import ROOT
from ..editorial.connection import get_conn
from ..editorial import records, store
from ..editorial.accounts import admin_required
from ..editorial.web import check_csrf, manage_context, private_headers
from ..web.i18n import current_language
from . import KINDS, FileRefused, mappings, prepare, record, report, source_of
from . import plan as planning
from .headers import COLUMNS, REQUIRED
from .plan import years
from .reader import MAX_BYTES
from .template import csv_template, registry_csv_template, xlsx_template

bp = Blueprint("stateorder", __name__, url_prefix="/<lang>/manage/import")
bp.before_request(check_csrf)
bp.after_request(private_headers)
bp.context_processor(manage_context)
DIGEST = re.compile(r"^[0-9a-f]{64}$")
EXTENSIONS = ("csv", "xlsx")
KEEP_SECONDS = 24 * 3600
MAX_CHOICES = 300


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


def settings():
    """The import's kind and options, from the form (anything unexpected falls back to the default)."""
    kind = request.form.get("kind", "state-order")
    conflicts = request.form.get("conflicts", "")
    return (kind if kind in KINDS else "state-order", request.form.get("create_missing") == "yes",
            conflicts if conflicts in ("keep", "table") else "")


def check(name, content, kind, create_missing, conflicts):
    """The Plan of a file against today's data and decisions, or the reason it was refused."""
    conn = get_conn()
    approved = store.approved_changes(conn)
    data = records.current(current_app.config["DATA_DIR"], approved)
    options = planning.Options(create_missing=create_missing, remembered=mappings.load(conn),
                               provided=planning.college_provided(approved), conflicts=conflicts)
    try:
        return prepare(name, content, data, kind, options), "", data
    except FileRefused as error:
        refused = report.in_language(current_language(), report.refused_line, error)
        # a missing column may be one of the headers the atlas did not know: offer them as choices
        return (planning.Plan(unknown=error.unknown) if error.unknown else None), refused, data


def page(name, plan, refused, data, kind, create_missing, conflicts, digest="", extension="", applied=0):
    lang = current_language()
    say = lambda function, *args: report.in_language(lang, function, *args) if plan else []  # noqa: E731
    summary = ""
    if plan is not None and not refused:
        summary = say(report.summary, plan.changes, plan.problems, not applied, applied)
    context = dict(name=name[:120], refused=refused, kind=kind, create_missing=create_missing, conflicts=conflicts,
                   digest=digest, extension=extension, applied=bool(applied), summary=summary, plan=plan,
                   overview=[] if refused else say(report.overview_lines, plan, kind),
                   unknown=say(report.unknown_lines, plan),
                   decisions=say(report.decision_lines, plan), conflict_lines=say(report.conflict_lines, plan),
                   # a decision's rows are listed with its choice above; here only what the file must fix
                   problems=say(report.problem_lines, [p for p in plan.problems if not p.decision],
                                plan.headers) if plan else [],
                   lines=say(report.change_lines, plan) if plan else [],
                   columns=report.labelled(COLUMNS[kind]),  # in the order a table has them
                   colleges=sorted(data["colleges"], key=lambda c: c["slug"]),
                   specialties=sorted(data["specialties"], key=lambda s: s["slug"]), lang=lang, zip=zip,
                   deciding=bool(plan and digest and not applied and (plan.decisions or plan.unknown or plan.conflicts)))
    status = 200 if plan is not None and plan.ready and not refused or applied else 422
    return render_template("stateorder/report.html", **context), status


def index_page(refused="", status=200):
    return render_template("stateorder/index.html", columns=report.labelled(REQUIRED["state-order"]),
                           limit=MAX_BYTES // (1024 * 1024), years=years(), refused=refused), status


@bp.get("/")
@admin_required
def index():
    return index_page()


@bp.post("/")
@admin_required
def upload():
    """The dry run: check the file, keep it by its hash, show what would change and what to decide."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return index_page(report.in_language(current_language(), report.refused_line,
                                             FileRefused("The file is empty.")), 400)
    content, name = upload.stream.read(MAX_BYTES + 1), upload.filename
    kind, create_missing, conflicts = settings()
    plan, refused, data = check(name, content, kind, create_missing, conflicts)
    digest, extension = keep(name, content) if plan is not None else ("", "")
    return page(name, plan, refused, data, kind, create_missing, conflicts, digest, extension)


def keep(name, content):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        return "", ""
    digest = hashlib.sha256(content).hexdigest()
    (uploads() / f"{digest}.{extension}").write_bytes(content)
    return digest, extension


def kept():
    """(path, name, extension) of the file a form names; 400 for a tampered form, 404 for a file gone."""
    digest, extension = request.form.get("digest", ""), request.form.get("extension", "")
    if not DIGEST.match(digest) or extension not in EXTENSIONS:
        abort(400)
    path = uploads() / f"{digest}.{extension}"
    if not path.exists():
        abort(404)
    return path, request.form.get("name", "")[:120] or f"import.{extension}", extension


def choices(kind):
    """The administrator's decisions on the report form: [(kind, value as written, target)]."""
    allowed = {"header": set(COLUMNS[kind]) | {""}, "college": None, "specialty": None, "bin": None}
    found = []
    for number in range(MAX_CHOICES):
        for what in allowed:
            value, target = request.form.get(f"{what}-value-{number}"), request.form.get(f"{what}-target-{number}")
            if value is None or not target:
                continue
            target = "" if target == "-" else target[:80]
            if allowed[what] is not None and target not in allowed[what]:
                abort(400)
            found.append((what, value[:300], target))
    return found


@bp.post("/decide")
@admin_required
def decide():
    """Remember the choices made on the report, then check the same file again with them."""
    path, name, extension = kept()
    kind, create_missing, conflicts = settings()
    decided = choices(kind)
    if decided:
        mappings.save(get_conn(), decided, current_user.email)
    plan, refused, data = check(f"upload.{extension}", path.read_bytes(), kind, create_missing, conflicts)
    return page(name, plan, refused, data, kind, create_missing, conflicts, path.stem, extension)


@bp.post("/apply")
@admin_required
def apply():
    """Re-check the kept file against today's data, then record it as approved changes."""
    path, name, extension = kept()
    kind, create_missing, conflicts = settings()
    plan, refused, data = check(f"upload.{extension}", path.read_bytes(), kind, create_missing, conflicts)
    written = 0
    if plan is not None and plan.ready and plan.changes:
        written = len(record(get_conn(), plan, source_of(name, who=current_user.email, kind=kind), current_user.email))
        path.unlink(missing_ok=True)
    return page(name, plan, refused, data, kind, create_missing, conflicts,
                "" if written else path.stem, extension, applied=written)


@bp.get("/colleges-template.csv")
@admin_required
def registry_template():
    return send_file(io.BytesIO(registry_csv_template()), mimetype="text/csv", as_attachment=True,
                     download_name="colleges-registry-template.csv")


@bp.get("/template.<any(csv, xlsx):kind>")
@admin_required
def template(kind):
    lang = current_language()
    if kind == "csv":
        return send_file(io.BytesIO(csv_template()), mimetype="text/csv", as_attachment=True,
                         download_name="state-order-template.csv")
    return send_file(io.BytesIO(xlsx_template(lang)), as_attachment=True, download_name="state-order-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
