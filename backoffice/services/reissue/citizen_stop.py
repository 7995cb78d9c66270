"""The citizen stops a payout change through the app (POST /api/v1/reissue-requests/{reference}/stop).

Who may stop it: whoever holds the phone the register knew BEFORE the request. The SMS sent there when the change
is requested (and again when it is approved) carries an 8-digit stop code; the app sends it with the channel key.
The code is not stored: it is an HMAC of the request under SECRET_KEY, so both SMS carry the same code and a copy
of the database alone does not reveal it. After `MAX_FAILURES` wrong codes the API refuses (the count is kept on
the request, so a new key or address does not reset it): the citizen then calls the office, whose officer stops it
on the case page. A stop is possible at every step before the change takes effect; once it has, only the office
can reverse it. Every attempt, right or wrong, is audited.
"""
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ReissueRequest
from backoffice.models import ReissueState as S
from backoffice.models import ReissueType as T
from backoffice.services.casework import cases
from backoffice.services.platform import audit
from backoffice.services.platform.references import normalise_reference
from backoffice.services.reissue import catalogue, notices

CODE_DIGITS = 8
MAX_FAILURES = 5
STOPPABLE = frozenset({S.received, S.processing, S.awaiting_citizen, S.awaiting_second_approval, S.cooling_off})


def stop_code(request):
    """The request's stop code (8 digits), the same in every SMS about it."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"reissue-payout-stop:{request.id}:{request.reference}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** CODE_DIGITS:0{CODE_DIGITS}d}"


@dataclass(frozen=True)
class StopOutcome:
    """What the API answers: `status` (200 stopped, 403 wrong code, 404, 409 too late, 423 locked), a stable
    `code` and the request (for a 200). The caller commits in every case: a wrong code is counted."""

    status: int
    code: str
    request: ReissueRequest | None = None


def _clean_code(text):
    digits = "".join(ch for ch in str(text or "") if ch not in " -")
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else None


def stop(api_key, reference, code):
    """Stop the payout change `reference` if `code` is its stop code; see the module's docstring."""
    request = db.session.scalar(select(ReissueRequest).where(
        ReissueRequest.reference == normalise_reference(reference), ReissueRequest.kind == T.payout_change)
        .with_for_update())
    if request is None:
        return StopOutcome(404, "not_found")
    source = f"api:{api_key.channel}"
    if request.state == S.cancelled:  # a retry of a stop that went through: the same answer
        return StopOutcome(200, "stopped", request)
    if request.stop_failures >= MAX_FAILURES:
        audit.record("reissue_citizen_stop_locked", actor_label=source, object_type=notices.CASE_TYPE,
                     object_id=request.id, office_id=request.office_id)
        return StopOutcome(423, "stop_locked")
    given = _clean_code(code)
    if given is None or not hmac.compare_digest(given, stop_code(request)):
        request.stop_failures += 1
        cases.flush()
        audit.record("reissue_citizen_stop_refused", actor_label=source, object_type=notices.CASE_TYPE,
                     object_id=request.id, office_id=request.office_id,
                     details={"failures": request.stop_failures})
        return StopOutcome(403, "wrong_stop_code")
    if request.state not in STOPPABLE or not catalogue.allowed(T(request.kind), S(request.state), S.cancelled):
        return StopOutcome(409, "not_stoppable")
    cases.transition(request, S.cancelled, actor_label=source, reason_code="stopped_by_citizen",
                     text="Công dân dừng yêu cầu bằng mã trong tin nhắn gửi số điện thoại đã đăng ký.",
                     audit_action="reissue_citizen_stopped")
    notices.status_changed(request, None)
    return StopOutcome(200, "stopped", request)
