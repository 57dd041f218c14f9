"""The editing area's own database: accounts, invitations, changes and their history.

It is a small writable SQLite file (WAL mode, so readers never wait for a writer) kept
apart from the public database, which stays read-only and immutable. No Flask here:
the CLI, the web views and `atlas import state-order` share these functions.

A change is one proposed version of one record (a college, one of its offerings, or a
specialty the atlas lacks, see record_approved_change):
draft -> submitted -> approved (or returned, then edited again). Every step is a row in
`history`, which triggers make append-only: nothing in it is rewritten or deleted.
"""

import hashlib
import json
import re
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone

CHANGES = """
create table if not exists {name} (
    id integer primary key,
    college text not null,
    kind text not null check (kind in ('college', 'offering', 'employer', 'specialty')),
    record_key text not null,
    status text not null check (status in ('draft', 'submitted', 'approved', 'returned', 'superseded')),
    version integer not null default 1,
    data text not null,
    before text not null,
    source text not null default '',
    author_id integer references users(id),
    created_at text not null,
    updated_at text not null,
    submitted_at text,
    reviewed_by integer references users(id),
    reviewed_at text,
    review_comment text not null default '',
    published_at text
)"""
CHANGES_INDEX = "create index if not exists changes_open on changes (college, kind, record_key, status)"
SCHEMA = """
create table if not exists users (
    id integer primary key,
    email text not null unique collate nocase,
    role text not null check (role in ('admin', 'editor')),
    password_hash text,
    created_at text not null,
    disabled_at text
);
create table if not exists user_colleges (
    user_id integer not null references users(id),
    college text not null,
    primary key (user_id, college)
);
create table if not exists invitations (
    token_hash text primary key,
    user_id integer not null references users(id),
    created_at text not null,
    expires_at text not null,
    used_at text
);
{changes};
{changes_index};
create table if not exists history (
    id integer primary key,
    at text not null,
    user_email text not null,
    action text not null,
    change_id integer,
    college text not null default '',
    kind text not null default '',
    record_key text not null default '',
    field text not null default '',
    before text not null default '',
    after text not null default '',
    comment text not null default ''
);
create index if not exists history_college on history (college, at);
create trigger if not exists history_no_update before update on history
    begin select raise(abort, 'history is append-only'); end;
create trigger if not exists history_no_delete before delete on history
    begin select raise(abort, 'history is append-only'); end;
""".format(changes=CHANGES.format(name="changes").strip(), changes_index=CHANGES_INDEX)

OPEN = ("draft", "returned", "submitted")
INVITATION_HOURS = 72
SYSTEM = "system"


def now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def connect(path):
    """A connection in WAL mode with a busy timeout: the web workers, the CLI and a backup
    can all use the file at once."""
    conn = sqlite3.connect(path, timeout=15, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma busy_timeout = 15000")
    conn.executescript(SCHEMA)
    migrate(conn)
    return conn


def migrate(conn):
    """Bring an editing database made by an earlier version up to this schema; doing it twice
    changes nothing. SQLite cannot alter a check constraint, so the `changes` table is copied
    into one whose constraint also allows kind 'specialty' (every other column, index and
    trigger as they were) and renamed, in one transaction: a worker that starts at the same
    moment waits, then finds the work done."""
    def table_sql():
        return conn.execute("select sql from sqlite_master where type = 'table' and name = 'changes'").fetchone()[0]

    if "'specialty'" in table_sql():
        return
    with transaction(conn):
        old = table_sql()
        if "'specialty'" in old:
            return
        kinds = re.search(r"kind\s+in\s*\(([^)]*)\)", old)
        new = old[:kinds.end(1)] + ", 'specialty'" + old[kinds.end(1):]
        new = re.sub(r"^\s*create\s+table\s+(if\s+not\s+exists\s+)?[\"`]?changes[\"`]?", "create table changes_migrated",
                     new, count=1, flags=re.IGNORECASE)
        extras = [r[0] for r in conn.execute("select sql from sqlite_master where tbl_name = 'changes' "
                                             "and type in ('index', 'trigger') and sql is not null")]
        conn.execute(new)
        conn.execute("insert into changes_migrated select * from changes")
        conn.execute("drop table changes")
        conn.execute("alter table changes_migrated rename to changes")
        for sql in extras:
            conn.execute(sql)


class transaction:
    """`with transaction(conn):` one write transaction, taken at once (BEGIN IMMEDIATE) so
    that two writers queue instead of failing half-way."""

    def __init__(self, conn):
        self.conn = conn
        self.outer = False

    def __enter__(self):
        # Inside another transaction (a whole import, say) this one joins it: all or nothing.
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("begin immediate")
        return self.conn

    def __exit__(self, kind, value, traceback):
        if self.outer:
            self.conn.execute("commit" if kind is None else "rollback")


def dumps(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def cell(value):
    """A value as the history shows it: text as typed, anything else as JSON, nothing as ''."""
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value)


# Accounts

def get_user(conn, user_id=None, email=None):
    if email is not None:
        found = conn.execute("select * from users where email = ?", (email.strip(),)).fetchone()
    else:
        found = conn.execute("select * from users where id = ?", (user_id,)).fetchone()
    if found is None:
        return None
    user = dict(found)
    user["colleges"] = [r[0] for r in conn.execute(
        "select college from user_colleges where user_id = ? order by college", (user["id"],))]
    return user


def list_users(conn):
    return [get_user(conn, r[0]) for r in conn.execute("select id from users order by email")]


def add_user(conn, email, role, colleges=(), password_hash=None, by=SYSTEM):
    """Create an account; raises ValueError when the e-mail is taken or the role unknown."""
    email = email.strip()
    if role not in ("admin", "editor"):
        raise ValueError("role must be admin or editor")
    with transaction(conn):
        try:
            cursor = conn.execute("insert into users (email, role, password_hash, created_at) values (?, ?, ?, ?)",
                                  (email, role, password_hash, now()))
        except sqlite3.IntegrityError:
            raise ValueError(f"an account for {email} already exists") from None
        user_id = cursor.lastrowid
        conn.executemany("insert into user_colleges values (?, ?)", [(user_id, c) for c in sorted(set(colleges))])
        log(conn, by, "user-add", after=dumps({"email": email, "role": role, "colleges": sorted(set(colleges))}))
    return user_id


def set_password(conn, user_id, password_hash, by=SYSTEM):
    with transaction(conn):
        conn.execute("update users set password_hash = ? where id = ?", (password_hash, user_id))
        log(conn, by, "password-set", comment=str(user_id))


def disable_user(conn, email, by=SYSTEM):
    """Disable an account (its sessions end on their next request); False if there is none."""
    with transaction(conn):
        cursor = conn.execute("update users set disabled_at = ? where email = ? and disabled_at is null", (now(), email))
        if cursor.rowcount:
            log(conn, by, "user-disable", after=email)
    return bool(cursor.rowcount)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(conn, user_id, hours=INVITATION_HOURS, at=None):
    """A new single-use token; only its hash is stored, so a copy of the database cannot log in."""
    token = secrets.token_urlsafe(32)
    created = at or datetime.now(timezone.utc)
    with transaction(conn):
        conn.execute("insert into invitations values (?, ?, ?, ?, null)",
                     (token_hash(token), user_id, created.replace(microsecond=0).isoformat(),
                      (created + timedelta(hours=hours)).replace(microsecond=0).isoformat()))
    return token


def find_invitation(conn, token):
    """The account an unused, unexpired invitation is for, else None."""
    found = conn.execute("select * from invitations where token_hash = ?", (token_hash(token or ""),)).fetchone()
    if found is None or found["used_at"] or found["expires_at"] <= now():
        return None
    user = get_user(conn, found["user_id"])
    return user if user and not user["disabled_at"] else None


def accept_invitation(conn, token, password_hash):
    """Set the password and spend the token in one transaction: a second use finds it spent."""
    with transaction(conn):
        cursor = conn.execute("update invitations set used_at = ? where token_hash = ? and used_at is null "
                              "and expires_at > ?", (now(), token_hash(token or ""), now()))
        if not cursor.rowcount:
            return None
        user_id = conn.execute("select user_id from invitations where token_hash = ?",
                               (token_hash(token),)).fetchone()[0]
        conn.execute("update users set password_hash = ? where id = ?", (password_hash, user_id))
        user = get_user(conn, user_id)
        log(conn, user["email"], "invitation-accepted")
    return user


# History

def log(conn, who, action, change=None, field="", before="", after="", comment=""):
    """One history row. Callers are inside a transaction."""
    change = change or {}
    conn.execute("insert into history (at, user_email, action, change_id, college, kind, record_key, field, before, "
                 "after, comment) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (now(), who, action, change.get("id"), change.get("college", ""), change.get("kind", ""),
                  change.get("record_key", ""), field, before, after, comment))


def list_history(conn, college=None, who=None, action=None, since=None, until=None, limit=None):
    clauses, params = [], []
    for column, value in (("college", college), ("user_email", who), ("action", action)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since:
        clauses.append("at >= ?")
        params.append(since)
    if until:
        clauses.append("at < ?")
        params.append(until + "T99")
    where = " where " + " and ".join(clauses) if clauses else ""
    sql = f"select * from history{where} order by id desc" + (" limit ?" if limit else "")
    return [dict(r) for r in conn.execute(sql, params + ([limit] if limit else []))]


def history_choices(conn):
    """The values the history filters may take."""
    return {column: [r[0] for r in conn.execute(f"select distinct {column} from history where {column} != '' "
                                                f"order by {column}")]
            for column in ("college", "user_email", "action")}


# Changes

def decode(row):
    if row is None:
        return None
    change = dict(row)
    change["data"], change["before"] = json.loads(change["data"]), json.loads(change["before"])
    return change


def get_change(conn, change_id):
    return decode(conn.execute("select * from changes where id = ?", (change_id,)).fetchone())


def open_change(conn, college, kind, record_key):
    """The draft, returned or submitted change of a record, if there is one (at most one is open)."""
    return decode(conn.execute("select * from changes where college = ? and kind = ? and record_key = ? and status in "
                               "('draft', 'returned', 'submitted') order by id desc limit 1",
                               (college, kind, record_key)).fetchone())


def list_changes(conn, status=None, college=None):
    clauses, params = [], []
    if status:
        clauses.append("status in (%s)" % ",".join("?" * len(status)))
        params += list(status)
    if college:
        clauses.append("college = ?")
        params.append(college)
    where = " where " + " and ".join(clauses) if clauses else ""
    return [decode(r) for r in conn.execute(f"select * from changes{where} order by id", params)]


def approved_changes(conn):
    """Every approved change, oldest first: later approvals of the same field win."""
    return list_changes(conn, status=("approved",))


def changed_fields(before, after):
    return [field for field in sorted(set(before) | set(after)) if before.get(field) != after.get(field)]


class Conflict(Exception):
    """The record was saved by someone else since this form was opened; carries their version."""

    def __init__(self, current):
        self.current = current
        super().__init__("the record changed since it was opened")


def save_draft(conn, who, college, kind, record_key, data, before, version=None):
    """Create or update the open change of a record. `version` is the one the editor's form
    was opened at (None for a new change): a different current version raises Conflict and
    nothing is written."""
    with transaction(conn):
        current = open_change(conn, college, kind, record_key)
        if current is None:
            if version not in (None, 0):
                raise Conflict(None)
            cursor = conn.execute(
                "insert into changes (college, kind, record_key, status, data, before, author_id, created_at, "
                "updated_at) values (?, ?, ?, 'draft', ?, ?, (select id from users where email = ?), ?, ?)",
                (college, kind, record_key, dumps(data), dumps(before), who, now(), now()))
            change = get_change(conn, cursor.lastrowid)
            old = before
        else:
            if version != current["version"]:
                raise Conflict(current)
            conn.execute("update changes set data = ?, status = 'draft', version = version + 1, updated_at = ?, "
                         "author_id = (select id from users where email = ?) where id = ?",
                         (dumps(data), now(), who, current["id"]))
            change, old = get_change(conn, current["id"]), current["data"]
        for field in changed_fields(old, data):
            log(conn, who, "save", change, field, cell(old.get(field)), cell(data.get(field)))
    return change


def submit(conn, who, change_id):
    with transaction(conn):
        cursor = conn.execute("update changes set status = 'submitted', submitted_at = ?, version = version + 1 "
                              "where id = ? and status in ('draft', 'returned')", (now(), change_id))
        if cursor.rowcount:
            log(conn, who, "submit", get_change(conn, change_id))
    return bool(cursor.rowcount)


def review(conn, who, change_id, approve, comment=""):
    """Approve or return a submitted change; False if it was not waiting for review."""
    status = "approved" if approve else "returned"
    with transaction(conn):
        cursor = conn.execute("update changes set status = ?, reviewed_by = (select id from users where email = ?), "
                              "reviewed_at = ?, review_comment = ?, version = version + 1 "
                              "where id = ? and status = 'submitted'", (status, who, now(), comment, change_id))
        if cursor.rowcount:
            log(conn, who, "approve" if approve else "return", get_change(conn, change_id), comment=comment)
    return bool(cursor.rowcount)


def record_approved_change(conn, college, kind, record_key, data, before, source, who=SYSTEM, comment=""):
    """Record a change that is approved at once, such as an official import (for example the
    state order from a file of the education department).

    college: the college slug; kind: "college", "offering" or "specialty"; record_key: the college
    slug for "college", the specialty slug for "offering", the 8-digit specialty code for
    "specialty". A "specialty" change adds a specialty the atlas lacks (see overlay.py): its
    college is the proposing college's slug or '' for the department's import, its data
    {"name_kk", "name_ru" (at least one), "qualifications": [{"code", "name_kk", "name_ru"}]}.
    For the other kinds, data: the record's fields after the change
    (only the fields given are changed, named as in data/colleges.csv or data/offerings.csv, and
    `places_<year>` for an offering's state-order places of that year; values typed as
    sources.parse_cell returns them); before: the same fields before the change
    (for the history; {} for a new record); source: where the values come from, e.g.
    "state-order-2026.xlsx, 2026-07-01", shown as the public source of those fields.
    An open draft of the same record is left as it is. Returns the change's id.
    """
    with transaction(conn):
        cursor = conn.execute(
            "insert into changes (college, kind, record_key, status, data, before, source, author_id, created_at, "
            "updated_at, submitted_at, reviewed_by, reviewed_at, review_comment) values "
            "(?, ?, ?, 'approved', ?, ?, ?, (select id from users where email = ?), ?, ?, ?, "
            "(select id from users where email = ?), ?, ?)",
            (college, kind, record_key, dumps(data), dumps(before), source, who, now(), now(), now(), who, now(),
             comment))
        change = get_change(conn, cursor.lastrowid)
        for field in changed_fields(before, data):
            log(conn, who, "import", change, field, cell(before.get(field)), cell(data.get(field)), comment=source)
    return change["id"]


def mark_published(conn, who, change_ids, at):
    with transaction(conn):
        for change_id in change_ids:
            conn.execute("update changes set published_at = ? where id = ? and published_at is null", (at, change_id))
        log(conn, who, "publish", comment=f"{len(change_ids)} approved change(s)")


def last_updates(conn):
    """{college: time of its last approved change}."""
    return {r[0]: r[1] for r in conn.execute(
        "select college, max(reviewed_at) from changes where status = 'approved' group by college")}
