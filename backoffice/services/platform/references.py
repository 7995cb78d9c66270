"""Case references: short, unguessable, read back as people type them (every domain's cases use these)."""
import secrets

from sqlalchemy import select

from backoffice.extensions import db

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
REFERENCE_LENGTH = 10  # 50 random bits


def new_reference(model, prefix=""):
    """A short, unguessable reference unused in `model.reference`: 10 characters, a domain's letter (R, P) then
    Crockford base32 (not a sequence)."""
    while True:
        reference = prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH - len(prefix)))
        if not db.session.scalar(select(model.id).where(model.reference == reference)):
            return reference


def normalise_reference(text):
    """Read a reference as people type it: any case, hyphens or spaces, O for 0, I and L for 1."""
    cleaned = (text or "").upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("OIL", "011"))
