"""What makes a cold render cheap (templating.py, urls.py, queries.per_build, the editing
area's hooks kept to the editing area) must not change what a page says."""

import functools
import re

import jinja2
import jinja2.compiler
import markupsafe
import pytest
import flask
from flask import g, render_template

from atlas import create_app
from atlas.web import i18n, templating
from atlas.dataset.build import build
from atlas.web.db import MMAP_BYTES, get_db

from .conftest import edit_csv

PAGES = ["/kk/", "/ru/", "/kk/professions/welder", "/ru/professions/drone-operator", "/kk/colleges/ukvpk",
         "/ru/colleges/ukvpk", "/kk/search?q=техник&type=profession", "/ru/search?q=zzzz", "/kk/about", "/ru/enrol",
         "/kk/specialties", "/ru/stats", "/kk/quiz", "/ru/compare/professions?profession=welder&profession=drone-operator",
         "/kk/changes", "/ru/professions/nope", "/kk/print/professions/welder?both=1", "/ru/manage/login",
         "/changes.atom", "/kk/offline"]


def without_tokens(html):
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


@pytest.fixture()
def config(db_path, tmp_path):
    """Two apps over one database, each rendering the same pages: a shelf of books of their own,
    empty, so that a book being made meanwhile ("ready in about 3 minutes") cannot tell them apart."""
    return {"TESTING": True, "DATABASE": str(db_path), "SECRET_KEY": "x", "BOOKS_DIR": str(tmp_path / "books")}


def test_strings_translated_when_compiled_read_as_when_looked_up(config, monkeypatch):
    """Every page the same, byte for byte, whether its fixed strings were translated when the
    template was compiled or are looked up while it renders."""
    compiled = create_app(config).test_client()
    first = {url: without_tokens(compiled.get(url).get_data(as_text=True)) for url in PAGES}
    monkeypatch.setattr(templating.ConstantStrings, "filter_stream", lambda self, stream: stream)
    looked_up = create_app(config).test_client()
    for url in PAGES:
        assert without_tokens(looked_up.get(url).get_data(as_text=True)) == first[url], url


def test_values_written_as_plain_text_read_as_jinjas_own_output(config, monkeypatch):
    """Every page the same, byte for byte, whether `{{ value }}` is escaped into plain text
    (PlainTextOutput) or into Markup, as Jinja's own compiler writes it."""
    plain = create_app(config).test_client()
    first = {url: without_tokens(plain.get(url).get_data(as_text=True)) for url in PAGES}
    monkeypatch.setattr(templating.LanguageEnvironment, "code_generator_class", jinja2.compiler.CodeGenerator)
    jinjas = create_app(config).test_client()
    for url in PAGES:
        assert without_tokens(jinjas.get(url).get_data(as_text=True)) == first[url], url


class Safe:
    def __html__(self):
        return "<b>safe</b>"


@pytest.mark.parametrize("value", ["", "plain", "Дәнекерлеуші & <сварщик> \"Ақ\" 'жол'", markupsafe.Markup("<i>x</i>"),
                                   Safe(), 42, 3.5, None, ["<a>"], jinja2.Undefined()])
def test_escape_text_reads_as_markupsafe_escape(value):
    assert type(templating.escape_text(value)) in (str, markupsafe.Markup)
    assert templating.escape_text(value) == str(markupsafe.escape(value))


def test_plain_text_output_keeps_jinjas_rules(app):
    """Autoescape switched off and on inside a template, a block set, a macro and caller()."""
    source = ('{{ x }}{% autoescape false %}{{ x }}{% endautoescape %}{% set b %}{{ x }}{% endset %}{{ b }}'
              '{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}{{ x }}{% endcall %}{{ x|safe }}')
    rendered = app.jinja_env.from_string(source).render(x="<&>")
    assert rendered == "&lt;&amp;&gt;<&>&lt;&amp;&gt;[&lt;&amp;&gt;]<&>"
    assert jinja2.Environment(autoescape=True).from_string(source).render(x="<&>") == rendered


@pytest.fixture()
def app_with(db_path):
    """The app with a few extra templates of a test's own."""
    def make(templates):
        app = create_app({"TESTING": True, "DATABASE": str(db_path)})
        app.jinja_env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(templates), app.jinja_env.loader])
        return app
    return make


def test_each_language_gets_its_own_compiled_copy(app_with):
    app = app_with({"t.html": '{{ _("Professions") }}|{{ _("100%% of %(n)s", n="<b>") }}|{{ _("No such string") }}'})
    rendered = {}
    for lang in ("kk", "ru", "kk"):
        with app.test_request_context(f"/{lang}/"):
            g.lang = lang
            rendered[lang] = render_template("t.html")
    assert rendered["kk"] == "Мамандықтар|100% of &lt;b&gt;|No such string"
    assert rendered["ru"] == "Профессии|100% of &lt;b&gt;|No such string"


def test_a_page_without_a_language_in_its_path_speaks_the_default_one(app_with):
    app = app_with({"t.html": '{{ _("Professions") }}|{{ _("Skills", x=1) }}'})
    with app.test_request_context("/healthz"):
        assert render_template("t.html") == "Мамандықтар|Дағдылар"


def test_only_bare_literal_calls_are_replaced():
    catalog = type("Catalog", (), {"ugettext": staticmethod(lambda s: s.upper())})()
    env = jinja2.Environment()
    tokens = list(env.lexer.tokenize('{{ _("a") }}{{ x._("b") }}{{ _("c", n=1) }}{{ _("d" ~ e) }}{{ _("50%") }}'))
    values = [t.value for t in templating.ConstantStrings.translated(tokens, catalog)]
    assert "A" in values and "safe" in values
    assert "b" in values and "c" in values and "d" in values  # left to render time
    assert "50%" in values  # `%` alone would fail at render time: left to fail there, the same way


def test_a_rows_keys_come_before_the_dicts_methods(app):
    env = app.jinja_env
    assert env.getattr({"name": "Дәнекерлеуші"}, "name") == "Дәнекерлеуші"
    assert list(env.getattr({"items": "x"}, "items")()) == [("items", "x")]  # filters.items() stays the method
    assert env.from_string("{{ row.missing is undefined }}").render(row={}) == "True"


def test_answers_that_never_read_a_cookie_do_not_vary_on_cookies(client):
    """Regression: Flask-Login looked into the session after every request of the site, so even
    the API's answers said `Vary: Cookie` and no shared cache could keep one copy for all."""
    assert "Cookie" not in client.get("/api/v1/search?q=техник&lang=kk").headers.get("Vary", "")
    assert "Cookie" not in client.get("/healthz").headers.get("Vary", "")
    assert "Cookie" in client.get("/kk/professions/welder").headers["Vary"]  # the shortlist shows in pages


@pytest.mark.parametrize("vary", [None, "", "Accept-Language", "Accept-Language, Cookie", "cookie", "HX-Request,HX-Boosted",
                                  " Accept-Encoding ,  HX-Request ", "Accept-Language, , HX-Request"])
def test_vary_on_cookie_writes_what_werkzeug_writes(vary):
    """vary_on_cookie adds Cookie to Vary without Werkzeug's HeaderSet, to the same header."""
    from atlas.web.caching.headers import vary_on_cookie

    ours, theirs = flask.Response(), flask.Response()
    if vary is not None:
        ours.headers["Vary"] = theirs.headers["Vary"] = vary
    vary_on_cookie(ours)
    theirs.vary.add("Cookie")
    assert ours.headers["Vary"] == theirs.headers["Vary"]


def test_a_search_page_varies_on_what_picks_page_or_fragment_and_on_cookies(client):
    for headers in ({}, {"HX-Request": "true"}):
        names = [name.strip() for name in client.get("/kk/search?q=техник", headers=headers).headers["Vary"].split(",")]
        # Flask-Compress adds Accept-Encoding after these when it may compress the answer.
        assert names[:4] == ["HX-Request", "HX-Boosted", "HX-History-Restore-Request", "Cookie"]
        assert set(names[4:]) <= {"Accept-Encoding"}


def test_reference_tables_follow_a_new_build(data_copy, tmp_path):
    """Sector names and the build id are read once per connection to a build; a new build is a
    new connection."""
    database = tmp_path / "atlas.db"
    build(data_copy, database)
    client = create_app({"TESTING": True, "DATABASE": str(database)}).test_client()
    assert "Энергетика" in client.get("/ru/").get_data(as_text=True)
    first_build = client.get("/healthz").json["build_id"]
    edit_csv(data_copy / "sectors" / "energy.yaml", "name_ru: Энергетика", "name_ru: Энергетика и энергосбережение")
    build(data_copy, tmp_path / "new.db")
    (tmp_path / "new.db").replace(database)
    assert "Энергетика и энергосбережение" in client.get("/ru/").get_data(as_text=True)
    new_build = client.get("/healthz").json["build_id"]  # the build id is read once per connection, too
    assert new_build != first_build and client.get("/ru/").headers["ETag"].startswith(f'"{new_build}-')


def test_the_database_is_read_through_a_memory_map(app):
    """Pages read the built file mapped into memory (web/db.py, MMAP_BYTES), not page by page
    into each connection's own cache: SQLite silently ignores a pragma it cannot apply, so the
    setting is read back."""
    with app.test_request_context("/kk/"):
        assert get_db().execute("pragma mmap_size").fetchone()[0] == MMAP_BYTES > 20 * 1024 * 1024


@pytest.mark.parametrize("variables, expected", [
    ({"num": 3}, "3 of &lt;all&gt; 100%"), ({"num": True}, "1 of &lt;all&gt; 100%"),
    ({"num": "<b>"}, None), ({"num": 3, "x": "<b>"}, None)])
def test_translations_fill_in_numbers_as_markup_would(variables, expected):
    text = "%(num)d of &lt;all&gt; 100%%" if expected else "%(num)s of &lt;all&gt; 100%%"
    if "x" in variables:
        text += " %(x)s"
    filled = i18n.formatted(text, variables, autoescape=True)
    assert type(filled) is markupsafe.Markup and filled == markupsafe.Markup(text) % variables
    if expected:
        assert filled == expected
    else:
        assert "&lt;b&gt;" in filled
    assert i18n.formatted("%(num)s<", {"num": "<b>"}, autoescape=False) == "<b><"


def test_direct_calls_pass_what_jinja_passes(app):
    """Functions marked pass_context (seeing a loop's variables), pass_eval_context and
    pass_environment, built-in methods, callable objects and a StopIteration read the same
    through DirectCalls as through Jinja's own context."""
    @jinja2.pass_context
    def seen(context, name):
        return context.get(name)

    @jinja2.pass_eval_context
    def escaping(eval_ctx):
        return eval_ctx.autoescape

    @jinja2.pass_environment
    def environment_of(environment):
        return type(environment).__name__ == type(app.jinja_env).__name__

    def stop():
        raise StopIteration

    class Callable:
        def __call__(self, x):
            return x * 2

    source = ("{% for x in [1, 2] %}{% set y = x %}{{ seen('y') }}{% endfor %}|{{ escaping() }}|{{ environment() }}|{{ d.get('a') }}"
              "|{{ stop() is undefined }}|{{ thing(4) }}|{{ '<b>'|e }}|{{ part(2) }}"
              "{% macro m(x) %}[{{ x }}{{ caller() if caller }}]{% endmacro %}|{{ m('<i>') }}{% call m(1) %}c{% endcall %}")
    names = dict(seen=seen, escaping=escaping, environment=environment_of, d={"a": "<a>"}, stop=stop, thing=Callable(),
                 part=functools.partial(lambda a, b: a + b, 1))
    assert app.jinja_env.context_class is templating.DirectCalls
    rendered = app.jinja_env.from_string(source).render(**names)
    assert rendered == "12|True|True|&lt;a&gt;|True|8|&lt;b&gt;|3|[&lt;i&gt;][1c]"
    jinjas = jinja2.Environment(autoescape=True)
    assert jinjas.from_string(source).render(**names).replace("False", "True") == rendered


@pytest.mark.parametrize("page", ["/kk/", "/kk/search?q=дәнекерлеуші&type=profession", "/ru/search?q=a+b c&x=%25&y=#z",
                                  "/kk/professions/?v=1&sector=energy", "/ru/x?q=!$'()*,/:;?@[]{}|\\^`\"<>~é"])
def test_the_language_switch_reads_as_url_for_writes_it(app, page):
    """switch_url joins the query itself (urls.query_string) where url_for built each page's
    switch anew: the same characters, quoted the same way."""
    with app.test_request_context("/ru/"):
        g.lang = "ru"
        assert i18n.switch_url("kk", page) == flask.url_for("home.switch_language", lang="kk", next=page)
