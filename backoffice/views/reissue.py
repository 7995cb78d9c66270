"""The departments' reissue desk: department queue, my cases, the case page and its steps, the printed results."""

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.base import Form, options
from backoffice.forms.reissue import (
    AssignForm,
    AwaitForm,
    InternalNoteForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    ShipForm,
    VersionedForm,
)
from backoffice.masking import mask_id, mask_phone
from backoffice.models import DepartmentCode, OfficeLevel, Role
from backoffice.services import DomainError, Forbidden, reissue
from backoffice.services.casework import cases, display, queue, sla
from backoffice.services.platform import labels as platform_labels
from backoffice.services.platform import offices, scope
from backoffice.services.reissue import catalogue, labels
from backoffice.services.reissue import pdf as reissue_pdf
from backoffice.web import case_rows
from backoffice.web.actions import perform
from backoffice.web.case_messages import case_context, register_case_view
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.htmx import is_htmx, render, see_other
from backoffice.web.paging import case_cursor, case_next_args
from backoffice.web.params import id_or_none
from backoffice.web.permissions import allow
from backoffice.web.read_only import read_only

bp = Blueprint("reissue", __name__, url_prefix="/reissue")
WORKERS = (Role.department_officer, Role.department_head)
readers = allow(Role.department_officer, Role.department_head, Role.supervisor)
workers = allow(*WORKERS)
DEPARTMENTS = (DepartmentCode.THU_SO_THE, DepartmentCode.CS_BHXH)
register_case_view(reissue.CASE_TYPE, _l("Yêu cầu cấp lại"), "reissue.show", "request_id")


def _label_tables():
    return {"type_labels": labels.TYPE_LABELS, "state_labels": labels.STATE_LABELS, "due_labels": sla.DUE_LABELS,
            "department_labels": platform_labels.DEPARTMENT_LABELS,
            "due_status": sla.status, "mask_id": mask_id, "mask_phone": mask_phone,
            "incoming_shown": reissue.INCOMING_SHOWN}


def list_rows(rows):
    """What a queue or "my cases" row shows (the casework lists' one row builder)."""
    return case_rows.list_rows(rows, "reissue.show", "request_id", labels.TYPE_LABELS, labels.STATE_LABELS)


def _where(form):
    """The office and department whose queue is shown: one's own, or one chosen within the reader's scope."""
    office_id, department = current_user.office_id, (current_user.department.code if current_user.department else None)
    national_head = current_user.role == Role.department_head and current_user.office.level == OfficeLevel.national
    chosen = id_or_none(form.office_id.data)  # an id no office can have names none, like one out of scope
    if (current_user.role == Role.supervisor or national_head) and chosen:
        if scope.office_readable(current_user, chosen):
            office_id = chosen
    if current_user.role == Role.supervisor:
        department = form.department.data if form.department.data in DEPARTMENTS else DepartmentCode.THU_SO_THE
    return office_id, department


def _after():
    return case_cursor(request.args)


def _next_args(rows):
    return case_next_args(rows, queue.PAGE_SIZE, request.args)


@bp.route("/")
@readers
@read_only
def department_queue():
    """A department's open requests, due first, filtered, 50 a page (keyset)."""
    form = QueueFilterForm(request.args)
    valid = form.validate()
    office_id, department = _where(form)
    filters = queue.QueueFilters(kind=form.kind.data or "", state=form.state.data or "",
                                 assignee=form.assignee.data or "", due_by=form.due_by.data) if valid \
        else queue.QueueFilters()
    rows = reissue.department_page(office_id, department, filters, _after(), queue.PAGE_SIZE + 1)
    choosable = scope.readable_offices(current_user, department) \
        if current_user.role == Role.supervisor or current_user.office.level == OfficeLevel.national else []
    office = current_user.office if office_id == current_user.office_id else offices.get(office_id)
    return render("reissue/queue.html", "reissue/_rows.html", form=form, rows=list_rows(rows),
                  next_args=_next_args(rows), office=office, department=department,
                  officers=cases.listed_officers(office_id, department) if department else [],
                  incoming=reissue.incoming_transfers(current_user), offices=choosable,
                  departments=DEPARTMENTS, title=_("Hàng chờ của phòng"), **_label_tables())


@bp.route("/mine")
@workers
@read_only
def mine():
    """The officer's own open requests, due first."""
    rows = reissue.my_page(current_user, _after(), queue.PAGE_SIZE + 1)
    return render("reissue/mine.html", "reissue/_rows.html", rows=list_rows(rows),
                  next_args=_next_args(rows),
                  incoming=reissue.incoming_transfers(current_user), **_label_tables())


@bp.route("/next", methods=["POST"])
@workers
def take_next():
    """Take the unassigned request due first and open it."""
    outcome = perform(reissue.take_next, current_user)
    if outcome.ok and outcome.result is None:
        flash(_("Không còn yêu cầu nào chờ nhận."), "info")
    if not outcome.ok or outcome.result is None:
        return see_other(url_for("reissue.department_queue"))
    return see_other(url_for("reissue.show", request_id=outcome.result.id))


FORM_KEYS = {Form: "version_form", RejectForm: "reject_form", AwaitForm: "await_form", ShipForm: "ship_form",
             NoteForm: "note_form", InternalNoteForm: "internal_form", AssignForm: "assign_form",
             VersionedForm: "version_form"}


def case_page_context(req, submitted=None):
    """Everything the case page shows, built in one place for the page and its re-render after a refusal (then the
    refused form is shown as submitted, with its error, so nothing typed is lost)."""
    version = {"version_id": req.version_id}
    forms = {"version_form": VersionedForm(**version), "reject_form": RejectForm(**version),
             "await_form": AwaitForm(**version), "ship_form": ShipForm(**version), "note_form": NoteForm(**version),
             "internal_form": InternalNoteForm(formdata=None), "assign_form": AssignForm(formdata=None)}
    if submitted is not None:
        forms[FORM_KEYS[type(submitted)]] = submitted
    forms["reject_form"].code.choices = options(labels.reason_choices(req.kind))
    forms["assign_form"].officer_id.choices = options((o.id, o.full_name) for o in
                                                      cases.department_officers(req.office_id, req.department_code))
    register = reissue.register_view(req)
    transfer = labels.transfer_view(req, register["benefit"]) if req.kind == "pension_transfer" else None
    return {**forms, "r": req, "register": register, "timeline": reissue.timeline(req), "transfer": transfer,
            "request_lines": labels.request_lines(req), "evidence_lines": labels.evidence_lines,
            "office_name": display.office_name, "month": display.month, "money": display.money,
            "benefit_kinds": display.BENEFIT_KIND_LABELS, "tab": request.args.get("tab", ""),
            "notes": cases.notes(req), "can_act": reissue.can_act(current_user, req),
            "is_destination": reissue.is_destination(current_user, req),
            "can_assign": cases.can_manage(current_user, req),
            "allowed": lambda to: catalogue.allowed(req.kind, req.state, to),
            "payload_labels": labels.PAYLOAD_LABELS, "value_labels": labels.VALUE_LABELS,
            "check_labels": labels.CHECK_STATUS_LABELS, "event_labels": display.EVENT_LABELS,
            "document_labels": labels.DOCUMENT_LABELS, "banks": catalogue.BANKS,
            "destination": offices.get(req.destination_office_id) if req.destination_office_id else None,
            **case_context(reissue.CASE_TYPE, req.id, url_for("reissue.show", request_id=req.id)), **_label_tables()}


@bp.route("/<int:request_id>")
@readers
def show(request_id):
    """The case on one screen: request, register, checks, documents, actions, timeline, notes, messages."""
    req = reissue.get_for(current_user, request_id)
    if not is_htmx():  # the page shows the citizen's data: each view is audited
        cases.viewed(current_user, req)
    page = render("reissue/case.html", **case_page_context(req))
    db.session.commit()
    return page


def _step(request_id, form, call, done):
    """Validate the step's form, perform the one service call, and show the case again (422/409 on a refusal).
    The request is looked up first: outside the officer's scope it is a 404 whatever the form holds."""
    reissue.get_for(current_user, request_id)
    if not form.validate_on_submit():
        flash(_("Biểu mẫu không hợp lệ; hãy tải lại trang."), "error")
        return see_other(url_for("reissue.show", request_id=request_id))
    outcome = perform(call, form, done=done, form=form)
    if not outcome.ok:
        req = reissue.get_for(current_user, request_id)
        return render("reissue/case.html", status=outcome.status,
                      **case_page_context(req, form if outcome.status == 422 else None))
    return see_other(url_for("reissue.show", request_id=request_id))


def request_id_of(form):
    """The request id of the URL being served (the steps' forms do not carry it)."""
    return request.view_args["request_id"]


# (endpoint, form, call(form), success message, roles): each step is one POST route.
STEPS = (
    ("start", VersionedForm, lambda f: reissue.start(current_user, request_id_of(f), f.version_id.data),
     _l("Đã bắt đầu xử lý yêu cầu."), WORKERS),
    ("await_citizen", AwaitForm, lambda f: reissue.await_citizen(current_user, request_id_of(f), f.version_id.data,
                                                                 f.reason_code.data),
     _l("Đã chuyển sang chờ công dân bổ sung; thời hạn tạm dừng."), WORKERS),
    ("resume", VersionedForm, lambda f: reissue.resume(current_user, request_id_of(f), f.version_id.data),
     _l("Đã tiếp tục xử lý; thời hạn chạy lại."), WORKERS),
    ("reject", RejectForm, lambda f: reissue.reject(current_user, request_id_of(f), f.version_id.data, f.code.data,
                                                    f.free_text.data or ""),
     _l("Đã từ chối; công dân sẽ nhận thông báo."), WORKERS),
    ("complete", VersionedForm, lambda f: reissue.complete(current_user, request_id_of(f), f.version_id.data),
     _l("Đã hoàn thành yêu cầu."), WORKERS),
    ("ship", ShipForm, lambda f: reissue.ship(current_user, request_id_of(f), f.version_id.data,
                                              f.tracking_number.data),
     _l("Đã ghi nhận gửi bưu điện."), WORKERS),
    ("needs_verification", NoteForm, lambda f: reissue.needs_verification(current_user, request_id_of(f),
                                                                          f.version_id.data, f.note.data),
     _l("Đã chuyển sang thời hạn xác minh 45 ngày."), WORKERS),
    ("send_to_destination", VersionedForm,
     lambda f: reissue.send_to_destination(current_user, request_id_of(f), f.version_id.data),
     _l("Đã gửi hồ sơ sang đơn vị nơi chuyển đến."), WORKERS),
    ("acknowledge_transfer", VersionedForm,
     lambda f: reissue.acknowledge_transfer(current_user, request_id_of(f), f.version_id.data),
     _l("Đã xác nhận tiếp nhận chi trả."), WORKERS),
    ("confirm_identity", NoteForm, lambda f: reissue.confirm_identity(current_user, request_id_of(f),
                                                                      f.version_id.data, f.note.data),
     _l("Đã ghi nhận xác minh danh tính."), WORKERS),
    ("propose", VersionedForm, lambda f: reissue.propose_payout_change(current_user, request_id_of(f),
                                                                       f.version_id.data),
     _l("Đã đề xuất; chờ cán bộ thứ hai phê duyệt."), WORKERS),
    ("approve", VersionedForm, lambda f: reissue.approve_payout_change(current_user, request_id_of(f),
                                                                       f.version_id.data),
     _l("Đã phê duyệt lần hai; thay đổi có hiệu lực sau thời gian chờ."), WORKERS),
    ("return_proposal", NoteForm, lambda f: reissue.return_payout_change(current_user, request_id_of(f),
                                                                         f.version_id.data, f.note.data),
     _l("Đã trả lại đề xuất."), WORKERS),
    ("stop", NoteForm, lambda f: reissue.stop_payout_change(current_user, request_id_of(f), f.version_id.data,
                                                            f.note.data),
     _l("Đã dừng thay đổi theo yêu cầu của công dân."), WORKERS),
)


def _route(name, form_class, call, done, roles):
    def view(request_id):
        return _step(request_id, form_class(), call, done)

    view.__name__ = name
    view.__doc__ = f"Step `{name}` of a request (POST, CSRF)."
    bp.add_url_rule(f"/<int:request_id>/{name}", name, allow(*roles)(view), methods=["POST"])


for _name, _form, _call, _done, _roles in STEPS:
    _route(_name, _form, _call, _done, _roles)


@bp.route("/<int:request_id>/assign", methods=["POST"])
@allow(Role.department_head)
def assign(request_id):
    """The head assigns or reassigns the request (a reason is needed to reassign)."""
    req = reissue.get_for(current_user, request_id)
    if not cases.can_manage(current_user, req):  # a reader (another office's head, a national head): 403 at once
        raise Forbidden("Chỉ trưởng phòng xử lý hồ sơ này được phân công.")
    form = AssignForm()
    form.officer_id.choices = options((o.id, o.full_name) for o in
                                      cases.department_officers(req.office_id, req.department_code))
    return _step(request_id, form, lambda f: reissue.assign(current_user, request_id, f.officer_id.data,
                                                            f.reason.data or ""), _("Đã phân công."))


@bp.route("/<int:request_id>/acknowledge_escalation", methods=["POST"])
@allow(Role.department_head)
def acknowledge_escalation(request_id):
    """The head has seen that the request is overdue: the flag goes."""
    return _step(request_id, Form(), lambda f: reissue.acknowledge_escalation(current_user, request_id),
                 _("Đã ghi nhận; hồ sơ không còn gắn cờ quá hạn."))


@bp.route("/<int:request_id>/note", methods=["POST"])
@readers
def note(request_id):
    """An internal note on the request (never shown to the citizen)."""
    return _step(request_id, InternalNoteForm(), lambda f: reissue.add_note(current_user, request_id, f.body.data),
                 _("Đã lưu ghi chú nội bộ."))


@bp.route("/<int:request_id>/print/<printout>.pdf")
@readers
def print_pdf(request_id, printout):
    """The reissued card, the receipt with its due date, or the rejection notice, as a PDF (audited)."""
    req = reissue.get_for(current_user, request_id)
    try:
        pdf = reissue_pdf.render(current_user, req, printout)  # refuses a name it does not know
    except DomainError as error:
        flash(error.message, "error")
        return see_other(url_for("reissue.show", request_id=request_id))
    db.session.commit()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{printout}-{req.reference}.pdf"'})
