"""`atlas export-static DIR`: the public site as plain files, for a school's computer or a USB stick.

Every page is rendered by the app itself through its test client (one rendering path: the copy
is what the site serves), starting from the pages "Save the whole atlas" lists and following
every internal link. Each page becomes .../index.html and every internal link is rewritten to a
relative path, so any static server (`python -m http.server`) or even file:// can show it.

What needs the server degrades visibly: the shortlist's buttons (POST forms) are left out; the
shortlist and comparison pages say they need the online atlas; the comparison and the filters keep
their fields but their submit button gives way to that note; search boxes lead to the offline search
(static/js/offline.js over the exported index). The quiz is not offered at all, links to it included:
a student would otherwise answer every statement and then find that the result needs the server.
"""

import posixpath
import re
import shutil
from collections import deque
from html import escape, unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import click
from flask.cli import pass_script_info
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..languages import LANGUAGES, NAMES

MARKER = ".atlas-static"  # marks a folder this command wrote, and may therefore replace
NOTE_PAGES = {"shortlist.index", "compare.colleges", "compare.professions"}
NOT_OFFERED = {"quiz.index", "quiz.result"}
SEARCH = {"search.index", "search.suggest"}
SEEDS = ("offline.pages", "offline.search_index", "offline.manifest", "offline.page",
         "shortlist.index", "compare.colleges", "compare.professions", "opendata.index")
EXTENSIONS = {"application/json": ".json", "text/csv": ".csv", "application/xml": ".xml", "text/plain": ".txt"}
LINK = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
HTMX = re.compile(r'\shx-[\w:-]+=(?:"[^"]*"|\'[^\']*\')')
POST_FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*>.*?</form>\s*', re.S | re.I)
FORM = re.compile(r'(<form\b[^>]*\baction=")([^"]*)("[^>]*>)(.*?)(</form>)', re.S)
SUBMIT = re.compile(r'<button\b(?![^>]*type="button")[^>]*>.*?</button>', re.S)
MAIN = re.compile(r'(<main\b[^>]*>)(.*?)(</main>)', re.S)
H1 = re.compile(r'<h1\b.*?</h1>', re.S)
ANCHOR = re.compile(r'\s*<a\b[^>]*\shref="([^"]*)"[^>]*>.*?</a>', re.S)
EMPTY_ITEM = re.compile(r'\s*<li\b[^>]*>\s*</li>')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]*atlas\.css)">')
BRAND_MARK = re.compile(r'<svg class="brand-mark".*?</svg>', re.S)


def safe(text):
    """A query string as part of a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80]


def relative(from_file, to_file):
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


class Exporter:
    def __init__(self, app, target):
        self.app, self.target = app, Path(target)
        self.host = app.config.get("SERVER_NAME") or "localhost"
        self.origins = (f"http://{self.host}", f"https://{self.host}")
        self.client = app.test_client()
        self.adapter = app.url_map.bind(self.host)
        self.files = {}  # internal URL (path?query) -> file path in the copy, or None when it cannot be exported
        self.pending = deque()  # (file, body, content type, endpoint, lang) waiting to be written
        self.notes = {}

    def note(self, lang):
        """The localized sentence that stands where the server is needed."""
        if lang not in self.notes:
            with self.app.test_request_context(f"/{lang}/"), force_locale(lang):
                self.notes[lang] = _("This needs the online atlas: it does not work in this offline copy.")
        return self.notes[lang]

    def endpoint(self, path):
        try:
            return self.adapter.match(path, method="GET")
        except HTTPException:
            return None, {}

    def internal(self, url):
        """The path and query of a link to this site, or None for other sites, anchors and mail."""
        for origin in self.origins:
            if url.startswith(origin + "/"):
                url = url[len(origin):]
        if not url.startswith("/") or url.startswith("//"):
            return None
        parts = urlsplit(url)
        return parts.path, parts.query, parts.fragment

    def file_for(self, url):
        """The file of an internal URL in the copy (exporting it on first sight), with the query
        and fragment a link to it keeps; None when there is no such page."""
        path, query, fragment = url
        endpoint, args = self.endpoint(path)
        tail = f"#{fragment}" if fragment else ""
        if endpoint in NOT_OFFERED:
            return None
        if endpoint in SEARCH:
            words = parse_qs(query).get("q", [""])[0]
            target = self.file_for((f"/{args.get('lang', 'kk')}/offline", "", ""))
            return target and target + (f"?{urlencode({'q': words})}" if words else "") + tail
        if endpoint in NOTE_PAGES or endpoint == "home.root":
            query = ""
        key = f"{path}?{query}" if query else path
        if key not in self.files:
            self.files[key] = self.fetch(key, path, query, endpoint, args.get("lang"))
        target = self.files[key]
        return target and target + tail

    def fetch(self, key, path, query, endpoint, lang):
        if endpoint == "home.root":
            self.pending.append(("index.html", None, "root", endpoint, None))
            return "index.html"
        response = self.client.get(key, base_url=f"http://{self.host}")
        body = response.get_data()
        response.close()  # a file download holds its file open until then
        if response.status_code in (301, 302, 303, 307, 308):
            location = self.internal(response.headers["Location"])
            return location and self.file_for(location)
        if response.status_code != 200:
            return None
        kind = response.mimetype
        stem = path.strip("/")
        if kind == "text/html":
            name = f"{stem}/index-{safe(query)}.html" if query else f"{stem}/index.html"
        else:
            base, extension = posixpath.splitext(stem)
            extension = extension or EXTENSIONS.get(kind, "")
            name = f"{base}-{safe(query)}{extension}" if query else base + extension
        self.pending.append((name.lstrip("/"), body, kind, endpoint, lang))
        return name.lstrip("/")

    def rewrite(self, name, html, endpoint, lang):
        """A page as its copy: links relative, server-only forms out or noted, htmx attributes off."""
        note = self.note(lang or "kk")
        html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta name="atlas-static" content="1">', 1)
        if endpoint in NOTE_PAGES:
            html = MAIN.sub(lambda m: m.group(1) + "".join(H1.findall(m.group(2))[:1])
                            + f'\n<p class="notice">{escape(note)}</p>\n' + m.group(3), html, count=1)
        html = POST_FORM.sub("", html)
        html = ANCHOR.sub(lambda m: "" if self.not_offered(m.group(1)) else m.group(0), html)
        html = EMPTY_ITEM.sub("", html)
        html = FORM.sub(lambda m: self.form(m, note), html)
        html = HTMX.sub("", html)

        def link(match):
            url = self.internal(unescape(match.group(2)))
            if url is None:
                return match.group(0)
            target = self.file_for(url)
            if target is None:
                return match.group(0)
            return match.group(1) + escape(relative(name, target)) + match.group(3)

        return LINK.sub(link, html)

    def not_offered(self, href):
        url = self.internal(unescape(href))
        return bool(url) and self.endpoint(url[0])[0] in NOT_OFFERED

    def form(self, match, note):
        url = self.internal(unescape(match.group(2)))
        if url and self.endpoint(url[0])[0] in SEARCH:
            return match.group(0)
        return (match.group(1) + match.group(2) + match.group(3)
                + SUBMIT.sub(f'<span class="static-note">{escape(note)}</span>', match.group(4)) + match.group(5))

    def root_page(self):
        """The copy's front door: the language choice (the site's / chooses by cookie or browser),
        with the site's stylesheet and header so that it looks like the pages behind it."""
        home = self.client.get(f"/{LANGUAGES[0]}/", base_url=f"http://{self.host}").get_data(as_text=True)
        css = STYLESHEET.search(home)
        css_file = css and self.file_for(self.internal(unescape(css.group(1))))
        mark = BRAND_MARK.search(home)
        links, titles, regions = [], [], []
        for lang in LANGUAGES:
            with self.app.test_request_context(f"/{lang}/"), force_locale(lang):
                title = _("Atlas of new professions of East Kazakhstan")
                regions.append(_("East Kazakhstan region"))
            titles.append(title)
            links.append(f'<li class="card-item"><a href="{lang}/index.html" lang="{lang}" hreflang="{lang}">'
                         f'<strong>{escape(NAMES[lang])}</strong></a><p lang="{lang}">{escape(title)}</p></li>')
        heading = escape(" / ".join(titles))
        return ('<!doctype html>\n<html lang="kk">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                '<meta name="theme-color" content="#0b5563">\n'
                + (f'<link rel="stylesheet" href="{escape(css_file)}">\n' if css_file else "")
                + f'<title>{heading}</title>\n</head>\n<body>\n<header class="site-header">\n<div class="bar">\n'
                f'<a class="brand" href="{LANGUAGES[0]}/index.html">{mark.group(0) if mark else ""}'
                f'<span class="brand-text">{escape(titles[0])}<small>{escape(regions[0])}</small></span></a>\n'
                '</div>\n</header>\n<main id="main">\n'
                f'<h1>{heading}</h1>\n<ul class="card-list">\n' + "\n".join(links) + '\n</ul>\n</main>\n</body>\n</html>\n')

    def run(self):
        if self.target.exists() and any(self.target.iterdir()):
            if not (self.target / MARKER).exists():
                raise click.ClickException(f"{self.target} is not empty and is not an earlier copy; choose another folder.")
            shutil.rmtree(self.target)
        self.target.mkdir(parents=True, exist_ok=True)
        (self.target / MARKER).write_text("A static copy of the Atlas of new professions (atlas export-static).\n")
        with self.app.test_request_context():
            from flask import url_for
            seeds = ["/"] + [url_for(endpoint, lang=lang) for lang in LANGUAGES for endpoint in SEEDS]
        for lang in LANGUAGES:
            listed = self.client.get(f"/{lang}/offline/pages.json", base_url=f"http://{self.host}").get_json()
            seeds += listed["urls"]
        for url in seeds:
            self.file_for(self.internal(url))
        written = 0
        while self.pending:
            name, body, kind, endpoint, lang = self.pending.popleft()
            path = self.target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "root":
                path.write_text(self.root_page(), encoding="utf-8")
            elif kind == "text/html":
                path.write_text(self.rewrite(name, body.decode("utf-8"), endpoint, lang), encoding="utf-8")
            else:
                path.write_bytes(body)
            written += 1
        return written


def export_static(app, target):
    """Write the static copy of the site to target (replacing what is there); returns the file count."""
    return Exporter(app, target).run()


@click.command("export-static")
@click.argument("target", type=click.Path(file_okay=False))
@pass_script_info
def export_static_command(info, target):
    """Write every public page in both languages, the assets and the offline search to TARGET as
    plain files with relative links, for any static web server (python -m http.server)."""
    # No app context around the export: each page is a request of its own, with its own `g`
    # (inside an outer app context the requests would share one, and with it the language).
    app = info.load_app()
    from ..book.make import make_site_books

    if app.config.get("BOOKS_AUTO"):
        try:  # the printed books go into the copy: made now if this build has none yet
            make_site_books(app, log=click.echo)
        except Exception as error:  # noqa: BLE001 - the copy is still worth having without them
            click.echo(f"The printed books were not made ({error}); the copy is written without them.", err=True)
    count = export_static(app, target)
    click.echo(f"Wrote {count} files to {target}.")
