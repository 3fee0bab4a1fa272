#!/usr/bin/env python3
"""Benchmark the submit endpoint against two baselines measured in the same run.

Starts each server under gunicorn (2 sync workers) on 127.0.0.1 and loads it
with wrk from a second process, for a bounded time:

- ``hello``: a Flask hello world (the yardstick: every figure is a ratio to it);
- ``bare-<db>``: a bare Flask view that validates the same body with a WTForms
  form and inserts one row with SQLAlchemy Core in its own transaction;
- ``bare1-postgresql``: the same bare view with its INSERT in autocommit mode
  (one round trip instead of BEGIN, INSERT, COMMIT): a reference, not a target;
- ``app-<db>``: feedbackwidget's ``POST /feedback/api/v1/sites/<key>/responses``
  (rate limits, site lookup, origin check, idempotency, CORS, one ``INSERT ... ON
  CONFLICT DO NOTHING RETURNING id`` through SQLAlchemy Core in autocommit mode),
  each request with its own Idempotency-Key (bench/submit.lua), the rate limits set high.

``<db>`` is SQLite (WAL, synchronous=NORMAL, for both) and PostgreSQL (a
private throw-away cluster, or a database on ``--pg-url``'s server; default
durability either way).  Rounds are
interleaved and the median of the per-round ratios is reported.  Targets, on both
databases: app ÷ bare ≥ 1.0x in req/s, and the app's p99 no worse than bare's.

    .venv/bin/python bench/submit_bench.py --duration 10 --rounds 3

Needs ``wrk`` (Debian package; installed with apt-get when missing) and gunicorn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, request
from sqlalchemy import JSON, Column, DateTime, Engine, Integer, MetaData, SmallInteger, String, Table, Text, create_engine, event, func, select, text
from wtforms import Form, IntegerField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
ORIGIN = "https://shop.example"
BODY = {
    "survey": "nps",
    "answers": {"score": 9, "reason": "Quick delivery and friendly staff"},
    "page_url": "https://shop.example/checkout/thank-you",
    "locale": "en",
}
HIGH_LIMIT = "100000000/minute"
# The targets, on SQLite and on PostgreSQL alike: the app at least as fast as the bare view, its p99 no worse.
TARGET_SPEEDUP = 1.0
TARGET_P99_RATIO = 1.0

# ---------------------------------------------------------------- baseline apps (loaded by gunicorn)

# The bare view stores the same row into the same table as feedbackwidget (same indexes),
# declared here as plain SQLAlchemy Core, so the comparison is about the path, not the schema.
bare_metadata = MetaData()
bare_table = Table(
    "fw_responses", bare_metadata,
    Column("id", Integer, primary_key=True),
    Column("site_id", Integer),
    Column("survey_id", Integer),
    Column("answers", JSON),
    Column("nps_score", SmallInteger),
    Column("comment", Text),
    Column("page_url", Text),
    Column("locale", String(8)),
    Column("created_at", DateTime(timezone=True)),
)


class BareForm(Form):  # type: ignore[misc]
    survey = StringField(validators=[DataRequired(), AnyOf(["nps"])])
    score = IntegerField(validators=[NumberRange(0, 10)])  # None fails too
    reason = StringField(validators=[Optional(), Length(max=2000)])
    page_url = StringField(validators=[Optional(), Length(max=2048)])
    locale = StringField(validators=[Optional(), Length(max=35)])


def bare_engine(url: str) -> Engine:
    """A plain engine; SQLite gets the same WAL settings as feedbackwidget's."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, record: Any) -> None:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=15000"):
                dbapi_connection.execute(f"PRAGMA {pragma}")
    return engine


def hello_app() -> Flask:
    app = Flask("hello")

    @app.get("/")
    def hello() -> str:
        return "Hello, World!"

    return app


def bare_app(single_round_trip: bool = False) -> Flask:
    """The bare view; with *single_round_trip* its INSERT runs in autocommit mode (no BEGIN, no COMMIT)."""
    app = Flask("bare")
    engine = bare_engine(os.environ["BENCH_DATABASE_URL"])
    if single_round_trip:
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    site_id, survey_id = int(os.environ["BENCH_SITE_ID"]), int(os.environ["BENCH_SURVEY_ID"])

    @app.post("/submit")
    def submit() -> tuple[dict[str, Any], int]:
        body = request.get_json()
        answers = body.get("answers") or {}
        form = BareForm(data={"survey": body.get("survey"), "page_url": body.get("page_url"),
                              "locale": body.get("locale"), **answers})
        if not form.validate():
            return {"errors": form.errors}, 422
        with engine.begin() as connection:
            result = connection.execute(bare_table.insert().values(
                site_id=site_id, survey_id=survey_id, answers=answers, nps_score=form.score.data,
                comment=form.reason.data, page_url=form.page_url.data, locale=form.locale.data,
                created_at=dt.datetime.now(dt.timezone.utc),
            ))
        return {"id": result.inserted_primary_key[0]}, 201

    @app.get("/ready")
    def ready() -> str:
        return "ok"

    return app


# ---------------------------------------------------------------- running servers and wrk


@dataclass
class Measurement:
    requests_per_second: float
    p99_ms: float
    requests: int
    non_2xx: int
    errors: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or sys.exit("wrk could not be installed: apt-get install -y wrk")


@contextmanager
def gunicorn(target: str, env: dict[str, str], ready_path: str, log: Path, workers: int = 2) -> Iterator[str]:
    """Run *target* under gunicorn (*workers* sync workers) on a free loopback port; yield its base URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--pythonpath", str(BENCH_DIR), "--log-level", "warning", target]
    with open(log, "ab") as output:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=output, stderr=output, cwd=log.parent)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + ready_path, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server for {url} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server for {url} did not get ready in 30 s:\n{log.read_text()[-3000:]}")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Measurement:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p99 and total):
        sys.exit(f"could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return Measurement(float(rps.group(1)), float(p99.group(1)) * UNITS_MS[p99.group(2)], int(total.group(1)),
                       int(non_2xx.group(1)) if non_2xx else 0, errors.group(1) if errors else "")


def run_wrk(wrk: str, url: str, seconds: int, connections: int, post: bool) -> Measurement:
    command = [wrk, "--threads", "2", "--connections", str(connections), "--duration", f"{seconds}s",
               "--timeout", "10s", "--latency"]
    if post:
        command += ["--script", str(BENCH_DIR / "submit.lua"), url, "--", uuid.uuid4().hex[:12], ORIGIN,
                    json.dumps(BODY)]
    else:
        command.append(url)
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


# ---------------------------------------------------------------- databases


def prepare_feedbackwidget(url: str, templates: tuple[str, ...] = ("nps", "csat")) -> tuple[str, int, int]:
    """Migrate *url*, create the benchmark site with its surveys; return its key and the ids of it and its NPS survey."""
    sys.path.insert(0, str(REPO))
    from feedbackwidget.core.db import create_feedback_engine
    from feedbackwidget.migrations import upgrade
    from feedbackwidget.provisioning import create_site
    from sqlalchemy.orm import Session

    from feedbackwidget.core.models import Survey

    engine = create_feedback_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        site = create_site(session, "Bench Shop", [ORIGIN], templates=templates)
        session.commit()
        ids = (site.key, site.id, session.scalars(select(Survey.id).where(Survey.site_id == site.id,
                                                                         Survey.slug == "nps")).one())
    engine.dispose()
    return ids


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def own_postgres_server(synchronous_commit: str = "on") -> Iterator[str]:
    """A private PostgreSQL cluster at default durability (fsync and synchronous_commit on).

    Other programs' load on a shared server (tests creating databases write whole
    templates into its WAL) would otherwise be measured as our commit latency.
    """
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not binaries:
        sys.exit("PostgreSQL is not installed: apt-get install postgresql, or pass --pg-url")
    directory = Path(tempfile.mkdtemp(prefix="fwbench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data, port = directory / "data", free_port()
    subprocess.run(_as_postgres([str(binaries[-1] / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
                   check=True, capture_output=True)
    ctl = [str(binaries[-1] / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {directory} -c synchronous_commit={synchronous_commit}"
    subprocess.run(_as_postgres([*ctl, "-o", options, "-l", str(directory / "log"), "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([*ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    name = f"fwbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def count_keyed(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM fw_responses WHERE idempotency_key IS NOT NULL"))
        keyed = int(count.scalar_one())
    engine.dispose()
    return keyed


def count_rows(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(text(table))).scalar_one()
    engine.dispose()
    return int(count)


# ---------------------------------------------------------------- the run


def app_env(url: str, site_id: int, survey_id: int) -> dict[str, str]:
    return {
        "BENCH_SITE_ID": str(site_id),
        "BENCH_SURVEY_ID": str(survey_id),
        "FEEDBACKWIDGET_DATABASE_URL": url,
        "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
        "FEEDBACKWIDGET_AUTO_MIGRATE": "false",
        "FEEDBACKWIDGET_RUN_SENDER": "false",
        # The daily maintenance (purge, digests, statistics) would run at each worker's start.
        "FEEDBACKWIDGET_RUN_MAINTENANCE": "false",
        "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT": HIGH_LIMIT,
        "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": HIGH_LIMIT,
        "BENCH_DATABASE_URL": url,
    }


def measure_all(args: argparse.Namespace, work: Path, urls: dict[str, str]) -> dict[str, list[Measurement]]:
    wrk = ensure_wrk()
    sites = {backend: prepare_feedbackwidget(url) for backend, url in urls.items()}
    results: dict[str, list[Measurement]] = {}
    log = work / "servers.log"
    targets: list[tuple[str, str, dict[str, str], str, str, bool]] = [("hello", "submit_bench:hello_app()", {}, "/", "/", False)]
    for backend, url in urls.items():
        key, site_id, survey_id = sites[backend]
        env = app_env(url, site_id, survey_id)
        targets.append((f"bare-{backend}", "submit_bench:bare_app()", env, "/ready", "/submit", True))
        if backend == "postgresql" and args.single_round_trip:
            targets.append(("bare1-postgresql", "submit_bench:bare_app(single_round_trip=True)", env, "/ready",
                            "/submit", True))
        targets.append((f"app-{backend}", "feedbackwidget:create_app()", env, "/feedback/healthz",
                        f"/feedback/api/v1/sites/{key}/responses", True))
    for round_number in range(args.rounds):
        for name, target, env, ready, path, post in targets:
            with gunicorn(target, env, ready, log) as base:
                run_wrk(wrk, base + path, args.warmup, args.connections, post)
                measurement = run_wrk(wrk, base + path, args.duration, args.connections, post)
            results.setdefault(name, []).append(measurement)
            print(f"round {round_number + 1} {name:16} {measurement.requests_per_second:9.1f} req/s  "
                  f"p99 {measurement.p99_ms:7.2f} ms  non-2xx {measurement.non_2xx} {measurement.errors}",
                  flush=True)
    for backend, url in urls.items():
        print(f"{backend}: fw_responses rows {count_rows(url, 'fw_responses')} "
              f"(with an Idempotency-Key, from app-{backend}: {count_keyed(url)})")
    return results


def report(results: dict[str, list[Measurement]], backends: list[str]) -> str:
    hello = results["hello"]
    lines = ["| target | req/s ÷ hello | p99 ÷ hello | req/s (median) | p99 ms (median) | non-2xx |",
             "|---|---|---|---|---|---|"]
    ratios: dict[str, tuple[float, float]] = {}
    for name, runs in results.items():
        rps_ratio = statistics.median(m.requests_per_second / h.requests_per_second for m, h in zip(runs, hello))
        p99_ratio = statistics.median(m.p99_ms / h.p99_ms for m, h in zip(runs, hello))
        ratios[name] = (rps_ratio, p99_ratio)
        lines.append(f"| {name} | {rps_ratio:.2f}x | {p99_ratio:.2f}x | "
                     f"{statistics.median(m.requests_per_second for m in runs):.0f} | "
                     f"{statistics.median(m.p99_ms for m in runs):.2f} | {sum(m.non_2xx for m in runs)} |")
    lines.append("")
    invalid = [name for name, runs in results.items() if any(m.non_2xx or m.errors for m in runs)]
    if invalid:
        lines.append(f"- INVALID: non-2xx responses or socket errors in {', '.join(invalid)}")
    for backend in backends:
        app, bare = ratios[f"app-{backend}"], ratios[f"bare-{backend}"]
        speedup, p99_vs = app[0] / bare[0], app[1] / bare[1]
        met = speedup >= TARGET_SPEEDUP and p99_vs <= TARGET_P99_RATIO
        lines.append(f"- {backend}: app ÷ bare = {speedup:.2f}x req/s (target ≥ {TARGET_SPEEDUP}x), "
                     f"p99 app ÷ bare = {p99_vs:.2f} (target ≤ {TARGET_P99_RATIO}) — "
                     f"{'target met' if met else 'TARGET NOT MET'}")
        single = ratios.get(f"bare1-{backend}")
        if single:
            lines.append(f"  reference: the bare view in one round trip ÷ bare = {single[0] / bare[0]:.2f}x req/s "
                         f"(issue 2 quotes 0.26x-0.39x against 0.22x hello: 1.18x-1.77x); "
                         f"app ÷ that = {app[0] / single[0]:.2f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the unmeasured wrk run before each")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-single-round-trip", dest="single_round_trip", action="store_false",
                        help="skip bare1-postgresql, the bare view with its INSERT in autocommit mode "
                             "(one round trip: the reference issue 2 quotes at 0.26x-0.39x hello)")
    parser.add_argument("--pg-synchronous-commit", default="on", choices=["on", "off"],
                        help="diagnostic only: 'off' takes the commit's WAL flush out of the measurement "
                             "(not the default durability the targets are about)")
    parser.add_argument("--pg-url", default="own",
                        help="a PostgreSQL server to create the bench database on; 'own' (default): "
                             "start a private cluster at default durability")
    args = parser.parse_args()
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="fwbench-") as tmp:
        work = Path(tmp)
        with databases(backends, args.pg_url, args.pg_synchronous_commit, work) as urls:
            results = measure_all(args, work, urls)
    print()
    print(report(results, backends))


@contextmanager
def databases(backends: list[str], pg_url: str, synchronous_commit: str, work: Path) -> Iterator[dict[str, str]]:
    urls: dict[str, str] = {}
    if "sqlite" in backends:
        urls["sqlite"] = f"sqlite:///{work / 'bench.sqlite'}"
    if "postgresql" not in backends:
        yield urls
        return
    with ExitStack() as stack:
        own = pg_url == "own"
        server = stack.enter_context(own_postgres_server(synchronous_commit)) if own else pg_url
        urls["postgresql"] = stack.enter_context(postgres_database(server))
        yield urls


if __name__ == "__main__":
    main()
