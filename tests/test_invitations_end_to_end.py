"""The whole path, as a shop owner sets it up and a customer lives it, over real SMTP and a controllable clock:
a signed order webhook -> the order stored -> an invitation scheduled by the site's rule and sent at its time ->
a mail scanner opens every link and nothing is recorded -> the customer confirms a score and adds the follow-up ->
the response is linked to the order (channel ``email``) -> a manager replies from the response page -> the
customer receives the reply threaded under the invitation, answerable to the site's alert recipients."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site
from feedbackwidget.invitations.models import Suppression
from feedbackwidget.orders.models import StoredOrderEvent
from feedbackwidget.surveys.models import SurveyLink

from .invitation_support import invitations, links, path, run, score_links, text_part, tomorrow_at
from .smtp import SmtpServer
from .test_hosted_survey import chosen
from .test_invitations_admin import post
from .test_invitations_flow import answer
from .test_orders_hooks import SHOPIFY_SECRET, WOO_SECRET, post_shopify, post_woo, shopify_order, woo_order
from .test_response_replies import PAGE, reply_form, send_outbox

# The invitation is due at noon in Budapest tomorrow: three days after the parcel left.
DUE = tomorrow_at(12)
FULFILLED = DUE - dt.timedelta(days=3)


@pytest.fixture
def shop(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def cli(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", *args])
    assert result.exit_code == 0, result.output


def owner_sets_up(app: Flask, site: Site, platform: str, secret: str) -> None:
    """What the issue's command line gives a scripted set-up: the platform's secret and one rule."""
    cli(app, "hooks", "secret", site.key, platform, secret)
    cli(app, "invitations", "rule", site.key, "--survey", "nps", "--on", "fulfilled", "--delay", "3d",
        "--hours", "9-20", "--sample", "100")


def stored_orders(db: Session) -> list[tuple[str, str, str | None]]:
    db.expire_all()
    return [(e.order_id, e.event, e.customer_email) for e in db.scalars(select(StoredOrderEvent))]


def responses(db: Session) -> list[Response]:
    db.expire_all()
    return list(db.scalars(select(Response)))


def fulfilled_shopify_order() -> dict[str, Any]:
    moment = FULFILLED.isoformat()
    return shopify_order(
        email="ann@example.com", contact_email="ann@example.com", customer_locale="en", updated_at=moment,
        fulfillment_status="fulfilled", fulfillments=[{"id": 255858046, "status": "success", "created_at": moment}],
        customer={"id": 207119551, "email": "ann@example.com", "first_name": "Ann", "last_name": "Smith",
                  "email_marketing_consent": {"state": "subscribed"}})


def test_from_a_shopify_webhook_to_the_reply_the_customer_receives(
        shop: Flask, site: Site, db: Session, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    owner_sets_up(shop, site, "shopify", SHOPIFY_SECRET)

    started = time.monotonic()
    hook = post_shopify(shop.test_client(), site, fulfilled_shopify_order(), topic="orders/fulfilled")
    assert hook.status_code == 200 and hook.json is not None and hook.json["stored"] is True
    assert time.monotonic() - started < 1.0, "Shopify retries endpoints slower than a second"
    assert stored_orders(db) == [("#1001", "fulfilled", "ann@example.com")]
    assert invitations(db) == [] and smtp.messages == [], "the webhook stores; the work comes after"

    run(shop, DUE - dt.timedelta(hours=1))
    assert smtp.messages == [] and [i.status for i in invitations(db)] == ["scheduled"], "not before its delay"
    run(shop, DUE)
    [invitation] = smtp.wait_for(1)
    assert invitation["To"] == "ann@example.com" and invitation["Subject"] == "How was your order from Test Shop?"
    assert text_part(invitation).startswith("Hello Ann Smith,")
    assert invitation["Reply-To"] == "owner@shop.example", "a customer answering the invitation reaches a person"
    assert "Thank you for your order #1001." in text_part(invitation), "the number Shopify showed the customer"

    scanner = shop.test_client()
    assert {scanner.get(path(url), follow_redirects=True).status_code for url in links(invitation)} == {200}
    assert responses(db) == [] and db.scalars(select(Suppression)).all() == [], "a GET records nothing"

    customer = shop.test_client()
    page = customer.get(path(score_links(invitation)["3"]), follow_redirects=True).get_data(as_text=True)
    assert chosen(page) == ["3"] and 'type="submit"' in page
    assert answer(shop, score_links(invitation)["3"], {"reason": "The parcel came a week late"}).status_code == 302
    [response] = responses(db)
    assert (response.nps_score, response.comment) == (3, "The parcel came a week late")
    link = db.scalar(select(SurveyLink).where(SurveyLink.response_id == response.id))
    assert link is not None and (link.order_reference, link.channel) == ("#1001", "email")

    manager = logged_in("manager")
    form = reply_form(manager.get(PAGE.format(id=response.id)).text)
    form["body"] = "We are sorry, Ann: the courier lost a day at the depot. A voucher is on its way."
    sent = manager.post(PAGE.format(id=response.id) + "/reply", data=form)
    assert sent.status_code == 302
    send_outbox(shop)

    [reply] = [mail for mail in smtp.wait_for(3)[1:] if mail["To"] == "ann@example.com"]
    assert reply["In-Reply-To"] == invitation["Message-ID"]
    assert reply["Reply-To"] == "owner@shop.example"
    assert reply["Subject"] == "Re: " + invitation["Subject"]
    assert "A voucher is on its way." in text_part(reply)
    assert "Manager 1 wrote to ann@example.com" in manager.get(PAGE.format(id=response.id)).text


def test_a_wrongly_signed_shopify_webhook_brings_no_invitation(shop: Flask, site: Site, db: Session,
                                                               smtp: SmtpServer) -> None:
    owner_sets_up(shop, site, "shopify", SHOPIFY_SECRET)

    refused = post_shopify(shop.test_client(), site, fulfilled_shopify_order(), topic="orders/fulfilled",
                           secret="not-the-shops-secret")
    run(shop, DUE)

    assert refused.status_code == 401 and stored_orders(db) == [] and invitations(db) == []
    assert smtp.messages == []


def test_from_a_woocommerce_webhook_to_the_invitation(shop: Flask, site: Site, db: Session,
                                                      smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    owner_sets_up(shop, site, "woocommerce", WOO_SECRET)
    # WooCommerce's order says nothing of marketing consent: the owner allows service surveys on the policy page.
    saved = post(logged_in("owner"), site, "/policy", {"fatigue_days": "30", "survey_without_consent": "y"})
    assert saved.status_code == 302

    completed = woo_order(status="completed", date_completed_gmt=FULFILLED.strftime("%Y-%m-%dT%H:%M:%S"),
                          billing={"first_name": "Anna", "last_name": "Kovács", "email": "anna@example.com"})
    hook = post_woo(shop.test_client(), site, completed)
    assert hook.status_code == 200 and hook.json is not None and hook.json["stored"] is True
    assert stored_orders(db) == [("727", "fulfilled", "anna@example.com")]

    run(shop, DUE)

    [invitation] = smtp.wait_for(1)
    assert invitation["To"] == "anna@example.com"
    assert text_part(invitation).startswith("Hello Anna Kovács,")
    assert [(i.order_id, i.status) for i in invitations(db)] == [("727", "mailed")]


def test_a_wrongly_signed_woocommerce_webhook_brings_no_invitation(shop: Flask, site: Site, db: Session,
                                                                   smtp: SmtpServer) -> None:
    owner_sets_up(shop, site, "woocommerce", WOO_SECRET)

    refused = post_woo(shop.test_client(), site, woo_order(status="completed"), secret="guessed")
    run(shop, DUE)

    assert refused.status_code == 401 and stored_orders(db) == [] and smtp.messages == []
