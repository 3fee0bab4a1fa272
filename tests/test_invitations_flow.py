"""From an order to an invitation e-mail to an answer linked to the order, over real SMTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.invitations.funnel import funnel
from feedbackwidget.invitations.models import Suppression
from feedbackwidget.core.models import Response, Site
from feedbackwidget.surveys.models import SurveyLink

from .invitation_support import (form_fields, html_part, invitations, links, order, path, rule, run, score_links,
                                 text_part, tomorrow_at)
from .smtp import SmtpServer
from .test_hosted_survey import chosen, readable_parts


@pytest.fixture
def mail_app(make_app: Any, smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def answer(app: Flask, url: str, extra: dict[str, str] | None = None) -> Any:
    """Open *url* as the customer, and send the page with what it opened with (plus *extra*)."""
    client = app.test_client()
    page = client.get(path(url), follow_redirects=True)
    html = page.get_data(as_text=True)
    data = {**form_fields(html), **{f"q_{key}": value for key, value in (extra or {}).items()}}
    for key in ("score", "rating"):
        if chosen(html, key):
            data[f"q_{key}"] = chosen(html, key)[0]
    return client.post(page.request.full_path.rstrip("?"), data=data)


def stored(db: Session) -> list[Response]:
    db.expire_all()
    return list(db.scalars(select(Response).order_by(Response.id)))


def test_a_paid_order_brings_an_e_mail_whose_answer_is_linked_to_the_order(
        mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site, delay_minutes=3 * 24 * 60)
    order(db, site, "A-1001", at=tomorrow_at(10))

    run(mail_app, tomorrow_at(10) + dt.timedelta(days=2))
    assert smtp.messages == [], "not before its delay"
    run(mail_app, tomorrow_at(10) + dt.timedelta(days=3))

    [mail] = smtp.wait_for(1)
    assert mail["To"] == "ann@example.com"
    assert mail["Subject"] == "How was your order from Test Shop?"
    assert "Thank you for your order A-1001." in text_part(mail)
    assert sorted(score_links(mail), key=int) == [str(n) for n in range(11)]
    response = answer(mail_app, score_links(mail)["9"], {"reason": "Fast delivery"})
    assert response.status_code == 302
    [answered] = stored(db)
    assert answered.nps_score == 9 and answered.comment == "Fast delivery"
    assert answered.customer_email == "ann@example.com" and answered.customer_id == "C-1"
    link = db.scalar(select(SurveyLink).where(SurveyLink.response_id == answered.id))
    assert link is not None and (link.order_reference, link.channel) == ("A-1001", "email")
    assert invitations(db)[0].link_id == link.id


def test_a_mail_scanner_opening_every_link_records_nothing(mail_app: Flask, site: Site, db: Session,
                                                           smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)
    scanner = mail_app.test_client()

    opened = [scanner.get(path(url), follow_redirects=True).status_code for url in links(mail)]

    assert len(links(mail)) == 12 and set(opened) == {200}  # eleven scores and the unsubscribe page
    assert stored(db) == []
    assert db.scalars(select(SurveyLink.response_id)).all() == [None]
    assert db.scalars(select(Suppression)).all() == []


def test_the_page_opens_with_the_score_chosen_and_asks_to_confirm(mail_app: Flask, site: Site, db: Session,
                                                                  smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    page = mail_app.test_client().get(path(score_links(mail)["3"]), follow_redirects=True)

    html = page.get_data(as_text=True)
    assert chosen(html) == ["3"] and "A-1001" in html and 'type="submit"' in html
    assert stored(db) == []


def test_one_answer_per_invitation_a_second_click_changes_it(mail_app: Flask, site: Site, db: Session,
                                                             smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    answer(mail_app, score_links(mail)["4"])
    answer(mail_app, score_links(mail)["8"])

    assert [r.nps_score for r in stored(db)] == [8]


def test_the_text_part_works_alone_and_the_html_part_has_the_same_links(mail_app: Flask, site: Site, db: Session,
                                                                         smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)
    text = text_part(mail)

    assert text.startswith("Hello Ann Smith,")
    assert "How likely are you to recommend us to a friend or colleague?" in text
    assert "Unsubscribe from survey e-mails: https://shop.example/feedback/unsubscribe/" in text
    for url in score_links(mail).values():
        assert url.replace("&", "&amp;") in html_part(mail)


def test_the_links_hold_no_readable_personal_data(mail_app: Flask, site: Site, db: Session, smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, "A-77", at=tomorrow_at(10), email="ann.smith@example.com", customer_id="C-9931")
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    for url in links(mail):
        assert "%40" not in url and "@" not in url
        for part in readable_parts(url):
            assert not any(data in part for data in ("example.com", "Ann", "Smith", "A-77", "C-9931"))


def test_a_csat_survey_is_answered_with_one_of_three_links(mail_app: Flask, site: Site, db: Session,
                                                           smtp: SmtpServer) -> None:
    rule(db, site, survey="csat", event="delivered")
    order(db, site, event="delivered", at=tomorrow_at(10))
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    assert list(score_links(mail)) == ["Excellent", "Good", "Bad"]
    answer(mail_app, score_links(mail)["Good"])

    assert [r.csat for r in stored(db)] == ["good"]


def test_the_mail_speaks_the_customers_language_else_the_sites(mail_app: Flask, site: Site, db: Session,
                                                               smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, "H-1", at=tomorrow_at(10), email="hu@example.com", customer_id="C-hu", language="hu-HU")
    order(db, site, "Z-1", at=tomorrow_at(10), email="zh@example.com", customer_id="C-zh", language="zh-CN")
    order(db, site, "X-1", at=tomorrow_at(10), email="xx@example.com", customer_id="C-xx", language="fr")
    run(mail_app, tomorrow_at(10))

    subjects = {mail["To"]: mail["Subject"] for mail in smtp.wait_for(3)}
    assert subjects == {"hu@example.com": "Milyen volt a rendelése a(z) Test Shop áruháztól?",
                        "zh@example.com": "您在 Test Shop 的订单体验如何？",
                        "xx@example.com": "How was your order from Test Shop?"}


def test_the_funnel_counts_sent_and_answered_by_survey_and_week(mail_app: Flask, site: Site, db: Session,
                                                                smtp: SmtpServer) -> None:
    rule(db, site)
    for number in range(3):
        order(db, site, f"F-{number}", at=tomorrow_at(10), email=f"f{number}@example.com", customer_id=f"F{number}")
    run(mail_app, tomorrow_at(10))
    mails = smtp.wait_for(3)
    answer(mail_app, score_links(mails[0])["10"])

    by_survey, by_week = funnel(db, site.id, tomorrow_at(12))

    [nps] = by_survey
    assert (nps.label, nps.sent, nps.failed, nps.answered, nps.waiting) == ("nps", 3, 0, 1, 0)
    assert nps.response_rate == pytest.approx(1 / 3)
    assert [week.sent for week in by_week] == [3]
