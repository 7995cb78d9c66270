"""Seed 003 §5: the citizen is never told to go to, or contact, another office; the receiving office resolves it.

Greps every citizen-facing complaint template and every message string of the complaints services (notices, the
invalidity catalogue, the workflow's errors) for such wording, with and without diacritics.
"""
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "backoffice"
CITIZEN_FILES = sorted([*ROOT.glob("templates/notifications/complaint_*"), *ROOT.rglob("templates/complaints/**/*.*"),
                        ROOT / "services/complaints/notices.py", ROOT / "services/complaints/catalogue.py",
                        ROOT / "services/complaints/workflow.py", ROOT / "services/complaints/intake.py",
                        ROOT / "services/complaints/answers.py", ROOT / "services/complaints/letter.py"])
FORBIDDEN = [
    r"(liên hệ|liên lạc|đến|tới|gửi (đơn|lại) (đến|tới|cho))\s+(với\s+)?(cơ quan\s+)?(bhxh|bảo hiểm xã hội)\s+"
    r"(nơi|khác|tỉnh|huyện|quận|cấp)",
    r"(cơ quan|đơn vị)\s+(bhxh|bảo hiểm xã hội)\s+nơi\s+(tham gia|đóng|cư trú)",
    r"không thuộc (thẩm quyền|trách nhiệm) (của )?(đơn vị|cơ quan) (này|chúng tôi)",
    r"(bhxh|bảo hiểm xã hội) (khác|nơi khác)",
]


def _fold(text):
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _hits(text):
    return [p for p in FORBIDDEN if re.search(_fold(p), _fold(text)) or re.search(p, text.lower())]


def test_there_are_citizen_facing_files_to_read():
    assert len(CITIZEN_FILES) >= 8 and all(path.exists() for path in CITIZEN_FILES)


@pytest.mark.parametrize("path", CITIZEN_FILES, ids=lambda path: path.name)
def test_no_wording_sends_the_citizen_to_another_office(path):
    assert _hits(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("bad", ["Đề nghị Ông/Bà liên hệ cơ quan BHXH nơi tham gia để giải quyết.",
                                 "De nghi lien he BHXH noi cu tru.", "Vui lòng đến BHXH huyện nơi đóng.",
                                 "Việc này không thuộc thẩm quyền của đơn vị này."])
def test_the_check_catches_the_forbidden_wording(bad):
    assert _hits(bad)


def test_answer_templates_hold_no_such_wording():
    from backoffice.services.complaints import answers

    bodies = answers.all_bodies()
    assert len(bodies) >= 14
    assert [body for body in bodies if _hits(body)] == []
