"""Security headers on every response."""

from .assets import HTMX_CDN_URL

CDN_ORIGIN = "/".join(HTMX_CDN_URL.split("/")[:3])


def init_app(app):
    scripts = "'self'" + (f" {CDN_ORIGIN}" if app.config["HTMX_CDN"] else "")
    policy = "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ])

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
        return response
