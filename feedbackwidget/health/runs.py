"""When the daily maintenance commands last all succeeded on this host.

A file in the instance folder (no table holds it): written by the daily run
(:mod:`feedbackwidget.maintenance`), read by ``feedbackwidget check``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from flask import Flask

log = logging.getLogger(__name__)

LAST_RUN_FILE = "feedbackwidget-maintenance-last-run"


def _last_run_path(app: Flask) -> str:
    return os.path.join(app.instance_path, LAST_RUN_FILE)


def record_run(app: Flask, when: dt.datetime) -> None:
    """Note that the daily commands all succeeded at *when* (UTC), for ``feedbackwidget check``."""
    try:
        os.makedirs(app.instance_path, exist_ok=True)
        with open(_last_run_path(app), "w") as handle:
            handle.write(when.isoformat())
    except OSError:  # a read-only instance folder must not fail the daily run
        log.warning("feedbackwidget: could not record the daily run in %s", _last_run_path(app), exc_info=True)


def last_run(app: Flask) -> dt.datetime | None:
    """When the daily commands last all succeeded on this host (see :func:`record_run`), or None."""
    try:
        with open(_last_run_path(app)) as handle:
            return dt.datetime.fromisoformat(handle.read().strip())
    except (OSError, ValueError):
        return None
