"""The citizen-field rules every domain uses, one rule each: mobile phone, mã số BHXH, ID numbers, age.

Numbers are checked with ASCII digits only (`[0-9]`, never `\\d`, which also takes fullwidth and Arabic-Indic
digits and would let one number be stored in two spellings).
"""
import re

import phonenumbers

from backoffice.idcard.idnumber import ID9, ID12

SOCIAL_INSURANCE_NUMBER = re.compile(r"^[0-9]{10}$")  # mã số BHXH: 10 digits, also the VssID login
PASSPORT = re.compile(r"^[A-Z][0-9]{7}$")  # Vietnamese passports: one letter, seven digits
CCCD = ID12  # 12-digit citizen ID (chip or barcode card, thẻ căn cước)
CMND = ID9  # 9-digit old ID card
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def mobile_phone(value):
    """A Vietnamese mobile number in national form (0912345678), or None when `value` is not one.

    Accepts the ways people type it (spaces, dots, +84); SMS needs a mobile, so fixed lines are refused.
    """
    try:
        parsed = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException:
        return None
    if (parsed.country_code != 84 or not phonenumbers.is_valid_number(parsed)
            or phonenumbers.number_type(parsed) not in _MOBILE_TYPES):
        return None
    return "0" + phonenumbers.national_significant_number(parsed)


def is_social_insurance_number(value):
    """True for a well-formed mã số BHXH (10 ASCII digits)."""
    return bool(SOCIAL_INSURANCE_NUMBER.match(value))


def age(born, today):
    """Whole years from `born` to `today` (a birthday counts on its day)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
