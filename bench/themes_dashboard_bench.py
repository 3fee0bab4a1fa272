"""Themes at scale (issue 14): the dashboard's theme panels at 1,000,000 responses, and the backfill.

Fills one site with ``--responses`` responses over a year (bulk inserts through
SQLAlchemy Core, 60 % with a comment in Hungarian, English or Chinese, generated as
``bench/themes_bench.py`` does) with their themes stored as the worker stores them,
and 20,000 complaints. Then, for 30, 90 and 365 days:

- **baseline**: the plain NPS count of the period (count, promoters, detractors over
  ``fw_responses`` by site and day), measured in the same run;
- **drivers**: :func:`feedbackwidget.themes.drivers.drivers` (the period and the one
  before it: totals, and per theme mentions, bands, effect and rising);
- **examples**: :func:`~feedbackwidget.themes.drivers.example_comments` of the most
  mentioned theme (three comments, spans recomputed);
- **complaints**: :func:`~feedbackwidget.themes.drivers.complaint_themes`.

Each is the median of ``--runs`` runs after one warm-up, in ms, and as a ratio of the
baseline. Last, the **backfill**: ``--backfill`` new comments left unanalysed are run
through :func:`feedbackwidget.themes.store.analyse_pending` (read, detect, assign,
store, mark, in committed batches of 500) in this one process: comments per CPU
second (per core) and per wall second, and the time for 1,000,000 comments
extrapolated from the per-core rate over the machine's cores (the worker is one
process per core: ``feedbackwidget themes refresh`` run in parallel per site, or
one sender per web worker).

    .venv/bin/python bench/themes_dashboard_bench.py                  # SQLite in a temp folder
    .venv/bin/python bench/themes_dashboard_bench.py --database postgresql://postgres@127.0.0.1:5432/themes_bench

With ``--backfill-all`` the responses are loaded unanalysed instead, each with its own
generated comment, in id and time order, and the whole backfill is timed as
``feedbackwidget themes refresh`` runs it (:func:`analyse_pending` over the site, batches
of 500, one process): comments per CPU second of this process, and on PostgreSQL also
the server's CPU (its backend's, from ``/proc``); the panels are then measured on the
roll-up that backfill kept. ``--profile FILE`` writes its cProfile statistics.

    .venv/bin/python bench/themes_dashboard_bench.py --backfill-all --responses 1000000 --runs 3

Targets: a theme panel under 100 ms at 1,000,000 responses; the backfill of 1,000,000
comments under 10 minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import Engine, and_, case, create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from feedbackwidget.complaints.models import Complaint  # noqa: E402
from feedbackwidget.core.db import create_feedback_engine, normalize_url
from feedbackwidget.metrics.periods import Period, day_start, last_days  # noqa: E402
from feedbackwidget.migrations import upgrade  # noqa: E402
from feedbackwidget.core.models import Response, Survey
from feedbackwidget.provisioning import create_site
from feedbackwidget.themes import BUILT_IN, analyse  # noqa: E402
from feedbackwidget.themes.daily import rebuild_site  # noqa: E402
from feedbackwidget.themes.drivers import complaint_themes, drivers, example_comments  # noqa: E402
from feedbackwidget.themes.pending import matched_themes  # noqa: E402
from feedbackwidget.themes.models import ComplaintTheme, ResponseTheme  # noqa: E402
from feedbackwidget.themes.parallel import analyse_in_processes  # noqa: E402
from feedbackwidget.themes.store import analyse_pending, response_ids_with_theme, theme_filter  # noqa: E402
from themes_bench import generated_corpus  # noqa: E402

CHUNK = 20_000
DISTINCT_COMMENTS = 20_000
COMPLAINTS = 20_000
ONE_MILLION = 1_000_000
PROGRESS_BATCHES = 100


def fresh_database(url: str | None) -> str:
    if url is None:
        return "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="fwthemes-")) / "bench.sqlite")
    base = normalize_url(url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{base.database}"'))
    admin.dispose()
    return base.render_as_string(hide_password=False)


class Comments:
    """Generated comments and their themes, each distinct text analysed once."""

    def __init__(self, size: int) -> None:
        self.texts = generated_corpus(size)
        self.matched: list[dict[str, str]] = [{key: json.dumps(found, separators=(",", ":"))
                         for key, found in matched_themes([text], "hu", BUILT_IN).items()} for text in self.texts]
        self.themes = [tuple(found) for found in self.matched]


def response_rows(site_id: int, survey_id: int, count: int, comments: Comments,
                  analysed: dt.datetime | None) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Responses over the last 365 days, oldest first, each with the themes of its comment."""
    rng = random.Random(14)
    now = dt.datetime.now(dt.timezone.utc)
    for index in range(count):
        created = now - dt.timedelta(seconds=int(365 * 86400 * (count - index) / count))
        score = rng.choices(range(11), (2, 1, 1, 2, 2, 3, 4, 8, 12, 18, 20))[0]
        pick = rng.randrange(len(comments.texts)) if rng.random() < 0.6 else None
        comment = comments.texts[pick] if pick is not None else None
        row = {"site_id": site_id, "survey_id": survey_id, "nps_score": score, "comment": comment,
               "answers": {"score": score, **({"reason": comment} if comment else {})}, "locale": "hu",
               "created_at": created, "themes_analysed_at": analysed}
        yield row, comments.matched[pick] if pick is not None else {}


def load_responses(engine: Engine, site_id: int, survey_id: int, count: int, comments: Comments) -> None:
    """Responses and their stored themes, ``CHUNK`` rows per Core bulk insert."""
    with engine.connect() as connection:
        first_id = (connection.scalar(select(func.max(Response.id))) or 0) + 1
    rows = response_rows(site_id, survey_id, count, comments, dt.datetime.now(dt.timezone.utc))
    next_id = first_id
    while True:
        chunk = [row for _, row in zip(range(CHUNK), rows)]
        if not chunk:
            return
        responses, themes = [], []
        for response, keys in chunk:
            responses.append({**response, "id": next_id})
            themes += [{"response_id": next_id, "theme_key": key, "site_id": site_id,
                        "created_at": response["created_at"], "nps_score": response["nps_score"], "csat": None,
                        "matched": matched} for key, matched in keys.items()]
            next_id += 1
        with engine.begin() as connection:
            connection.execute(insert(Response), responses)
            if themes:
                connection.execute(insert(ResponseTheme), themes)


def load_unanalysed(engine: Engine, site_id: int, survey_id: int, texts: list[str]) -> None:
    """One response per text, over the last 365 days in id order, none analysed yet (a backfill's start)."""
    rng = random.Random(14)
    now = dt.datetime.now(dt.timezone.utc)
    with engine.connect() as connection:
        first_id = (connection.scalar(select(func.max(Response.id))) or 0) + 1
    seconds_apart = 365 * 86400 / len(texts)
    for start in range(0, len(texts), CHUNK):
        rows = []
        for index in range(start, min(start + CHUNK, len(texts))):
            score, text = rng.choices(range(11), (2, 1, 1, 2, 2, 3, 4, 8, 12, 18, 20))[0], texts[index]
            created = now - dt.timedelta(seconds=int(seconds_apart * (len(texts) - index)))
            rows.append({"id": first_id + index, "site_id": site_id, "survey_id": survey_id, "nps_score": score,
                         "comment": text, "answers": {"score": score, "reason": text}, "locale": "hu",
                         "created_at": created, "themes_analysed_at": None})
        with engine.begin() as connection:
            connection.execute(insert(Response), rows)


def server_cpu(engine: Engine) -> float:
    """CPU seconds used so far by the PostgreSQL backends of this engine's database (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return 0.0
    with engine.connect() as connection:
        pids = list(connection.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")))
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU seconds of this process's finished children (``--jobs``' processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def backfill_all(engine: Engine, site_id: int, profile: str | None, jobs: int = 1) -> None:
    """Time the backfill of every pending response of the site, as ``themes refresh [--jobs N]`` runs it."""
    for language_hint, sample in (("hu", "A futár késett"), ("en", "late delivery"), ("zh", "快递太慢")):
        analyse(sample, language_hint)  # dictionaries loaded before the clock starts, as in a running worker
    load, server = os.getloadavg()[0], server_cpu(engine)
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    analysed, children = 0, children_cpu()
    if jobs > 1:  # `themes refresh --jobs N`: no progress lines, the processes report when done
        analysed = analyse_in_processes(engine, jobs, site_id)
    while done := analyse_pending(engine, site_id, max_batches=PROGRESS_BATCHES):
        analysed += done
        print(f"  {analysed:,} analysed: {time.perf_counter() - wall:.0f} s wall, "
              f"{time.process_time() - cpu:.0f} s CPU, load average {os.getloadavg()[0]:.1f}", flush=True)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu = time.process_time() - cpu + children_cpu() - children
    wall, server = time.perf_counter() - wall, server_cpu(engine) - server
    print(f"backfill of every response on {jobs} process(es): {analysed:,} comments, load average {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after; {wall:.1f} s wall, {cpu:.1f} s CPU in this process"
          + (f", {server:.1f} s CPU in the PostgreSQL server" if server else "")
          + f"\n{analysed / cpu:,.0f} comments per CPU second of the worker"
          + (f", {analysed / (cpu + server):,.0f} counting the server's CPU too" if server else "")
          + f", {analysed / wall:,.0f} per wall second\n")


def load_complaints(engine: Engine, site_id: int, comments: Comments) -> None:
    rng = random.Random(15)
    now = dt.datetime.now(dt.timezone.utc)
    complaints, themes = [], []
    for number in range(1, COMPLAINTS + 1):
        at = now - dt.timedelta(seconds=int(365 * 86400 * (COMPLAINTS - number) / COMPLAINTS))
        pick = rng.randrange(len(comments.texts))
        complaints.append({
            "id": number, "site_id": site_id, "reference": f"FW-B{number:06d}", "status_token_hash": "0" * 64,
            "channel": "web", "status": "resolved", "customer_name": "Bench", "category": rng.choice(
                ("delivery", "product", "service", "other")), "description": comments.texts[pick],
            "desired_resolution": "refund", "locale": "hu", "escalation_level": 1, "reopen_count": 0,
            "received_at": at, "due_at": at + dt.timedelta(days=30), "updated_at": at,
            "verdict": rng.choice(("justified", "unfounded", None)),
            "compensation_amount": rng.choice((None, 1000, 2500)), "compensation_currency": "HUF",
            "themes_analysed_at": now})
        themes += [{"complaint_id": number, "theme_key": key} for key in comments.themes[pick]]
    with engine.begin() as connection:
        connection.execute(insert(Complaint), complaints)
        connection.execute(insert(ComplaintTheme), themes)


def baseline_query(session: Session, site_id: int, period: Period) -> Any:
    """The plain NPS count of the period: what the dashboard's score box asks."""
    nps = Response.nps_score
    return session.execute(select(func.count(nps), func.sum(case((nps >= 9, 1), else_=0)),
                                  func.sum(case((nps <= 6, 1), else_=0)))
                           .where(and_(Response.site_id == site_id, Response.created_at >= day_start(period.start),
                                       Response.created_at < day_start(period.end)))).one()


def list_page(session: Session, site_id: int, theme_key: str, correlated: bool) -> list[Any]:
    """The newest 50 responses that mention ``theme_key``, as the responses list asks for them."""
    query = select(Response).where(Response.site_id == site_id).order_by(Response.created_at.desc()).limit(50)
    if correlated:
        return list(session.scalars(theme_filter(query, theme_key)))
    return list(session.scalars(query.where(Response.id.in_(response_ids_with_theme([site_id], theme_key)))))


def median_ms(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall and CPU (this process) milliseconds of ``runs`` runs after a warm-up."""
    action()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def measure(engine: Engine, site_id: int, runs: int) -> list[tuple[str, int, float, float, float]]:
    """``(panel, days, wall ms, CPU ms, wall ratio to the baseline)`` rows."""
    results = []
    with Session(engine) as session:
        for days in (30, 90, 365):
            period = last_days(days)
            base = median_ms(lambda: baseline_query(session, site_id, period), runs)
            found = drivers(session, [site_id], period)
            top = found.themes[0].key if found.themes else "delivery"
            results.append(("baseline (NPS count)", days, *base, 1.0))
            for name, action in (
                ("drivers", lambda: drivers(session, [site_id], period)),
                ("drivers, every day live (no roll-up)",
                 lambda: drivers(session, [site_id], period, rolled_until=dt.date.min)),
                ("responses list page, theme filter (EXISTS)", lambda: list_page(session, site_id, top, True)),
                ("responses list page, theme filter (IN)", lambda: list_page(session, site_id, top, False)),
                ("examples (3, low score)", lambda: example_comments(session, [site_id], period, top)),
                ("complaints by theme", lambda: complaint_themes(session, [site_id], period)),
            ):
                wall, cpu = median_ms(action, runs)
                results.append((name, days, wall, cpu, wall / base[0]))
    return results


def backfill(engine: Engine, site_id: int, survey_id: int, count: int) -> tuple[int, float, float]:
    """``(comments, cpu seconds, wall seconds)`` of analysing ``count`` new comments."""
    fresh = Comments(0)
    fresh.texts = generated_corpus(count, seed=99)
    fresh.themes = [()] * count
    fresh.matched = [{}] * count
    rng_rows = response_rows(site_id, survey_id, count, fresh, None)
    with engine.connect() as connection:
        next_id = (connection.scalar(select(func.max(Response.id))) or 0) + 1
    rows = []
    for index, (row, _) in enumerate(rng_rows):
        text = fresh.texts[index]
        rows.append({**row, "id": next_id + index, "comment": text, "answers": {"score": row["nps_score"],
                                                                              "reason": text}})
    with engine.begin() as connection:
        connection.execute(insert(Response), rows)
    for language_hint, sample in (("hu", "A futár késett"), ("en", "late delivery"), ("zh", "快递太慢")):
        analyse(sample, language_hint)  # dictionaries loaded before the clock starts, as in a running worker
    cpu, wall = time.process_time(), time.perf_counter()
    analysed = analyse_pending(engine, site_id)
    return analysed, time.process_time() - cpu, time.perf_counter() - wall


def report(engine: Engine, site_id: Any, runs: int) -> None:
    print("| panel | days | ms (median, wall) | CPU ms (this process) | wall ÷ baseline |\n|---|---|---|---|---|")
    for name, days, wall, cpu, ratio in measure(engine, site_id, runs):
        print(f"| {name} | {days} | {wall:.1f} | {cpu:.1f} | {ratio:.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL (its database is dropped and created); SQLite by default")
    parser.add_argument("--responses", type=int, default=ONE_MILLION)
    parser.add_argument("--backfill", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", help="the URL of a database this bench filled before: measure only")
    parser.add_argument("--skip-panels", action="store_true", help="with --reuse: the backfill only")
    parser.add_argument("--backfill-all", action="store_true",
                        help="load every response unanalysed, time their whole backfill, then the panels")
    parser.add_argument("--jobs", type=int, default=1, help="with --backfill-all: processes, as themes refresh --jobs")
    parser.add_argument("--profile", help="with --backfill-all: write the backfill's cProfile statistics here")
    args = parser.parse_args()
    if args.reuse:
        engine = create_feedback_engine(args.reuse)
        with Session(engine) as session:
            found = session.execute(select(Survey.site_id, Survey.id).limit(1)).one()
        print(f"load average before: {os.getloadavg()[0]:.1f}\n")
        if not args.skip_panels:
            report(engine, found.site_id, args.runs)
        if args.backfill:
            print_backfill(*backfill(engine, found.site_id, found.id, args.backfill))
        return

    url = fresh_database(args.database)
    engine = create_feedback_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        site = create_site(session, "Bench Shop", ["https://bench.example"], templates=("nps",))
        session.commit()
        site_id = site.id
        survey_id = session.scalar(select(Survey.id).where(Survey.site_id == site_id))
    assert survey_id is not None
    started = time.perf_counter()
    comments = Comments(DISTINCT_COMMENTS)
    if args.backfill_all:
        load_unanalysed(engine, site_id, survey_id, generated_corpus(args.responses, seed=99))
    else:
        load_responses(engine, site_id, survey_id, args.responses, comments)
    load_complaints(engine, site_id, comments)
    with engine.begin() as connection:
        if not args.backfill_all:
            rebuild_site(connection, site_id)  # the daily sums the worker keeps, for rows loaded in bulk
        stored = connection.scalar(select(func.count()).select_from(ResponseTheme))
        connection.execute(text("ANALYZE"))
    print(f"{engine.dialect.name}: {args.responses:,} responses, {stored:,} stored themes, {COMPLAINTS:,} complaints "
          f"loaded in {time.perf_counter() - started:.0f} s\n")
    if args.backfill_all:
        backfill_all(engine, site_id, args.profile, args.jobs)
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
            stored = connection.scalar(select(func.count()).select_from(ResponseTheme))
        print(f"{stored:,} stored themes\n\nload average before: {os.getloadavg()[0]:.1f}\n")
        report(engine, site_id, args.runs)
        return
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    report(engine, site_id, args.runs)
    if args.backfill:
        print_backfill(*backfill(engine, site_id, survey_id, args.backfill))
    engine.dispose()


def print_backfill(analysed: int, cpu: float, wall: float) -> None:
    per_core, per_wall = analysed / cpu, analysed / wall
    cores = os.cpu_count() or 1
    print(f"\nbackfill: {analysed:,} comments in {wall:.1f} s wall, {cpu:.1f} s CPU: {per_core:,.0f} comments per "
          f"CPU second (one core), {per_wall:,.0f} per wall second; 1,000,000 comments: "
          f"{ONE_MILLION / per_core / cores / 60:.1f} min on {cores} cores "
          f"({ONE_MILLION / per_wall / 60:.1f} min in one process)")


if __name__ == "__main__":
    main()
