"""A customer's data rights: export, correct, erase; retention; statistics stay right."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.delivery.outbox import OutboxDraft, enqueue
from feedbackwidget.core.state import get_state
from feedbackwidget.core.models import OutboxMessage, Response, Site, utcnow
from feedbackwidget.privacy import Person, erase_person, purge_expired

ANN = {"id": "C-17", "email": "ann@example.com", "loyalty_tier": "gold"}


def submit(client: FlaskClient, site: Site, survey: str, answers: dict[str, Any], customer: dict[str, str] | None,
           page: str = "https://shop.example/cart?email=ann@example.com") -> int:
    body = {"survey": survey, "answers": answers, "page_url": page, "customer": customer}
    response = client.post(f"/feedback/api/v1/sites/{site.key}/responses", json=body)
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def cli(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "person", *args])
    return result.exit_code, result.output


def test_export_lists_every_response_and_message_about_the_person(app: Flask, client: FlaskClient, site: Site,
                                                                  db: Session) -> None:
    mine = submit(client, site, "nps", {"score": 2, "reason": "Rude staff"}, ANN)
    submit(client, site, "nps", {"score": 9}, {"email": "bob@example.com"})
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [OutboxDraft("mail", "ann@example.com", "ack-1", "Your complaint",
                                         {"text": "Dear Ann"}, site.id)])

    code, output = cli(app, "export", "--email", "ANN@example.com")

    assert code == 0, output
    data = json.loads(output)
    assert [r["id"] for r in data["responses"]] == [mine]
    assert data["responses"][0]["answers"] == {"score": 2, "reason": "Rude staff"}
    # The alert that quotes her answer to the shop, then the mail to her.
    assert [(m["recipient"], m["subject"]) for m in data["messages"]] == [
        ("owner@shop.example", "Feedback alert for Test Shop: Recommendation score 2 (alert at 6 or below)"),
        ("ann@example.com", "Your complaint"),
    ]


def test_export_by_customer_id(app: Flask, client: FlaskClient, site: Site) -> None:
    submit(client, site, "csat", {"rating": "bad"}, {"id": "C-17"})
    code, output = cli(app, "export", "--customer-id", "C-17")
    assert code == 0
    assert json.loads(output)["responses"][0]["customer_id"] == "C-17"


def test_export_without_a_person_says_what_to_give(app: Flask) -> None:
    code, output = cli(app, "export")
    assert code != 0
    assert "--email X or --customer-id Y" in output


def test_erasure_anonymises_but_keeps_the_statistics(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    submit(client, site, "nps", {"score": 2, "reason": "Ann here, call me on 0630"}, ANN)
    submit(client, site, "stock", {"in_stock": False, "missing": "Decaf for Ann"}, ANN)
    submit(client, site, "nps", {"score": 10, "reason": "Lovely"}, {"email": "bob@example.com"})
    nps_before = db.scalar(select(func.avg(Response.nps_score)))

    result = app.test_cli_runner().invoke(
        args=["feedbackwidget", "person", "erase", "--email", "ann@example.com", "--yes"]
    )

    assert result.exit_code == 0, result.output
    assert "anonymised: responses 2" in result.output
    db.expire_all()
    rows = {r.id: r for r in db.scalars(select(Response))}
    assert len(rows) == 3
    ann = [r for r in rows.values() if r.loyalty_tier == "gold"]
    assert all(r.customer_email is None and r.customer_id is None for r in ann)
    assert ann[0].answers == {"score": 2, "reason": "[erased]"} and ann[0].comment == "[erased]"
    assert ann[1].answers == {"in_stock": False, "missing": "[erased]"} and ann[1].in_stock is False
    assert all(r.page_url == "https://shop.example/cart" for r in ann)
    assert db.scalar(select(func.avg(Response.nps_score))) == nps_before
    assert any(r.customer_email == "bob@example.com" and r.comment == "Lovely" for r in rows.values())
    code, output = cli(app, "export", "--email", "ann@example.com")
    assert json.loads(output)["responses"] == []


def test_erasure_cancels_pending_mail_and_redacts_alerts_quoting_the_person(app: Flask, site: Site,
                                                                           db: Session) -> None:
    with get_state(app).engine.begin() as connection:
        enqueue(connection, [
            OutboxDraft("mail", "ann@example.com", "ack", "Your complaint FW-1", {"text": "Dear Ann"}, site.id),
            OutboxDraft("mail", "owner@shop.example", "alert", "Low score", {"text": "From ann@example.com: 2/10"},
                        site.id),
            OutboxDraft("mail", "owner@shop.example", "other", "Low score", {"text": "From bob@example.com"}, site.id),
        ])

    erase_person(db, Person(email="ann@example.com"))

    messages = {m.dedupe_key: m for m in db.scalars(select(OutboxMessage))}
    assert messages["ack"].status == "cancelled" and messages["ack"].recipient == "erased@invalid"
    assert messages["alert"].payload == {"redacted": True} and messages["alert"].recipient == "owner@shop.example"
    assert messages["other"].payload == {"text": "From bob@example.com"} and messages["other"].status == "pending"


def test_correction_changes_the_address_everywhere(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    submit(client, site, "nps", {"score": 7}, ANN)
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "person", "correct", "--email", "ann@example.com",
                                                "--set-email", "ann.new@example.com"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(Response.customer_email)) == "ann.new@example.com"


def test_retention_anonymises_only_what_is_older_than_the_site_allows(client: FlaskClient, site: Site,
                                                                      db: Session) -> None:
    old_id = submit(client, site, "nps", {"score": 4, "reason": "Old story"}, ANN)
    new_id = submit(client, site, "nps", {"score": 6, "reason": "New story"}, ANN)
    old = db.get(Response, old_id)
    assert old is not None
    old.created_at = utcnow() - dt.timedelta(days=400)
    site_row = db.get(Site, site.id)
    assert site_row is not None
    site_row.settings = {**site_row.settings, "retention_days": 365}
    db.commit()

    purge_expired(db, utcnow())
    db.expire_all()

    old, new = db.get(Response, old_id), db.get(Response, new_id)
    assert old is not None and new is not None
    assert (old.customer_email, old.comment, old.nps_score) == (None, "[erased]", 4)
    assert (new.customer_email, new.comment) == ("ann@example.com", "New story")


def test_purge_without_a_retention_period_changes_nothing(app: Flask, client: FlaskClient, site: Site,
                                                          db: Session) -> None:
    submit(client, site, "nps", {"score": 4, "reason": "Old"}, ANN)
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "purge"])
    assert result.exit_code == 0
    assert "nothing" in result.output
    assert db.scalar(select(Response.customer_email)) == "ann@example.com"


def test_a_data_request_covers_complaints_too(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    from .test_complaints_api import complaint_body, post_complaint

    post_complaint(client, site, complaint_body(email="ann@example.com"))
    submit(client, site, "nps", {"score": 2, "reason": "See my complaint"}, ANN)

    code, output = cli(app, "export", "--email", "ann@example.com")
    assert code == 0, output
    data = json.loads(output)
    assert len(data["complaints"]) == 1 and len(data["responses"]) == 1

    erased = erase_person(db, Person(email="ann@example.com"))

    assert erased["complaints"] == 1 and erased["responses"] == 1
    code, output = cli(app, "export", "--email", "ann@example.com")
    assert json.loads(output)["complaints"] == []
