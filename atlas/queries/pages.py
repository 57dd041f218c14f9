"""The pages' queries: functions of (db, lang, ...) returning plain dicts with
language-neutral keys. Views and templates never see a `_kk` or `_ru` column."""

from functools import wraps

from ..languages import LANGUAGES, localise
from .clauses import where
from .documents import load_document
from .places import add_state_order

PROFESSION_LISTS = ("aliases", "other_names", "tasks", "skills", "soft_skills", "subjects", "first_steps", "career_path")
LIST_COLUMNS = ("entry_grades", "languages", "qualifications")


def per_build(query):
    """For the small tables that many pages show (sectors, towns, subjects, sources, quiz
    types, the region's figures): read once per connection to a build (db.BuildConnection),
    not once per page. What it returns is shared: callers read it and never change it."""

    @wraps(query)
    def shared(db, *args):
        memory = getattr(db, "per_build", None)
        if memory is None:  # a plain connection (the build itself, a test): read every time
            return query(db, *args)
        key = (query.__name__, *args)
        try:
            return memory[key]
        except KeyError:
            found = memory[key] = query(db, *args)
            return found

    return shared


def rows(db, sql, params=(), lang="kk", lists=()):
    assert lang in LANGUAGES
    return localise(db.execute(sql, params), lang, lists)


def row(db, sql, params=(), lang="kk", lists=()):
    found = rows(db, sql, params, lang, lists)
    return found[0] if found else None


# Sectors, towns, subjects, sources

@per_build
def list_sectors(db, lang):
    return rows(db, """
        select sectors.*, count(professions.slug) as professions
        from sectors left join professions on professions.sector = sectors.slug
        group by sectors.slug order by sectors."order" """, lang=lang)


@per_build
def list_sector_names(db, lang):
    """{slug: name} of every sector, without counts: for labels and parameter checks."""
    return {r["slug"]: r["name"] for r in rows(db, "select slug, name_kk, name_ru from sectors", lang=lang)}


@per_build
def list_town_names(db, lang):
    return {r["slug"]: r["name"] for r in rows(db, "select * from towns order by rowid", lang=lang)}


def count_professions(db, status=None):
    return db.execute(f"select count(*) from professions {where(status=status)}", {"status": status}).fetchone()[0]



@per_build
def list_towns(db, lang):
    return rows(db, """
        select towns.*, count(colleges.slug) as colleges
        from towns left join colleges on colleges.town = towns.slug
        group by towns.slug order by count(colleges.slug) desc, towns.rowid""", lang=lang)



@per_build
def list_subjects_by_slug(db, lang):
    return {r["slug"]: r for r in rows(db, "select * from subjects", lang=lang)}


def get_subjects(db, lang, slugs):
    names = list_subjects_by_slug(db, lang)
    return [names[s] for s in slugs if s in names]


@per_build
def list_sources(db, lang):
    return rows(db, "select * from sources order by rowid", lang=lang)


@per_build
def get_source(db, lang, slug_or_url):
    """A source by its slug, or a bare URL given in data/ as the source."""
    if not slug_or_url:
        return None
    if slug_or_url.startswith(("http://", "https://")):
        return {"slug": "", "title": slug_or_url, "url": slug_or_url}
    return row(db, "select * from sources where slug = ?", (slug_or_url,), lang)


# Professions

def list_professions(db, lang, sector=None, status=None, limit=None):
    """The professions in the list's order, each with its name, teaser (its summary cut for
    lists), status and sector, as dataset.build.write_profession_list laid them out."""
    assert lang in LANGUAGES
    sql = f"""select slug, name, teaser, status, sector, sector_name from profession_list
              {where(lang=lang, sector=sector, status=status)} order by position"""
    if limit:
        sql += " limit :limit"
    cursor = db.execute(sql, {"lang": lang, "sector": sector, "status": status, "limit": limit})
    cursor.row_factory = None
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor]


def list_profession_items(db, lang, path, sector=None, status=None):
    """The professions list's items as tuples (url, name, status, sector name, teaser), in the
    order its template unpacks them; each url is path followed by the card's slug. The page
    shows every card at once: the list is read as the one JSON array the build wrote of it
    (dataset.build.write_profession_list), and a dict per card, read a key at a time through
    Jinja, cost more than writing the item out."""
    assert lang in LANGUAGES
    found = db.execute("select items from profession_list_json where lang = ?", [lang]).fetchone()
    return [(path + slug, name, state, sector_name, teaser)
            for slug, name, state, in_sector, sector_name, teaser in load_document(found[0])
            if (sector is None or in_sector == sector) and (status is None or state == status)]


@per_build
def count_professions_by_status(db):
    """{status: how many cards}: the professions list's filter counts, the same for a whole build."""
    return {r["status"]: r["n"] for r in db.execute(
        "select status, count(*) as n from professions group by status")}


def get_profession(db, lang, slug):
    return row(db, """select professions.*, sectors.name_kk as sector_name_kk, sectors.name_ru as sector_name_ru
                      from professions join sectors on sectors.slug = professions.sector
                      where professions.slug = ?""", (slug,), lang, PROFESSION_LISTS)


def list_related_professions(db, lang, slug):
    return rows(db, """select professions.slug, professions.name_kk, professions.name_ru, professions.status
                       from profession_related join professions on professions.slug = profession_related.related
                       where profession_related.profession = ? order by position""", (slug,), lang)


def list_study_routes(db, lang, slug):
    """The specialties (and qualifications) leading to a profession, each with the colleges
    of the region that offer it."""
    routes = rows(db, """
        select specialties.*, profession_specialties.qualification as qualification_code,
               profession_specialties.nearest,
               qualifications.name_kk as qualification_name_kk, qualifications.name_ru as qualification_name_ru,
               qualifications.level as qualification_level
        from profession_specialties
        join specialties on specialties.slug = profession_specialties.specialty
        left join qualifications on qualifications.code = profession_specialties.qualification
        where profession_specialties.profession = ? order by profession_specialties.position""",
                  (slug,), lang, LIST_COLUMNS)
    merged = {}
    for route in routes:
        entry = merged.setdefault(route["slug"], {**route, "qualifications": []})
        if route["qualification_code"]:
            entry["qualifications"].append({"code": route["qualification_code"],
                                            "level": route["qualification_level"],
                                            "name": route["qualification_name"]})
    for entry in merged.values():
        entry["offerings"] = list_specialty_offerings(db, lang, entry["slug"])
    return list(merged.values())


def get_wage(db, lang, slug):
    """A sector's or occupation group's average pay as its source gives it, with the source resolved."""
    if not slug:
        return None
    found = row(db, "select * from wages where slug = ?", (slug,), lang)
    if found:
        found["source"] = get_source(db, lang, found["source"])
    return found


def list_profession_requirements(db, lang, slug):
    """Licences, attestations and checks the work requires, each with its source resolved."""
    found = rows(db, """select text_kk, text_ru, source from profession_requirements
                        where profession = ? order by position""", (slug,), lang)
    for item in found:
        item["source"] = get_source(db, lang, item["source"])
    return found


@per_build
def list_interest_types_by_code(db, lang):
    return {t["code"]: t for t in rows(db, "select code, name_kk, name_ru from quiz_types", lang=lang)}


def list_interest_types(db, lang, codes):
    """A RIASEC code in words (the quiz's own names for the types), strongest first."""
    types = list_interest_types_by_code(db, lang)
    return [types[code] for code in codes or "" if code in types]


def list_profession_employers(db, lang, slug):
    return rows(db, """select employers.*, towns.name_kk as town_name_kk, towns.name_ru as town_name_ru
                       from profession_employers join employers on employers.slug = profession_employers.employer
                       left join towns on towns.slug = employers.town
                       where profession_employers.profession = ? order by employers.rowid""", (slug,), lang)


# Specialties and qualifications

def list_specialties(db, lang):
    return rows(db, f"""
        select specialties.*,
               (select count(*) from profession_specialties ps where ps.specialty = specialties.slug) as professions,
               (select count(*) from offerings where offerings.specialty = specialties.slug) as colleges
        from specialties order by specialties.code = '', specialties.code, specialties.name_{lang}""",
                lang=lang, lists=LIST_COLUMNS)


def get_specialty(db, lang, slug):
    return row(db, "select * from specialties where slug = ?", (slug,), lang, LIST_COLUMNS)


def list_qualifications(db, lang, specialty):
    return rows(db, "select * from qualifications where specialty = ? order by code", (specialty,), lang)


def list_specialty_professions(db, lang, specialty):
    return rows(db, """select distinct professions.slug, professions.name_kk, professions.name_ru, professions.status
                       from profession_specialties join professions on professions.slug = profession_specialties.profession
                       where profession_specialties.specialty = ? order by professions.rowid""", (specialty,), lang)


def list_specialty_offerings(db, lang, specialty):
    return add_state_order(db, rows(db, """select offerings.*, colleges.name_kk as college_name_kk, colleges.name_ru as college_name_ru,
                              colleges.verified as college_verified,
                              towns.name_kk as town_name_kk, towns.name_ru as town_name_ru
                       from offerings join colleges on colleges.slug = offerings.college
                       join towns on towns.slug = colleges.town
                       where offerings.specialty = ? order by colleges.rowid""", (specialty,), lang, LIST_COLUMNS),
                           specialty=specialty)


# Colleges

def list_colleges(db, lang, town=None):
    return rows(db, f"""
        select colleges.*, towns.name_kk as town_name_kk, towns.name_ru as town_name_ru,
               (select count(*) from offerings where offerings.college = colleges.slug) as specialties
        from colleges join towns on towns.slug = colleges.town
        {where(**{"colleges.town": town})}
        order by colleges.verified desc, colleges.name_{lang}""", {"town": town}, lang, LIST_COLUMNS)


def get_college(db, lang, slug):
    return row(db, """select colleges.*, towns.name_kk as town_name_kk, towns.name_ru as town_name_ru
                      from colleges join towns on towns.slug = colleges.town where colleges.slug = ?""",
               (slug,), lang, LIST_COLUMNS)


def list_college_offerings(db, lang, college):
    return add_state_order(db, rows(db, """select offerings.*, specialties.code, specialties.name_kk, specialties.name_ru
                       from offerings join specialties on specialties.slug = offerings.specialty
                       where offerings.college = ? order by specialties.code""", (college,), lang, LIST_COLUMNS),
                           college=college)


def list_college_partners(db, lang, college):
    return rows(db, """select employers.* from employer_colleges join employers on employers.slug = employer_colleges.employer
                       where employer_colleges.college = ? order by employers.rowid""", (college,), lang)


# Employers and region figures

def list_employers(db, lang):
    return rows(db, """select employers.*, towns.name_kk as town_name_kk, towns.name_ru as town_name_ru
                       from employers left join towns on towns.slug = employers.town order by employers.rowid""",
                lang=lang)


@per_build
def list_region_figures(db, lang):
    return rows(db, """select region_figures.*, sources.title_kk as source_title_kk, sources.title_ru as source_title_ru,
                              sources.url as source_url
                       from region_figures left join sources on sources.slug = region_figures.source
                       order by region_figures.rowid""", lang=lang)


@per_build
def count_all(db):
    return {table: db.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("professions", "specialties", "qualifications", "colleges", "employers", "sectors")}


def get_employer(db, lang, slug):
    return row(db, """select employers.*, towns.name_kk as town_name_kk, towns.name_ru as town_name_ru,
                             sectors.name_kk as sector_name_kk, sectors.name_ru as sector_name_ru
                      from employers left join towns on towns.slug = employers.town
                      left join sectors on sectors.slug = employers.sector where employers.slug = ?""", (slug,), lang)


def list_employer_professions(db, lang, slug):
    return rows(db, """select professions.slug, professions.name_kk, professions.name_ru, professions.status
                       from profession_employers join professions on professions.slug = profession_employers.profession
                       where profession_employers.employer = ? order by professions.rowid""", (slug,), lang)


def list_employer_colleges(db, lang, slug):
    return rows(db, """select colleges.slug, colleges.name_kk, colleges.name_ru, colleges.verified
                       from employer_colleges join colleges on colleges.slug = employer_colleges.college
                       where employer_colleges.employer = ? order by colleges.rowid""", (slug,), lang)


def list_keys(db, table):
    """Every slug of a table whose pages the sitemap lists."""
    assert table in ("professions", "specialties", "colleges", "employers")
    return [r[0] for r in db.execute(f"select slug from {table} order by rowid")]


def list_quiz(db, lang):
    """The questionnaire: (types by code, statements in order, answer scale)."""
    types = {t["code"]: t for t in rows(db, "select * from quiz_types order by position", lang=lang)}
    statements = rows(db, "select * from quiz_statements order by position", lang=lang)
    scale = rows(db, "select * from quiz_scale order by value", lang=lang)
    return types, statements, scale


def list_professions_with_codes(db, lang):
    return rows(db, """select professions.slug, professions.name_kk, professions.name_ru, professions.riasec,
                              professions.status, professions.tasks_kk, professions.tasks_ru,
                              sectors.name_kk as sector_name_kk, sectors.name_ru as sector_name_ru
                       from professions join sectors on sectors.slug = professions.sector""", lang=lang,
                lists=("tasks",))


def get_offline_search_records(db, lang):
    """The offline search index of a language as the build wrote it (JSON text), or None."""
    assert lang in LANGUAGES
    found = db.execute("select records from offline_search where lang = ?", (lang,)).fetchone()
    return found[0] if found else None
