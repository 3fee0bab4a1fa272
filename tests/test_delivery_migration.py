"""Sites that existed before alert rules get the default rules when the database is upgraded."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from feedbackwidget.delivery.models import AlertRecipient, AlertRule
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Site, utcnow


def test_existing_sites_get_the_default_rules_for_their_alert_emails(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0001")
    with empty_engine.begin() as connection:
        connection.execute(insert(Site.__table__), [{
            "key": "site_old", "name": "Old Shop", "allowed_origins": [], "default_locale": "hu",
            "alert_emails": ["owner@old.example"], "settings": {}, "created_at": utcnow(), "updated_at": utcnow()}])

    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        rules = connection.execute(select(AlertRule.kind, AlertRule.threshold, AlertRule.recipients)).all()
        recipients = connection.execute(select(AlertRecipient.email, AlertRecipient.locale)).all()
    assert sorted(rules) == sorted([
        ("nps_at_or_below", 6, ["owner@old.example"]), ("csat_bad", None, ["owner@old.example"]),
        ("stock_no", None, ["owner@old.example"]), ("loyalty_at_or_below", 6, ["owner@old.example"]),
        ("complaint_new", None, ["owner@old.example"]), ("complaint_overdue", None, ["owner@old.example"])])
    assert recipients == [("owner@old.example", "hu")]
