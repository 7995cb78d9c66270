"""The reception officer's desk: queue, take next, counter search, review, decisions."""
import re
from collections import namedtuple
from html import escape as html_escape

from flask import Blueprint, Response, flash, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.declarations import (
    QUEUE_FILTER_CHOICES,
    ApproveForm,
    AwaitForm,
    CounterSearchForm,
    ExtendForm,
    QueueFilterForm,
    RejectForm,
    ReturnForm,
)
from backoffice.masking import mask_id, mask_phone
from backoffice.models import DeclarationKind, Role
from backoffice.services import DomainError, declarations
from backoffice.services.casework import sla
from backoffice.services.declarations import evidence as check_evidence
from backoffice.services.declarations import pdf as declaration_pdf
from backoffice.services.declarations.labels import (
    AWAITING_LABELS,
    CHANNEL_LABELS,
    DOCUMENT_LABELS,
    EVENT_LABELS,
    KIND_LABELS,
    MATCH_LABELS,
    SEX_LABELS,
    STATE_LABELS,
)
from backoffice.services.declarations.reasons import REASONS as REJECTION_REASONS
from backoffice.services.platform import calendar
from backoffice.web import params as web_params
from backoffice.web.actions import perform
from backoffice.web.case_messages import case_context, register_case_view
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.htmx import is_htmx, render, see_other
from backoffice.web.i18n import local_time, plain
from backoffice.web.navigation import register_count
from backoffice.web.paging import page
from backoffice.web.permissions import allow
from backoffice.web.read_only import read_only

bp = Blueprint("declarations", __name__, url_prefix="/declarations")
reception = allow(Role.reception_officer)
register_case_view(declarations.CASE_TYPE, _l("Tờ khai"), "declarations.review", "declaration_id")
QueueRow = namedtuple("QueueRow", "url reference submitted kind full_name id_number phone channel state state_label "
                                   "failing holder deadline returned due due_label")
REASON_LABELS = {code: reason.label for code, reason in REJECTION_REASONS.items()}  # translated when shown
ACCOUNT_LABELS = {"active": _l("Đang hoạt động"), "stopped": _l("Đã ngừng"), None: _l("Chưa có tài khoản")}
_labels_by_locale = {}
_SENTINEL_ID = 918273645


def labels():
    """Label tables as plain strings in this request's language (lazy strings cost per row), built once per language."""
    locale = str(get_locale())
    if locale not in _labels_by_locale:
        _labels_by_locale[locale] = {
            "state_labels": {k: str(v) for k, v in STATE_LABELS.items()},
            "kind_labels": {k: str(v) for k, v in KIND_LABELS.items()},
            "channel_labels": {k: str(v) for k, v in CHANNEL_LABELS.items()},
            "document_labels": {k: str(v) for k, v in DOCUMENT_LABELS.items()},
            "sex_labels": {k: str(v) for k, v in SEX_LABELS.items()},
            "filter_choices": {name: [(value, str(label)) for value, label in pairs]
                               for name, pairs in QUEUE_FILTER_CHOICES.items()}}
    return _labels_by_locale[locale]


def queue_rows(rows):
    """What the queue shows of each row, computed here in one pass: each call made from a template row costs
    several times more, and a page has 50 rows. ID and phone numbers are masked."""
    tables, failing = labels(), _("%(n)s không đạt")
    states, kinds, channels = tables["state_labels"], tables["kind_labels"], tables["channel_labels"]
    returned = _("Trả lại")  # the citizen sent the documents or came, or the second approver said no: the page says
    holders = declarations.officer_names(row[10] for row in rows)  # who holds each claimed case, one query
    now, dues = calendar.now(), {k: html_escape(v) for k, v in plain(sla.DUE_LABELS).items()}
    # One url_for for the page, not one per row; the sentinel id marks where each row's id goes.
    review = url_for("declarations.review", declaration_id=_SENTINEL_ID).replace(str(_SENTINEL_ID), "{}")
    # hot path: docs/benchmarks.md ("Queue rows: escaping"). Not house style: elsewhere let Jinja autoescape.
    # Plain tuple unpacking: named access on a result row costs about a microsecond per attribute. Every value is
    # escaped here, once (the template prints the rows as they are: Jinja's escaping costs ~0.8 µs a row more).
    shown = []
    for (row_id, reference, kind, state, channel, submitted_at, full_name, id_number, phone, failing_checks,
         claimed_by_id, due_on, returned_at, extended, *_count) in rows:
        clock = declarations.deadline(state, submitted_at, due_on, extended)
        holder = holders.get(claimed_by_id, "") if state == "in_review" else ""
        badge = sla.badge(clock.due_at, clock.due_soon_at, now) if clock else ""
        # the badge: its class is one of sla's words, its label escaped once per page (the rows template prints the
        # span of _casework.html's due_badge itself: a macro call per row costs more than the row)
        shown.append(QueueRow(*map(html_escape, (
            review.format(row_id), reference, local_time(submitted_at), kinds[kind], full_name,
            mask_id(id_number) if id_number else "—", mask_phone(phone), channels[channel], state, states[state],
            failing % {"n": failing_checks} if failing_checks else "", holder,
            f"{calendar.local_date(clock.due_at):%d/%m/%Y}" if clock else "",
            returned if returned_at and state not in ("approved", "rejected") else "")), badge, dues.get(badge, "")))
    return shown


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _query_day(name):
    """A date filter typed dd/mm/yyyy (as officers write dates, in both languages) or sent ISO; 400 when neither."""
    text = request.args.get(name, "").strip()
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found:
        text = f"{found[3]}-{int(found[2]):02d}-{int(found[1]):02d}"
    try:
        return web_params.parse_date(text) if text else None
    except web_params.BadParameter:  # said in the form the field asks for (the ISO form is for links)
        raise web_params.BadParameter(_(
            "Ngày phải là một ngày có thật, theo dạng dd/mm/yyyy (ví dụ 05/03/2026), từ %(first)s đến %(last)s.",
            first=f"{web_params.FIRST_DATE:%d/%m/%Y}", last=f"{web_params.LAST_DATE:%d/%m/%Y}")) from None


def _filters(form, date_from, date_to):
    return declarations.QueueFilters(state=form.state.data or "", kind=form.kind.data or "",
                                     channel=form.channel.data or "", date_from=date_from,
                                     date_to=date_to, failing_only=bool(form.failing_only.data))


@bp.route("/")
@reception
@read_only
def queue():
    """The office's declarations, oldest first, filtered, 50 a page (keyset)."""
    date_from, date_to = _query_day("date_from"), _query_day("date_to")  # 400 out of range
    form = QueueFilterForm(request.args)
    range_error = None
    if date_from and date_to and date_from > date_to:  # said, not answered with an empty list
        range_error = _("Khoảng ngày bị đảo ngược: “Từ ngày” (%(start)s) sau “Đến ngày” (%(end)s).",
                        start=f"{date_from:%d/%m/%Y}", end=f"{date_to:%d/%m/%Y}")
        rows, count = [], None
    else:
        filters = _filters(form, date_from, date_to) if form.validate() else declarations.QueueFilters()
        rows, count = declarations.queue_page(current_user, filters, web_params.keyset_cursor(),
                                              declarations.PAGE_SIZE + 1)
    listing = page(rows, declarations.PAGE_SIZE,
                   lambda row: {"after_at": row.submitted_at.isoformat(), "after_id": row.id})
    args = {k: v for k, v in request.args.items() if k not in ("after_at", "after_id")}
    return render("declarations/queue.html", "declarations/_queue_rows.html", form=form, range_error=range_error,
                  rows=queue_rows(listing.rows), count=count,
                  cap=declarations.workflow.COUNT_CAP, search=CounterSearchForm(),
                  next_args={**args, **listing.next_cursor} if listing.next_cursor else None,
                  filter_choices=labels()["filter_choices"])


@bp.route("/next", methods=["POST"])
@reception
def take_next():
    """Claim the oldest ready declaration and open it."""
    claim = declarations.take_next(current_user)
    db.session.commit()
    if claim is None:
        flash(_("Không còn tờ khai nào chờ xử lý."), "info")
        return see_other(url_for("declarations.queue"))
    return see_other(url_for("declarations.review", declaration_id=claim.id))


@bp.route("/search", methods=["POST"])
@reception
def search():
    """Counter search by reference, mã số BHXH, ID number or phone (POST keeps them out of URLs and logs)."""
    form = CounterSearchForm()
    found = declarations.find_at_counter(current_user, form.term.data) if form.validate_on_submit() else []
    return render("declarations/search.html", "declarations/_search_results.html", search=form, found=found,
                  searched=form.is_submitted(), **labels())


FORM_NAMES = {"approve_form": ApproveForm, "reject_form": RejectForm, "await_form": AwaitForm,
              "return_form": ReturnForm, "extend_form": ExtendForm}


def _decision_forms(declaration):
    """The decision forms, carrying the stored version (never the one a stale POST sent: `formdata=None`). For a
    child's registration the wait asks first for the birth certificate (the child has no ID card to bring)."""
    forms = {name: form_class(formdata=None, version_id=declaration.version_id)
             for name, form_class in FORM_NAMES.items()}
    if declaration.kind == DeclarationKind.register_child:
        forms["await_form"].reason_code.data = "reupload_birth_certificate"
    return forms


def review_context(declaration, conflict=None):
    """Everything the review page and its fragments show; `conflict` is the change (what, who, when) that made the
    officer's form stale."""
    clock = declarations.deadline(declaration.state, declaration.submitted_at, declaration.due_on,
                                  declaration.deadline_extended)
    return {"d": declaration, **_decision_forms(declaration), "conflict": conflict,
            "clock": clock, "due": sla.badge(clock.due_at, clock.due_soon_at) if clock else None,
            "due_labels": sla.DUE_LABELS,
            "mine": declaration.claimed_by_id == current_user.id,
            "holder": declarations.officer_names([declaration.claimed_by_id]).get(declaration.claimed_by_id)
            if declaration.state == declaration.state.in_review else None,
            "timeline": declarations.timeline(declaration), "rows": declarations.side_by_side(declaration),
            "duplicates": declarations.duplicate_records(declaration),
            "guardian": declarations.guardian(declaration), "account_labels": ACCOUNT_LABELS,
            "match_labels": MATCH_LABELS, "event_labels": EVENT_LABELS, "reason_labels": REASON_LABELS,
            "awaiting_labels": AWAITING_LABELS, "tab": request.args.get("tab", ""),
            "evidence_lines": check_evidence.lines, "evidence_fields": check_evidence.field_rows,
            **case_context(declarations.CASE_TYPE, declaration.id,
                           url_for("declarations.review", declaration_id=declaration.id)), **labels()}


@bp.route("/<int:declaration_id>")
@allow(Role.reception_officer, Role.supervisor)
def review(declaration_id):
    """Declared, extracted and register values side by side, the checks, the photos, the decision."""
    declaration = declarations.get_for(current_user, declaration_id)
    declarations.touch(current_user, declaration)
    declarations.refresh_checks(declaration)  # duplicates and takeover signals as they stand now
    if not is_htmx():  # the full page shows the declared contact details unmasked: each view is audited
        declarations.contact_viewed(current_user, declaration)
    # Rendered before the commit, which expires every loaded object: after it each would be read again.
    page = render("declarations/review.html", "declarations/_progress.html", **review_context(declaration))
    db.session.commit()
    return page


def _refused_page(declaration_id, form, status):
    """The review page again after a refusal: the refused form as the officer sent it (typed text and errors
    kept) but carrying the stored version, and after a conflict what changed, by whom and when. Having seen the
    change, the officer decides again from the page without retyping, or reloads it in one click."""
    declaration = declarations.get_for(current_user, declaration_id)
    _in_language(form)
    form.version_id.data = declaration.version_id
    form.version_id.raw_data = [str(declaration.version_id)]
    context = review_context(declaration, declarations.last_change(declaration) if status == 409 else None)
    context.update({name: form for name, form_class in FORM_NAMES.items() if type(form) is form_class})
    # shown as well where the forms are not (the case is no longer the officer's): typed text is never lost
    context["typed"] = [(f.label.text, f.data) for f in form if f.type == "TextAreaField" and f.data]
    context["refused"] = form.form_errors  # a refusal about no one field (a conflict, a state): said at the top
    declarations.contact_viewed(current_user, declaration)  # the page again, with the contact data: a view too
    shown = render("declarations/review.html", status=status, **context)
    db.session.commit()
    return shown


def _in_language(form):
    """The domain's refusals are written in Vietnamese (the catalogue's source): shown in the officer's language."""
    for f in form:
        f.errors = [_(str(message)) for message in f.errors] if isinstance(f.errors, list) else f.errors
    form.form_errors[:] = [_(str(message)) for message in form.form_errors]


def _decide(declaration_id, form, call, success):
    if not form.validate_on_submit():
        return _refused_page(declaration_id, form, 422)
    outcome = perform(call, form, form=form, done=None if callable(success) else success)
    if not outcome.ok:
        return _refused_page(declaration_id, form, outcome.status)
    if callable(success):  # the message depends on what the call came to
        flash(success(outcome.result), "success")
    if request.form.get("then") == "next":  # "decide and take next": the next case opens at once
        return take_next()
    return see_other(url_for("declarations.review", declaration_id=declaration_id))


@bp.route("/<int:declaration_id>/claim", methods=["POST"])
@reception
def claim(declaration_id):
    """Take this declaration from the queue."""
    perform(declarations.claim, current_user, declaration_id)
    return see_other(url_for("declarations.review", declaration_id=declaration_id))


@bp.route("/<int:declaration_id>/release", methods=["POST"])
@reception
def release(declaration_id):
    """Give the declaration back to the queue."""
    return _decide(declaration_id, ApproveForm(),
                   lambda f: declarations.release(current_user, declaration_id, f.version_id.data),
                   _("Đã trả tờ khai về hàng chờ."))


@bp.route("/<int:declaration_id>/approve", methods=["POST"])
@reception
def approve(declaration_id):
    """Approve (or propose for a second approval over failing checks); the officer is told which it was."""
    return _decide(declaration_id, ApproveForm(),
                   lambda f: declarations.approve(current_user, declaration_id, f.version_id.data,
                                                  f.justification.data or ""),
                   lambda d: _("Đã phê duyệt tờ khai; công dân sẽ nhận thông báo.") if d.state == d.state.approved
                   else _("Đã gửi đề xuất phê duyệt lần hai; tờ khai chưa được phê duyệt cho đến khi cán bộ thứ hai "
                          "đồng ý."))


@bp.route("/<int:declaration_id>/confirm", methods=["POST"])
@allow(Role.reception_officer, Role.supervisor)
def confirm(declaration_id):
    """Second approval by another officer of the office or a supervisor."""
    return _decide(declaration_id, ApproveForm(),
                   lambda f: declarations.confirm_second_approval(current_user, declaration_id, f.version_id.data),
                   _("Đã phê duyệt lần hai; tài khoản đã được kích hoạt."))


@bp.route("/<int:declaration_id>/return", methods=["POST"])
@allow(Role.reception_officer, Role.supervisor)
def return_to_proposer(declaration_id):
    """The second approver refuses: the case goes back to the proposing officer with the reason."""
    return _decide(declaration_id, ReturnForm(),
                   lambda f: declarations.return_to_proposer(current_user, declaration_id, f.version_id.data,
                                                             f.note.data),
                   _("Đã trả tờ khai lại cho cán bộ đề xuất."))


@bp.route("/<int:declaration_id>/resume", methods=["POST"])
@reception
def resume(declaration_id):
    """The citizen came to the counter: take the waiting case back into review."""
    return _decide(declaration_id, ApproveForm(),
                   lambda f: declarations.waiting.resume(current_user, declaration_id, f.version_id.data),
                   _("Đã nhận lại tờ khai để xử lý tiếp."))


@bp.route("/<int:declaration_id>/extend", methods=["POST"])
@reception
def extend(declaration_id):
    """Give the waiting citizen more time, once, with a reason (the citizen is told the new deadline)."""
    return _decide(declaration_id, ExtendForm(),
                   lambda f: declarations.waiting.extend_deadline(current_user, declaration_id, f.version_id.data,
                                                                  f.note.data),
                   _("Đã gia hạn; công dân sẽ nhận thông báo hạn mới."))


@bp.route("/second-approvals")
@allow(Role.reception_officer, Role.supervisor)
@read_only
def second_approvals():
    """Proposals over failing checks waiting for this officer's second approval (not their own), oldest first."""
    return render("declarations/second_approvals.html", pending=declarations.second_approvals(current_user),
                  **labels())


register_count("declarations.second_approvals", declarations.count_second_approvals)


@bp.route("/<int:declaration_id>/reject", methods=["POST"])
@reception
def reject(declaration_id):
    """Reject with a catalogue reason; the citizen is told by SMS and email."""
    return _decide(declaration_id, RejectForm(),
                   lambda f: declarations.reject(current_user, declaration_id, f.version_id.data, f.code.data,
                                                 f.free_text.data or ""),
                   _("Đã từ chối tờ khai; công dân sẽ nhận thông báo."))


@bp.route("/<int:declaration_id>/await", methods=["POST"])
@reception
def await_citizen(declaration_id):
    """Wait for the citizen (counter visit or a re-upload)."""
    return _decide(declaration_id, AwaitForm(),
                   lambda f: declarations.await_citizen(current_user, declaration_id, f.version_id.data,
                                                        f.reason_code.data),
                   _("Đã chuyển sang chờ công dân bổ sung."))


@bp.route("/<int:declaration_id>/print/<any(form, notice, request):document>.pdf")
@allow(Role.reception_officer, Role.supervisor)
def print_pdf(declaration_id, document):
    """The Tờ khai Mẫu 01 to sign at the counter, the decision notice, or the phiếu yêu cầu bổ sung (what the
    citizen must bring or send, and by when), as a PDF (audited)."""
    declaration = declarations.get_for(current_user, declaration_id)
    try:
        pdf = declaration_pdf.render(current_user, declaration, document)
    except DomainError as error:
        flash(_(error.message), "error")
        return see_other(url_for("declarations.review", declaration_id=declaration_id))
    db.session.commit()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{document}-{declaration.reference}.pdf"'})
