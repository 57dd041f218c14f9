"""Invitations for many colleges at once, from a table of (college, e-mail) rows.

The department has a list of each college's contact person; it uploads it as CSV, sees what
would be sent row by row (who gets a new account, who only gets access to one more college,
which rows are wrong and why), and sends when no row is wrong: one wrong row sends nothing,
as an import writes nothing. No Flask request is needed except for the translations.
"""

import csv
import difflib
import io
import re

from flask_babel import gettext as _

MAX_BYTES = 256 * 1024
MAX_ROWS = 500
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
COLLEGE_HEADERS = {"college", "колледж", "учебное заведение", "организация образования", "оқу орны",
                   "колледж атауы", "название колледжа", "slug"}
EMAIL_HEADERS = {"email", "e-mail", "почта", "эл. почта", "электронная почта", "эл. пошта", "электрондық пошта",
                 "адрес электронной почты", "mail"}
# Words of an official name that say the legal form or the owner, not which college it is.
WRAPPERS = re.compile(r"\b(кгкп|гккп|кмқк|мкқк|тоо|ао|аққ|ақ)\b|управлени[яе] образования( вко| восточно-казахстанской"
                      r" области)?|шқо білім басқармасының|шығыс қазақстан облысы білім басқармасының")


class Refused(Exception):
    """The whole file is refused, with a message for the reader."""


def fold(name):
    """A college name compared as people mean it: case, ё/е, quotes, legal form and extra spaces aside."""
    text = str(name or "").casefold().replace("ё", "е")
    text = re.sub(r"[\"'«»“”„‘’`]", " ", text)
    text = WRAPPERS.sub(" ", text)
    return " ".join(text.replace(",", " ").split())


def decode(content):
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else Windows-1251, which is how
    Excel saves «CSV» on a Russian or Kazakh Windows."""
    if len(content) > MAX_BYTES:
        raise Refused(_("The file is larger than %(limit)s KB.", limit=MAX_BYTES // 1024))
    if b"\x00" in content[:4096]:
        raise Refused(_("The file is not a CSV table."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1251", errors="replace")


def read_rows(text):
    """[(line, college, email)] of a CSV text with or without a header; comma, semicolon or tab."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise Refused(_("The file is empty."))
    delimiter = max((";", ",", "\t"), key=first.count)
    table = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            table.append([c.strip() for c in cells])
            if len(table) > MAX_ROWS + 1:
                raise Refused(_("The table has more than %(limit)s rows.", limit=MAX_ROWS))
    except csv.Error:
        raise Refused(_("The file is not a CSV table.")) from None
    numbered = [(n, cells) for n, cells in enumerate(table, start=1) if any(cells)]
    college_at, email_at = 0, 1
    header = [c.casefold().strip(" :*") for c in numbered[0][1]] if numbered else []
    if any(c in EMAIL_HEADERS for c in header) or any(c in COLLEGE_HEADERS for c in header):
        email_at = next((i for i, c in enumerate(header) if c in EMAIL_HEADERS), None)
        college_at = next((i for i, c in enumerate(header) if c in COLLEGE_HEADERS), None)
        if email_at is None or college_at is None:
            raise Refused(_("The header must name two columns: college and e-mail."))
        numbered = numbered[1:]
    elif numbered and "@" in (numbered[0][1][0] if numbered[0][1] else ""):
        college_at, email_at = 1, 0  # e-mail first, without a header
    rows = [(n, cells[college_at] if college_at < len(cells) else "", cells[email_at] if email_at < len(cells) else "")
            for n, cells in numbered]
    if not rows:
        raise Refused(_("The table has a header but no rows."))
    return rows


def college_index(colleges):
    """{folded name or slug: [slug]} over both languages."""
    index = {}
    for college in colleges:
        for key in {college["slug"].casefold(), fold(college.get("name_kk")), fold(college.get("name_ru"))}:
            if key and college["slug"] not in index.setdefault(key, []):
                index[key].append(college["slug"])
    return index


def plan(rows, colleges, users, lang="kk"):
    """What sending would do, row by row, and per account.

    rows: read_rows(); colleges: the current dataset's colleges; users: store.list_users().
    Returns {"rows": [{line, college, email, slug, errors, note}], "accounts": [{email, colleges,
    outcome: new | grant | resend | nothing, user_id}], "errors": number of wrong rows}."""
    index = college_index(colleges)
    names = {c["slug"]: c for c in colleges}
    accounts = {u["email"].casefold(): u for u in users}
    planned, grouped, seen = [], {}, {}
    for line, raw_college, raw_email in rows:
        errors, note, slug = [], "", None
        email = raw_email.strip().strip("<>").strip()
        if not raw_college:
            errors.append(_("The college is empty."))
        else:
            found = index.get(fold(raw_college), [])
            if len(found) == 1:
                slug = found[0]
            elif len(found) > 1:
                errors.append(_("“%(name)s” names more than one college: write the atlas's name or slug.",
                                name=raw_college))
            else:
                close = difflib.get_close_matches(fold(raw_college), [k for k in index if " " in k], n=1, cutoff=0.75)
                if close:
                    errors.append(_("The atlas has no college “%(name)s”. Did you mean “%(close)s”?",
                                    name=raw_college, close=college_label(names, index[close[0]][0], lang)))
                else:
                    errors.append(_("The atlas has no college “%(name)s”.", name=raw_college))
        if not email:
            errors.append(_("The e-mail is empty."))
        elif not EMAIL.match(email) or len(email) > 254:
            errors.append(_("“%(value)s” is not an e-mail address.", value=email))
        else:
            account = accounts.get(email.casefold())
            if account and account["role"] == "admin":
                errors.append(_("This is an administrator's account: it already sees every college."))
            elif account and account["disabled_at"]:
                errors.append(_("This account is disabled: use another e-mail."))
        key = (email.casefold(), slug)
        if not errors and key in seen:
            note = _("Repeats row %(row)s.", row=seen[key])
        elif not errors:
            seen[key] = line
            grouped.setdefault(email.casefold(), {"email": email, "colleges": []})["colleges"].append(slug)
        planned.append({"line": line, "college": raw_college, "email": email, "slug": slug, "errors": errors,
                        "note": note})
    result = []
    for folded, group in grouped.items():
        account = accounts.get(folded)
        wanted = sorted(set(group["colleges"]))
        if account is None:
            outcome, adding = "new", wanted
        else:
            adding = [c for c in wanted if c not in account["colleges"]]
            if adding:
                outcome = "grant"
            elif not account["password_hash"]:
                outcome = "resend"  # invited before and never came: a fresh link
            else:
                outcome = "nothing"
        result.append({"email": account["email"] if account else group["email"], "colleges": wanted,
                       "adding": adding, "outcome": outcome, "user_id": account["id"] if account else None})
    return {"rows": planned, "accounts": result, "errors": sum(1 for r in planned if r["errors"])}


def college_label(names, slug, lang):
    college = names.get(slug) or {}
    return college.get(f"name_{lang}") or college.get("name_ru") or college.get("name_kk") or slug
