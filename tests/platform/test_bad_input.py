"""Bad input on the officers' pages answers a 4xx with a clear message, never a 5xx (issue 13, item 4).

The probes the attacker used, one by one, then a hypothesis walk over every route of the URL map, its path
parameters and every query parameter a view reads, signed in as each role, on PostgreSQL.
"""
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter
from wtforms.fields.core import UnboundField

from backoffice.extensions import db
from backoffice.forms.declarations import QueueFilterForm
from backoffice.forms.supervision import DecisionFilterForm, OpenCasesForm, ReceivedFilterForm, ReviewedForm
from backoffice.models import Officer
from backoffice.web.params import IdConverter
from tests.conftest import login

BIG = str(2**63)  # one above PostgreSQL's bigint (and far above integer, the type of most keys)
ADMIN, RECEPTION, SUPERVISOR, HEAD = "quantri.00001", "tiepnhan.00131", "giamsat.00100", "truongphong.00131"
INT_MESSAGE = "phải là số nguyên từ"
DATE_MESSAGE = "Ngày phải theo dạng YYYY-MM-DD"
DESK_DATE_MESSAGE = "theo dạng dd/mm/yyyy (ví dụ 05/03/2026), từ 01/01/1900 đến 31/12/2100"  # typed by officers
CURSOR_MESSAGE = "Liên kết trang tiếp theo không hợp lệ"
NUL_MESSAGE = "ký tự không hợp lệ (NUL)"


@pytest.mark.parametrize("username, path, status, message", [
    (ADMIN, f"/admin/officers/{BIG}", 404, None),
    (ADMIN, f"/admin/offices/{BIG}", 404, None),
    (ADMIN, f"/admin/officers?office_id={BIG}", 400, "Tham số office_id " + INT_MESSAGE),
    (ADMIN, f"/admin/officers?after={BIG}", 400, "Tham số after " + INT_MESSAGE),
    (ADMIN, "/admin/calendar?year=0", 400, "Tham số year phải là số nguyên từ 1900 đến 2100"),
    (ADMIN, "/admin/calendar?year=-5", 400, "Tham số year"),
    (ADMIN, "/admin/calendar?year=100000", 400, "Tham số year"),
    (ADMIN, "/admin/calendar?year=%D9%A2%D9%A0%D9%A2%D9%A6", 400, "Tham số year"),  # Arabic-Indic 2026
    (RECEPTION, f"/declarations/{BIG}", 404, None),
    (RECEPTION, f"/files/{BIG}", 404, None),
    (HEAD, f"/files/{2**31}", 404, None),  # stored_files.id is an integer: the cast failed
    (HEAD, f"/files/{2**31 - 1}", 404, None),
    (RECEPTION, "/declarations/?after_at=2024-01-01T00:00:00&after_id=1", 400, CURSOR_MESSAGE),
    (RECEPTION, f"/declarations/?after_at=2024-01-01T00:00:00%2B07:00&after_id={BIG}", 400, CURSOR_MESSAGE),
    (RECEPTION, "/declarations/?after_at=0001-01-01T00:00:00%2B07:00&after_id=1", 400, CURSOR_MESSAGE),
    (RECEPTION, "/declarations/?after_id=1", 400, CURSOR_MESSAGE),
    (RECEPTION, "/declarations/?date_from=0001-01-01", 400, DESK_DATE_MESSAGE),
    (RECEPTION, "/declarations/?date_to=9999-12-31", 400, DESK_DATE_MESSAGE),
    (RECEPTION, "/declarations/?state=%00", 400, NUL_MESSAGE),
    (RECEPTION, "/notifications/cases/declaration/%00", 400, NUL_MESSAGE),
    (SUPERVISOR, f"/notifications/problems?before={BIG}", 400, "Tham số before " + INT_MESSAGE),
])
def test_out_of_range_parameters_answer_4xx_with_a_clear_message(client, demo_logins, username, path, status,
                                                                 message):
    login(client, username)
    response = client.get(path)
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)


def test_a_calendar_day_outside_the_service_dates_is_refused(client, demo_logins):
    login(client, ADMIN)
    assert client.post("/admin/calendar/0001-01-01/clear").status_code == 400
    assert client.post("/admin/calendar/2026-02-30/clear").status_code == 400
    assert client.post("/admin/calendar/2026-01-01/clear").status_code == 303


def test_good_parameters_still_work(client, demo_logins):
    login(client, RECEPTION)
    at = datetime(2026, 1, 5, 8, 30, tzinfo=timezone(timedelta(hours=7))).isoformat()
    assert client.get("/declarations/", query_string={"after_at": at, "after_id": "3"}).status_code == 200
    assert client.get("/declarations/?date_from=2026-01-01&date_to=2026-12-31&after_at=&after_id=").status_code == 200
    client.post("/logout")
    login(client, ADMIN)
    assert client.get("/admin/calendar?year=2100").status_code == 200
    assert client.get("/admin/officers?office_id=&after=").status_code == 200


@pytest.mark.parametrize("path, field", [("/login", "username"), ("/declarations/search", "term")])
def test_a_nul_in_a_form_field_is_refused(client, demo_logins, path, field):
    if path != "/login":
        login(client, RECEPTION)
    response = client.post(path, data={field: "ab\x00cd", "password": "x"})
    assert response.status_code == 400 and NUL_MESSAGE in response.get_data(as_text=True)


def test_every_int_route_parameter_uses_the_bounded_converter(app):
    """A new `<int:...>` route gets the bound too: the `int` converter itself is the bounded one."""
    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()]
    numeric = [c for c in converters if c.__class__.__name__ in ("IntegerConverter", "NumberConverter",
                                                                   "FloatConverter", "IdConverter")]
    assert len(numeric) > 10 and all(isinstance(c, IdConverter) and c.max == 2**31 - 1 for c in numeric)


# ---- the walk -------------------------------------------------------------------------------------------------
VIEWS = Path(__file__).resolve().parents[2] / "backoffice" / "views"
_READS = re.compile(r"""(?:request\.args(?:\.get)?[(\[]|query_(?:int|date|year)\()\s*["'](\w+)["']""")


def query_names():
    """Every query parameter a view reads: `request.args`, the web_params readers, the keyset cursor and the
    fields of the forms built from the query string."""
    names = {name for path in VIEWS.glob("*.py") for name in _READS.findall(path.read_text(encoding="utf-8"))}
    if any("keyset_cursor(" in path.read_text(encoding="utf-8") for path in VIEWS.glob("*.py")):
        names |= {"after_at", "after_id"}
    forms = (QueueFilterForm, DecisionFilterForm, ReceivedFilterForm, OpenCasesForm, ReviewedForm)  # GET filter forms
    return sorted(names | {name for form in forms for klass in form.__mro__ for name, value in vars(klass).items()
                           if isinstance(value, UnboundField)})


def test_the_walk_knows_the_query_parameters():
    names = set(query_names())
    assert {"after", "office_id", "year", "before", "status", "next", "after_at", "after_id", "date_from",
            "date_to", "state", "kind", "channel", "failing_only", "category", "triage", "deadline", "bucket",
            "department", "reason", "failing", "office_only", "disagreed"} <= names


TEXT = st.text(st.characters(codec="utf-8"), max_size=20)
NUMBERS = st.one_of(st.integers(-3, 60), st.integers(-2**80, 2**80),
                    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64]))
NUMBER_TEXT = st.one_of(NUMBERS.map(str), NUMBERS.map(lambda n: str(n).translate(str.maketrans("0123456789",
                                                                                               "０１２３４５６７８９"))))
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()),
                  st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2024-02-30", "2024-13-01",
                                   "+2024-01-01", "2024-1-1", "１９９０-01-01"]))
TIMESTAMPS = st.one_of(st.datetimes().map(lambda d: d.isoformat()),
                       st.datetimes(timezones=st.just(timezone(timedelta(hours=7)))).map(lambda d: d.isoformat()),
                       st.datetimes(timezones=st.just(timezone(timedelta(hours=-14)))).map(lambda d: d.isoformat()))
VALUES = st.one_of(NUMBER_TEXT, DATES, TIMESTAMPS, TEXT, st.sampled_from(["", "\x00", "1\x00", "ready", "dead"]))
SKIPPED = {"auth.logout"}  # signs the walker out; it takes no parameter
SELF_LOCKING = {"admin.officers_set_active", "admin.officers_reset_password", "admin.officers_edit"}


def _path_value(converter):
    if isinstance(converter, IdConverter):
        return NUMBER_TEXT
    if isinstance(converter, AnyConverter):
        return st.one_of(st.sampled_from(sorted(converter.items)), TEXT.filter(bool))
    return TEXT.filter(bool)


@st.composite
def requests(draw, rules):
    """(method, path, query, endpoint) for a rule of the URL map with generated parameters."""
    rule = draw(st.sampled_from(rules))
    path = rule.rule
    values = {}
    for name, converter in rule._converters.items():
        values[name] = draw(_path_value(converter))
        path = re.sub(rf"<[^>]*\b{name}>", quote(values[name], safe=""), path)
    query = draw(st.dictionaries(st.sampled_from(query_names()), VALUES, max_size=4))
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return method, path, query, rule.endpoint, values


@pytest.mark.parametrize("username", [None, ADMIN, "quantri.00131", RECEPTION, SUPERVISOR, HEAD, "canbo.00131"])
def test_no_route_answers_5xx_to_any_parameter(app, client, demo_logins, username):
    """Every route × method × generated path and query parameters: a 4xx at worst (PostgreSQL behind)."""
    if username:
        assert login(client, username).status_code == 303
        own_id = str(db.session.scalar(db.select(Officer.id).where(Officer.username == username)))
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED]

    @given(request=requests(rules))
    @settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def walk(request):
        method, path, query, endpoint, values = request
        # The walker must not deactivate or re-password itself: the rest of the walk would run signed out.
        assume(not (username and endpoint in SELF_LOCKING and values.get("officer_id", "").lstrip("0") == own_id))
        response = client.open(path, method=method, query_string=query)
        assert response.status_code < 500, (method, path, query, response.get_data(as_text=True)[:300])

    walk()


@pytest.mark.parametrize("path", ["/reissue/?assignee=abc", "/reissue/?assignee=%27+OR+1%3D1+--",
                                  "/reissue/?assignee=NaN&kind=card_pickup", "/complaints/?assignee=abc",
                                  "/reissue/?assignee=++", "/complaints/?assignee=++", "/reissue/?state=++&kind=+",
                                  "/declarations/?kind=++", "/declarations/?state=++", "/declarations/?channel=+",
                                  "/reissue/?assignee=99999999999", "/complaints/?assignee=99999999999"])
def test_a_queues_assignee_filter_that_names_no_officer_lists_the_queue_unfiltered(client, demo_logins, path):
    """A department queue's `assignee` is an officer's id or `none`: anything else was cast to an integer in the
    reissue queue's statement (a probe: 500), and is now refused by the filter form, the queue listed unfiltered
    as for any bad filter. A filter of spaces alone is no filter: Optional() let it through as valid, and it reached
    an enum or the cast as it was (a probe: 500 on the declarations' kind and state too)."""
    login(client, "tiepnhan.00131" if path.startswith("/declarations") else "canbo.00131")
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_the_assignee_filter_takes_an_officers_id_or_none(app):
    from werkzeug.datastructures import MultiDict

    from backoffice.forms.complaints import QueueFilterForm as ComplaintFilters
    from backoffice.forms.reissue import QueueFilterForm as ReissueFilters

    with app.test_request_context():
        for form_class in (ReissueFilters, ComplaintFilters):
            for text, valid in (("", True), ("12", True), ("none", True), ("abc", False), ("-1", False),
                                ("1 OR 1=1", False), ("١٢", False), ("1\n2", False),
                                ("  ", True), (" 12\n", True),  # spaces around an id are no part of it
                                ("2147483647", True), ("99999999999", False), ("1_000", False), ("0", False)):
                assert form_class(MultiDict({"assignee": text})).validate() is valid, (form_class, text)


def test_a_posted_day_is_read_both_ways_or_names_no_day():
    """web.params.day_or_none: a link's yyyy-mm-dd and an officer's dd/mm/yyyy are the same day; anything else,
    or a day outside the service's dates, names none (never an exception)."""
    from datetime import date

    from backoffice.web.params import day_or_none

    assert day_or_none("2026-12-05") == day_or_none("5/12/2026") == day_or_none(" 05/12/2026 ") == date(2026, 12, 5)
    for text in ("", None, "31/02/2026", "9999-12-31", "2026-13-01", "05-12-2026", "٠٥/١٢/٢٠٢٦", "1/2", "x"):
        assert day_or_none(text) is None, text

    @given(st.text(max_size=20))
    @settings(max_examples=300, deadline=None, database=None)
    def anything(text):
        day = day_or_none(text)
        assert day is None or date(1900, 1, 1) <= day <= date(2100, 12, 31)

    anything()


def test_a_day_field_outside_the_service_dates_is_no_day(app, client, demo_logins):
    """forms.base.DayField: 01/01/0001 or 31/12/9999 is refused with the service's dates named (a time zone applied
    to the first left the calendar: the dashboard answered 500); a period filter then falls back to its default."""
    from werkzeug.datastructures import MultiDict

    from backoffice.forms.supervision import PeriodForm

    with app.test_request_context():
        for text in ("0001-01-01", "01/01/0001", "31/12/9999", "1899-12-31"):
            form = PeriodForm(MultiDict({"date_from": text}))
            assert not form.validate() and form.date_from.data is None, text
            assert "01/01/1900" in str(form.date_from.errors[0]) and "31/12/2100" in str(form.date_from.errors[0])
        form = PeriodForm(MultiDict({"date_from": "01/01/1900", "date_to": "2100-12-31"}))
        assert form.validate() and form.date_from.data.year == 1900 and form.date_to.data.year == 2100
    for username in ("tiepnhan.00131", "giamsat.00131"):
        fresh = app.test_client()
        login(fresh, username)
        assert fresh.get("/supervision/?date_from=0001-01-01&date_to=9999-12-31").status_code == 200


@pytest.mark.parametrize("value", ["2147483648", "99999999999999", "0", "-1"])
def test_an_office_id_no_office_can_have_shows_the_own_queue(client, demo_logins, value):
    """views.reissue._where (web.params.id_or_none): the supervisor's office filter of a department queue, past
    PostgreSQL's integer (found by the walk above: `office_id=2147483648` failed the query's cast, a 500)."""
    assert login(client, SUPERVISOR).status_code == 303
    response = client.get("/reissue/", query_string={"office_id": value})
    assert response.status_code == 200
    # the filter names no office, as one outside the supervisor's scope names none: the queue shown is the
    # supervisor's own office's, and its chooser says which
    default = client.get("/reissue/").get_data(as_text=True)
    shown = re.findall(r'<option value="(\d+)" selected>', response.get_data(as_text=True))
    assert shown and shown == re.findall(r'<option value="(\d+)" selected>', default)


def test_an_officer_id_no_officer_can_have_is_refused_before_the_follow_up_runs(client, demo_logins):
    """forms.supervision.FollowUpForm: the officer to decide again, past PostgreSQL's integer, is no officer."""
    from backoffice.forms.supervision import FollowUpForm
    from backoffice.web.params import MAX_ID

    assert login(client, SUPERVISOR).status_code == 303
    with client.application.test_request_context(method="POST", data={
            "action": "confirm", "note": "căn cứ", "officer_id": str(MAX_ID + 1)}):
        form = FollowUpForm(meta={"csrf": False})
        assert not form.validate() and "officer_id" in form.errors
    with client.application.test_request_context(method="POST", data={
            "action": "confirm", "note": "căn cứ", "officer_id": str(MAX_ID)}):
        form = FollowUpForm(meta={"csrf": False})
        form.validate()
        assert "officer_id" not in form.errors


@pytest.mark.parametrize("value", [str(2**31), BIG, "-1", "1e3", "١٢٣٤٥٦٧٨٩٠١٢٣"])
@pytest.mark.parametrize("path, field", [("/admin/officers/new", "office_id"), ("/admin/offices/new", "parent_id"),
                                         ("officer", "office_id"), ("office", "parent_id")])
def test_an_office_choice_no_office_can_have_is_refused_beside_the_field(client, demo_logins, path, field, value):
    """forms.base.record_id: the admin's office selects leave the choice to the service (validate_choice off), and a
    value past PostgreSQL's integer reached its query (a probe of the running app: 500). Nothing is changed."""
    assert login(client, ADMIN).status_code == 303
    officer = db.session.scalar(db.select(Officer).where(Officer.username == "canbo.00131"))
    path = {"officer": f"/admin/officers/{officer.id}", "office": f"/admin/offices/{officer.office_id}"}.get(path, path)
    data = {"username": "moi.mot", "full_name": "Nguyễn Văn Một", "role": "reception_officer",
            "department_code": "", "code": "00199", "name": "BHXH thử", "level": "local", field: value}
    data.setdefault("office_id", officer.office_id)
    data.setdefault("parent_id", 0)
    before = (officer.office_id, officer.office.parent_id, officer.full_name)
    response = client.post(path, data=data)
    assert response.status_code == 200, response.status_code
    assert "Lựa chọn không hợp lệ." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (officer.office_id, officer.office.parent_id, officer.full_name) == before
    client.post("/language", data={"language": "en"})
    english = client.post(path, data=data).get_data(as_text=True)
    assert "Not a valid choice." in english and "coerce" not in english
    assert db.session.scalar(db.select(Officer).where(Officer.username == "moi.mot")) is None


@given(st.text(max_size=30) | st.integers().map(str))
def test_a_record_choice_is_a_key_the_database_can_hold_or_no_choice(text):
    from backoffice.forms.base import record_id
    from backoffice.web.params import MAX_ID

    try:
        number = record_id(text)
    except ValueError:
        return
    assert 0 <= number <= MAX_ID
