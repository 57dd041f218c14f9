"""url_for with a memory: a page builds 40 to 60 links, and building one in Werkzeug costs
more than rendering the rest of its line. The URL map does not change while the app runs,
so a path built once for (endpoint, language, arguments, script root) is the same ever after.

Only plain local paths are kept; external URLs, anchors, methods and arguments that are not
hashable (lists) are built every time, and the memory is bounded.
"""

from flask import g, request

MAX_ENTRIES = 20_000


def remembering_url_for(app):
    build = app.url_for
    memory = {}

    def url_for(endpoint, /, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        current = request._get_current_object() if request else None  # one look through the proxy
        if _anchor or _method or _scheme or _external or endpoint[:1] == "." or current is None:
            return build(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values)
        key = (endpoint, g.get("lang"), current.script_root, *sorted(values.items()))
        try:
            return memory[key]
        except KeyError:
            pass
        except TypeError:  # a list among the arguments
            return build(endpoint, **values)
        url = build(endpoint, **values)
        if len(memory) >= MAX_ENTRIES:
            memory.clear()
        memory[key] = url
        return url

    return url_for


def init_app(app):
    app.url_for = remembering_url_for(app)
    app.jinja_env.globals["url_for"] = app.url_for
