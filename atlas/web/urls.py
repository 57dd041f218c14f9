"""url_for with a memory: a page builds 40 to 60 links, and building one in Werkzeug costs
more than rendering the rest of its line. The URL map does not change while the app runs,
so a path built once for (endpoint, language, arguments, script root) is the same ever after.

Only plain local paths are kept; external URLs, anchors, methods and arguments that are not
hashable (lists) are built every time, and the memory is bounded.

Templates get a `url_for` bound to the request being rendered (its language and script
root looked up once per render, not through Flask's context proxies on every link);
imported macros, which see only globals, use the app-wide one.
"""

from urllib.parse import urlencode

from flask import g, request

MAX_ENTRIES = 20_000
# The characters Werkzeug leaves unquoted in a query string it builds (werkzeug.urls._urlencode).
QUERY_SAFE = "!$'()*,/:;?@"


def query_string(pairs):
    """`name=value&...` as url_for writes the arguments that are not part of a route's path, byte
    for byte: for links whose values are new on every page (url_for's memory never helps
    them, and building them in Werkzeug costs ten times as much)."""
    return urlencode([(name, value) for name, value in pairs if value is not None], safe=QUERY_SAFE)


def remembering_url_for(app):
    build = app.url_for
    memory = {}

    def remembered(lang, root, endpoint, anchor, method, scheme, external, values):
        if anchor or method or scheme or external or endpoint[:1] == ".":
            return build(endpoint, _anchor=anchor, _method=method, _scheme=scheme, _external=external, **values)
        key = (endpoint, lang, root, *sorted(values.items()))
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

    def url_for(endpoint, /, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        current = request._get_current_object() if request else None  # one look through the proxy
        if current is None:
            return build(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values)
        return remembered(g._get_current_object().get("lang"), current.script_root, endpoint, _anchor, _method,
                          _scheme, _external, values)

    def for_this_request():
        lang, root = g._get_current_object().get("lang"), request._get_current_object().script_root

        def bound_url_for(endpoint, /, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
            return remembered(lang, root, endpoint, _anchor, _method, _scheme, _external, values)

        return bound_url_for

    url_for.for_this_request = for_this_request
    return url_for


def init_app(app):
    app.url_for = remembering_url_for(app)
    app.jinja_env.globals["url_for"] = app.url_for

    @app.context_processor
    def bound_url_for():
        return {"url_for": app.url_for.for_this_request() if request else app.url_for}
