"""Approved changes from the editing area, laid over data/ before validation and the build.

No Flask and no database here: the editing area hands the build a list of plain dicts, one
per approved change, and the build applies them to the dataset it read from data/, then
validates the result with the same checks as always. An approved value supersedes the value
from data/ for the same field; the value from data/ is kept in the provenance rows, so the
public database can say, field by field, where each value comes from.

A change is {"id", "kind": "college" | "offering", "college", "record_key" (the specialty for
an offering), "data": {field: value}, "source": "" (college-provided) or a file name and date
(an official import), "checked_on": "YYYY-MM-DD", "published_on": "YYYY-MM-DD"}. A college's
"partners" (employer slugs) and "new_partners" ([{"name_kk", "name_ru"}]) set its dual-training
partners in the employers table; its "town" (DEPARTMENT_FIELDS) is required of a college a
change creates, and the build refuses one without it. An offering's "places_<year>" (any four-digit year) sets its
state-funded places for that year, a row of the state_order table (None removes the row).

A "specialty" change adds a specialty the atlas lacks: record_key is its 8-digit code, data
{"name_kk", "name_ru" (at least one), "qualifications": [{"code" (with or without its level
3W/4S/5AB), "name_kk", "name_ru"}]}. These are applied before every other change, so an
offering of the new specialty finds it. The record gets `classifier_checked` False (data/'s
are True), which public pages show. A specialty data/ already has is never rewritten: such a
change only adds the qualifications it lacks.
"""

import json
import re

# The provenance of values an import of the department's tables writes (atlas/stateorder/): plain
# enough to read in the API, regular enough for public pages to say it in the reader's language.


# The source a record gets when the editing area creates it.
EDITORIAL_SOURCE = {
    "slug": "college-submissions",
    "title_kk": "Колледж ұсынған, облыстық білім басқармасы тексерген деректер",
    "title_ru": "Данные колледжа, проверенные областным управлением образования",
    "url": "", "date": "",
}
EDITABLE = {
    "colleges": ("name_kk", "name_ru", "address_kk", "address_ru", "phone", "website", "email", "lat", "lon",
                 "languages", "dormitory", "school_college_track", "description_kk", "description_ru"),
    "offerings": ("qualifications", "languages", "entry_grades", "study_months", "paid_places", "dual"),
}
# Fields an approved change may set that no editor's form shows: a college the department's
# table adds needs its town (a slug of data/towns.csv), which a college's own editor never changes.
DEPARTMENT_FIELDS = {"colleges": ("town",), "offerings": ()}
PLACES_FIELD = re.compile(r"^places_(\d{4})$")
PROVENANCE_FIELDS = {"colleges": EDITABLE["colleges"] + ("partners",), "offerings": EDITABLE["offerings"]}


def places_year(field):
    """The year of a `places_<year>` field of an offering change, or None for any other field."""
    found = PLACES_FIELD.match(str(field))
    return int(found.group(1)) if found else None


def places_field(year):
    return f"places_{year}"


def blank(table, columns):
    return {c: ([] if kind == "list" else ("" if kind == "text" else None)) for c, kind in columns.items()}


def provenance_row(table, key, field, origin, source, checked_on=None, public_value=None, public_source=None,
                   change_id=None):
    return {"table_name": table, "record_key": key, "field": field, "origin": origin, "source": source or "",
            "checked_on": checked_on or "", "public_value": json.dumps(public_value, ensure_ascii=False),
            "public_source": public_source or "", "change_id": change_id}


def apply(data, changes, tables):
    """Lay changes over data in place; return (provenance rows, published-change rows).

    tables: sources.TABLES, for the columns of a record the editing area creates."""
    colleges = {c["slug"]: c for c in data["colleges"]}
    offerings = {(o["college"], o["specialty"]): o for o in data["offerings"]}
    state_order = {(r["college"], r["specialty"], r["year"]): r for r in data["state_order"]}
    overlaid = {}  # (table, key, field) -> provenance row
    published = []
    specialties = [c for c in changes if c["kind"] == "specialty"]
    for change in specialties:
        names = apply_specialty(data, change, tables)
        published.append(published_row(change, names, change.get("source") or ""))
    for change in changes:
        label = (f"editing area change {change['id']}", f"change {change['id']}")
        fields = dict(change["data"])
        if change["kind"] == "college":
            table, key, record = "colleges", change["college"], colleges.get(change["college"])
            if record is None:
                record = {**blank(table, tables["colleges"]), "slug": key, "verified": True, "status": "confirmed"}
                data["colleges"].append(record)
                colleges[key] = record
            partners, new_partners = fields.pop("partners", None), fields.pop("new_partners", None) or []
        elif change["kind"] == "offering":
            table, key = "offerings", f"{change['college']}/{change['record_key']}"
            record = offerings.get((change["college"], change["record_key"]))
            if record is None:
                record = {**blank(table, tables["offerings"]), "college": change["college"],
                          "specialty": change["record_key"], "verified": True}
                data["offerings"].append(record)
                offerings[(change["college"], change["record_key"])] = record
            partners, new_partners = None, []
        else:
            continue
        if "_file" not in record:
            record["_file"], record["_line"] = label
        record.setdefault("_public_verified", record is not None and not record.get("_file", "").startswith("editing")
                          and bool(record.get("verified")))
        if not record.get("source"):
            record["source"] = EDITORIAL_SOURCE["slug"]
        origin = "public" if change.get("source") else "college"
        source = change.get("source") or ""
        names, values = [], {}  # values: {field: [before, after]}, for the public list of changes
        for field, value in fields.items():
            year = places_year(field) if table == "offerings" else None
            if field not in EDITABLE[table] and field not in DEPARTMENT_FIELDS[table] and year is None:
                continue
            if year:
                places = state_order.get((record["college"], record["specialty"], year))
                now, now_source = (places["places"], places["source"]) if places else (None, "")
            else:
                now, now_source = record.get(field), record.get("source")
            previous = overlaid.get((table, key, field))
            public_value = previous["public_value"] if previous else json.dumps(now, ensure_ascii=False)
            public_source = previous["public_source"] if previous else (now_source or "")
            row = provenance_row(table, key, field, origin, source, change.get("checked_on"), None, public_source,
                                 change["id"])
            row["public_value"] = public_value
            overlaid[(table, key, field)] = row
            if now != value:
                names.append(field)
                values[field] = [now, value]
            if year:
                set_places(data, state_order, record, year, value, source, label)
            else:
                record[field] = value
        if partners is not None or new_partners:
            names.append("partners")
            apply_partners(data, change, partners, new_partners, tables)
            overlaid[(table, key, "partners")] = provenance_row(table, key, "partners", origin, source,
                                                                change.get("checked_on"), change_id=change["id"])
        if origin == "college":
            record["verified"] = True
            if table == "colleges" and "status" in record:
                record["status"] = "confirmed"  # the college's own data, checked by the department
        published.append(published_row(change, names, source, values))
    published.sort(key=lambda row: row["change_id"])
    if any(r.get("source") == EDITORIAL_SOURCE["slug"] for t in ("colleges", "offerings", "employers", "state_order",
                                                                  "specialties", "qualifications")
           for r in data[t]):
        if not any(s["slug"] == EDITORIAL_SOURCE["slug"] for s in data["sources"]):
            data["sources"].append({**EDITORIAL_SOURCE, "_file": "editing area", "_line": "source"})
    return provenance(data, overlaid), published


def published_row(change, names, source, values=None):
    """values: {field: [before, after]}, what the public list of changes shows."""
    return {"change_id": change["id"], "published_on": change.get("published_on") or "",
            "checked_on": change.get("checked_on") or "", "college": change["college"], "kind": change["kind"],
            "record_key": change["record_key"], "fields": json.dumps(names), "source": source,
            "values": json.dumps(values or {}, ensure_ascii=False, default=str)}


def apply_specialty(data, change, tables):
    """Add the specialty of a "specialty" change, and its qualifications, where the atlas lacks
    them; return the names of what it added or changed ("specialty", qualification codes).

    A name given in one language only is used for both until someone writes the other: a page
    in either language then names the specialty as the college or the table did."""
    from .checks import qualification_code

    code = str(change["record_key"])
    fields = change["data"] or {}
    label = f"editing area change {change['id']}"
    names = []
    specialty = next((s for s in data["specialties"] if s["slug"] == code), None)
    if specialty is None:
        specialty = {**blank("specialties", tables["specialties"]), "slug": code, "code": code,
                     "source": EDITORIAL_SOURCE["slug"], "verified": False, "classifier_checked": False,
                     "_file": label, "_line": f"specialty {code}"}
        data["specialties"].append(specialty)
    if specialty["_file"].startswith("editing area"):
        # A specialty an earlier change added takes the later change's names; data/'s never changes.
        given = {lang: " ".join(str(fields.get(f"name_{lang}") or "").split()) for lang in ("kk", "ru")}
        for lang, other in (("kk", "ru"), ("ru", "kk")):
            value = given[lang] or given[other]
            if value and specialty.get(f"name_{lang}") != value:
                specialty[f"name_{lang}"] = value
                if "specialty" not in names:
                    names.append("specialty")
    known = {q["code"] for q in data["qualifications"]}
    for number, item in enumerate(fields.get("qualifications") or [], start=1):
        item = item if isinstance(item, dict) else {}
        typed = qualification_code(item.get("code"))
        level, qualification = typed if typed else ("", str(item.get("code") or ""))
        if qualification in known:
            continue
        given = {lang: " ".join(str(item.get(f"name_{lang}") or "").split()) for lang in ("kk", "ru")}
        data["qualifications"].append({
            **blank("qualifications", tables["qualifications"]), "code": qualification, "specialty": code,
            "level": item.get("level") or level, "name_kk": given["kk"] or given["ru"],
            "name_ru": given["ru"] or given["kk"], "source": EDITORIAL_SOURCE["slug"], "verified": False,
            "classifier_checked": False, "_file": label, "_line": f"qualification {number}"})
        known.add(qualification)
        names.append(qualification)
    return names


def set_places(data, state_order, offering, year, value, source, label):
    """Lay one year's places over the state_order table: the row then belongs to the change (its
    file and line name the change, its source is the import's, or the editing area's)."""
    key = (offering["college"], offering["specialty"], year)
    row = state_order.get(key)
    if value is None:
        if row is not None:
            data["state_order"].remove(row)
            del state_order[key]
        return
    if row is None:
        row = {"year": year, "college": offering["college"], "specialty": offering["specialty"]}
        data["state_order"].append(row)
        state_order[key] = row
    row.update(places=value, source=source or EDITORIAL_SOURCE["slug"], _file=label[0], _line=f"places {year}")


def apply_partners(data, change, partners, new_partners, tables):
    college = change["college"]
    if partners is not None:
        chosen = set(partners)
        for employer in data["employers"]:
            linked = college in employer["colleges"]
            if employer["slug"] in chosen and not linked:
                employer["colleges"] = [*employer["colleges"], college]
            elif employer["slug"] not in chosen and linked:
                employer["colleges"] = [c for c in employer["colleges"] if c != college]
    for number, partner in enumerate(new_partners, start=1):
        slug = f"{college}-partner-{change['id']}-{number}"
        if any(e["slug"] == slug for e in data["employers"]):
            continue
        record = {**blank("employers", tables["employers"]), "slug": slug, "name_kk": partner.get("name_kk", ""),
                  "name_ru": partner.get("name_ru", ""), "colleges": [college],
                  "source": EDITORIAL_SOURCE["slug"], "verified": True,
                  "_file": f"editing area change {change['id']}", "_line": f"new partner {number}"}
        data["employers"].append(record)


def provenance(data, overlaid):
    """One row per editable field of every college and offering: the overlaid fields say
    which change set them; the rest come from data/ (a source, or unverified). Each year of an
    offering's state-order places is a field of its own, `places_<year>`."""
    rows = []
    years = {}
    for places in data["state_order"]:
        years.setdefault(f"{places['college']}/{places['specialty']}", []).append(places)
    for table, key_of in (("colleges", lambda r: r["slug"]), ("offerings", lambda r: f"{r['college']}/{r['specialty']}")):
        for record in data[table]:
            key = key_of(record)
            for field in PROVENANCE_FIELDS[table]:
                row = overlaid.get((table, key, field))
                if row is None:
                    verified = record.get("_public_verified", record.get("verified"))
                    row = provenance_row(table, key, field, "public" if verified else "unverified",
                                         record.get("source"))
                rows.append(row)
            for places in sorted(years.get(key, []) if table == "offerings" else [], key=lambda p: p["year"]):
                field = places_field(places["year"])
                rows.append(overlaid.get((table, key, field)) or provenance_row(
                    table, key, field, "public" if places["source"] else "unverified", places["source"]))
    return rows
