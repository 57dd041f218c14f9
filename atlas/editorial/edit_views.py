"""Editing a college and its offerings: drafts, submission, conflicts.

Each form carries the revision of the record it was opened at (its open change's version and
its latest approved change) and a fingerprint of every value it showed. A save over a newer
revision is merged field by field: a field the editor did not touch takes the new value, one
only the editor changed keeps theirs, and one both changed is a conflict, shown side by side
with what was typed still in the form. A stale form never reverts someone else's value.
"""

import hashlib
import json

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..web.htmx import render_page_or_fragment, wants_fragment
from ..web.i18n import current_language
from . import forms, proposals, records, store
from .connection import get_conn
from .readable import Names
from .accounts import login_required, require_college
from .web import bp, flash_done, get_change_or_404


def context_data():
    return records.current(current_app.config["DATA_DIR"], store.approved_changes(get_conn()))


def checked_college(slug, data):
    """The college of the URL, if this user may edit it and it exists; and the form, if one
    was sent, must name the same college (a tampered hidden field is refused too)."""
    require_college(slug)
    if request.method == "POST" and request.form.get("college", slug) != slug:
        abort(403)
    college = records.get_college(data, slug)
    if college is None:
        abort(404)
    return college


def choices(data):
    return {
        "specialties": sorted(data["specialties"], key=lambda s: (s["code"] or "", s["slug"])),
        "qualifications": data["qualifications"],
        "employers": data["employers"],
    }


def handle(kind, slug, record_key, data, template, **context):
    """GET shows the form; POST saves a draft (and submits it if asked)."""
    conn = get_conn()
    change = store.open_change(conn, slug, kind, record_key) if record_key else None
    saved = records.editable_values(data, kind, slug, record_key) if record_key else {}
    values = {**saved, **change["data"]} if change else saved
    # A specialty the atlas lacks, proposed with this offering and not yet approved (see proposals.py).
    pending = store.open_change(conn, slug, "specialty", record_key) if kind == "offering" and record_key else None
    proposing = kind == "offering" and bool(pending or (not record_key and (
        request.form.get("new_specialty") == "1" if request.method == "POST" else request.args.get("new") == "1")))
    proposal = None
    if proposing:
        proposal = {"code": record_key or request.args.get("code", "").strip()[:40],
                    **({k: pending["data"].get(k, "") for k in ("name_kk", "name_ru")} if pending else {}),
                    "rows": proposals.blank_rows(proposals.as_rows(pending["data"]) if pending else [])}
    approved = store.approved_revision(conn, slug, kind, record_key) if record_key else 0
    page = {"kind": kind, "slug": slug, "record_key": record_key, "values": values, "saved": saved,
            "change": change, "version": change["version"] if change else 0, "errors": {},
            "approved": approved, "base": fingerprints(values),
            "labels": forms.FIELD_LABELS.including(forms.places_fields()), "places_fields": forms.places_fields(),
            "college": records.get_college(data, slug), "proposal": proposal, "names": Names(data, current_language()),
            **choices(data), **context}

    def render(status=200, **extra):
        return render_template(template, **{**page, **extra}), status

    if request.method == "GET":
        return render()
    values, errors = forms.read_form(request.form, kind)
    along, specialty_data = [], None
    if proposing:
        typed, rows = proposals.read(request.form)
        proposal = {**typed, "code": record_key or typed["code"], "rows": proposals.blank_rows(
            rows, more=proposals.ROWS if request.form.get("action") == "rows" else 0)}
        if request.form.get("action") == "rows":  # room for more qualifications; nothing is saved
            return render(values=values, proposal=proposal)
        specialty_data, code, problems = proposals.validate(typed, data, fixed_code=record_key or None)
        errors.update(problems)
        values["qualifications"] = proposals.offered_codes(specialty_data)
        if code and not record_key:
            record_key = code
            if store.open_change(conn, slug, kind, record_key):
                errors["new_code"] = _("This specialty is already in the college's list: edit it there.")
        if code:
            along = [proposals.as_candidate(specialty_data, slug, code)]
    elif kind == "offering" and not record_key:
        record_key = request.form.get("specialty", "").strip()[:40]
        if not any(s["slug"] == record_key for s in data["specialties"]):
            errors["specialty"] = _("Choose a specialty from the classifier.")
        elif records.get_offering(data, slug, record_key) or store.open_change(conn, slug, kind, record_key):
            errors["specialty"] = _("This specialty is already in the college's list: edit it there.")
    if not errors:
        errors = forms.errors_from(records.check(data, kind, slug, record_key, values, along))
    if errors:
        return render(422, values=values, errors=errors, proposal=proposal,
                      record_key=record_key if "specialty" not in errors and not (proposing and not change) else "",
                      typed_specialty=record_key)
    try:
        version = int(request.form.get("version", "0") or 0)
        approved = int(request.form["approved"]) if request.form.get("approved") else None
    except ValueError:
        abort(400, description="version")
    saved = records.editable_values(data, kind, slug, record_key)
    current = store.open_change(conn, slug, kind, record_key)
    now_version = current["version"] if current else 0
    now_approved = store.approved_revision(conn, slug, kind, record_key)
    merged_meanwhile = False
    if version != now_version or approved not in (None, now_approved):
        theirs = {**saved, **current["data"]} if current else saved
        values, clashes = merge(values, theirs, base_of(request.form.get("base")))
        if clashes:
            return render(409, values=values, conflict=clashes, change=current, version=now_version,
                          approved=now_approved, base=fingerprints(theirs), record_key=record_key)
        version, approved, merged_meanwhile = now_version, now_approved, True
    proposed = differences(values, saved)
    pending = store.open_change(conn, slug, "specialty", record_key) if specialty_data is not None else None
    specialty_changed = specialty_data is not None and (pending is None or pending["data"] != specialty_data)
    if not proposed and not specialty_changed:
        return render(422, values=values, errors={"form": _("Nothing differs from the current values.")},
                      record_key=record_key, proposal=proposal)
    try:
        with store.transaction(conn):  # the offering and the specialty it needs: both or neither
            change = store.save_draft(conn, current_user.email, slug, kind, record_key, proposed,
                                      {f: saved.get(f) for f in proposed}, version, approved)
            if specialty_changed:
                store.save_draft(conn, current_user.email, slug, "specialty", record_key, specialty_data, {},
                                 pending["version"] if pending else None)
    except store.Conflict as conflict:  # saved or approved in the moment since this request read it
        theirs = {**saved, **conflict.current["data"]} if conflict.current else saved
        return render(409, values=values, conflict=theirs, change=conflict.current, proposal=proposal,
                      version=conflict.current["version"] if conflict.current else 0,
                      approved=store.approved_revision(conn, slug, kind, record_key), base=fingerprints(theirs),
                      record_key=record_key)
    if merged_meanwhile:
        flash_done(_("Someone else changed this record after you opened it: the fields you did not touch "
                     "keep their new values."))
    if request.form.get("action") == "submit":
        proposals.submit_together(conn, current_user.email, change)
        flash_done(_("Sent to the education department for review."))
    else:
        flash_done(_("Draft saved. It is not public until it is reviewed and published."))
    if kind == "college":
        return redirect(url_for("manage.college", slug=slug), code=303)
    return redirect(url_for("manage.offering", slug=slug, specialty=record_key), code=303)


def empty(value):
    return None if value in ("", [], None) else value


def fingerprint(value):
    return hashlib.sha256(store.dumps(empty(value)).encode()).hexdigest()[:16]


def fingerprints(values):
    """What the form showed, field by field, as short hashes (a hidden field of the form)."""
    return json.dumps({field: fingerprint(value) for field, value in values.items()}, sort_keys=True)


def base_of(raw):
    try:
        base = json.loads(raw or "{}")
    except ValueError:
        return {}
    return base if isinstance(base, dict) else {}


def merge(mine, theirs, base):
    """(merged values, {field: their value} where both sides changed it differently).

    A field the editor left as the form showed it takes their value; a field only the editor
    changed keeps the editor's; a field both changed to different values is a clash and keeps
    the editor's value in the form until they choose."""
    merged, clashes = {}, {}
    for field, value in mine.items():
        shown, ours, other = base.get(field), fingerprint(value), fingerprint(theirs.get(field))
        if ours == shown:
            merged[field] = theirs.get(field, value)
        else:
            merged[field] = value
            if other != shown and other != ours:
                clashes[field] = theirs.get(field)
    return merged, clashes


def differences(values, saved):
    """Only the fields the editor changed: the others keep their present origin."""
    return {field: value for field, value in values.items() if empty(value) != empty(saved.get(field))}


@bp.route("/colleges/<slug>", methods=["GET", "POST"])
@login_required
def college(slug):
    data = context_data()
    checked_college(slug, data)
    return handle("college", slug, slug, data, "manage/college.html",
                  offerings=records.list_offerings(data, slug),
                  open_changes=store.list_changes(get_conn(), status=store.OPEN, college=slug))


@bp.route("/colleges/<slug>/offerings/new", methods=["GET", "POST"])
@login_required
def new_offering(slug):
    """Find the specialty (by code or name, as you type with htmx, or with the Find button),
    choose it or propose one the atlas lacks, then fill the offering."""
    data = context_data()
    college = checked_college(slug, data)
    query = request.args.get("q", "").strip()[:100]
    found = proposals.search(data["specialties"], query) if query else []
    code = proposals.proposed_code(query)
    search = {"query": query, "found": found, "new_code": code}
    if request.method == "GET" and wants_fragment():
        return render_page_or_fragment("manage/offering.html", "manage/_specialty_results.html", slug=slug,
                                       college=college, **search)
    chosen = request.args.get("specialty", "").strip()[:40] if request.method == "GET" else ""
    if chosen and not any(s["slug"] == chosen for s in data["specialties"]):
        chosen = ""
    return handle("offering", slug, "", data, "manage/offering.html", typed_specialty=chosen, **search)


@bp.get("/colleges/<slug>/offerings/new/qualifications")
@login_required
def offering_qualifications(slug):
    """The chosen specialty's qualifications, for the form's list when the choice changes (htmx)."""
    data = context_data()
    checked_college(slug, data)
    chosen = request.args.get("specialty", "").strip()[:40]
    return render_template("manage/_qualifications.html", shown=chosen, values={}, errors={},
                           labels=forms.FIELD_LABELS, qualifications=data["qualifications"])


@bp.route("/colleges/<slug>/offerings/<specialty>", methods=["GET", "POST"])
@login_required
def offering(slug, specialty):
    data = context_data()
    checked_college(slug, data)
    if records.get_offering(data, slug, specialty) is None and store.open_change(
            get_conn(), slug, "offering", specialty) is None:
        abort(404)
    return handle("offering", slug, specialty, data, "manage/offering.html")


@bp.post("/changes/<int:change_id>/submit")
@login_required
def submit(change_id):
    conn = get_conn()
    change = get_change_or_404(conn, change_id)
    require_college(change["college"])
    if proposals.submit_together(conn, current_user.email, change):
        flash_done(_("Sent to the education department for review."))
    return redirect(url_for("manage.college", slug=change["college"]), code=303)
