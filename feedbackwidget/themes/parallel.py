"""A backfill on several cores: ``feedbackwidget themes refresh --jobs N``.

Analysing text is CPU-bound Python, one core per process. :func:`analyse_in_processes`
forks ``jobs`` processes, each analysing the pending rows of its share (``id % jobs``)
in its own short transactions, then analyses what is left (rows that arrived
meanwhile, and the rebuilds, which walk a site in id order) in this process. Storing
is idempotent and the daily sums are taken one worker after the other
(:func:`.daily.refresh_days`), so the shares never count a day wrong.
"""

from __future__ import annotations

import multiprocessing

from sqlalchemy import Engine

from .pending import DEFAULT_BATCH, analyse_pending

_engine: Engine | None = None
"""The engine the forked processes inherit (a pool's tasks are pickled; an engine is not)."""


def _forget_parent_connections() -> None:
    """In a forked process: never use the parent's pooled connections (SQLAlchemy's advice for fork)."""
    assert _engine is not None
    _engine.dispose(close=False)


def _analyse_share(site_id: int | None, batch: int, index: int, count: int) -> int:
    assert _engine is not None
    return analyse_pending(_engine, site_id, batch, shard=(index, count))


def usable_jobs(engine: Engine, jobs: int) -> int:
    """``jobs``, or 1 where processes cannot share the database (SQLite in memory)."""
    in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
    return 1 if in_memory else max(1, jobs)


def analyse_in_processes(engine: Engine, jobs: int, site_id: int | None = None, batch: int = DEFAULT_BATCH) -> int:
    """:func:`.analyse_pending` on ``jobs`` processes; returns how many rows were analysed."""
    global _engine
    jobs = usable_jobs(engine, jobs)
    if jobs == 1:
        return analyse_pending(engine, site_id, batch)
    _engine = engine
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_forget_parent_connections) as pool:
            done = sum(pool.starmap(_analyse_share, [(site_id, batch, index, jobs) for index in range(jobs)]))
    finally:
        _engine = None
    return done + analyse_pending(engine, site_id, batch)
