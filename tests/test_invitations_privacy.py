"""A customer's data rights reach their invitations and the suppression list: the export lists their invitations
and whether they are suppressed; erasure clears the invitations' personal data and keeps an unsubscribed address
as a hash that still stops mail; retention and correction."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.invitations import RuleChanges, set_rule
from feedbackwidget.invitations.funnel import funnel_total
from feedbackwidget.invitations.models import Invitation, Suppression
from feedbackwidget.invitations.runner import run_invitations
from feedbackwidget.privacy import Person, correct_person, erase_person, export_person, purge_expired

from .conftest import csrf_token
from .invitation_support import order, path
from .smtp import SmtpServer

PRIVACY = "/feedback/admin/privacy/"


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    return make_app(**smtp.config(), FEEDBACKWIDGET_PUBLIC_URL="https://shop.example")


def send_now(app: Flask) -> None:
    run_invitations(app, utcnow())
    drain(get_state(app).engine, WorkerSettings.for_app(app), now=utcnow() + dt.timedelta(seconds=1), limit=100)


def ann_unsubscribed(app: Flask, db: Session, site: Site, smtp: SmtpServer) -> None:
    """Ann is invited about order A-1 and unsubscribes with the mail's one-click link; a csat invitation waits."""
    set_rule(db, site.id, RuleChanges("nps", "paid", 0, None, 0, 24, 100))
    set_rule(db, site.id, RuleChanges("csat", "delivered", 3 * 24 * 60, None, 0, 24, 100))
    db.commit()
    order(db, site, "A-1", at=utcnow() - dt.timedelta(hours=1), email="Ann@Example.com", name="Ann Smith")
    send_now(app)
    [mail] = smtp.wait_for(1)
    unsubscribe = re.fullmatch(r"<(https://\S+)>", str(mail["List-Unsubscribe"]))
    assert unsubscribe is not None
    app.test_client().post(path(unsubscribe.group(1)), data={"List-Unsubscribe": "One-Click"})
    order(db, site, "A-2", "delivered", at=utcnow() - dt.timedelta(hours=1), email="ann@example.com",
          name="Ann Smith")
    run_invitations(app, utcnow())


def invitations(db: Session) -> list[Invitation]:
    db.expire_all()
    found = list(db.scalars(select(Invitation).order_by(Invitation.id)))
    db.commit()
    return found


def test_the_export_lists_the_invitations_and_says_the_address_is_suppressed(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    ann_unsubscribed(app, db, site, smtp)
    manager = logged_in("manager")

    page = manager.get(f"{PRIVACY}?email=ann@example.com").text
    exported = json.loads(manager.get(f"{PRIVACY}export.json?email=ann@example.com").get_data(as_text=True))

    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Invitations by e-mail 2" in words and "On the suppression list (no invitations) Yes" in words
    assert [(row["survey"], row["order"], row["status"], row["customer_name"]) for row in exported["invitations"]] == [
        ("nps", "A-1", "mailed", "Ann Smith"), ("csat", "A-2", "scheduled", "Ann Smith")]
    [entry] = exported["suppressions"]
    assert (entry["email"], entry["suppressed"], entry["reason"]) == ("ann@example.com", True, "unsubscribed")


def test_erasure_clears_the_invitations_and_keeps_the_address_as_a_hash_that_still_stops_mail(
        app: Flask, db: Session, site: Site, smtp: SmtpServer, logged_in: Callable[..., FlaskClient]) -> None:
    ann_unsubscribed(app, db, site, smtp)
    manager = logged_in("manager")
    token = csrf_token(manager.get(f"{PRIVACY}?email=ann@example.com").text)

    manager.post(f"{PRIVACY}erase", data={"email": "ann@example.com", "csrf_token": token})

    mailed, waiting = invitations(db)
    assert (mailed.customer_email, mailed.customer_name, mailed.customer_id) == (None, None, None)
    assert (mailed.survey_slug, mailed.order_id, mailed.status) == ("nps", "A-1", "mailed")
    assert waiting.status == "cancelled" and waiting.customer_email is None
    [kept] = db.scalars(select(Suppression)).all()
    db.commit()
    assert kept.email.startswith("sha256:") and "ann" not in kept.email and kept.reason == "unsubscribed"
    listing = manager.get(f"/feedback/admin/invitations/{site.id}/suppressions").text
    assert "An erased customer&#39;s address (kept as a hash)" in listing and "ann@example.com" not in listing
    total = funnel_total(db, [site.id], utcnow() - dt.timedelta(days=1))
    assert total.sent == 1, "the funnel still counts the invitation sent"

    order(db, site, "A-3", at=utcnow() - dt.timedelta(minutes=5), email="ANN@example.com")
    send_now(app)

    assert len(smtp.messages) == 1, "no new invitation to the erased customer who unsubscribed"
    assert (invitations(db)[-1].status, invitations(db)[-1].reason) == ("skipped", "suppressed")
    again = export_person(db, Person(email="ann@example.com"))
    assert again["suppressions"][0]["suppressed"] is True and again["invitations"][0]["order"] == "A-3"


def test_erasing_someone_who_never_unsubscribed_leaves_the_list_alone(
        app: Flask, db: Session, site: Site, smtp: SmtpServer) -> None:
    ann_unsubscribed(app, db, site, smtp)
    order(db, site, "B-1", at=utcnow(), email="bob@example.com", name="Bob", customer_id="B")

    erased = erase_person(db, Person(email="bob@example.com"))

    assert erased["suppressions"] == 0 and erased["invitations"] == 0
    assert [row.email for row in db.scalars(select(Suppression))] == ["ann@example.com"]


def test_a_correction_moves_the_suppression_to_the_new_address(
        app: Flask, db: Session, site: Site, smtp: SmtpServer) -> None:
    ann_unsubscribed(app, db, site, smtp)

    correct_person(db, Person(email="ann@example.com"), email="ann.smith@example.com")

    assert [row.email for row in db.scalars(select(Suppression))] == ["ann.smith@example.com"]
    assert {row.customer_email for row in invitations(db)} == {"ann.smith@example.com"}


def test_the_retention_period_clears_old_invitations_but_keeps_the_list(
        app: Flask, db: Session, site: Site, smtp: SmtpServer) -> None:
    ann_unsubscribed(app, db, site, smtp)
    site.settings = {**site.settings, "retention_days": 30}
    db.commit()

    purged = purge_expired(db, utcnow() + dt.timedelta(days=31))

    assert purged.get("invitations") == 1, "the one mailed; the one still waiting keeps its address"
    assert [row.customer_email for row in invitations(db)] == [None, "ann@example.com"]
    assert [row.email for row in db.scalars(select(Suppression))] == ["ann@example.com"]
