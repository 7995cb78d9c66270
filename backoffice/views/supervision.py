"""Supervision screens: dashboards, decisions, blind re-review by sample, anomaly flags, who saw a citizen, the audit
log and exports. Supervisors see their office and its subtree; officers and department heads the dashboard of their
reach (their own figures, or their subject nationwide); admins none of it."""
from datetime import timedelta

from flask import Blueprint, Response, current_app, flash, request, stream_with_context, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.supervision import (
    AccessExportForm,
    AccessForm,
    AuditFilterForm,
    DecisionFilterForm,
    DrawForm,
    ExportForm,
    FlagFilterForm,
    FollowUpForm,
    OpenCasesForm,
    PeriodForm,
    ReceivedFilterForm,
    ResolveForm,
    ReviewedForm,
    VerdictForm,
)
from backoffice.models import Role
from backoffice.services import DomainError, supervision
from backoffice.services.casework.sla import DUE_LABELS
from backoffice.services.platform.calendar import today
from backoffice.services.supervision import access_report, auditlog, corrections, exports, flags, rollups, sampling
from backoffice.services.supervision.filters import ListFilters
from backoffice.services.supervision.labels import (
    FLAG_DETAIL_LABELS,
    FLAG_STATUS_LABELS,
    FLAG_VALUE_LABELS,
    FOLLOW_UP_LABELS,
    OUTCOME_LABELS,
    RISK_LABELS,
    RULE_LABELS,
    category_label,
    department_label,
    object_label,
    reason_label,
)
from backoffice.services.supervision.reach import offices_in_reach
from backoffice.services.supervision.sources import type_label
from backoffice.storage.access import storage
from backoffice.web import params as web_params
from backoffice.web.actions import perform
from backoffice.web.catalogue import gettext as _
from backoffice.web.htmx import render, see_other
from backoffice.web.navigation import register_section
from backoffice.web.permissions import allow

bp = Blueprint("supervision", __name__, url_prefix="/supervision")
supervisors = allow(Role.supervisor)
register_section("supervision.review", "supervision.samples")  # /supervision/review/… is part of the samples
# everyone who has figures: their own (officers), their subject (department heads), their subtree (supervisors)
figures = allow(Role.supervisor, Role.department_head, Role.reception_officer, Role.department_officer)
DEFAULT_DAYS = 30


def _period(form):
    """The form's period, defaulting to the last 30 days (Vietnam dates); a reversed one is put right."""
    date_to = form.date_to.data or today()
    date_from = form.date_from.data or date_to - timedelta(days=DEFAULT_DAYS - 1)
    return (date_to, date_from) if date_from > date_to else (date_from, date_to)


def _filters(form, **extra):
    """ListFilters from a (validated) list filter form."""
    date_from, date_to = _period(form)
    values = {name: getattr(form, name).data or "" for name in ("outcome", "officer", "action", "object_type",
                                                                "reference", "case_type", "department", "reason",
                                                                "category") if hasattr(form, name)}
    values.update({name: getattr(form, name).data == "1" for name in ("failing", "triage", "office_only")
                   if hasattr(form, name)})
    return ListFilters(date_from=date_from, date_to=date_to, office_id=form.office.data or None, **values, **extra)


# The filters a dashboard number's link sets: a value the list does not offer is a 400 that names the filter (a link
# edited by hand), never a list quietly showing something else than the number counted.
CHOICE_FILTERS = ("outcome", "case_type", "department", "failing", "category", "triage", "bucket", "deadline",
                  "reason", "office_only", "disagreed")


def _refuse_bad_choices(form):
    for name in CHOICE_FILTERS:
        field = getattr(form, name, None)
        if field is not None and field.errors:
            raise web_params.BadParameter(_("Bộ lọc “%(label)s” không nhận giá trị này.", label=field.label.text))


def _office_choices(chosen=None):
    return [("", _("Toàn bộ phạm vi"))] + [(str(i), name) for i, name in offices_in_reach(current_user, chosen)]


def _after():
    """The id cursor of a list's next page (ids are bigint); a damaged or forged one is a 400, never a database
    error."""
    return web_params.query_int("after", high=2**63 - 1)


def _chart(kind, labels, *series, stacked=False):
    """The JSON a static script turns into a Chart.js chart (data- attribute: the CSP forbids inline script)."""
    return {"type": kind, "labels": [str(label) for label in labels], "stacked": stacked,
            "series": [{"label": str(label), "data": data} for label, data in series]}


def _minutes(value):
    return round(value) if value is not None else None


@bp.route("/")
@figures
def dashboard():
    """Throughput, backlog, rates, reasons, time to decision and re-review disagreement for a period."""
    form = PeriodForm(request.args)
    form.validate()
    form.office.choices = _office_choices(form.office.data)
    date_from, date_to = _period(form)
    figures_ = rollups.dashboard(current_user, date_from, date_to, form.office.data or None)
    names = flags.officer_names([officer_id for officer_id, _n, _k in figures_["review"]])
    review = [(names.get(officer_id, officer_id), n, k, *sampling.wilson(k, n), officer_id) for officer_id, n, k
              in figures_["review"]]
    charts = {
        "throughput": _chart("line", [d.key.strftime("%m/%Y" if d.until else "%d/%m") for d in figures_["per_day"]],
                             (_("Tiếp nhận"), [d.received for d in figures_["per_day"]]),
                             (_("Đã quyết định"), [d.decided for d in figures_["per_day"]])),
        "backlog": _chart("bar", [name for name, _n in figures_["backlog"]],
                          (_("Hồ sơ đang mở"), [n for _name, n in figures_["backlog"]])),
        "rates": _chart("bar", [figures_["office_names"].get(o.key, o.key) for o in figures_["per_office"]],
                        (_("Phê duyệt"), [o.approved for o in figures_["per_office"]]),
                        (_("Từ chối"), [o.rejected for o in figures_["per_office"]]), stacked=True),
        "reasons": _chart("bar", [reason_label(code) for code, _n in figures_["reasons"]],
                          (_("Số lần từ chối"), [n for _code, n in figures_["reasons"]])),
        "ttd": _chart("bar", [figures_["office_names"].get(o.key, o.key) for o in figures_["per_office"]],
                      (_("Trung vị (phút)"), [_minutes(o.median) for o in figures_["per_office"]]),
                      (_("P90 (phút)"), [_minutes(o.p90) for o in figures_["per_office"]])),
        "complaints": _chart("bar", [category_label(c.key) for c in figures_["categories"]],
                             (_("Chuyển đến phòng ban"), [c.received - c.triaged for c in figures_["categories"]]),
                             (_("Chuyển phân loại thủ công"), [c.triaged for c in figures_["categories"]]),
                             stacked=True),
        "review": _chart("bar", [str(row[0]) for row in review],
                         (_("Tỉ lệ bất đồng (phần trăm)"), [round(100 * row[2] / row[1], 1) if row[1] else 0
                                                    for row in review])),
    }
    return render("supervision/dashboard.html", form=form, f=figures_, charts=charts, review=review,
                  date_from=date_from, date_to=date_to, minutes=_minutes, chosen_office=form.office.data or "",
                  office_id=figures_["root"] or "",  # the links' office: the subtree the figures are of
                  decisions_url=url_for("supervision.decisions"), received_url=url_for("supervision.received"),
                  sources=supervision.SOURCES, reason_label=reason_label, department_label=department_label,
                  category_label=category_label, any_category=exports.ANY_CATEGORY,
                  samples_url=url_for("supervision.samples") if current_user.role == Role.supervisor else None)


def _entry_list(kind, form_class, page):
    """A list of audit entries behind the dashboard's numbers (decisions, cases received), filtered from the query
    string, newest first in keyset pages, with its export."""
    form = form_class(request.args)
    form.validate()
    _refuse_bad_choices(form)
    form.office.choices = _office_choices(form.office.data)
    filters = _filters(form)
    rows = page(current_user, filters, _after(), exports.PAGE_SIZE + 1)
    more = rows[exports.PAGE_SIZE - 1][0] if len(rows) > exports.PAGE_SIZE else None
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render(f"supervision/{kind}.html", f"supervision/_{kind.rstrip('s')}_rows.html", form=form,
                  rows=rows[:exports.PAGE_SIZE], headers=exports.headers(kind),
                  next_url=url_for(request.endpoint, **args, after=more) if more else None,
                  export_kind=kind, export_filters=filters.to_json(),
                  can_open_cases=current_user.role == Role.supervisor)


@bp.route("/decisions")
@figures
def decisions():
    """The decisions behind the dashboard's numbers, filtered, newest first (keyset pages)."""
    return _entry_list("decisions", DecisionFilterForm, exports.decision_page)


@bp.route("/received")
@figures
def received():
    """The cases received behind the dashboard's numbers (complaints by category and triage), newest first."""
    return _entry_list("received", ReceivedFilterForm, exports.received_page)


@bp.route("/reviewed")
@figures
def reviewed():
    """The re-reviewed cases behind a disagreement rate on the dashboard: the first verdict on each, for a deciding
    officer, the disagreements only if asked."""
    form = ReviewedForm(request.args)
    form.validate()
    _refuse_bad_choices(form)
    date_from, date_to = _period(form)
    rows = rollups.reviewed(current_user, date_from, date_to, form.officer.data, form.disagreed.data == "1")
    names = flags.officer_names([i.officer_id for i, _v in rows] + [v.reviewer_id for _i, v in rows])
    references = {}
    for case_type in {item.case_type for item, _v in rows}:
        references[case_type] = supervision.SOURCES[case_type].references(
            [item.case_id for item, _v in rows if item.case_type == case_type])
    return render("supervision/reviewed.html", rows=rows, names=names, references=references, date_from=date_from,
                  date_to=date_to, decider=names.get(form.officer.data) if form.officer.data else None,
                  disagreed=form.disagreed.data == "1", outcome_labels=OUTCOME_LABELS, type_label=type_label,
                  limit=rollups.REVIEWED_LIMIT, can_open_samples=current_user.role == Role.supervisor)


@bp.route("/open-cases")
@figures
def open_cases():
    """The open cases behind a backlog or deadline number on the dashboard: its age bucket or deadline status (the
    SLA badge), case type and department, in the subtree."""
    form = OpenCasesForm(request.args)
    form.validate()
    _refuse_bad_choices(form)
    values = {name: getattr(form, name).data or "" for name in ("bucket", "deadline", "case_type", "department")}
    outcome = perform(rollups.open_cases, current_user, values["bucket"], values["case_type"], form.office.data or None,
                      deadline=values["deadline"], department=values["department"])  # 400 below when refused
    rows = outcome.result or []
    shown = values if outcome.ok else dict.fromkeys(values, "")
    export = {**shown, "office_id": form.office.data or ""} if outcome.ok and rows else None
    return render("supervision/open_cases.html", rows=rows, **shown, export_filters=export,
                  type_label=type_label, limit=rollups.OPEN_CASES_LIMIT, due_labels=DUE_LABELS,
                  department_label=department_label, office_names=rollups.office_names({row[3] for row in rows}),
                  can_open_cases=current_user.role == Role.supervisor, status=200 if outcome.ok else 400)


# ---- blind re-review -------------------------------------------------------------------------------------------

@bp.route("/samples", methods=["GET", "POST"])
@supervisors
def samples():
    """The samples of the subtree, and the draw."""
    form = DrawForm()
    if form.validate_on_submit():
        outcome = perform(sampling.draw, current_user, form.period_from.data, form.period_to.data,
                          form.method.data, (form.precision.data or 10) / 100, (form.confidence.data or 90) / 100,
                          form.fixed_count.data, form.seed.data or None, bool(form.calibration.data), form=form,
                          done=_("Đã chọn mẫu kiểm tra lại."))
        if outcome.ok:
            return see_other(url_for("supervision.sample", sample_id=outcome.result.id))
    elif request.method == "GET":
        form.period_to.data = today() - timedelta(days=1)
        form.period_from.data = form.period_to.data - timedelta(days=DEFAULT_DAYS - 1)
    status = 422 if form.errors else 200
    return render("supervision/samples.html", form=form, samples=sampling.samples(current_user), status=status)


@bp.route("/samples/<int:sample_id>")
@supervisors
def sample(sample_id):
    """A sample: its strata, what is left to re-review, the disagreement rates, the disagreements, calibration."""
    found = _get(sampling.get_sample, sample_id)
    results = sampling.results(found)
    names = flags.officer_names([i.officer_id for i in found.items] +
                                [v.reviewer_id for i in found.items for v in i.verdicts])
    return render("supervision/sample.html", s=found, results=results,
                  to_review=sampling.to_review(current_user, found), calibration=sampling.calibration(found),
                  names=names, risk_labels=RISK_LABELS,
                  outcome_labels=OUTCOME_LABELS, follow_up_labels=FOLLOW_UP_LABELS, follow_up=FollowUpForm(),
                  export_kind="review", export_filters=ListFilters(sample_id=found.id).to_json(),
                  stratum_label=_stratum_label(names),
                  follow_ups=corrections.follow_ups(current_user, results["disagreements"]),
                  sources=supervision.SOURCES)


def _stratum_label(names):
    def label(stratum):
        officer_id, case_type, risk = stratum.split("|")
        return f"{names.get(int(officer_id), officer_id)} · {type_label(case_type)} · {RISK_LABELS.get(risk, risk)}"
    return label


def _get(call, *args):
    outcome = perform(call, current_user, *args)  # NotFound aborts 404; nothing to commit on a read
    return outcome.result


@bp.route("/review/<int:item_id>", methods=["GET", "POST"])
@supervisors
def review(item_id):
    """Re-review one drawn case blind: the case as the officer saw it, without their decision, name or reasons."""
    form = VerdictForm()
    if form.validate_on_submit():
        outcome = perform(sampling.record_verdict, current_user, item_id, form.outcome.data, form.reason.data,
                          form=form, done=_("Đã ghi kết luận kiểm tra lại."))
        if outcome.ok:
            item = outcome.result.item
            remaining = sampling.to_review(current_user, item.sample)
            target = url_for("supervision.review", item_id=remaining[0].id) if remaining else \
                url_for("supervision.sample", sample_id=item.sample_id)
            return see_other(target)
    outcome = perform(sampling.blind_case, current_user, item_id)  # audited as a view of the citizen's case
    if not outcome.ok:
        return see_other(url_for("supervision.samples"))
    item, source, case = outcome.result
    form.outcome.choices = [(value, str(label)) for value, label in source.outcome_choices()]  # the type's words
    position = [i.id for i in item.sample.items].index(item.id) + 1
    status = 422 if form.errors else 200
    return render("supervision/review.html", form=form, item=item, case=case, source=source, position=position,
                  total=len(item.sample.items), status=status)


@bp.route("/verdicts/<int:verdict_id>/follow-up", methods=["POST"])
@supervisors
def follow_up(verdict_id):
    """Confirm the original decision, or send it for correction through the normal workflow (audited)."""
    form = FollowUpForm()
    outcome = perform(corrections.settle, current_user, verdict_id, form.action.data, form.note.data or "",
                      form.officer_id.data, done=_("Đã ghi xử lý bất đồng.")) if form.validate_on_submit() else None
    if outcome is None:
        flash(_("Hãy chọn cách xử lý và ghi căn cứ."), "error")
        return see_other(request.referrer or url_for("supervision.samples"))
    sample_id = outcome.result.item.sample_id if outcome.ok else None
    return see_other(url_for("supervision.sample", sample_id=sample_id) if sample_id else
                     request.referrer or url_for("supervision.samples"))


# ---- anomaly flags ---------------------------------------------------------------------------------------------

@bp.route("/flags")
@supervisors
def flag_list():
    """Anomaly flags of the subtree, with their cases; newest first (keyset pages)."""
    form = FlagFilterForm(request.args)
    form.validate()
    status = form.status.data if "status" in request.args else "open"
    filters = ListFilters(status=status or "", rule=form.rule.data or "")
    found = flags.flags_page(current_user, filters.status, filters.rule, _after(), exports.PAGE_SIZE + 1)
    more = found[exports.PAGE_SIZE - 1].id if len(found) > exports.PAGE_SIZE else None
    shown = found[:exports.PAGE_SIZE]
    names = flags.officer_names([f.officer_id for f in shown if f.officer_id] +
                                [f.details["checker_id"] for f in shown if (f.details or {}).get("checker_id")])
    references = {}
    for case_type, source in supervision.SOURCES.items():
        references[case_type] = source.references([c.case_id for f in shown for c in f.cases
                                                   if c.case_type == case_type])
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render("supervision/flags.html", "supervision/_flag_rows.html", form=form, flags=shown, names=names,
                  references=references, sources=supervision.SOURCES, rule_labels=RULE_LABELS,
                  detail_labels=FLAG_DETAIL_LABELS, value_labels=FLAG_VALUE_LABELS,
                  status_labels=FLAG_STATUS_LABELS, resolve=ResolveForm(),
                  next_url=url_for("supervision.flag_list", **args, after=more) if more else None,
                  export_kind="flags", export_filters=filters.to_json())


@bp.route("/flags/<int:flag_id>", methods=["POST"])
@supervisors
def resolve_flag(flag_id):
    """Mark a flag explained (with a note) or escalated (audited)."""
    form = ResolveForm()
    if form.validate_on_submit():
        perform(flags.resolve, current_user, flag_id, form.status.data, form.note.data or "",
                done=_("Đã ghi xử lý cảnh báo."))
    else:
        flash(_("Biểu mẫu không hợp lệ; hãy tải lại trang."), "error")
    return see_other(url_for("supervision.flag_list"))


# ---- who saw this citizen --------------------------------------------------------------------------------------

@bp.route("/access", methods=["GET", "POST"])
@supervisors
def access():
    """Who saw this citizen: every officer who read their data or photos (a POST: the number stays out of URLs)."""
    form = AccessForm()
    report = None
    if form.validate_on_submit():
        outcome = perform(access_report.who_saw, current_user, form.term.data, form=form)
        report = outcome.result
    status = 422 if form.errors else 200
    return render("supervision/access.html", form=form, report=report, export=AccessExportForm(term=form.term.data),
                  status=status, action_label=auditlog.action_label)


@bp.route("/access/export", methods=["POST"])
@supervisors
def access_export():
    """The report as a signed PDF or as CSV (each export audited with the file's SHA-256)."""
    form = AccessExportForm()
    if not form.validate_on_submit():
        flash(_("Hãy nhập mã số BHXH hoặc số giấy tờ."), "error")
        return see_other(url_for("supervision.access"))
    try:
        report = access_report.who_saw(current_user, form.term.data)
        if form.file_format.data == "pdf":
            content = access_report.pdf(current_user, report, current_app.config["SECRET_KEY"])
            mimetype, extension = "application/pdf", "pdf"
        else:
            content = access_report.csv_bytes(current_user, report)
            mimetype, extension = "text/csv; charset=utf-8", "csv"
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return see_other(url_for("supervision.access"))
    db.session.commit()
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="ai-da-xem-{report.digest[:8]}.{extension}"'})


# ---- the audit log ---------------------------------------------------------------------------------------------

@bp.route("/audit")
@supervisors
def audit_log():
    """The audit log of the subtree in words, filtered, newest first (keyset pages), with the chain's last check."""
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("Tất cả"))] + auditlog.action_choices()
    form.validate()
    form.office.choices = _office_choices(form.office.data)
    filters = _filters(form) if any(request.args.get(k) for k in ("date_from", "date_to")) else \
        ListFilters(office_id=form.office.data or None, officer=form.officer.data or "", action=form.action.data or "",
                    object_type=form.object_type.data or "", reference=form.reference.data or "")
    entries = auditlog.page(current_user, filters, _after(), auditlog.PAGE_SIZE + 1)
    more = entries[auditlog.PAGE_SIZE - 1].id if len(entries) > auditlog.PAGE_SIZE else None
    entries = entries[:auditlog.PAGE_SIZE]
    checked, anchor = auditlog.chain_status()
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render("supervision/audit.html", "supervision/_audit_rows.html", form=form, object_label=object_label,
                  rows=[(entry, *auditlog.in_words(entry)) for entry in entries], checked=checked, anchor=anchor,
                  names=auditlog.actor_names(entries),
                  next_url=url_for("supervision.audit_log", **args, after=more) if more else None,
                  export_kind="audit", export_filters=filters.to_json())


@bp.route("/audit/verify", methods=["POST"])
@supervisors
def audit_verify():
    """Check the chain now, in a job (a long log takes a while); the page shows the result when it is done."""
    perform(auditlog.request_verify, current_user, done=_("Đã yêu cầu kiểm tra chuỗi nhật ký; kết quả hiện khi xong."))
    return see_other(url_for("supervision.audit_log"))


# ---- exports ---------------------------------------------------------------------------------------------------

def _posted_filters():
    values = {}
    for name in ("outcome", "officer", "action", "object_type", "reference", "status", "rule", "case_type",
                 "department", "reason", "category", "case_kind", "state", "bucket", "deadline"):
        values[name] = request.form.get(name, "")[:64]
    assignee = request.form.get("assignee", "")  # a queue's: an officer's id or "none"
    values["assignee"] = assignee if assignee == "none" else str(web_params.id_or_none(assignee) or "")
    for name in ("failing", "triage", "office_only"):
        values[name] = request.form.get(name, "") in ("True", "1")
    for name in ("date_from", "date_to", "due_by"):
        values[name] = web_params.day_or_none(request.form.get(name, ""))  # outside the service's days: none
    for name in ("office_id", "sample_id"):
        values[name] = web_params.id_or_none(request.form.get(name, ""))
    return ListFilters(**values)


@bp.route("/export", methods=["POST"])
@figures
def export():
    """A filtered list as CSV (streamed, with a BOM) or XLSX; over 100,000 rows as a job with progress."""
    form = ExportForm()
    back = request.referrer or url_for("supervision.dashboard")
    if not form.validate_on_submit():
        flash(_("Yêu cầu xuất không hợp lệ; hãy tải lại trang."), "error")
        return see_other(back)
    kind, file_format, filters = form.kind.data, form.file_format.data, _posted_filters()
    if kind not in ("decisions", "received", "open") and current_user.role != Role.supervisor:
        flash(_("Bạn chỉ xuất được danh sách quyết định trong phạm vi của mình."), "error")
        return see_other(back)
    outcome = perform(_prepare_export, kind, file_format, filters, bool(form.full.data), form.reason.data or "")
    if not outcome.ok:
        return see_other(back)
    full, job = outcome.result
    if job is not None:
        return see_other(url_for("supervision.export_job", job_id=job.id))
    name = f"{kind}-{today().isoformat()}.{file_format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if file_format == "xlsx":
        return Response(exports.xlsx_bytes(kind, current_user, filters, full), headers=disposition,
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(stream_with_context(exports.csv_stream(kind, current_user.id, filters, full)), headers=disposition,
                    mimetype="text/csv; charset=utf-8")


def _prepare_export(kind, file_format, filters, full, reason):
    """Check the full-values request (audited), then stream now or queue a job for a large list."""
    full = exports.check_full_values(current_user, kind, full, reason)
    expected = exports.estimate(kind, current_user, filters)
    if expected > exports.JOB_THRESHOLD:
        return full, exports.start_job(current_user, kind, file_format, filters, full, expected)
    return full, None


@bp.route("/exports/<int:job_id>")
@figures
def export_job(job_id):
    """A large export's progress (polled by htmx while it runs), then its download link."""
    job = _get(exports.get_job, job_id)
    return render("supervision/export_job.html", "supervision/_export_progress.html", job=job)


@bp.route("/exports/<int:job_id>/file")
@figures
def export_file(job_id):
    """The finished file of a large export (only for the officer who asked for it)."""
    job = _get(exports.get_job, job_id)
    if job.status != "ready":
        return see_other(url_for("supervision.export_job", job_id=job.id))
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if job.file_format == "xlsx"
                else "text/csv; charset=utf-8")
    return Response(storage().get(job.storage_key), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{job.kind}-{job.id}.{job.file_format}"'})
