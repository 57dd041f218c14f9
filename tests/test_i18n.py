"""The UI catalogs: complete, not fuzzy, compiled, with the right plural forms."""

import pytest
from babel.messages.pofile import read_po

from atlas.paths import ROOT

POT = ROOT / "translations" / "messages.pot"


def read(path):
    with open(path, "rb") as f:
        return read_po(f)


def catalog(lang):
    return read(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_catalog_is_complete_and_not_fuzzy(lang):
    template = read(POT)
    translated = catalog(lang)
    missing = [m.id for m in template if m.id and (translated.get(m.id) is None or not all(
        translated.get(m.id).string if isinstance(translated.get(m.id).string, tuple) else [translated.get(m.id).string]))]
    fuzzy = [m.id for m in translated if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []


def test_template_is_up_to_date_with_the_code(tmp_path):
    """Every string in code and templates is in messages.pot (run `make translations` otherwise)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    in_code = {m[2] for m in extract_from_dir(str(ROOT), method_map, options_map,
                                               keywords={"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None})}
    in_template = {m.id for m in read(POT) if m.id}
    assert sorted(map(str, in_code - in_template)) == []


@pytest.mark.parametrize("lang, count, expected", [
    ("ru", 1, "1 результат"), ("ru", 3, "3 результата"), ("ru", 11, "11 результатов"), ("ru", 21, "21 результат"),
    ("kk", 1, "1 нәтиже"), ("kk", 5, "5 нәтиже"),
])
def test_plural_forms(app, lang, count, expected):
    from flask import g
    from flask_babel import ngettext

    with app.test_request_context(f"/{lang}/"):
        g.lang = lang
        assert ngettext("%(num)d result", "%(num)d results", count) == expected


def test_compiled_catalogs_are_used(client):
    """A missing .mo would silently show English: check a translated string in each language."""
    assert "Барлық мамандықтар" in client.get("/kk/nothing").get_data(as_text=True)
    assert "Все профессии" in client.get("/ru/nothing").get_data(as_text=True)


def test_requests_inside_one_app_context_keep_their_own_language(app):
    """Regression: `atlas export-static` made its requests inside the CLI's app context, which
    shares `g`; the Russian pages after a Kazakh one came out with Kazakh menus and titles."""
    client = app.test_client()
    with app.app_context():
        client.get("/kk/professions/welder")
        ru = client.get("/ru/professions/welder").get_data(as_text=True)
    assert "Где учиться в области" in ru and "Облыста қайда оқуға болады" not in ru
    assert "Атлас новых профессий" in ru.split("</header>", 1)[0]
