"""Small helpers around htmx-flask: one template for page and fragment, toasts, redirects."""
from flask import redirect, render_template, request


def is_htmx():
    """True for a request sent by htmx (and not a history restore, which wants the full page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(page, fragment=None, status=200, **context):
    """The fragment (plus out-of-band toasts) for htmx, else the full page that includes it."""
    if fragment and is_htmx():
        body = render_template(fragment, **context) + render_template("_toasts.html", oob=True)
        return body, status
    return render_template(page, **context), status


def see_other(location):
    """After a successful POST: a 303 for plain forms; HX-Location for htmx, so the page URL changes."""
    if is_htmx():
        response = redirect(location, code=303)
        response.status_code = 204
        response.headers["HX-Location"] = location
        del response.headers["Location"]
        return response
    return redirect(location, code=303)

