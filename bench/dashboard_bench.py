"""Dashboard benchmark: 1,000,000 responses over a year on one site.

Loads the responses in bulk (executemany on SQLite, COPY on PostgreSQL), then
renders the admin dashboard for 365 days once before its roll-ups exist (the page
says they are being prepared and starts the background builder, whose run is
timed), then for 30 and 365 days and the responses list's first page through the
real app, reporting the median time of several runs and the
number of SQL queries each page ran (counted with a before_cursor_execute event).
A baseline (the login page, which runs no query) is measured in the same run so
the figures can be read as ratios on another machine.

    python bench/dashboard_bench.py                       # SQLite in a temp folder
    python bench/dashboard_bench.py --database postgresql://postgres@127.0.0.1:5432/bench

Targets (issue 6): dashboard < 300 ms, responses list first page < 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, select, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from feedbackwidget.core.db import create_feedback_engine, normalize_url
from feedbackwidget.migrations import upgrade  # noqa: E402
from feedbackwidget.core.models import Survey
from feedbackwidget.provisioning import create_site

COLUMNS = ("site_id", "survey_id", "answers", "nps_score", "csat", "in_stock", "loyalty_score", "comment",
           "page_url", "locale", "loyalty_tier", "created_at")
PAGES = [f"https://bench.example/{kind}/{n}" for kind in ("product", "category", "store") for n in range(12)]
TIERS = (None, None, None, "silver", "gold", "platinum")
COMMENTS = ("Delivery was late and the box was damaged", "Great coffee, friendly staff", "Checkout is slow",
            "Could not find decaf beans in stock", "Prices went up again", None, None, None)
REWARDS = ("points", "discount", "gift", "free_delivery", "early_access")


def fresh_database(url: str | None) -> str:
    if url is None:
        return "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="fwbench-")) / "bench.sqlite")
    base = normalize_url(url)
    if base.get_backend_name() == "postgresql":
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{base.database}"'))
        admin.dispose()
    return base.render_as_string(hide_password=False)


def generate_rows(site_id: int, surveys: dict[str, int], count: int, days: int) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(42)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    kinds = rng.choices(("nps", "csat", "stock", "loyalty"), (6, 2, 1, 1), k=count)
    for index, kind in enumerate(kinds):
        created = now - dt.timedelta(seconds=int(days * 86400 * (count - index) / count))
        tier = rng.choice(TIERS)
        score = csat = stock = loyalty = comment = None
        answers: dict[str, Any] = {}
        if kind == "nps":
            score = rng.choices(range(11), (2, 1, 1, 2, 2, 3, 4, 8, 12, 18, 20))[0]
            comment = rng.choice(COMMENTS)
            answers = {"score": score, **({"reason": comment} if comment else {})}
        elif kind == "csat":
            csat = rng.choices(("excellent", "good", "bad"), (5, 3, 1))[0]
            answers = {"rating": csat}
        elif kind == "stock":
            stock = rng.random() < 0.8
            answers = {"in_stock": stock}
        else:
            member = tier is not None or rng.random() < 0.3
            loyalty = rng.randint(3, 10) if member else None
            answers = {"member": member, "preferred_reward": rng.choice(REWARDS),
                       **({"program_score": loyalty} if member else {})}
        yield (site_id, surveys[kind], json.dumps(answers), score, csat, stock, loyalty, comment,
               rng.choice(PAGES), rng.choice(("en", "hu", "zh")), tier, created)


def bulk_load(engine: Engine, rows: Iterator[tuple[Any, ...]]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY fw_responses ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row[:-1] + (row[-1].replace(tzinfo=dt.timezone.utc),))
        else:
            placeholders = ", ".join("?" for _ in COLUMNS)
            cursor.execute("BEGIN")
            cursor.executemany(f"INSERT INTO fw_responses ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                               ((*row[:-1], row[-1].isoformat(sep=" ")) for row in rows))
        raw.commit()
        cursor.close()
    finally:
        raw.close()


def load(url: str, count: int, days: int) -> int:
    engine = create_feedback_engine(url)
    upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        site = create_site(session, "Bench Shop", ["https://bench.example"],
                           templates=("nps", "csat", "stock", "loyalty"))
        session.commit()
        surveys = {s.template: s.id for s in session.scalars(select(Survey).where(Survey.site_id == site.id))}
        site_id = site.id
    started = time.perf_counter()
    bulk_load(engine, generate_rows(site_id, surveys, count, days))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE") if engine.dialect.name == "sqlite" else text("VACUUM ANALYZE fw_responses"))
    print(f"loaded {count:,} responses in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return site_id


def reused_site(url: str) -> int:
    """The bench site of a database loaded before, with its roll-ups dropped (a cold start again)."""
    engine = create_feedback_engine(url)
    with engine.begin() as connection:
        for table in ("fw_stats_daily", "fw_stats_days", "fw_stats_state"):
            connection.execute(text(f"DELETE FROM {table}"))
        site_id = connection.execute(text("SELECT id FROM fw_sites WHERE name = 'Bench Shop'")).scalar_one()
    engine.dispose()
    return int(site_id)


class QueryCounter:
    """Counts the SQL statements an engine runs (before_cursor_execute)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


def timed(client: Any, counter: QueryCounter, url: str, runs: int) -> tuple[float, float, int]:
    """Median and worst time in ms of *runs* GETs of *url*, and the queries of the last one."""
    times = []
    for _ in range(runs):
        counter.count = 0
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), counter.count


def measure(url: str, site_id: int, runs: int) -> list[tuple[str, float, float, int]]:
    from feedbackwidget import create_app, get_state
    from feedbackwidget.accounts import set_admin

    app = create_app({"FEEDBACKWIDGET_DATABASE_URL": url, "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
                      "FEEDBACKWIDGET_AUTO_MIGRATE": False, "FEEDBACKWIDGET_RUN_SENDER": False,
                      "FEEDBACKWIDGET_RUN_MAINTENANCE": False})
    state = get_state(app)
    with state.session_factory() as session:
        set_admin(session, "bench@bench.example", "bench-password")
        session.commit()
    client = app.test_client()
    login = client.get("/feedback/admin/login").text
    token = login.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/feedback/admin/login", data={"email": "bench@bench.example", "password": "bench-password",
                                               "csrf_token": token})
    counter = QueryCounter(state.engine)
    year = f"/feedback/admin/?site={site_id}&period=custom&from={_days_ago(364)}&to={_days_ago(0)}"
    first = [("baseline: login page (no query)", "/feedback/admin/login", runs),
             ("dashboard 365 days, first view (roll-ups not built yet)", year, 1)]
    results = [(label, *timed(client, counter, page, n)) for label, page, n in first]
    results.append(("roll-ups built in the background (batches)", wait_for_rollups(state.extras), 0.0, 0))
    pages = [
        ("dashboard 30 days", f"/feedback/admin/?site={site_id}&period=30", runs),
        ("dashboard 365 days", f"/feedback/admin/?site={site_id}&period=custom&from={_days_ago(364)}&to={_days_ago(0)}", runs),
        ("dashboard 90 days, all sites", "/feedback/admin/?period=90", runs),
        ("responses list, first page", f"/feedback/admin/responses?site={site_id}", runs),
        ("responses list, 365 days, detractors with a comment", f"/feedback/admin/responses?site={site_id}&period=custom&from={_days_ago(364)}&to={_days_ago(0)}&band=detractor&comment=1", runs),
        ("responses list, text search", f"/feedback/admin/responses?site={site_id}&q=damaged", runs),
    ]
    results += [(label, *timed(client, counter, page, n)) for label, page, n in pages]
    state.dispose()
    return results


def wait_for_rollups(extras: dict[str, Any]) -> float:
    """Wait for the roll-up builder the first dashboard started; how long it took from then, in ms."""
    from feedbackwidget.metrics.background import BUILDER_KEY

    started = time.perf_counter()
    builder = extras.get(BUILDER_KEY)
    if builder is not None:
        builder.join()
    return (time.perf_counter() - started) * 1000


def _days_ago(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=days)).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL URL (its database is dropped and re-created); default SQLite")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="measure the data a previous run loaded into --database")
    options = parser.parse_args()
    url = normalize_url(options.database).render_as_string(hide_password=False) if options.reuse else fresh_database(options.database)
    print(f"database: {make_url(url).get_backend_name()}")
    site_id = reused_site(url) if options.reuse else load(url, options.responses, options.days)
    print(f"{'page':58} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, median, worst, queries in measure(url, site_id, options.runs):
        print(f"{label:58} {median:10.1f} {worst:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
