"""Writing the search index at build time: one document per profession, specialty, college
and employer, with the text of both languages folded to language-neutral skeletons.

Doing all normalisation here, once, keeps a query to a single FTS5 match plus a few
indexed look-ups; the query side (query.py) folds its words with the same functions.
"""

import json
from collections import Counter, defaultdict

from .normalise import skeleton, words

TYPES = ("profession", "specialty", "college", "employer")
# BM25 weights of the FTS columns, in their order: name > aliases > summary > body.
COLUMNS = ("name", "aliases", "summary", "body")
WEIGHTS = (10.0, 6.0, 2.0, 1.0)


def both(row, field):
    return [row.get(f"{field}_kk") or "", row.get(f"{field}_ru") or ""]


def listed(value):
    if isinstance(value, str):
        return json.loads(value) if value else []
    return value or []


def skeletons(parts, seen):
    """Index words of every text in parts, joined for FTS5 (which tokenises on spaces);
    counts each (skeleton, word) pair in seen, for the typo-correcting vocabulary."""
    keys = []
    for part in parts:
        for word in words(part):
            key = skeleton(word)
            if key:
                keys.append(key)
                seen[key, word] += 1
    return " ".join(keys)


class Documents:
    """Collects documents, their facet values and their codes before they are written."""

    def __init__(self):
        self.rows, self.texts, self.facets, self.codes = [], [], set(), set()
        self.seen = Counter()

    def add(self, type_, key, row, name, aliases, summary, body, facets, codes=()):
        doc_id = len(self.rows) + 1
        self.rows.append({
            "id": doc_id, "type": type_, "key": key,
            "name_kk": row["name_kk"], "name_ru": row["name_ru"],
            "summary_kk": row.get("summary_kk") or "", "summary_ru": row.get("summary_ru") or "",
            "name_keys": " ".join(skeleton(w) for w in words(f"{row['name_kk']} {row['name_ru']}")),
            # Names and aliases: a typo is only corrected into a word that names a record.
            "label_keys": " ".join(skeleton(w) for part in (*name, *aliases) for w in words(part)),
        })
        self.texts.append({"rowid": doc_id, **{c: skeletons(p, self.seen) for c, p in
                                               zip(COLUMNS, (name, aliases, summary, body))}})
        self.facets.add((doc_id, "type", type_))
        for facet, values in facets.items():
            for value in values:
                if value not in (None, ""):
                    self.facets.add((doc_id, facet, str(value)))
        for code in codes:
            if code:
                self.codes.add((doc_id, code.upper()))


def write(db):
    """Create search_docs, search_fts, search_facets and search_codes in db."""
    q = lambda sql, *args: [dict(r) for r in db.query(sql, args)]  # noqa: E731
    sectors = {r["slug"]: r for r in q("select * from sectors")}
    towns = {r["slug"]: r for r in q("select * from towns")}
    colleges = {r["slug"]: r for r in q("select * from colleges")}
    offerings = defaultdict(list)  # specialty -> offerings
    for o in q("select * from offerings"):
        offerings[o["specialty"]].append(o)
    specialties = {r["slug"]: r for r in q("select * from specialties")}
    qualifications = defaultdict(list)
    for r in q("select * from qualifications"):
        qualifications[r["specialty"]].append(r)
    study = defaultdict(list)  # profession -> specialty slugs
    taught = defaultdict(list)  # specialty -> profession rows
    professions = {r["slug"]: r for r in q("select * from professions")}
    leads_to = defaultdict(list)  # profession -> the qualification rows its study links name
    by_code = {r["code"]: r for quals in qualifications.values() for r in quals}
    for link in q("select * from profession_specialties order by position"):
        study[link["profession"]].append(link["specialty"])
        taught[link["specialty"]].append(professions[link["profession"]])
        if link["qualification"] in by_code:
            leads_to[link["profession"]].append(by_code[link["qualification"]])

    def offering_facets(specialty_slugs):
        found = defaultdict(set)
        for slug in specialty_slugs:
            for grade in listed(specialties[slug]["entry_grades"]):
                found["grade"].add(grade)
            for o in offerings[slug]:
                found["town"].add(colleges[o["college"]]["town"])
                found["grade"].update(listed(o["entry_grades"]))
                found["language"].update(listed(o["languages"]) or listed(colleges[o["college"]]["languages"]))
                if o["dual"]:
                    found["dual"].add("yes")
        return found

    docs = Documents()
    for p in professions.values():
        sector = sectors[p["sector"]]
        facets = offering_facets(study[p["slug"]])
        facets.update(sector=[p["sector"]], status=[p["status"]])
        docs.add(
            "profession", p["slug"], p, both(p, "name"),
            listed(p["aliases_kk"]) + listed(p["aliases_ru"]) + listed(p["other_names_kk"]) + listed(p["other_names_ru"]),
            both(p, "summary"),
            [*listed(p["tasks_kk"]), *listed(p["tasks_ru"]), *listed(p["skills_kk"]), *listed(p["skills_ru"]),
             *both(sector, "name"), *[n for s in study[p["slug"]] for n in both(specialties[s], "name")],
             *[n for s in study[p["slug"]] for qual in qualifications[s] for n in both(qual, "name")]],
            facets,
            # A qualification code finds the cards it leads to, with or without its level prefix.
            codes=[c for q in leads_to[p["slug"]] for c in (q["code"], q["level"] + q["code"])],
        )
    for s in specialties.values():
        facets = offering_facets([s["slug"]])
        facets["sector"] = {p["sector"] for p in taught[s["slug"]]}
        quals = qualifications[s["slug"]]
        docs.add(
            "specialty", s["slug"], s, [*both(s, "name")],
            [n for qual in quals for n in both(qual, "name")],
            [n for p in taught[s["slug"]] for n in both(p, "name")],
            [n for o in offerings[s["slug"]] for n in both(colleges[o["college"]], "name")],
            facets,
            codes=[s["code"], *[qual["code"] for qual in quals],
                   *[qual["level"] + qual["code"] for qual in quals if qual["level"]]],
        )
    college_offerings = defaultdict(list)
    for specialty_offerings in offerings.values():
        for o in specialty_offerings:
            college_offerings[o["college"]].append(o)
    for c in colleges.values():
        found = offering_facets([])
        for o in college_offerings[c["slug"]]:
            found["grade"].update(listed(o["entry_grades"]))
            found["language"].update(listed(o["languages"]))
            if o["dual"]:
                found["dual"].add("yes")
        found["language"].update(listed(c["languages"]))
        found["town"] = [c["town"]]
        docs.add(
            "college", c["slug"], c, both(c, "name"), both(towns[c["town"]], "name"),
            both(c, "note"),
            [n for o in college_offerings[c["slug"]] for n in both(specialties[o["specialty"]], "name")],
            found,
        )
    for e in q("select * from employers"):
        hires = [professions[r["profession"]] for r in
                 q("select profession from profession_employers where employer = ?", e["slug"])]
        docs.add(
            "employer", e["slug"], e, both(e, "name"),
            both(towns[e["town"]], "name") if e["town"] else [],
            both(sectors[e["sector"]], "name") if e["sector"] else [],
            [n for p in hires for n in both(p, "name")],
            {"sector": [e["sector"]], "town": [e["town"]]},
        )

    db["search_docs"].insert_all(docs.rows, pk="id")
    db["search_words"].insert_all(vocabulary_rows(docs.seen), pk="skeleton")
    # A query word becomes prefix terms of three letters or more (query.MIN_PREFIX), mostly of
    # four to eight: FTS5 finds a prefix of a length listed here in an index of its own, rather
    # than gathering every word that starts with it (a broad word's match took a third less).
    db.execute(f"create virtual table search_fts using fts5({', '.join(COLUMNS)}, "
               "tokenize = 'unicode61 remove_diacritics 0', prefix = '3 4 5 6 7 8')")
    db["search_fts"].insert_all(docs.texts)
    db.execute("insert into search_fts(search_fts) values ('optimize')")  # one segment to read
    db["search_facets"].create({"doc_id": int, "facet": str, "value": str}, pk=("facet", "value", "doc_id"))
    db["search_facets"].insert_all(
        ({"doc_id": d, "facet": f, "value": v} for d, f, v in sorted(docs.facets)),
    )
    db["search_facets"].create_index(["doc_id"])
    db["search_codes"].create({"code": str, "doc_id": int}, pk=("code", "doc_id"))
    db["search_codes"].insert_all(({"code": c, "doc_id": d} for d, c in sorted(docs.codes)))


def vocabulary_rows(seen):
    """One row per skeleton: the word most often written for it (shown in "did you mean")
    and how often the skeleton occurs (to prefer common words when correcting typos)."""
    best, totals = {}, Counter()
    for (key, word), n in seen.items():
        totals[key] += n
        if key not in best or n > best[key][1]:
            best[key] = (word, n)
    return ({"skeleton": k, "word": w, "count": totals[k]} for k, (w, _) in sorted(best.items()))
