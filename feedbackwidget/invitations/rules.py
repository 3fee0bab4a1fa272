"""A site's invitation rules: which survey, on which order event, after what delay, when, to whom."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import Refused
from .models import RULE_EVENTS, InvitationRule


class RuleRefused(Refused):
    """A rule that cannot be stored (see :class:`.errors.Refused`)."""


@dataclass(frozen=True)
class RuleChanges:
    """A rule as an owner (or a command) writes it."""

    survey_slug: str
    event: str
    delay_minutes: int
    reminder_minutes: int | None = None
    hours_start: int = 9
    hours_end: int = 20
    sample_percent: int = 100
    active: bool = True


def check_rule(changes: RuleChanges, surveys: Collection[str], can_link: Collection[str]) -> None:
    """Refuse, with the fix, a rule that could not be sent.

    :param surveys: the site's active survey slugs.
    :param can_link: those whose first question can be answered from the e-mail (0-10 or three answers).
    :raises RuleRefused:
    """
    if changes.survey_slug not in surveys:
        raise RuleRefused("survey", f"{changes.survey_slug!r} is not an active survey of this site: use one of "
                          + ", ".join(sorted(surveys)))
    if changes.survey_slug not in can_link:
        raise RuleRefused("survey", f"survey {changes.survey_slug!r} does not begin with a 0-10 or a three-answer "
                          "question asked of everyone: choose an NPS or CSAT survey")
    if changes.event not in RULE_EVENTS:
        raise RuleRefused("event", "choose one of " + ", ".join(RULE_EVENTS))
    if not 0 <= changes.sample_percent <= 100:
        raise RuleRefused("sample", "write a share from 0 to 100 (per cent of the orders)")
    if changes.reminder_minutes is not None and changes.reminder_minutes <= 0:
        raise RuleRefused("reminder", "write a reminder of at least 1 day, or none")
    if not 0 <= changes.hours_start < changes.hours_end <= 24:
        raise RuleRefused("hours", "write the sending hours as 9-20, the first smaller than the second")


def set_rule(session: Session, site_id: int, changes: RuleChanges) -> InvitationRule:
    """Store the rule of (site, survey, event), replacing the one there was (the caller checks and commits)."""
    rule = session.scalar(select(InvitationRule).where(
        InvitationRule.site_id == site_id, InvitationRule.survey_slug == changes.survey_slug,
        InvitationRule.event == changes.event))
    if rule is None:
        rule = InvitationRule(site_id=site_id, survey_slug=changes.survey_slug, event=changes.event)
        session.add(rule)
    rule.delay_minutes, rule.reminder_minutes = changes.delay_minutes, changes.reminder_minutes
    rule.hours_start, rule.hours_end = changes.hours_start, changes.hours_end
    rule.sample_percent, rule.active = changes.sample_percent, changes.active
    session.flush()
    return rule


def site_rules(session: Session, site_id: int, active_only: bool = False) -> list[InvitationRule]:
    """The site's rules, oldest first."""
    query = select(InvitationRule).where(InvitationRule.site_id == site_id)
    if active_only:
        query = query.where(InvitationRule.active.is_(True))
    return list(session.scalars(query.order_by(InvitationRule.id)))


def delete_rule(session: Session, site_id: int, rule_id: int) -> bool:
    """Remove one rule of the site (its invitations go with it); whether there was one."""
    rule = session.get(InvitationRule, rule_id)
    if rule is None or rule.site_id != site_id:
        return False
    session.delete(rule)
    return True
