"""Answers to the survey on how a complaint was handled are kept apart from the site's own feedback: they do
not move the dashboard's CSAT, its trend, low-score words, comments or themes, nor show in the responses list
by default; the complaint analysis reports them; erasing the customer (which deletes the survey link) keeps
them apart."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.satisfaction import handling_satisfaction
from feedbackwidget.core.models import Response, Site, Survey, utcnow
from feedbackwidget.digest import low_score_reasons, period_stats
from feedbackwidget.metrics import last_days, refresh
from feedbackwidget.metrics.follow_up import follow_up_share
from feedbackwidget.privacy import Person, erase_person
from feedbackwidget.themes.models import ResponseTheme
from feedbackwidget.themes.pending import analyse_pending

from .invitation_support import score_links
from .smtp import SmtpServer
from .test_complaints_satisfaction import closed, mail_app, sent, session, survey_mails  # noqa: F401 (fixtures)
from .test_complaints_workflow import staff  # noqa: F401 (the staff fixture)
from .test_complaints_workflow import Actor
from .test_invitations_flow import answer

DASHBOARD = "/feedback/admin/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def site_csat(session: Session, site: Site, *ratings: str, days_ago: float = 0) -> None:
    """The site's own CSAT answers, as the widget stores them."""
    survey = session.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "csat"))
    for rating in ratings:
        session.add(Response(site_id=site.id, survey_id=survey, locale="en", answers={"rating": rating}, csat=rating,
                             comment="Friendly shop", created_at=utcnow() - dt.timedelta(days=days_ago)))
    session.commit()


def unhappy_with_handling(app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer) -> int:
    """A closed complaint whose customer answers 'bad' with a reason; the response's id."""
    closed(session, site, app, staff)
    sent(app)
    [mail] = survey_mails(smtp, 2)
    session.commit()
    assert answer(app, score_links(mail)["Rossz"], {"reason": "Took three weeks"}).status_code == 302
    session.expire_all()
    found = session.scalar(select(Response.id).where(Response.comment == "Took three weeks"))
    assert found is not None
    session.commit()  # end the read: an open transaction would lock SQLite against the next writer
    return int(found)


def test_a_bad_answer_about_a_complaints_handling_does_not_move_the_sites_csat(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer,
        logged_in: Callable[..., FlaskClient]) -> None:
    site_csat(session, site, "excellent", "excellent")
    unhappy_with_handling(mail_app, site, session, staff, smtp)

    page = logged_in("manager").get(f"{DASHBOARD}?site={site.id}&period=7").text
    words = text_of(page)

    assert "CSAT: excellent 100% based on 2 answers" in words
    assert "Took three weeks" not in page and "three" not in text_of(page.split("Words in low-score reasons")[1])
    assert "Latest CSAT, from" in words and "100% excellent (2 answers)" in words


def test_the_rolled_up_days_leave_it_out_too(mail_app: Flask, site: Site, session: Session, staff: Actor,
                                             smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    site_csat(session, site, "excellent", "good", days_ago=2)
    response_id = unhappy_with_handling(mail_app, site, session, staff, smtp)
    session.execute(update(Response).where(Response.id == response_id)
                    .values(created_at=utcnow() - dt.timedelta(days=2)))
    session.commit()
    today = utcnow().date()
    refresh(get_state(mail_app).engine, today - dt.timedelta(days=30), today)

    words = text_of(logged_in("manager").get(f"{DASHBOARD}?site={site.id}&period=7").text)

    assert "CSAT: excellent 50% based on 2 answers" in words


def test_the_responses_list_keeps_them_apart_and_shows_them_on_request(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer,
        logged_in: Callable[..., FlaskClient]) -> None:
    site_csat(session, site, "excellent")
    response_id = unhappy_with_handling(mail_app, site, session, staff, smtp)
    manager = logged_in("manager")

    listed = manager.get(f"/feedback/admin/responses?site={site.id}").text
    apart = manager.get(f"/feedback/admin/responses?site={site.id}&purpose=complaint_handling").text
    exported = manager.get(f"/feedback/admin/responses.csv?site={site.id}").get_data(as_text=True)
    detail = text_of(manager.get(f"/feedback/admin/responses/{response_id}").text)

    assert "Friendly shop" in listed and "Took three weeks" not in listed
    assert "Answers about how complaints were handled are kept apart. Show them" in text_of(listed)
    assert "Took three weeks" in apart and "Friendly shop" not in apart
    assert "Show the site's feedback" in text_of(apart)
    assert "Friendly shop" in exported and "Took three weeks" not in exported
    assert "An answer to the survey on how a complaint was handled" in detail


def test_the_complaint_analysis_reports_them_even_after_the_customer_is_erased(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer,
        logged_in: Callable[..., FlaskClient]) -> None:
    site_csat(session, site, "excellent")
    unhappy_with_handling(mail_app, site, session, staff, smtp)

    erase_person(session, Person(email="peter@example.com"))

    handling = handling_satisfaction(session, site.id)
    session.commit()
    assert (handling.answers, handling.satisfied) == (1, 0)
    words = text_of(logged_in("manager").get(f"{DASHBOARD}?site={site.id}&period=7").text)
    assert "CSAT: excellent 100% based on 1 answer" in words


def test_the_themes_worker_finds_no_themes_in_them(mail_app: Flask, site: Site, session: Session, staff: Actor,
                                                   smtp: SmtpServer) -> None:
    response_id = unhappy_with_handling(mail_app, site, session, staff, smtp)
    session.execute(update(Response).where(Response.id == response_id).values(comment="Slow delivery and rude staff"))
    site_csat(session, site, "bad")
    session.execute(update(Response).where(Response.comment == "Friendly shop").values(comment="Slow delivery"))
    session.commit()

    analyse_pending(get_state(mail_app).engine)

    themed = set(session.scalars(select(ResponseTheme.response_id)))
    assert response_id not in themed and len(themed) == 1


def test_the_follow_up_share_and_the_weekly_digest_leave_them_out_too(
        mail_app: Flask, site: Site, session: Session, staff: Actor, smtp: SmtpServer) -> None:
    site_csat(session, site, "excellent")
    unhappy_with_handling(mail_app, site, session, staff, smtp)
    now = utcnow()

    follow_up = follow_up_share(session, [site.id], last_days(7), now)
    session.commit()
    with get_state(mail_app).engine.connect() as connection:
        week = period_stats(connection, site.id, now - dt.timedelta(days=7), now + dt.timedelta(minutes=1))
        reasons = low_score_reasons(connection, site.id, now - dt.timedelta(days=7), now + dt.timedelta(minutes=1))

    assert follow_up.detractors == 0, "a bad answer about a complaint's handling is no detractor of the shop"
    assert (week.responses, week.csat) == (1, 100.0) and reasons == []
