#!/usr/bin/env python3
"""Contention benchmark: do dashboards and wrong logins slow down submissions on SQLite?

One SQLite database with a year of responses (rolled up beforehand, as the
maintenance job keeps them), one feedbackwidget server under gunicorn (sync
workers, more of them than concurrent requests, so that no submission waits for a
free worker) and wrk posting submissions as in ``submit_bench.py``.  Each round
measures the submissions twice, for the same time:

- ``quiet``: nothing else runs;
- ``loaded``: one client loads dashboards (30 and 365 days, one after another,
  logged in) and another posts wrong logins (unknown addresses, as a password
  guesser would), both without pause;
- ``cpu`` (a diagnostic, ``--no-cpu`` skips it): the clients' CPU work without
  the database: one process spinning (the dashboards' rendering) and one checking
  a password again and again with the app's own Argon2 settings.  On a machine
  with few cores that CPU slows submissions however the database behaves;
  loaded ÷ cpu near or under 1 says the database adds no wait.

Reported: p99 of the submissions loaded ÷ quiet, per round and its median over the
rounds (target: at most 1.5x), loaded ÷ cpu, and what the two load clients got.
Any non-2xx submission marks the run invalid.

    .venv/bin/python bench/contention_bench.py                      # about 2 minutes
    .venv/bin/python bench/contention_bench.py --rounds 5 --duration 10 --responses 1000000

Needs ``wrk`` (installed with apt-get when missing) and gunicorn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import multiprocessing
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

from dashboard_bench import load  # noqa: E402
from submit_bench import ORIGIN, Measurement, app_env, ensure_wrk, gunicorn, run_wrk  # noqa: E402

TARGET_P99_RATIO = 1.5
ADMIN_EMAIL = "bench@bench.example"
ADMIN_PASSWORD = "bench-password-long-enough"
# Sync workers: wrk's connections plus the two load clients, and one spare.
WORKERS = 6
SECRET_KEY = "contention-bench-secret-key-that-is-long-enough"
CSRF_FIELD = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


@dataclass
class LoadClient:
    """A client that requests without pause in its own thread until stopped."""

    base: str
    # Cookies (a login session) survive from one client to the next when the jar is passed on.
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    statuses: Counter[int] = field(default_factory=Counter)
    times_ms: list[float] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fetch(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def timed(self, path: str, form: dict[str, str] | None = None) -> None:
        started = time.perf_counter()
        status, _ = self.fetch(path, form)
        self.times_ms.append((time.perf_counter() - started) * 1000)
        self.statuses[status] += 1

    def csrf_token(self) -> str:
        _, page = self.fetch("/feedback/admin/login")
        field_html = CSRF_FIELD.search(page)
        value = VALUE.search(field_html.group(0)) if field_html else None
        if value is None:
            sys.exit("no CSRF token on the login page")
        return value.group(1)

    def step(self, count: int) -> None:
        raise NotImplementedError

    def run(self) -> None:
        count = 0
        while not self.stopping.is_set():
            self.step(count)
            count += 1


@dataclass
class DashboardClient(LoadClient):
    site_id: int = 0

    def log_in(self) -> None:
        """Log in once, before any wrong login: those soon refuse every login from this address."""
        token = self.csrf_token()
        status, _ = self.fetch("/feedback/admin/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
                                                         "csrf_token": token, "next": ""})
        if status != 200:  # the redirect to the dashboard was followed
            sys.exit(f"the bench admin could not log in: {status}")

    def step(self, count: int) -> None:
        today = dt.datetime.now(dt.timezone.utc).date()
        year = f"period=custom&from={(today - dt.timedelta(days=364)).isoformat()}&to={today.isoformat()}"
        self.timed(f"/feedback/admin/?site={self.site_id}&" + ("period=30" if count % 2 else year))


class WrongLoginClient(LoadClient):
    def step(self, count: int) -> None:
        if count == 0:
            self.token = self.csrf_token()
        self.timed("/feedback/admin/login", {"email": f"guess-{uuid.uuid4().hex[:10]}@bench.example",
                                             "password": "wrong-password", "csrf_token": self.token, "next": ""})


def prepare(url: str, responses: int, days: int) -> tuple[str, int, int]:
    """Load *responses* over *days*, add the bench admin, roll up every closed day;
    return the site's key and the ids of it and its NPS survey."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from feedbackwidget.accounts import set_admin
    from feedbackwidget.core.db import create_feedback_engine
    from feedbackwidget.metrics import refresh
    from feedbackwidget.core.models import Site, Survey

    site_id = load(url, responses, days)
    engine = create_feedback_engine(url)
    with Session(engine) as session:
        set_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD)
        site = session.get_one(Site, site_id)
        site.allowed_origins = [*site.allowed_origins, ORIGIN]  # wrk posts from submit_bench's origin
        key = site.key
        session.commit()
        survey_id = session.scalars(select(Survey.id).where(Survey.site_id == site_id, Survey.slug == "nps")).one()
    started = time.perf_counter()
    today = dt.datetime.now(dt.timezone.utc).date()
    batches = refresh(engine, today - dt.timedelta(days=2 * 366), today)
    print(f"roll-ups: {batches} committed batches in {time.perf_counter() - started:.1f} s", flush=True)
    engine.dispose()
    return key, site_id, survey_id


@dataclass
class Round:
    quiet: Measurement
    loaded: Measurement
    cpu: Measurement | None = None

    @property
    def p99_ratio(self) -> float:
        return self.loaded.p99_ms / self.quiet.p99_ms


def _spin(seconds: float) -> None:
    """The dashboards' stand-in: one core busy."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def _verify_passwords(seconds: float) -> None:
    """The wrong logins' stand-in: the app's password check, one after another (Argon2 runs
    several threads)."""
    from feedbackwidget.accounts import hash_password, verify_password

    stored = hash_password(ADMIN_PASSWORD)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        verify_password(stored, "wrong-password")


def cpu_run(wrk: str, submit: str, args: argparse.Namespace) -> Measurement:
    """Submissions while other processes do the clients' CPU work without the database."""
    stand_ins = {"dashboards": _spin, "logins": _verify_passwords}
    spinners = [multiprocessing.Process(target=stand_ins[name], args=(args.duration + 2,))
                for name in args.load.split(",")]
    for spinner in spinners:
        spinner.start()
    time.sleep(0.5)
    measurement = run_wrk(wrk, submit, args.duration, args.connections, True)
    for spinner in spinners:
        spinner.join()
    return measurement


def loaded_run(wrk: str, base: str, submit: str, args: argparse.Namespace, admin: DashboardClient,
               clients: list[LoadClient]) -> Measurement:
    running: list[LoadClient] = []
    if "dashboards" in args.load:
        running.append(DashboardClient(base, admin.jar, site_id=admin.site_id))
    if "logins" in args.load:
        running.append(WrongLoginClient(base))
    threads = [threading.Thread(target=client.run, daemon=True) for client in running]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the clients are mid-request when wrk starts
    measurement = run_wrk(wrk, submit, args.duration, args.connections, True)
    for client in running:
        client.stopping.set()
    for thread in threads:
        thread.join(timeout=120)
    clients += running
    return measurement


def measure(args: argparse.Namespace, work: Path) -> tuple[list[Round], list[LoadClient]]:
    wrk = ensure_wrk()
    url = f"sqlite:///{work / 'contention.sqlite'}"
    key, site_id, survey_id = prepare(url, args.responses, args.days)
    rounds: list[Round] = []
    clients: list[LoadClient] = []
    env = {**app_env(url, site_id, survey_id), "FEEDBACKWIDGET_SECRET_KEY": SECRET_KEY}
    with gunicorn("feedbackwidget:create_app()", env, "/feedback/healthz", work / "server.log",
                  workers=WORKERS) as base:
        submit = f"{base}/feedback/api/v1/sites/{key}/responses"
        admin = DashboardClient(base, site_id=site_id)
        admin.log_in()
        run_wrk(wrk, submit, args.warmup, args.connections, True)
        for number in range(args.rounds):
            quiet = run_wrk(wrk, submit, args.duration, args.connections, True)
            loaded = loaded_run(wrk, base, submit, args, admin, clients)
            cpu = cpu_run(wrk, submit, args) if args.cpu else None
            rounds.append(Round(quiet, loaded, cpu))
            if any(status >= 500 for client in clients for status in client.statuses):
                print("server errors; the end of the server's log:\n" + (work / "server.log").read_text()[-4000:])
            print(f"round {number + 1}: p99 quiet {quiet.p99_ms:7.2f} ms, loaded {loaded.p99_ms:7.2f} ms "
                  f"({loaded.p99_ms / quiet.p99_ms:.2f}x)"
                  + (f", cpu only {cpu.p99_ms:7.2f} ms" if cpu else "")
                  + f"; req/s {quiet.requests_per_second:.0f} / {loaded.requests_per_second:.0f}"
                  + (f" / {cpu.requests_per_second:.0f}" if cpu else "")
                  + f"; non-2xx {quiet.non_2xx} / {loaded.non_2xx}", flush=True)
    return rounds, clients


def report(rounds: list[Round], clients: list[LoadClient]) -> str:
    ratio = statistics.median(r.p99_ratio for r in rounds)
    lines = ["| submissions | p99 ms (median) | req/s (median) | non-2xx |", "|---|---|---|---|"]
    for name in ("quiet", "loaded", "cpu"):
        runs = [getattr(r, name) for r in rounds if getattr(r, name) is not None]
        if not runs:
            continue
        lines.append(f"| {name} | {statistics.median(m.p99_ms for m in runs):.2f} | "
                     f"{statistics.median(m.requests_per_second for m in runs):.0f} | {sum(m.non_2xx for m in runs)} |")
    lines.append("")
    for kind in (DashboardClient, WrongLoginClient):
        mine = [c for c in clients if isinstance(c, kind)]
        times = [t for c in mine for t in c.times_ms]
        statuses = sum((c.statuses for c in mine), Counter())
        lines.append(f"- {kind.__name__}: {len(times)} requests, median {statistics.median(times or [0]):.0f} ms, "
                     f"max {max(times or [0]):.0f} ms, statuses {dict(sorted(statuses.items()))}")
    invalid = any(r.quiet.non_2xx or r.loaded.non_2xx or r.quiet.errors or r.loaded.errors for r in rounds)
    if invalid:
        lines.append("- INVALID: non-2xx submissions or socket errors")
    per_round = ", ".join(f"{r.p99_ratio:.2f}x" for r in rounds)
    met = ratio <= TARGET_P99_RATIO and not invalid
    lines.append(f"- submission p99 loaded ÷ quiet = {ratio:.2f}x (per round: {per_round}; "
                 f"target ≤ {TARGET_P99_RATIO}x) — {'target met' if met else 'TARGET NOT MET'}")
    with_cpu = [r for r in rounds if r.cpu is not None]
    if with_cpu:
        versus_cpu = statistics.median(r.loaded.p99_ms / r.cpu.p99_ms for r in with_cpu if r.cpu)
        lines.append(f"- diagnostic: submission p99 loaded ÷ cpu only = {versus_cpu:.2f}x "
                     "(near or under 1: the load costs CPU time, not database waits)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=8, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before the first round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=2, help="wrk's connections (submissions in flight)")
    parser.add_argument("--responses", type=int, default=300_000, help="responses loaded beforehand")
    parser.add_argument("--days", type=int, default=365, help="the days they are spread over")
    parser.add_argument("--load", default="dashboards,logins",
                        help="the load clients of the loaded runs (a diagnostic: one of them alone)")
    parser.add_argument("--no-cpu", dest="cpu", action="store_false", help="skip the cpu-only diagnostic")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fwbench-contention-") as tmp:
        rounds, clients = measure(args, Path(tmp))
    print()
    print(report(rounds, clients))


if __name__ == "__main__":
    main()
