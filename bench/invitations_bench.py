"""Invitations: scheduling 100,000 orders, and sending through the outbox against a bare smtplib loop.

1. **Scheduling**: 100,000 ``paid`` order events (written in bulk, as many shops' webhooks
   would have stored them) become invitations under one rule: :func:`schedule_site`, timed.
   Target (issue 16): under a minute.
2. **Sending**: ``--messages`` invitations are queued into the outbox (rendered in each
   customer's language), then sent to a local aiosmtpd server in rounds that alternate:
   - ``baseline``: a bare loop sending the same messages (their bytes built beforehand) with
     ``smtplib`` over one connection;
   - ``outbox``: the outbox worker (claim, build with Flask-Mail, send over one SMTP connection
     per batch, mark sent), every message pending again before each round.
   Target: the outbox sends at least 0.8x the baseline's messages per second.

    .venv/bin/python bench/invitations_bench.py --orders 100000 --messages 2000 --rounds 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from feedbackwidget import create_app, get_state  # noqa: E402
from feedbackwidget.delivery.smtp import build_message  # noqa: E402
from feedbackwidget.delivery.worker import WorkerSettings, drain  # noqa: E402
from feedbackwidget.invitations import RuleChanges, save_policy, schedule_site, set_rule  # noqa: E402
from feedbackwidget.invitations.runner import mailing_for  # noqa: E402
from feedbackwidget.invitations.sending import send_due  # noqa: E402
from feedbackwidget.invitations.settings import load_settings  # noqa: E402
from feedbackwidget.core.models import OutboxMessage, utcnow
from feedbackwidget.orders import StoredOrderEvent  # noqa: E402
from feedbackwidget.provisioning import create_site

LANGUAGES = ("en", "hu", "zh")


class Counting:
    """An SMTP server's handler that accepts every message and only counts them."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bulk_orders(engine: Any, site_id: int, count: int, at: dt.datetime) -> None:
    rows = [{"site_id": site_id, "order_id": f"B-{n}", "event": "paid", "occurred_at": at, "source": "api",
             "customer_id": f"C-{n}", "customer_email": f"customer{n}@example.com", "customer_name": f"Customer {n}",
             "customer_language": LANGUAGES[n % 3], "marketing_consent": True, "received_at": at}
            for n in range(count)]
    with engine.begin() as connection:
        for start in range(0, count, 10_000):
            connection.execute(insert(StoredOrderEvent), rows[start:start + 10_000])


def schedule(app: Any, site: Any, orders: int) -> float:
    state = get_state(app)
    bulk_orders(state.engine, site.id, orders, utcnow() - dt.timedelta(hours=1))
    with state.session_factory() as session:
        started = time.perf_counter()
        report = schedule_site(session, site.id, site.default_locale, utcnow())
        session.commit()
        elapsed = time.perf_counter() - started
    assert report.scheduled == orders, report
    return elapsed


def queue(app: Any, site_key: str, messages: int) -> float:
    state = get_state(app)
    site = state.sites.get(site_key)
    with app.app_context(), state.session_factory() as session:
        settings, mailing = load_settings(session, site.id, site.default_locale), mailing_for(app)
        started = time.perf_counter()
        report = send_due(session, site, settings, mailing, utcnow(), limit=messages)
        session.commit()
    assert report.mailed == messages, report
    return time.perf_counter() - started


def outbox_rows(app: Any) -> list[dict[str, Any]]:
    with get_state(app).engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(OutboxMessage.__table__)).mappings()]


def baseline_round(app: Any, messages: list[tuple[str, bytes]], port: int) -> float:
    """A bare smtplib loop over one connection: the same messages, their bytes built beforehand."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for recipient, body in messages:
            connection.sendmail("feedback@shop.example", [recipient], body)
    return time.perf_counter() - started


def building_round(app: Any, settings: WorkerSettings, rows: list[dict[str, Any]], port: int) -> float:
    """The bare loop again, building each message as it goes with the outbox's own builder (Flask-Mail's
    message written out by the standard library's ``email``): what the outbox adds beyond building."""
    started = time.perf_counter()
    with app.app_context(), smtplib.SMTP("127.0.0.1", port) as connection:
        for row in rows:
            body = build_message(settings.mailer, row, row["recipient"]).as_bytes()
            connection.sendmail("feedback@shop.example", [row["recipient"]], body)
    return time.perf_counter() - started


def outbox_round(app: Any, settings: WorkerSettings, count: int) -> float:
    engine = get_state(app).engine
    with engine.begin() as connection:
        connection.execute(update(OutboxMessage.__table__).values(status="pending", attempts=0,
                                                                  next_attempt_at=utcnow() - dt.timedelta(seconds=1)))
    started = time.perf_counter()
    outcomes = drain(engine, settings, limit=100)
    elapsed = time.perf_counter() - started
    assert outcomes == {"sent": count}, outcomes
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default=None, help="a SQLAlchemy URL (default: SQLite in a temp folder)")
    args = parser.parse_args()
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    url = args.database or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    app = create_app({"FEEDBACKWIDGET_DATABASE_URL": url, "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
                      "FEEDBACKWIDGET_RUN_SENDER": False, "FEEDBACKWIDGET_PUBLIC_URL": "https://shop.example",
                      "FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS": 3600.0, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_DEFAULT_SENDER": "feedback@shop.example"})
    state = get_state(app)
    with state.session_factory() as session:
        site = create_site(session, "Bench Shop", ["https://shop.example"], templates=("nps",))
        set_rule(session, site.id, RuleChanges("nps", "paid", 0, None, 0, 24, 100))
        save_policy(session, site.id, "Europe/Budapest", 0, False)
        session.commit()
        site_key = site.key
    scheduling = schedule(app, state.sites.get(site_key), args.orders)
    print(f"scheduling {args.orders} orders: {scheduling:.1f} s ({args.orders / scheduling:.0f} orders/s)")
    queueing = queue(app, site_key, args.messages)
    print(f"queueing {args.messages} invitations (link, rendering, outbox): {queueing:.2f} s "
          f"({args.messages / queueing:.0f}/s)")
    settings = WorkerSettings.for_app(app)
    rows = outbox_rows(app)
    with app.app_context():
        messages = [(row["recipient"], build_message(settings.mailer, row, row["recipient"]).as_bytes()) for row in rows]
    rates: dict[str, list[float]] = {"baseline": [], "building": [], "outbox": []}
    for _ in range(args.rounds):
        rates["baseline"].append(len(messages) / baseline_round(app, messages, port))
        rates["building"].append(len(messages) / building_round(app, settings, rows, port))
        rates["outbox"].append(len(messages) / outbox_round(app, settings, len(messages)))
    controller.stop()
    base, outbox = statistics.median(rates["baseline"]), statistics.median(rates["outbox"])
    building = statistics.median(rates["building"])
    print(f"baseline (bare smtplib, one connection, bytes built beforehand): {base:.0f} messages/s  rounds: "
          + ", ".join(f"{rate:.0f}" for rate in rates["baseline"]))
    print(f"bare loop building each message with the outbox's builder: {building:.0f} messages/s  rounds: "
          + ", ".join(f"{rate:.0f}" for rate in rates["building"]))
    print(f"outbox (claim, build, one connection per batch of 100, mark): {outbox:.0f} messages/s  rounds: "
          + ", ".join(f"{rate:.0f}" for rate in rates["outbox"]))
    print(f"outbox / baseline: {outbox / base:.2f}x (target >= 0.80x); outbox / building loop: "
          f"{outbox / building:.2f}x; received {handler.received} messages")


if __name__ == "__main__":
    main()
