"""Reissue fixtures: the demo offices and officers, the reissue officers, register records, and a settable clock."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Officer
from backoffice.services import reissue  # noqa: F401 - registers the case type
from backoffice.services.casework import cases
from backoffice.services.platform import api_keys, calendar, passwords
from backoffice.services.reissue import demo, workflow
from tests.conftest import DEMO_PASSWORD


def officer(username):
    """The officer with that username."""
    return db.session.scalar(select(Officer).where(Officer.username == username))


@pytest.fixture
def world(demo_logins):
    """Demo offices and officers, the CS_BHXH officers, and the demo people's register records; returns payloads."""
    demo.seed_officers(passwords.hash_password(DEMO_PASSWORD))
    people = demo.seed_register()
    db.session.commit()
    return demo.demo_payloads(people)


@pytest.fixture
def auth(world):
    """A live vssid_app channel key's header."""
    _, key = api_keys.create("vssid_app")
    db.session.commit()
    return {"Authorization": f"Bearer {key}"}


class Clock:
    """A business clock the test sets: every service reading now() or utcnow() sees `moment`."""

    def __init__(self, monkeypatch):
        self.moment = calendar.now()
        for module in (cases, workflow):
            monkeypatch.setattr(module, "utcnow", self.utc)
        monkeypatch.setattr(calendar, "now", self.local)

    def set(self, *args):
        """Set the clock to a Vietnam-time moment (year, month, day, hour, minute)."""
        self.moment = datetime(*args, tzinfo=calendar.BUSINESS_TZ)
        return self.moment

    def utc(self):
        return self.moment.astimezone(timezone.utc)

    def local(self):
        return self.moment


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the casework services."""
    return Clock(monkeypatch)
