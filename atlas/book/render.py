"""A book as HTML (the book's own Jinja templates) and as PDF (WeasyPrint, CSS paged media).

The templates live in atlas/templates/book/ and may import the site's macros (badges, grades,
places, study length); they render in an environment of their own, outside any Flask request,
with the language's catalog installed directly. WeasyPrint lays the pages out: A4, running
headers, page numbers by target-counter, bookmarks, tagged PDF (PDF/UA-1), fonts embedded.
"""

import shutil
import subprocess
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..paths import ROOT

TEMPLATES = ROOT / "atlas" / "templates"
STYLESHEET = Path(__file__).with_name("book.css")
# Letters of Kazakh's alphabet beyond Russian's: a font that lacks them prints empty boxes.
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
FONT_FAMILIES = ("Noto Serif", "Noto Sans", "DejaVu Serif", "DejaVu Sans")


class BookError(Exception):
    """The book cannot be made (no suitable font, say): the reason, for the log and the status."""


def check_fonts():
    """Fail early, with the fix, when no font of the book's stack covers every Kazakh letter:
    WeasyPrint would otherwise print boxes where the letters should be."""
    if shutil.which("fc-list") is None:
        return  # fontconfig's tools absent: WeasyPrint's own fontconfig still finds the fonts
    charset = " ".join(f"{ord(c):x}" for c in KAZAKH_LETTERS)
    found = subprocess.run(["fc-list", "--format", "%{family}\n", f":charset={charset}"],
                           capture_output=True, text=True, timeout=30).stdout
    families = {name.strip() for line in found.splitlines() for name in line.split(",")}
    if not families & set(FONT_FAMILIES):
        raise BookError("no font covering every Kazakh letter is installed (the book uses "
                        f"{', '.join(FONT_FAMILIES)}): install Debian's fonts-noto-core or fonts-dejavu-core")


def qr_svg(url, title):
    """The live card's URL as an inline SVG QR code, labelled for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=2, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


@lru_cache(maxsize=4)
def environment(lang):
    """The book's template environment for one language (built once per process)."""
    catalog = Translations.load(str(ROOT / "translations"), [lang], domain="messages")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(catalog, newstyle=True)

    def months_text(months):
        years, rest = divmod(months, 12)
        parts = [catalog.ungettext("%(num)d year", "%(num)d years", n) % {"num": n} for n in [years] if n]
        parts += [catalog.ungettext("%(num)d month", "%(num)d months", n) % {"num": n} for n in [rest] if n]
        return " ".join(parts)

    env.globals.update(lang=lang, other_lang="ru" if lang == "kk" else "kk", months_text=months_text, qr_svg=qr_svg)
    env.filters["decimalformat"] = lambda number: format_decimal(number, locale=lang)
    env.filters["dateformat"] = lambda value, style="long": format_date(value, style, locale=lang)
    return env


def render_html(book):
    """The book's HTML (a whole book or a sector's booklet)."""
    built = datetime.fromisoformat(book["build"]["built_at"])
    return environment(book["lang"]).get_template("book/book.html").render(**book, built=built)


def write_pdf(html, target):
    """Lay out and write the PDF; returns its page count. PDF/UA-1: tagged structure, the
    document's language and title from <html lang> and <title>."""
    from weasyprint import CSS, HTML  # heavy, and only the book needs it

    document = HTML(string=html, base_url=str(TEMPLATES)).render(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1")
    document.write_pdf(target, pdf_variant="pdf/ua-1")
    return len(document.pages)
