"""Closing the loop: a manager replies to the customer of a response, threaded, in their language,
over real SMTP; the alert links to the reply form; the dashboard counts detractors followed up in 48 h."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.accounts.models import ResponseFollowUp, ResponseReply
from feedbackwidget.core.models import AdminUser, OutboxMessage, Response, Site, Survey
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.metrics.follow_up import follow_up_share
from feedbackwidget.metrics.periods import last_days
from feedbackwidget.responses.replies import mark_followed_up
from feedbackwidget.sites.saved_replies import add_saved_reply

from .conftest import SHOP_ORIGIN, csrf_token
from .invitation_support import order, rule, run, score_links, text_part, tomorrow_at
from .smtp import SmtpServer
from .test_invitations_flow import answer

PAGE = "/feedback/admin/responses/{id}"


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    """The admin app, its mail going to the test SMTP server."""
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def send_outbox(app: Flask) -> None:
    drain(get_state(app).engine, WorkerSettings.for_app(app), limit=100)


def add_response(db: Session, site: Site, *, template: str = "nps", created_at: dt.datetime | None = None,
                 **values: Any) -> Response:
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == template))
    response = Response(site_id=site.id, survey_id=survey_id, locale=values.pop("locale", "en"), answers={},
                        created_at=created_at or dt.datetime.now(dt.timezone.utc), **values)
    db.add(response)
    db.commit()
    return response


def reply_form(page: str) -> dict[str, str]:
    """The reply form's fields as the page fills them in."""
    form = page.split('id="reply"', 1)[1]
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', form, re.S)
    fields = dict(re.findall(r'<input[^>]*name="(recipient|subject)"[^>]*value="([^"]*)"', form))
    return {"csrf_token": csrf_token(form), **fields, "body": body.group(1).strip() if body else ""}


def unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"')


def hungarian_invitation_answered(app: Flask, site: Site, db: Session, smtp: SmtpServer) -> tuple[Response, EmailMessage]:
    """Kovács Anna ordered B-77 in Hungarian, got the invitation and answered 3."""
    rule(db, site)
    order(db, site, "B-77", at=tomorrow_at(10), email="anna@example.com", name="Kovács Anna", language="hu")
    run(app, tomorrow_at(10))
    [invitation] = smtp.wait_for(1)
    assert answer(app, score_links(invitation)["3"], {"reason": "Késett a csomag"}).status_code == 302
    db.expire_all()
    [response] = db.scalars(select(Response)).all()
    return response, invitation


def test_the_customer_gets_the_reply_in_their_language_threaded_under_the_invitation(
        app: Flask, site: Site, db: Session, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    response, invitation = hungarian_invitation_answered(app, site, db, smtp)
    saved = add_saved_reply(db.get(Site, site.id), "Bocsánat a késésért", "hu",  # type: ignore[arg-type]
                            "Kedves {name}!\nSajnáljuk, hogy a(z) {order} rendelés késett.")
    db.commit()
    manager = logged_in("manager")

    page = manager.get(PAGE.format(id=response.id) + f"?reply={saved.id}").text
    form = reply_form(page)
    assert form["recipient"] == "anna@example.com"
    assert unescape(form["body"]) == "Kedves Kovács Anna!\nSajnáljuk, hogy a(z) B-77 rendelés késett."
    assert unescape(form["subject"]) == "Re: " + invitation["Subject"]
    sent = manager.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": unescape(form["body"])})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("done=replied#thread")
    send_outbox(app)

    mails = smtp.wait_for(3)  # the invitation, the low score's alert to the owner, the reply
    [mail] = [m for m in mails[1:] if m["To"] == "anna@example.com"]
    assert mail["In-Reply-To"] == invitation["Message-ID"] and mail["References"] == invitation["Message-ID"]
    assert mail["Reply-To"] == "owner@shop.example"
    assert mail["Subject"] == "Re: " + invitation["Subject"]
    text = text_part(mail)
    assert "Kedves Kovács Anna!\nSajnáljuk, hogy a(z) B-77 rendelés késett." in text
    assert "Erre az e-mailre válaszolva írhat nekünk." in text and "> Késett a csomag" in text

    shown = manager.get(sent.headers["Location"]).text
    assert "Your reply is on its way to the customer, and the response is marked followed up." in shown
    thread = shown.split('id="thread"', 1)[1].split('id="reply"', 1)[0]
    assert "Manager 1 wrote to anna@example.com" in thread and "B-77 rendelés késett" in thread
    assert db.get(ResponseFollowUp, response.id) is not None


def test_a_second_reply_threads_under_the_first(
        app: Flask, site: Site, db: Session, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    response = add_response(db, site, nps_score=4, customer_email="bob@example.com", comment="Rude staff")
    owner = logged_in("owner")
    for text in ("We are sorry, Bob.", "Did our call help?"):
        form = reply_form(owner.get(PAGE.format(id=response.id)).text)
        assert owner.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": text}).status_code == 302
    send_outbox(app)

    first, second = smtp.wait_for(2)
    assert first["In-Reply-To"] is None and first["Subject"] == "Your feedback to Test Shop"
    assert second["In-Reply-To"] == first["Message-ID"] and second["References"] == first["Message-ID"]
    assert second["Subject"] == "Re: Your feedback to Test Shop"
    thread = owner.get(PAGE.format(id=response.id)).text.split('id="thread"', 1)[1].split('id="reply"', 1)[0]
    assert thread.index("We are sorry, Bob.") < thread.index("Did our call help?")
    assert thread.count("Delivered to the mail server") == 2


def test_the_thread_names_the_sender_by_their_display_name_else_the_address_kept(
        app: Flask, site: Site, db: Session, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    response = add_response(db, site, nps_score=2, customer_email="bob@example.com", comment="Broken lid")
    manager = logged_in("manager", email="kovacs.anna@shop.example")
    form = reply_form(manager.get(PAGE.format(id=response.id)).text)
    assert manager.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": "Sorry, Bob."}).status_code == 302
    owner = logged_in("owner")

    def sender_line() -> str:
        page = owner.get(PAGE.format(id=response.id)).text
        return unescape(page.split('class="fw-thread-who">', 1)[1].split("</span>", 1)[0])

    assert sender_line() == "Kovacs Anna wrote to bob@example.com"
    author = db.scalar(select(AdminUser).where(AdminUser.email == "kovacs.anna@shop.example"))
    assert author is not None
    author.display_name = "Kovács Anna (ügyfélszolgálat)"
    db.commit()
    assert sender_line() == "Kovács Anna (ügyfélszolgálat) wrote to bob@example.com"
    assert "Followed up by Kovács Anna (ügyfélszolgálat) on" in owner.get(PAGE.format(id=response.id)).text
    db.delete(author)
    db.commit()
    assert sender_line() == "kovacs.anna@shop.example wrote to bob@example.com", "the address kept on the reply"


def test_a_viewer_cannot_reply_and_sees_no_form(
        app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]) -> None:
    response = add_response(db, site, nps_score=2, customer_email="bob@example.com")
    viewer = logged_in("viewer")

    page = viewer.get(PAGE.format(id=response.id)).text
    refused = viewer.post(PAGE.format(id=response.id) + "/reply",
                          data={"csrf_token": csrf_token(page), "recipient": "bob@example.com", "subject": "Hi",
                                "body": "Hello"})

    assert refused.status_code == 403
    assert 'id="reply"' not in page and "Nobody has replied" not in page
    assert db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "bob@example.com")).all() == []


@pytest.mark.parametrize(("address", "message"), [
    ("", "Give the customer&#39;s e-mail address: the response has none."),
    ("bob at example", "The reply cannot go to this address. “bob at example” is not one e-mail address"),
])
def test_a_missing_or_bad_address_is_a_form_error(
        app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient], address: str, message: str) -> None:
    response = add_response(db, site, nps_score=2)
    manager = logged_in("manager")
    form = reply_form(manager.get(PAGE.format(id=response.id)).text)
    assert form["recipient"] == ""

    refused = manager.post(PAGE.format(id=response.id) + "/reply",
                           data={**form, "recipient": address, "body": "Sorry about that."})

    assert refused.status_code == 422
    error = refused.text.split('id="recipient-error"', 1)[1].split("</span>", 1)[0]
    assert message in error
    assert "Sorry about that." in refused.text, "what was written is kept"
    assert db.scalars(select(ResponseReply)).all() == [] and db.get(ResponseFollowUp, response.id) is None


def test_the_alert_mail_links_straight_to_the_reply_form(
        app: Flask, site: Site, db: Session, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    submitted = app.test_client().post(
        f"/feedback/api/v1/sites/{site.key}/responses", headers={"Origin": SHOP_ORIGIN},
        json={"survey": "nps", "answers": {"score": 2}, "locale": "en", "customer": {"email": "eve@example.com"}})
    response_id = submitted.json["id"]  # type: ignore[index]
    send_outbox(app)

    [alert] = smtp.wait_for(1)
    link = f"https://shop.example/feedback/admin/responses/{response_id}#reply"
    assert f"Reply to the customer:\n{link}" in text_part(alert)
    page = logged_in("manager").get(link.removeprefix("https://shop.example"))
    assert page.status_code == 200
    assert reply_form(page.text)["recipient"] == "eve@example.com"


def test_marking_followed_up_says_so(app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]) -> None:
    response = add_response(db, site, nps_score=5)
    manager = logged_in("manager")
    page = manager.get(PAGE.format(id=response.id)).text

    done = manager.post(PAGE.format(id=response.id) + "/follow-up", data={"csrf_token": csrf_token(page)},
                        follow_redirects=True)
    assert "The response is marked followed up." in done.text
    undone = manager.post(PAGE.format(id=response.id) + "/follow-up",
                          data={"csrf_token": csrf_token(done.text), "undo": "1"}, follow_redirects=True)
    assert "The response is no longer marked followed up." in undone.text


def test_the_dashboard_counts_detractors_followed_up_within_48_hours(
        app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]) -> None:
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(days=10)
    in_47 = add_response(db, site, nps_score=3, created_at=start)
    in_49 = add_response(db, site, nps_score=6, created_at=start)
    exactly_48 = add_response(db, site, nps_score=0, created_at=start)
    never = add_response(db, site, nps_score=1, created_at=start, comment="Nobody called me")
    csat_only = add_response(db, site, template="csat", csat="bad", created_at=start)
    add_response(db, site, nps_score=9, csat="bad", created_at=start)  # a promoter, not a detractor
    add_response(db, site, nps_score=7, created_at=start)
    for response, hours in ((in_47, 47), (in_49, 49), (exactly_48, 48), (csat_only, 1)):
        mark_followed_up(db, response.id, None, start + dt.timedelta(hours=hours))
    db.commit()

    share = follow_up_share(db, [site.id], last_days(30), now=start + dt.timedelta(days=10))
    assert (share.detractors, share.in_time, share.not_followed, share.waiting) == (5, 3, 1, 0)
    waiting = follow_up_share(db, [site.id], last_days(30), now=start + dt.timedelta(hours=20))
    assert waiting.waiting == 1 and waiting.in_time == 3

    viewer = logged_in("viewer")
    card = viewer.get(f"/feedback/admin/?site={site.id}").text.split('class="fw-panel fw-followup"', 1)[1]
    card = card.split("</section>", 1)[0]
    assert "3 of 5 followed up within 48 h" in card and "60%" in card
    link = unescape(re.search(r'href="([^"]+)"', card).group(1))  # type: ignore[union-attr]
    assert "band=unhappy" in link and "followed=no" in link
    listed = viewer.get(link).text
    assert "Nobody called me" in listed and listed.count("fw-badge fw-score") == 1


def test_a_customers_replies_are_in_their_export_and_go_when_they_are_erased(
        app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]) -> None:
    from feedbackwidget.privacy.core import Person, erase_person, export_person

    response = add_response(db, site, nps_score=1, customer_email="zoe@example.com")
    manager = logged_in("manager")
    form = reply_form(manager.get(PAGE.format(id=response.id)).text)
    manager.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": "Dear Zoe, we will call you."})

    with Session(db.get_bind()) as session:
        [exported] = export_person(session, Person(email="zoe@example.com"))["responses"]
        assert [r["body"] for r in exported["replies"]] == ["Dear Zoe, we will call you."]
        erase_person(session, Person(email="zoe@example.com"))

    db.expire_all()
    [kept] = db.scalars(select(ResponseReply)).all()
    assert (kept.recipient, kept.body, kept.author_email) == ("[erased]", "[erased]", "manager-1@shop.example")
    thread = manager.get(PAGE.format(id=response.id)).text.split('id="thread"', 1)[1]
    assert "Dear Zoe" not in thread and "zoe@example.com" not in thread


def test_an_empty_or_overlong_reply_is_a_form_error_in_the_admins_language(
        app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]) -> None:
    response = add_response(db, site, nps_score=2, customer_email="bob@example.com")
    manager = logged_in("manager")
    form = reply_form(manager.get(PAGE.format(id=response.id) + "?lang=hu").text)

    empty = manager.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": "  "})
    overlong = manager.post(PAGE.format(id=response.id) + "/reply", data={**form, "body": "x" * 10_001})

    for refused in (empty, overlong):
        assert refused.status_code == 422
        assert "Írjon 1–10 000 karakteres választ." in refused.text.split('id="body-error"', 1)[1].split("</span>")[0]
    assert db.scalars(select(ResponseReply)).all() == []
