"""Labels shared by every domain, in Vietnamese (translated when shown)."""
from backoffice.models.declaration import Channel
from backoffice.web.catalogue import lazy_gettext as _l

CHANNEL_LABELS = {Channel.vssid_app: _l("Ứng dụng VssID"), Channel.portal: _l("Cổng dịch vụ công")}

# Office levels and department codes in words (admin pages, menus); the codes stay the stable identifiers.
from backoffice.models.office import DepartmentCode, OfficeLevel  # noqa: E402

OFFICE_LEVEL_LABELS = {OfficeLevel.national: _l("Trung ương"), OfficeLevel.provincial: _l("Tỉnh, thành phố"),
                       OfficeLevel.local: _l("Cơ sở (quận, huyện, khu vực)")}
DEPARTMENT_LABELS = {DepartmentCode.TIEP_NHAN: _l("Bộ phận tiếp nhận và trả kết quả"),
                     DepartmentCode.THU_SO_THE: _l("Phòng Quản lý thu – Sổ, thẻ"),
                     DepartmentCode.CS_BHXH: _l("Phòng Chế độ BHXH"),
                     DepartmentCode.CS_BHYT: _l("Phòng Giám định BHYT"),
                     DepartmentCode.CNTT: _l("Trung tâm Công nghệ thông tin")}
