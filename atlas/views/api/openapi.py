"""The OpenAPI 3.1 description of /api/v1/, built from small schema helpers so that every
response shape is written once. Tests validate the document and every answer against it."""

STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
BOOL_OR_NULL = {"type": ["boolean", "null"]}
INT_OR_NULL = {"type": ["integer", "null"], "minimum": 0}


def bilingual(*fields, kind=STRING):
    return {f"{field}_{lang}": kind for field in fields for lang in ("kk", "ru")}


def obj(properties, required=None):
    return {"type": "object", "properties": properties, "required": sorted(required or properties),
            "additionalProperties": False}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


URLS = obj({"kk": {"type": "string", "format": "uri"}, "ru": {"type": "string", "format": "uri"}})
PROFESSION = {
    "slug": STRING, "sector": STRING, "status": {"enum": ["new", "changing", "in_demand"]},
    "riasec": {"type": "string", "pattern": "^[RIASEC]{1,3}$"},
    **bilingual("name", "summary", "conditions", "outlook", "study_note"),
    **bilingual("aliases", "other_names", "tasks", "skills", "soft_skills", "first_steps", "career_path",
                "requirements", kind=STRINGS),
    "subjects": STRINGS, "awaiting_translation": STRING, "urls": URLS,
    "entry_grades": {"type": "array", "items": {"enum": ["9", "11"]}},
    "min_age": {"type": ["integer", "null"], "minimum": 14, "maximum": 21},
    **bilingual("min_age_text"), "min_age_source": STRING, "wage": STRING,
    "requirements": {"type": "array", "items": obj({**bilingual("text"), "source": STRING})},
}
SPECIALTY = {"slug": STRING, "code": STRING, **bilingual("name"), "entry_grades": STRINGS, "opened_2025": BOOL_OR_NULL,
             "as_of": STRING, "months_after_9": INT_OR_NULL, "months_after_11": INT_OR_NULL,
             "source": STRING, "verified": {"type": "boolean"}, "urls": URLS,
             # false: added by a college or the department's table, not yet checked against the classifier
             "classifier_checked": {"type": "boolean"}}
QUALIFICATION = {"code": STRING, "level": {"enum": ["", "3W", "4S", "5AB"]}, **bilingual("name"), "as_of": STRING,
                 "source": STRING, "verified": {"type": "boolean"}, "classifier_checked": {"type": "boolean"}}
# An offering's state-funded places, one item a year, newest first (the state_order table).
STATE_ORDER = {"type": "array", "items": obj({"year": {"type": "integer", "minimum": 2000, "maximum": 2100},
                                              "places": {"type": "integer", "minimum": 0, "maximum": 5000},
                                              "source": STRING})}
OFFERING = {"college": STRING, "specialty": STRING, "qualifications": STRINGS, "languages": STRINGS,
            "entry_grades": STRINGS, "state_order": STATE_ORDER, "paid_places": INT_OR_NULL, "dual": BOOL_OR_NULL,
            "source": STRING,
            "verified": {"type": "boolean"}, "study_months": {"type": ["integer", "null"], "minimum": 6, "maximum": 60}}
COLLEGE = {"slug": STRING, **bilingual("name", "address", "note"), "town": STRING, "phone": STRING,
           "website": STRING, "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
           "languages": STRINGS, "dormitory": BOOL_OR_NULL, "school_college_track": BOOL_OR_NULL,
           "source": STRING, "verified": {"type": "boolean"}, "urls": URLS,
           "email": STRING, **bilingual("description"),
           "status": {"enum": ["confirmed", "secondary", "unverified", ""]}}
# Where each editable value of a college and its offerings comes from (see atlas/overlay.py).
PROVENANCE = obj({"record": STRING, "field": STRING, "origin": {"enum": ["college", "public", "unverified"]},
                  "source": STRING, "checked_on": STRING})
EMPLOYER = {"slug": STRING, **bilingual("name"), "town": STRING, "sector": STRING, "source": STRING,
            "verified": {"type": "boolean"}, "targeted_training": BOOL_OR_NULL, "urls": URLS}

SCHEMAS = {
    "Profession": obj(PROFESSION),
    "ProfessionDetail": obj({**PROFESSION, "study": {"type": "array", "items": obj({"specialty": STRING, "qualification": STRING})},
                             "related": STRINGS, "employers": STRINGS}),
    "Specialty": obj(SPECIALTY),
    "SpecialtyDetail": obj({**SPECIALTY, "qualifications": {"type": "array", "items": obj(QUALIFICATION)},
                            "offerings": {"type": "array", "items": obj(OFFERING)}, "professions": STRINGS}),
    "College": obj(COLLEGE),
    "CollegeDetail": obj({**COLLEGE, "offerings": {"type": "array", "items": obj(OFFERING)}, "partners": STRINGS,
                          "provenance": {"type": "array", "items": PROVENANCE}}),
    "Employer": obj(EMPLOYER),
    "EmployerDetail": obj({**EMPLOYER, "colleges": STRINGS, "professions": STRINGS}),
    "SearchResult": obj({"type": {"enum": ["profession", "specialty", "college", "employer"]}, "slug": STRING,
                         **bilingual("name"), "url": STRING, "score": {"type": "number"}}),
    "SearchResponse": obj({
        "query": STRING, "corrected": {"type": ["string", "null"]}, "total": {"type": "integer", "minimum": 0},
        "results": {"type": "array", "items": ref("SearchResult")},
        "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
    }),
    "Error": obj({"error": {"type": "integer"}, "message": STRING}),
}

PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
]
ERRORS = {code: {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
          for code, text in (("400", "Bad parameters"), ("404", "Not found"))}
FILTERS = {"professions": ["sector", "status"], "specialties": [], "colleges": ["town"], "employers": ["town", "sector"]}
ITEM = {"professions": "Profession", "specialties": "Specialty", "colleges": "College", "employers": "Employer"}


def query_param(name, schema=STRING, required=False, description=""):
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def json_response(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def paths(sectors, towns):
    """The API's paths; sector and town values come from the database being served."""
    enums = {"sector": {"enum": sectors}, "town": {"enum": towns}, "status": {"enum": ["new", "changing", "in_demand"]}}
    found = {}
    for table, item in ITEM.items():
        page = obj({"total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                    "items": {"type": "array", "items": ref(item)}})
        found[f"/api/v1/{table}"] = {"get": {
            "summary": f"List {table}", "operationId": f"list_{table}",
            "parameters": [query_param(f, enums[f]) for f in FILTERS[table]] + PAGING,
            "responses": {"200": json_response(page), "400": ERRORS["400"]},
        }}
        found[f"/api/v1/{table}/{{key}}"] = {"get": {
            "summary": f"One of the {table}", "operationId": f"get_{table}",
            "parameters": [{"name": "key", "in": "path", "required": True, "schema": STRING}],
            "responses": {"200": json_response(ref(f"{item}Detail")), "404": ERRORS["404"]},
        }}
    found["/api/v1/search"] = {"get": {
        "summary": "Search professions, specialties, colleges and employers", "operationId": "search",
        "parameters": [
            query_param("q", description="The query, in Kazakh (Cyrillic or Latin) or Russian; without it "
                        "and without filters the answer is empty"),
            query_param("lang", {"enum": ["kk", "ru"], "default": "kk"}),
            query_param("type", {"enum": ["profession", "specialty", "college", "employer"]}),
            query_param("sector", enums["sector"]), query_param("status", enums["status"]),
            query_param("town", enums["town"]), query_param("grade", {"enum": ["9", "11"]}),
            query_param("language", {"enum": ["kk", "ru", "en"]}), query_param("dual", {"enum": ["yes"]}),
            query_param("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
        ],
        "responses": {"200": json_response(ref("SearchResponse")), "400": ERRORS["400"]},
    }}
    return found


def openapi_document(sectors, towns):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Atlas of new professions of East Kazakhstan region",
            "version": "1",
            "description": "Read-only open data: professions, specialties, colleges and employers, in Kazakh and Russian.",
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "paths": paths(sectors, towns),
        "components": {"schemas": SCHEMAS},
    }
