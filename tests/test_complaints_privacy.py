"""A person's complaints: exported, corrected, erased (anonymised) and purged after retention."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.analysis import Period, analyse
from feedbackwidget.complaints.models import ComplaintMessage
from feedbackwidget.complaints.privacy import PROVIDER
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.privacy import Person

from .test_complaints_api import complaint_body, complaints, post_complaint


def test_a_persons_complaints_are_exported_with_the_replies(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(email="Anna@Example.com", customer={"id": "C7"}))
    post_complaint(client, site, complaint_body(email="someone@example.com"))
    [mine, _] = complaints(db)
    db.add(ComplaintMessage(complaint_id=mine.id, visibility="public", body="Refunded."))
    db.add(ComplaintMessage(complaint_id=mine.id, visibility="internal", body="VIP, be quick"))
    db.commit()

    exported = PROVIDER.export(db, Person(email="anna@example.com"))

    assert [row["reference"] for row in exported] == [mine.reference]
    assert exported[0]["replies"] == ["Refunded."]
    assert [row["reference"] for row in PROVIDER.export(db, Person(customer_id="C7"))] == [mine.reference]


def test_erasure_removes_the_person_but_keeps_the_figures(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(phone="+36 1 111 2222"))
    [complaint] = complaints(db)
    db.add(ComplaintMessage(complaint_id=complaint.id, visibility="internal", body="Anna called twice"))
    db.commit()
    period = Period(utcnow() - dt.timedelta(days=1), utcnow() + dt.timedelta(days=1))
    before = analyse(db, site.id, period, utcnow()).current

    assert PROVIDER.erase(db, Person(email="anna@example.com")) == 1
    db.commit()

    [complaint] = complaints(db)
    assert (complaint.customer_name, complaint.customer_email, complaint.customer_phone) == ("[erased]", None, None)
    assert complaint.description == "[erased]"
    bodies = db.scalars(select(ComplaintMessage.body).where(ComplaintMessage.complaint_id == complaint.id)).all()
    assert bodies == ["[erased]"]
    assert analyse(db, site.id, period, utcnow()).current == before


def test_retention_purges_only_closed_complaints(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body(name="Closed Carl"))
    post_complaint(client, site, complaint_body(name="Open Olga"))
    closed, _ = complaints(db)
    closed.status = "resolved"
    db.commit()

    assert PROVIDER.purge(db, site.id, None, utcnow() + dt.timedelta(seconds=1)) == 1
    db.commit()
    assert [c.customer_name for c in complaints(db)] == ["[erased]", "Open Olga"]
