"""Rolling up missing days in a background thread, so that no request waits for them.

A dashboard that finds days not rolled up yet (after an import, an upgrade, or a
host that runs no maintenance timer) shows what is ready and calls
:func:`build_in_background`: one daemon thread per app and process runs
:func:`.rollup.refresh` (small committed batches) and ends.  Several processes
doing the same is harmless: a batch another builder got to first is read again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from sqlalchemy import Engine

from .periods import utc_day_today
from .rollup import KEEP_READY_DAYS, refresh

log = logging.getLogger(__name__)
BUILDER_KEY = "metrics.rollup_builder"
_start_lock = threading.Lock()


class RollupBuilder(threading.Thread):
    """Rolls up every site's closed days from ``first`` on, then ends."""

    def __init__(self, engine: Engine, first: dt.date) -> None:
        super().__init__(name="feedbackwidget-rollups", daemon=True)
        self.engine = engine
        self.first = first

    def run(self) -> None:
        today = utc_day_today()
        try:
            refresh(self.engine, min(self.first, today - dt.timedelta(days=KEEP_READY_DAYS)), today)
        except Exception:  # the next dashboard or the maintenance job tries again
            log.exception("feedbackwidget: rolling up the dashboard statistics failed")


def build_in_background(engine: Engine, registry: dict[str, Any], first: dt.date) -> bool:
    """Start a builder for the days from *first* on unless one is running (kept in *registry*,
    the app's extension state); True when one was started."""
    with _start_lock:
        running: RollupBuilder | None = registry.get(BUILDER_KEY)
        if running is not None and running.is_alive():
            return False
        builder = RollupBuilder(engine, first)
        registry[BUILDER_KEY] = builder
        builder.start()
    return True
