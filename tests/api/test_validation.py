"""Every validation rule answers 4xx, names the field in Vietnamese and English, and stores nothing."""
import io
import json
import struct
import zlib
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.idcard.idnumber import make_id12
from backoffice.models import AccountStatus, AuditEntry, Declaration, ETransactionAccount, IdempotencyRecord, StoredFile
from backoffice.services.platform import calendar
from backoffice.storage.access import storage
from tests.api.conftest import ADULT_BORN, GUARDIAN_SIN, jpeg, multipart, payload, photos, stored_files, submit

ADDRESS = {"province_code": "01", "ward_code": "00070", "street": "Số 7 Tràng Thi"}
TOMORROW = (calendar.today() + timedelta(days=1)).isoformat()
EIGHTEEN_YEARS_AGO = calendar.today().replace(year=calendar.today().year - 18).isoformat()


def assert_refused(app, response, field, status=422):
    body = response.get_json()
    assert response.status_code == status, body
    error = body["error"]
    assert field in error["fields"], error
    assert set(error["fields"][field]) == {"vi", "en"} and all(error["fields"][field].values())
    assert_nothing_stored(app)
    return error


def assert_nothing_stored(app):
    for model in (Declaration, StoredFile, IdempotencyRecord):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "declaration_submitted")) == 0
    assert stored_files(app) == []


PAYLOAD_RULES = [
    ({"social_insurance_number": "12345"}, "social_insurance_number"),
    ({"social_insurance_number": None}, "social_insurance_number"),
    ({"social_insurance_number": 123456789}, "social_insurance_number"),
    ({"full_name": "Nguyen 4n"}, "full_name"),
    ({"full_name": "A" * 201}, "full_name"),
    ({"date_of_birth": "17/05/1990"}, "date_of_birth"),
    ({"date_of_birth": "1990-02-30"}, "date_of_birth"),
    ({"date_of_birth": TOMORROW}, "date_of_birth"),
    ({"date_of_birth": "1899-12-31"}, "date_of_birth"),
    ({"sex": "Male"}, "sex"),
    ({"id_type": "driving_licence"}, "id_type"),
    ({"id_type": None}, "id_type"),
    ({"id_number": None}, "id_number"),
    ({"id_number": "00109012345"}, "id_number"),  # 11 digits
    ({"id_number": "003090123456"}, "id_number"),  # 003 is no province
    ({"id_number": "001790123456"}, "id_number"),  # 7 is no century/sex digit
    ({"id_number": make_id12(1, date(1991, 5, 17), "Nam", 1)}, "id_number"),  # birth year
    ({"id_number": make_id12(1, ADULT_BORN, "Nữ", 1)}, "id_number"),  # sex
    ({"id_type": "cmnd", "id_number": "12345678"}, "id_number"),
    ({"id_type": "passport", "id_number": "12345678"}, "id_number"),
    ({"phone": "0243123456"}, "phone"),  # a landline
    ({"phone": "0912"}, "phone"),
    ({"phone": "+14155550123"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"address": None}, "address"),
    ({"address": "Hà Nội"}, "address"),
    ({"address": {**ADDRESS, "province_code": "99"}}, "address.province_code"),
    ({"address": {**ADDRESS, "ward_code": "99999"}}, "address.ward_code"),
    ({"address": {**ADDRESS, "province_code": "79"}}, "address.ward_code"),  # Hoàn Kiếm is not in HCM
    ({"address": {**ADDRESS, "district": "Ba Đình"}}, "address.district"),
    ({"address": {**ADDRESS, "street": ""}}, "address.street"),
    ({"receiving_office_code": "99999"}, "receiving_office_code"),
    ({"receiving_office_code": "abc"}, "receiving_office_code"),
    ({"channel": "portal"}, "channel"),  # the key belongs to vssid_app
    ({"channel": "sms"}, "channel"),
    ({"kind": "renew"}, "kind"),
    ({"nickname": "An"}, "nickname"),
    ({"guardian_social_insurance_number": GUARDIAN_SIN}, "guardian_social_insurance_number"),
]


@pytest.mark.parametrize("changes,field", PAYLOAD_RULES, ids=[f"{f}-{i}" for i, (_, f) in enumerate(PAYLOAD_RULES)])
def test_payload_rule(app, client, auth, changes, field):
    assert_refused(app, submit(client, auth, payload(**changes)), field)


def test_every_problem_is_reported_at_once(app, client, auth):
    error = assert_refused(app, submit(client, auth, payload(phone="1", sex="X", email="@")), "phone")
    assert error["code"] == "validation_failed" and {"phone", "sex", "email"} <= set(error["fields"])
    assert error["fields"]["phone"]["vi"].startswith("Số điện thoại")


def test_a_refused_request_keeps_no_photo(app, client, auth):
    submit(client, auth, payload(phone="1"))
    assert stored_files(app) == []


CHILD_RULES = [
    ({"guardian_social_insurance_number": None}, "guardian_social_insurance_number"),
    ({"guardian_social_insurance_number": "0100000001"}, "guardian_social_insurance_number"),  # no account
    ({"guardian_social_insurance_number": "0155443322"}, "guardian_social_insurance_number"),  # the child
    ({"date_of_birth": EIGHTEEN_YEARS_AGO}, "date_of_birth"),
]


@pytest.mark.parametrize("changes,field", CHILD_RULES)
def test_child_rule(app, client, auth, guardian, changes, field):
    assert_refused(app, submit(client, auth, payload("register_child", **changes), kind="register_child"), field)


def test_a_guardian_whose_account_is_stopped_is_refused(app, client, auth, guardian):
    account = db.session.scalar(select(ETransactionAccount))
    account.status = AccountStatus.stopped
    db.session.commit()
    response = submit(client, auth, payload("register_child"), kind="register_child")
    assert_refused(app, response, "guardian_social_insurance_number")


@pytest.mark.parametrize("kind,missing", [("register", "id_back"), ("register", "portrait"),
                                          ("register_child", "birth_certificate"), ("update", "id_front")])
def test_required_photos_by_kind(app, client, auth, guardian, kind, missing):
    response = submit(client, auth, payload(kind), photos(kind, **{missing: None}), kind=kind)
    assert_refused(app, response, missing)


def test_a_photo_the_kind_does_not_take_is_refused(app, client, auth):
    response = submit(client, auth, files=photos(birth_certificate=jpeg()))
    assert_refused(app, response, "birth_certificate")


def test_an_unknown_file_part_is_refused(app, client, auth):
    assert_refused(app, submit(client, auth, files=photos(selfie=jpeg())), "selfie")


def test_two_files_for_one_photo_are_refused(app, client, auth):
    data = multipart(payload(), photos())
    data["id_front"] = [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(jpeg()), "b.jpg")]
    response = client.post("/api/v1/declarations", data=data, headers=auth, content_type="multipart/form-data")
    assert_refused(app, response, "id_front")


def _png_bomb(width=10000, height=5000):
    """A tiny PNG that claims 50 megapixels (the decompression-bomb shape of DESIGN.md §11)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"".join(b"\x00" + bytes(width) for _ in range(height)), 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


BAD_UPLOADS = {
    "not_an_image": b"%PDF-1.7 this is not a photo",
    "empty": b"",
    "truncated": jpeg(800, 600)[:1500],
    "bomb": _png_bomb(),
    "too_large": b"\xff\xd8\xff" + bytes(10 * 1024 * 1024),
}


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_upload_is_refused(app, client, auth, name):
    data = BAD_UPLOADS[name]
    if name == "bomb":
        assert len(data) < 100_000
    error = assert_refused(app, submit(client, auth, files=photos(id_front=data)), "id_front")
    assert error["code"] == "validation_failed"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(client, auth, fmt):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 20, 30)).save(out, fmt)
    assert submit(client, auth, files=photos(portrait=out.getvalue())).status_code == 201
    stored = db.session.scalar(select(StoredFile).where(StoredFile.purpose == "portrait"))
    assert stored.content_type == f"image/{fmt.lower()}"


def test_exif_and_gps_are_dropped_on_receipt(client, auth):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 48.0, 10.0)}  # GPS
    sent = jpeg(exif=exif.tobytes())
    assert Image.open(io.BytesIO(sent)).getexif()
    assert submit(client, auth, files=photos(id_front=sent)).status_code == 201
    stored = db.session.scalar(select(StoredFile).where(StoredFile.purpose == "id_front"))
    kept = storage().get(stored.storage_key)
    assert not Image.open(io.BytesIO(kept)).getexif() and b"Exif" not in kept and b"PhoneMaker" not in kept


def test_payload_that_is_not_json_is_400(app, client, auth):
    error = assert_refused(app, submit(client, auth, "{not json"), "payload", status=400)
    assert error["code"] == "invalid_json"


@pytest.mark.parametrize("body", ["", "[1, 2]", "null", '"text"'])
def test_payload_that_is_not_an_object_is_422(app, client, auth, body):
    assert_refused(app, submit(client, auth, body), "payload")


def test_payload_may_come_as_a_json_file_part(client, auth):
    data = multipart(payload(), photos())
    data["payload"] = (io.BytesIO(json.dumps(payload()).encode()), "payload.json", "application/json")
    response = client.post("/api/v1/declarations", data=data, headers=auth, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()


def test_a_json_body_instead_of_multipart_is_415(app, client, auth):
    response = client.post("/api/v1/declarations", json=payload(), headers=auth)
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"
    assert_nothing_stored(app)
