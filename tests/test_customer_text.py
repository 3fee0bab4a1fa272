"""Customer text in the admin and the staff e-mails: isolated, and its invisible characters shown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from feedbackwidget.core.customer_text import customer_text
from feedbackwidget.core.models import Site

from .test_admin_responses import LIST, add
from .test_alerts import LOW_NPS, outbox, submit
from .test_complaints_api import complaint_body, complaints, post_complaint

RLO = "\u202e"
# "Refund me" followed by a reversed "exe.pdf": the override shows it as "fdp.exe".
SPOOFED = f"Refund me {RLO}fdp.exe\u200b\ufeff"
RLO_MARKER = '<span class="fw-invisible" title="U+202E RIGHT-TO-LEFT OVERRIDE">⟨U+202E⟩</span>'
OUR_TAGS = re.compile(r'<bdi>|</bdi>|<span class="fw-invisible" title="U\+[0-9A-F]{4,6} [A-Z0-9 -]+">⟨U\+[0-9A-F]{4,6}⟩</span>')


def test_an_rtl_override_in_a_comment_is_isolated_and_shown_in_the_responses_list_and_detail(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    response = add(db, site, nps_score=2, comment=SPOOFED, answers={"score": 2, "reason": SPOOFED},
                   page_url=f"https://shop.example/{RLO}gpj.exe")
    client = logged_in("viewer")

    for url in (LIST, f"{LIST}/{response.id}"):
        page = client.get(url).text
        assert f"<bdi>Refund me {RLO_MARKER}fdp.exe" in page
        assert "⟨U+200B⟩" in page and "⟨U+FEFF⟩" in page
        assert RLO not in page and "\u200b" not in page and "\ufeff" not in page
    assert 'title="https://shop.example/⟨U+202E⟩gpj.exe"' in client.get(LIST).text


def test_a_complaint_description_is_isolated_in_the_queue_page_and_the_staff_alert(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(name="Kiss Anna", description=f"Late\r\n{SPOOFED}"))
    [complaint] = complaints(db)
    complaint.loyalty_tier = f"gold{RLO}"  # as a shop's loyalty system may have sent it
    db.commit()
    viewer = logged_in("viewer")

    page = viewer.get(f"/feedback/admin/complaints/{complaint.id}").text
    for listing in (viewer.get("/feedback/admin/complaints/").text,
                    viewer.get(f"/feedback/admin/complaints/analysis?site={site.id}&period=30").text):
        assert f"<bdi>gold{RLO_MARKER}</bdi>" in listing and RLO not in listing

    # The description opens the case's timeline: each line isolated, the override shown, not obeyed.
    assert f'<div class="fw-cw-body" dir="auto" lang="en"><bdi>Late</bdi><br><bdi>Refund me {RLO_MARKER}fdp.exe' in page
    assert RLO not in page and "⟨U+000D⟩" not in page
    [alert] = [m for m in outbox(db) if "owner@shop.example" in m.recipient]
    assert RLO_MARKER in alert.payload["html"] and RLO not in alert.payload["html"]
    assert '<blockquote dir="auto"><bdi>' in alert.payload["html"]
    assert "Refund me ⟨U+202E⟩fdp.exe" in alert.payload["text"] and RLO not in alert.payload["text"]


def test_the_low_score_alert_mail_shows_the_customers_answer_isolated(mail_app: Flask, site: Site, db: Session) -> None:
    submit(mail_app, site, {**LOW_NPS, "answers": {"score": 3, "reason": SPOOFED}})

    [alert] = outbox(db)

    assert f'<dd dir="auto"><bdi>Refund me {RLO_MARKER}fdp.exe' in alert.payload["html"]
    assert "    Refund me ⟨U+202E⟩fdp.exe⟨U+200B⟩⟨U+FEFF⟩\n" in alert.payload["text"]
    assert RLO not in alert.payload["html"] and RLO not in alert.payload["text"]


@pytest.fixture
def mail_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example")


@pytest.mark.parametrize("text", [
    "می\u200cخواهم",  # Persian: the non-joiner belongs to the word
    "👨\u200d👩\u200d👧",  # a family emoji is joined by ZWJ
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # the flag of Scotland
    "שלום עולם", "árvíztűrő tükörfúrógép", "line one\r\n\tline two",
])
def test_writing_that_needs_its_joiners_is_shown_as_written(text: str) -> None:
    assert customer_text(text) == f"<bdi>{text}</bdi>"


@pytest.mark.parametrize(("text", "code"), [
    ("pay\u200dpal", "U+200D"), ("x\U000e0041", "U+E0041"), ("a\u00adb", "U+00AD"), ("a\u2066b", "U+2066"),
    ("a\x1bb", "U+001B"), ("a\u3164b", "U+3164"),
])
def test_hidden_characters_get_a_marker(text: str, code: str) -> None:
    assert f"⟨{code}⟩" in customer_text(text)


@given(st.text(max_size=40))
def test_customer_text_is_escaped_and_holds_no_hidden_character(text: str) -> None:
    shown = customer_text(text)
    rest = OUR_TAGS.sub("", str(shown))

    assert "<" not in rest and ">" not in rest
    for index, character in enumerate(rest):
        if unicodedata.category(character) in ("Cf", "Cc") and character not in "\t\n\r":
            assert character in "\u200c\u200d" or 0xE0020 <= ord(character) <= 0xE007F, (text, index)


def test_every_format_control_and_separator_character_of_unicode_gets_a_marker() -> None:
    hidden = [chr(code) for code in range(0x110000)
              if unicodedata.category(chr(code)) in ("Cf", "Cc", "Zl", "Zp") and chr(code) not in "\t\n\r"]

    unmarked = [f"U+{ord(c):04X}" for c in hidden if f"⟨U+{ord(c):04X}⟩" not in customer_text(f"a{c}b")]

    assert len(hidden) > 200 and unmarked == []
