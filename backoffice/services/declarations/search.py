"""The counter's search: by reference, mã số BHXH, ID number, phone (as people type it, +84 too) or name, with or
without diacritics."""
import unicodedata

from sqlalchemy import event, or_, select

from backoffice.extensions import db
from backoffice.models import Declaration
from backoffice.services.platform import citizen_fields
from backoffice.services.platform.references import normalise_reference

LIMIT = 20
MIN_NAME = 2


def name_key(name):
    """A name as the search compares it: case-folded, without diacritics (Đ is D), spaces collapsed."""
    text = unicodedata.normalize("NFC", " ".join((name or "").split())).casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@event.listens_for(Declaration, "before_insert")
@event.listens_for(Declaration, "before_update")
def _keep_name_key(_mapper, _connection, declaration):
    # every writer (the API, the demo, the tests) keeps the key, not only the intake
    declaration.name_key = name_key(declaration.full_name)


def find_at_counter(officer, term):
    """Declarations of the office matching a reference, mã số BHXH, ID number, phone (0912…, +84 912…) or a part
    of the name (diacritics optional), newest first."""
    term = (term or "").strip()
    compact = term.replace(" ", "").replace(".", "")
    if not compact:
        return []
    match = [Declaration.reference == normalise_reference(compact), Declaration.social_insurance_number == compact,
             Declaration.id_number == compact, Declaration.phone == compact]
    phone = citizen_fields.mobile_phone(compact)
    if phone:
        match.append(Declaration.phone == phone)
    folded = name_key(term)
    if len(folded) >= MIN_NAME and not any(c.isdigit() for c in folded):
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        match.append(Declaration.name_key.like(f"%{escaped}%", escape="\\"))
    return db.session.scalars(select(Declaration).where(Declaration.office_id == officer.office_id, or_(*match))
                              .order_by(Declaration.submitted_at.desc()).limit(LIMIT)).all()
