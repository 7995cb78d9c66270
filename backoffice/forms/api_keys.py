"""The admin form that creates a channel API key."""
from wtforms import SelectField

from backoffice.catalogue import lazy_gettext as _l
from backoffice.forms.base import Form, options

CHANNEL_LABELS = {"vssid_app": _l("Ứng dụng VssID"), "portal": _l("Cổng dịch vụ công")}


class ApiKeyForm(Form):
    """Which channel the new key is for."""

    channel = SelectField(_l("Kênh"), choices=options(CHANNEL_LABELS.items()))
