"""The colleges that public sources name: their status, sources with dates, training areas that
are not offerings, WorldSkills results, the employers of COLLEGES.md, and "no data yet" wording."""

import csv
from copy import deepcopy

import pytest

from atlas.dataset.build import load_valid
from atlas.dataset.quality import college_coverage
from atlas.dataset.sources import DataError

from .conftest import DATA, edit_csv, soup_of

DATASET = load_valid(DATA)
COLLEGES = {c["slug"]: c for c in DATASET["colleges"]}
ABAI_TOWNS = ("Семей", "Аягөз", "Аягоз", "Шар", "Курчатов", "Ақсуат", "Бородулиха", "Жарма", "Үржар", "Көкпекті", "Бесқарағай")


def test_the_colleges_sources_name_are_listed_with_a_status():
    assert {"ukvpk", "ukmtk", "oskemen-technological-college", "ridder-college", "ukks", "ukkso", "kazau-college",
            "ukkef", "glubokoe-agrarian-college", "abdullin-arts-college"} <= set(COLLEGES)
    for college in COLLEGES.values():
        assert college["status"] in ("confirmed", "secondary", "unverified")
        assert college["verified"] == (college["status"] == "confirmed")
        assert college["source"]


def test_no_abai_region_or_unlisted_medical_college():
    towns = {t["slug"]: t for t in DATASET["towns"]}
    for college in COLLEGES.values():
        names = college["name_kk"] + college["name_ru"] + towns[college["town"]]["name_kk"]
        assert not any(town in names for town in ABAI_TOWNS), college["slug"]
        assert "медицина" not in college["name_kk"].lower()


def test_secondary_colleges_carry_no_figures():
    for college in COLLEGES.values():
        if college["status"] != "confirmed":
            assert not (college["phone"] or college["address_ru"] or college["website"])


def test_training_areas_are_not_offerings():
    offered = {(o["college"], o["specialty"]) for o in DATASET["offerings"]}
    for area in DATASET["college_training_areas"]:
        assert (area["college"], area["specialty"]) not in offered
    assert ("ukvpk", "07161100") not in offered  # the source names drone servicing, not the specialty


def test_offerings_come_only_from_a_source_naming_the_specialty():
    for offering in DATASET["offerings"]:
        assert offering["source"] and not offering["languages"]
    sourced = {(o["college"], o["specialty"]) for o in DATASET["offerings"]}
    assert all((r["college"], r["specialty"]) in sourced and r["source"] for r in DATASET["state_order"])


def test_sources_of_college_facts_have_a_date_or_say_undated(client):
    dates = {s["slug"]: s["date"] for s in DATASET["sources"]}
    assert dates["kazpravda-2025-09-16"] == "2025-09-16"
    assert dates["qazinform-worldskills-shygys-2025"] == "2025-05"
    soup = soup_of(client.get("/ru/colleges/ukks"))
    assert "без даты" in soup.select_one("section.college-sources").get_text()


def test_worldskills_results_are_facts_with_sources(client):
    facts = [f for f in DATASET["college_facts"] if f["kind"] == "worldskills"]
    assert {(f["college"], f["year"]) for f in facts} >= {("ukvpk", 2025), ("ridder-college", 2025), ("ukmtk", 2024)}
    soup = soup_of(client.get("/ru/colleges/ukvpk"))
    section = soup.find("section", attrs={"aria-labelledby": "facts-title"})
    assert "WorldSkills Shygys 2025" in section.get_text() and section.find("a", href=lambda h: "qazinform" in h)


def test_college_page_shows_training_areas_named_by_source(client):
    soup = soup_of(client.get("/ru/colleges/ukvpk"))
    section = soup.find("section", attrs={"aria-labelledby": "ta-title"})
    links = [a["href"] for a in section.find_all("a", href=True)]
    assert "/ru/specialties/07161100" in links and "/ru/professions/drone-technician" in links
    assert "kazpravda.kz" in " ".join(links)


@pytest.mark.parametrize("lang, status", [("kk", "Расталған"), ("ru", "Вторичный источник")])
def test_status_is_shown_in_words(client, lang, status):
    slug = "ukvpk" if lang == "kk" else "glubokoe-agrarian-college"
    assert status in soup_of(client.get(f"/{lang}/colleges/{slug}")).find("h1").get_text()


@pytest.mark.parametrize("path", ["/ru/colleges/ukks", "/ru/specialties/07240600", "/ru/compare?college=ukvpk&college=ukks"])
def test_missing_data_is_never_a_statement(client, path):
    text = soup_of(client.get(path)).get_text(" ")
    assert "не обучают" not in text and "не указано" not in text
    assert "нет данных" in text or "пока нет данных" in text


def test_employers_of_colleges_md_with_their_source():
    employers = {e["slug"]: e for e in DATASET["employers"]}
    for slug in ("umz", "uk-tmk", "ust-kamenogorsk-chp", "shygys-zhylu"):
        assert employers[slug]["source"] == "ektu-2025" and employers[slug]["verified"] is False
        assert employers[slug]["town"] == "oskemen"


def test_coverage_counts_the_gap():
    coverage = college_coverage(DATASET)
    assert coverage["region_colleges"] == 37 and coverage["colleges"] == len(COLLEGES)
    assert coverage["with_places"] == len({(r["college"], r["specialty"]) for r in DATASET["state_order"]})


def test_coverage_counts_offerings_with_places_of_any_year():
    data = deepcopy(DATASET)
    first, second = data["offerings"][:2]
    data["state_order"] = [{"year": 2023, "college": first["college"], "specialty": first["specialty"], "places": 10},
                           {"year": 2026, "college": first["college"], "specialty": first["specialty"], "places": 12},
                           {"year": 2026, "college": second["college"], "specialty": second["specialty"], "places": 0}]
    assert college_coverage(data)["with_places"] == 2


def test_check_data_reports_college_coverage(runner):
    result = runner.invoke(args=["check-data"])
    assert f"colleges named: {len(COLLEGES)} of the region's 37" in result.output


@pytest.mark.parametrize("file, old, new, message", [
    ("colleges.csv", ",kazpravda-2025-09-16,yes,", ",kazpravda-2025-09-16,no,", "must be yes exactly when status is confirmed"),
    ("college_facts.csv", ",qazinform-worldskills-shygys-2025,confirmed", ",qazinform-worldskills-shygys-2025,maybe", "'maybe' must be one of"),
    ("college_training_areas.csv", ",07161100,drone-technician,", ",07161199,drone-technician,", "'07161199' is not in data/specialties"),
    ("sources.csv", ",2025-09-16", ",16.09.2025", "must be YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_build_refuses_bad_college_data(data_copy, file, old, new, message):
    edit_csv(data_copy / file, old, new)
    with pytest.raises(DataError) as error:
        load_valid(data_copy)
    assert any(message in str(p) for p in error.value.problems)


def test_college_files_are_utf8_csv_with_their_header():
    for name in ("college_facts", "college_training_areas"):
        with open(DATA / f"{name}.csv", encoding="utf-8") as f:
            assert next(csv.reader(f))[0] == "college"
