"""The in-process sender of the standalone server: a daemon thread draining the outbox.

It starts on the standalone server's first request (so a forking server starts
it in each worker process, never in a parent that forks) and only when
``FEEDBACKWIDGET_RUN_SENDER`` is on.  Hosts that embed the extension run
``flask feedbackwidget send-outbox --loop`` instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask

from ..core import config
from ..core.state import get_state
from .worker import WorkerSettings, drain

log = logging.getLogger(__name__)
STANDALONE_FLAG = "feedbackwidget.standalone"
SENDER_KEY = "delivery.sender"
#: Work other areas want done before each drain (invitations that fell due): callables of the app.
SENDER_JOBS_KEY = "delivery.sender_jobs"
SenderJob = Callable[[Flask], None]
_start_lock = threading.Lock()


class SenderThread(threading.Thread):
    """Drains the outbox every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="feedbackwidget-sender", daemon=True)
        self.app = app
        self.engine = get_state(app).engine
        self.settings = WorkerSettings.for_app(app)
        self.jobs: tuple[SenderJob, ...] = tuple(get_state(app).extras.get(SENDER_JOBS_KEY, ()))
        self.interval = float(app.config[config.SENDER_INTERVAL_SECONDS])
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                for job in self.jobs:
                    job(self.app)
                drain(self.engine, self.settings)
            except Exception:  # a database hiccup must not end the sender for good
                log.exception("feedbackwidget: the outbox sender failed; retrying")
            self._stopping.wait(self.interval)

    def stop(self) -> None:
        self._stopping.set()


def add_sender_job(app: Flask, job: SenderJob) -> None:
    """Have *app*'s sender run *job* before each drain of the outbox (and ``send-outbox --loop`` too)."""
    jobs: list[SenderJob] = get_state(app).extras.setdefault(SENDER_JOBS_KEY, [])
    if job not in jobs:
        jobs.append(job)


def start_sender(app: Flask) -> SenderThread:
    """Start *app*'s sender thread (once); return it."""
    extras = get_state(app).extras
    with _start_lock:
        sender: SenderThread | None = extras.get(SENDER_KEY)
        if sender is None or not sender.is_alive():
            sender = SenderThread(app)
            extras[SENDER_KEY] = sender
            sender.start()
    return sender


def install_sender(app: Flask) -> None:
    """Run the sender in the standalone server (when it is enabled), from its first request on."""
    if not app.config[config.RUN_SENDER] or not app.extensions.get(STANDALONE_FLAG):
        return

    @app.before_request
    def _ensure_sender() -> None:
        sender = get_state(app).extras.get(SENDER_KEY)
        if sender is None or not sender.is_alive():
            start_sender(app)
