"""The permission matrix: every route × every role, so no route ships without a declared rule."""
import pytest
from flask import url_for

from backoffice.models import Role
from backoffice.web.permissions import PUBLIC, allow, rule_for
from tests.conftest import login

ALL = frozenset(Role)
CITIZEN = ALL - {Role.admin}
ADMIN = frozenset({Role.admin})
RECEPTION = frozenset({Role.reception_officer})
SUPERVISOR = frozenset({Role.supervisor})
FIGURES = CITIZEN  # supervision's figures: each role its own reach (admins none)

# endpoint -> roles allowed (PUBLIC: no sign-in). Adding a route means adding its line here.
EXPECTED = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.set_language": PUBLIC,
    "health.healthz": PUBLIC,
    "auth.logout": ALL,
    "auth.change_password": ALL,
    "home.index": ALL,
    "files.show": CITIZEN,
    "admin.officers_list": ADMIN,
    "admin.officers_new": ADMIN,
    "admin.officers_edit": ADMIN,
    "admin.officers_set_active": ADMIN,
    "admin.officers_reset_password": ADMIN,
    "admin.offices_list": ADMIN,
    "admin.offices_new": ADMIN,
    "admin.offices_edit": ADMIN,
    "admin.departments_rename": ADMIN,
    "admin.calendar_year": ADMIN,
    "admin.calendar_clear": ADMIN,
    "api.create_declaration": PUBLIC,
    "api.show_declaration": PUBLIC,
    "api.openapi": PUBLIC,
    "api_keys.index": ADMIN,
    "api_keys.create": ADMIN,
    "api_keys.revoke": ADMIN,
    "declarations.queue": RECEPTION,
    "declarations.take_next": RECEPTION,
    "declarations.search": RECEPTION,
    "declarations.claim": RECEPTION,
    "declarations.release": RECEPTION,
    "declarations.approve": RECEPTION,
    "declarations.reject": RECEPTION,
    "declarations.await_citizen": RECEPTION,
    "declarations.review": RECEPTION | SUPERVISOR,
    "declarations.confirm": RECEPTION | SUPERVISOR,
    "declarations.print_pdf": RECEPTION | SUPERVISOR,
    "notifications.case_messages": CITIZEN,
    "notifications.resend": CITIZEN,
    "notifications.problems": SUPERVISOR,
    "notifications.requeue": SUPERVISOR,
    "notifications.confirm_sent": SUPERVISOR,
    "notifications.sms_receipts": PUBLIC,
    "notifications.templates": ADMIN,
    "notifications.template_preview": ADMIN,
    "notifications.template_html": ADMIN,
    "supervision.dashboard": FIGURES,
    "supervision.decisions": FIGURES,
    "supervision.export": FIGURES,
    "supervision.export_job": FIGURES,
    "supervision.export_file": FIGURES,
    "supervision.samples": SUPERVISOR,
    "supervision.sample": SUPERVISOR,
    "supervision.review": SUPERVISOR,
    "supervision.follow_up": SUPERVISOR,
    "supervision.flag_list": SUPERVISOR,
    "supervision.resolve_flag": SUPERVISOR,
    "supervision.access": SUPERVISOR,
    "supervision.access_export": SUPERVISOR,
    "supervision.audit_log": SUPERVISOR,
    "supervision.audit_verify": SUPERVISOR,
}
SAMPLE_ARGS = {"day": "2026-02-17", "filename": "app.css", "case_type": "declaration", "event": "declaration_approved",
               "document": "form"}
LOGINS = {
    Role.reception_officer: "tiepnhan.00131",
    Role.department_officer: "canbo.00131",
    Role.department_head: "truongphong.00131",
    Role.supervisor: "giamsat.00131",
    Role.admin: "quantri.00131",
}


def routes(app):
    """Every (endpoint, method, url) the app serves, with sample arguments."""
    with app.test_request_context():
        found = [(rule, url_for(rule.endpoint, **{name: SAMPLE_ARGS.get(name, 1) for name in rule.arguments}))
                 for rule in app.url_map.iter_rules()]
    for rule, url in found:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_every_route_declares_the_expected_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED), "declare each new route in EXPECTED (and with @allow in its view)"
    for endpoint, expected in EXPECTED.items():
        assert rule_for(app.view_functions[endpoint]) == expected, endpoint


def test_a_route_without_a_rule_is_refused(app, client, demo_logins):
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    login(client, LOGINS[Role.admin])
    assert client.get("/undeclared").status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_matrix_for_role(app, client, demo_logins, role):
    assert login(client, LOGINS[role]).status_code == 303
    wrong = []
    for endpoint, method, url in routes(app):
        if endpoint in {"auth.logout", "auth.login"}:
            continue  # signing out or in again would change who is asking
        status = client.open(url, method=method, data={}).status_code
        allowed = EXPECTED[endpoint] == PUBLIC or role in EXPECTED[endpoint]
        if allowed == (status == 403) or status >= 500:
            wrong.append(f"{method} {url} -> {status}")
    assert wrong == [], f"{role.value}: {wrong}"


def test_signed_out_visitors_are_sent_to_login(app, client):
    for endpoint, method, url in routes(app):
        if EXPECTED[endpoint] == PUBLIC:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 303 and "/login" in response.headers["Location"], (method, url)


def test_allow_rejects_unknown_roles():
    with pytest.raises(ValueError):
        allow("chief")(lambda: None)


def test_files_are_scoped_to_the_office(app, client, demo_logins):
    from backoffice.extensions import db
    from backoffice.models import StoredFile
    from backoffice.services.platform import offices
    from backoffice.storage.access import storage

    own = offices.by_code("00131")
    other = offices.by_code("05600")
    key_own = storage().put(b"own", prefix="id_front")
    key_other = storage().put(b"other", prefix="id_front")
    files = [StoredFile(storage_key=key_own, content_type="image/jpeg", size=3, office_id=own.id, purpose="id_front"),
             StoredFile(storage_key=key_other, content_type="image/jpeg", size=5, office_id=other.id, purpose="id_front")]
    db.session.add_all(files)
    db.session.commit()

    login(client, LOGINS[Role.reception_officer])
    shown = client.get(f"/files/{files[0].id}")
    assert shown.status_code == 200 and shown.data == b"own"
    assert shown.headers["Cache-Control"] == "no-store"
    assert client.get(f"/files/{files[1].id}").status_code == 404  # another office: as if it did not exist

    supervisor = app.test_client()
    login(supervisor, "giamsat.00100")  # Hà Nội supervisor sees the district below, not Khánh Hòa
    assert supervisor.get(f"/files/{files[0].id}").status_code == 200
    assert supervisor.get(f"/files/{files[1].id}").status_code == 404

    from sqlalchemy import select

    from backoffice.models import AuditEntry

    viewed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "file_viewed")).all()
    assert [(e.actor, e.object_id) for e in viewed] == [("tiepnhan.00131", str(files[0].id)),
                                                        ("giamsat.00100", str(files[0].id))]
