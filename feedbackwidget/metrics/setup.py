"""A new site's setup checklist, read from what the database already records (no HTTP here).

- The snippet is installed and seen: the widget fetched its config from one of the site's
  allowed origins (``fw_widget_seen``, written on the first such fetch, see :mod:`.sightings`),
  or sent something from one, an answer or a submission refused for its content
  (``fw_refused_submissions``). One refused for its origin is not enough: the snippet runs on a
  page the site does not allow yet, and the checklist names that origin so it can be added.
- The first answer is received: the site has a response.
- Alert recipients are set: an active alert rule of the site has an address.
- A test e-mail was delivered: the outbox holds a test e-mail (``test:`` key) or a mail of
  the site that was sent, so mail is known to go out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from ..delivery.models import AlertRule
from ..core.models import OutboxMessage, Response, Site
from ..sites.refusals import RefusedSubmission
from .models import WidgetSeen

ORIGIN_REFUSED = "origin_not_allowed"
STEPS: tuple[str, ...] = ("snippet_seen", "first_answer", "alert_recipients", "test_mail")


@dataclass(frozen=True)
class SetupChecklist:
    """Which of :data:`STEPS` one site has done; ``refused_origin``: a page origin the widget was
    refused from (not allowed yet), while the snippet is not seen."""

    site_id: int
    site_name: str
    done: frozenset[str]
    refused_origin: str | None = None

    @property
    def complete(self) -> bool:
        return self.done >= set(STEPS)

    @property
    def done_count(self) -> int:
        return len(self.done & set(STEPS))


def _has_response(db: Session, site_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Response.site_id == site_id))))


def _sighted(db: Session, site_id: int) -> bool:
    return db.get(WidgetSeen, site_id) is not None


def _refusals(db: Session, site_id: int) -> tuple[bool, str | None]:
    """Whether the widget sent from an allowed page, and the newest origin it was refused from."""
    rows = db.execute(select(RefusedSubmission.reason, RefusedSubmission.origin)
                      .where(RefusedSubmission.site_id == site_id).order_by(RefusedSubmission.last_seen.desc()))
    refused = [(reason, origin) for reason, origin in rows]
    seen = any(reason != ORIGIN_REFUSED for reason, _ in refused)
    return seen, next((origin for reason, origin in refused if reason == ORIGIN_REFUSED and origin), None)


def _has_recipients(db: Session, site_id: int) -> bool:
    rules = db.scalars(select(AlertRule.recipients).where(AlertRule.site_id == site_id, AlertRule.active))
    return any(recipients for recipients in rules)


def _mail_delivered(db: Session, site_id: int) -> bool:
    sent = (OutboxMessage.kind == "mail") & (OutboxMessage.status == "sent")
    mine = OutboxMessage.dedupe_key.like("test:%") | (OutboxMessage.site_id == site_id)
    return bool(db.scalar(select(func.count()).select_from(OutboxMessage).where(sent, mine).limit(1)))


def setup_checklist(db: Session, site: Site) -> SetupChecklist:
    """What *site* has done of :data:`STEPS`."""
    answered = _has_response(db, site.id)
    seen, refused = (True, None) if answered else _refusals(db, site.id)
    seen = seen or _sighted(db, site.id)
    steps = {"snippet_seen": seen, "first_answer": answered,
             "alert_recipients": _has_recipients(db, site.id), "test_mail": _mail_delivered(db, site.id)}
    return SetupChecklist(site.id, site.name, frozenset(k for k, ok in steps.items() if ok), refused)


def unfinished_setups(db: Session, sites: Sequence[Site]) -> list[SetupChecklist]:
    """The checklists of *sites* whose setup is not complete, in the order given."""
    return [checklist for checklist in (setup_checklist(db, site) for site in sites) if not checklist.complete]
