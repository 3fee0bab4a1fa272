"""Invitations: scheduling 100,000 orders, sending through the outbox against a bare smtplib loop, and a
submission's latency while a batch sends.

1. **Scheduling**: 100,000 ``paid`` order events (written in bulk, as many shops' webhooks
   would have stored them) become invitations under one rule: :func:`schedule_site`, timed.
   Target (issue 16): under a minute.
2. **Sending**: ``--messages`` invitations are queued into the outbox (rendered in each
   customer's language, their MIME written once), then sent to a local aiosmtpd server (its own
   process, as a mail server would be) in rounds that alternate:
   - ``baseline``: a bare loop sending the same messages (their bytes built beforehand) with
     ``smtplib`` over one connection;
   - ``building``: the bare loop building each message as it goes with the outbox's builder
     (what sending cost before the MIME was written at queue time);
   - ``outbox``: the outbox worker (claim a batch, Flask-Mail over one SMTP connection per
     batch, mark the batch sent), every message pending again before each round.
   Target: the outbox sends at least 0.8x the baseline's messages per second.
3. **A submission's latency while a batch sends**: POSTs of a widget submission (Flask's test
   client, one after another) with nothing else running (``idle``), while the outbox worker sends
   the ``--messages`` queued invitations in a thread of the same process (``sending``, as the
   standalone server's sender thread does), and while a batch of invitations is queued
   (``queueing``: :func:`send_due` in batches of :data:`BATCH`, each committed, as the sender job
   does before it drains the outbox), alternating in each round.
   Target: p50 and p95 while sending as when idle.

    .venv/bin/python bench/invitations_bench.py --orders 100000 --messages 2000 --rounds 3
    .venv/bin/python bench/invitations_bench.py --database postgresql://postgres@127.0.0.1:5432/bench ...
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import multiprocessing
import os
import smtplib
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, insert, select, text, update  # noqa: E402

from feedbackwidget import create_app, get_state  # noqa: E402
from feedbackwidget.core.models import OutboxMessage, utcnow  # noqa: E402
from feedbackwidget.delivery.smtp import build_message  # noqa: E402
from feedbackwidget.delivery.worker import CLAIM_BATCH, WorkerSettings, drain  # noqa: E402
from feedbackwidget.invitations import RuleChanges, save_policy, schedule_site, set_rule  # noqa: E402
from feedbackwidget.invitations.runner import mailing_for  # noqa: E402
from feedbackwidget.invitations.sending import BATCH, send_due  # noqa: E402
from feedbackwidget.invitations.settings import load_settings  # noqa: E402
from feedbackwidget.orders import StoredOrderEvent  # noqa: E402
from feedbackwidget.provisioning import create_site  # noqa: E402

LANGUAGES = ("en", "hu", "zh")
ORIGIN = "https://shop.example"
SUBMISSION = {"survey": "nps", "answers": {"score": 9, "reason": "Quick delivery and friendly staff"},
              "page_url": "https://shop.example/checkout/thank-you", "locale": "en"}


class Counting:
    """An SMTP server's handler that accepts every message and only counts them."""

    def __init__(self, received: Any) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def serve_smtp(port: int, received: Any, ready: Any) -> None:
    """The mail server, in a process of its own (a mail server never shares the app's interpreter)."""
    Controller(Counting(received), hostname="127.0.0.1", port=port).start()
    ready.set()
    threading.Event().wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def bulk_orders(engine: Any, site_id: int, count: int, at: dt.datetime) -> None:
    rows = [{"site_id": site_id, "order_id": f"B-{n}", "event": "paid", "occurred_at": at, "source": "api",
             "customer_id": f"C-{n}", "customer_email": f"customer{n}@example.com", "customer_name": f"Customer {n}",
             "customer_language": LANGUAGES[n % 3], "marketing_consent": True, "received_at": at}
            for n in range(count)]
    with engine.begin() as connection:
        for start in range(0, count, 10_000):
            connection.execute(insert(StoredOrderEvent), rows[start:start + 10_000])


def schedule(app: Flask, site: Any, orders: int) -> float:
    state = get_state(app)
    bulk_orders(state.engine, site.id, orders, utcnow() - dt.timedelta(hours=1))
    with state.session_factory() as session:
        started = time.perf_counter()
        report = schedule_site(session, site.id, site.default_locale, utcnow())
        session.commit()
        elapsed = time.perf_counter() - started
    assert report.scheduled == orders, report
    return elapsed


def queue(app: Flask, site_key: str, messages: int, batch: int | None = None) -> float:
    """Queue *messages* due invitations in one transaction, or (with *batch*) as the sender job does: batches
    of *batch*, each committed."""
    state = get_state(app)
    site = state.sites.get(site_key)
    assert site is not None
    with app.app_context(), state.session_factory() as session:
        settings, mailing = load_settings(session, site.id), mailing_for(app)
        started, mailed = time.perf_counter(), 0
        while mailed < messages:
            report = send_due(session, site, settings, mailing, utcnow(), limit=min(batch or messages, messages - mailed))
            session.commit()
            assert report.mailed and not report.skipped, report
            mailed += report.mailed
    return time.perf_counter() - started


def outbox_rows(app: Flask) -> list[dict[str, Any]]:
    with get_state(app).engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(OutboxMessage.__table__)).mappings()]


class Timed:
    """Wall-clock and CPU seconds (of this process: the mail server runs in another) of a block."""

    def __enter__(self) -> Timed:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def baseline_round(messages: list[tuple[str, bytes]], port: int) -> Timed:
    """A bare smtplib loop over one connection: the same messages, their bytes built beforehand."""
    with Timed() as timed, smtplib.SMTP("127.0.0.1", port) as connection:
        for recipient, body in messages:
            connection.sendmail("feedback@shop.example", [recipient], body)
    return timed


def building_round(app: Flask, settings: WorkerSettings, rows: list[dict[str, Any]], port: int) -> Timed:
    """The bare loop again, building each message as it goes with the outbox's builder (Flask-Mail's
    message written out by the standard library's ``email``), as the outbox did before it kept the MIME."""
    with Timed() as timed, app.app_context(), smtplib.SMTP("127.0.0.1", port) as connection:
        for row in rows:
            body = build_message(settings.mailer, {**row, "rendered": None}, row["recipient"]).as_bytes()
            connection.sendmail("feedback@shop.example", [row["recipient"]], body)
    return timed


def make_pending(app: Flask) -> None:
    with get_state(app).engine.begin() as connection:
        connection.execute(update(OutboxMessage).values(status="pending", attempts=0,
                                                                  next_attempt_at=utcnow() - dt.timedelta(seconds=1)))


def outbox_round(app: Flask, settings: WorkerSettings, count: int, limit: int = 100) -> Timed:
    make_pending(app)
    with Timed() as timed:
        outcomes = drain(get_state(app).engine, settings, limit=limit)
    assert outcomes == {"sent": count}, outcomes
    return timed


# ---------------------------------------------------------------- a submission's latency


REFUSED: Counter[int] = Counter()


def submit_once(client: Any, site_key: str) -> float:
    """One submission's latency (a refused one, e.g. 503 when SQLite's write lock stayed taken past the busy
    timeout, is counted in :data:`REFUSED` and timed like the others)."""
    started = time.perf_counter()
    response = client.post(f"/feedback/api/v1/sites/{site_key}/responses", json=SUBMISSION,
                           headers={"Origin": ORIGIN, "Idempotency-Key": uuid.uuid4().hex})
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        REFUSED[response.status_code] += 1
    return elapsed


def submissions_while(client: Any, site_key: str, work: Callable[[], object] | None, count: int) -> list[float]:
    """Latencies of submissions posted one after another: *count* of them with nothing else running, or,
    with *work*, for as long as *work* runs in a thread (at least 20)."""
    if work is None:
        return [submit_once(client, site_key) for _ in range(count)]
    worker = threading.Thread(target=work)
    worker.start()
    latencies: list[float] = []
    while worker.is_alive() or len(latencies) < 20:
        latencies.append(submit_once(client, site_key))
    worker.join()
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_rounds(app: Flask, settings: WorkerSettings, site_key: str, messages: int, rounds: int,
                   queue_batch: int) -> dict[str, list[float]]:
    client = app.test_client()
    for _ in range(20):  # warm up the submit path (compiled surveys, pools)
        submit_once(client, site_key)
    engine = get_state(app).engine
    samples: dict[str, list[float]] = {"idle": [], "sending": [], "queueing": []}

    def send_batch() -> None:  # the invitations, and the odd mail of the app's daily work
        outcomes = drain(engine, settings, limit=100)
        assert outcomes["sent"] >= messages and set(outcomes) == {"sent"}, outcomes

    def queue_batch_work() -> None:
        elapsed = queue(app, site_key, queue_batch, BATCH)
        print(f"  queued {queue_batch} invitations in batches of {BATCH} in {elapsed:.2f} s")

    for _ in range(rounds):
        make_pending(app)
        sending = submissions_while(client, site_key, send_batch, 0)
        samples["sending"] += sending
        samples["idle"] += submissions_while(client, site_key, None, len(sending))
        if queue_batch:
            samples["queueing"] += submissions_while(client, site_key, queue_batch_work, 0)
    print(f"refused submissions (status: count): {dict(REFUSED) or 'none'}")
    return samples


def report_latency(samples: dict[str, list[float]]) -> None:
    idle_p50, idle_p95 = percentile(samples["idle"], 0.5), percentile(samples["idle"], 0.95)
    for name, values in samples.items():
        if not values:
            continue
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"submission latency {name:9s} n={len(values):5d}  p50 {p50 * 1000:6.1f} ms ({p50 / idle_p50:.2f}x idle)"
              f"  p95 {p95 * 1000:6.1f} ms ({p95 / idle_p95:.2f}x idle)  max {max(values) * 1000:7.1f} ms")


# ---------------------------------------------------------------- the run


def database_url(requested: str | None) -> str:
    """*requested* emptied first (a PostgreSQL database is dropped of our tables), else SQLite in a temp folder."""
    if requested is None:
        return "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    engine = create_engine(requested.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return requested


def bench_app(url: str, port: int) -> Flask:
    return create_app({"FEEDBACKWIDGET_DATABASE_URL": url, "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
                       "FEEDBACKWIDGET_RUN_SENDER": False, "FEEDBACKWIDGET_PUBLIC_URL": ORIGIN,
                       "FEEDBACKWIDGET_RATELIMIT_ENABLED": False, "FEEDBACKWIDGET_RUN_MAINTENANCE": False,
                       "FEEDBACKWIDGET_OUTBOX_LEASE_SECONDS": 3600.0, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                       "MAIL_DEFAULT_SENDER": "feedback@shop.example"})


def bench_site(app: Flask) -> str:
    with get_state(app).session_factory() as session:
        site = create_site(session, "Bench Shop", [ORIGIN], templates=("nps",))
        set_rule(session, site.id, RuleChanges("nps", "paid", 0, None, 0, 24, 100))
        save_policy(session, site.id, 0, False)
        session.commit()
        return site.key


def print_rates(label: str, rounds: list[Timed], count: int) -> float:
    rates = [count / timed.wall for timed in rounds]
    median = statistics.median(rates)
    print(f"{label}: {median:.0f} messages/s  rounds: " + ", ".join(f"{rate:.0f}" for rate in rates))
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queue-batch", type=int, default=500,
                        help="invitations queued (as the sender job does) while submissions are timed (0: skip)")
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL URL whose public schema the bench empties (default: SQLite in a temp folder)")
    args = parser.parse_args()
    assert args.orders >= args.messages + args.rounds * args.queue_batch, "--orders too few to queue every batch"
    port, received, ready = free_port(), multiprocessing.Value("l", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=serve_smtp, args=(port, received, ready), daemon=True)
    server.start()
    ready.wait(30)
    print(f"load average at the start: {load_average()}")
    app = bench_app(database_url(args.database), port)
    site_key = bench_site(app)
    scheduling = schedule(app, get_state(app).sites.get(site_key), args.orders)
    print(f"scheduling {args.orders} orders: {scheduling:.1f} s ({args.orders / scheduling:.0f} orders/s)")
    queueing = queue(app, site_key, args.messages)
    print(f"queueing {args.messages} invitations (link, rendering, MIME, outbox): {queueing:.2f} s "
          f"({args.messages / queueing:.0f}/s)")
    settings = WorkerSettings.for_app(app)
    rows = outbox_rows(app)
    with app.app_context():
        messages = [(row["recipient"], build_message(settings.mailer, row, row["recipient"]).as_bytes()) for row in rows]
    # As shipped (lease 120 s, SMTP timeout 10 s) a worker claims min(20, 120 // (2 * 10)) = 6 messages a batch.
    shipped = dataclasses.replace(settings, lease_seconds=120.0)
    rounds: dict[str, list[Timed]] = {"baseline": [], "building": [], "outbox": [], "shipped": []}
    for _ in range(args.rounds):
        rounds["baseline"].append(baseline_round(messages, port))
        rounds["building"].append(building_round(app, settings, rows, port))
        rounds["outbox"].append(outbox_round(app, settings, len(messages)))
        rounds["shipped"].append(outbox_round(app, shipped, len(messages), limit=CLAIM_BATCH))
    count = len(messages)
    base = print_rates("baseline (bare smtplib, one connection, bytes built beforehand)", rounds["baseline"], count)
    building = print_rates("bare loop building each message at send time (the outbox's builder)", rounds["building"],
                           count)
    outbox = print_rates("outbox (claim 100, Flask-Mail over one connection per batch, mark)", rounds["outbox"], count)
    as_shipped = print_rates("outbox as shipped (lease 120 s, claims of 20)", rounds["shipped"], count)
    cpu = {name: statistics.median(timed.cpu for timed in values) / count for name, values in rounds.items()}
    print(f"outbox / baseline: {outbox / base:.2f}x (target >= 0.80x); as shipped / baseline: {as_shipped / base:.2f}x; "
          f"outbox / building loop: {outbox / building:.2f}x")
    print("CPU ms a message in this process: " + ", ".join(f"{name} {value * 1000:.2f}" for name, value in cpu.items()))
    report_latency(latency_rounds(app, settings, site_key, len(messages), args.rounds, args.queue_batch))
    print(f"received {received.value} messages; load average at the end: {load_average()}")
    server.terminate()


if __name__ == "__main__":
    main()
