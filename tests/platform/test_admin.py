"""Administration screens: officers, offices, departments; every change audited; no citizen data."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditEntry, Office, Officer
from tests.conftest import login


def audit_actions():
    return db.session.scalars(select(AuditEntry.action).where(AuditEntry.action != "login")
                              .order_by(AuditEntry.id)).all()


def office(code):
    return db.session.scalar(select(Office).where(Office.code == code))


def test_create_officer_shows_the_temporary_password_once(client, demo_logins):
    login(client, "quantri.00001")
    form = {"username": "Nguyen.An", "full_name": "Nguyễn Văn An", "email": "an@vss.gov.vn",
            "role": "reception_officer", "office_id": office("00131").id, "department_code": "TIEP_NHAN"}
    response = client.post("/admin/officers/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="temporary-password"' in page
    created = db.session.scalar(select(Officer).where(Officer.username == "nguyen.an"))
    assert created.must_change_password and created.department.code.value == "TIEP_NHAN"
    duplicate = client.post("/admin/officers/new", data=form).get_data(as_text=True)
    assert "Tên đăng nhập đã được dùng." in duplicate and "Nguyễn Văn An" in duplicate  # input kept
    assert audit_actions() == ["officer_created"]


def test_invalid_choices_are_explained_in_vietnamese(client, demo_logins):
    login(client, "quantri.00001")
    response = client.post("/admin/officers/new", data={
        "username": "x.y", "full_name": "X", "role": "chief", "office_id": 999999, "department_code": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.count("Lựa chọn không hợp lệ.") == 1  # the role
    missing = client.post("/admin/officers/new", data={  # the office is the service's to judge (scope)
        "username": "x.y", "full_name": "X", "role": "reception_officer", "office_id": 999999, "department_code": ""})
    assert missing.status_code == 200 and "Cơ quan không tồn tại." in missing.get_data(as_text=True)
    assert db.session.scalar(select(Officer).where(Officer.username == "x.y")) is None


def test_deactivate_via_htmx_returns_the_row(client, demo_logins):
    login(client, "quantri.00001")
    target = db.session.scalar(select(Officer).where(Officer.username == "canbo.00131"))
    response = client.post(f"/admin/officers/{target.id}/active", data={"active": "0"}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.startswith(f'<tr id="officer-{target.id}">') and "Đã khoá" in body
    assert 'hx-swap-oob="true"' in body and "mọi phiên đăng nhập" in body  # the toast travels out of band
    assert db.session.get(Officer, target.id).active is False
    plain = client.post(f"/admin/officers/{target.id}/active", data={"active": "1"})  # without JavaScript
    assert plain.status_code == 303 and plain.headers["Location"] == "/admin/officers"
    assert db.session.get(Officer, target.id).active is True


def test_admin_cannot_lock_themselves_out(client, demo_logins):
    login(client, "quantri.00001")
    me = db.session.scalar(select(Officer).where(Officer.username == "quantri.00001"))
    client.post(f"/admin/officers/{me.id}/active", data={"active": "0"})
    assert "Không thể tự khoá" in client.get("/admin/officers").get_data(as_text=True)
    assert db.session.get(Officer, me.id).active


def test_edit_officer_moves_them_and_ends_their_sessions(client, demo_logins, app):
    other = app.test_client()
    login(other, "canbo.00131")
    login(client, "quantri.00001")
    target = db.session.scalar(select(Officer).where(Officer.username == "canbo.00131"))
    response = client.post(f"/admin/officers/{target.id}", data={
        "username": "ignored", "full_name": "Cán bộ chuyển", "email": "", "role": "department_head",
        "office_id": office("00109").id, "department_code": "CS_BHXH"})
    assert response.status_code == 303
    moved = db.session.get(Officer, target.id)
    assert (moved.username, moved.role.value, moved.office.code) == ("canbo.00131", "department_head", "00109")
    assert other.get("/").status_code == 303


def test_reset_password_forces_a_change(client, demo_logins):
    login(client, "quantri.00001")
    target = db.session.scalar(select(Officer).where(Officer.username == "giamsat.00131"))
    page = client.post(f"/admin/officers/{target.id}/password").get_data(as_text=True)
    temporary = page.split('data-testid="temporary-password">')[1].split("<")[0]
    assert db.session.get(Officer, target.id).must_change_password
    fresh = client.application.test_client()
    assert login(fresh, "giamsat.00131", temporary).status_code == 303
    assert fresh.get("/").headers["Location"] == "/password"


def test_offices_tree_create_and_move(client, demo_logins):
    login(client, "quantri.00001")
    response = client.post("/admin/offices/new", data={
        "code": "00132", "name": "BHXH khu vực thử", "level": "local", "parent_id": office("05600").id,
        "address": "Nha Trang", "phone": "", "email": ""})
    assert response.status_code == 303
    created = office("00132")
    assert created.path == "/00001/05600/00132/" and len(created.departments) == 5
    bad = client.post("/admin/offices/new", data={"code": "12", "name": "", "level": "local", "parent_id": 0})
    assert "Mã cơ quan gồm đúng 5 chữ số." in bad.get_data(as_text=True)

    hanoi = office("00100")
    moved = client.post(f"/admin/offices/{hanoi.id}", data={
        "code": "00100", "name": hanoi.name, "level": "provincial", "parent_id": office("05100").id,
        "address": "", "phone": "", "email": ""})
    assert moved.status_code == 303
    assert office("00131").path == "/00001/05100/00100/00131/"  # the subtree moved with it
    loop = client.post(f"/admin/offices/{hanoi.id}", data={
        "code": "00100", "name": hanoi.name, "level": "provincial", "parent_id": office("00131").id})
    assert "chính nhánh của nó" in loop.get_data(as_text=True)


def test_rename_department(client, demo_logins):
    login(client, "quantri.00001")
    department = office("00131").departments[0]
    response = client.post(f"/admin/departments/{department.id}", data={f"d{department.id}-name": "Một cửa"})
    assert response.status_code == 303
    assert db.session.get(type(department), department.id).name == "Một cửa"
    assert "department_renamed" in audit_actions()
