"""Desk pages in English hold no Vietnamese left over: labels, catalogue data (reasons, check titles and notes),
the domain's and WTForms' messages (issue 18, item 12). Citizen data, office and officer names are data, not
text to translate: they are taken out before looking."""
import re
from html.parser import HTMLParser

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Declaration, Office, Officer, Participant
from backoffice.services.declarations import checks as declaration_checks
from tests.conftest import login
from tests.declarations.test_desk_day import _guardian_and_child, propose, ready, stored

VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                        r"ÀÁẢÃẠÈÉẺẼẸÌÍỈĨỊÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ]")
ALLOWED = {"Tiếng Việt"}  # the language switch names itself
SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "value")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and not (tag == "input" and name == "value"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _data_values():
    """Every stored value that is data, not interface text: citizens', offices' and officers' names and details."""
    values = set()
    for d in db.session.scalars(select(Declaration)):
        values |= {d.full_name, d.reference, d.email or "", d.justification or "", d.returned_note or "",
                   d.street or "", d.rejection_text if d.rejection_code == "OTHER" else ""}
        for value in ((d.extraction or {}).get("fields") or {}).values():
            if isinstance(value, dict) and isinstance(value.get("value"), str):
                values.add(value["value"])
    for p in db.session.scalars(select(Participant)):
        values |= {p.full_name, getattr(p, "address", None) or ""}
    for o in db.session.scalars(select(Office)):
        values |= {o.name, o.address or ""}
    values |= {o.full_name for o in db.session.scalars(select(Officer))}
    return sorted((v for v in values if v and VIETNAMESE.search(v)), key=len, reverse=True)


def leftovers(html):
    """Vietnamese text left in a page's visible text and labelled attributes, citizen data removed."""
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in _data_values():
        text = text.replace(value, "")
    return sorted({line for line in text.splitlines() if VIETNAMESE.search(line) and line.strip() not in ALLOWED})


def english(client, username="tiepnhan.00131"):
    client.post("/language", data={"language": "en", "next": "/"})  # first: the welcome is said in English too
    login(client, username)
    return client


def assert_english(response):
    html = response.get_data(as_text=True)
    assert 'lang="en"' in html
    found = leftovers(html)
    assert not found, found


def _failing(declaration):
    """Real checks (their titles and notes are catalogue data), one of them failing with its evidence."""
    declaration.checks = declaration_checks.compute(declaration)
    declaration.checks.append({"code": "register", "title": "Đối chiếu sổ đăng ký người tham gia", "status": "fail",
                               "evidence": {"reason": "Mã số BHXH không có trong cơ sở dữ liệu người tham gia."}})
    declaration.failing_checks = declaration_checks.failing(declaration.checks)
    db.session.commit()


def test_the_queue_search_and_review_pages_are_all_english(client, demo_logins):
    d = ready(failing=1)
    _failing(d)
    english(client)
    assert_english(client.get("/declarations/"))
    assert_english(client.get("/declarations/?state=all&date_from=01/01/2026&date_to=31/12/2026"))
    assert_english(client.get("/declarations/?date_from=02/01/2026&date_to=01/01/2026"))  # reversed range
    assert_english(client.post("/declarations/search", data={"term": d.reference}))
    assert_english(client.post("/declarations/search", data={"term": ""}))  # WTForms/own messages
    assert_english(client.get(f"/declarations/{d.id}"))
    client.post(f"/declarations/{d.id}/claim")
    assert_english(client.get(f"/declarations/{d.id}"))
    version = stored(d.id).version_id
    # refusals: a WTForms choice error, the domain's own, an over-long text, a stale tab
    assert_english(client.post(f"/declarations/{d.id}/reject", data={"version_id": version, "code": "NOPE"}))
    assert_english(client.post(f"/declarations/{d.id}/reject", data={"version_id": version, "code": ""}))
    assert_english(client.post(f"/declarations/{d.id}/approve", data={"version_id": version, "justification": "x"}))
    assert_english(client.post(f"/declarations/{d.id}/approve", data={"version_id": version,
                                                                       "justification": "x" * 2001}))
    assert_english(client.post(f"/declarations/{d.id}/await", data={"version_id": version - 1,
                                                                     "reason_code": "counter_visit"}))


def test_waiting_second_approval_decided_and_child_cases_are_all_english(client, app, demo_logins):
    d = ready(failing=1)
    propose(client, d)
    client.post("/language", data={"language": "en", "next": "/"})
    client.get("/")  # the proposer's messages, flashed in Vietnamese before the switch, are shown here
    assert_english(client.get(f"/declarations/{d.id}"))
    supervisor = english(app.test_client(), "giamsat.00131")
    assert_english(supervisor.get("/declarations/second-approvals"))
    assert_english(supervisor.get(f"/declarations/{d.id}"))
    assert_english(supervisor.post(f"/declarations/{d.id}/return", data={"version_id": stored(d.id).version_id,
                                                                         "note": "short"}))
    waiting = ready(seed=2)
    client.post(f"/declarations/{waiting.id}/claim")
    client.post(f"/declarations/{waiting.id}/await", data={"version_id": stored(waiting.id).version_id,
                                                           "reason_code": "reupload_id_front"})
    assert_english(client.get(f"/declarations/{waiting.id}"))
    assert_english(client.post(f"/declarations/{waiting.id}/extend", data={"version_id": stored(waiting.id).version_id,
                                                                            "note": ""}))
    rejected = ready(seed=4)
    client.post(f"/declarations/{rejected.id}/claim")
    client.post(f"/declarations/{rejected.id}/reject", data={"version_id": stored(rejected.id).version_id,
                                                             "code": next(iter(_reasons()))})
    assert stored(rejected.id).state.value == "rejected"
    assert_english(client.get(f"/declarations/{rejected.id}"))
    child = _guardian_and_child()
    assert_english(client.get(f"/declarations/{child.id}"))
    updating = ready(seed=5, kind="update")
    assert_english(client.get(f"/declarations/{updating.id}"))


def _reasons():
    from backoffice.services.declarations.reasons import REASONS

    return [code for code in REASONS if code != "OTHER"]


def test_the_leftover_finder_finds_vietnamese(app):
    assert leftovers("<p>Approved</p><p>Đã duyệt</p><button aria-label='Phóng to'>+</button>") == \
        ["Phóng to", "Đã duyệt"]
