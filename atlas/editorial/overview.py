"""The department's overview: for every college, how much of what a student asks is filled.

One row per college of the current dataset (data/ with every approved change, as `atlas
publish` would build it): contacts, offerings, and how many offerings say their languages,
entry grades, study length and places of the latest year of the state order; when the
department last approved a change of the college and who did; how many accounts edit it.
No Flask here: the page, its CSV and the tests share these functions.
"""

CONTACTS = (("phone", ("phone",)), ("email", ("email",)), ("website", ("website",)),
            ("address", ("address_kk", "address_ru")))
SORTS = ("name", "contacts", "offerings", "languages", "grades", "months", "places", "checked", "editors")


def filled(value):
    return value not in (None, "", [], {})


def latest_year(data):
    """The newest year of the state order in the dataset, or None when no offering has places."""
    return max((row["year"] for row in data.get("state_order") or ()), default=None)


def college_rows(data, lang, reviews=None, users=()):
    """[{slug, name, contacts, missing_contacts, offerings, languages, grades, months, places,
    places_total, year, checked_at, checked_by, editors, invited}] in name order.

    reviews: {college: {"at", "by"}} (store.last_reviews); users: store.list_users()."""
    reviews = reviews or {}
    year = latest_year(data)
    offerings, places = {}, {}
    for offering in data.get("offerings") or ():
        offerings.setdefault(offering["college"], []).append(offering)
    for row in data.get("state_order") or ():
        if row["year"] == year and row.get("places") is not None:
            places[(row["college"], row["specialty"])] = row["places"]
    editors, invited = {}, {}
    for user in users:
        if user.get("disabled_at"):
            continue
        for college in user.get("colleges") or ():
            counter = editors if user.get("password_hash") else invited
            counter[college] = counter.get(college, 0) + 1
    other = "ru" if lang == "kk" else "kk"
    rows = []
    for college in data.get("colleges") or ():
        slug = college["slug"]
        own = offerings.get(slug, [])
        present = [name for name, fields in CONTACTS if any(filled(college.get(f)) for f in fields)]
        with_places = [places[(slug, o["specialty"])] for o in own if (slug, o["specialty"]) in places]
        review = reviews.get(slug) or {}
        rows.append({
            "slug": slug, "name": college.get(f"name_{lang}") or college.get(f"name_{other}") or slug,
            "contacts": len(present), "contacts_of": len(CONTACTS),
            "missing_contacts": [name for name, _fields in CONTACTS if name not in present],
            "offerings": len(own),
            "languages": sum(1 for o in own if filled(o.get("languages"))),
            "grades": sum(1 for o in own if filled(o.get("entry_grades"))),
            "months": sum(1 for o in own if filled(o.get("study_months"))),
            "places": len(with_places), "places_total": sum(with_places), "year": year,
            "checked_at": review.get("at") or "", "checked_by": review.get("by") or "",
            "editors": editors.get(slug, 0), "invited": invited.get(slug, 0),
        })
    return sorted(rows, key=lambda r: (r["name"].casefold(), r["slug"]))


def share(row, field):
    """How much of the college's offerings a column covers, 0..1 (a college without offerings: 0)."""
    return row[field] / row["offerings"] if row["offerings"] else 0.0


def sort_key(field):
    if field == "name":
        return lambda r: (r["name"].casefold(), r["slug"])
    if field in ("languages", "grades", "months", "places"):
        return lambda r: (share(r, field), r[field], r["name"].casefold())
    if field == "checked":
        return lambda r: (r["checked_at"], r["name"].casefold())
    if field == "editors":
        return lambda r: (r["editors"], r["invited"], r["name"].casefold())
    return lambda r: (r[field], r["name"].casefold())


def sorted_rows(rows, field="name", descending=False):
    """The rows sorted by one column (an unknown column sorts by name)."""
    field = field if field in SORTS else "name"
    return sorted(rows, key=sort_key(field), reverse=descending)


CSV_COLUMNS = ["slug", "name", "contacts", "missing_contacts", "offerings", "languages", "entry_grades",
               "study_months", "places_year", "offerings_with_places", "places_total", "last_checked",
               "checked_by", "editors", "invited"]


def csv_rows(rows, format_time):
    """The overview as CSV rows (CSV_COLUMNS), times as the region reads them."""
    return [[r["slug"], r["name"], r["contacts"], " ".join(r["missing_contacts"]), r["offerings"], r["languages"],
             r["grades"], r["months"], r["year"] or "", r["places"], r["places_total"],
             format_time(r["checked_at"]), r["checked_by"], r["editors"], r["invited"]] for r in rows]


def totals(rows):
    """The region at a glance: how many colleges have an editor and every contact, how many
    specialties give each value."""
    found = {"colleges": len(rows), "with_editors": sum(1 for r in rows if r["editors"]),
             "with_contacts": sum(1 for r in rows if not r["missing_contacts"]),
             "year": rows[0]["year"] if rows else None}
    for field in ("offerings", "languages", "grades", "months", "places"):
        found[field] = sum(r[field] for r in rows)
    return found
