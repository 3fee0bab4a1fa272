"""The themes reach the CSV exports (a ``themes`` column) and the digest e-mail."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.digest import enqueue_digests
from feedbackwidget.delivery.rules import set_recipient
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.themes.store import analyse_pending

from .smtp import SmtpServer
from .themes_rows import add_complaint, add_response


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_responses_export_has_the_themes_of_each_row(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    now = utcnow()
    both = add_response(db, site, score=3, reason="Too expensive and the delivery was late", at=now)
    none = add_response(db, site, score=9, reason="ok", at=now - dt.timedelta(minutes=1))
    db.commit()
    analyse_pending(db)
    response = logged_in("viewer").get("/feedback/admin/responses.csv")
    assert response.status_code == 200
    rows = {row["id"]: row for row in csv_rows(response.text)}
    assert rows[str(both.id)]["themes"] == "delivery;price"
    assert rows[str(none.id)]["themes"] == ""


def test_the_responses_export_streams_past_its_lookup_batches(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    now = utcnow()
    for number in range(1203):
        add_response(db, site, score=2, reason="Late delivery", at=now - dt.timedelta(seconds=number))
    db.commit()
    analyse_pending(db)
    rows = csv_rows(logged_in("viewer").get("/feedback/admin/responses.csv").text)
    assert len(rows) == 1203
    assert {row["themes"] for row in rows} == {"delivery"}


def test_the_complaints_export_has_the_themes_of_each_complaint(
    app: Flask, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    late = add_complaint(db, site, "The courier came a week late and the box was crushed", at=utcnow())
    db.commit()
    analyse_pending(db)
    response = logged_in("viewer").get(f"/feedback/admin/complaints/export.csv?site={site.id}")
    assert response.status_code == 200
    [row] = csv_rows(response.text)
    assert (row["reference"], row["themes"]) == (late.reference, "delivery;packaging")


TUESDAY, MONDAY = (dt.datetime(2026, 11, day, 12, tzinfo=dt.timezone.utc) for day in (17, 16))
WEDNESDAY_MORNING = dt.datetime(2026, 11, 18, 8, 0, tzinfo=dt.timezone.utc)


def test_the_digest_names_the_fastest_rising_complaint_theme_in_the_readers_language(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = make_app(**smtp.config())
    for text in ("The parcel arrived a week late", "Courier never came"):
        add_complaint(db, site, text, at=TUESDAY)
    add_complaint(db, site, "The card payment was declined", at=TUESDAY)
    add_complaint(db, site, "Payment failed twice", at=MONDAY)
    set_recipient(db, site, "owner@shop.example", digest="daily")
    set_recipient(db, site, "tulaj@shop.example", locale="hu", digest="daily")
    set_recipient(db, site, "laoban@shop.example", locale="zh", digest="daily")
    db.commit()
    analyse_pending(db)
    with app.app_context():
        assert enqueue_digests(get_state(app).engine, "daily", WEDNESDAY_MORNING) == 3
    drain(get_state(app).engine, WorkerSettings.for_app(app))
    texts = {mail["To"]: mail.get_body(("plain",)).get_content() for mail in smtp.wait_for(3)}  # type: ignore[union-attr]
    assert ("Fastest-rising complaint theme: Delivery: complaints this period: 2, previous period: 0"
            in texts["owner@shop.example"])
    assert ("Leggyorsabban növekvő panasztéma: Szállítás: panaszok ebben az időszakban: 2, az előző időszakban: 0"
            in texts["tulaj@shop.example"])
    assert "增长最快的投诉主题: 物流配送：本期投诉 2 件，上期 0 件" in texts["laoban@shop.example"]


def test_a_digest_without_a_growing_complaint_theme_has_no_such_line(
    make_app: Callable[..., Flask], site: Site, db: Session, smtp: SmtpServer
) -> None:
    app = make_app(**smtp.config())
    add_complaint(db, site, "Payment failed twice", at=MONDAY)
    add_response(db, site, score=9, at=TUESDAY)
    set_recipient(db, site, "owner@shop.example", digest="daily")
    db.commit()
    analyse_pending(db)
    with app.app_context():
        enqueue_digests(get_state(app).engine, "daily", WEDNESDAY_MORNING)
    drain(get_state(app).engine, WorkerSettings.for_app(app))
    [mail] = smtp.wait_for(1)
    assert "Fastest-rising complaint theme" not in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
