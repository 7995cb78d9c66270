"""The OpenAPI 3 description of the intake API, served at /api/v1/openapi.json (DESIGN.md §10).

Written by hand so it reads as the contract it is; tests validate real responses against it and run
schemathesis over it.
"""
import copy

from backoffice.idcard.images import FORMATS
from backoffice.models import DeclarationKind, DocumentKind
from backoffice.models.declaration import Channel
from backoffice.services.declarations.payload import ID_TYPES, OPTIONAL_DOCUMENTS, REQUIRED_DOCUMENTS, SEXES
from backoffice.views.api import reissue_openapi

STATUSES = ("submitted", "extracting", "ready", "in_review", "awaiting_citizen", "approved", "rejected")
ERROR_CODES = ("unauthorized", "api_key_revoked", "bad_request", "invalid_json", "invalid_idempotency_key",
               "validation_failed", "idempotency_key_reused", "not_found", "method_not_allowed",
               "payload_too_large", "unsupported_media_type", "rate_limited", "internal_error")


def _text(description, **extra):
    return {"type": "string", "description": description, **extra}


def _documents_description():
    lines = []
    for kind in DeclarationKind:
        required = ", ".join(d.value for d in REQUIRED_DOCUMENTS[kind])
        optional = ", ".join(d.value for d in OPTIONAL_DOCUMENTS[kind]) or "none"
        lines.append(f"* `{kind.value}`: required {required}; optional {optional}.")
    return "\n".join(lines)


PAYLOAD = {
    "type": "object",
    "description": "The declared fields of Tờ khai Mẫu 01. Unknown keys are refused.",
    "required": ["kind", "social_insurance_number", "full_name", "date_of_birth", "sex", "phone",
                 "receiving_office_code", "channel"],
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "enum": [k.value for k in DeclarationKind]},
        "social_insurance_number": _text("Mã số BHXH, 10 digits.", pattern=r"^\d{10}$"),
        "full_name": _text("Full name as on the ID card, with diacritics.", minLength=2, maxLength=200),
        "date_of_birth": _text("ISO date, not in the future; under 18 for register_child.", format="date"),
        "sex": {"type": "string", "enum": list(SEXES)},
        "id_type": {"type": "string", "enum": list(ID_TYPES),
                    "description": "Required except for register_child."},
        "id_number": _text("CCCD: 12 digits whose province code and century/sex digit agree with "
                           "date_of_birth and sex; CMND: 9 digits; passport: one letter and 7 digits."),
        "phone": _text("Vietnamese mobile number, e.g. 0912345678 or +84912345678."),
        "email": _text("Optional email address.", maxLength=200),
        "address": {
            "type": "object",
            "description": "Contact address on the current (2025) official list; required except for stop.",
            "additionalProperties": False,
            "required": ["province_code", "ward_code", "street"],
            "properties": {
                "province_code": _text("Province code, 2 digits (34 provinces).", pattern=r"^\d{2}$"),
                "ward_code": _text("Ward code, 5 digits, belonging to the province.", pattern=r"^\d{5}$"),
                "street": _text("House number and street.", maxLength=300),
            },
        },
        "receiving_office_code": _text("Code of the BHXH office that receives the declaration, 5 digits.",
                                       pattern=r"^\d{5}$"),
        "channel": {"type": "string", "enum": [c.value for c in Channel],
                    "description": "Must be the channel of the API key."},
        "guardian_social_insurance_number": _text(
            "register_child only: the guardian's mã số BHXH, which must have an active e-transaction account.",
            pattern=r"^\d{10}$"),
    },
}

FIELD_MESSAGE = {
    "type": "object",
    "required": ["vi", "en"],
    "additionalProperties": False,
    "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "fields"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "description": "Stable machine code: " + ", ".join(ERROR_CODES) + "."},
            "message": {"type": "string", "description": "What went wrong and what to do, in Vietnamese."},
            "fields": {
                "type": "object",
                "description": "Problems per field, keyed by the payload key (nested ones dotted, e.g. "
                               "`address.ward_code`) or the file part name (`id_front`), each in Vietnamese "
                               "and English. Empty when the error is not about a field.",
                "additionalProperties": {"$ref": "#/components/schemas/FieldMessage"},
            },
        },
    }},
}

DECLARATION = {
    "type": "object",
    "required": ["reference", "kind", "status", "receiving_office_code", "submitted_at", "documents",
                 "awaiting_reason", "decision"],
    "additionalProperties": False,
    "properties": {
        "reference": _text("Short unguessable reference (10 Crockford base32 characters).",
                           pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$"),
        "kind": {"type": "string", "enum": [k.value for k in DeclarationKind]},
        "status": {"type": "string", "enum": list(STATUSES)},
        "receiving_office_code": {"type": "string", "pattern": r"^\d{5}$"},
        "submitted_at": {"type": "string", "format": "date-time"},
        "documents": {"type": "array", "items": {"type": "string", "enum": [d.value for d in DocumentKind]}},
        "awaiting_reason": {"type": "string", "nullable": True,
                            "description": "Why the office waits for the citizen (status awaiting_citizen)."},
        "decision": {
            "type": "object",
            "nullable": True,
            "description": "Present once the declaration is approved or rejected.",
            "required": ["outcome", "decided_at", "reason"],
            "additionalProperties": False,
            "properties": {
                "outcome": {"type": "string", "enum": ["approved", "rejected"]},
                "decided_at": {"type": "string", "format": "date-time", "nullable": True},
                "reason": {
                    "type": "object",
                    "nullable": True,
                    "required": ["code", "text", "next_step"],
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string", "description": "Rejection reason code, e.g. ID_MISMATCH."},
                        "text": {"type": "string", "description": "What the citizen reads, in Vietnamese."},
                        "next_step": {"type": "string", "nullable": True},
                    },
                },
            },
        },
    },
}


def _error_response(description):
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


def _photo(description):
    return {"type": "string", "format": "binary",
            "description": description + f" {', '.join(FORMATS.values())}; at most 10 MB and 40 megapixels; "
                                         "re-encoded on receipt (EXIF and GPS data dropped)."}


UNAUTHORIZED = _error_response("Missing, unknown or revoked API key.")
RATE_LIMITED = _error_response("Too many requests for this key; retry after the Retry-After delay.")

_DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "BHXH intake API",
        "version": "1.0.0",
        "description": (
            "Declarations (Tờ khai Mẫu 01) from the VssID app and the public-service portal.\n\n"
            "Authenticate with the channel's API key: `Authorization: Bearer <key>`.\n\n"
            "Errors are JSON `{\"error\": {\"code\", \"message\", \"fields\"}}` with a 4xx status. `fields` maps "
            "each bad field to `{\"vi\": ..., \"en\": ...}`; all problems are reported at once. A refused "
            "request stores nothing.\n\n"
            "`Idempotency-Key` (1–200 visible ASCII characters) on POST: for 24 hours the same key with the "
            "same request returns the first response again (header `Idempotent-Replayed: true`); the same "
            "key with another request is a 409. Only accepted requests are remembered.\n\n"
            "Photos required per kind:\n" + _documents_description()
        ),
    },
    "paths": {
        "/declarations": {"post": {
            "operationId": "createDeclaration",
            "summary": "Submit a declaration with its photos",
            "security": [{"channelKey": []}],
            "parameters": [{
                "name": "Idempotency-Key", "in": "header", "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[\x21-\x7e]+$"},
                "description": "Makes a retried POST return the first result instead of creating a second record.",
            }],
            "requestBody": {"required": True, "content": {"multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["payload"],
                    "properties": {
                        "payload": {"$ref": "#/components/schemas/DeclarationPayload"},
                        "portrait": _photo("Portrait photo."),
                        "id_front": _photo("Front of the ID card."),
                        "id_back": _photo("Back of the ID card."),
                        "birth_certificate": _photo("Birth certificate (register_child)."),
                    },
                },
                "encoding": {"payload": {"contentType": "application/json"}},
            }}},
            "responses": {
                "201": {
                    "description": "Accepted; extraction and review follow.",
                    "headers": {"Location": {"schema": {"type": "string"},
                                             "description": "URL of the declaration's status."}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Declaration"}}},
                },
                "400": _error_response("Malformed request: payload not JSON, bad Idempotency-Key."),
                "401": UNAUTHORIZED,
                "409": _error_response("Idempotency-Key already used with another request."),
                "413": _error_response("Request larger than 45 MB."),
                "415": _error_response("Not multipart/form-data."),
                "422": _error_response("The declaration breaks one or more rules; see `fields`."),
                "429": RATE_LIMITED,
            },
        }},
        "/declarations/{reference}": {"get": {
            "operationId": "getDeclaration",
            "summary": "Status of a declaration and, once decided, its outcome and reason",
            "security": [{"channelKey": []}],
            "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "The declaration.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Declaration"}}}},
                "401": UNAUTHORIZED,
                "404": _error_response("No declaration has this reference."),
                "429": RATE_LIMITED,
            },
        }},
        "/openapi.json": {"get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI 3 document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    },
    "components": {
        "securitySchemes": {"channelKey": {"type": "http", "scheme": "bearer",
                                           "description": "The channel's API key, issued by a BHXH admin."}},
        "schemas": {"DeclarationPayload": PAYLOAD, "Declaration": DECLARATION, "Error": ERROR,
                    "FieldMessage": FIELD_MESSAGE},
    },
}


def openapi_document(server_url="/api/v1"):
    """The OpenAPI document, with the server URL of this deployment."""
    document = copy.deepcopy(_DOCUMENT)
    document["servers"] = [{"url": server_url}]
    document["paths"].update(reissue_openapi.PATHS)
    document["components"]["schemas"].update(reissue_openapi.SCHEMAS)
    return document
