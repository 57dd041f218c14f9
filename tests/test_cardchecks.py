"""The checks that keep cards trustworthy (atlas/cardchecks.py): each fails on a fixture card made to
show the finding it guards against, and the shipped data passes it."""

import pytest
import yaml

from atlas.dataset import cardchecks
from atlas.dataset.checks import check_study_links, check_wages
from atlas.dataset.sources import read_all

from .conftest import DATA, edit_csv


def card_file(data_dir, slug):
    return data_dir / "professions" / f"{slug}.yaml"


def edit_card(data_dir, slug, **changes):
    card = yaml.safe_load(card_file(data_dir, slug).read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            card.pop(key, None)
        else:
            card[key] = value
    card_file(data_dir, slug).write_text(yaml.safe_dump(card, allow_unicode=True, sort_keys=False), encoding="utf-8")


def found(check, data_dir):
    data, problems = read_all(data_dir)
    assert not problems
    return [str(p) for p in check(data)]


@pytest.fixture(scope="module")
def shipped():
    data, problems = read_all(DATA)
    assert not problems
    return data


@pytest.mark.parametrize("check", cardchecks.CHECKS + [check_wages, check_study_links], ids=lambda c: c.__name__)
def test_shipped_data_passes(shipped, check):
    assert [] == [str(p) for p in check(shipped)]


def test_an_age_limit_naming_a_kind_of_work_must_not_cite_only_the_labour_code(data_copy):
    edit_card(data_copy, "welder", min_age_source="labour-code-rk",
              min_age_ru="Трудовой кодекс РК запрещает работу до 18 лет на опасных работах, а сварка относится к опасным.")
    assert any("welder" in p and "min_age_ru" in p and "lists no jobs" in p
               for p in found(cardchecks.check_age_sources, data_copy))


def test_a_requirement_naming_barred_work_must_cite_the_list(data_copy):
    card = yaml.safe_load(card_file(data_copy, "tractor-operator").read_text(encoding="utf-8"))
    card["requirements"][1]["source"] = "labour-code-rk"
    edit_card(data_copy, "tractor-operator", requirements=card["requirements"])
    assert any("tractor-operator" in p and "requirements[2]" in p for p in found(cardchecks.check_age_sources, data_copy))


def test_the_labour_codes_own_categories_may_cite_it():
    """Alcohol sales are named by art. 26 itself: saying so is not classifying a job."""
    text = "Барменом там, где продают алкоголь, — только с 18 лет (ТК РК, ст. 26, п. 1, подп. 2)."
    assert not cardchecks.CLASSIFIES.search(text)


def test_a_study_note_saying_no_data_above_a_listed_college_fails(data_copy):
    edit_card(data_copy, "turner", study_note_ru="В атласе пока нет данных о колледжах, где учат на токаря.",
              study_note_kk="Атласта токарьлерді даярлайтын колледждер туралы дерек әзірге жоқ.")
    problems = found(cardchecks.check_study_notes, data_copy)
    assert any("turner" in p and "study_note_ru" in p and "07150300" in p for p in problems)
    assert any("turner" in p and "study_note_kk" in p for p in problems)


def test_a_note_naming_the_listed_college_may_say_what_else_is_unknown(data_copy):
    edit_card(data_copy, "turner", study_note_ru="Токарному делу учат в Усть-Каменогорском многопрофильном "
              "технологическом колледже; о других колледжах в атласе пока нет данных.")
    assert not [p for p in found(cardchecks.check_study_notes, data_copy) if "turner" in p]


def test_a_specialty_named_in_a_note_must_be_linked(data_copy):
    edit_card(data_copy, "beekeeper", study_note_ru="Ближайший путь — специальность «Агрономия».")
    assert any("beekeeper" in p and "«Агрономия» (agronomy)" in p
               for p in found(cardchecks.check_named_specialties_linked, data_copy))


def test_a_phrase_on_more_than_a_quarter_of_the_cards_fails(data_copy):
    slugs = sorted(path.stem for path in (data_copy / "professions").glob("*.yaml"))
    share = len(slugs) // 4 + 1
    for slug in slugs[:share]:
        card = yaml.safe_load(card_file(data_copy, slug).read_text(encoding="utf-8"))
        edit_card(data_copy, slug, outlook_ru="Будущее туманно. " + card["outlook_ru"])
    problems = found(cardchecks.check_repeated_phrases, data_copy)
    assert any("«будущее туманно»" in p and "ru" in p for p in problems), problems


def test_names_of_things_are_not_formulas():
    record = {"outlook_ru": "Специалист среднего звена ходит на день открытых дверей. Трудовой кодекс РК."}
    assert set() == cardchecks.card_phrases(record, "ru")


def test_report_counts_each_check_and_lists_the_top_phrases(shipped):
    counts, limit, phrases = cardchecks.report(shipped)
    assert set(counts) == {"age sources", "study notes", "named specialties linked", "repeated phrases"}
    assert all(count == 0 for count in counts.values())
    assert limit == len(shipped["professions"]) / 4
    assert len(phrases) == cardchecks.TOP_PHRASES and all(n <= limit for _, _, n in phrases)


def test_check_data_prints_the_card_checks_and_top_phrases(runner, shipped):
    result = runner.invoke(args=["check-data"])
    cards = len(shipped["professions"])
    assert "card checks: age sources 0, study notes 0, named specialties linked 0, repeated phrases 0" in result.output
    assert f"phrases on the most cards (the limit is {cards / 4:g} of {cards} cards):" in result.output


@pytest.mark.parametrize("old, new, message", [
    (",kz,2025 жылғы III тоқсан,III квартал 2025 года,328500,", ",uk,2025 жылғы III тоқсан,III квартал 2025 года,328500,",
     "'uk' must be kz"),
    (",328500,ngkz-wages-2025-q3", ",0,ngkz-wages-2025-q3", "must be a monthly amount"),
    (",328500,ngkz-wages-2025-q3", ",328500,", "every figure needs its source"),
])
def test_a_wage_needs_its_region_amount_and_source(data_copy, old, new, message):
    edit_csv(data_copy / "wages.csv", old, new)
    assert any(message in p for p in found(check_wages, data_copy))


def test_a_study_route_takes_only_known_keys(data_copy):
    edit_card(data_copy, "bim-modeller", study=[{"specialty": "07320100", "nearst": True}])
    assert any("unknown key 'nearst'" in p for p in found(check_study_links, data_copy))


def test_a_small_atlas_is_not_judged_for_sameness():
    """Regression: the book's tests build an atlas of a few cards, on which any shared word is
    on more than a quarter of them; sameness is judged from SAMENESS_FROM cards on."""
    cards = [{"slug": f"card-{n}", "outlook_ru": "Будущее туманно, но светло.", "outlook_kk": ""} for n in range(5)]
    assert list(cardchecks.check_repeated_phrases({"professions": cards})) == []
