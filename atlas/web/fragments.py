"""Parts of the page frame rendered once: the main menu, the header's search box and the
footer are the same on thousands of pages of a language, yet took a third of a page's
render (each of their links and labels is a call). In a template:

    {% call remember("footer") %}<footer>...</footer>{% endcall %}

The key is the language, the script root and whatever else the part shows (pass it along:
`remember("nav", request.blueprint, shortlist_items|length)`). Under the debugger or with
templates reloading, nothing is remembered.
"""

from flask import current_app, request
from jinja2 import pass_context

from .i18n import current_language

MAX_ENTRIES = 2048


@pass_context
def remember(context, *key, caller):
    app = current_app._get_current_object()
    if app.debug or app.jinja_env.auto_reload and app.config.get("TEMPLATES_AUTO_RELOAD"):
        return caller()
    memory = app.extensions.setdefault("atlas_fragments", {})
    full_key = (context.get("lang") or current_language(), request.script_root, *key)
    html = memory.get(full_key)
    if html is None:
        html = caller()
        if len(memory) >= MAX_ENTRIES:
            memory.clear()
        memory[full_key] = html
    return html


def init_app(app):
    app.jinja_env.globals["remember"] = remember
