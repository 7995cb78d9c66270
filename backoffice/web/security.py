"""Security headers (CSP without inline script, framing, sniffing, referrer, caching) and proxy trust."""
import os

from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from backoffice.services.platform import audit

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app):
    """Install the headers and, behind a reverse proxy, trust PROXY_COUNT hops of X-Forwarded-*."""
    hops = int(os.environ.get("PROXY_COUNT", "0"))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.before_request
    def _bind_audit_origin():
        audit.bind_origin(request.remote_addr)

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers.add("Vary", "HX-Request")
        # Every signed-in page may show citizen data: no copy in any cache, including the browser's.
        if request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        return response
