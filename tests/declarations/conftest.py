"""Declarations built directly (the intake API has its own tests), with real synthetic ID photos."""
import secrets
from datetime import date
from functools import lru_cache

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.idcard.synth import make_sample
from backoffice.models import (
    Declaration,
    DeclarationDocument,
    DocumentKind,
    Office,
    Officer,
    Participant,
    StoredFile,
)
from backoffice.storage.access import storage


@lru_cache(maxsize=4)
def sample(seed=1):
    """A chip CCCD photographed cleanly (cached: rendering costs time)."""
    return make_sample("cccd_chip", "clean", seed)


def officer(username):
    return db.session.scalar(select(Officer).where(Officer.username == username))


def _document(kind, data, office_id):
    key = storage().put(data, prefix=kind.value)
    stored = StoredFile(storage_key=key, content_type="image/jpeg", size=len(data), office_id=office_id,
                        purpose=kind.value)
    return DeclarationDocument(kind=kind, stored_file=stored, width=1600, height=1000)


def make_declaration(office_code="00131", seed=1, **overrides):
    """A register declaration whose declared fields are those printed on the synthetic card."""
    identity = sample(seed).identity
    office = db.session.scalar(select(Office).where(Office.code == office_code))
    fields = dict(reference=secrets.token_hex(5).upper(), kind="register", channel="vssid_app", office_id=office.id,
                  social_insurance_number=f"{seed:010d}", full_name=identity.full_name,
                  date_of_birth=identity.date_of_birth, sex=identity.sex, id_type="cccd",
                  id_number=identity.id_number, phone="0912345678", email="cong.dan@example.vn")
    fields.update(overrides)
    declaration = Declaration(**fields)
    declaration.documents = [_document(DocumentKind.id_front, sample(seed).front, office.id),
                             _document(DocumentKind.id_back, sample(seed).back, office.id)]
    db.session.add(declaration)
    db.session.add(Participant(social_insurance_number=fields["social_insurance_number"],
                               full_name=identity.full_name, date_of_birth=identity.date_of_birth, sex=identity.sex,
                               id_number=identity.id_number, phone="0912345678", office_id=office.id))
    db.session.commit()
    return declaration


@pytest.fixture
def ready_declaration(app, demo_logins):
    """A declaration whose photos were read and checks computed, ready for review."""
    from backoffice.tasks.declarations import extract_declaration

    declaration = make_declaration()
    extract_declaration(declaration.id)
    db.session.expire_all()
    return db.session.get(Declaration, declaration.id)


@pytest.fixture
def today():
    return calendar.today()
