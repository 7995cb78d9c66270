"""The checks a reissue request gets at intake, each `pass | warn | fail` with its evidence (DESIGN.md §4.2)."""
from datetime import timedelta

from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.idcard.normalise import key as name_key
from backoffice.models import Benefit, HealthCard, InsuranceBook, Office, ReissueRequest, ReissueState, ReissueType
from backoffice.services.platform import calendar
from backoffice.services.reissue import catalogue
from backoffice.web.catalogue import N_

REISSUES_WARN_AT = 2  # reissues of a card in 12 months after which the officer should ask why
_DONE = (ReissueState.completed, ReissueState.delivered, ReissueState.shipped)


def _check(code, title, status, **evidence):
    return {"code": code, "title": title, "status": status, "evidence": evidence}


def _pending_same(request):
    others = db.session.scalar(select(func.count()).select_from(ReissueRequest).where(
        ReissueRequest.social_insurance_number == request.social_insurance_number,
        ReissueRequest.kind == request.kind, ReissueRequest.closed_at.is_(None),
        ReissueRequest.id != request.id if request.id else True))
    return _check("pending_same_type", N_("Yêu cầu cùng loại đang xử lý"), "fail" if others else "pass", count=others)


def _card(request):
    card = db.session.scalar(select(HealthCard).where(
        HealthCard.social_insurance_number == request.social_insurance_number))
    today = calendar.today()
    if card is None:
        current = _check("card_current", N_("Thẻ BHYT còn hạn và đã đóng đủ"), "fail", card=None)
    else:
        ok = card.valid_to >= today and card.paid_until >= today
        current = _check("card_current", N_("Thẻ BHYT còn hạn và đã đóng đủ"), "pass" if ok else "fail",
                         card_number=card.card_number, valid_to=card.valid_to.isoformat(),
                         paid_until=card.paid_until.isoformat())
    since = calendar.now() - timedelta(days=365)
    recent = db.session.scalar(select(func.count()).select_from(ReissueRequest).where(
        ReissueRequest.social_insurance_number == request.social_insurance_number,
        ReissueRequest.kind == ReissueType.bhyt_card, ReissueRequest.state.in_(_DONE),
        ReissueRequest.received_at >= since))
    count = _check("reissues_12_months", N_("Số lần cấp lại trong 12 tháng"),
                   "warn" if recent >= REISSUES_WARN_AT else "pass",
                   count=recent, total=card.reissue_count if card else 0)
    return [current, count, _pending_same(request)]


def _book(request):
    book = db.session.scalar(select(InsuranceBook).where(
        InsuranceBook.social_insurance_number == request.social_insurance_number))
    exists = _check("book_exists", N_("Sổ BHXH có trong cơ sở dữ liệu"), "pass" if book else "fail",
                    book_number=book.book_number if book else None)
    verification = _check("book_verification", N_("Quá trình đóng cần xác minh (thời hạn 45 ngày)"),
                          "warn" if book is not None and book.needs_verification else "pass")
    return [exists, verification, _pending_same(request)]


def _benefit(request):
    return db.session.scalar(select(Benefit).where(
        Benefit.social_insurance_number == request.social_insurance_number, Benefit.active.is_(True)))


def _transfer(request):
    benefit = _benefit(request)
    here = benefit is not None and benefit.paying_office_id == request.office_id
    destination = request.payload.get("destination_office_id")
    found = [_check("benefit_here", N_("Đang hưởng lương hưu, trợ cấp hằng tháng tại đơn vị"),
                    "pass" if here else "fail",
                    kind=benefit.kind if benefit else None, monthly_amount=benefit.monthly_amount if benefit else None)]
    valid = destination is not None and destination != request.office_id and db.session.get(Office, destination)
    found.append(_check("destination_office", N_("Cơ quan nơi chuyển đến hợp lệ, khác nơi đang hưởng"),
                        "pass" if valid else "fail", office_code=request.payload.get("destination_office_code")))
    pending = _pending_same(request)
    pending["title"] = N_("Không có yêu cầu chuyển nơi hưởng khác đang xử lý")
    return [*found, pending]


def _payout(request):
    benefit = _benefit(request)
    payload = request.payload
    found = [_check("benefit_exists", N_("Đang hưởng lương hưu, trợ cấp hằng tháng"), "pass" if benefit else "fail",
                    payout_method=benefit.payout_method if benefit else None)]
    if payload.get("method") == "bank":
        known = payload.get("bank_code") in catalogue.BANKS
        found.append(_check("bank_known", N_("Ngân hàng có trong danh mục"), "pass" if known else "fail",
                            bank_code=payload.get("bank_code")))
        holder, beneficiary = payload.get("account_holder") or "", request.full_name
        same = name_key(holder, diacritics=False) == name_key(beneficiary, diacritics=False)
        found.append(_check("account_holder", N_("Tên chủ tài khoản trùng tên người hưởng (bỏ dấu)"),
                            "pass" if same else "fail", account_holder=holder, beneficiary=beneficiary))
    if payload.get("method") == "new_recipient":
        has_poa = any(d.kind == "power_of_attorney" for d in request.documents)
        found.append(_check("power_of_attorney", N_("Có giấy ủy quyền"), "pass" if has_poa else "fail"))
    # The citizen's phone in the register, before this request: the alert goes there.
    found.append(_check("registered_phone", N_("Có số điện thoại đã đăng ký trước để báo tin"),
                        "pass" if request.alert_phone else "warn", phone_on_file=bool(request.alert_phone),
                        same_as_request=request.alert_phone == request.phone))
    return found


RUNNERS = {ReissueType.bhyt_card: _card, ReissueType.si_book: _book, ReissueType.pension_transfer: _transfer,
           ReissueType.payout_change: _payout}


def run(request):
    """The checks of a request's type, in order."""
    return RUNNERS[ReissueType(request.kind)](request)
