"""Labels shared by every domain, in Vietnamese (translated when shown)."""
from backoffice.models.declaration import Channel
from backoffice.web.catalogue import lazy_gettext as _l

CHANNEL_LABELS = {Channel.vssid_app: _l("Ứng dụng VssID"), Channel.portal: _l("Cổng dịch vụ công")}
