"""Admin screens for the intake API's channel keys: list, create (the key is shown once), revoke."""
from flask import Blueprint, flash, url_for
from flask_login import current_user

from backoffice.extensions import db
from backoffice.forms.api_keys import ApiKeyForm
from backoffice.models import ApiKey, Role
from backoffice.services.platform import api_keys
from backoffice.services.platform.labels import CHANNEL_LABELS
from backoffice.web.catalogue import gettext as _
from backoffice.web.htmx import render, see_other
from backoffice.web.permissions import allow
from backoffice.web.refusals import answer_refusals

bp = Blueprint("api_keys", __name__, url_prefix="/admin/api-keys")
admin_only = allow(Role.admin)
answer_refusals(bp)  # a key belongs to the whole country: others than national admins get an audited 403


def _listing(form, status=200):
    return render("api_keys/index.html", status=status, form=form, keys=api_keys.listing(),
                  channel_labels=CHANNEL_LABELS, display=api_keys.display,
                  may_manage=api_keys.manageable_by(current_user))


@bp.get("")
@admin_only
def index():
    """Every channel key, active and revoked, with the form to create one (national admins)."""
    return _listing(ApiKeyForm())


@bp.post("")
@admin_only
def create():
    """Create a key (national admins); it is shown on this response only and never again."""
    form = ApiKeyForm()
    if not form.validate_on_submit():
        return _listing(form, status=400)
    record, key = api_keys.create(form.channel.data, actor=current_user)
    db.session.commit()
    return render("api_keys/created.html", record=record, key=key, channel_labels=CHANNEL_LABELS)


@bp.post("/<int:key_id>/revoke")
@admin_only
def revoke(key_id):
    """Revoke a key (national admins); requests with it are refused from now on."""
    record = api_keys.revoke(db.get_or_404(ApiKey, key_id).prefix, actor=current_user)
    db.session.commit()
    flash(_("Đã thu hồi khoá %(key)s.", key=api_keys.display(record)), "success")
    return see_other(url_for("api_keys.index"))
