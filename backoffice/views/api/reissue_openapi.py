"""The OpenAPI description of the reissue-request endpoints, merged into /api/v1/openapi.json."""
from backoffice.models import ReissueType
from backoffice.services.reissue import catalogue, intake


def _text(description, **extra):
    return {"type": "string", "description": description, **extra}


_ADDRESS = {"type": "object", "additionalProperties": False, "required": ["province_code", "ward_code", "street"],
            "properties": {"province_code": _text("Province code, 2 digits.", pattern=r"^[0-9]{2}$"),
                           "ward_code": _text("Ward code on the current list, 5 digits, in the province.",
                                              pattern=r"^[0-9]{5}$"),
                           "street": _text("House number and street.", maxLength=300)}}
_MONTH = _text("A month, YYYY-MM, not in the past.", pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
PAYLOAD = {
    "type": "object",
    "description": (
        "The declared identity (checked against the participant register: the mã số BHXH must exist and the name "
        "and date of birth match it) and the fields of the request's `type`:\n"
        "* `bhyt_card`: reason, delivery, data_change (fields changed; needs the `proof` photo);\n"
        "* `si_book`: reason, delivery;\n"
        "* `pension_transfer`: destination_office_code, new_address, start_month;\n"
        "* `payout_change`: method (cash, bank: bank_code, account_number, account_holder; new_recipient: "
        "new_recipient and the `power_of_attorney` photo), from_month."),
    "required": ["type", "social_insurance_number", "full_name", "date_of_birth", "phone"],
    "properties": {
        "type": {"type": "string", "enum": [t.value for t in ReissueType]},
        "social_insurance_number": _text("Mã số BHXH, 10 digits.", pattern=r"^[0-9]{10}$"),
        "full_name": _text("Full name as in the register.", maxLength=200),
        "date_of_birth": _text("ISO date.", format="date"),
        "id_number": _text("ID number (optional).", maxLength=20),
        "phone": _text("Vietnamese mobile number."),
        "email": _text("Optional email address.", maxLength=200),
        "reason": {"type": "string", "enum": ["lost", "damaged"]},
        "data_change": {"type": "array", "items": {"type": "string", "enum": list(intake.CARD_FIELDS)}},
        "delivery": {"type": "object", "required": ["method"], "properties": {
            "method": {"type": "string", "enum": ["pickup", "post"]}, "address": _ADDRESS}},
        "destination_office_code": _text("The 5-digit code of the office that will pay.", pattern=r"^[0-9]{5}$"),
        "new_address": _ADDRESS,
        "start_month": _MONTH,
        "method": {"type": "string", "enum": ["cash", "bank", "new_recipient"]},
        "bank_code": {"type": "string", "enum": list(catalogue.BANKS)},
        "account_number": _text("6-20 digits.", pattern=r"^[0-9]{6,20}$"),
        "account_holder": _text("The account holder's name; must be the beneficiary's.", maxLength=200),
        "new_recipient": {"type": "object", "required": ["full_name", "id_number"], "properties": {
            "full_name": _text("Who will receive the payments.", maxLength=200),
            "id_number": _text("Their ID number.", maxLength=12)}},
        "from_month": _MONTH,
    },
}
REQUEST = {
    "type": "object",
    "required": ["reference", "type", "status", "received_at", "due_at", "clock_paused", "legal_basis",
                 "tracking_number", "result"],
    "additionalProperties": False,
    "properties": {
        "reference": _text("R and 9 Crockford base32 characters.", pattern=r"^R[0-9A-HJKMNP-TV-Z]{9}$"),
        "type": {"type": "string", "enum": [t.value for t in ReissueType]},
        "status": {"type": "string", "enum": ["received", "processing", "awaiting_citizen", "shipped", "delivered",
                                              "returned", "completed", "rejected", "cooling_off", "cancelled"]},
        "received_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date-time", "nullable": True,
                   "description": "The deadline (end of a working day, Vietnam time); null while the clock is paused."},
        "clock_paused": {"type": "boolean"},
        "legal_basis": {"type": "string"},
        "tracking_number": {"type": "string", "nullable": True},
        "result": {"type": "object", "nullable": True,
                   "description": "Once decided: outcome, and the card, book, transfer or payout details or the "
                                  "rejection reason (code, text, next_step)."},
    },
}


def _error(description):
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


_COMMON = {"401": _error("Missing, unknown or revoked API key."),
           "429": _error("Too many requests for this key; retry after the Retry-After delay.")}
PATHS = {
    "/reissue-requests": {"post": {
        "operationId": "createReissueRequest",
        "summary": "Ask for one of the four public services (card, book, pension transfer, payout change)",
        "security": [{"channelKey": []}],
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[\x21-\x7e]+$"}}],
        "requestBody": {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "required": ["payload"], "properties": {
                "payload": {"$ref": "#/components/schemas/ReissuePayload"},
                **{name: {"type": "string", "format": "binary", "description": label + " (JPEG, PNG or WebP)."}
                   for name, label in intake.FILE_PARTS.items()}}},
            "encoding": {"payload": {"contentType": "application/json"}}}}},
        "responses": {
            "201": {"description": "Received; the deadline is in `due_at`.",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReissueRequest"}}}},
            "400": _error("Malformed request: payload not JSON, bad Idempotency-Key."),
            "409": _error("Idempotency-Key already used with another request."),
            "413": _error("Request larger than 45 MB."),
            "415": _error("Not multipart/form-data."),
            "422": _error("The request breaks one or more rules; see `fields`."),
            **_COMMON,
        },
    }},
    "/reissue-requests/{reference}": {"get": {
        "operationId": "getReissueRequest",
        "summary": "Status, deadline and result of a reissue request",
        "security": [{"channelKey": []}],
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "The request.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReissueRequest"}}}},
            "404": _error("No request has this reference."),
            **_COMMON,
        },
    }},
    "/reissue-requests/{reference}/stop": {"post": {
        "operationId": "stopReissueRequest",
        "summary": "The citizen stops a payout change before it takes effect",
        "description": (
            "A payout change (`payout_change`) takes effect only after a cooling-off period (3 working days by "
            "default) that follows a second officer's approval. When it is requested, and again when it is "
            "approved, an SMS goes to the phone the register held BEFORE the request (not to the phone in the "
            "request) with an 8-digit stop code. Sending that code here, with the channel key, stops the change at "
            "any step before it takes effect: the request becomes `cancelled` and the payout record is never "
            "changed. Possession of the previously registered phone is the proof: the reference alone is not "
            "enough. After 5 wrong codes the request answers 423 to every further code (the citizen then calls "
            "the office, whose officer can stop it); every attempt is audited. Repeating a stop that went "
            "through answers 200 again."),
        "security": [{"channelKey": []}],
        "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["stop_code"], "properties": {
                "stop_code": _text("The 8 digits from the SMS (spaces and hyphens ignored).", maxLength=20)}}}}},
        "responses": {
            "200": {"description": "Stopped: `status` is `cancelled`.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReissueRequest"}}}},
            "400": _error("The body is not JSON."),
            "403": _error("Wrong stop code (counted)."),
            "404": _error("No payout change has this reference."),
            "409": _error("Too late: the change has taken effect or was decided."),
            "413": _error("Body larger than 1 KB."),
            "415": _error("Not application/json."),
            "422": _error("No `stop_code` string in the body."),
            "423": _error("5 wrong codes were sent: only the office can stop this request now."),
            **_COMMON,
        },
    }},
}
SCHEMAS = {"ReissuePayload": PAYLOAD, "ReissueRequest": REQUEST}
