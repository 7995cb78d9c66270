"""What every intake endpoint shares: the bilingual field message, the error envelope, the JSON payload part
(with a depth limit) and the idempotent replay of a retried POST (DESIGN.md §10)."""
import json
from dataclasses import dataclass

from backoffice.services import DomainError
from backoffice.services.platform import idempotency

# A case's payload nests two or three levels (the object, its address); deeper JSON is refused before it is walked.
MAX_JSON_DEPTH = 8


@dataclass(frozen=True)
class Message:
    """One problem with a field, in both languages of the API."""

    vi: str
    en: str

    def as_dict(self):
        """The JSON form `{"vi": ..., "en": ...}`."""
        return {"vi": self.vi, "en": self.en}


class IntakeError(DomainError):
    """A request the API refuses: HTTP status, stable code, message, and per-field Messages."""

    def __init__(self, status, code, message, fields=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.fields = fields or {}

    def as_dict(self):
        """The JSON error body `{"error": {"code", "message", "fields": {name: {"vi", "en"}}}}`."""
        return {"error": {"code": self.code, "message": self.message,
                          "fields": {name: m.as_dict() for name, m in sorted(self.fields.items())}}}


def invalid(fields, message="Tờ khai chưa hợp lệ; xem lỗi của từng trường trong `fields`."):
    """The 422 for a request that breaks the rules (each field's problem in `fields`)."""
    return IntakeError(422, "validation_failed", message, fields)


@dataclass(frozen=True)
class Outcome:
    """What the API answers: status, JSON body, and whether it replays an earlier response."""

    status_code: int
    body: dict
    replayed: bool = False


def replay(api_key, idempotency_key, payload_text, files, namespace=""):
    """(fingerprint, Outcome of the first request) for a retried POST, or (fingerprint, None) to go on.

    `files` maps part name -> list of bytes; `namespace` keeps each resource's keys apart (remember() the response
    under `namespace + key`). Without an Idempotency-Key both are None.
    """
    if idempotency_key is None:
        return None, None
    if not idempotency.valid_key(idempotency_key):
        raise IntakeError(400, "invalid_idempotency_key", "Idempotency-Key gồm 1–200 ký tự ASCII nhìn thấy được.")
    fingerprint = idempotency.request_hash(payload_text, {n: b"".join(p) for n, p in files.items()})
    try:
        earlier = idempotency.find(api_key.id, namespace + idempotency_key, fingerprint)
    except idempotency.KeyReused:
        raise IntakeError(409, "idempotency_key_reused",
                          "Idempotency-Key này đã được dùng cho một yêu cầu khác trong 24 giờ qua.") from None
    if earlier is not None:
        return fingerprint, Outcome(earlier.status_code, earlier.body, replayed=True)
    return fingerprint, None


def parse_payload(payload_text):
    """The payload part as a JSON value, or a 400/422 IntakeError."""
    if payload_text is None or payload_text == "":
        raise invalid({"payload": Message("Thiếu phần payload (JSON của hồ sơ).",
                                          "The payload part (the JSON of the request) is missing.")})
    if _nesting(payload_text) > MAX_JSON_DEPTH:
        raise _too_deep()
    try:
        return json.loads(payload_text)
    except RecursionError:  # the count above makes this unreachable; kept so no parser limit can become a 500
        raise _too_deep() from None
    except ValueError:
        raise IntakeError(400, "invalid_json", "Phần payload không phải JSON hợp lệ.", {"payload": Message(
            "Phần payload không phải JSON hợp lệ (UTF-8).", "The payload part is not valid JSON (UTF-8).")}) from None


def _too_deep():
    return IntakeError(400, "invalid_json", "Phần payload lồng quá sâu.", {"payload": Message(
        f"JSON lồng nhau quá {MAX_JSON_DEPTH} cấp.", f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.")})


def _nesting(text):
    """The deepest bracket nesting of a JSON text, brackets inside strings skipped (one pass, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest
