"""Channel keys (401, revoked keys, rate limits) and Idempotency-Key (replay, 409, 24 hours)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from backoffice.extensions import db
from backoffice.models import Declaration, IdempotencyRecord
from backoffice.models.base import utcnow
from backoffice.services.platform import api_keys, idempotency
from tests.api.conftest import payload, submit


def declarations():
    return db.session.scalar(select(func.count()).select_from(Declaration))


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong", "Basic dXNlcjpwYXNz",
                                    "Bearer bhxh_00000000_" + "A" * 43])
def test_without_a_valid_key_the_api_answers_401_json(client, api_key, spec, header):
    headers = {"Authorization": header} if header else {}
    for response, path, method in (
            (submit(client, headers), "/declarations", "post"),
            (client.get("/api/v1/declarations/ABCDEFGHJK", headers=headers), "/declarations/{reference}", "get")):
        assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
        spec.validate(path, method, response)
    assert declarations() == 0


def test_a_revoked_key_stops_working_at_once(client, auth, api_key):
    assert submit(client, auth).status_code == 201
    api_keys.revoke(api_key.split("_")[1])
    db.session.commit()
    response = submit(client, auth)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "api_key_revoked"
    assert declarations() == 1


def test_keys_are_stored_hashed_only(app, api_key):
    record = api_keys.listing()[0]
    assert api_key not in (record.key_hash, record.prefix) and len(record.key_hash) == 64
    assert api_keys.authenticate(api_key).id == record.id
    assert api_keys.authenticate(api_key[:-1] + ("A" if api_key[-1] != "A" else "B")) is None


def test_the_openapi_document_needs_no_key(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.")


def test_repeated_auth_failures_are_rate_limited(app, client, api_key):
    app.config["API_AUTH_FAILURE_LIMIT"] = "3 per minute"
    statuses = [client.get("/api/v1/declarations/ABCDEFGHJK").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    limited = client.get("/api/v1/declarations/ABCDEFGHJK")
    assert limited.get_json()["error"]["code"] == "rate_limited" and "Retry-After" in limited.headers


def test_each_key_has_its_own_request_budget(app, client, auth):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    statuses = [client.get("/api/v1/declarations/ABCDEFGHJK", headers=auth).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    _, other = api_keys.create("portal")
    db.session.commit()
    assert client.get("/api/v1/declarations/ABCDEFGHJK",
                      headers={"Authorization": f"Bearer {other}"}).status_code == 404


def with_key(auth, key):
    return {**auth, "Idempotency-Key": key}


def test_same_key_same_request_replays_the_first_response(client, auth):
    first = submit(client, with_key(auth, "retry-1"))
    again = submit(client, with_key(auth, "retry-1"))
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert "Idempotent-Replayed" not in first.headers
    assert declarations() == 1


def test_same_key_other_request_is_409(client, auth, spec):
    assert submit(client, with_key(auth, "retry-2")).status_code == 201
    response = submit(client, with_key(auth, "retry-2"), payload(phone="0987654321"))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "idempotency_key_reused"
    spec.validate("/declarations", "post", response)
    assert declarations() == 1


def test_key_order_in_the_payload_does_not_make_another_request(client, auth):
    body = payload()
    assert submit(client, with_key(auth, "retry-3"), body).status_code == 201
    reordered = dict(reversed(list(body.items())))
    assert submit(client, with_key(auth, "retry-3"), reordered).headers.get("Idempotent-Replayed") == "true"


def test_a_refused_request_is_not_remembered(client, auth):
    assert submit(client, with_key(auth, "retry-4"), payload(phone="1")).status_code == 422
    assert submit(client, with_key(auth, "retry-4")).status_code == 201
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


def test_keys_expire_after_24_hours(client, auth):
    assert submit(client, with_key(auth, "retry-5")).status_code == 201
    db.session.execute(update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=24, seconds=1)))
    db.session.commit()
    again = submit(client, with_key(auth, "retry-5"))
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert declarations() == 2


def test_idempotency_keys_belong_to_one_api_key(client, auth):
    assert submit(client, with_key(auth, "shared")).status_code == 201
    _, other = api_keys.create("vssid_app")
    db.session.commit()
    response = submit(client, {"Authorization": f"Bearer {other}", "Idempotency-Key": "shared"})
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert declarations() == 2


@pytest.mark.parametrize("key", ["x" * 201, "có dấu", "with space"])
def test_a_malformed_idempotency_key_is_400(client, auth, key):
    response = submit(client, with_key(auth, key.encode("utf-8").decode("latin-1")))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_idempotency_key"
    assert declarations() == 0


def test_purge_removes_only_expired_records(client, auth):
    submit(client, with_key(auth, "old"))
    submit(client, with_key(auth, "new"), payload(phone="0987654321"))
    db.session.execute(update(IdempotencyRecord).where(IdempotencyRecord.key == "old")
                       .values(created_at=utcnow() - timedelta(days=2)))
    assert idempotency.purge_expired() == 1
    assert db.session.scalars(select(IdempotencyRecord.key)).all() == ["new"]
