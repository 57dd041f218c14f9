"""The shipped atlas: coverage that must not silently shrink, every card complete in both
languages, every link resolving, and the region's confirmed facts present with sources."""

import re
import sqlite3

import pytest

from atlas.dataset.build import load_valid
from atlas.dataset.quality import review

from .conftest import DATA

DATASET = load_valid(DATA)
CARDS = DATASET["professions"]
MINIMUM_PER_SECTOR = {
    "mining-metallurgy": 9, "energy": 9, "transport-logistics": 8, "aviation-drones": 4, "agriculture": 3,
    "it-telecom": 8, "construction": 3, "manufacturing": 7, "healthcare": 5, "food-catering": 4,
    "light-industry": 2, "tourism-services": 3, "business-finance": 2, "public-safety": 2,
}
# Specialties and qualifications that FACTS.md lists (secondary sources) and the region's new ones.
FACTS_SPECIALTIES = [
    "07161100", "04130200", "07150500", "07230100", "10130300", "10130200", "07210300", "07240100", "07240200",
    "07240300", "07240500", "07240600", "05320100", "07130100", "07130200", "07130400", "07130700", "07140100",
    "06120100", "06120200", "06130100", "07140900", "09130100", "09120100", "09130200", "09140100", "09160100",
    "07161600", "07161300", "07150300", "07150600", "07320100", "10410200", "10410300", "10320200", "04110100",
    "renewable-energy", "air-transportation", "water-transport", "metallurgy",
]
REGION_FIGURES = {("state_order_places", 2023): 5930, ("state_order_places", 2024): 6630,
                  ("state_order_places", 2025): 7130, ("colleges", 2025): 37, ("graduate_employment", 2025): 86.8,
                  ("dual_enterprises", 2025): 448, ("dual_colleges", 2025): 27, ("new_specialties_enrolled", 2025): 277,
                  ("patron_enterprises", 2025): 203, ("school_college_graduates", 2025): 48}
KAZAKH_LETTER = re.compile("[әғқңөұүһі]", re.IGNORECASE)


def test_at_least_60_cards_in_at_least_10_sectors():
    sectors = {card["sector"] for card in CARDS}
    assert len(CARDS) >= 60
    assert len(sectors) >= 10


@pytest.mark.parametrize("sector, minimum", MINIMUM_PER_SECTOR.items())
def test_cards_per_sector(sector, minimum):
    assert sum(card["sector"] == sector for card in CARDS) >= minimum


def test_at_least_20_new_or_changing_professions():
    assert sum(card["status"] in ("new", "changing") for card in CARDS) >= 20
    assert sum(card["status"] == "new" for card in CARDS) >= 15


@pytest.mark.parametrize("card", CARDS, ids=[c["slug"] for c in CARDS])
def test_card_is_complete_in_both_languages(card):
    for lang in ("kk", "ru"):
        assert card[f"name_{lang}"] and card[f"summary_{lang}"] and card[f"conditions_{lang}"] and card[f"outlook_{lang}"]
        assert 4 <= len(card[f"tasks_{lang}"]) <= 8
        assert len(card[f"skills_{lang}"]) >= 3 and len(card[f"soft_skills_{lang}"]) >= 3
        assert len(card[f"aliases_{lang}"]) >= 2
        assert 2 <= len(re.findall(r"[.!?](\s|$)", card[f"summary_{lang}"])) <= 3
    assert len(card["tasks_kk"]) == len(card["tasks_ru"])
    assert len(card["subjects"]) >= 2
    assert len(card["related"]) >= 2
    assert card["study"] or (card["study_note_kk"] and card["study_note_ru"])
    assert KAZAKH_LETTER.search(card["summary_kk"] + card["conditions_kk"] + card["outlook_kk"])
    assert not KAZAKH_LETTER.search(card["summary_ru"] + card["conditions_ru"] + card["outlook_ru"])


def test_every_specialty_of_facts_is_listed_and_leads_to_a_profession():
    linked = {str(link["specialty"]) for card in CARDS for link in card["study"]}
    listed = {s["slug"] for s in DATASET["specialties"]}
    assert set(FACTS_SPECIALTIES) <= listed
    assert sorted(listed - linked) == []


def test_new_specialties_without_a_code_are_marked():
    for slug in ("renewable-energy", "air-transportation", "water-transport", "metallurgy"):
        specialty = next(s for s in DATASET["specialties"] if s["slug"] == slug)
        assert specialty["code"] == ""


def test_confirmed_college_is_verified_with_its_source_and_others_are_not():
    colleges = {c["slug"]: c for c in DATASET["colleges"]}
    assert colleges["ukvpk"]["verified"] and colleges["ukvpk"]["source"] == "kazpravda-2025-09-16"
    for slug in ("kazau-college", "glubokoe-agrarian-college"):  # named by secondary sources only
        assert not colleges[slug]["verified"]
    for college in colleges.values():
        if not college["verified"]:
            assert college["phone"] == "" and college["address_ru"] == ""


def test_unverified_offerings_carry_no_figures():
    for offering in DATASET["offerings"]:
        if not offering["verified"]:
            assert offering["paid_places"] is None
            assert not [r for r in DATASET["state_order"] if (r["college"], r["specialty"]) ==
                        (offering["college"], offering["specialty"])]


def test_region_figures_of_facts_with_sources():
    figures = {(f["key"], f["year"]): f for f in DATASET["region_figures"]}
    for key, value in REGION_FIGURES.items():
        assert figures[key]["value"] == value
        assert figures[key]["source"]


def test_every_link_resolves_in_the_built_database(db_path):
    db = sqlite3.connect(db_path)
    dangling = db.execute("""
        select 'related', profession, related from profession_related where related not in (select slug from professions)
        union all select 'specialty', profession, specialty from profession_specialties
                  where specialty not in (select slug from specialties)
        union all select 'employer', profession, employer from profession_employers
                  where employer not in (select slug from employers)""").fetchall()
    assert dangling == []


def test_check_data_has_no_findings():
    stats, findings = review(DATASET)
    assert [str(f) for f in findings] == []
    assert stats["kk"]["filled_fields"] == stats["ru"]["filled_fields"]
