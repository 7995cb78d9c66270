"""The permission matrix: every route × every role, so no route ships without a declared rule; and every object
route × role × object of each office relation (own, child, sibling, parent, another domain), so no object is reached
outside the rules of services.platform.scope (docs/security.md)."""
import sys
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from backoffice.models import Role
from backoffice.web.permissions import PUBLIC, allow, rule_for
from tests.conftest import login

ALL = frozenset(Role)
CITIZEN = ALL - {Role.admin}
ADMIN = frozenset({Role.admin})
RECEPTION = frozenset({Role.reception_officer})
SUPERVISOR = frozenset({Role.supervisor})
DEPARTMENT = frozenset({Role.department_officer, Role.department_head})
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
    "declarations.return_to_proposer": RECEPTION | SUPERVISOR,
    "declarations.resume": RECEPTION,
    "declarations.extend": RECEPTION,
    "declarations.second_approvals": RECEPTION | SUPERVISOR,
    "api.add_documents": PUBLIC,
    "api.create_reissue_request": PUBLIC,
    "api.show_reissue_request": PUBLIC,
    "api.stop_reissue_request": PUBLIC,
    "api.delivery_receipts": PUBLIC,
    **{f"reissue.{name}": DEPARTMENT for name in (
        "mine", "take_next", "start", "await_citizen", "resume", "reject", "complete", "ship", "needs_verification",
        "send_to_destination", "acknowledge_transfer", "confirm_identity", "propose", "approve", "return_proposal",
        "stop")},
    **{f"reissue.{name}": DEPARTMENT | SUPERVISOR for name in ("department_queue", "show", "note", "print_pdf")},
    "reissue.assign": frozenset({Role.department_head}),
    "reissue.acknowledge_escalation": frozenset({Role.department_head}),
    "api.create_complaint": PUBLIC,
    "api.show_complaint": PUBLIC,
    "api.reopen_complaint": PUBLIC,
    **{f"complaints.{name}": DEPARTMENT | RECEPTION | SUPERVISOR for name in ("department_queue", "show",
                                                                             "letter_pdf")},
    **{f"complaints.{name}": DEPARTMENT for name in ("mine", "take_next", "consults", "answer_consult", "consult")},
    "complaints.new": DEPARTMENT | RECEPTION,
    "complaints.note": DEPARTMENT | RECEPTION | SUPERVISOR,
    **{f"complaints.{name}": frozenset({Role.department_head}) for name in ("reroute", "merge", "urge", "assign")},
    **{f"complaints.{name}": frozenset({Role.department_head, Role.supervisor}) for name in (
        "accept", "reject", "approve", "return_draft")},
    **{f"complaints.{name}": DEPARTMENT | SUPERVISOR for name in ("draft", "close")},
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
    "supervision.open_cases": FIGURES,
    "supervision.received": FIGURES,
    "supervision.reviewed": FIGURES,
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


# --- Objects: route × role × object (DESIGN.md §3; docs/security.md) -------------------------------------------------
# Each object lives in one of these offices. Seen from the officers below they are their own office, a child, a sibling,
# the parent, or another domain (a province of another subtree): 00131 and 00109 are districts of 00100 Hà Nội, which is
# under 00001 national; 05600 Khánh Hòa is a province of its own.
OBJECT_OFFICES = ("00001", "00100", "00131", "00109", "05600")
# What each officer may do with a declaration of each office, in OBJECT_OFFICES order, written from §3 by hand (not
# computed by the code under test): R reads and acts, r reads only, F in scope but the role may not (403), N outside
# the scope (404). A route whose @allow excludes the role answers 403 before any of this.
DECLARATION_ACCESS = {
    "tiepnhan.00131": "NNRNN", "canbo.00131": "NNFNN", "truongphong.00131": "NNFNN", "giamsat.00131": "NNRNN",
    "quantri.00131": "NNFNN",
    "tiepnhan.00100": "NRNNN", "canbo.00100": "NFNNN", "truongphong.00100": "NFNNN", "giamsat.00100": "NRRRN",
    "quantri.00100": "NFNNN",
    # The national THU_SO_THE head: declarations are not their subject, so not "every office's photos" (issue 13).
    "tiepnhan.00001": "RNNNN", "canbo.00001": "FNNNN", "truongphong.00001": "FNNNN", "giamsat.00001": "RRRRR",
    "quantri.00001": "FNNNN",
}
# Every route with an object in its URL: which object and whether it reads or acts on it.
OBJECT_ROUTES = {
    "files.show": ("file", "read"),
    "notifications.case_messages": ("case", "read"),
    "notifications.resend": ("message", "act"),
    "notifications.requeue": ("message", "act"),
    "notifications.confirm_sent": ("message", "act"),
    "declarations.review": ("declaration", "read"),
    "declarations.print_pdf": ("declaration", "read"),
    "declarations.claim": ("declaration", "act"),
    "declarations.release": ("declaration", "act"),
    "declarations.approve": ("declaration", "act"),
    "declarations.reject": ("declaration", "act"),
    "declarations.await_citizen": ("declaration", "act"),
    "declarations.confirm": ("declaration", "act"),
    "declarations.return_to_proposer": ("declaration", "act"),
    "declarations.resume": ("declaration", "act"),
    "declarations.extend": ("declaration", "act"),
    # Reissue requests (a THU_SO_THE card request in each office): scope's rule for the reissue domain. Readers may
    # write an internal note (a supervisor or national head urges through it); every step is an act.
    "reissue.show": ("reissue", "read"),
    "reissue.print_pdf": ("reissue", "read"),
    "reissue.note": ("reissue", "read"),
    **{f"reissue.{name}": ("reissue", "act") for name in (
        "start", "await_citizen", "resume", "reject", "complete", "ship", "needs_verification", "send_to_destination",
        "confirm_identity", "propose", "approve", "return_proposal", "stop", "assign", "acknowledge_escalation")},
    # Complaints (a THU_SO_THE complaint in each office): scope's rule for the complaint domain. Reading covers the
    # page, the letter, an internal note and a national head's urge (đôn đốc); every other step is an act.
    **{f"complaints.{name}": ("complaint", "read") for name in ("show", "letter_pdf", "note", "urge")},
    **{f"complaints.{name}": ("complaint", "act") for name in (
        "consult", "reroute", "merge", "assign", "accept", "reject", "approve", "return_draft", "draft", "close")},
}
# What each officer may do with a THU_SO_THE card request of each office (same letters as DECLARATION_ACCESS): the
# department's officers and head in their office; supervisors read their subtree; the national THU_SO_THE head reads
# everywhere and acts only in their own office; other roles are refused by the route's rule (403) before any object.
REISSUE_ACCESS = {
    "canbo.00131": "NNRNN", "truongphong.00131": "NNRNN", "giamsat.00131": "NNrNN",
    "canbo.00100": "NRNNN", "truongphong.00100": "NRNNN", "giamsat.00100": "NrrrN",
    "canbo.00001": "RNNNN", "truongphong.00001": "Rrrrr", "giamsat.00001": "rrrrr",
    **{f"{name}.{code}": "NNNNN" for name in ("tiepnhan", "quantri") for code in ("00131", "00100", "00001")},
}
# The same for a THU_SO_THE complaint of each office: its department's officers and head in the owning office;
# supervisors read their subtree; the national THU_SO_THE head reads and urges everywhere, and acts in their own
# office; the reception desk reads only the triage queue's complaints; admins are refused by the routes' rules.
COMPLAINT_ACCESS = {
    "canbo.00131": "NNRNN", "truongphong.00131": "NNRNN", "giamsat.00131": "NNrNN",
    "canbo.00100": "NRNNN", "truongphong.00100": "NRNNN", "giamsat.00100": "NrrrN",
    "canbo.00001": "RNNNN", "truongphong.00001": "Rrrrr", "giamsat.00001": "rrrrr",
    "canbo.cs.00131": "NNNNN", "tiepnhan.00131": "NNNNN",
    **{f"quantri.{code}": "NNNNN" for code in ("00131", "00100", "00001")},
}
# The pension transfer is the one object two offices see: 00131 (origin, owner until acknowledged) sends it to 00109.
# By user: what each route answers (None: allowed, any status below 400 or the 409/422 of a step in the wrong state).
TRANSFER_ACCESS = {
    "canbo.cs.00131": {"reissue.show": None, "reissue.start": None, "reissue.acknowledge_transfer": 403},
    "truongphong.cs.00131": {"reissue.show": None, "reissue.assign": None, "reissue.acknowledge_transfer": 403},
    "canbo.cs.00109": {"reissue.show": None, "reissue.note": None, "reissue.start": 403, "reissue.reject": 403,
                       "reissue.acknowledge_transfer": None},
    "truongphong.cs.00109": {"reissue.show": None, "reissue.assign": 403},
    "canbo.00109": {"reissue.show": 404, "reissue.acknowledge_transfer": 404},
    "canbo.00131": {"reissue.show": 404, "reissue.start": 404},
    "giamsat.00100": {"reissue.show": None, "reissue.start": 403},
    "giamsat.05600": {"reissue.show": 404},
    "truongphong.cs.00001": {"reissue.show": None, "reissue.acknowledge_transfer": 403, "reissue.start": 403},
}
# Routes with URL arguments that name no citizen's case, each with the reason and where it is tested.
# A supervisor's own objects (samples, their items, flags, export jobs), scoped by services/supervision/reach.py.
SUPERVISION_RULE = "a supervisor's sample, flag or export: reach rule, tested in tests/supervision/test_views.py"
NOT_CASE_ROUTES = {
    "api.show_complaint": "the channel's own status by reference, under its API key (tests/complaints/test_api.py)",
    "api.reopen_complaint": "the citizen's own complaint by reference and phone (tests/complaints/test_api.py)",
    "complaints.answer_consult": "a consult addressed to the officer's department (workflow.consult_for; "
                                 "tests/complaints/test_views.py)",
    "static": "CSS and JS",
    "api.show_declaration": "the channel's own status by reference, under its API key (tests/api)",
    "notifications.template_preview": "a message event of the catalogue, admins only",
    "notifications.template_html": "a message event of the catalogue, admins only",
    "admin.officers_edit": "officers: admin scope (tests/test_admin.py)",
    "admin.officers_set_active": "officers: admin scope (tests/test_admin.py)",
    "admin.officers_reset_password": "officers: admin scope (tests/test_admin.py)",
    "admin.offices_edit": "offices: admin scope (tests/test_admin.py)",
    "admin.departments_rename": "offices: admin scope (tests/test_admin.py)",
    "admin.calendar_clear": "the national holiday calendar",
    "api_keys.revoke": "channel API keys: national objects (tests/api/test_api_keys_admin.py)",
    "supervision.export_file": SUPERVISION_RULE,
    "supervision.export_job": SUPERVISION_RULE,
    "supervision.follow_up": SUPERVISION_RULE,
    "supervision.resolve_flag": SUPERVISION_RULE,
    "supervision.review": SUPERVISION_RULE,
    "supervision.sample": SUPERVISION_RULE,
    "api.add_documents": "the channel's own case by reference, under its API key (tests/api, tests/declarations)",
    "api.show_reissue_request": "the channel's own status by reference, under its API key (tests/reissue/test_api.py)",
    "api.stop_reissue_request": "a payout change by reference and the SMS code (tests/reissue/test_citizen_stop.py)",
    "reissue.acknowledge_transfer": "the destination office's act: walked with a transfer between two offices in "
                                    "test_a_pension_transfer_is_seen_by_both_offices_and_acted_on_by_each_in_turn",
}
# Models that are neither a case nor owned by one (no officer opens them by an id in a URL as a citizen's object).
NOT_CASE_MODELS = {"Office", "Department", "Officer", "OfficerSession", "AuditEntry", "CalendarDay", "CalendarYear",
                   "ApiKey", "IdempotencyRecord", "ETransactionAccount", "Participant", "DeclarationDocument",
                   # the register's records and a case's parts, shown only on their case's page (never by an id)
                   "HealthCard", "InsuranceBook", "Benefit", "CaseEvent", "ReissueDocument", "ComplaintAttachment",
                   "ComplaintConsult", "ComplaintDraft", "RoutingCorrection", "LetterSequence",
                   # supervision's own records: samples, verdicts, flags, rollups, exports (reach rule, not a case)
                   "AnomalyFlag", "AnomalyFlagCase", "BacklogSnapshot", "DailyRollup", "ExportJob", "ReasonRollup",
                   "ReviewItem", "ReviewSample", "ReviewVerdict", "SupervisionMark"}
# A form that passes validation on every decision route, so the object check is reached (not a 303 for a bad form).
DECISION_FORM = {"version_id": "1", "code": "ID_UNREADABLE", "reason_code": "counter_visit", "justification": "",
                 "note": "Lý do đủ mười ký tự trở lên"}
OFFICERS = sorted(DECLARATION_ACCESS)
REISSUE_FORM = {"code": "CARD_EXPIRED", "tracking_number": "EB123456789VN", "body": "Đề nghị xử lý ngay trong ngày",
                "reason": "Cán bộ nghỉ phép"}


@pytest.fixture
def cases(app, demo_logins):
    """One declaration per office of OBJECT_OFFICES, each with an ID photo and a pending SMS; by office code."""
    from backoffice.extensions import db
    from backoffice.models import (
        Declaration,
        DeclarationDocument,
        OutboxMessage,
        StoredFile,
    )
    from backoffice.services.platform import offices
    from backoffice.storage.access import storage

    made = {}
    for number, code in enumerate(OBJECT_OFFICES, start=1):
        office = offices.by_code(code)
        stored = StoredFile(storage_key=storage().put(code.encode(), prefix="id_front"), content_type="image/jpeg",
                            size=5, office_id=office.id, purpose="id_front")
        declaration = Declaration(reference=f"PERM{number:04d}", kind="register", channel="vssid_app",
                                  office_id=office.id, social_insurance_number=f"{number:010d}",
                                  full_name="Nguyễn Văn An", date_of_birth=date(1990, 1, 1), sex="Nam",
                                  phone="0912345678", state="ready",
                                  documents=[DeclarationDocument(kind="id_front", stored_file=stored, width=9,
                                                                 height=9)])
        db.session.add(declaration)
        db.session.flush()
        message = OutboxMessage(idempotency_key=f"perm-{code}", event="declaration_approved", channel="sms",
                                recipient="0912345678", context={}, case_type="declaration",
                                case_id=str(declaration.id), office_id=office.id)
        db.session.add(message)
        db.session.flush()
        made[code] = {"declaration": declaration.id, "file": stored.key, "message": message.id,
                      "version": declaration.version_id,
                      "reissue": _reissue_request(office, f"RPERM{number:05d}", "bhyt_card", "THU_SO_THE").id,
                      "complaint": _complaint(office, f"CPERM{number:05d}").id}
    db.session.commit()
    return made


def _reissue_request(office, reference, kind, department, **extra):
    from backoffice.extensions import db
    from backoffice.models import ReissueRequest
    from backoffice.services import reissue  # noqa: F401 - registers the case type

    request = ReissueRequest(reference=reference, kind=kind, channel="vssid_app", office_id=office.id,
                             department_code=department, state="received", social_insurance_number="7900000001",
                             full_name="Nguyễn Văn An", date_of_birth=date(1958, 3, 14), phone="0912000001",
                             payload={}, checks=[], result={}, **extra)
    db.session.add(request)
    db.session.flush()
    return request


def _complaint(office, reference):
    from backoffice.extensions import db
    from backoffice.models import Complaint
    from backoffice.services import complaints  # noqa: F401 - registers the case type

    complaint = Complaint(reference=reference, channel="vssid_app", office_id=office.id, department_code="THU_SO_THE",
                          state="received", text="Thẻ BHYT của tôi ghi sai ngày sinh, đề nghị cơ quan sửa giúp.",
                          category="health_card_info", full_name="Nguyễn Văn An", phone="0912000001")
    db.session.add(complaint)
    db.session.flush()
    return complaint


def object_url(endpoint, case):
    """The URL of `endpoint` for the objects of one case."""
    kind = OBJECT_ROUTES[endpoint][0]
    args = {"file": {"key": case["file"]}, "message": {"message_id": case["message"]},
            "case": {"case_type": "declaration", "case_id": case["declaration"]},
            "declaration": {"declaration_id": case["declaration"], "document": "form"},
            "reissue": {"request_id": case["reissue"], "printout": "receipt"},
            "complaint": {"complaint_id": case["complaint"]}}[kind]
    return url_for(endpoint, **args)


def expected_status(endpoint, role, letter):
    """403, 404, or None for "allowed" (then anything below 400 but 401/403/404, or the 409 of a decision on a
    declaration nobody claimed), for one route, role and cell of DECLARATION_ACCESS."""
    if EXPECTED[endpoint] != PUBLIC and role not in EXPECTED[endpoint]:
        return 403
    action = OBJECT_ROUTES[endpoint][1]
    if letter == "N":
        return 404
    if letter == "F" or (letter == "r" and action == "act"):
        return 403
    return None


def walk_objects(app, client, username, access):
    """Every object route against every office's case for one signed-in officer; the mismatches."""
    role = next(r for r, name in LOGINS.items() if name.split(".")[0] == username.split(".")[0])
    wrong = []
    for endpoint in OBJECT_ROUTES:
        methods = [m for rule in app.url_map.iter_rules(endpoint) for m in rule.methods - {"HEAD", "OPTIONS"}]
        for code, letter in zip(OBJECT_OFFICES, access):
            case = app.config["_cases"][code]
            with app.test_request_context():
                url = object_url(endpoint, case)
            for method in methods:
                version = case["version"] if OBJECT_ROUTES[endpoint][0] == "declaration" else 1
                data = {**DECISION_FORM, **REISSUE_FORM, "version_id": str(version),
                        "officer_id": str(app.config.get("_someone", ""))} if method == "POST" else None
                status = client.open(url, method=method, data=data).status_code
                want = expected_status(endpoint, role, letter)
                allowed_ok = want is None and status < 500 and status not in (401, 403, 404)
                if not (status == want or allowed_ok):
                    wrong.append(f"{method} {endpoint} {code}: {status}, want {want or 'allowed'}")
    return wrong


def _an_officer_id():
    from backoffice.extensions import db
    from backoffice.models import Officer

    return db.session.scalar(select(Officer.id).where(Officer.username == "canbo.00131"))


@pytest.mark.parametrize("username", OFFICERS)
def test_object_matrix(app, client, cases, username, monkeypatch):
    app.config["_cases"], app.config["_someone"] = cases, _an_officer_id()
    assert login(client, username).status_code == 303
    declaration_routes = {e: r for e, r in OBJECT_ROUTES.items() if r[0] not in ("reissue", "complaint")}
    monkeypatch.setattr(sys.modules[__name__], "OBJECT_ROUTES", declaration_routes)
    assert walk_objects(app, client, username, DECLARATION_ACCESS[username]) == []


@pytest.mark.parametrize("username", sorted(REISSUE_ACCESS))
def test_reissue_object_matrix(app, client, cases, username, monkeypatch):
    """Every reissue route × a card request in each office (own, child, sibling, parent, another domain)."""
    app.config["_cases"], app.config["_someone"] = cases, _an_officer_id()
    assert login(client, username).status_code == 303
    reissue_routes = {e: r for e, r in OBJECT_ROUTES.items() if r[0] == "reissue"}
    monkeypatch.setattr(sys.modules[__name__], "OBJECT_ROUTES", reissue_routes)
    assert walk_objects(app, client, username, REISSUE_ACCESS[username]) == []


@pytest.mark.parametrize("username", sorted(COMPLAINT_ACCESS))
def test_complaint_object_matrix(app, client, cases, username, monkeypatch):
    """Every complaint route × a THU_SO_THE complaint in each office (own, child, sibling, parent, another domain)."""
    from backoffice.extensions import db
    from backoffice.services.platform import passwords
    from backoffice.services.reissue import demo
    from tests.conftest import DEMO_PASSWORD

    demo.seed_officers(passwords.hash_password(DEMO_PASSWORD), codes=("00131",))
    db.session.commit()
    app.config["_cases"], app.config["_someone"] = cases, _an_officer_id()
    assert login(client, username).status_code == 303
    complaint_routes = {e: r for e, r in OBJECT_ROUTES.items() if r[0] == "complaint"}
    monkeypatch.setattr(sys.modules[__name__], "OBJECT_ROUTES", complaint_routes)
    assert walk_objects(app, client, username, COMPLAINT_ACCESS[username]) == []


@pytest.mark.parametrize("username", sorted(TRANSFER_ACCESS))
def test_a_pension_transfer_is_seen_by_both_offices_and_acted_on_by_each_in_turn(app, client, cases, username):
    from backoffice.extensions import db
    from backoffice.services.platform import offices, passwords
    from backoffice.services.reissue import demo
    from tests.conftest import DEMO_PASSWORD

    demo.seed_officers(passwords.hash_password(DEMO_PASSWORD), codes=("00131", "00109", "00001"))
    destination = offices.by_code("00109")
    transfer = _reissue_request(offices.by_code("00131"), "RPERMT0001", "pension_transfer", "CS_BHXH",
                                destination_office_id=destination.id)
    transfer.state = "awaiting_destination"
    db.session.commit()
    assert login(client, username).status_code == 303
    wrong = []
    for endpoint, want in TRANSFER_ACCESS[username].items():
        with app.test_request_context():
            url = url_for(endpoint, request_id=transfer.id)
        method = "GET" if endpoint == "reissue.show" else "POST"
        data = {**DECISION_FORM, **REISSUE_FORM, "version_id": str(transfer.version_id),
                "officer_id": str(_an_officer_id())}
        status = client.open(url, method=method, data=data if method == "POST" else None).status_code
        if not (status == want or (want is None and status < 500 and status not in (401, 403, 404))):
            wrong.append(f"{endpoint}: {status}, want {want or 'allowed'}")
    assert wrong == []


@pytest.mark.parametrize("username", ["truongphong.00001", "truongphong.00131", "canbo.00131", "giamsat.00100"])
def test_a_national_head_reads_their_subject_everywhere_and_acts_nowhere_else(app, client, cases, username,
                                                                              monkeypatch):
    """Were declarations the THU_SO_THE department's subject, its national head would read them in every office
    ("theo dõi, đôn đốc") and act only in their own; the local head in their office; the officer's role not at all."""
    from dataclasses import replace

    from backoffice.models import DepartmentCode
    from backoffice.services.platform import scope

    rule = scope.case_types()["declaration"]
    heads = {Role.department_head, Role.supervisor}
    monkeypatch.setitem(scope._case_types, "declaration",
                        replace(rule, read=heads, act=heads, subject=DepartmentCode.THU_SO_THE))
    access = {"truongphong.00001": "Rrrrr", "truongphong.00131": "NNRNN", "canbo.00131": "NNFNN",
              "giamsat.00100": "NRRRN"}[username]
    app.config["_cases"] = cases
    login(client, username)
    only_shared_routes = {e: OBJECT_ROUTES[e] for e in ("files.show", "notifications.case_messages",
                                                           "notifications.resend")}
    monkeypatch.setattr(sys.modules[__name__], "OBJECT_ROUTES", only_shared_routes)
    assert walk_objects(app, client, username, access) == []


def test_every_route_with_an_object_in_its_url_is_walked_or_listed(app):
    from backoffice.services.platform import scope

    with_arguments = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments}
    unwalked = with_arguments - set(OBJECT_ROUTES) - set(NOT_CASE_ROUTES)
    assert unwalked == set(), ("add each route that names an object to OBJECT_ROUTES "
                               "(or, with a reason, NOT_CASE_ROUTES)")
    assert set(OBJECT_ROUTES) <= with_arguments and set(NOT_CASE_ROUTES) <= with_arguments  # no stale entries
    assert scope.case_types(), "the declarations register their case type"


def test_every_model_has_an_access_rule_or_is_listed(app):
    from backoffice.models.base import Base
    from backoffice.services.notifications import messages
    from backoffice.services.platform import scope
    from backoffice.web.case_messages import CASE_VIEWS

    models = {mapper.class_ for mapper in Base.registry.mappers}
    ruleless = {m.__name__ for m in models if not scope.has_rule(m)} - NOT_CASE_MODELS
    assert ruleless == set(), "give each new object type a rule in services.platform.scope (or list it here)"
    # Every case type that shows messages or resends credentials has an access rule.
    assert set(CASE_VIEWS) | set(messages._credential_issuers) <= set(scope.case_types())


def test_an_object_type_without_a_rule_is_refused(app, demo_logins):
    from backoffice.extensions import db
    from backoffice.models import Office, Officer
    from backoffice.services import Forbidden
    from backoffice.services.platform import scope

    officer = db.session.scalar(select(Officer).where(Officer.username == "giamsat.00001"))
    office = db.session.scalar(select(Office).where(Office.code == "00001"))
    with pytest.raises(Forbidden):
        scope.get_readable(officer, Office, office.id)
    assert scope.can_read(officer, office) is False and scope.can_act(officer, office) is False


def test_a_message_of_a_case_type_without_a_rule_is_refused(app, client, cases):
    from backoffice.extensions import db
    from backoffice.models import OutboxMessage

    message = db.session.get(OutboxMessage, cases["00131"]["message"])
    message.case_type = "unknown_case"
    db.session.commit()
    login(client, "giamsat.00001")
    assert client.post(f"/notifications/{message.id}/resend").status_code == 403
    assert client.get(f"/notifications/cases/unknown_case/{message.case_id}").status_code == 404


def test_files_are_opened_by_an_unguessable_key_and_audited(app, client, cases):
    from backoffice.extensions import db
    from backoffice.models import AuditEntry, StoredFile

    own = db.session.scalar(select(StoredFile).where(StoredFile.key == cases["00131"]["file"]))
    assert len(own.key) == 43 and own.key != str(own.id)
    login(client, "tiepnhan.00131")
    shown = client.get(f"/files/{own.key}")
    assert shown.status_code == 200 and shown.data == b"00131"
    assert shown.headers["Cache-Control"] == "no-store"
    assert client.get(f"/files/{own.id}").status_code == 404  # the sequential id opens nothing
    review = client.get(f"/declarations/{cases['00131']['declaration']}").get_data(as_text=True)
    assert f'src="/files/{own.key}"' in review

    supervisor = app.test_client()
    login(supervisor, "giamsat.00100")  # Hà Nội supervisor sees the district below, not Khánh Hòa
    assert supervisor.get(f"/files/{own.key}").status_code == 200
    assert supervisor.get(f"/files/{cases['05600']['file']}").status_code == 404
    viewed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "file_viewed")).all()
    assert [(e.actor, e.object_id) for e in viewed] == [("tiepnhan.00131", str(own.id)),
                                                        ("giamsat.00100", str(own.id))]


def test_a_file_no_case_owns_is_opened_by_nobody(app, client, demo_logins):
    from backoffice.extensions import db
    from backoffice.models import StoredFile
    from backoffice.services.platform import offices
    from backoffice.storage.access import storage

    orphan = StoredFile(storage_key=storage().put(b"x", prefix="id_front"), content_type="image/jpeg", size=1,
                        office_id=offices.by_code("00131").id, purpose="id_front")
    db.session.add(orphan)
    db.session.commit()
    login(client, "giamsat.00001")
    assert client.get(f"/files/{orphan.key}").status_code == 404


@pytest.mark.parametrize("case_id", ["99999999999999999999", "1e3", "-1", "%C2%B9", "abc", "A%00B", "%F0%9F%98%80"])
def test_case_ids_and_file_keys_that_name_no_row_are_404(app, client, demo_logins, case_id):
    login(client, "tiepnhan.00131")
    # a NUL anywhere in a path is refused at the edge (400, web/params.py) before any route looks at it
    expected = 400 if "%00" in case_id else 404
    assert client.get(f"/notifications/cases/declaration/{case_id}").status_code == expected
    assert client.get(f"/files/{case_id}").status_code == expected
