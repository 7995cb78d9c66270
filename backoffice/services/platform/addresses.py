"""A contact address as people read it: street, ward, province (the current 2-level list)."""
from functools import lru_cache

from vietnam_provinces import Province, ProvinceCode, Ward


@lru_cache(maxsize=4096)
def _names(province_code, ward_code):
    """The ward's and the province's official names ("" for a code the current list does not have)."""
    try:
        province = Province.from_code(ProvinceCode(int(province_code))).name if province_code else ""
    except ValueError:
        province = ""
    try:
        ward = Ward.from_code(int(ward_code)).name if ward_code else ""
    except ValueError:
        ward = ""
    return ward, province


def full_address(street, ward_code, province_code):
    """"Số 7 Tràng Thi, Phường Hoàn Kiếm, Thành phố Hà Nội": the ward and province by name ("" when all are empty)."""
    ward, province = _names(province_code, ward_code)
    return ", ".join(part for part in ((street or "").strip(), ward, province) if part)


def contact_address(declaration):
    """"Số 7 Tràng Thi, Phường Hoàn Kiếm, Thành phố Hà Nội", or "" when nothing was declared."""
    return full_address(declaration.street, declaration.ward_code, declaration.province_code)
