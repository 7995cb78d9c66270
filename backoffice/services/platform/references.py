"""Case references: short, unguessable, read back as people type them (every domain's cases use these)."""
import secrets

from sqlalchemy import select

from backoffice.extensions import db

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
REFERENCE_LENGTH = 10  # 50 random bits


def new_reference(model):
    """A short, unguessable reference unused in `model.reference`: 10 Crockford base32 characters (not a sequence)."""
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not db.session.scalar(select(model.id).where(model.reference == reference)):
            return reference


def normalise_reference(text):
    """Read a reference as people type it: any case, hyphens or spaces, O for 0, I and L for 1."""
    cleaned = (text or "").upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("OIL", "011"))
