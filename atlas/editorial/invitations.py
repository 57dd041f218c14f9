"""Invitation links: printed by the CLI, shown to the administrator who invited from the web,
and mailed when SMTP settings are given (EDITORIAL_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM)."""

import smtplib
from email.message import EmailMessage

from flask import current_app, url_for

from . import store


def invite(conn, user_id, lang="kk"):
    """A new invitation link for the account (an absolute URL under EDITORIAL_BASE_URL)."""
    token = store.create_invitation(conn, user_id)
    with current_app.test_request_context(base_url=current_app.config["EDITORIAL_BASE_URL"]):
        return url_for("manage.invitation", lang=lang, token=token, _external=True)


def mail(email, link, subject, body):
    """Send the link when SMTP is configured; False (and nothing sent) otherwise."""
    config = current_app.config
    if not config["EDITORIAL_SMTP_HOST"]:
        return False
    message = EmailMessage()
    message["From"] = config["EDITORIAL_SMTP_FROM"] or config["EDITORIAL_SMTP_USER"]
    message["To"] = email
    message["Subject"] = subject
    message.set_content(f"{body}\n\n{link}\n")
    with smtplib.SMTP(config["EDITORIAL_SMTP_HOST"], int(config["EDITORIAL_SMTP_PORT"]), timeout=20) as smtp:
        smtp.starttls()
        if config["EDITORIAL_SMTP_USER"]:
            smtp.login(config["EDITORIAL_SMTP_USER"], config["EDITORIAL_SMTP_PASSWORD"])
        smtp.send_message(message)
    return True
