"""The open-data API: the OpenAPI document is valid and every answer matches it; downloads."""

import io
from contextlib import closing
import sqlite3
import zipfile

import jsonschema
import pytest
from openapi_spec_validator import validate

TABLES = {"professions": "Profession", "specialties": "Specialty", "colleges": "College", "employers": "Employer"}


@pytest.fixture(scope="module")
def document(app):
    return app.test_client().get("/api/v1/openapi.json").json


def check(document, schema_name, instance):
    jsonschema.validate(instance, {**document["components"], "$ref": f"#/components/schemas/{schema_name}",
                                   "components": document["components"]})


def test_openapi_document_is_valid(document):
    validate(document)
    assert document["openapi"] == "3.1.0"


@pytest.mark.parametrize("table, item", TABLES.items())
def test_every_record_matches_its_schema(client, document, db_path, table, item):
    listing = client.get(f"/api/v1/{table}?per_page=100").json
    page_schema = document["paths"][f"/api/v1/{table}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(listing, {**page_schema, "components": document["components"]})
    with closing(sqlite3.connect(db_path)) as db:
        keys = [r[0] for r in db.execute(f"select slug from {table}")]
    assert listing["total"] == len(keys)
    for key in keys:
        response = client.get(f"/api/v1/{table}/{key}")
        assert response.status_code == 200
        check(document, f"{item}Detail", response.json)


def test_search_answer_matches_its_schema(client, document):
    check(document, "SearchResponse", client.get("/api/v1/search?q=техник&lang=kk").json)


def test_filters_and_paging(client):
    energy = client.get("/api/v1/professions?sector=energy&per_page=3").json
    assert energy["total"] >= 9 and len(energy["items"]) == 3
    assert {p["sector"] for p in energy["items"]} == {"energy"}
    second = client.get("/api/v1/professions?sector=energy&per_page=3&page=2").json
    assert not {p["slug"] for p in energy["items"]} & {p["slug"] for p in second["items"]}
    assert client.get("/api/v1/colleges?town=ridder").json["items"][0]["slug"] == "ridder-college"


@pytest.mark.parametrize("url, status", [
    ("/api/v1/professions?per_page=0", 400), ("/api/v1/professions?page=x", 400),
    ("/api/v1/colleges?page=2305842665616310082", 400),  # regression: an overflow in SQLite was a 500 ("/api/v1/professions?colour=red", 400),
    ("/api/v1/professions/nope", 404), ("/api/v1/nothing", 404),
])
def test_bad_requests_get_json_errors(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json["error"] == status and response.json["message"]


def test_dataset_zip_has_every_table_as_utf8_csv_with_bom(client):
    response = client.get("/download/atlas-data.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"README.txt", "professions.csv", "colleges.csv", "specialties.csv", "region_figures.csv"} <= names
    professions = archive.read("professions.csv").decode("utf-8")
    assert professions.startswith("\ufeffslug,sector,status,riasec,name_kk,name_ru")
    assert "Дәнекерлеуші" in professions


def test_database_download_is_the_sqlite_file(client, db_path):
    with client.get("/download/atlas.db") as response:
        assert response.status_code == 200
        assert response.data[:16] == b"SQLite format 3\x00"
        assert response.data == db_path.read_bytes()


def test_offerings_carry_their_state_order_newest_first(document, tmp_path):
    """Places of several years reach the API as one list, newest first, matching the schema; the
    CSV download has the table too."""
    from atlas import create_app
    from atlas.dataset.build import build

    from .conftest import DATA

    change = {"id": 1, "kind": "offering", "college": "ukmtk", "record_key": "07150500",
              "data": {"places_2024": 18, "places_2026": 25}, "source": "state-order-2026.xlsx, 2026-07-01",
              "checked_on": "2026-07-01", "published_on": "2026-07-02"}
    build(DATA, tmp_path / "atlas.db", overlay=[change])
    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "atlas.db")}).test_client()
    for url, item in (("/api/v1/colleges/ukmtk", "CollegeDetail"), ("/api/v1/specialties/07150500", "SpecialtyDetail")):
        record = client.get(url).json
        check(document, item, record)
        offering = next(o for o in record["offerings"] if (o["college"], o["specialty"]) == ("ukmtk", "07150500"))
        assert offering["state_order"] == [{"year": 2026, "places": 25, "source": "state-order-2026.xlsx, 2026-07-01"},
                                           {"year": 2024, "places": 18, "source": "state-order-2026.xlsx, 2026-07-01"}]
        assert not any(key.startswith("places_") for key in offering)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/download/atlas-data.zip").data))
    table = archive.read("state_order.csv").decode("utf-8-sig").splitlines()
    assert table[0] == "year,college,specialty,places,source" and len(table) == 3
