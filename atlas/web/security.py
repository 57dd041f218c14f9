"""The edges of every request: which hosts the site answers for, which origin writes may
come from, and the security headers on every response.

Settings (environment variables with the ATLAS_ prefix, see the README):
SERVER_NAME   the public host: trusted, and the host of every absolute URL the site writes.
TRUSTED_HOSTS more hosts to answer for (a JSON list, or comma-separated); localhost and
              127.0.0.1 always are. Any other Host header gets a 400.
HTTPS         the site is served over HTTPS (TLS ends in front of it): absolute URLs, redirects
              and cookies say https, and browsers are told so with HSTS.
PROXY_FIX     how many proxies stand in front (nginx: 1); their X-Forwarded-For and
              X-Forwarded-Proto are then believed, and no one else's.
"""

import logging

from flask import current_app, request
from werkzeug.exceptions import Forbidden, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from .assets import HTMX_CDN_URL

CDN_ORIGIN = "/".join(HTMX_CDN_URL.split("/")[:3])
LOCAL_HOSTS = ["localhost", "127.0.0.1"]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HSTS_MAX_AGE = 365 * 24 * 3600

log = logging.getLogger(__name__)


class CrossSiteRequest(Forbidden):
    description = "cross-site"


def trusted_hosts(config):
    """localhost and 127.0.0.1, the public host and any the settings name."""
    hosts = list(LOCAL_HOSTS)
    if config.get("SERVER_NAME"):
        hosts.append(config["SERVER_NAME"].split(":")[0])  # the port does not count
    extra = config.get("TRUSTED_HOSTS") or []
    hosts.extend(extra.split(",") if isinstance(extra, str) else extra)
    return list(dict.fromkeys(host.strip().lower() for host in hosts if host.strip()))


def public_origin():
    """The scheme and host of absolute URLs: the public host when one is set (never the Host
    header's own word for it)."""
    req = request._get_current_object()
    return f"{req.scheme}://{current_app.config.get('SERVER_NAME') or req.host}"


def public_url(path):
    """An absolute URL of a local path, on the public host."""
    return public_origin() + path


def same_origin_write():
    """Whether a state-changing request comes from the site's own pages.

    The approach of OWASP's Fetch Metadata guidance (as Go's CrossOriginProtection does it):
    browsers say where a request comes from in Sec-Fetch-Site, older ones at least in Origin.
    A request with neither comes from a program or a very old browser; the shortlist cookie
    is SameSite=Lax besides, so no other site's form can make a browser send it."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin.lower() in own_origins()


def own_origins():
    """The site's origins (scheme, host and port), as a browser writes them in Origin: the
    request's own, and the public host's with the configured scheme."""
    origins = {f"{request.scheme}://{request.host}".lower()}
    if current_app.config.get("SERVER_NAME"):
        scheme = "https" if current_app.config.get("HTTPS") else request.scheme
        origins.add(f"{scheme}://{current_app.config['SERVER_NAME']}".lower())
    return origins


class ForcedScheme:
    """Tells the app it is served over HTTPS when TLS ends in front of it."""

    def __init__(self, app, scheme):
        self.app, self.scheme = app, scheme

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"] = self.scheme
        return self.app(environ, start_response)


def init_front(app):
    """The outermost layers, so that every layer inside (the response cache among them) sees
    the visitor's address and scheme as the proxy in front reported them."""
    if app.config.get("HTTPS"):
        app.wsgi_app = ForcedScheme(app.wsgi_app, "https")
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def init_app(app):
    config = app.config
    config["TRUSTED_HOSTS"] = trusted_hosts(config)
    if config.get("HTTPS"):
        config["PREFERRED_URL_SCHEME"] = "https"

    scripts = "'self'" + (f" {CDN_ORIGIN}" if config["HTMX_CDN"] else "")
    policy = "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ])

    @app.before_request
    def refuse_oversized_bodies():
        """A body longer than MAX_CONTENT_LENGTH is refused from its Content-Length alone, on
        every route, before anything reads (or spools to disk) a byte of it. Werkzeug stops a
        body without a length at the same limit while it is read."""
        limit = app.config.get("MAX_CONTENT_LENGTH")
        # Most requests send no body, and nothing in their environ to parse a length from.
        if limit and request.environ.get("CONTENT_LENGTH") and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

    @app.before_request
    def refuse_cross_site_writes():
        if request.method in UNSAFE_METHODS and not same_origin_write():
            log.warning("cross-site %s to %.200s refused (Sec-Fetch-Site %.60r, Origin %.60r)", request.method,
                        request.path, request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin"))
            raise CrossSiteRequest()

    defaults = [("Content-Security-Policy", policy), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"), ("X-Frame-Options", "DENY"),
                ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")]

    @app.after_request
    def add_security_headers(response):
        # Each one unless a view set its own. One pass over the names: asking Werkzeug's
        # headers for an absent name raises and catches an exception each time.
        present = {name.lower() for name in response.headers.keys()}
        wanted = defaults + ([("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")] if config.get("HTTPS") else [])
        response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
        return response
