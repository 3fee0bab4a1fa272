"""Whether mail goes out, read from the outbox: what fails, since when, and how to fix it.

Mail is *failing* when the newest mail that saw an attempt failed (it waits for a retry
or gave up) and no mail was sent after it.  *Since* is when the first message of that
unbroken run of failures was written; *what* is the newest error.  Plain functions on
an engine, no HTTP: the admin banner, the alerts page and ``feedbackwidget check`` share them.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Engine, Table, func, select, update

from ..core.i18n import N_
from ..core.models import OutboxMessage, utcnow
from .outbox import OutboxDraft, enqueue
from .worker import WorkerSettings, process

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
UNSENT = ("pending", "sending", "failed")
BANNER_CACHE_SECONDS = 30.0

FIX_UNREACHABLE = N_("Check MAIL_SERVER and MAIL_PORT (now %(server)s), or start the mail server there.")
FIX_REFUSED = N_("The mail server refused the message (a 5xx reply): check the address, "
                 "or the server's relay settings (MAIL_USERNAME and MAIL_PASSWORD, the sender MAIL_DEFAULT_SENDER).")
FIX_LATER = N_("The mail server asked to try again later (a 4xx reply): the messages are retried; "
               "if it continues, look at the mail server's log.")
FIX_OTHER = N_("Look at the error on the outbox page and at the mail server's log.")
_REFUSED = re.compile(r"^(5\d\d\b|recipient refused)")
_LATER = re.compile(r"^4\d\d\b")


@dataclass(frozen=True)
class MailFailure:
    """Mail is not going out: the newest ``error`` (of a message of ``site_id``), ``since`` when,
    how many ``waiting``, the ``fix``."""

    error: str
    since: dt.datetime
    waiting: int
    fix: str
    site_id: int | None = None


def fix_for(error: str) -> str:
    """What to do about *error* (an outbox ``last_error``), in words (a msgid with ``%(server)s``)."""
    if _REFUSED.match(error):
        return FIX_REFUSED
    if _LATER.match(error):
        return FIX_LATER
    if "unavailable" in error:
        return FIX_UNREACHABLE
    return FIX_OTHER


def _failed_mail() -> ColumnElement[bool]:
    return (OUTBOX.c.kind == "mail") & OUTBOX.c.status.in_(UNSENT) & OUTBOX.c.last_error.is_not(None)


def mail_failure(engine: Engine) -> MailFailure | None:
    """The current failure of mail delivery, or None when mail goes out (or none was tried)."""
    # Autocommit: on SQLite a transaction would wait for (or hold) the write lock of the page's own session.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        newest = connection.execute(select(OUTBOX.c.id, OUTBOX.c.last_error, OUTBOX.c.site_id).where(_failed_mail())
                                    .order_by(OUTBOX.c.id.desc()).limit(1)).first()
        if newest is None:
            return None
        sent = (OUTBOX.c.kind == "mail") & (OUTBOX.c.status == "sent")
        if connection.scalar(select(OUTBOX.c.id).where(sent, OUTBOX.c.id > newest.id).limit(1)) is not None:
            return None
        last_sent = connection.scalar(select(func.max(OUTBOX.c.id)).where(sent, OUTBOX.c.id < newest.id)) or 0
        since, waiting = connection.execute(select(func.min(OUTBOX.c.created_at), func.count())
                                            .where(_failed_mail(), OUTBOX.c.id > last_sent)).one()
    error = str(newest.last_error)
    return MailFailure(error=error, since=since, waiting=int(waiting), fix=fix_for(error), site_id=newest.site_id)


def last_sent_at(engine: Engine) -> dt.datetime | None:
    """When the newest e-mail that went out was written to the outbox (None: none went out yet)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        newest = connection.scalar(select(func.max(OUTBOX.c.id)).where(OUTBOX.c.kind == "mail",
                                                                     OUTBOX.c.status == "sent"))
        if newest is None:
            return None
        found: dt.datetime | None = connection.scalar(select(OUTBOX.c.created_at).where(OUTBOX.c.id == newest))
    return found


class FailureCache:
    """:func:`mail_failure` at most once every ``seconds`` per process (the banner is on every admin page)."""

    def __init__(self, load: Callable[[], MailFailure | None], seconds: float = BANNER_CACHE_SECONDS) -> None:
        self.load = load
        self.seconds = seconds
        self._value: MailFailure | None = None
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def get(self) -> MailFailure | None:
        with self._lock:
            now = time.monotonic()
            if self._loaded_at is None or now - self._loaded_at >= self.seconds:
                self._value, self._loaded_at = self.load(), now
            return self._value

    def invalidate(self) -> None:
        with self._lock:
            self._loaded_at = None


@dataclass(frozen=True)
class TestMailOutcome:
    """What became of a test e-mail: ``sent``, or the server's ``error`` and the ``fix``."""

    recipient: str
    sent: bool
    error: str | None = None
    fix: str | None = None


def send_test_mail(engine: Engine, settings: WorkerSettings, recipient: str, subject: str, text: str,
                   now: dt.datetime | None = None) -> TestMailOutcome:
    """Write a test e-mail to *recipient* into the outbox and try it at once, like the sender would.

    It gets one attempt: a failed test is not retried later behind the operator's back.
    """
    now = now or utcnow()
    draft = OutboxDraft(kind="mail", recipient=recipient, subject=subject, dedupe_key=f"test:{uuid.uuid4().hex}",
                        payload={"text": text, "html": None, "locale": "en"})
    with engine.begin() as connection:
        enqueue(connection, [draft])
        message_id = connection.scalar(select(OUTBOX.c.id).where(OUTBOX.c.dedupe_key == draft.dedupe_key))
        connection.execute(update(OUTBOX).where(OUTBOX.c.id == message_id)
                           .values(status="sending", attempts=1, next_attempt_at=now))
        row = dict(connection.execute(select(OUTBOX).where(OUTBOX.c.id == message_id)).mappings().one())
    process(engine, replace(settings, max_attempts=1), row, now)
    with engine.connect() as connection:
        status, error = connection.execute(select(OUTBOX.c.status, OUTBOX.c.last_error)
                                           .where(OUTBOX.c.id == message_id)).one()
    if status == "sent":
        return TestMailOutcome(recipient, sent=True)
    return TestMailOutcome(recipient, sent=False, error=str(error), fix=fix_for(str(error or "")))
