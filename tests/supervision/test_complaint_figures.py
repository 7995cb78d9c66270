"""Complaint categories and the triage share on the dashboard (from the rollups), and the supervision filters'
dates typed dd/mm/yyyy in both languages."""
# ruff: noqa: F811 - fixtures imported from the complaint tests
import json
import re
from html import unescape

from backoffice.extensions import db
from backoffice.services.complaints import routing
from backoffice.services.supervision import rollups
from tests.complaints.casework_fixtures import new_complaint, router  # noqa: F401
from tests.conftest import login

PERIOD = {"date_from": "2026-03-10", "date_to": "2026-03-10"}  # the desk's day (WORKDAY_10AM)


def _receive(router, category, triage, office_code="00131"):
    department = routing.DEPARTMENT_OF[category]
    router.route = routing.Route(category, routing.TRIAGE if triage else department, 0.4 if triage else 0.95)
    new_complaint(office_code=office_code)


def _table(page, plain=True):
    """The category table; `plain`: its numbers without their links (each links to its list)."""
    table = page.split('data-testid="complaint-categories"', 1)[1].split("</table>", 1)[0]
    return re.sub(r'<a href="[^"]*">([^<]*)</a>', r"\1", table) if plain else table


def test_categories_and_triage_share_with_the_chart_and_the_list(desk, router, client):
    _receive(router, "benefits", triage=False)
    _receive(router, "benefits", triage=True)
    _receive(router, "app_technical", triage=False)
    _receive(router, "personal_info", triage=True, office_code="00109")
    rollups.refresh()
    db.session.commit()
    login(client, "giamsat.00100")
    page = client.get("/supervision/", query_string=PERIOD).get_data(as_text=True)
    table = _table(page)
    assert '<th scope="row">Chế độ, chính sách</th><td>2</td><td>1</td><td>50.0%</td>' in table
    assert '<th scope="row">Ứng dụng VssID</th><td>1</td><td>0</td><td>0.0%</td>' in table
    assert '<th scope="row">Thông tin cá nhân</th><td>1</td><td>1</td><td>100.0%</td>' in table
    assert re.search(r'<tfoot><tr><th scope="row">Tổng</th>\s*<td>4</td>\s*<td>2</td><td>50.0%</td>', table), table
    total = re.search(r'<tfoot><tr><th scope="row">Tổng</th>\s*<td><a href="([^"]+)">4</a></td>',
                      _table(page, plain=False))
    chart = json.loads(unescape(re.search(r'id="chart-complaints" data-chart="([^"]+)"', page).group(1)))
    assert chart["labels"][0] == "Chế độ, chính sách" and chart["stacked"]
    assert [s["data"] for s in chart["series"]] == [[1, 1, 0], [1, 0, 1]]  # routed, triaged per category
    # the total links to the complaints received, with their category in words
    listed = client.get(unescape(total.group(1))).get_data(as_text=True)
    rows = listed.split('id="received-rows"', 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 4 and "Chế độ, chính sách" in rows
    # the rejection reasons are not mixed with the categories
    assert "benefits" not in page.split("Lý do từ chối", 1)[1].split("</table>", 1)[0]
    # a district supervisor sees their office's only
    district = client.application.test_client()
    login(district, "giamsat.00131")
    assert ">3</a></td>" in _table(district.get("/supervision/", query_string=PERIOD).get_data(as_text=True),
                                   plain=False)
    # in English
    client.set_cookie("lang", "en")
    english = client.get("/supervision/", query_string=PERIOD).get_data(as_text=True)
    assert "Complaints by category" in english and "Triage share" in english
    assert "Sent to triage" in _table(english)


def test_a_department_head_reads_their_subject_with_its_lists(desk, router, client):
    _receive(router, "contribution_history", triage=True)
    _receive(router, "benefits", triage=False)  # the Chế độ BHXH department's
    rollups.refresh()
    db.session.commit()
    login(client, "truongphong.00131")  # THU_SO_THE's head: their office's figures of their subject, no audit log
    page = client.get("/supervision/", query_string=PERIOD).get_data(as_text=True)
    table = _table(page)
    assert '<th scope="row">Quá trình đóng</th><td>1</td><td>1</td><td>100.0%</td>' in table
    assert "Chế độ, chính sách" not in table and "/supervision/audit" not in _table(page, plain=False)
    # the numbers link to the list of cases received (their subject's), not to the audit log they may not read
    for link in re.findall(r'<a href="([^"]+)">1</a>', _table(page, plain=False)):
        listed = client.get(unescape(link)).get_data(as_text=True).split('id="received-rows"', 1)[1]
        assert listed.split("</tbody>", 1)[0].count("<tr>") == 1 and "Quá trình đóng" in listed


def test_dates_are_typed_day_month_year_in_both_languages(desk, client):
    desk.decide("tiepnhan.00131")
    login(client, "giamsat.00100")
    for lang in ("vi", "en"):
        client.set_cookie("lang", lang)
        page = client.get("/supervision/", query_string={"date_from": "10/03/2026", "date_to": "10/03/2026"})
        text = page.get_data(as_text=True)
        assert "10/03/2026 – 10/03/2026" in text and 'placeholder="dd/mm/yyyy"' in text
        assert 'type="date"' not in text and 'value="10/03/2026"' in text
        listed = client.get("/supervision/decisions", query_string={"date_from": "10/03/2026",
                                                                    "date_to": "10/03/2026"}).get_data(as_text=True)
        assert 'type="date"' not in listed and 'value="10/03/2026"' in listed
    form = client.get("/supervision/samples").get_data(as_text=True)
    assert 'type="date"' not in form and 'id="period_from"' in form
    drawn = client.post("/supervision/samples", data={"period_from": "10/03/2026", "period_to": "10/03/2026",
                                                      "method": "fixed", "fixed_count": "3", "seed": "11",
                                                      "precision": "10", "confidence": "90"})
    assert drawn.status_code == 303
    refused = client.post("/supervision/samples", data={"period_from": "03/31/2026", "period_to": "10/03/2026",
                                                        "method": "fixed", "fixed_count": "3"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.get_data(as_text=True)
