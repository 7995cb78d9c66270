"""Administration: officers, offices and departments, the business calendar. No citizen data here.

Who may manage what is decided by the services (services/admin_scope.py): an admin's own subtree, national objects
for national admins. Here a NotFound answers 404 and a Forbidden 403, each refusal audited.
"""

from flask import Blueprint, flash, request, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.admin import CalendarDayForm, DepartmentForm, OfficeForm, OfficerForm
from backoffice.forms.base import options
from backoffice.models import Role
from backoffice.services.platform import admin_scope, calendar, officers, offices
from backoffice.services.platform.admin_scope import Refused
from backoffice.services.platform.labels import DEPARTMENT_LABELS, OFFICE_LEVEL_LABELS
from backoffice.web import params as web_params
from backoffice.web.actions import perform
from backoffice.web.catalogue import gettext as _
from backoffice.web.htmx import is_htmx, render, see_other
from backoffice.web.paging import page
from backoffice.web.permissions import allow
from backoffice.web.refusals import answer_refusals, audit_if_refused, record_refusal

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = allow(Role.admin)
PAGE_SIZE = 50
answer_refusals(bp)


def _office_choices(form_field, with_none=False, keep=None):
    """The offices the admin manages, plus `keep` (an office's current parent, shown even when outside)."""
    managed = admin_scope.managed_offices(current_user)
    if keep is not None and keep not in managed:
        managed = [keep, *managed]
    form_field.choices = options(([(0, _("— Không có —"))] if with_none else []) + [
        (o.id, f"{o.code} {o.name}") for o in managed
    ])
    form_field.validate_choice = False  # the service decides, and audits a choice outside the admin's scope


def _apply(form, call):
    """Run a service call for a validated form: its result, or None with the error on the form (Refused audited)."""
    return perform(call, form=form, on_error=audit_if_refused).result


@bp.route("/officers")
@admin_only
def officers_list():
    """Officers, 50 a page (keyset on id), optionally filtered by office."""
    office_id = web_params.query_int("office_id")
    after = web_params.query_int("after", 0)
    listing = page(officers.listing(current_user, office_id, after, PAGE_SIZE + 1), PAGE_SIZE)
    return render("admin/officers.html", "admin/_officer_rows.html", officers=listing.rows,
                  next_after=listing.next_cursor,
                  office_id=office_id, offices=admin_scope.managed_offices(current_user))


@bp.route("/officers/new", methods=["GET", "POST"])
@admin_only
def officers_new():
    """Create an officer; the temporary password is shown once, on this response only."""
    form = OfficerForm()
    _office_choices(form.office_id)
    _department_choices(form.department_code)
    if form.validate_on_submit():
        created = _apply(form, lambda: officers.create(
            current_user, username=form.username.data, full_name=form.full_name.data, email=form.email.data or "",
            role=form.role.data, office_id=form.office_id.data, department_code=form.department_code.data or None))
        if created:
            officer, temporary = created
            return render("admin/temporary_password.html", officer=officer, temporary=temporary)
    return render("admin/officer_form.html", form=form, officer=None)


def _department_choices(form_field):
    """Departments in words (the code stays the submitted value)."""
    form_field.choices = options([("", _("— Không —"))] + [(code.value, f"{label} ({code.value})")
                                                          for code, label in DEPARTMENT_LABELS.items()])


@bp.route("/officers/<int:officer_id>", methods=["GET", "POST"])
@admin_only
def officers_edit(officer_id):
    """Change an officer's name, role or placement (one's own: name and contact only)."""
    officer = officers.get_managed(current_user, officer_id)
    form = OfficerForm(obj=officer, username=officer.username,
                       department_code=officer.department.code.value if officer.department else "")
    _office_choices(form.office_id, keep=officer.office)
    _department_choices(form.department_code)
    form.username.render_kw = {"readonly": True}
    if officer.id == current_user.id:  # not offered: the service refuses a change of one's own placement
        for name in ("role", "office_id", "department_code"):
            form[name].render_kw = {"disabled": True}
    if form.validate_on_submit():
        updated = _apply(form, lambda: officers.update(
            current_user, officer_id, full_name=form.full_name.data, email=form.email.data or "",
            role=form.role.data, office_id=form.office_id.data, department_code=form.department_code.data or None))
        if updated:
            flash(_("Đã lưu thông tin cán bộ %(name)s.", name=updated.full_name), "success")
            return see_other(url_for("admin.officers_list"))
    return render("admin/officer_form.html", form=form, officer=officer)


@bp.route("/officers/<int:officer_id>/active", methods=["POST"])
@admin_only
def officers_set_active(officer_id):
    """Deactivate (ends their sessions at once) or reactivate an officer."""
    active = request.form.get("active") == "1"
    try:
        officer = officers.set_active(current_user, officer_id, active)
    except Refused as error:  # oneself: audited; NotFound goes on to the 404
        record_refusal(error)
        flash(error.message, "error")
        officer = officers.get_managed(current_user, officer_id)
    else:
        db.session.commit()
        flash(_("Đã mở khoá %(name)s.", name=officer.full_name) if active
              else _("Đã khoá %(name)s; mọi phiên đăng nhập của họ đã kết thúc.", name=officer.full_name), "success")
    if not is_htmx():
        return see_other(url_for("admin.officers_list"))
    return render("admin/officers.html", "admin/_officer_row.html", officer=officer)


@bp.route("/officers/<int:officer_id>/password", methods=["POST"])
@admin_only
def officers_reset_password(officer_id):
    """Set a new temporary password, shown once; the officer must change it at login."""
    officer, temporary = officers.reset_password(current_user, officer_id)
    db.session.commit()
    return render("admin/temporary_password.html", officer=officer, temporary=temporary)


@bp.route("/offices")
@admin_only
def offices_list():
    """The offices the admin manages, as a tree."""
    return render("admin/offices.html", offices=admin_scope.managed_offices(current_user),
                  may_create=bool(offices.creatable_levels(current_user)), level_labels=OFFICE_LEVEL_LABELS)


@bp.route("/offices/new", methods=["GET", "POST"])
@admin_only
def offices_new():
    """Create an office (with its five departments), at a level below the admin's own unless national."""
    form = OfficeForm()
    _office_choices(form.parent_id, with_none=admin_scope.is_national(current_user))
    levels = offices.creatable_levels(current_user)
    _level_choices(form.level, levels)
    if form.validate_on_submit():
        office = _apply(form, lambda: offices.create(current_user, **_office_values(form), code=form.code.data))
        if office:
            flash(_("Đã tạo cơ quan %(office)s.", office=str(office)), "success")
            return see_other(url_for("admin.offices_edit", office_id=office.id))
    return render("admin/office_form.html", form=form, office=None, may_create=bool(levels))


def _level_choices(form_field, levels):
    form_field.choices = options((level.value, OFFICE_LEVEL_LABELS[level]) for level in levels)
    form_field.validate_choice = False  # the service decides, and answers a level above the admin's with 403


def _office_values(form):
    return dict(name=form.name.data, level=form.level.data, parent_id=form.parent_id.data or None,
                address=form.address.data or "", phone=form.phone.data or "", email=form.email.data or "")


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@admin_only
def offices_edit(office_id):
    """Change an office's details; move it or change its level (national admins); rename its departments."""
    office = offices.get_managed(current_user, office_id)
    form = OfficeForm(obj=office, parent_id=office.parent_id or 0)
    national = admin_scope.is_national(current_user)
    _office_choices(form.parent_id, with_none=national, keep=office.parent)
    _level_choices(form.level, offices.creatable_levels(current_user) if national else (office.level,))
    form.code.render_kw = {"readonly": True}
    if not national:  # not offered: the service answers a move by others with 403
        form.parent_id.render_kw = form.level.render_kw = {"disabled": True}
    if form.validate_on_submit():
        if _apply(form, lambda: offices.update(current_user, office_id, **_office_values(form))):
            flash(_("Đã lưu cơ quan %(office)s.", office=str(office)), "success")
            return see_other(url_for("admin.offices_edit", office_id=office_id))
    return render("admin/office_form.html", form=form, office=office, may_move=national,
                  department_forms=[(d, DepartmentForm(obj=d, prefix=f"d{d.id}")) for d in office.departments],
                  department_labels=DEPARTMENT_LABELS)


@bp.route("/departments/<int:department_id>", methods=["POST"])
@admin_only
def departments_rename(department_id):
    """Rename a department (its code never changes)."""
    form = DepartmentForm(prefix=f"d{department_id}")
    name = form.name.data if form.validate_on_submit() else ""
    outcome = perform(offices.rename_department, current_user, department_id, name, done=_("Đã đổi tên phòng ban."))
    if not outcome.ok:
        return see_other(request.referrer or url_for("admin.offices_list"))
    return see_other(url_for("admin.offices_edit", office_id=outcome.result.office_id))


@bp.route("/calendar", methods=["GET", "POST"])
@admin_only
def calendar_year():
    """One year of holidays and make-up working days; add or change a day."""
    year = web_params.query_year("year", calendar.today().year)
    form = CalendarDayForm()
    if form.validate_on_submit():
        if _apply(form, lambda: calendar.set_day(current_user, form.day.data, form.is_working.data, form.name.data)):
            flash(_("Đã lưu ngày %(day)s.", day=form.day.data.strftime("%d/%m/%Y")), "success")
            return see_other(url_for("admin.calendar_year", year=form.day.data.year))
    calendar.load_year(year)
    db.session.commit()
    return render("admin/calendar.html", form=form, year=year, days=calendar.year_days(year))


@bp.route("/calendar/<day>/clear", methods=["POST"])
@admin_only
def calendar_clear(day):
    """Return a day to the Monday-to-Friday rule."""
    parsed = web_params.parse_date(day)
    calendar.clear_day(current_user, parsed)
    db.session.commit()
    flash(_("Đã bỏ ngày %(day)s khỏi lịch.", day=parsed.strftime("%d/%m/%Y")), "success")
    return see_other(url_for("admin.calendar_year", year=parsed.year))
