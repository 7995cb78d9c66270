"""Admins manage their own office subtree only (issue 13, item 1), with a local, a provincial and the national admin.

Demo tree: 00001 (national) > 00100 Hà Nội (provincial) > 00131, 00109, 00104 (local); 00001 > 05600, 05100.
"""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import ApiKey, AuditEntry, Department, DepartmentCode, Office, OfficeLevel, Officer, Role
from backoffice.services import DomainError, NotFound
from backoffice.services.platform import api_keys, officers, scope
from tests.conftest import login

LOCAL, PROVINCIAL, NATIONAL = "quantri.00131", "quantri.00100", "quantri.00001"


def officer(username):
    return db.session.scalar(select(Officer).where(Officer.username == username))


def office(code):
    return db.session.scalar(select(Office).where(Office.code == code))


def refusals():
    """(attempt, kind) of the audited refusals, oldest first."""
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "admin_refused")
                                 .order_by(AuditEntry.id)).all()
    return [(e.details["attempt"], e.details["kind"]) for e in entries]


def disabled(page, field_id):
    """True when the page shows the field `field_id` disabled (shown, not offered)."""
    return re.search(rf'<select[^>]*\bid="{field_id}"[^>]*>', page).group(0).count(" disabled") == 1


def officer_form(target, **changes):
    values = {"username": target.username, "full_name": target.full_name, "email": target.email or "",
              "role": target.role.value, "office_id": target.office_id,
              "department_code": target.department.code.value if target.department else ""}
    return {**values, **changes}


def office_form(target, **changes):
    values = {"code": target.code, "name": target.name, "level": target.level.value,
              "parent_id": target.parent_id or 0, "address": target.address, "phone": target.phone,
              "email": target.email}
    return {**values, **changes}


# (admin, target officer, inside the admin's subtree?): own office, child, sibling, parent, another branch.
REACH = [
    (LOCAL, "canbo.00131", True), (LOCAL, "canbo.00109", False), (LOCAL, "canbo.00100", False),
    (LOCAL, "quantri.00001", False), (LOCAL, "canbo.05600", False),
    (PROVINCIAL, "canbo.00100", True), (PROVINCIAL, "canbo.00131", True), (PROVINCIAL, "quantri.00131", True),
    (PROVINCIAL, "canbo.05600", False), (PROVINCIAL, "quantri.00001", False),
    (NATIONAL, "canbo.00131", True), (NATIONAL, "quantri.05100", True),
]


@pytest.mark.parametrize(("admin", "username", "inside"), REACH)
def test_officers_outside_the_subtree_answer_404_and_are_left_alone(client, demo_logins, admin, username, inside):
    login(client, admin)
    target = officer(username)
    before = (target.password_hash, target.role, target.office_id, target.active, target.full_name)
    expected = 200 if inside else 404
    assert client.get(f"/admin/officers/{target.id}").status_code == expected
    assert (f"/admin/officers/{target.id}" in client.get("/admin/officers").get_data(as_text=True)) == inside
    if inside:
        return
    responses = [
        client.post(f"/admin/officers/{target.id}", data=officer_form(target, full_name="Đã bị sửa")),
        client.post(f"/admin/officers/{target.id}/password"),
        client.post(f"/admin/officers/{target.id}/active", data={"active": "0"}),
        client.post(f"/admin/officers/{target.id}/active", data={"active": "0"}, headers={"HX-Request": "true"}),
        client.get(f"/admin/officers?office_id={target.office_id}"),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    assert "temporary-password" not in responses[1].get_data(as_text=True)
    db.session.expire_all()
    after = officer(username)
    assert (after.password_hash, after.role, after.office_id, after.active, after.full_name) == before
    assert refusals()[-5:] == [("admin.officers_edit", "not_found"), ("admin.officers_reset_password", "not_found"),
                               ("admin.officers_set_active", "not_found"), ("admin.officers_set_active", "not_found"),
                               ("admin.officers_list", "not_found")]


def test_the_reported_takeover_by_a_local_admin_is_refused(app, client, demo_logins):
    """Issue 13: the local admin read the national admin, reset their password, and made themselves supervisor of
    the national office."""
    login(client, LOCAL)
    national, me = officer(NATIONAL), officer(LOCAL)
    assert client.get(f"/admin/officers/{national.id}").status_code == 404
    assert client.post(f"/admin/officers/{national.id}/password").status_code == 404
    raised = client.post(f"/admin/officers/{me.id}", data=officer_form(me, role="supervisor",
                                                                       office_id=office("00001").id))
    assert raised.status_code == 200 and "Bạn chỉ được xếp cán bộ vào cơ quan của mình" in raised.get_data(as_text=True)
    db.session.expire_all()
    assert (officer(LOCAL).role, officer(LOCAL).office.code) == (Role.admin, "00131")
    assert login(app.test_client(), NATIONAL).status_code == 303  # their password still works


@pytest.mark.parametrize(("admin", "code", "inside"), [
    (LOCAL, "00131", True), (LOCAL, "00100", False), (LOCAL, "00109", False), (LOCAL, "00001", False),
    (PROVINCIAL, "00100", True), (PROVINCIAL, "00109", True), (PROVINCIAL, "05600", False),
    (PROVINCIAL, "00001", False),
    (NATIONAL, "05100", True),
])
def test_offices_outside_the_subtree_answer_404(client, demo_logins, admin, code, inside):
    login(client, admin)
    target = office(code)
    assert client.get(f"/admin/offices/{target.id}").status_code == (200 if inside else 404)
    assert (f"/admin/offices/{target.id}" in client.get("/admin/offices").get_data(as_text=True)) == inside
    if inside:
        return
    department = target.departments[0]
    edited = client.post(f"/admin/offices/{target.id}", data=office_form(target, name="Đã bị sửa"))
    renamed = client.post(f"/admin/departments/{department.id}", data={f"d{department.id}-name": "Đã bị sửa"})
    assert (edited.status_code, renamed.status_code) == (404, 404)
    db.session.expire_all()
    assert office(code).name != "Đã bị sửa" and db.session.get(Department, department.id).name != "Đã bị sửa"
    assert refusals()[-2:] == [("admin.offices_edit", "not_found"), ("admin.departments_rename", "not_found")]


@pytest.mark.parametrize("admin", [LOCAL, PROVINCIAL, NATIONAL])
def test_no_one_changes_their_own_role_office_or_active_flag(client, demo_logins, admin):
    login(client, admin)
    me = officer(admin)
    page = client.get(f"/admin/officers/{me.id}").get_data(as_text=True)
    assert disabled(page, "role") and disabled(page, "office_id") and disabled(page, "department_code")
    child = me.office if me.office.code == "00131" else office("00131")  # inside every one of these subtrees
    attempts = [
        officer_form(me, role="supervisor"),
        (officer_form(me, office_id=child.id) if child.id != me.office_id
         else officer_form(me, role="reception_officer")),
        officer_form(me, department_code="CNTT"),
    ]
    for data in attempts:
        body = client.post(f"/admin/officers/{me.id}", data=data).get_data(as_text=True)
        assert "Bạn không thể tự đổi vai trò, cơ quan hay phòng ban của chính mình" in body
    assert f'action="/admin/officers/{me.id}/active"' not in client.get("/admin/officers").get_data(as_text=True)
    client.post(f"/admin/officers/{me.id}/active", data={"active": "0"})
    assert "Không thể tự khoá hoặc mở khoá" in client.get("/admin/officers").get_data(as_text=True)
    db.session.expire_all()
    after = officer(admin)
    assert (after.role, after.office_id, after.department_id, after.active) == (Role.admin, me.office_id, None, True)
    assert refusals() == [("admin.officers_edit", "refused")] * 3 + [("admin.officers_set_active", "refused")]
    renamed = client.post(f"/admin/officers/{me.id}", data=officer_form(me, full_name="Tên mới"))
    assert renamed.status_code == 303 and officer(admin).full_name == "Tên mới"  # name and contact stay theirs


@pytest.mark.parametrize("admin", [LOCAL, PROVINCIAL])
def test_only_national_admins_move_offices_or_change_levels(client, demo_logins, admin):
    login(client, admin)
    target = officer(admin).office  # their own office: in their subtree, so the move is refused for its kind only
    path = target.path
    page = client.get(f"/admin/offices/{target.id}").get_data(as_text=True)
    assert "Chỉ quản trị viên cấp Trung ương được chuyển cơ quan" in page
    assert disabled(page, "parent_id") and disabled(page, "level")  # shown, not offered
    moved = client.post(f"/admin/offices/{target.id}", data=office_form(target, parent_id=office("05600").id))
    raised = client.post(f"/admin/offices/{target.id}", data=office_form(target, level="national"))
    assert (moved.status_code, raised.status_code) == (403, 403)
    as_sent = {k: v for k, v in office_form(target, name="Tên mới").items() if k not in ("parent_id", "level")}
    renamed = client.post(f"/admin/offices/{target.id}", data=as_sent)  # disabled selects send nothing
    assert renamed.status_code == 303  # the details stay theirs to change
    db.session.expire_all()
    after = office(target.code)
    assert (after.path, after.level, after.name) == (path, target.level, "Tên mới")
    assert refusals() == [("admin.offices_edit", "forbidden")] * 2


def test_a_provincial_admin_cannot_move_an_office_inside_their_own_subtree(client, demo_logins):
    """Issue 13: 00109 was moved under 05600; even a move within the province reshapes who sees whose citizens."""
    login(client, PROVINCIAL)
    target = office("00109")
    assert client.post(f"/admin/offices/{target.id}", data=office_form(target, parent_id=office("00131").id)
                       ).status_code == 403
    assert office("00109").path == "/00001/00100/00109/"


def test_a_national_admin_moves_an_office_and_the_move_is_audited(client, demo_logins):
    login(client, NATIONAL)
    target = office("00109")
    response = client.post(f"/admin/offices/{target.id}", data=office_form(target, parent_id=office("05600").id))
    assert response.status_code == 303 and office("00109").path == "/00001/05600/00109/"
    moved = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "office_moved"))
    assert moved.details == {"code": "00109", "before": "/00001/00100/00109/", "after": "/00001/05600/00109/"}
    assert moved.actor == NATIONAL


@pytest.mark.parametrize("admin", [LOCAL, "quantri.05100"])
def test_only_national_admins_create_or_revoke_api_keys(client, demo_logins, admin):
    record, key = api_keys.create("portal")
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/api-keys").get_data(as_text=True)
    assert "chỉ quản trị viên cấp Trung ương" in page
    assert "Tạo khoá mới" not in page and "/revoke" not in page
    assert client.post("/admin/api-keys", data={"channel": "vssid_app"}).status_code == 403
    assert client.post(f"/admin/api-keys/{record.id}/revoke").status_code == 403
    assert db.session.scalar(select(ApiKey.id).where(ApiKey.channel == "vssid_app")) is None
    assert api_keys.authenticate(key).revoked_at is None  # the portal keeps working nationwide
    assert refusals() == [("api_keys.create", "forbidden"), ("api_keys.revoke", "forbidden")]


def test_a_national_admin_sees_the_key_actions(client, demo_logins):
    api_keys.create("portal")
    db.session.commit()
    login(client, NATIONAL)
    page = client.get("/admin/api-keys").get_data(as_text=True)
    assert "Tạo khoá mới" in page and "/revoke" in page
    edit = client.get(f"/admin/offices/{office('00100').id}").get_data(as_text=True)
    assert not disabled(edit, "parent_id") and not disabled(edit, "level")


def test_keys_refuse_a_non_national_actor_in_the_service(demo_logins):
    record, _ = api_keys.create("portal")
    for username in (LOCAL, PROVINCIAL):
        with pytest.raises(DomainError):
            api_keys.create("portal", actor=officer(username))
        with pytest.raises(DomainError):
            api_keys.revoke(record.prefix, actor=officer(username))
    assert api_keys.revoke(record.prefix, actor=officer(NATIONAL)).revoked_at is not None


@pytest.mark.parametrize(("admin", "code", "allowed"), [
    (LOCAL, "00131", True), (LOCAL, "00100", False), (LOCAL, "00001", False),
    (PROVINCIAL, "00131", True), (PROVINCIAL, "00100", True), (PROVINCIAL, "00001", False),
    (PROVINCIAL, "05100", False),
    (NATIONAL, "00001", True),
])
def test_officers_are_placed_only_inside_the_admins_subtree(client, demo_logins, admin, code, allowed):
    login(client, admin)
    response = client.post("/admin/officers/new", data={
        "username": "moi.canbo", "full_name": "Cán bộ mới", "email": "", "role": "supervisor",
        "office_id": office(code).id, "department_code": ""})
    created = officer("moi.canbo")
    assert (created is not None) == allowed
    if not allowed:
        assert "Bạn chỉ được xếp cán bộ vào cơ quan của mình hoặc cơ quan cấp dưới." in response.get_data(as_text=True)
        assert refusals() == [("admin.officers_new", "refused")]
    else:
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "officer_created"))


def test_a_provincial_admin_cannot_move_an_officer_out_of_their_subtree(client, demo_logins):
    login(client, PROVINCIAL)
    target = officer("canbo.00131")
    response = client.post(f"/admin/officers/{target.id}", data=officer_form(target, office_id=office("05600").id))
    assert "Bạn chỉ được xếp cán bộ vào cơ quan của mình" in response.get_data(as_text=True)
    promoted = client.post(f"/admin/officers/{target.id}", data=officer_form(target, role="supervisor",
                                                                            department_code=""))
    assert promoted.status_code == 303  # a supervisor of 00131 sees 00131 only: inside the province
    db.session.expire_all()
    assert (officer("canbo.00131").office.code, officer("canbo.00131").role) == ("00131", Role.supervisor)
    updated = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "officer_updated"))
    assert updated.details["after"] == {"role": "supervisor", "office": "00131"}


@pytest.fixture
def stray_national_office(demo_logins):
    """A national-level office misfiled under Hà Nội (as old data might be): its department head would see
    every office, which the provincial admin cannot grant although the office lies in their subtree."""
    hanoi = office("00100")
    stray = Office(code="00199", name="Văn phòng đại diện", level=OfficeLevel.national, parent=hanoi,
                   path=f"{hanoi.path}00199/", address="", phone="", email="")
    db.session.add_all([stray, Department(office=stray, code=DepartmentCode.CS_BHXH, name="Phòng Chính sách BHXH")])
    db.session.commit()
    return stray


def test_a_role_seeing_beyond_the_subtree_is_not_granted(client, stray_national_office):
    login(client, PROVINCIAL)
    response = client.post("/admin/officers/new", data={
        "username": "truongphong.moi", "full_name": "Trưởng phòng mới", "email": "", "role": "department_head",
        "office_id": stray_national_office.id, "department_code": "CS_BHXH"})
    assert "Vai trò này được xem dữ liệu ngoài phạm vi quản lý của bạn" in response.get_data(as_text=True)
    assert officer("truongphong.moi") is None
    national = officers.create(officer(NATIONAL), username="truongphong.tw", full_name="TP", email="",
                               role="department_head", office_id=office("00001").id, department_code="CS_BHXH")[0]
    assert national.role == Role.department_head  # a national admin may appoint one


@pytest.mark.parametrize(("admin", "level", "parent", "expected"), [
    (LOCAL, "local", "00131", 403),
    (PROVINCIAL, "provincial", "00100", 403), (PROVINCIAL, "national", "00100", 403),
    (PROVINCIAL, "local", "05600", 200), (PROVINCIAL, "local", "00100", 303),
    (NATIONAL, "provincial", "00001", 303),
])
def test_offices_are_created_below_the_admins_level_and_inside_their_subtree(client, demo_logins, admin, level,
                                                                             parent, expected):
    login(client, admin)
    response = client.post("/admin/offices/new", data={
        "code": "00188", "name": "BHXH khu vực mới", "level": level, "parent_id": office(parent).id,
        "address": "", "phone": "", "email": ""})
    assert response.status_code == expected
    assert (office("00188") is not None) == (expected == 303)
    if expected == 200:
        assert "Cơ quan cấp trên phải là cơ quan của bạn hoặc cơ quan cấp dưới." in response.get_data(as_text=True)


def test_a_local_admin_is_not_offered_new_offices(app, client, demo_logins):
    login(client, LOCAL)
    assert 'href="/admin/offices/new"' not in client.get("/admin/offices").get_data(as_text=True)
    page = client.get("/admin/offices/new").get_data(as_text=True)
    assert "chỉ quản trị viên cấp trên được thêm cơ quan" in page and 'name="code"' not in page
    provincial = app.test_client()
    login(provincial, PROVINCIAL)
    assert 'href="/admin/offices/new"' in provincial.get("/admin/offices").get_data(as_text=True)


ADMINS = [LOCAL, PROVINCIAL, "quantri.05100", NATIONAL]
CODES = ["00001", "00100", "00131", "00109", "05600", "05100", "00199"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(admin=st.sampled_from(ADMINS), role=st.sampled_from(list(Role)), code=st.sampled_from(CODES),
       target=st.sampled_from(["canbo.00131", "canbo.00109", "giamsat.05600", "quantri.00001", "quantri.00100"]))
def test_no_admin_action_reaches_beyond_the_admins_subtree(stray_national_office, admin, role, code, target):
    """Property: whatever an admin asks, every officer they create or change ends up seeing only offices of the
    admin's subtree, and officers outside it are not found."""
    actor = officer(admin)
    subtree = set(db.session.scalars(select(Office.id).where(Office.path.startswith(actor.office.path))))
    savepoint = db.session.begin_nested()
    try:
        changed = None
        try:
            changed = officers.create(actor, username="thu.tinh", full_name="Thử", email="", role=role.value,
                                      office_id=office(code).id)[0]
        except DomainError:
            pass
        if changed is not None:
            assert set(db.session.scalars(_sight(changed))) <= subtree
        subject = officer(target)
        inside = subject.office_id in subtree
        try:
            changed = officers.update(actor, subject.id, full_name="Thử", email="", role=role.value,
                                      office_id=office(code).id)
        except NotFound:
            assert not inside
        except DomainError:
            pass
        else:
            assert inside and set(db.session.scalars(_sight(changed))) <= subtree
    finally:
        savepoint.rollback()


def test_refusals_record_what_was_tried(client, demo_logins):
    login(client, LOCAL)
    national = officer(NATIONAL)
    client.post(f"/admin/officers/{national.id}", data=officer_form(national, role="reception_officer"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "admin_refused"))
    assert (entry.actor, entry.object_type, entry.object_id) == (LOCAL, "officer", str(national.id))
    assert entry.details["submitted"]["role"] == "reception_officer"
    assert entry.details["reason"] == "Không tìm thấy cán bộ."


def test_a_refused_attempt_with_odd_values_is_still_a_404(client, demo_logins):
    login(client, LOCAL)
    national = officer(NATIONAL)
    response = client.post(f"/admin/officers/{national.id}", data=officer_form(national, role="admin" + "x" * 500))
    assert response.status_code == 404
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "admin_refused"))
    assert entry.details["submitted"]["role"] == "admin" + "x" * 59
    # a NUL in a form is refused at the edge (web/params.py) before the view: 400, nothing stored
    response = client.post(f"/admin/officers/{national.id}", data=officer_form(national, role="ad\x00min"))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "admin_refused")) == 1


def _sight(officer):
    """Every office whose cases the officer may read, for any subject they follow."""
    return scope.read_office_ids(officer, subject=officer.department.code if officer.department else None)
