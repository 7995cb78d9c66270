"""The OpenAPI description of the complaint endpoints, merged into /api/v1/openapi.json."""
from backoffice.services.complaints import intake
from backoffice.services.complaints.dataset import CATEGORIES
from backoffice.services.complaints.routing import MAX_TEXT_CHARS


def _text(description, **extra):
    return {"type": "string", "description": description, **extra}


PAYLOAD = {
    "type": "object",
    "additionalProperties": False,
    "description": "A citizen's complaint or petition. The topic is the citizen's pick, a hint only: the office "
                   "routes the complaint by its text.",
    "required": ["text", "phone", "office_code"],
    "properties": {
        "text": _text("What the citizen reports, in their own words.", minLength=1, maxLength=MAX_TEXT_CHARS,
                      pattern=r"\S"),
        "topic": {"type": "string", "enum": list(CATEGORIES), "nullable": True,
                  "description": "The topic the citizen picked (optional)."},
        "social_insurance_number": _text("Mã số BHXH, 10 digits (optional).", pattern=r"^\s*[0-9]{10}\s*$",
                                         nullable=True),
        "full_name": _text("The citizen's name (optional).", maxLength=200, nullable=True),
        "phone": _text("Vietnamese mobile number; the answer's SMS goes there.", minLength=1, maxLength=20),
        "email": _text("Optional email address; the full answer goes there.", maxLength=200, nullable=True),
        "office_code": _text("The 5-digit code of the receiving office (it answers to the end).",
                             pattern=r"^\s*[0-9]{5}\s*$"),
    },
}
COMPLAINT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["reference", "status", "kind", "received_at", "due_at", "clock_paused", "legal_basis", "answer",
                 "closed_at", "reason"],
    "properties": {
        "reference": _text("P and 9 Crockford base32 characters.", pattern=r"^P[0-9A-HJKMNP-TV-Z]{9}$"),
        "status": {"type": "string", "enum": sorted(set(intake.PUBLIC_STATUS.values()))},
        "kind": {"type": "string", "nullable": True, "enum": ["petition", "complaint", "denunciation", None],
                 "description": "Decided when the office accepts it: phản ánh/kiến nghị, khiếu nại or tố cáo."},
        "received_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date-time", "nullable": True,
                   "description": "The deadline (end of a working day, Vietnam time); null while the clock stands."},
        "clock_paused": {"type": "boolean"},
        "legal_basis": {"type": "string"},
        "answer": {"type": "string", "nullable": True, "description": "The approved answer, once given."},
        "closed_at": {"type": "string", "format": "date-time", "nullable": True},
        "reason": {"type": "string", "nullable": True, "description": "Why it was not handled, if so."},
    },
}
REOPEN = {"type": "object", "required": ["phone", "reason"], "properties": {
    "phone": _text("The phone the complaint was sent with.", minLength=1, maxLength=20),
    "reason": _text("Why the answer should be looked at again.", minLength=5, maxLength=4000)}}


def _error(description):
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Complaint"}}}}


_COMMON = {"401": _error("Missing, unknown or revoked API key."),
           "429": _error("Too many requests for this key; retry after the Retry-After delay.")}
_REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40}}
PATHS = {
    "/complaints": {"post": {
        "operationId": "createComplaint",
        "summary": "Send a complaint or petition (phản ánh, kiến nghị, khiếu nại)",
        "security": [{"channelKey": []}],
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[\x21-\x7e]+$"}}],
        "requestBody": {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["payload"], "properties": {
                "payload": {"$ref": "#/components/schemas/ComplaintPayload"},
                intake.FILE_PART: {"type": "array", "maxItems": intake.MAX_FILES,
                                   "items": {"type": "string", "format": "binary"},
                                   "description": "Up to 5 photos (JPEG, PNG, WebP) or PDFs, 10 MB each; "
                                                  "re-encoded on receipt."}}},
            "encoding": {"payload": {"contentType": "application/json"}}}}},
        "responses": {
            "201": {**_ok("Received; the reference and the deadline."),
                    "headers": {"Location": {"schema": {"type": "string"}}}},
            "400": _error("Malformed request: payload not JSON, bad Idempotency-Key."),
            "409": _error("Idempotency-Key already used with another request."),
            "413": _error("Request larger than 45 MB."),
            "415": _error("Not multipart/form-data."),
            "422": _error("The complaint breaks one or more rules; see `fields`."),
            **_COMMON,
        },
    }},
    "/complaints/{reference}": {"get": {
        "operationId": "getComplaint",
        "summary": "Status, deadline and, once answered, the approved answer",
        "security": [{"channelKey": []}],
        "parameters": [_REFERENCE],
        "responses": {"200": _ok("The complaint."), "404": _error("No complaint has this reference."), **_COMMON},
    }},
    "/complaints/{reference}/reopen": {"post": {
        "operationId": "reopenComplaint",
        "summary": "Ask to look again at a closed complaint, within the appeal period (30 days by default)",
        "security": [{"channelKey": []}],
        "parameters": [_REFERENCE],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ComplaintReopen"}}}},
        "responses": {
            "200": _ok("Reopened: the same reference, a new clock."),
            "400": _error("Malformed JSON."),
            "404": _error("No complaint has this reference and phone."),
            "409": _error("The complaint is not closed."),
            "415": _error("Not application/json."),
            "422": _error("Too late to reopen, or no reason given."),
            **_COMMON,
        },
    }},
}
SCHEMAS = {"ComplaintPayload": PAYLOAD, "Complaint": COMPLAINT, "ComplaintReopen": REOPEN}
