"""Unsubscribing (RFC 8058 one click, the page), the suppression list, and addresses refused for good."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.invitations.models import Suppression
from feedbackwidget.core.models import OutboxMessage, Site

from .invitation_support import invitations, order, path, rule, run, text_part, tomorrow_at
from .smtp import SmtpServer

DAY_MINUTES = 24 * 60
DAY = dt.timedelta(days=1)


@pytest.fixture
def mail_app(make_app: Any, smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def suppressed(db: Session) -> list[tuple[str, str]]:
    db.expire_all()
    return [(s.email, s.reason) for s in db.scalars(select(Suppression).order_by(Suppression.id))]


def unsubscribe_url(mail: Any) -> str:
    found = re.fullmatch(r"<(https://\S+)>", str(mail["List-Unsubscribe"]))
    assert found, mail["List-Unsubscribe"]
    return found.group(1)


def invited(app: Flask, db: Session, site: Site, smtp: SmtpServer, **rule_options: Any) -> Any:
    rule(db, site, **rule_options)
    order(db, site, at=tomorrow_at(10))
    run(app, tomorrow_at(10))
    return smtp.wait_for(1)[0]


def test_the_mail_carries_one_click_unsubscribe_headers_and_a_visible_link(mail_app: Flask, site: Site, db: Session,
                                                                          smtp: SmtpServer) -> None:
    mail = invited(mail_app, db, site, smtp)

    url = unsubscribe_url(mail)
    assert url.startswith("https://shop.example/feedback/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in text_part(mail)


def test_a_one_click_post_unsubscribes_without_a_page(mail_app: Flask, site: Site, db: Session,
                                                      smtp: SmtpServer) -> None:
    mail = invited(mail_app, db, site, smtp)

    response = mail_app.test_client().post(path(unsubscribe_url(mail)), data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert suppressed(db) == [("ann@example.com", "unsubscribed")]


def test_opening_the_unsubscribe_link_only_asks_and_its_button_unsubscribes(mail_app: Flask, site: Site,
                                                                            db: Session, smtp: SmtpServer) -> None:
    mail = invited(mail_app, db, site, smtp)
    client = mail_app.test_client()

    page = client.get(path(unsubscribe_url(mail)))
    assert page.status_code == 200 and "Test Shop will not ask you for your opinion" in page.text
    assert suppressed(db) == []
    done = client.post(path(unsubscribe_url(mail)), data={"List-Unsubscribe": "One-Click"})

    assert "You are unsubscribed" in done.text and suppressed(db) == [("ann@example.com", "unsubscribed")]


def test_the_unsubscribe_page_speaks_the_customers_language(mail_app: Flask, site: Site, db: Session,
                                                            smtp: SmtpServer) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10), language="hu")
    run(mail_app, tomorrow_at(10))
    [mail] = smtp.wait_for(1)

    page = mail_app.test_client().get(path(unsubscribe_url(mail)))

    assert '<html lang="hu">' in page.text and "Leiratkozás" in page.text


def test_a_mangled_unsubscribe_link_is_not_found_and_changes_nothing(mail_app: Flask, site: Site, db: Session,
                                                                     smtp: SmtpServer) -> None:
    invited(mail_app, db, site, smtp)

    response = mail_app.test_client().post("/feedback/unsubscribe/not-a-token", data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 404 and "This link does not work" in response.text
    assert suppressed(db) == []


def test_after_unsubscribing_no_reminder_and_no_invitation_go(mail_app: Flask, site: Site, db: Session,
                                                              smtp: SmtpServer) -> None:
    mail = invited(mail_app, db, site, smtp, reminder_minutes=4 * DAY_MINUTES, fatigue_days=0)
    mail_app.test_client().post(path(unsubscribe_url(mail)), data={"List-Unsubscribe": "One-Click"})
    order(db, site, "A-2002", at=tomorrow_at(11))

    run(mail_app, tomorrow_at(10).replace(hour=12))
    run(mail_app, tomorrow_at(10) + 5 * DAY)

    assert len(smtp.messages) == 1
    assert [(i.order_id, i.reason) for i in invitations(db)] == [("A-1001", None), ("A-2002", "suppressed")]


def test_a_permanent_refusal_of_the_address_suppresses_it(mail_app: Flask, site: Site, db: Session,
                                                          smtp: SmtpServer) -> None:
    smtp.refused_recipients["gone@example.com"] = "550 5.1.1 No such user"
    rule(db, site, fatigue_days=0)
    order(db, site, "B-1", at=tomorrow_at(10), email="gone@example.com", customer_id="G")
    order(db, site, "B-2", at=tomorrow_at(10), email="ann@example.com", customer_id="A")

    run(mail_app, tomorrow_at(10))

    assert [str(m["To"]) for m in smtp.wait_for(1)] == ["ann@example.com"], "the batch goes on"
    assert suppressed(db) == [("gone@example.com", "bounced")]
    order(db, site, "B-3", at=tomorrow_at(11), email="gone@example.com", customer_id="G")
    run(mail_app, tomorrow_at(11))
    assert invitations(db)[-1].reason == "suppressed"


def test_a_mailbox_refused_after_the_message_is_suppressed_too(mail_app: Flask, site: Site, db: Session,
                                                               smtp: SmtpServer) -> None:
    smtp.reply_code = "550 5.1.1 Mailbox unavailable"
    rule(db, site)
    order(db, site, at=tomorrow_at(10))

    run(mail_app, tomorrow_at(10))

    assert suppressed(db) == [("ann@example.com", "bounced")]


def test_a_refusal_for_the_content_or_a_temporary_one_suppresses_nothing(mail_app: Flask, site: Site, db: Session,
                                                                         smtp: SmtpServer) -> None:
    smtp.refused_recipients["busy@example.com"] = "452 4.2.2 Mailbox full"
    smtp.reply_code = "554 5.7.1 Message rejected as spam"
    rule(db, site, fatigue_days=0)
    order(db, site, "T-1", at=tomorrow_at(10), email="busy@example.com", customer_id="B")
    order(db, site, "T-2", at=tomorrow_at(10), email="ann@example.com", customer_id="A")

    run(mail_app, tomorrow_at(10))

    assert suppressed(db) == []
    db.expire_all()
    assert sorted(m.status for m in db.scalars(select(OutboxMessage))) == ["failed", "pending"]


def test_a_batch_of_invitations_goes_over_one_smtp_connection(mail_app: Flask, site: Site, db: Session,
                                                              smtp: SmtpServer) -> None:
    rule(db, site, fatigue_days=0)
    for number in range(6):
        order(db, site, f"C-{number}", at=tomorrow_at(10), email=f"c{number}@example.com", customer_id=f"C{number}")

    run(mail_app, tomorrow_at(10))

    assert len(smtp.wait_for(6)) == 6 and len(smtp.peers) == 1
