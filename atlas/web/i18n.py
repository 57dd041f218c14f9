"""Languages: the locale comes from the URL (/kk/..., /ru/...), content from `_kk`/`_ru` columns.

Only this module, languages.py and queries/ turn a language into a column suffix, and only from
LANGUAGES, never from request data.
"""

import json
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal
from flask import abort, current_app, g, request, url_for
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from ..paths import ROOT
from .urls import query_string

from ..languages import LANGUAGES, NAMES, localise  # noqa: F401 (the pages' languages)

DEFAULT_LANGUAGE = "kk"
COOKIE = "lang"


def current_language():
    # g itself, not each attribute through Flask's proxy: a page asks a few dozen times for
    # what the request keeps in g (its language, connection, catalog), a proxy look-up each.
    return g._get_current_object().get("lang", DEFAULT_LANGUAGE)


def other_language(lang=None):
    return "ru" if (lang or current_language()) == "kk" else "kk"


def preferred_language():
    """The visitor's saved choice, else their browser's preference, else Kazakh."""
    saved = request.cookies.get(COOKIE)
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def pages_in_each_language(build):
    """The current page in each language, with its query string (local paths); build is a
    url_for bound to this request (urls.py)."""
    req = request._get_current_object()  # one look through the proxy, not one per attribute
    rule, values = req.url_rule, req.view_args
    if req.endpoint is None or values is None or rule is None or "lang" not in rule.arguments:
        return {lang: build("home.index", lang=lang) for lang in LANGUAGES}
    query = req.query_string.decode("utf-8", "replace")
    paths = {lang: build(req.endpoint, **{**values, "lang": lang}) for lang in LANGUAGES}
    return {lang: f"{url}?{query}" for lang, url in paths.items()} if query else paths


def switch_url(lang, page, build=url_for):
    """The language switch: a small endpoint that remembers the choice, then shows page (the
    current page in lang). Only that request sets the language cookie, so every other page
    is the same for every visitor."""
    return f"{build('home.switch_language', lang=lang)}?{query_string([('next', page)])}"


def page_links():
    """What a page's head and language switch name: the page in each language as an absolute
    URL (hreflang and canonical links) and the switch to the other language. Built once per
    page, where the head named them five times over."""
    from .security import public_origin

    build = current_app.url_for.for_this_request()  # every link of the head, built without the proxies
    paths = pages_in_each_language(build)
    origin = public_origin()
    links = {code: origin + path for code, path in paths.items()}
    other = other_language()
    links["switch"] = switch_url(other, paths[other], build)
    return links


def remember_language(response, lang):
    """Save the language chosen, so that / opens it next time."""
    response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure,
                        httponly=True)
    return response


CATALOGS = "atlas.catalogs"  # app.extensions key: {language: flask-babel's catalog}


def request_translations():
    """This request's catalog, looked up once: flask-babel looks it up again on every call,
    which made UI strings the slowest part of rendering a page. Its first look-up in a
    request cost more than a page's frame takes to render (a Locale made into its name and
    the domain's cache searched with it), so each language's catalog is also kept per app:
    the catalogs are compiled before the app starts and never change under it."""
    kept = g._get_current_object()  # see current_language
    found = kept.get("translations")
    if found is None:
        catalogs = current_app.extensions[CATALOGS]
        lang = current_language()
        found = catalogs.get(lang)
        if found is None:
            found = catalogs[lang] = get_translations()
        kept.translations = found
    return found


def fast_gettext(string, **variables):
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def render_catalog(context):
    """The catalog of the page being rendered: put in its context once (see init_app), else
    (in an imported macro, which sees no context) the request's."""
    return context.get("ui_catalog") or request_translations()


@pass_context
def translate(context, string, **variables):
    """`_()` in templates, as Jinja's newstyle gettext does it (escaped variables, `%%` for a
    percent sign) but called directly: the extension's two wrappers around each string
    cost more than looking it up. Strings without variables are mostly translated before
    this, when the template is compiled (templating.py)."""
    return formatted(render_catalog(context).ugettext(string), variables, context.eval_ctx.autoescape)


@pass_context
def translate_plural(context, singular, plural, num, **variables):
    """`ngettext()` in templates, called directly for the same reason as translate()."""
    variables.setdefault("num", num)
    return formatted(render_catalog(context).ungettext(singular, plural, num), variables, context.eval_ctx.autoescape)


def formatted(text, variables, autoescape):
    """A translation with its variables filled in: under autoescape, safe text with the values
    escaped (Markup's `%`). Whole numbers, most variables of a page (counts), have nothing
    to escape: they are filled in as plain text, without Markup's wrapper around each value."""
    if not autoescape:
        return text % variables
    if all(type(value) is int for value in variables.values()):
        return Markup(text % variables)
    return Markup(text) % variables


@lru_cache(maxsize=4096)
def decimal_text(number, locale):
    """A number as the locale writes it (Babel's format_decimal), remembered: Babel parses
    the number pattern again on every call, and the same figures appear on many pages."""
    return format_decimal(number, locale=locale)


@pass_context
def decimal_format(context, number):
    """flask-babel's `decimalformat` filter, remembered: Babel parses the number pattern
    again on every call, and the same figures appear on many pages. The page's language is
    its locale (Babel's locale selector is current_language)."""
    return decimal_text(number, context.get("lang") or str(get_locale()))


def fast_ngettext(singular, plural, num, **variables):
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def months_text(months):
    """A study length in months as people say it: "2 years 10 months"."""
    ngettext = fast_ngettext  # under the name that `make translations` extracts
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(num)d year", "%(num)d years", years))
    if rest:
        parts.append(ngettext("%(num)d month", "%(num)d months", rest))
    return " ".join(parts)


@lru_cache(maxsize=None)
def babel_locale(lang):
    """Babel's Locale of one of the site's languages, made once: flask-babel parses what the
    selector gives (a file lookup each time) unless it is a Locale already."""
    return Locale.parse(lang)


def request_locale():
    """flask-babel's locale selector: the language of the URL."""
    return babel_locale(current_language())


def init_app(app):
    Babel(app, locale_selector=request_locale,
          default_translation_directories=str(ROOT / "translations"))
    app.extensions[CATALOGS] = {}
    app.jinja_env.install_gettext_callables(fast_gettext, fast_ngettext, newstyle=True)
    app.jinja_env.globals["_"] = translate
    app.jinja_env.globals["ngettext"] = translate_plural
    app.jinja_env.filters["decimalformat"] = decimal_format
    app.jinja_env.globals["months_text"] = months_text  # a global, so that imported macros see it too

    @app.url_value_preprocessor
    def take_language(endpoint, values):
        # Requests made inside an outer app context (a CLI command, a test) share its `g`:
        # what the last request's language decided must not carry over to this one.
        kept = g._get_current_object()  # see current_language
        for key in ("lang", "translations", "_flask_babel"):  # flask-babel keeps its locale in g._flask_babel
            kept.pop(key, None)
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                abort(404)
            kept.lang = lang

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()

    @app.context_processor
    def languages():
        return {"lang": current_language(), "other_lang": other_language(), "LANGUAGES": LANGUAGES,
                "ui_catalog": request_translations(),
                "language_names": NAMES, "page_links": page_links}

