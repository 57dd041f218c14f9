"""Counselor tools: print views with a QR code, CSV and printable tables, region statistics."""

import csv
import io
import re

import pytest
from bs4 import BeautifulSoup


@pytest.mark.parametrize("path", ["/{lang}/professions/welder/print", "/{lang}/colleges/ukvpk/print"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_print_view_has_a_qr_code_to_the_page(client, path, lang):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    svg = soup.select_one("figure.qr-box svg")
    assert svg["role"] == "img" and svg.title.get_text().endswith(path.format(lang=lang).removesuffix("/print"))
    assert soup.select_one(".sheet-columns .sheet-column")["lang"] == lang
    assert not soup.select(".site-header, nav.main-nav")


def test_print_view_in_both_languages_side_by_side(client):
    soup = BeautifulSoup(client.get("/kk/professions/welder/print?both=1").data, "html.parser")
    columns = soup.select(".sheet-column")
    assert [c["lang"] for c in columns] == ["kk", "ru"]
    assert "Не істейді" in columns[0].get_text() and "Чем занимается" in columns[1].get_text()
    assert "Дәнекерлеуші" in columns[0].h1.get_text() and "Сварщик" in columns[1].h1.get_text()


@pytest.mark.parametrize("path, status", [("/kk/professions/nobody/print", 404), ("/kk/professions/welder/print?both=7", 400)])
def test_print_view_errors(client, path, status):
    assert client.get(path).status_code == status


def read_csv(response):
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


@pytest.mark.parametrize("url, header, expect", [
    ("/ru/professions/export.csv?sector=energy", ["Профессия", "Отрасль", "Статус", "Специальности", "Колледжи", "Страница"], "Электрик"),
    ("/kk/professions/export.csv?status=new", ["Мамандық", "Сала", "Мәртебесі", "Оқу мамандықтары", "Колледждер", "Беті"], "Ұшқышсыз ұшу аппараттарының операторы"),
    ("/ru/colleges/export.csv?town=oskemen", ["Колледж", "Город", "Языки обучения", "Общежитие", "Специальности", "Подтверждено официальным источником", "Страница"], "Усть-Каменогорский высший политехнический колледж"),
    ("/kk/specialties/export.csv", ["Коды", "Оқу мамандығы", "Біліктіліктер", "Мамандықтар", "Колледждер", "Беті"], "07150500"),
    ("/ru/search/export.csv?q=сварщик", ["Тип", "Название", "Описание", "Страница"], "Сварщик"),
])
def test_csv_export_columns_and_encoding(client, url, header, expect):
    rows = read_csv(client.get(url))
    assert rows[0] == header
    assert any(expect in row for row in rows[1:])
    assert all(len(row) == len(header) for row in rows)


def test_csv_export_follows_the_filters(client):
    energy = read_csv(client.get("/ru/professions/export.csv?sector=energy"))
    everything = read_csv(client.get("/ru/professions/export.csv"))
    assert {r[1] for r in energy[1:]} == {"Энергетика"}
    assert len(everything) > len(energy)


def test_printable_table(client):
    soup = BeautifulSoup(client.get("/ru/professions/export.table?status=new").data, "html.parser")
    assert soup.html["lang"] == "ru"
    assert len(soup.select("table.print-table tbody tr")) >= 15
    assert client.get("/ru/professions/export.xls").status_code == 404
    assert client.get("/ru/professions/export.csv?sector=zzz").status_code == 400


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_stats_charts_are_accessible_svg_with_data_and_source(client, lang):
    soup = BeautifulSoup(client.get(f"/{lang}/stats").data, "html.parser")
    charts = soup.select("svg.chart")
    assert len(charts) >= 4
    for svg in charts:
        labelled = svg["aria-labelledby"].split()
        assert svg["role"] == "img" and svg.find("title")["id"] == labelled[0] and svg.find("desc")["id"] == labelled[1]
    for block in soup.select("section.chart-block"):
        assert block.select("table.chart-data tr") and block.select_one(".source")
    state = soup.select_one("#state-order")
    values = [t.get_text() for t in state.select(".chart-value")]
    assert [re.sub(r"\D", "", v) for v in values] == ["5930", "6630", "7130"]


@pytest.mark.parametrize("sheet, same_in_other", [
    ("/ru/professions/welder/print?both=1", "/kk/professions/welder/print?both=1"),
    ("/kk/colleges/export.table?town=oskemen", "/ru/colleges/export.table?town=oskemen"),
])
def test_sheets_switch_language_to_the_same_sheet(client, sheet, same_in_other):
    """The switch goes through the language endpoint (which remembers the choice) to the same sheet."""
    soup = BeautifulSoup(client.get(sheet).data, "html.parser")
    switched = client.get(soup.select_one(".sheet-lang a")["href"])
    assert switched.status_code in (302, 303) and switched.headers["Location"].endswith(same_in_other)
