"""Every template rendered with sample data: nothing left unfilled, SMS folded to GSM-7 and within two parts."""
import re

import pytest

from backoffice.models.outbox import Channel
from backoffice.services.notifications import message_templates as mt
from tests.conftest import login

EVERY = [(name, channel) for name, event in mt.EVENTS.items() for channel in event.channels]
# Values with a fixed shape; everything else is free text that a template must clip for SMS.
STRUCTURED = {"reference", "login", "password_valid_hours", "due_date", "link"}
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|Undefined")


@pytest.mark.parametrize("name,channel", EVERY)
def test_each_template_renders_its_sample_completely(app, name, channel):
    rendered = mt.sample(name, channel)
    for part in (rendered.text, rendered.subject, rendered.html):
        assert not LEFTOVER.search(part)
    if channel == Channel.sms:
        assert rendered.text.isascii() and mt.fold_ascii(rendered.text) == rendered.text
        assert mt.sms_segments(rendered.text) <= 2
    else:
        assert rendered.subject and rendered.text.strip() and "<html" in rendered.html
        assert "Bảo hiểm xã hội Việt Nam" in rendered.text  # full Vietnamese, with diacritics
        for secret in mt.EVENTS[name].sample_secrets.values():
            assert secret not in rendered.text + rendered.html + rendered.subject


@pytest.mark.parametrize("name", [name for name, channel in EVERY if channel == Channel.sms])
def test_sms_stays_within_two_parts_with_the_longest_free_text(app, name):
    event = mt.EVENTS[name]
    long_context = {key: value if key in STRUCTURED else "Nguyễn Thị Phương Thảo " * 20
                    for key, value in event.sample.items()}
    text = mt.render(name, Channel.sms, long_context, event.sample_secrets).text
    assert mt.sms_segments(text) <= 2


def test_a_missing_variable_is_an_error_not_a_hole(app):
    from jinja2 import UndefinedError

    context = dict(mt.EVENTS["declaration_rejected"].sample)
    del context["reason"]
    with pytest.raises(UndefinedError):
        mt.render("declaration_rejected", Channel.sms, context)
    with pytest.raises(UndefinedError):
        mt.render("declaration_rejected", Channel.email, context)


def test_email_templates_never_see_the_password(app):
    event = mt.EVENTS["declaration_approved"]
    context = dict(event.sample)
    rendered = mt.render("declaration_approved", Channel.email, context, {"temporary_password": "ZZsecret99"})
    assert "ZZsecret99" not in rendered.text + rendered.html


def test_folding_and_gsm7_counting():
    assert mt.fold_ascii("Đặng Thị Ngọc Hoà – “Quận Bắc Từ Liêm”") == 'Dang Thi Ngoc Hoa - "Quan Bac Tu Liem"'
    assert mt.fold_ascii("ĐƯỜNG 3/2, Q.10 ⌘") == "DUONG 3/2, Q.10 ?"
    assert mt.gsm7_septets("a{b}") == 6
    assert mt.sms_segments("x" * 160) == 1
    assert mt.sms_segments("x" * 161) == 2 and mt.sms_segments("x" * 306) == 2 and mt.sms_segments("x" * 307) == 3
    assert mt.sms_segments("[" * 80) == 1 and mt.sms_segments("[" * 81) == 2


def test_admins_preview_every_template(app, client, demo_logins):
    login(client, "quantri.00131")
    listing = client.get("/admin/notifications/templates").get_data(as_text=True)
    for name, event in mt.EVENTS.items():
        assert f"/admin/notifications/templates/{name}" in listing
        page = client.get(f"/admin/notifications/templates/{name}")
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        if Channel.sms in event.channels:
            assert "ký tự GSM-7" in body
        html = client.get(f"/admin/notifications/templates/{name}/email.html")
        assert html.status_code == 200 and "script-src" not in html.headers["Content-Security-Policy"]
        assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert client.get("/admin/notifications/templates/no_such_event").status_code == 404
