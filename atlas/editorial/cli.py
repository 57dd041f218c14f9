"""Commands of the editing area: `atlas users ...`, `atlas publish`, `atlas backup`, `atlas restore`."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..book import start_after_build
from ..dataset.sources import DataError
from . import accounts, backup as backups, invitations, records, store
from .publish import publish


PASSWORD_PROBLEMS = {
    "short": f"the password needs at least {accounts.MIN_PASSWORD} characters",
    "simple": "the password is too easy to guess (a few repeated characters or a row of the keyboard)",
    "common": "the password is one of the first that anyone would try",
    "email": "the password must not contain the e-mail address",
}


def conn():
    return store.connect(current_app.config["EDITORIAL_DATABASE"])


@click.group("users")
def users():
    """Accounts of the editing area."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "editor"]), required=True)
@click.option("--college", "colleges", multiple=True, help="A college the editor edits (repeat for more).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of inviting.")
@with_appcontext
def users_add(email, role, colleges, password_stdin):
    """Create an account and print its one-time invitation link (valid 72 hours)."""
    if role == "editor" and not colleges:
        raise click.UsageError("an editor needs at least one --college")
    if "@" not in email or len(email) > 254:
        raise click.UsageError("give an e-mail address")
    db = conn()
    check_colleges(colleges, records.current(current_app.config["DATA_DIR"], store.approved_changes(db))["colleges"])
    password_hash = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problem = accounts.password_problem(password, email)
        if problem:
            raise click.UsageError(PASSWORD_PROBLEMS[problem])
        password_hash = accounts.hash_password(password)
    try:
        user_id = store.add_user(db, email, role, colleges, password_hash)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if password_stdin:
        click.echo(f"Added {email} ({role}); the password is set.")
        return
    base, origin = invitations.base_url()
    link = invitations.invite(db, user_id, base=base)
    # What the link starts with, and a warning, on stderr and before it: the link stays the last line.
    click.echo(f"The link's base is {base} ({BASE_ORIGINS[origin]}).", err=True)
    if invitations.is_loopback(base):
        click.echo("Warning: this is a loopback address, so the link opens only on this machine. Set "
                   "ATLAS_SERVER_NAME to the site's public host (or ATLAS_EDITORIAL_BASE_URL to its address) "
                   "and invite again.", err=True)
    click.echo(f"Added {email} ({role}). Invitation link (single use, valid 72 hours):\n{link}")


BASE_ORIGINS = {"EDITORIAL_BASE_URL": "from ATLAS_EDITORIAL_BASE_URL", "SERVER_NAME": "from ATLAS_SERVER_NAME",
                "request": "the host of this request", "fallback": "no ATLAS_SERVER_NAME is set"}


def check_colleges(given, colleges):
    """Refuse a --college the atlas does not have (data/ and approved changes), naming the closest ones."""
    import difflib

    known = {c["slug"] for c in colleges}
    for slug in given:
        if slug not in known:
            close = difflib.get_close_matches(slug, sorted(known), n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise click.UsageError(f"no college '{slug}' in the atlas (data/ or approved changes).{hint} "
                                   f"`atlas users add` takes a college's slug, as in its page's URL.")


@users.command("list")
@with_appcontext
def users_list():
    """Every account: e-mail, role, colleges, state."""
    for user in store.list_users(conn()):
        state = "disabled" if user["disabled_at"] else ("active" if user["password_hash"] else "invited")
        click.echo(f"{user['email']}\t{user['role']}\t{','.join(user['colleges']) or '-'}\t{state}")


@users.command("disable")
@click.argument("email")
@with_appcontext
def users_disable(email):
    """Disable an account; every session of it ends at once."""
    if not store.disable_user(conn(), email):
        raise click.ClickException(f"no active account {email}")
    click.echo(f"Disabled {email}.")


@click.command("publish")
@with_appcontext
def publish_command():
    """Build the public database from data/ plus every approved change, and swap it in."""
    try:
        meta, count = publish(conn(), current_app.config["DATA_DIR"], current_app.config["DATABASE"], "cli")
    except DataError as error:
        for found in error.problems:
            click.echo(str(found), err=True)
        click.echo(f"{len(error.problems)} problem(s) found; nothing was published.", err=True)
        sys.exit(1)
    click.echo(f"Published {current_app.config['DATABASE']} (build {meta['build_id']}, {count} new change(s)).")
    start_after_build(current_app, meta["build_id"])  # the printed books, in the background


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Copy the editing database to PATH while the site runs (SQLite's online backup)."""
    count = backups.backup(current_app.config["EDITORIAL_DATABASE"], path)
    click.echo(f"Backed up to {path} ({count} history rows).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def restore_command(path):
    """Replace the editing database with the backup at PATH."""
    try:
        count = backups.restore(path, current_app.config["EDITORIAL_DATABASE"])
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path} ({count} history rows).")


def init_app(app):
    for command in (users, publish_command, backup_command, restore_command):
        app.cli.add_command(command)
