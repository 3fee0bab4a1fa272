"""Helpers of the invitation tests: orders, a rule, a run at a chosen moment, the mails' links."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.state import get_state
from feedbackwidget.invitations import Invitation, RuleChanges, save_policy, set_rule
from feedbackwidget.invitations.runner import RunReport, run_invitations
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.orders import Customer, OrderEvent, record_event

BUDAPEST = ZoneInfo("Europe/Budapest")
URL = re.compile(r"https?://[^\s<>\"]+")


def tomorrow_at(hour: int, minute: int = 0) -> dt.datetime:
    """Tomorrow at *hour* o'clock in Budapest (links and answers use the real clock, so stay near it)."""
    day = (utcnow() + dt.timedelta(days=1)).astimezone(BUDAPEST).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BUDAPEST).astimezone(dt.timezone.utc)


def order(db: Session, site: Site, order_id: str = "A-1001", event: str = "paid", *,
          at: dt.datetime, email: str | None = "ann@example.com", name: str | None = "Ann Smith",
          language: str | None = "en", customer_id: str | None = "C-1", consent: bool | None = True) -> None:
    """Record one order event, as the orders endpoint would."""
    customer = Customer(id=customer_id, email=email, name=name, language=language)
    # record_event takes a savepoint: it needs a transaction, which the AUTOCOMMIT ``db`` never opens.
    with Session(db.get_bind()) as session:
        session.connection(execution_options={"isolation_level": "SERIALIZABLE"})
        record_event(session, site.id, OrderEvent(order_id, event, at, customer, marketing_consent=consent))
        session.commit()


def rule(db: Session, site: Site, survey: str = "nps", event: str = "paid", *, delay_minutes: int = 0,
         reminder_minutes: int | None = None, hours: tuple[int, int] = (9, 20), sample: int = 100,
         time_zone: str = "Europe/Budapest", fatigue_days: int = 30, without_consent: bool = False) -> None:
    """Give the site one rule and its policy."""
    set_rule(db, site.id, RuleChanges(survey, event, delay_minutes, reminder_minutes, hours[0], hours[1], sample))
    site.settings = {**(site.settings or {}), "timezone": time_zone}
    save_policy(db, site.id, fatigue_days, without_consent)
    db.commit()


def run(app: Flask, now: dt.datetime) -> RunReport:
    """Schedule and queue invitations at *now*, then send the outbox at *now* (one connection per batch)."""
    report = run_invitations(app, now)
    drain(get_state(app).engine, WorkerSettings.for_app(app), now=now, limit=100)
    return report


def invitations(db: Session) -> list[Invitation]:
    db.expire_all()
    return list(db.scalars(select(Invitation).order_by(Invitation.id)))


def text_part(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def html_part(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def links(mail: EmailMessage) -> list[str]:
    """Every URL in the mail's text and HTML parts and its headers (as a scanner would find them)."""
    found = URL.findall(text_part(mail)) + URL.findall(html_part(mail)) + URL.findall(mail["List-Unsubscribe"] or "")
    return sorted({url.replace("&amp;", "&").rstrip(">") for url in found})


def score_links(mail: EmailMessage) -> dict[str, str]:
    """The answer links of the text part, by their label (``"9"``, ``"Good"``)."""
    return dict(re.findall(r"^(.+?): (https?://\S+/s/\S+)$", text_part(mail), re.MULTILINE))


def path(url: str) -> str:
    """*url* as the path and query a browser asks the test client for."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def form_fields(html: str) -> dict[str, Any]:
    """The hidden fields of the hosted survey's form."""
    return dict(re.findall(r'name="(csrf_token|submission_id|rendered|link)" type="hidden" value="([^"]*)"', html))
