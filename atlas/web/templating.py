"""How the site's templates are compiled and run: once per language, with their fixed UI
strings already translated, their values escaped into plain text and their calls made directly.

A page shows forty to sixty strings like `{{ _("What you do") }}`. Looked up at render time,
each is a call through Jinja, the request's catalog and a Markup wrapper: together a tenth
of rendering a card, although the answer for a language never changes. So a template is
compiled once for each language it is rendered in, and in that copy every `_("literal")`
without variables is replaced by its translation, marked safe as `_()` marks it: Jinja then
writes it into the compiled template as plain text.

Strings with variables (`_("Only from the age of %(age)s", age=...)`), `ngettext()` and
templates rendered outside a language (no locale of the site's languages) keep the calls
made at render time, so the output is the same either way. `make translations` extracts the
strings from the template source as before.

Each `{{ value }}` is escaped into plain text (PlainTextOutput) rather than into a Markup
object that the page then joins: the same characters, without a copy of every value. And a
template's calls of plain functions, partials, macros and built-in methods go straight to them
(DirectCalls), honouring the pass_context marks as Jinja does. Both keep every page the same,
byte for byte (tests/test_rendering.py renders each page type both ways).
"""

import weakref
from contextvars import ContextVar
from functools import partial
from types import BuiltinMethodType, FunctionType

from flask import g, has_app_context
from flask.templating import Environment
from flask_babel import get_locale, get_translations
from jinja2.compiler import CodeGenerator
from jinja2.ext import Extension
from jinja2.lexer import Token
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg
from markupsafe import _escape_inner

from ..languages import LANGUAGES

DICT_METHODS = frozenset(dir(dict))
# Every template of the site, once per language, stays compiled: a plain dict (Jinja's
# "unbounded" cache), which unlike its LRU cache takes no lock on every look-up.
CACHE_SIZE = -1
# The catalog of the language a template is being compiled for (per thread: workers compile
# in several threads at once).
compiling_catalog = ContextVar("compiling_catalog", default=None)


def render_locale():
    """The language a template is being rendered in now, or None outside one of the site's."""
    if not has_app_context():
        return None
    # flask-babel keeps the locale it chose (or was forced to) in g; ask it only the first time.
    locale = getattr(g._get_current_object().get("_flask_babel"), "babel_locale", None) or get_locale()
    if locale is None or locale.territory or locale.script or locale.variant:
        return None
    return locale.language if locale.language in LANGUAGES else None


def translation(catalog, string):
    """The text `_(string)` gives at render time (where `%%` is a percent sign), or None when
    that call would fail: it is then left to fail the same way at render time."""
    try:
        return catalog.ugettext(string) % {}
    except (KeyError, TypeError, ValueError):
        return None


class ConstantStrings(Extension):
    """Replaces `_("literal")` with the literal's translation, marked safe, while a template
    is compiled for a language (see LanguageEnvironment)."""

    def filter_stream(self, stream):
        catalog = compiling_catalog.get()
        if catalog is None:
            return stream
        return self.translated(list(stream), catalog)

    @staticmethod
    def translated(tokens, catalog):
        i = 0
        while i < len(tokens):
            token = tokens[i]
            text = None
            if (token.type == "name" and token.value == "_" and (i == 0 or tokens[i - 1].type != "dot")
                    and [t.type for t in tokens[i + 1:i + 4]] == ["lparen", "string", "rparen"]):
                text = translation(catalog, tokens[i + 2].value)
            if text is not None:
                line = token.lineno
                yield Token(line, "string", text)
                yield Token(line, "pipe", "|")
                yield Token(line, "name", "safe")
                i += 4
            else:
                yield token
                i += 1


def escape_text(value):
    """What markupsafe.escape(value) reads, as a plain str. Jinja's `{{ value }}` escapes into a
    Markup object only to join it into the page at once; making that object copied every
    value again, a quarter of rendering the professions list. Safe values (Markup, a macro's
    output) are written as they are, anything else is escaped."""
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


class PlainTextOutput(CodeGenerator):
    """Jinja's compiler, writing `{{ value }}` as escape_text(value) where it would write
    escape(value). Only the output changes hands: `{% set %}` blocks, macros and `caller()`
    still return Markup, because Jinja wraps what they join."""

    def visit_Template(self, node, frame=None):
        self.writeline(f"from {__name__} import escape_text")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.volatile:
            self.write("(escape_text if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("escape_text(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


# Callables whose only mark for Jinja is their own `jinja_pass_arg` (their `__call__` never
# carries one): plain functions, functools.partial (a view's helpers) and macros.
MARKED_CALLABLES = frozenset({FunctionType, partial, Macro})


class DirectCalls(Context):
    """Jinja's context, calling plain functions, partials, macros and built-in methods
    (`filters.get(...)`, `url_for(...)`) without first asking each for the `__call__` and
    marks that only Jinja's own kinds of callables carry: a page makes fifty to a hundred
    calls, and the asking cost ten times the call. Anything else (callable objects, classes)
    goes Jinja's own way."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature: a template may pass `self`)
        kind = type(__obj)
        if kind is BuiltinMethodType:
            pass_arg = None
        elif kind in MARKED_CALLABLES:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
        else:
            return super().call(__obj, *args, **kwargs)
        if pass_arg is _PassArg.context:
            if kwargs.get("_loop_vars"):
                __self = __self.derived(kwargs["_loop_vars"])
            if kwargs.get("_block_vars"):
                __self = __self.derived(kwargs["_block_vars"])
            args = (__self, *args)
        elif pass_arg is _PassArg.eval_context:
            args = (__self.eval_ctx, *args)
        elif pass_arg is _PassArg.environment:
            args = (__self.environment, *args)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


class LanguageEnvironment(Environment):
    """Flask's template environment, keeping one compiled copy of a template per language."""

    code_generator_class = PlainTextOutput
    context_class = DirectCalls

    def __init__(self, app, **options):
        options.setdefault("cache_size", CACHE_SIZE)
        options["extensions"] = [*options.get("extensions", ()), ConstantStrings]
        super().__init__(app, **options)

    def getattr(self, obj, attribute):
        """`row.name` in a template. Jinja asks for an attribute first and, for the plain dicts
        the queries return, fails with an exception before it looks the key up: a few dozen
        times a page. A dict's own key comes first here, unless it is named like one of
        the dict's methods (`filters.items()` stays the method)."""
        if type(obj) is dict and attribute not in DICT_METHODS:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def make_globals(self, d):
        """A template's globals as one dict, not Jinja's chain over the environment's: every
        `{% from ... import %}` compares the two templates' globals, which over a chain is
        a Python loop and over dicts a set operation. The app's globals are all in place
        before the first page renders, so a copy misses nothing."""
        return {**self.globals, **(d or {})}

    def _load_template(self, name, globals):
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        lang = render_locale()
        key = (weakref.ref(self.loader), name, lang)
        template = self.cache.get(key) if self.cache is not None else None
        if template is not None and (not self.auto_reload or template.is_up_to_date):
            if globals:
                template.globals.update(globals)
            return template
        token = compiling_catalog.set(get_translations() if lang else None)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            compiling_catalog.reset(token)
        if self.cache is not None:
            self.cache[key] = template
        return template


def init_app(app):
    """Before anything asks for app.jinja_env, which Flask creates once from this class."""
    app.jinja_environment = LanguageEnvironment
