"""The admin form that creates a channel API key."""
from wtforms import SelectField

from backoffice.forms.base import Form, options
from backoffice.services.platform.labels import CHANNEL_LABELS
from backoffice.web.catalogue import lazy_gettext as _l


class ApiKeyForm(Form):
    """Which channel the new key is for."""

    channel = SelectField(_l("Kênh"), choices=options((key.value, label) for key, label in CHANNEL_LABELS.items()))
