"""Admin pages name office levels and departments in words, in both languages (issue 18, item 12)."""
import re

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Office
from tests.conftest import login

RAW_CODES = re.compile(r">\s*(national|provincial|local|TIEP_NHAN|THU_SO_THE|CS_BHXH|CS_BHYT|CNTT)\s*<")


@pytest.mark.parametrize("language, national, reception, books", [
    ("vi", "Trung ương", "Bộ phận tiếp nhận và trả kết quả", "Phòng Quản lý thu – Sổ, thẻ"),
    ("en", "National", "Reception and results desk", "Contributions – books and cards department")])
def test_levels_and_departments_in_words(client, demo_logins, language, national, reception, books):
    login(client, "quantri.00001")
    client.post("/language", data={"language": language, "next": "/"})
    offices = client.get("/admin/offices").get_data(as_text=True)
    assert f'data-testid="level-00001">{national}<' in offices
    assert not RAW_CODES.search(offices), RAW_CODES.search(offices)
    office = db.session.scalar(select(Office).where(Office.code == "00131"))
    edit = client.get(f"/admin/offices/{office.id}").get_data(as_text=True)
    assert reception in edit and books in edit
    new_officer = client.get("/admin/officers/new").get_data(as_text=True)
    assert f'<option value="THU_SO_THE">{books} (THU_SO_THE)</option>' in new_officer
    assert not RAW_CODES.search(new_officer)
