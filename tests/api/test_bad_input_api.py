"""The intake API under bad input (issue 13): no 5xx, ASCII digits only, its own error envelope everywhere,
a spec that states what the server enforces, and auth failures limited per key prefix and address."""
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.idcard.idnumber import make_id12
from backoffice.models import Declaration
from backoffice.services.platform import api_keys
from backoffice.services.platform.api_intake import MAX_JSON_DEPTH
from backoffice.views.api import MAX_PAYLOAD_BYTES
from backoffice.web.errors import API_ERRORS
from tests.api.conftest import ADULT_BORN, GUARDIAN_SIN, jpeg, multipart, payload, photos, submit
from tests.api.test_validation import assert_nothing_stored, assert_refused

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ADDRESS = {"province_code": "01", "ward_code": "00070", "street": "Số 7 Tràng Thi"}


# ---- item 4: deep JSON, NUL ------------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 30_000])
def test_deeply_nested_payload_is_a_400_not_a_500(app, client, auth, depth):
    body = json.dumps(payload(address=None))[:-1] + ', "address": ' + "[" * depth + "]" * depth + "}"
    assert len(body.encode()) < MAX_PAYLOAD_BYTES  # the depth limit answers, not the size limit
    error = assert_refused(app, submit(client, auth, body=body), "payload", status=400)
    assert error["code"] == "invalid_json" and "lồng quá sâu" in error["message"]


def test_brackets_inside_strings_do_not_count_as_nesting(client, auth):
    assert submit(client, auth, body=payload(full_name="Nguyễn Văn An", email=None,
                                             address={**ADDRESS, "street": "[[[[[[[[[[ {{{{{{{{{{ \\\" Số 7"})
                  ).status_code == 201


TEXT_FIELDS = {
    "kind": lambda v: {"kind": v}, "social_insurance_number": lambda v: {"social_insurance_number": v},
    "full_name": lambda v: {"full_name": v}, "date_of_birth": lambda v: {"date_of_birth": v},
    "sex": lambda v: {"sex": v}, "id_type": lambda v: {"id_type": v}, "id_number": lambda v: {"id_number": v},
    "phone": lambda v: {"phone": v}, "email": lambda v: {"email": v},
    "receiving_office_code": lambda v: {"receiving_office_code": v}, "channel": lambda v: {"channel": v},
    "address.province_code": lambda v: {"address": {**ADDRESS, "province_code": v}},
    "address.ward_code": lambda v: {"address": {**ADDRESS, "ward_code": v}},
    "address.street": lambda v: {"address": {**ADDRESS, "street": v}},
}


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
def test_a_nul_in_any_text_field_is_a_field_error(app, client, auth, field):
    valid = payload()
    current = valid["address"][field.split(".")[1]] if field.startswith("address.") else valid.get(field, "x")
    error = assert_refused(app, submit(client, auth, body=payload(**TEXT_FIELDS[field](current[:2] + "\x00"
                                                                                      + current[2:]))), field)
    assert "NUL" in error["fields"][field]["en"]


def test_a_nul_in_a_guardians_number_is_a_field_error(app, client, auth, guardian):
    body = payload("register_child", guardian_social_insurance_number=GUARDIAN_SIN[:5] + "\x00" + GUARDIAN_SIN[5:])
    assert_refused(app, submit(client, auth, body=body, kind="register_child"), "guardian_social_insurance_number")


def test_a_nul_in_the_reference_is_a_400_in_the_api_envelope(client, auth, spec):
    response = client.get("/api/v1/declarations/AB%00CD", headers=auth)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request" and "NUL" in response.get_json()["error"]["message"]


JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(st.characters(codec="utf-8"), max_size=12))


@given(changes=st.dictionaries(st.sampled_from(sorted(payload()) + ["address", "extra\x00"]),
                               st.recursive(JSON_LEAVES, lambda inner: st.one_of(
                                   st.lists(inner, max_size=3),
                                   st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8),
                               max_size=4))
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_any_json_in_any_field_is_a_4xx_never_a_5xx(app, client, auth, changes):
    response = submit(client, auth, body={**payload(), **changes})
    assert response.status_code in (201, 400, 422), response.get_json()


# ---- item 6: ASCII digits only ---------------------------------------------------------------------------------
NUMBER_FIELDS = [
    ("social_insurance_number", lambda t: {"social_insurance_number": "0123456789".translate(t)}),
    ("id_number", lambda t: {"id_number": make_id12(1, ADULT_BORN, "Nam", 123456).translate(t)}),
    ("id_number", lambda t: {"id_type": "cmnd", "id_number": "123456789".translate(t)}),
    ("id_number", lambda t: {"id_type": "passport", "id_number": "C" + "1234567".translate(t)}),
    ("address.province_code", lambda t: {"address": {**ADDRESS, "province_code": "01".translate(t)}}),
    ("address.ward_code", lambda t: {"address": {**ADDRESS, "ward_code": "00070".translate(t)}}),
    ("receiving_office_code", lambda t: {"receiving_office_code": "00131".translate(t)}),
    ("date_of_birth", lambda t: {"date_of_birth": ADULT_BORN.isoformat().translate(t)}),
]


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
@pytest.mark.parametrize("field, changes", NUMBER_FIELDS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(NUMBER_FIELDS)])
def test_numbers_take_ascii_digits_only(app, client, auth, field, changes, digits):
    assert_refused(app, submit(client, auth, body=payload(**changes(digits))), field)


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
def test_a_guardians_number_takes_ascii_digits_only(app, client, auth, guardian, digits):
    body = payload("register_child", guardian_social_insurance_number=GUARDIAN_SIN.translate(digits))
    assert_refused(app, submit(client, auth, body=body, kind="register_child"), "guardian_social_insurance_number")


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
def test_a_phone_in_other_digits_is_stored_in_ascii(client, auth, digits):
    """The phone number library folds any digit to ASCII, so duplicates still compare equal."""
    assert submit(client, auth, body=payload(phone="0912345678".translate(digits))).status_code == 201
    assert db.session.scalar(select(Declaration.phone)) == "0912345678"


def test_an_office_code_takes_ascii_digits_only(app, demo_logins):
    from backoffice.models import Officer
    from backoffice.services import DomainError
    from backoffice.services.platform import offices

    admin = db.session.scalar(select(Officer).where(Officer.username == "quantri.00001"))
    with pytest.raises(DomainError, match="5 chữ số"):
        offices.create(admin, code="00777".translate(FULLWIDTH), name="BHXH thử", level="local",
                       parent_id=admin.office_id)


# ---- item 8: the API's error envelope --------------------------------------------------------------------------
@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/v1/nothing-here", 404, "not_found"),
    ("get", "/api/v1", 404, "not_found"),
    ("delete", "/api/v1/declarations", 405, "method_not_allowed"),
    ("put", "/api/v1/declarations/ABCDEFGHJK", 405, "method_not_allowed"),
    ("post", "/api/v1/openapi.json", 405, "method_not_allowed"),
])
def test_unknown_paths_and_methods_answer_in_the_api_envelope(client, auth, spec, method, path, status, code):
    response = getattr(client, method)(path, headers=auth)
    body = response.get_json()
    assert response.status_code == status and body["error"]["code"] == code, body
    assert body["error"]["message"] == API_ERRORS[status][1] and "Vui lòng quay lại" not in body["error"]["message"]
    assert set(body["error"]) == {"code", "message", "fields"} and body["error"]["fields"] == {}
    if status == 405:
        assert response.headers["Allow"] and method.upper() not in response.headers["Allow"]
        assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_officer_pages_keep_their_own_405_with_allow(client):
    response = client.put("/login")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "text/html" in response.content_type


def test_the_openapi_document_does_not_echo_the_host_header(client):
    response = client.get("/api/v1/openapi.json", headers={"Host": "attacker.example"})
    assert response.get_json()["servers"] == [{"url": "/api/v1"}]
    assert "attacker.example" not in response.get_data(as_text=True)


def test_a_duplicate_payload_part_is_refused(app, client, auth):
    data = multipart(payload(), photos())
    data["payload"] = [data["payload"], json.dumps(payload(full_name="Trần Thị Bình"))]
    response = client.post("/api/v1/declarations", data=data, headers=auth, content_type="multipart/form-data")
    assert_refused(app, response, "payload")


def test_a_payload_sent_as_text_and_as_a_file_is_refused(app, client, auth):
    data = multipart(payload(), photos())
    data["payload"] = [data["payload"], (io.BytesIO(json.dumps(payload()).encode()), "payload.json",
                                         "application/json")]
    assert_refused(app, client.post("/api/v1/declarations", data=data, headers=auth,
                                    content_type="multipart/form-data"), "payload")


@pytest.mark.parametrize("as_file", [False, True], ids=["text-part", "file-part"])
def test_a_payload_over_its_limit_has_its_own_413(app, client, auth, spec, as_file):
    body = json.dumps(payload(full_name="A" * MAX_PAYLOAD_BYTES))
    data = multipart(body, photos())
    if as_file:
        data["payload"] = (io.BytesIO(body.encode()), "payload.json", "application/json")
    response = client.post("/api/v1/declarations", data=data, headers=auth, content_type="multipart/form-data")
    error = response.get_json()["error"]
    assert response.status_code == 413 and error["code"] == "payload_part_too_large"
    assert "64 KB" in error["message"] and "45 MB" not in error["message"]
    spec.validate("/declarations", "post", response)
    assert_nothing_stored(app)


def test_the_spec_states_the_constraints_the_server_enforces(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["DeclarationPayload"]
    address = schema["properties"]["address"]["properties"]
    assert address["street"]["minLength"] == 1 and address["street"]["maxLength"] == 300
    assert "00" not in address["province_code"]["enum"] and "01" in address["province_code"]["enum"]
    assert len(address["province_code"]["enum"]) == 34
    assert schema["properties"]["full_name"]["minLength"] == 2
    for name in ("social_insurance_number", "receiving_office_code", "guardian_social_insurance_number"):
        assert "[0-9]" in schema["properties"][name]["pattern"] and "\\d" not in schema["properties"][name]["pattern"]
    assert "[0-9]" in address["ward_code"]["pattern"] and schema["properties"]["id_number"]["pattern"]


@pytest.mark.parametrize("changes, field", [
    ({"address": {**ADDRESS, "street": ""}}, "address.street"),
    ({"address": {**ADDRESS, "street": "   "}}, "address.street"),
    ({"address": {**ADDRESS, "province_code": "00"}}, "address.province_code"),
])
def test_what_schemathesis_found_is_refused_by_the_spec_too(app, client, auth, changes, field):
    from jsonschema import Draft202012Validator

    from tests.api.conftest import _json_schema

    schema = _json_schema(client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["DeclarationPayload"])
    body = payload(**changes)
    assert list(Draft202012Validator(schema).iter_errors(body))  # the spec refuses it ...
    assert_refused(app, submit(client, auth, body=body), field)  # ... as the server does


# ---- item 9: auth failures per key prefix and address ----------------------------------------------------------
def test_bad_keys_from_one_address_do_not_lock_out_a_valid_key_there(app, client, auth, api_key):
    app.config["API_AUTH_FAILURE_LIMIT"] = "3 per minute"
    _, other = api_keys.create("portal")
    db.session.commit()
    wrong = [other.split("_")[1], "0000beef", api_key.split("_")[1]]
    for prefix in wrong[:2]:
        bad = {"Authorization": f"Bearer bhxh_{prefix}_" + "A" * 43}
        assert [client.get("/api/v1/declarations/ABCDEFGHJK", headers=bad).status_code
                for _ in range(4)] == [401, 401, 401, 429]
    malformed = {"Authorization": "Bearer not-a-key"}
    assert [client.get("/api/v1/declarations/ABCDEFGHJK", headers=malformed).status_code
            for _ in range(4)] == [401, 401, 401, 429]
    # The same address, the valid key: its own budget is untouched.
    assert client.get("/api/v1/declarations/ABCDEFGHJK", headers=auth).status_code == 404
    assert submit(client, auth).status_code == 201
    # Guessing this key's secret is still limited.
    guess = {"Authorization": f"Bearer bhxh_{wrong[2]}_" + "B" * 43}
    assert [client.get("/api/v1/declarations/ABCDEFGHJK", headers=guess).status_code
            for _ in range(4)] == [401, 401, 401, 429]


def test_a_payload_just_under_its_limit_with_large_photos_is_accepted(client, auth):
    """werkzeug applies its form-memory limit to its read buffer too: the payload's limit must not lower it."""
    big = jpeg(2400, 1600)
    body = payload(address={**ADDRESS, "street": "Số 7 Tràng Thi"})
    text = json.dumps(body, ensure_ascii=False)
    text = text[:-1] + " " * (MAX_PAYLOAD_BYTES - len(text.encode())) + "}"
    assert len(text.encode()) == MAX_PAYLOAD_BYTES
    assert submit(client, auth, body=text, files=photos(portrait=big, id_front=big)).status_code == 201
