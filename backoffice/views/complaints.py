"""The complaint screens (DESIGN.md §4.3): department and triage queues, my cases, the consult inbox, the national
follow-up, the counter's intake, and the case page with its steps and the printed letter."""

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.base import Form, options
from backoffice.forms.complaints import (
    AcceptForm,
    AssignForm,
    CommentForm,
    ConsultAnswerForm,
    ConsultForm,
    DraftForm,
    IntakeForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    RejectForm,
    RerouteForm,
    UrgeForm,
    VersionedForm,
)
from backoffice.masking import mask_id, mask_phone
from backoffice.models import DepartmentCode, OfficeLevel, Role
from backoffice.services import DomainError, Forbidden, complaints
from backoffice.services.casework import cases, display, queue, sla
from backoffice.services.complaints import answers, catalogue, citizen_record, intake, labels, letter, workflow
from backoffice.services.platform import calendar, offices, scope
from backoffice.web import case_rows
from backoffice.web.actions import perform
from backoffice.web.case_messages import case_context, register_case_view
from backoffice.web.catalogue import gettext as _
from backoffice.web.catalogue import lazy_gettext as _l
from backoffice.web.htmx import is_htmx, render, see_other
from backoffice.web.i18n import plain
from backoffice.web.navigation import register_count
from backoffice.web.paging import case_cursor, case_next_args, page
from backoffice.web.params import keyset_cursor
from backoffice.web.permissions import allow
from backoffice.web.read_only import read_only

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
WORKERS = (Role.department_officer, Role.department_head)
INTAKE = (Role.reception_officer, Role.department_officer, Role.department_head)
readers = allow(Role.reception_officer, Role.department_officer, Role.department_head, Role.supervisor)
workers = allow(*WORKERS)
# A supervisor (the office's leadership) reads every department's queue, and their own: the denunciations.
QUEUES = catalogue.QUEUES
register_case_view(workflow.CASE_TYPE, _l("Phản ánh"), "complaints.show", "complaint_id")
register_count("complaints.consults", workflow.consult_count)


def _tables():
    """Label tables as plain strings in the reader's language, and the row helpers."""
    now = calendar.now()
    plain_tables = {name: plain(table) for name, table in (
        ("state_labels", labels.STATE_LABELS), ("kind_labels", labels.KIND_LABELS),
        ("category_labels", labels.CATEGORY_LABELS), ("channel_labels", labels.CHANNEL_LABELS),
        ("department_labels", labels.DEPARTMENT_LABELS), ("due_labels", sla.DUE_LABELS))}
    return {**plain_tables, "due_status": lambda case: sla.status(case, now), "mask_id": mask_id,
            "mask_phone": mask_phone, "case_url": url_for("complaints.show", complaint_id=0).removesuffix("0")}


def list_rows(rows):
    """What a queue or "my cases" row shows (the casework lists' one row builder)."""
    return case_rows.list_rows(rows, "complaints.show", "complaint_id", labels.KIND_LABELS, labels.STATE_LABELS)


def _after():
    return case_cursor(request.args)


def _next_args(rows):
    return case_next_args(rows, queue.PAGE_SIZE, request.args)


def _department():
    """The department whose queue is shown: one's own; a supervisor picks one of the office's."""
    if current_user.role == Role.supervisor:
        chosen = request.args.get("department", "")
        return chosen if chosen in QUEUES else DepartmentCode.TIEP_NHAN.value
    return cases.department_of(current_user)


def _national():
    return current_user.role == Role.department_head and current_user.office.level == OfficeLevel.national


@bp.route("/")
@readers
@read_only
def department_queue():
    """A department's open complaints, due first, filtered, 50 a page (keyset); for the reception desk, the triage
    queue; for a national department head, their subject's open complaints nationwide."""
    form = QueueFilterForm(request.args)
    valid = form.validate()
    department = _department()
    if _national():
        return render("complaints/national.html", rows=workflow.national_page(current_user),
                      department=department, **_tables())
    filters = queue.QueueFilters(kind=form.kind.data or "", state=form.state.data or "",
                                 assignee=form.assignee.data or "", due_by=form.due_by.data) if valid \
        else queue.QueueFilters()
    office_id = current_user.office_id
    rows = complaints.department_page(office_id, department, filters, _after(), queue.PAGE_SIZE + 1) \
        if department else []
    triage = department == DepartmentCode.TIEP_NHAN
    return render("complaints/queue.html", "complaints/_rows.html", form=form, rows=list_rows(rows),
                  next_args=_next_args(rows), office=current_user.office, department=department, triage=triage,
                  officers=cases.listed_officers(office_id, department) if department else [],
                  departments=QUEUES, **_tables())


@bp.route("/mine")
@workers
@read_only
def mine():
    """The officer's own open complaints, due first."""
    rows = complaints.my_page(current_user, _after(), queue.PAGE_SIZE + 1)
    return render("complaints/mine.html", "complaints/_rows.html", rows=list_rows(rows),
                  next_args=_next_args(rows), **_tables())


@bp.route("/next", methods=["POST"])
@workers
def take_next():
    """Take the accepted, unassigned complaint due first and open it."""
    outcome = perform(workflow.take_next, current_user)
    if outcome.ok and outcome.result is None:
        flash(_("Không còn phản ánh nào chờ nhận."), "info")
    if not outcome.ok or outcome.result is None:
        return see_other(url_for("complaints.department_queue"))
    return see_other(url_for("complaints.show", complaint_id=outcome.result.id))


def consults_context(forms=None):
    """The consult inbox's page (its keyset page from the query string), for the page and its re-render after a
    refused answer (`forms` keeps the typed answer)."""
    rows = workflow.consult_inbox(current_user, keyset_cursor("after_due", "after_id"), workflow.CONSULT_PAGE + 1)
    listing = page(rows, workflow.CONSULT_PAGE,
                   lambda consult: {"after_due": consult.due_at.isoformat(), "after_id": consult.id})
    return {"items": listing.rows, "next_args": listing.next_cursor, "office_of": offices.get,
            "forms": {c.id: ConsultAnswerForm(formdata=None) for c in listing.rows} | (forms or {}), **_tables()}


@bp.route("/consults")
@workers
def consults():
    """Consults from other offices addressed to my department, due first, 20 a page (keyset)."""
    return render("complaints/consults.html", **consults_context())


@bp.route("/consults/<int:consult_id>/answer", methods=["POST"])
@workers
def answer_consult(consult_id):
    """Answer a consult: the answer lands on the owner's case."""
    consult = workflow.consult_for(current_user, consult_id)
    form = ConsultAnswerForm()
    if not form.validate_on_submit():
        flash(_("Nhập nội dung trả lời (ít nhất 10 ký tự)."), "error")
        return see_other(url_for("complaints.consults"))
    outcome = perform(workflow.answer_consult, current_user, consult.id, form.answer.data, _files(),
                      done=_("Đã trả lời yêu cầu phối hợp; đơn vị hỏi đã nhận được."), form=form)
    if not outcome.ok:
        context = consults_context({consult.id: form})
        if consult not in context["items"]:  # answered from a later page: keep it on screen with its text
            context["items"] = [consult, *context["items"]]
        return render("complaints/consults.html", status=outcome.status, **context)
    return see_other(url_for("complaints.consults"))


@bp.route("/new", methods=["GET", "POST"])
@allow(*INTAKE)
def new():
    """Record a complaint received at the counter, by phone or on paper; then open it."""
    form = IntakeForm()
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in ("text", "topic", "full_name", "social_insurance_number",
                                                            "phone", "email")}
        data["office_code"] = current_user.office.code
        outcome = perform(intake.create, data, channel=form.channel.data, actor=current_user,
                          done=_("Đã ghi nhận phản ánh; công dân nhận số phản ánh qua tin nhắn."), form=form)
        if outcome.ok:
            complaint = outcome.result
            if workflow.can_read(current_user, complaint):
                return see_other(url_for("complaints.show", complaint_id=complaint.id))
            flash(_("Số phản ánh: %(reference)s — đã chuyển tới %(department)s.", reference=complaint.reference,
                    department=labels.DEPARTMENT_LABELS.get(complaint.department_code, complaint.department_code)),
                  "success")
            return see_other(url_for("complaints.new"))
        return render("complaints/new.html", status=outcome.status, form=form)
    status = 422 if request.method == "POST" else 200
    return render("complaints/new.html", status=status, form=form)


FORM_KEYS = {AcceptForm: "accept_form", RerouteForm: "reroute_form", RejectForm: "reject_form",
             DraftForm: "draft_form", CommentForm: "comment_form", ConsultForm: "consult_form",
             MergeForm: "merge_form", NoteForm: "note_form", UrgeForm: "urge_form", AssignForm: "assign_form",
             VersionedForm: "version_form", Form: "version_form"}


def _diff(complaint):
    versions = [d.version for d in complaint.drafts]
    if len(versions) < 2:
        return None
    try:
        old = int(request.args.get("from", versions[-2]))
        new = int(request.args.get("to", versions[-1]))
        return {"from": old, "to": new, "ops": workflow.draft_diff(complaint, old, new)}
    except (ValueError, DomainError):
        return None


VERSION_LABELS = {"submitted": _l("Đã trình"), "returned": _l("Bị trả lại"), "approved": _l("Đã duyệt")}


def case_page_context(complaint, submitted=None):
    """Everything the case page shows, for the page and its re-render after a refusal (the refused form is shown
    as submitted, with its error, so nothing typed is lost)."""
    version = {"version_id": complaint.version_id}
    latest = workflow.latest_draft(complaint)
    templates = [(key, title, answers.fill(body, complaint)) for key, title, body in
                 answers.templates_for(complaint.category)]
    forms = {"version_form": VersionedForm(**version), "accept_form": AcceptForm(**version),
             "reroute_form": RerouteForm(**version), "reject_form": RejectForm(**version),
             "draft_form": DraftForm(version_id=complaint.version_id,
                                     body=latest.body if latest else templates[0][2]),
             "comment_form": CommentForm(**version), "consult_form": ConsultForm(**version),
             "merge_form": MergeForm(**version), "note_form": NoteForm(formdata=None),
             "urge_form": UrgeForm(formdata=None), "assign_form": AssignForm(formdata=None)}
    if submitted is not None:
        forms[FORM_KEYS[type(submitted)]] = submitted
    forms["assign_form"].officer_id.choices = options(
        (o.id, o.full_name) for o in cases.department_officers(complaint.office_id, complaint.department_code))
    return {**forms, "c": complaint, "register": citizen_record.view(complaint),
            "timeline": workflow.timeline(complaint), "event_labels": display.EVENT_LABELS,
            "notes": cases.notes(complaint), "can_act": workflow.can_act(current_user, complaint),
            "can_manage": workflow.can_manage(current_user, complaint),
            "drafting": workflow.may_draft(current_user, complaint),
            "national": workflow.is_national_reader(current_user, complaint),
            "consulted": workflow.consulted(current_user, complaint),
            "duplicates": workflow.likely_duplicates(complaint), "latest": latest, "diff": _diff(complaint),
            "templates": templates, "open_consults": workflow.open_consults(complaint),
            "consult_files": lambda consult: workflow.consult_files(complaint, consult),
            "office_of": offices.get, "invalid_labels": labels.INVALID_LABELS, "event_reasons": labels.EVENT_REASONS,
            "category_department": complaints.DEPARTMENT_OF, "version_labels": VERSION_LABELS,
            "office_name": display.office_name, "month": display.month, "money": display.money,
            "benefit_kinds": display.BENEFIT_KIND_LABELS, "tab": request.args.get("tab", ""),
            "allowed": lambda to: to in catalogue.TRANSITIONS.get(complaint.state, ()),
            **case_context("complaint", complaint.id, url_for("complaints.show", complaint_id=complaint.id)),
            **_tables()}


@bp.route("/<int:complaint_id>")
@readers
def show(complaint_id):
    """The complaint on one screen: text, register data, actions, drafts, consults, timeline, notes, messages."""
    complaint = workflow.get_for(current_user, complaint_id)
    if not is_htmx():  # the page shows the citizen's data: each view is audited
        cases.viewed(current_user, complaint)
    page = render("complaints/case.html", **case_page_context(complaint))
    db.session.commit()
    return page


# Steps that a reader may take on a case they read (an internal note; a national head's urge): every other step is
# an act on the case.
READER_STEPS = ("note", "urge")


def _step(complaint_id, form, call, done, acts=True):
    """Validate the step's form, perform the one service call, show the case again (422/409 keep the input).
    Access is decided first, whatever the form holds: outside the officer's scope a 404, and a 403 for a step the
    officer may not take on a case they only read (not a 422 that would first review their input)."""
    complaint = workflow.get_for(current_user, complaint_id)
    if acts and not scope.can_act(current_user, complaint):
        raise Forbidden(_("Bạn chỉ được xem phản ánh này, không được thực hiện bước này."))
    if not form.validate_on_submit():
        if not form.errors.get("csrf_token"):
            flash(_("Hãy kiểm tra các trường được đánh dấu."), "error")
            return render("complaints/case.html", status=422, **case_page_context(complaint, form))
        flash(_("Biểu mẫu không hợp lệ; hãy tải lại trang."), "error")
        return see_other(url_for("complaints.show", complaint_id=complaint_id))
    outcome = perform(call, form, done=done, form=form)
    if not outcome.ok:
        complaint = workflow.get_for(current_user, complaint_id)
        return render("complaints/case.html", status=outcome.status, **case_page_context(complaint, form))
    return see_other(url_for("complaints.show", complaint_id=complaint_id))


def _id():
    return request.view_args["complaint_id"]


def _files():
    """The documents of the form's `files` input (checked by the service)."""
    return [part.read() for part in request.files.getlist("files")]


# (endpoint, form, call(form), success message, roles): each step is one POST route.
STEPS = (
    ("accept", AcceptForm, lambda f: workflow.accept(current_user, _id(), f.version_id.data, f.kind.data,
                                                     f.complex_case.data),
     _l("Đã thụ lý; thời hạn giải quyết theo loại đơn."), (Role.department_head, Role.supervisor)),
    ("reroute", RerouteForm, lambda f: workflow.reroute(current_user, _id(), f.version_id.data, f.category.data,
                                                        f.reason.data),
     _l("Đã chuyển phản ánh; hệ thống ghi nhận để phân loại đúng hơn."), (Role.department_head,)),
    ("reject", RejectForm, lambda f: workflow.reject_invalid(current_user, _id(), f.version_id.data, f.code.data,
                                                             f.competent_body.data or "", f.reference.data or ""),
     _l("Đã trả lời công dân: không đủ điều kiện xử lý."), (Role.department_head, Role.supervisor)),
    ("merge", MergeForm, lambda f: workflow.merge(current_user, _id(), f.version_id.data, f.into_reference.data),
     _l("Đã gộp phản ánh trùng; công dân được báo số phản ánh giải quyết."), (Role.department_head,)),
    ("draft", DraftForm, lambda f: workflow.submit_draft(current_user, _id(), f.version_id.data, f.body.data),
     _l("Đã trình văn bản trả lời; chờ trưởng phòng duyệt."), (*WORKERS, Role.supervisor)),
    ("approve", VersionedForm, lambda f: workflow.approve(current_user, _id(), f.version_id.data),
     _l("Đã duyệt; văn bản trả lời được gửi tới công dân."), (Role.department_head, Role.supervisor)),
    ("return_draft", CommentForm, lambda f: workflow.return_draft(current_user, _id(), f.version_id.data,
                                                                  f.comment.data),
     _l("Đã trả lại văn bản cho cán bộ soạn."), (Role.department_head, Role.supervisor)),
    ("close", VersionedForm, lambda f: workflow.close(current_user, _id(), f.version_id.data),
     _l("Đã kết thúc phản ánh."), (*WORKERS, Role.supervisor)),
    ("consult", ConsultForm, lambda f: workflow.open_consult(current_user, _id(), f.version_id.data,
                                                             f.office_code.data, f.department_code.data,
                                                             f.question.data, f.working_days.data, _files()),
     _l("Đã gửi yêu cầu phối hợp; thời hạn của phản ánh tạm dừng đến khi có trả lời."), WORKERS),
    ("note", NoteForm, lambda f: workflow.add_note(current_user, _id(), f.note_text.data),
     _l("Đã lưu ghi chú nội bộ."), (*INTAKE, Role.supervisor)),
    ("urge", UrgeForm, lambda f: workflow.urge(current_user, _id(), f.urge_text.data),
     _l("Đã đôn đốc; trưởng phòng giải quyết nhận được email."), (Role.department_head,)),
)


def _route(name, form_class, call, done, roles):
    def view(complaint_id):
        return _step(complaint_id, form_class(), call, done, acts=name not in READER_STEPS)

    view.__name__ = name
    view.__doc__ = f"Step `{name}` of a complaint (POST, CSRF)."
    bp.add_url_rule(f"/<int:complaint_id>/{name}", name, allow(*roles)(view), methods=["POST"])


for _name, _form, _call, _done, _roles in STEPS:
    _route(_name, _form, _call, _done, _roles)


@bp.route("/<int:complaint_id>/assign", methods=["POST"])
@allow(Role.department_head)
def assign(complaint_id):
    """The head assigns or reassigns the complaint (a reason is needed to reassign)."""
    complaint = workflow.get_for(current_user, complaint_id)
    form = AssignForm()
    form.officer_id.choices = options((o.id, o.full_name) for o in
                                      cases.department_officers(complaint.office_id, complaint.department_code))
    return _step(complaint_id, form, lambda f: workflow.assign(current_user, complaint_id, f.officer_id.data,
                                                               f.reason.data or ""), _("Đã phân công."))


@bp.route("/<int:complaint_id>/letter.pdf")
@readers
def letter_pdf(complaint_id):
    """The approved answer as a numbered letter (PDF, audited)."""
    complaint = workflow.get_for(current_user, complaint_id)
    try:
        pdf = letter.render(current_user, complaint)
    except DomainError as error:
        flash(error.message, "error")
        return see_other(url_for("complaints.show", complaint_id=complaint_id))
    db.session.commit()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="cong-van-{complaint.reference}.pdf"'})

