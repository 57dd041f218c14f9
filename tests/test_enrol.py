"""The enrolment page: every rule with its source and the year it applies to, in both languages,
linked from the home page, the navigation and college pages; the card's summary query."""

import pytest

from atlas import queries
from atlas.dataset.build import load_valid
from atlas.web.db import get_db
from atlas.dataset.sources import DataError

from .conftest import DATA, edit_csv, soup_of


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_rule_shows_its_source_and_year(client, lang):
    response = client.get(f"/{lang}/enrol/")
    assert response.status_code == 200
    items = soup_of(response).select("ul.enrol-items > li")
    assert len(items) == len(load_valid(DATA)["enrol"])
    for item in items:
        metas = [p.get_text(" ", strip=True) for p in item.select("p.meta")]
        assert any(m.startswith(("Қолданылады:", "Применяется:")) and len(m) > 15 for m in metas)
        assert item.select_one("span.source")


@pytest.mark.parametrize("section", ["who", "places", "apply", "documents", "dates"])
def test_each_section_is_present(client, section):
    assert soup_of(client.get("/ru/enrol/")).select(f"section#{section} li")


def test_rules_that_change_yearly_say_so(client):
    soup = soup_of(client.get("/ru/enrol/"))
    dates = soup.select("section#dates li")
    assert dates and all("меняется от года к году" in li.get_text() for li in dates)


@pytest.mark.parametrize("text", ["egov.kz", "четырёх", "075/у", "средний балл"])
def test_the_key_rules_are_stated(client, text):
    assert text in soup_of(client.get("/ru/enrol/")).get_text()


@pytest.mark.parametrize("path", ["/kk/", "/ru/colleges/ukvpk", "/kk/colleges/ukmtk"])
def test_linked_from_home_navigation_and_college_pages(client, path):
    lang = path.split("/")[1]
    links = [a["href"] for a in soup_of(client.get(path)).find_all("a", href=True)]
    assert f"/{lang}/enrol/" in links


def test_enrol_summary_for_cards(app):
    with app.test_request_context("/ru/"):
        summary = queries.get_enrol_summary(get_db(), "ru")
    assert "075/у" in summary["medical_certificate"]["text"]
    assert summary["medical_certificate"]["source_url"].startswith("https://")
    assert summary["study_lengths"] is None  # no source gives them: never a guess


@pytest.mark.parametrize("query, status", [("?x=1", 200), ("?lang=de", 200), ("?%00=%ff", 400)])
def test_unexpected_parameters_are_never_a_server_error(client, query, status):
    assert client.get(f"/kk/enrol/{query}").status_code == status


@pytest.mark.parametrize("old, new, message", [
    ("    source: ustinka-74319\n", "    source: nowhere-source\n", "'nowhere-source' is not in data/sources"),
    ("    applies_ru: По всей стране, с 2021 года\n", "", "field 'applies_ru': is empty"),
    ("section: dates", "section: someday", "must be one of who, places, apply, documents, dates"),
    ("    medical: true\n", "", "exactly one item must be marked medical"),
])
def test_build_refuses_a_rule_without_source_or_year(data_copy, old, new, message):
    edit_csv(data_copy / "enrol.yaml", old, new)
    with pytest.raises(DataError) as error:
        load_valid(data_copy)
    assert any(message in str(p) for p in error.value.problems)


def test_sitemap_lists_the_enrolment_page_in_both_languages(client):
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/kk/enrol/</loc>" in sitemap and "/ru/enrol/</loc>" in sitemap


@pytest.mark.parametrize("lang, words", [("ru", "Пример из другой области, а не сроки ВКО"),
                                         ("kk", "Басқа облыстан алынған мысал, ШҚО-ның мерзімдері емес")])
def test_another_regions_campaign_is_labelled_as_an_example(client, lang, words):
    items = [li.get_text() for li in soup_of(client.get(f"/{lang}/enrol/")).select("section#dates li")]
    atyrau = [text for text in items if "Атырау" in text]
    assert atyrau and all(words in text for text in atyrau)


def test_only_the_labelled_example_cites_another_regions_article():
    """Regression: a national rule was cited to an Atyrau region news item."""
    import yaml

    from atlas.paths import ROOT

    items = yaml.safe_load((ROOT / "data" / "enrol.yaml").read_text(encoding="utf-8"))["items"]
    assert [item["id"] for item in items if item["source"] == "azh-71011"] == ["dates-example"]
