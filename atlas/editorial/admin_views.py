"""The administrators' pages: review, publish, history (and its CSV), accounts."""

import re

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..book import start_after_build
from ..features.exports import csv_response
from ..web.i18n import current_language
from ..dataset.sources import DataError
from . import forms, invitations, localtime, proposals, readable, records, store
from .connection import get_conn
from .accounts import admin_required
from .publish import publish
from .web import bp, flash_done, get_change_or_404, get_user_or_404

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def comparison(change, data):
    """[(field, before, after)] of every field the change sets differently from now."""
    now = records.editable_values(data, change["kind"], change["college"], change["record_key"])
    after = change["data"]
    return [(field, now.get(field), after.get(field)) for field in after
            if field in forms.FIELD_LABELS and (after.get(field) or None) != (now.get(field) or None)]


def reader_names(data=None):
    """Names of colleges, specialties and the like in the page's language (readable.Names)."""
    if data is None:
        data = records.current(current_app.config["DATA_DIR"], store.approved_changes(get_conn()))
    return readable.Names(data, current_language())


def authors(conn, changes):
    """{user id: e-mail} of the people who wrote these changes."""
    found = {}
    for change in changes:
        user_id = change.get("author_id")
        if user_id and user_id not in found:
            found[user_id] = (store.get_user(conn, user_id) or {}).get("email", "")
    return found


@bp.get("/review")
@admin_required
def review_list():
    conn = get_conn()
    waiting = store.list_changes(conn, status=("submitted",))
    # A proposed specialty is reviewed with the offering that needs it: one entry, marked new.
    offerings = {(c["college"], c["record_key"]) for c in waiting if c["kind"] == "offering"}
    proposed = {(c["college"], c["record_key"]) for c in waiting if c["kind"] == "specialty"}
    waiting = [c for c in waiting if not (c["kind"] == "specialty" and (c["college"], c["record_key"]) in offerings)]
    return render_template("manage/review_list.html", new_specialties=proposed, waiting=waiting,
                           names=reader_names(), authors=authors(conn, waiting))


def four_eyes(conn, change):
    """(own, alone): whether the current administrator saved or sent this change, and whether
    they are the deployment's only administrator. Their own change needs a second one, unless
    there is none."""
    own = current_user.email.lower() in store.authors(conn, change["id"])
    return own, store.count_active_admins(conn) <= 1


@bp.route("/review/<int:change_id>", methods=["GET", "POST"])
@admin_required
def review(change_id):
    """The comparison carries the revision it shows: approving or returning another one (the
    editor saved again meanwhile) is refused, and the new comparison is shown instead."""
    conn = get_conn()
    change = get_change_or_404(conn, change_id)
    data = records.current(current_app.config["DATA_DIR"], store.approved_changes(conn))
    companion = proposals.companion(conn, change)
    new_specialty = change if change["kind"] == "specialty" else companion
    own, alone = four_eyes(conn, change)

    def page(status=200, **extra):
        rows = [] if change["kind"] == "specialty" else comparison(change, data)
        return render_template("manage/review.html", **{
            "change": change, "rows": rows, "new_specialty": new_specialty, "labels": forms.FIELD_LABELS,
            "data": data, "comment": "", "own": own, "alone": alone, "names": reader_names(data),
            "authors": authors(conn, [change]), **extra}), status

    if request.method == "GET":
        return page()
    decision = request.form.get("decision")
    comment = request.form.get("comment", "").strip()[:2000]
    if decision not in ("approve", "return") or (decision == "return" and not comment):
        return page(422, comment=comment, problem=True)
    try:
        revision = int(request.form.get("revision", ""))
    except ValueError:
        abort(400, description="revision")
    if revision != change["version"]:
        return page(409, comment=comment, stale=True)
    if decision == "approve" and own and not alone:
        return page(403, comment=comment, needs_second=True)
    if not proposals.review_together(conn, current_user.email, change, decision == "approve", comment, version=revision):
        change = get_change_or_404(conn, change_id)  # changed in the moment between reading and writing
        return page(409, comment=comment, stale=True)
    flash_done(_("Approved. It becomes public at the next publish.") if decision == "approve"
               else _("Returned to the college with your comment."))
    return redirect(url_for("manage.review_list"), code=303)


@bp.post("/publish")
@admin_required
def publish_now():
    config = current_app.config
    try:
        meta, count = publish(get_conn(), config["DATA_DIR"], config["DATABASE"], current_user.email)
    except DataError as error:
        return render_template("manage/publish_failed.html", problems=error.problems), 422
    start_after_build(current_app._get_current_object(), meta["build_id"])  # the printed books, in the background
    flash_done(ngettext("Published build %(build)s with %(num)d new change.",
                        "Published build %(build)s with %(num)d new changes.", count, build=meta["build_id"]))
    return redirect(url_for("manage.index"), code=303)


def history_filters():
    """The filters of the history, each checked against the values it may take."""
    choices = store.history_choices(get_conn())
    filters = {}
    for name, column in (("college", "college"), ("who", "user_email"), ("action", "action")):
        filters[name] = request.args.get(name, "").strip()[:254] or None
    for name in ("since", "until"):
        value = request.args.get(name, "").strip()
        filters[name] = value if DATE.match(value) else None
    return filters, choices


@bp.get("/history")
@admin_required
def history():
    filters, choices = history_filters()
    names = reader_names()
    rows = [readable.history_row(row, names) for row in store.list_history(get_conn(), limit=500, **filters)]
    return render_template("manage/history.html", rows=rows, filters=filters, choices=choices, names=names,
                           action_label=readable.action_label)


@bp.get("/history.csv")
@admin_required
def history_csv():
    filters, _choices = history_filters()
    columns = ["id", "at", "user_email", "action", "change_id", "college", "kind", "record_key", "field", "before",
               "after", "comment"]
    rows = [["" if row[c] is None else row[c] for c in columns] + [localtime.format_time(row["at"])]
            for row in store.list_history(get_conn(), **filters)]
    return csv_response("atlas-history.csv", columns + ["at_local"], rows)  # `at` is UTC; at_local the region's


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    conn = get_conn()
    data = records.current(current_app.config["DATA_DIR"], store.approved_changes(conn))
    colleges = sorted(data["colleges"], key=lambda c: c["slug"])
    context = {"users": store.list_users(conn), "colleges": colleges, "errors": {}, "form": {},
               "names": reader_names(data)}
    if request.method == "GET":
        return render_template("manage/users.html", **context)
    email = request.form.get("email", "").strip()[:254]
    role = request.form.get("role", "")
    chosen = sorted(set(request.form.getlist("college")))
    errors = {}
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["email"] = _("This is not an e-mail address.")
    if role not in ("admin", "editor"):
        errors["role"] = _("Choose a role.")
    known = {c["slug"] for c in colleges}
    if any(c not in known for c in chosen):
        abort(400, description="college")
    if role == "editor" and not chosen:
        errors["college"] = _("Choose the editor's college.")
    if not errors:
        try:
            user_id = store.add_user(conn, email, role, chosen if role == "editor" else (), by=current_user.email)
        except ValueError:
            errors["email"] = _("An account with this e-mail already exists.")
    if errors:
        return render_template("manage/users.html", **{**context, "errors": errors,
                               "form": {"email": email, "role": role, "college": chosen}}), 422
    link = invitations.invite(conn, user_id, lang=current_language())
    mailed = invitations.mail(email, link, _("Invitation to the atlas editing area"),
                              _("Open this link within 72 hours to set your password."))
    return render_template("manage/users.html", **{**context, "users": store.list_users(conn),
                                                   "invited": {"email": email, "link": link, "mailed": mailed,
                                                               "loopback": invitations.is_loopback(link)}})


@bp.post("/users/<int:user_id>/disable")
@admin_required
def disable(user_id):
    conn = get_conn()
    user = get_user_or_404(conn, user_id)
    if user["id"] == current_user.id:
        abort(400, description="self")
    store.disable_user(conn, user["email"], by=current_user.email)
    flash_done(_("The account is disabled."))
    return redirect(url_for("manage.users"), code=303)
