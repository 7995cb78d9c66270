"""Intake API fixtures: a channel key, valid payloads per kind, small photos, the OpenAPI validator."""
import copy
import io
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from PIL import Image
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from backoffice.extensions import db
from backoffice.idcard.idnumber import make_id12
from backoffice.models import AccountStatus, ETransactionAccount
from backoffice.services.platform import api_keys
from backoffice.views.api.openapi import openapi_document

ADULT_BORN = date(1990, 5, 17)
CHILD_BORN = date(2019, 3, 2)
GUARDIAN_SIN = "0199887766"


@pytest.fixture
def api_key(app, demo_logins):
    """A live key of the vssid_app channel (the demo offices exist)."""
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    return key


@pytest.fixture
def auth(api_key):
    """The Authorization header for that key."""
    return {"Authorization": f"Bearer {api_key}"}


@pytest.fixture
def guardian(app):
    """A guardian with an active e-transaction account."""
    db.session.add(ETransactionAccount(social_insurance_number=GUARDIAN_SIN, status=AccountStatus.active,
                                       phone="0987654321", email=""))
    db.session.commit()
    return GUARDIAN_SIN


def payload(kind="register", **changes):
    """A valid payload of that kind, with changes applied (None removes a key)."""
    body = {
        "kind": kind,
        "social_insurance_number": "0123456789",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": ADULT_BORN.isoformat(),
        "sex": "Nam",
        "id_type": "cccd",
        "id_number": make_id12(1, ADULT_BORN, "Nam", 123456),
        "phone": "0912345678",
        "email": "an.nguyen@example.vn",
        "address": {"province_code": "01", "ward_code": "00070", "street": "Số 7 Tràng Thi"},
        "receiving_office_code": "00131",
        "channel": "vssid_app",
    }
    if kind == "register_child":
        body.update(social_insurance_number="0155443322", full_name="Nguyễn Minh Khôi",
                    date_of_birth=CHILD_BORN.isoformat(), guardian_social_insurance_number=GUARDIAN_SIN)
        del body["id_type"], body["id_number"], body["email"]
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def jpeg(width=320, height=200, color=(40, 90, 160), exif=None):
    """A small JPEG photo (optionally with EXIF)."""
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    image.save(out, "JPEG", quality=85, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


DOCUMENTS = {
    "register": ("portrait", "id_front", "id_back"),
    "register_child": ("portrait", "birth_certificate"),
    "update": ("id_front", "id_back"),
    "stop": ("id_front", "id_back"),
}


def photos(kind="register", **changes):
    """The required photos of a kind, with changes (None removes a part)."""
    files = {name: jpeg(color=(30 * i, 100, 200)) for i, name in enumerate(DOCUMENTS[kind])}
    for name, value in changes.items():
        if value is None:
            files.pop(name, None)
        else:
            files[name] = value
    return files


def multipart(body, files):
    """Form data for the test client: the payload part and one file per photo."""
    data = {"payload": body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)}
    for name, content in files.items():
        data[name] = (io.BytesIO(content), f"{name}.jpg", "image/jpeg")
    return data


def submit(client, headers, body=None, files=None, kind="register"):
    """POST one declaration; body and files default to a valid one of that kind."""
    body = payload(kind) if body is None else body
    files = photos(kind) if files is None else files
    return client.post("/api/v1/declarations", data=multipart(body, files), headers=headers,
                       content_type="multipart/form-data")


def stored_files(app):
    """Every file under the test's storage folder."""
    root = Path(app.config["STORAGE_URL"].removeprefix("file://"))
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _json_schema(node):
    """OpenAPI 3.0 schema → JSON Schema 2020-12 (`nullable` becomes a null type)."""
    if isinstance(node, dict):
        converted = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable"):
            converted["type"] = [node["type"], "null"]
        return converted
    if isinstance(node, list):
        return [_json_schema(v) for v in node]
    return node


class SpecValidator:
    """Validates response bodies against the OpenAPI document's responses."""

    def __init__(self, document):
        self.document = document
        schema = _json_schema(copy.deepcopy(document))
        self.registry = Registry().with_resource("urn:api", Resource(contents=schema, specification=DRAFT202012))

    def validate(self, path, method, response):
        """Raise when a response's status is undocumented or its JSON body does not match."""
        operation = self.document["paths"][path][method]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, f"{response.status_code} is not documented for {method.upper()} {path}"
        ref = documented["content"]["application/json"]["schema"].get("$ref", "")
        pointer = ref.removeprefix("#") if ref else None
        schema = {"$ref": f"urn:api#{pointer}"} if pointer else {"type": "object"}
        Draft202012Validator(schema, registry=self.registry).validate(response.get_json())


@pytest.fixture
def spec():
    """A validator over the served OpenAPI document."""
    return SpecValidator(openapi_document())


@pytest.fixture
def api_schema(app):
    """The served OpenAPI document, loaded by schemathesis against the app in-process (WSGI)."""
    import schemathesis

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
