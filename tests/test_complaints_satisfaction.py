"""The survey on how a complaint was handled: mailed once on closing, answered on the hosted page, flagged, reported."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.context import Actor, Context
from feedbackwidget.complaints.intake import Origin, receive_complaint
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.complaints.satisfaction import MIN_ANSWERS, answer_of, flagged_ids, handling_satisfaction
from feedbackwidget.complaints.workflow import change_status
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.invitations.models import Suppression
from feedbackwidget.core.models import Response, Site, utcnow
from feedbackwidget.sites import load_site_config
from feedbackwidget.surveys.models import SurveyLink

from .invitation_support import links, path, score_links, text_part
from .smtp import SmtpServer
from .test_complaints_workflow import INPUT, SETTINGS, T0, staff  # noqa: F401 (the staff fixture)
from .test_invitations_flow import answer


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


@pytest.fixture
def session(mail_app: Flask) -> Iterator[Session]:
    with Session(get_state(mail_app).engine, expire_on_commit=False) as session:
        yield session


def ctx(session: Session, site: Site, app: Flask, actor: Actor, now: dt.datetime = T0) -> Context:
    config = load_site_config(session, site.key)
    assert config is not None
    settings = dataclasses.replace(SETTINGS, public_base="https://shop.example/feedback")
    return Context(session, config, actor, now, settings, get_state(app).drafts_for)


def closed(session: Session, site: Site, app: Flask, staff: Actor, action: str = "resolve", locale: str = "hu",
           **changes: Any) -> Complaint:
    # Mails are rendered with the app's templates; the context is popped before the customer's requests (a
    # pushed one would be shared with them, and its cached CSRF token with it).
    with app.test_request_context():
        context = ctx(session, site, app, staff)
        complaint = receive_complaint(context, dataclasses.replace(INPUT, **changes), Origin("web", locale)).complaint
        change_status(context.at(T0 + dt.timedelta(days=1)), complaint, action)
        session.commit()
    return complaint


def sent(app: Flask) -> None:
    """Send the outbox to the SMTP server."""
    with app.app_context():
        drain(get_state(app).engine, WorkerSettings.for_app(app))


def survey_mails(smtp: SmtpServer, count: int, to: str = "peter@example.com") -> list[Any]:
    return [m for m in smtp.wait_for(count) if m["To"] == to and "Megkaptuk" not in str(m["Subject"])
            and "received" not in str(m["Subject"]) and "收到" not in str(m["Subject"])]


def test_closing_a_complaint_mails_one_question_in_its_language_and_a_bad_answer_flags_it(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer,
        logged_in: Callable[..., FlaskClient]) -> None:
    complaint = closed(session, site, mail_app, staff)
    sent(mail_app)
    [mail] = survey_mails(smtp, 2)
    assert mail["Subject"] == f"Hogyan kezeltük a panaszát ({complaint.reference})?"
    text = text_part(mail)
    assert f"Panaszát ({complaint.reference}) lezártuk." in text
    answers = score_links(mail)
    assert sorted(answers) == ["Jó", "Kiváló", "Rossz"]
    assert "peter" not in " ".join(answers.values()) and complaint.reference not in " ".join(answers.values())

    scanner = mail_app.test_client()
    for url in links(mail):
        scanner.get(path(url))
    assert session.scalars(select(Response)).all() == [], "a GET records nothing"
    assert flagged_ids(session, site.id) == set()
    session.commit()  # a reader's open transaction would lock SQLite against the answer

    assert answer(mail_app, answers["Rossz"], {"reason": "Took three weeks"}).status_code == 302
    session.expire_all()
    assert answer_of(session, complaint) == "bad"
    assert flagged_ids(session, site.id) == {complaint.id}
    [response] = session.scalars(select(Response)).all()
    assert (response.csat, response.customer_email) == ("bad", "peter@example.com")
    session.commit()

    manager = logged_in("manager")
    queue = manager.get("/feedback/admin/complaints/?status=all").text
    assert complaint.reference in queue and "Unhappy with the handling" in queue
    page = manager.get(f"/feedback/admin/complaints/{complaint.id}").text
    assert "Customer&#39;s view of the handling" in page and "Bad: for a manager to follow up" in page


def test_reopening_and_closing_again_does_not_ask_twice_and_a_rejected_one_is_asked_too(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer) -> None:
    complaint = closed(session, site, mail_app, staff, "reject", locale="zh")
    with mail_app.test_request_context():
        context = ctx(session, site, mail_app, staff, T0 + dt.timedelta(days=2))
        change_status(context, complaint, "reopen")
        change_status(context, complaint, "resolve")
        session.commit()
    sent(mail_app)
    [mail] = survey_mails(smtp, 2)
    assert mail["Subject"] == f"我们对您的投诉 {complaint.reference} 处理得如何？"
    assert sorted(score_links(mail)) == sorted(["非常好", "好", "差"])


def test_no_survey_to_a_suppressed_address_or_without_an_address(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer) -> None:
    session.add(Suppression(site_id=site.id, email="peter@example.com", reason="unsubscribed"))
    session.commit()
    closed(session, site, mail_app, staff)
    closed(session, site, mail_app, staff, email=None, phone="+36 30 123 4567")
    sent(mail_app)
    smtp.wait_for(3)  # the acknowledgement to the address given, two alerts to the shop
    subjects = [str(m["Subject"]) for m in smtp.messages if m["To"] == "peter@example.com"]
    assert len(subjects) == 1 and subjects[0].startswith("Megkaptuk a panaszát")
    session.expire_all()
    assert session.scalars(select(SurveyLink)).all() == []


def test_the_analysis_gives_the_share_satisfied_only_with_enough_answers(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer,
        logged_in: Callable[..., FlaskClient]) -> None:
    values = ["Kiváló", "Jó", "Rossz", "Jó"]
    for n, value in enumerate(values):
        closed(session, site, mail_app, staff, email=f"c{n}@example.com")
    sent(mail_app)
    mails = {m["To"]: m for m in smtp.wait_for(2 * len(values)) if "Hogyan" in str(m["Subject"])}
    for n, value in enumerate(values):
        reply = answer(mail_app, score_links(mails[f"c{n}@example.com"])[value])
        assert reply.status_code == 302, n
    session.expire_all()
    few = handling_satisfaction(session, site.id)
    assert (few.answers, few.satisfied, few.share) == (4, 3, None), f"under {MIN_ANSWERS} answers: too few"
    enough = dataclasses.replace(few, minimum=4)
    assert enough.share == 0.75
    session.commit()

    today = utcnow().date()  # the answers are stamped with the real clock, the complaints with T0
    analysis = logged_in("manager").get(f"/feedback/admin/complaints/analysis?period=custom&from={T0.date()}&to={today}")
    assert "Satisfaction with complaint handling" in analysis.text
    assert "Too few answers: 4 of the 5 needed for a share" in analysis.text
    session.expire_all()
    assert flagged_ids(session, site.id) == {session.scalars(select(Complaint.id).where(
        Complaint.customer_email == "c2@example.com")).one()}
