"""Daily maintenance: retention purge, complaint deadline notices, digests, dashboard roll-ups.

Operators of several hosts run these commands from a timer
(``deploy/feedbackwidget-maintenance.timer``); the standalone server runs the
same commands itself once a day, so the embedded default needs no cron.  Each
command is idempotent (purge keeps a watermark, notices and digests have dedupe
keys), so a second process running them too does no harm.  The statistics are rolled
up in small committed batches (:func:`feedbackwidget.metrics.refresh`), so the run
never holds SQLite's write lock for long.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from flask import Flask

from .core import config
from .core.state import get_state
from .core.models import utcnow
from .health.runs import record_run

log = logging.getLogger(__name__)

# The commands of the daily run, as on the command line after "feedbackwidget".
DAILY_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("purge",), ("complaints", "remind"), ("themes", "refresh"), ("digest",), ("stats", "refresh"),
)
CHECK_INTERVAL_SECONDS = 3600.0
MAINTENANCE_KEY = "maintenance.thread"
_start_lock = threading.Lock()


def run_daily_commands(app: Flask) -> list[str]:
    """Run every daily command in its own app context; return the ones that failed."""
    from .cli import feedbackwidget_group

    failed = []
    for command in DAILY_COMMANDS:
        try:
            with app.app_context():
                feedbackwidget_group.main(args=list(command), prog_name="feedbackwidget", standalone_mode=False)
        except Exception:  # one failing job must not stop the others
            log.exception("feedbackwidget: daily job %r failed", " ".join(command))
            failed.append(" ".join(command))
    if not failed:
        record_run(app, utcnow())
    return failed


class MaintenanceThread(threading.Thread):
    """Runs the daily commands once per UTC day, checking every hour."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="feedbackwidget-maintenance", daemon=True)
        self.app = app
        self.last_day: dt.date | None = None
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            today = utcnow().date()
            if today != self.last_day:
                run_daily_commands(self.app)
                self.last_day = today
            self._stopping.wait(CHECK_INTERVAL_SECONDS)

    def stop(self) -> None:
        self._stopping.set()


def install_maintenance(app: Flask) -> None:
    """Let the standalone server start its maintenance thread on its first request (after any fork)."""
    if not app.config[config.RUN_MAINTENANCE] or app.testing:
        return

    @app.before_request
    def _ensure_maintenance() -> None:
        extras = get_state(app).extras
        thread = extras.get(MAINTENANCE_KEY)
        if thread is not None and thread.is_alive():
            return
        with _start_lock:
            if extras.get(MAINTENANCE_KEY) is None or not extras[MAINTENANCE_KEY].is_alive():
                extras[MAINTENANCE_KEY] = MaintenanceThread(app)
                extras[MAINTENANCE_KEY].start()
