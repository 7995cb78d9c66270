"""The OpenAPI 3 description of the intake API, served at /api/v1/openapi.json (DESIGN.md §10).

Written by hand so it reads as the contract it is; tests validate real responses against it and run
schemathesis over it.
"""
import copy

from vietnam_provinces import ProvinceCode

from backoffice.idcard.images import FORMATS
from backoffice.models import DeclarationKind, DocumentKind
from backoffice.models.declaration import Channel
from backoffice.services.declarations.payload import (
    ID_TYPES,
    MAX_LENGTHS,
    OPTIONAL_DOCUMENTS,
    REQUIRED_DOCUMENTS,
    SEXES,
)
from backoffice.views.api import complaints_openapi, reissue_openapi

STATUSES = ("submitted", "extracting", "ready", "in_review", "awaiting_citizen", "approved", "rejected")
ERROR_CODES = ("unauthorized", "api_key_revoked", "bad_request", "invalid_json", "invalid_idempotency_key",
               "validation_failed", "idempotency_key_reused", "not_found", "method_not_allowed",
               "payload_too_large", "payload_part_too_large", "unsupported_media_type", "rate_limited",
               "not_awaiting_documents", "counter_visit_required", "conflict", "internal_error")
# The server's own patterns (declaration_payload), written for the spec: ASCII digits, whole value.
SIN_PATTERN = r"^[0-9]{10}$"
OFFICE_CODE_PATTERN = r"^[0-9]{5}$"
NOT_BLANK = r"\S"  # the server strips whitespace: a value of spaces only is missing
PROVINCE_CODES = sorted(f"{int(code):02d}" for code in ProvinceCode)


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
        "social_insurance_number": _text("Mã số BHXH, 10 digits (ASCII).", pattern=SIN_PATTERN),
        "full_name": _text("Full name as on the ID card, with diacritics: letters, spaces, ' - and . only.",
                           minLength=2, maxLength=MAX_LENGTHS["full_name"], pattern=NOT_BLANK),
        "date_of_birth": _text("ISO date (YYYY-MM-DD), from 1900 and not in the future; under 18 for "
                               "register_child.", format="date", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "sex": {"type": "string", "enum": list(SEXES)},
        "id_type": {"type": "string", "enum": list(ID_TYPES),
                    "description": "Required except for register_child."},
        "id_number": _text("CCCD: 12 digits whose province code and century/sex digit agree with "
                           "date_of_birth and sex; CMND: 9 digits; passport: one letter and 7 digits.",
                           pattern=r"^([0-9]{12}|[0-9]{9}|[A-Za-z][0-9]{7})$"),
        "phone": _text("Vietnamese mobile number, e.g. 0912345678 or +84912345678.", minLength=1,
                       pattern=NOT_BLANK),
        "email": _text("Optional email address.", maxLength=MAX_LENGTHS["email"]),
        "address": {
            "type": "object",
            "description": "Contact address on the current (2025) official list; required except for stop.",
            "additionalProperties": False,
            "required": ["province_code", "ward_code", "street"],
            "properties": {
                "province_code": {"type": "string", "enum": PROVINCE_CODES,
                                  "description": "Province code, 2 digits (the 34 provinces of 2025)."},
                "ward_code": _text("Ward code, 5 digits, on the 2025 list and belonging to the province.",
                                   pattern=r"^[0-9]{5}$"),
                "street": _text("House number and street.", minLength=1, maxLength=MAX_LENGTHS["street"],
                                pattern=NOT_BLANK),
            },
        },
        "receiving_office_code": _text("Code of the BHXH office that receives the declaration, 5 digits.",
                                       pattern=OFFICE_CODE_PATTERN),
        "channel": {"type": "string", "enum": [c.value for c in Channel],
                    "description": "Must be the channel of the API key."},
        "guardian_social_insurance_number": _text(
            "register_child only: the guardian's mã số BHXH, which must have an active e-transaction account.",
            pattern=SIN_PATTERN),
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
                 "awaiting_reason", "due_on", "returned", "decision"],
    "additionalProperties": False,
    "properties": {
        "reference": _text("Short unguessable reference (10 Crockford base32 characters).",
                           pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$"),
        "kind": {"type": "string", "enum": [k.value for k in DeclarationKind]},
        "status": {"type": "string", "enum": list(STATUSES)},
        "receiving_office_code": {"type": "string", "pattern": OFFICE_CODE_PATTERN},
        "submitted_at": {"type": "string", "format": "date-time"},
        "documents": {"type": "array", "items": {"type": "string", "enum": [d.value for d in DocumentKind]}},
        "awaiting_reason": {"type": "string", "nullable": True,
                            "description": "Why the office waits for the citizen (status awaiting_citizen): "
                                           "`counter_visit`, or `reupload_<document>` for a document to send again "
                                           "with POST /declarations/{reference}/documents."},
        "due_on": {"type": "string", "format": "date", "nullable": True,
                   "description": "Status awaiting_citizen: the last working day (Vietnam time) to do it; after it "
                                  "the declaration is rejected with reason NO_SHOW."},
        "returned": {"type": "boolean",
                     "description": "The declaration came back to the office's queue after waiting for the citizen "
                                    "(documents received or a counter visit)."},
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


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[\x21-\x7e]+$"},
    "description": "Makes a retried POST return the first result instead of creating a second record.",
}
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
            "Errors are JSON `{\"error\": {\"code\", \"message\", \"fields\"}}` with a 4xx status, also for "
            "unknown paths (404) and methods (405, with an `Allow` header). `fields` maps "
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
            "parameters": [IDEMPOTENCY_KEY],
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
                "413": _error_response("Request larger than 45 MB (`payload_too_large`), or a payload part larger "
                                       "than 64 KB (`payload_part_too_large`)."),
                "415": _error_response("Not multipart/form-data."),
                "422": _error_response("The declaration breaks one or more rules, or a part (the payload, a photo) "
                                       "is sent twice; see `fields`."),
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
        "/declarations/{reference}/documents": {"post": {
            "operationId": "addDeclarationDocuments",
            "summary": "Send the document(s) a declaration waiting for the citizen asked for",
            "description": "Only while `status` is `awaiting_citizen` with `awaiting_reason` `reupload_<document>`: "
                           "exactly the named photo part(s). The declaration goes back to the office's queue "
                           "marked as returned; the photos are read and checked again. Idempotent: with an "
                           "`Idempotency-Key` a retry returns the first response, and the same photos sent again "
                           "after they were received answer 200 (`Idempotent-Replayed: true`) without a change.",
            "security": [{"channelKey": []}],
            "parameters": [
                {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
                IDEMPOTENCY_KEY],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "portrait": _photo("Portrait photo."),
                    "id_front": _photo("Front of the ID card."),
                    "id_back": _photo("Back of the ID card."),
                    "birth_certificate": _photo("Birth certificate."),
                },
            }}}},
            "responses": {
                "200": {"description": "Received; the declaration is back in the queue.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Declaration"}}}},
                "400": _error_response("Malformed request, bad Idempotency-Key."),
                "401": UNAUTHORIZED,
                "404": _error_response("No declaration of this channel has this reference."),
                "409": _error_response("Not waiting for documents (`not_awaiting_documents`), waiting for a counter "
                                       "visit (`counter_visit_required`), or Idempotency-Key reused."),
                "413": _error_response("Request larger than 45 MB."),
                "415": _error_response("Not multipart/form-data."),
                "422": _error_response("A requested photo is missing or unreadable, or a photo was not requested; "
                                       "see `fields`."),
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
    """The OpenAPI document; the server is relative (never built from the request's Host header)."""
    document = copy.deepcopy(_DOCUMENT)
    document["servers"] = [{"url": server_url}]
    document["paths"].update(reissue_openapi.PATHS)
    document["components"]["schemas"].update(reissue_openapi.SCHEMAS)
    document["paths"].update(complaints_openapi.PATHS)
    document["components"]["schemas"].update(complaints_openapi.SCHEMAS)
    return document
