"""Languages: the locale comes from the URL (/kk/..., /ru/...), content from `_kk`/`_ru` columns.

Only this module and queries.py turn a language into a column suffix, and only from
LANGUAGES, never from request data.
"""

import json

from flask import abort, g, request, url_for
from flask_babel import Babel, get_translations

from . import ROOT

LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "kk"
NAMES = {"kk": "Қазақша", "ru": "Русский"}
COOKIE = "lang"


def current_language():
    return g.get("lang", DEFAULT_LANGUAGE)


def other_language(lang=None):
    return "ru" if (lang or current_language()) == "kk" else "kk"


def preferred_language():
    """The visitor's saved choice, else their browser's preference, else Kazakh."""
    saved = request.cookies.get(COOKIE)
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def localise(row, lang, lists=()):
    """A row with `x_kk`/`x_ru` pairs turned into `x` in lang, falling back to the other
    language when a field awaits translation (the key `x_fallback` is then True)."""
    if row is None:
        return None
    other = other_language(lang)
    result = {}
    for key, value in dict(row).items():
        if key.endswith(("_kk", "_ru")):
            base, suffix = key[:-3], key[-2:]
            if suffix != lang:
                continue
            if not value:
                value = row[f"{base}_{other}"]
                result[f"{base}_fallback"] = bool(value)
            key = base
            if base in lists:
                value = json.loads(value) if value else []
        elif key in lists:
            value = json.loads(value) if value else []
        result[key] = value
    return result


def switch_url(lang):
    """The current page in lang, with its query string."""
    if request.endpoint is None or request.view_args is None or "lang" not in (request.url_rule.arguments if request.url_rule else ()):
        return url_for("home.index", lang=lang)
    url = url_for(request.endpoint, **{**request.view_args, "lang": lang})
    query = request.query_string.decode("utf-8", "replace")
    return f"{url}?{query}" if query else url


def request_translations():
    """This request's catalog, looked up once: flask-babel looks it up again on every call,
    which made UI strings the slowest part of rendering a page."""
    if "translations" not in g:
        g.translations = get_translations()
    return g.translations


def fast_gettext(string, **variables):
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def fast_ngettext(singular, plural, num, **variables):
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def init_app(app):
    Babel(app, locale_selector=current_language,
          default_translation_directories=str(ROOT / "translations"))
    app.jinja_env.install_gettext_callables(fast_gettext, fast_ngettext, newstyle=True)

    @app.url_value_preprocessor
    def take_language(endpoint, values):
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in LANGUAGES:
                abort(404)
            g.lang = lang

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()

    @app.context_processor
    def languages():
        return {"lang": current_language(), "other_lang": other_language(), "LANGUAGES": LANGUAGES,
                "language_names": NAMES, "switch_url": switch_url}

    @app.after_request
    def remember_language(response):
        """Save the language of the page just shown, so that / opens it next time."""
        lang = g.get("lang")
        if lang and request.cookies.get(COOKIE) != lang and response.status_code < 400:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure, httponly=True)
        return response
