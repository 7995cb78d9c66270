"""Security headers (CSP without inline script, framing, sniffing, referrer, caching), proxy trust, and the pages'
CSRF token."""
import os
import threading

from cachetools import LRUCache
from flask import current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from backoffice.services.platform import audit

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def csrf_token():
    """Flask-WTF's signed CSRF token of this session, signed once per worker and session rather than on every page.

    The signature covers the session's own random token and a time stamp that is not checked while
    WTF_CSRF_TIME_LIMIT is None (the token lives as long as the session), so one signed copy serves the whole
    session. Flask-WTF's forms and checks read the same value (`g.csrf_token`). With a time limit configured, every
    page signs anew, as Flask-WTF does."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None or field in g:
        return generate_csrf()
    signed, lock = current_app.extensions.setdefault("csrf_signed", (LRUCache(65536), threading.Lock()))
    raw = session.get(field)
    with lock:
        known = signed.get(raw) if raw is not None else None
    if known is not None:
        setattr(g, field, known)
        return known
    token = generate_csrf()
    with lock:
        signed[session[field]] = token
    return token


def init_app(app):
    """Install the headers and, behind a reverse proxy, trust PROXY_COUNT hops of X-Forwarded-*."""
    app.jinja_env.globals["csrf_token"] = csrf_token
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
