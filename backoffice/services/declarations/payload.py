"""Validation of an intake declaration: the `payload` JSON and which photos each kind needs (DESIGN.md §4.1, §5).

Every problem is collected per field, in Vietnamese and English, so an integrator fixes them all in
one round trip. Field names are the payload's keys; nested ones are dotted (`address.ward_code`);
photos are named by their multipart part (`portrait`, `id_front`, `id_back`, `birth_certificate`).
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from vietnam_provinces import ProvinceCode, Ward

from backoffice.extensions import db
from backoffice.idcard import idnumber
from backoffice.models import AccountStatus, DeclarationKind, DocumentKind, ETransactionAccount, Office
from backoffice.models.declaration import Channel
from backoffice.services.platform import calendar, citizen_fields
from backoffice.services.platform.api_intake import Message

# ASCII digits only ([0-9], never \d): a fullwidth or Arabic-Indic number would be stored as typed and escape the
# duplicate checks, which compare strings. The API spec states the same patterns.
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
OFFICE_CODE = re.compile(r"^[0-9]{5}$")
PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
WARD_CODE = re.compile(r"^[0-9]{5}$")
ID_TYPES = ("cccd", "cmnd", "passport")
SEXES = ("Nam", "Nữ")
CHILD_AGE_LIMIT = 18

PAYLOAD_KEYS = frozenset({
    "kind", "social_insurance_number", "full_name", "date_of_birth", "sex", "id_type", "id_number", "phone",
    "email", "address", "receiving_office_code", "channel", "guardian_social_insurance_number",
})
ADDRESS_KEYS = frozenset({"province_code", "ward_code", "street"})

_K, _D = DeclarationKind, DocumentKind
REQUIRED_DOCUMENTS = {
    _K.register: (_D.portrait, _D.id_front, _D.id_back),
    _K.register_child: (_D.portrait, _D.birth_certificate),
    _K.update: (_D.id_front, _D.id_back),
    _K.stop: (_D.id_front, _D.id_back),
}
OPTIONAL_DOCUMENTS = {
    _K.register: (),
    _K.register_child: (_D.id_front, _D.id_back),  # a child who already has a card may send it
    _K.update: (_D.portrait,),
    _K.stop: (_D.portrait,),
}
# A child usually has no ID card; an adult's declaration is checked against one.
ID_REQUIRED = {_K.register: True, _K.register_child: False, _K.update: True, _K.stop: True}
ADDRESS_REQUIRED = {_K.register: True, _K.register_child: True, _K.update: True, _K.stop: False}
MAX_LENGTHS = {"full_name": 200, "street": 300, "email": 200}


REQUIRED = Message("Trường này bắt buộc.", "This field is required.")
NOT_TEXT = Message("Giá trị phải là chuỗi ký tự.", "The value must be a string.")
# PostgreSQL text cannot hold NUL: refused here, as a field error, instead of failing the INSERT.
HAS_NUL = Message("Giá trị chứa ký tự NUL (\\u0000) không được phép.", "The value contains a NUL character (\\u0000).")


@dataclass
class CleanDeclaration:
    """The declared values after validation and normalisation, ready to store."""

    kind: DeclarationKind
    channel: Channel
    office_id: int
    social_insurance_number: str
    full_name: str
    date_of_birth: date
    sex: str
    phone: str
    id_type: str | None = None
    id_number: str | None = None
    email: str | None = None
    province_code: str | None = None
    ward_code: str | None = None
    street: str | None = None
    guardian_social_insurance_number: str | None = None
    documents: tuple = field(default_factory=tuple)


class InvalidPayload(Exception):
    """The declaration breaks one or more rules; `fields` maps each field to its Message."""

    def __init__(self, fields):
        super().__init__(", ".join(sorted(fields)))
        self.fields = fields


def allowed_documents(kind):
    """Every photo a declaration of this kind may carry."""
    return REQUIRED_DOCUMENTS[kind] + OPTIONAL_DOCUMENTS[kind]


class _Checker:
    """Collects problems per field while reading the payload."""

    def __init__(self, payload):
        self.payload = payload
        self.errors = {}

    def fail(self, name, message):
        self.errors.setdefault(name, message)

    def text(self, name, source=None, required=True):
        """A stripped, NFC-normalised string, or None (and a problem when required or not a string)."""
        source = self.payload if source is None else source
        value = source.get(name.rsplit(".", 1)[-1])
        if value is None or value == "":
            if required:
                self.fail(name, REQUIRED)
            return None
        if not isinstance(value, str):
            self.fail(name, NOT_TEXT)
            return None
        if "\x00" in value:
            self.fail(name, HAS_NUL)
            return None
        value = " ".join(unicodedata.normalize("NFC", value).split())
        if not value:
            if required:
                self.fail(name, REQUIRED)
            return None
        limit = MAX_LENGTHS.get(name.rsplit(".", 1)[-1])
        if limit and len(value) > limit:
            self.fail(name, Message(f"Không được dài quá {limit} ký tự.", f"At most {limit} characters."))
            return None
        return value

    def choice(self, name, choices, required=True):
        value = self.text(name, required=required)
        if value is not None and value not in choices:
            listed = ", ".join(choices)
            self.fail(name, Message(f"Giá trị không hợp lệ; chọn một trong: {listed}.",
                                    f"Invalid value; use one of: {listed}."))
            return None
        return value

    def sin(self, name):
        value = self.text(name)
        if value is not None and not citizen_fields.is_social_insurance_number(value):
            self.fail(name, Message("Mã số BHXH gồm đúng 10 chữ số.",
                                    "The social insurance number has exactly 10 digits."))
            return None
        return value


def _unknown_keys(checker, payload):
    for key in sorted(set(payload) - PAYLOAD_KEYS):
        checker.fail(key, Message("Trường không được hỗ trợ; hãy bỏ trường này.",
                                  "Unknown field; remove it."))


def _full_name(checker):
    name = checker.text("full_name")
    if name is None:
        return None
    if not all(ch.isalpha() or ch in " '-." for ch in name) or len(name) < 2:
        checker.fail("full_name", Message("Họ và tên chỉ gồm chữ cái (có dấu) và khoảng trắng.",
                                          "The full name may contain only letters and spaces."))
        return None
    return name


def _date_of_birth(checker, today):
    value = checker.text("date_of_birth")
    if value is None:
        return None
    try:
        if not ISO_DATE.match(value):
            raise ValueError(value)
        born = date.fromisoformat(value)
    except ValueError:
        checker.fail("date_of_birth", Message("Ngày sinh phải theo định dạng YYYY-MM-DD.",
                                              "The date of birth must be an ISO date, YYYY-MM-DD."))
        return None
    if born > today:
        checker.fail("date_of_birth", Message("Ngày sinh không được ở tương lai.",
                                              "The date of birth cannot be in the future."))
        return None
    if born.year < 1900:
        checker.fail("date_of_birth", Message("Ngày sinh không hợp lệ (trước năm 1900).",
                                              "The date of birth is before 1900."))
        return None
    return born


def _identity_document(checker, kind, born, sex):
    required = ID_REQUIRED[kind]
    id_type = checker.choice("id_type", ID_TYPES, required=required)
    number = checker.text("id_number", required=required or id_type is not None)
    if number is not None and id_type is None and "id_type" not in checker.errors:
        checker.fail("id_type", REQUIRED)
    if id_type is None or number is None:
        return id_type, None
    number = number.replace(" ", "").upper()
    if id_type == "cccd":
        if not citizen_fields.CCCD.match(number):
            checker.fail("id_number", Message("Số CCCD gồm đúng 12 chữ số.", "A CCCD number has exactly 12 digits."))
            return id_type, None
        problems = idnumber.structure_problems(number, born, sex)
        if problems:
            checker.fail("id_number", _cccd_problem(problems[0]))
            return id_type, None
    elif id_type == "cmnd" and not citizen_fields.CMND.match(number):
        checker.fail("id_number", Message("Số CMND gồm đúng 9 chữ số.", "A CMND number has exactly 9 digits."))
        return id_type, None
    elif id_type == "passport" and not citizen_fields.PASSPORT.match(number):
        checker.fail("id_number", Message("Số hộ chiếu gồm 1 chữ cái và 7 chữ số (ví dụ C1234567).",
                                          "A passport number is one letter and seven digits (e.g. C1234567)."))
        return id_type, None
    return id_type, number


def _cccd_problem(problem):
    if "province" in problem:
        return Message("Ba chữ số đầu của số CCCD không phải mã tỉnh nơi đăng ký khai sinh.",
                       "The first three digits of the CCCD number are not a known province code.")
    if "century" in problem:
        return Message("Chữ số thứ tư của số CCCD (thế kỷ, giới tính) không hợp lệ.",
                       "The fourth digit of the CCCD number (century and sex) is invalid.")
    if "birth year" in problem:
        return Message("Số CCCD không khớp với năm sinh đã kê khai.",
                       "The CCCD number does not match the declared year of birth.")
    return Message("Số CCCD không khớp với giới tính đã kê khai.",
                   "The CCCD number does not match the declared sex.")


def _phone(checker):
    value = checker.text("phone")
    if value is None:
        return None
    number = citizen_fields.mobile_phone(value)
    if number is None:
        checker.fail("phone", Message("Số điện thoại di động không hợp lệ (10 chữ số, ví dụ 0912345678).",
                                      "Not a valid Vietnamese mobile number (10 digits, e.g. 0912345678)."))
        return None
    return number


def _email(checker):
    value = checker.text("email", required=False)
    if value is None:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        checker.fail("email", Message("Địa chỉ thư điện tử không hợp lệ.", "Not a valid email address."))
        return None


def _address(checker, kind):
    address = checker.payload.get("address")
    if address is None:
        if ADDRESS_REQUIRED[kind]:
            checker.fail("address", REQUIRED)
        return None, None, None
    if not isinstance(address, dict):
        checker.fail("address", Message("Địa chỉ phải là đối tượng JSON {province_code, ward_code, street}.",
                                        "The address must be an object {province_code, ward_code, street}."))
        return None, None, None
    for key in sorted(set(address) - ADDRESS_KEYS):
        checker.fail(f"address.{key}", Message("Trường không được hỗ trợ; hãy bỏ trường này.",
                                               "Unknown field; remove it."))
    province = checker.text("address.province_code", address)
    ward = checker.text("address.ward_code", address)
    street = checker.text("address.street", address)
    province_code = _province(checker, province)
    ward_code = _ward(checker, ward, province_code) if province_code else None
    return province, ward if ward_code else None, street


def _province(checker, value):
    if value is None:
        return None
    try:
        if not PROVINCE_CODE.match(value):
            raise ValueError(value)
        return ProvinceCode(int(value))
    except ValueError:
        checker.fail("address.province_code", Message(
            "Mã tỉnh, thành phố không có trong danh mục hiện hành (34 tỉnh, thành phố; 2 chữ số).",
            "Not a province code of the current official list (34 provinces; 2 digits)."))
        return None


def _ward(checker, value, province_code):
    if value is None:
        return None
    try:
        if not WARD_CODE.match(value):
            raise ValueError(value)
        ward = Ward.from_code(int(value))
    except ValueError:
        checker.fail("address.ward_code", Message("Mã phường, xã không có trong danh mục hiện hành (5 chữ số).",
                                                  "Not a ward code of the current official list (5 digits)."))
        return None
    if ward.province_code != province_code:
        checker.fail("address.ward_code", Message("Phường, xã này không thuộc tỉnh, thành phố đã chọn.",
                                                  "This ward does not belong to the chosen province."))
        return None
    return ward.code


def _office_id(checker):
    code = checker.text("receiving_office_code")
    if code is None:
        return None
    office_id = db.session.scalar(select(Office.id).where(Office.code == code)) if OFFICE_CODE.match(code) else None
    if office_id is None:
        checker.fail("receiving_office_code", Message("Không có cơ quan BHXH với mã này.",
                                                      "No BHXH office has this code."))
    return office_id


def _channel(checker, key_channel):
    channel = checker.choice("channel", tuple(c.value for c in Channel))
    if channel is not None and channel != key_channel:
        checker.fail("channel", Message("Kênh gửi không khớp với khoá API đang dùng.",
                                        "The channel does not match the API key in use."))
        return None
    return channel


def _guardian(checker, kind, sin, born, today):
    if kind != DeclarationKind.register_child:
        if checker.payload.get("guardian_social_insurance_number") not in (None, ""):
            checker.fail("guardian_social_insurance_number", Message(
                "Chỉ khai người giám hộ khi đăng ký cho trẻ em (register_child).",
                "A guardian is declared only for a child (register_child)."))
        return None
    if born is not None and citizen_fields.age(born, today) >= CHILD_AGE_LIMIT:
        checker.fail("date_of_birth", Message("Trẻ đăng ký qua người giám hộ phải dưới 18 tuổi.",
                                              "A child registered by a guardian must be under 18."))
    guardian = checker.sin("guardian_social_insurance_number")
    if guardian is None:
        return None
    if guardian == sin:
        checker.fail("guardian_social_insurance_number", Message(
            "Mã số BHXH của người giám hộ phải khác mã số của trẻ.",
            "The guardian's number must differ from the child's."))
        return None
    status = db.session.scalar(select(ETransactionAccount.status)
                               .where(ETransactionAccount.social_insurance_number == guardian))
    if status != AccountStatus.active:
        checker.fail("guardian_social_insurance_number", Message(
            "Người giám hộ chưa có tài khoản giao dịch điện tử đang hoạt động.",
            "The guardian has no active e-transaction account."))
        return None
    return guardian


def _documents(checker, kind, sent):
    allowed = allowed_documents(kind)
    for name in REQUIRED_DOCUMENTS[kind]:
        if name.value not in sent:
            checker.fail(name.value, Message("Thiếu ảnh bắt buộc cho loại tờ khai này.",
                                             "This photo is required for this kind of declaration."))
    for name in sorted(sent):
        if name not in {d.value for d in allowed}:
            checker.fail(name, Message("Loại tờ khai này không nhận ảnh này; hãy bỏ tệp.",
                                       "This kind of declaration does not take this file; remove it."))
    return tuple(d for d in allowed if d.value in sent)


def clean(payload, sent_documents, key_channel, today=None):
    """Validate a payload dict and the names of the photos sent; return a CleanDeclaration or raise InvalidPayload."""
    today = today or calendar.today()
    if not isinstance(payload, dict):
        raise InvalidPayload({"payload": Message("Phần payload phải là một đối tượng JSON.",
                                                 "The payload part must be a JSON object.")})
    checker = _Checker(payload)
    _unknown_keys(checker, payload)
    kind_value = checker.choice("kind", tuple(k.value for k in DeclarationKind))
    kind = DeclarationKind(kind_value) if kind_value else None
    sin = checker.sin("social_insurance_number")
    name = _full_name(checker)
    born = _date_of_birth(checker, today)
    sex = checker.choice("sex", SEXES)
    phone = _phone(checker)
    email = _email(checker)
    office_id = _office_id(checker)
    channel = _channel(checker, key_channel)
    if kind is None:
        raise InvalidPayload(checker.errors)  # the rules below depend on the kind
    id_type, id_number = _identity_document(checker, kind, born, sex)
    province, ward, street = _address(checker, kind)
    guardian = _guardian(checker, kind, sin, born, today)
    documents = _documents(checker, kind, sent_documents)
    if checker.errors:
        raise InvalidPayload(checker.errors)
    return CleanDeclaration(
        kind=kind, channel=Channel(channel), office_id=office_id, social_insurance_number=sin, full_name=name,
        date_of_birth=born, sex=sex, phone=phone, id_type=id_type, id_number=id_number, email=email,
        province_code=province, ward_code=ward, street=street, guardian_social_insurance_number=guardian,
        documents=documents)
