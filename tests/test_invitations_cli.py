"""``feedbackwidget invitations rule`` and ``invitations send``; the outbox sender runs invitations too."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.delivery.sender import SENDER_JOBS_KEY
from feedbackwidget.core.state import get_state
from feedbackwidget.invitations.models import InvitationRule
from feedbackwidget.core.models import Site, utcnow

from .invitation_support import order
from .smtp import SmtpServer


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["feedbackwidget", *args])


def test_the_rule_command_sets_and_replaces_the_sites_rule(app: Flask, site: Site, db: Session) -> None:
    first = cli(app, "invitations", "rule", site.key, "--survey", "nps", "--on", "fulfilled", "--delay", "3d",
                "--reminder", "4d", "--hours", "9-20", "--sample", "100")
    again = cli(app, "invitations", "rule", site.key, "--survey", "nps", "--on", "fulfilled", "--delay", "12h")

    assert first.exit_code == 0, first.output
    assert first.output.strip() == (f"{site.key}: survey 'nps' 3d after fulfilled, between 9:00 and 20:00, "
                                    "to 100% of the orders, a reminder after 4d")
    assert again.exit_code == 0
    assert [(r.event, r.delay_minutes, r.reminder_minutes) for r in db.scalars(select(InvitationRule))] == [
        ("fulfilled", 720, None)]


@pytest.mark.parametrize(("options", "message"), [
    (["--survey", "nope", "--on", "paid", "--delay", "3d"], "'nope' is not an active survey of this site"),
    (["--survey", "suggestions", "--on", "paid", "--delay", "3d"], "choose an NPS or CSAT survey"),
    (["--survey", "nps", "--on", "paid", "--delay", "soon"], "write it as 3d"),
    (["--survey", "nps", "--on", "paid", "--delay", "1d", "--hours", "20-9"], "write it as 9-20"),
    (["--survey", "nps", "--on", "placed", "--delay", "1d"], "'placed' is not one of"),
])
def test_the_rule_command_refuses_what_it_could_not_send_and_says_why(app: Flask, site: Site, db: Session,
                                                                      options: list[str], message: str) -> None:
    result = cli(app, "invitations", "rule", site.key, *options)

    assert result.exit_code == 2 and message in result.output
    assert db.scalars(select(InvitationRule)).all() == []


def test_the_rule_command_refuses_an_unknown_site(app: Flask, site: Site) -> None:
    result = cli(app, "invitations", "rule", "site_nope", "--survey", "nps", "--on", "paid", "--delay", "0")

    assert result.exit_code == 2 and "no site has key 'site_nope'" in result.output


def test_the_send_command_sends_what_is_due_now(make_app: Any, smtp: SmtpServer, site: Site, db: Session) -> None:
    app = make_app(**smtp.config())
    cli(app, "invitations", "rule", site.key, "--survey", "nps", "--on", "paid", "--delay", "0", "--hours", "0-24")
    order(db, site, at=utcnow())

    result = cli(app, "invitations", "send")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 scheduled, 1 invitations and 0 reminders queued")
    assert "sent: 1" in result.output
    assert [str(mail["To"]) for mail in smtp.wait_for(1)] == ["ann@example.com"]


def test_the_outbox_sender_runs_due_invitations_before_each_drain(make_app: Any, smtp: SmtpServer, site: Site,
                                                                  db: Session) -> None:
    app = make_app(**smtp.config())
    assert get_state(app).extras[SENDER_JOBS_KEY], "the standalone sender's thread runs the same jobs"
    cli(app, "invitations", "rule", site.key, "--survey", "nps", "--on", "paid", "--delay", "0", "--hours", "0-24")
    order(db, site, at=utcnow())

    result = cli(app, "send-outbox")

    assert result.exit_code == 0, result.output
    assert [str(mail["To"]) for mail in smtp.wait_for(1)] == ["ann@example.com"]
