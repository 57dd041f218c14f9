"""Invitation links: printed by the CLI, shown to the administrator who invited from the web,
and mailed when SMTP settings are given (EDITORIAL_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM)."""

import ipaddress
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

from . import store

FALLBACK = "http://127.0.0.1:5000"


def base_url():
    """(base, where it comes from) of invitation links: EDITORIAL_BASE_URL when set, else the
    public host (ATLAS_SERVER_NAME), else the host the administrator is using now. Only the CLI
    without either setting falls back to this machine's address (and says so)."""
    config = current_app.config
    scheme = "https" if config.get("HTTPS") else "http"
    if config.get("EDITORIAL_BASE_URL"):
        return config["EDITORIAL_BASE_URL"].rstrip("/"), "EDITORIAL_BASE_URL"
    if config.get("SERVER_NAME"):
        return f"{scheme}://{config['SERVER_NAME']}", "SERVER_NAME"
    if has_request_context():
        from ..web.security import public_origin

        return public_origin(), "request"
    return FALLBACK, "fallback"


def is_loopback(base):
    """Whether a link under this base opens only on the machine that made it."""
    host = (urlsplit(base).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def invite(conn, user_id, lang="kk", base=None):
    """A new invitation link for the account (an absolute URL under base_url())."""
    token = store.create_invitation(conn, user_id)
    with current_app.test_request_context(base_url=base or base_url()[0]):
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
