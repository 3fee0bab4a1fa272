"""The complaint workflow, deadlines and reminders as domain functions, on a controlled clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.audit import history
from feedbackwidget.complaints.context import CUSTOMER, SYSTEM, Actor, Context, Settings
from feedbackwidget.complaints.deadlines import days_left, is_overdue, needs_reminder
from feedbackwidget.complaints.intake import Origin, receive_complaint
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.complaints.references import ALPHABET, new_reference, normalize_reference, token_matches
from feedbackwidget.complaints.reminders import send_deadline_notices
from feedbackwidget.complaints.validation import ComplaintInput
from feedbackwidget.complaints.workflow import (
    WorkflowError,
    add_message,
    assign,
    change_status,
    escalate,
    set_compensation,
    set_root_cause,
    set_verdict,
)
from feedbackwidget.core.models import AdminUser, OutboxMessage, Site, SiteMembership
from feedbackwidget.sites import load_site_config

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTINGS = Settings(deadline_days=30, reminder_days=5, public_base="https://fb.example/feedback",
                    url_prefix="/feedback")
INPUT = ComplaintInput(name="Nagy Péter", email="peter@example.com", category="product_quality",
                       description="The kettle leaks.", desired_resolution="Replacement", consent=True)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with app.test_request_context(), Session(get_state(app).engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def staff(session: Session, site: Site) -> Actor:
    # Inserted directly: hashing a password would only slow the test down.
    user = AdminUser(email="manager@shop.example", password_hash="-", is_superuser=False, locale="en")
    session.add(user)
    session.flush()
    session.add(SiteMembership(user_id=user.id, site_id=site.id, role="manager"))
    session.commit()
    return Actor(user.id, user.email)


def context(session: Session, site: Site, app: Flask, actor: Actor = CUSTOMER, now: dt.datetime = T0) -> Context:
    config = load_site_config(session, site.key)
    assert config is not None
    return Context(session, config, actor, now, SETTINGS, get_state(app).drafts_for)


def received(session: Session, site: Site, app: Flask, now: dt.datetime = T0) -> Complaint:
    result = receive_complaint(context(session, site, app, now=now), INPUT, Origin("web", "hu"))
    session.commit()
    return result.complaint


def mails_to(session: Session, recipient: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                .order_by(OutboxMessage.id)))


def test_references_are_readable_unguessable_and_forgiving() -> None:
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    sample = next(iter(references))
    assert sample.startswith("FW-") and len(sample) == 12
    assert set(sample[3:].replace("-", "")) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)
    assert normalize_reference("fw 7kq4 93zd") == "FW-7KQ4-93ZD"
    assert normalize_reference("7KQ4-93ZO") == "FW-7KQ4-93Z0"
    assert normalize_reference("FW-7KQ4") is None
    assert token_matches("secret", None) is False


def test_the_deadline_is_thirty_days_with_a_reminder_before_and_overdue_after(
    session: Session, site: Site, app: Flask
) -> None:
    complaint = received(session, site, app)

    assert complaint.due_at == T0 + dt.timedelta(days=30)
    assert not needs_reminder(complaint, T0 + dt.timedelta(days=24), 5)
    assert needs_reminder(complaint, T0 + dt.timedelta(days=25), 5)
    assert days_left(complaint, T0 + dt.timedelta(days=25)) == 5
    assert not is_overdue(complaint, T0 + dt.timedelta(days=30) - dt.timedelta(seconds=1))
    assert is_overdue(complaint, T0 + dt.timedelta(days=30))
    assert days_left(complaint, T0 + dt.timedelta(days=30, hours=1)) == -1


def test_a_complaint_goes_through_its_whole_life_with_every_step_audited(
    session: Session, site: Site, app: Flask, staff: Actor
) -> None:
    complaint = received(session, site, app)
    ctx = context(session, site, app, staff, T0 + dt.timedelta(hours=3))

    assign(ctx, complaint, staff.id)
    change_status(ctx, complaint, "start")
    escalate(ctx.at(T0 + dt.timedelta(hours=5)), complaint, 2, "Needs the kettle supplier")
    add_message(ctx.at(T0 + dt.timedelta(hours=6)), complaint, "internal", "Supplier batch 42 again")
    add_message(ctx.at(T0 + dt.timedelta(hours=7)), complaint, "public", "Sajnáljuk! Küldünk egy újat.")
    set_verdict(ctx, complaint, "justified")
    set_root_cause(ctx, complaint, "product_defect")
    set_compensation(ctx, complaint, "replacement", "12990", "huf")
    change_status(ctx.at(T0 + dt.timedelta(days=2)), complaint, "resolve")
    change_status(ctx.at(T0 + dt.timedelta(days=3)), complaint, "reopen")
    change_status(ctx.at(T0 + dt.timedelta(days=4)), complaint, "resolve")
    session.commit()

    assert (complaint.status, complaint.assignee_id, complaint.escalation_level) == ("resolved", staff.id, 2)
    assert complaint.first_response_at == T0 + dt.timedelta(hours=7)  # the public reply, not "start"
    assert complaint.resolved_at == T0 + dt.timedelta(days=4)
    assert complaint.reopen_count == 1
    assert (complaint.compensation_amount, complaint.compensation_currency) == (Decimal("12990.00"), "HUF")
    trail = [(e.actor, e.action, e.field, e.old_value, e.new_value) for e in history(ctx, complaint)]
    assert trail[0] == ("customer", "received", "channel", None, "web")
    assert ("manager@shop.example", "assigned", "assignee_id", None, staff.id) in trail
    assert ("manager@shop.example", "start", "status", "received", "in_progress") in trail
    assert ("manager@shop.example", "escalated", "escalation_level", 1, 2) in trail
    assert ("manager@shop.example", "compensated", "compensation_amount", None, "12990.00") in trail
    assert ("manager@shop.example", "reopen", "status", "resolved", "in_progress") in trail
    assert [m.subject for m in mails_to(session, "peter@example.com")] == [
        f"Megkaptuk a panaszát ({complaint.reference})", f"Válasz a panaszára ({complaint.reference})",
        f"Hogyan kezeltük a panaszát ({complaint.reference})?",  # closed twice, asked once
    ]
    assert "Sajnáljuk! Küldünk egy újat." in mails_to(session, "peter@example.com")[1].payload["text"]
    assert "Supplier batch 42" not in str([m.payload for m in mails_to(session, "peter@example.com")])


def test_a_public_reply_is_a_first_response(session: Session, site: Site, app: Flask, staff: Actor) -> None:
    complaint = received(session, site, app)
    add_message(context(session, site, app, staff, T0 + dt.timedelta(hours=9)), complaint, "public", "On it.")
    assert complaint.first_response_at == T0 + dt.timedelta(hours=9)


def test_starting_work_is_not_a_response_the_customer_received(
    session: Session, site: Site, app: Flask, staff: Actor
) -> None:
    complaint = received(session, site, app)
    ctx = context(session, site, app, staff, T0 + dt.timedelta(minutes=5))
    change_status(ctx, complaint, "start")
    add_message(ctx.at(T0 + dt.timedelta(hours=1)), complaint, "internal", "Asked the warehouse")
    assert complaint.first_response_at is None
    add_message(ctx.at(T0 + dt.timedelta(hours=4)), complaint, "public", "A new kettle is on its way.")
    assert complaint.first_response_at == T0 + dt.timedelta(hours=4)


def test_rejecting_marks_the_complaint_unfounded(session: Session, site: Site, app: Flask, staff: Actor) -> None:
    complaint = received(session, site, app)
    change_status(context(session, site, app, staff), complaint, "reject")
    assert (complaint.status, complaint.verdict, complaint.resolved_at) == ("rejected", "unfounded", T0)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda ctx, c: change_status(ctx, c, "reopen"), "cannot reopen a complaint that is received"),
        (lambda ctx, c: escalate(ctx, c, 4, "x"), "escalation level must be 1"),
        (lambda ctx, c: escalate(ctx, c, 2, "  "), "give a reason"),
        (lambda ctx, c: set_verdict(ctx, c, "maybe"), "justified"),
        (lambda ctx, c: set_root_cause(ctx, c, "bad luck"), "unknown root cause"),
        (lambda ctx, c: set_compensation(ctx, c, "refund", "-5", "HUF"), "0 or more"),
        (lambda ctx, c: set_compensation(ctx, c, "refund", "1.234", "HUF"), "at most 2 decimals"),
        (lambda ctx, c: set_compensation(ctx, c, "refund", "100", ""), "currency"),
        (lambda ctx, c: add_message(ctx, c, "public", "   "), "1 to"),
        (lambda ctx, c: assign(ctx, c, 999_999), "not an owner or manager"),
    ],
)
def test_impossible_changes_say_what_to_do(
    session: Session, site: Site, app: Flask, staff: Actor, action: object, message: str
) -> None:
    complaint = received(session, site, app)
    with pytest.raises(WorkflowError, match="(?i)" + message):
        action(context(session, site, app, staff), complaint)  # type: ignore[operator]


def test_reminders_and_overdue_notices_are_written_once_each(
    session: Session, site: Site, app: Flask, staff: Actor
) -> None:
    complaint = received(session, site, app)
    assign(context(session, site, app, staff), complaint, staff.id)
    session.commit()

    def run(days: float) -> tuple[int, int]:
        sites = {site.id: load_site_config(session, site.key)}
        counts = send_deadline_notices(session, T0 + dt.timedelta(days=days), SETTINGS, sites.get,
                                       get_state(app).drafts_for)
        session.commit()
        return counts.reminders, counts.overdue

    assert run(20) == (0, 0)
    assert run(25.5) == (1, 0)
    assert run(26) == (0, 0)
    assert run(30) == (0, 1)
    assert run(31) == (0, 0)
    subjects = [m.subject for m in mails_to(session, "manager@shop.example")]
    assert subjects == [f"Complaint {complaint.reference} is due on April 1, 2026",
                        f"Complaint {complaint.reference} is overdue (was due on April 1, 2026)"]
    assert "https://fb.example/feedback/admin/complaints/" in mails_to(session, "manager@shop.example")[0].payload["text"]
    assert [e.action for e in history(context(session, site, app, SYSTEM), complaint)][-2:] == [
        "reminder", "overdue_notice"]


def test_a_resolved_complaint_is_never_reminded(session: Session, site: Site, app: Flask, staff: Actor) -> None:
    complaint = received(session, site, app)
    change_status(context(session, site, app, staff), complaint, "resolve")
    session.commit()
    counts = send_deadline_notices(session, T0 + dt.timedelta(days=40), SETTINGS,
                                   {site.id: load_site_config(session, site.key)}.get, get_state(app).drafts_for)
    assert (counts.reminders, counts.overdue) == (0, 0)


def test_the_remind_command_writes_each_notice_once(session: Session, site: Site, app: Flask) -> None:
    complaint = received(session, site, app)
    runner = app.test_cli_runner()

    due_soon = runner.invoke(args=["feedbackwidget", "complaints", "remind", "--now", "2026-03-29T09:00:00"])
    again = runner.invoke(args=["feedbackwidget", "complaints", "remind", "--now", "2026-03-29T10:00:00"])
    late = runner.invoke(args=["feedbackwidget", "complaints", "remind", "--now", "2026-04-02T09:00:00+00:00"])

    assert due_soon.output.startswith("1 reminder(s) and 0 overdue"), due_soon.output
    assert again.output.startswith("0 reminder(s) and 0 overdue")
    assert late.output.startswith("0 reminder(s) and 1 overdue")
    # Unassigned: the reminder goes to the site's alert address.
    assert [m.subject for m in mails_to(session, "owner@shop.example") if "due on" in m.subject] == [
        f"Complaint {complaint.reference} is due on April 1, 2026"]


def test_an_assignee_is_told_unless_they_took_the_complaint_themselves(
    session: Session, site: Site, app: Flask, staff: Actor
) -> None:
    complaint = received(session, site, app)
    owner = Actor(None, "owner@shop.example")

    assign(context(session, site, app, owner), complaint, staff.id)
    assign(context(session, site, app, staff), complaint, None)
    assign(context(session, site, app, staff, T0 + dt.timedelta(hours=1)), complaint, staff.id)
    session.commit()

    [mail] = mails_to(session, "manager@shop.example")
    assert mail.subject == f"Complaint {complaint.reference} has been assigned to you"
    assert "https://fb.example/feedback/admin/complaints/" in mail.payload["text"]
