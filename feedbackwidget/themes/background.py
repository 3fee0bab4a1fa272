"""The themes of new comments, found by the background sender between its rounds.

The sender (the standalone server's thread, or ``feedbackwidget send-outbox --loop``)
already wakes every few seconds off the request path, so new comments get their themes
within seconds, while the daily maintenance (``themes refresh``) is only a backstop.
Each round analyses at most :data:`BATCH` x :data:`BATCHES_PER_ROUND` texts, so
e-mails never wait long behind a backfill; jieba's dictionary is loaded in this
process on the first Chinese comment, never by a web request.
"""

from __future__ import annotations

import logging

from flask import Flask

from ..core.state import get_state
from .pending import analyse_pending

log = logging.getLogger(__name__)
BATCH = 200
BATCHES_PER_ROUND = 5


def analyse_in_background(app: Flask) -> None:
    """One round of :func:`.analyse_pending` for ``app``.

    A failure is logged, never raised: the outbox must still be sent.
    """
    try:
        analysed = analyse_pending(get_state(app).engine, batch=BATCH, max_batches=BATCHES_PER_ROUND)
    except Exception:  # a database hiccup or a bad site setting must not stop the sender
        log.exception("feedbackwidget: could not analyse the themes of new comments; retrying next round")
        return
    if analysed:
        log.info("feedbackwidget: themes of %d new comment(s) and complaint(s) found", analysed)


def install(app: Flask) -> None:
    """Have ``app``'s background sender analyse new comments before each round, and work out the
    emerging topics of the sites that are due (:func:`.topics.refresh_in_background`)."""
    from ..delivery.sender import add_sender_job
    from .topics import refresh_in_background

    add_sender_job(app, analyse_in_background)
    add_sender_job(app, refresh_in_background)
