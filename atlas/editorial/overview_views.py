"""The department's overview (/<lang>/manage/overview): every college and what it has filled,
sortable with plain links, as CSV, and bulk invitations from an uploaded (college, e-mail) table."""

import smtplib

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..features.exports import csv_response
from ..web.i18n import current_language
from . import bulk_invitations, invitations, localtime, overview, records, store
from .connection import get_conn
from .accounts import admin_required
from .web import bp

# Times in the region's zone on every editing page (and the public "what changed" dates).
bp.add_app_template_filter(localtime.format_time, "localtime")
bp.add_app_template_filter(localtime.format_day, "localday")


def current_data():
    return records.current(current_app.config["DATA_DIR"], store.approved_changes(get_conn()))


def overview_rows(data=None):
    conn = get_conn()
    return overview.college_rows(data or current_data(), current_language(), store.last_reviews(conn),
                                 store.list_users(conn))


def chosen_sort():
    field = request.args.get("sort", "name")
    field = field if field in overview.SORTS else "name"
    return field, request.args.get("order") == "desc"


@bp.get("/overview")
@admin_required
def overview_page():
    field, descending = chosen_sort()
    rows = overview.sorted_rows(overview_rows(), field, descending)
    return render_template("manage/overview.html", rows=rows, sort=field, descending=descending,
                           year=rows[0]["year"] if rows else None, totals=overview.totals(rows))


@bp.get("/overview.csv")
@admin_required
def overview_csv():
    field, descending = chosen_sort()
    rows = overview.sorted_rows(overview_rows(), field, descending)
    return csv_response("atlas-colleges-overview.csv", overview.CSV_COLUMNS,
                        overview.csv_rows(rows, localtime.format_time))


def invitation_plan(text, data):
    rows = bulk_invitations.read_rows(text)
    return bulk_invitations.plan(rows, data["colleges"], store.list_users(get_conn()), current_language())


@bp.route("/overview/invitations", methods=["GET", "POST"])
@admin_required
def bulk_invite():
    """GET: the upload form. POST with a file: the dry run. POST with `send` and the checked
    table's text: check it again against the accounts of this moment, then send."""
    base, origin = invitations.base_url()
    context = {"base": base, "loopback": invitations.is_loopback(base), "base_origin": origin}
    if request.method == "GET":
        return render_template("manage/bulk_invitations.html", **context)
    data = current_data()
    sending = request.form.get("action") == "send"
    try:
        if sending:
            text = request.form.get("table", "")[:bulk_invitations.MAX_BYTES]
        else:
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                raise bulk_invitations.Refused(_("Choose a CSV file."))
            text = bulk_invitations.decode(upload.read(bulk_invitations.MAX_BYTES + 1))
        found = invitation_plan(text, data)
    except bulk_invitations.Refused as error:
        return render_template("manage/bulk_invitations.html", refused=str(error), **context), 422
    names = {c["slug"]: c.get(f"name_{current_language()}") or c["slug"] for c in data["colleges"]}
    context.update(plan=found, table=text, names=names)
    if found["errors"] or not sending:
        return render_template("manage/bulk_invitations.html", **context), 422 if found["errors"] else 200
    context["sent"] = send(found["accounts"], base)
    return render_template("manage/bulk_invitations.html", **context)


def send(accounts, base):
    """Create or extend each account and make (and mail, when SMTP is set) its link."""
    conn, lang, sent = get_conn(), current_language(), []
    subject = _("Invitation to the atlas editing area")
    body = _("Open this link within 72 hours to set your password.")
    for account in accounts:
        if account["outcome"] == "nothing":
            sent.append({**account, "link": "", "mailed": False})
            continue
        user_id = account["user_id"]
        if account["outcome"] == "new":
            try:
                user_id = store.add_user(conn, account["email"], "editor", account["colleges"], by=current_user.email)
            except ValueError:  # created since the dry run: give it the colleges instead
                user_id = store.get_user(conn, email=account["email"])["id"]
                store.grant_colleges(conn, user_id, account["colleges"], by=current_user.email)
        else:
            store.grant_colleges(conn, user_id, account["adding"], by=current_user.email)
        fresh = store.get_user(conn, user_id)
        link = invitations.invite(conn, user_id, lang=lang, base=base) if not fresh["password_hash"] else ""
        try:
            mailed = bool(link) and invitations.mail(account["email"], link, subject, body)
        except (OSError, smtplib.SMTPException):
            mailed = False  # the mail server failed: the link is on the page, to send by hand
            current_app.logger.exception("invitation mail to %s failed", account["email"])
        sent.append({**account, "link": link, "mailed": mailed})
    return sent
