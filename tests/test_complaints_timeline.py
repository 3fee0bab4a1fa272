"""A complaint's timeline: the audit trail and the messages told in sentences, in en, hu and zh."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.audit import history
from feedbackwidget.complaints.context import Actor
from feedbackwidget.complaints.deadlines import countdown
from feedbackwidget.complaints.models import Complaint, ComplaintMessage
from feedbackwidget.complaints.timeline import Entry, Reader, readable_time, timeline
from feedbackwidget.complaints.workflow import (
    add_message,
    assign,
    change_status,
    escalate,
    set_compensation,
    set_root_cause,
    set_verdict,
)
from feedbackwidget.core.models import Site

from .test_complaints_workflow import T0, context, received, session, staff  # noqa: F401 (fixtures)

UTC = dt.timezone.utc


def handled(session: Session, site: Site, app: Flask, staff: Actor) -> Complaint:  # noqa: F811
    complaint = received(session, site, app)
    ctx = context(session, site, app, staff, T0 + dt.timedelta(hours=1, microseconds=123456))
    assign(ctx, complaint, staff.id)
    change_status(ctx, complaint, "start")
    escalate(ctx.at(T0 + dt.timedelta(hours=2)), complaint, 2, "needs a technician")
    add_message(ctx.at(T0 + dt.timedelta(hours=3)), complaint, "internal", "Batch 42 again")
    add_message(ctx.at(T0 + dt.timedelta(hours=4)), complaint, "public", "Küldünk egy új vízforralót.")
    set_verdict(ctx.at(T0 + dt.timedelta(hours=5)), complaint, "justified")
    set_root_cause(ctx.at(T0 + dt.timedelta(hours=5)), complaint, "product_defect")
    set_compensation(ctx.at(T0 + dt.timedelta(hours=6)), complaint, "refund", "1490", "HUF")
    change_status(ctx.at(T0 + dt.timedelta(days=1)), complaint, "resolve")
    session.commit()
    return complaint


def story(session: Session, site: Site, app: Flask, complaint: Complaint, locale: str,  # noqa: F811
          people: dict[int, str]) -> list[Entry]:
    messages = session.scalars(select(ComplaintMessage).where(ComplaintMessage.complaint_id == complaint.id)).all()
    events = history(context(session, site, app), complaint)
    return timeline(complaint.description, events, list(messages), Reader(locale, people))


def test_the_timeline_tells_the_story_in_sentences(
    session: Session, site: Site, app: Flask, staff: Actor  # noqa: F811
) -> None:
    complaint = handled(session, site, app, staff)
    entries = story(session, site, app, complaint, "en", {staff.id: "Anna"})  # type: ignore[dict-item]

    assert [(e.kind, e.sentence) for e in entries] == [
        ("customer", "The customer complained through the web form."),
        ("change", "Anna took it on."),
        ("change", "Anna started working on it."),
        ("change", "Anna escalated to level 2: needs a technician"),
        ("note", "Anna added an internal note."),
        ("reply", "Anna replied to the customer."),
        ("change", "Anna judged the complaint justified."),
        ("change", "Anna named the root cause: Product defect."),
        ("change", "Anna recorded a compensation: Refund of HUF1,490."),
        ("change", "Anna marked it resolved."),
    ]
    assert entries[0].body == "The kettle leaks."
    assert (entries[4].body, entries[5].body) == ("Batch 42 again", "Küldünk egy új vízforralót.")
    text = " ".join(e.sentence for e in entries)
    for raw in ("first_response_at", "assignee_id", "product_defect", "escalation_level", "in_progress", "None"):
        assert raw not in text


@pytest.mark.parametrize(("locale", "sentences"), [
    ("hu", ["Az ügyfél a webes űrlapon tett panaszt.",
            "manager@shop.example 2. szintre eszkalálta: needs a technician",
            "manager@shop.example megnevezte a kiváltó okot: Termékhiba.",
            "manager@shop.example megoldottnak jelölte."]),
    ("zh", ["客户通过网页表单提交了投诉。", "manager@shop.example 升级至第2级：needs a technician",
            "manager@shop.example 确定了根本原因：产品缺陷。", "manager@shop.example 将其标记为已解决。"]),
])
def test_the_timeline_speaks_the_readers_language(
    session: Session, site: Site, app: Flask, staff: Actor, locale: str, sentences: list[str]  # noqa: F811
) -> None:
    complaint = handled(session, site, app, staff)
    told = [e.sentence for e in story(session, site, app, complaint, locale, {})]
    for sentence in sentences:
        assert sentence in told


@dataclass
class Row:
    actor: str
    action: str
    field: str | None
    new_value: Any
    actor_id: int | None = None
    old_value: Any = None
    created_at: dt.datetime = T0


def test_assigning_to_someone_else_names_them_and_a_deleted_account_still_reads() -> None:
    rows = [Row("owner@shop.example", "assigned", "assignee_id", 7, actor_id=1),
            Row("owner@shop.example", "assigned", "assignee_id", None, actor_id=1)]
    told = [e.sentence for e in timeline("d", rows, [], Reader("en", {1: "Olga", 7: "Anna"}))]
    assert told == ["Olga assigned it to Anna.", "Olga unassigned it."]
    told = [e.sentence for e in timeline("d", rows, [], Reader("en", {}))]
    assert told[0] == "owner@shop.example assigned it to a former staff member."


def test_reminders_come_from_the_system() -> None:
    rows = [Row("system", "reminder", None, ["anna@shop.example"]), Row("system", "overdue_notice", None, [])]
    entries = timeline("d", rows, [], Reader("hu", {}))
    assert [(e.kind, e.sentence) for e in entries] == [
        ("system", "Közeleg a határidő, emlékeztetőt kapott: anna@shop.example."),
        ("system", "Lejárt a határidő, értesítést kapott: senki."),
    ]


def test_a_rejection_is_one_sentence(session: Session, site: Site, app: Flask, staff: Actor) -> None:  # noqa: F811
    complaint = received(session, site, app)
    change_status(context(session, site, app, staff, T0 + dt.timedelta(hours=1)), complaint, "reject")
    session.commit()
    told = [e.sentence for e in story(session, site, app, complaint, "en", {})]
    assert told[1:] == ["manager@shop.example rejected it as unfounded."]


def test_times_read_without_seconds_in_each_language() -> None:
    moment = dt.datetime(2026, 12, 7, 14, 5, 33, 123456, tzinfo=UTC)
    assert readable_time(moment, "en") == "Dec 7, 2026, 14:05"
    assert readable_time(moment, "hu") == "2026. dec. 7. 14:05"
    assert readable_time(moment, "zh") == "2026年12月7日 14:05"
    assert not re.search(r"\d\d:\d\d:\d\d", readable_time(moment, "en"))


def test_the_deadline_as_a_countdown_with_plural_forms(session: Session, site: Site, app: Flask) -> None:  # noqa: F811
    complaint = received(session, site, app)
    assert countdown(complaint, T0 + dt.timedelta(days=18), "en") == "12 days left"
    assert countdown(complaint, T0 + dt.timedelta(days=29), "en") == "1 day left"
    assert countdown(complaint, T0 + dt.timedelta(days=29, hours=2), "en") == "Less than a day left"
    assert countdown(complaint, T0 + dt.timedelta(days=30, hours=1), "en") == "Overdue since today"
    assert countdown(complaint, T0 + dt.timedelta(days=33, hours=1), "en") == "3 days overdue"
    assert countdown(complaint, T0 + dt.timedelta(days=31), "en") == "1 day overdue"
    assert countdown(complaint, T0 + dt.timedelta(days=18), "hu") == "12 nap van hátra"
    assert countdown(complaint, T0 + dt.timedelta(days=33, hours=1), "zh") == "已逾期 3 天"
    complaint.status = "resolved"
    assert countdown(complaint, T0, "en") == ""
