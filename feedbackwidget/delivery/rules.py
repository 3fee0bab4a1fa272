"""Alert rules: stored per site, snapshotted per process, evaluated in memory.

The submit path must not query the database to learn whether a response needs
an alert, so each site's rules, recipients' preferences and webhooks are loaded
once into a :class:`SiteDelivery` and cached for ``FEEDBACKWIDGET_SITE_CACHE_SECONDS``
(the same lifetime as the site itself); every change here invalidates it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.addresses import parse_address, parse_addresses
from ..core.i18n import SUPPORTED_LOCALES
from ..core.models import Site
from .models import DIGEST_FREQUENCIES, RULE_KINDS, THRESHOLD_KINDS, AlertRecipient, AlertRule, Webhook

# Response kinds: which stored column of the response each one reads.
RESPONSE_KINDS = ("nps_at_or_below", "csat_bad", "stock_no", "loyalty_at_or_below")
DEFAULT_DIGEST = "weekly"


@dataclass(frozen=True)
class Rule:
    """An active alert rule, as the submit path sees it."""

    id: int
    kind: str
    survey_slug: str | None
    threshold: int | None
    recipients: tuple[str, ...]

    def applies_to(self, survey_slug: str) -> bool:
        return self.survey_slug is None or self.survey_slug == survey_slug

    def is_triggered_by(self, row: Mapping[str, Any]) -> bool:
        """Whether the response *row* (its score columns) sets this rule off."""
        if self.kind == "nps_at_or_below":
            return _at_or_below(row.get("nps_score"), self.threshold)
        if self.kind == "loyalty_at_or_below":
            return _at_or_below(row.get("loyalty_score"), self.threshold)
        if self.kind == "csat_bad":
            return row.get("csat") == "bad"
        if self.kind == "stock_no":
            return row.get("in_stock") is False
        return False


def _at_or_below(score: Any, threshold: int | None) -> bool:
    return isinstance(score, int) and threshold is not None and score <= threshold


@dataclass(frozen=True)
class WebhookTarget:
    id: int
    url: str
    events: frozenset[str]


@dataclass(frozen=True)
class SiteDelivery:
    """Everything delivery needs to know of a site on the hot path."""

    rules: tuple[Rule, ...] = ()
    locales: Mapping[str, str] = field(default_factory=dict)
    webhooks: tuple[WebhookTarget, ...] = ()

    def rules_of(self, kinds: Iterable[str]) -> list[Rule]:
        wanted = set(kinds)
        return [rule for rule in self.rules if rule.kind in wanted]

    def locale_of(self, email: str, default: str) -> str:
        return self.locales.get(email.lower(), default)

    def webhooks_for(self, event: str) -> list[WebhookTarget]:
        return [hook for hook in self.webhooks if event in hook.events]


def load_site_delivery(session: Session, site_id: int) -> SiteDelivery:
    """Read *site_id*'s active rules, recipients' languages and webhooks."""
    rules = session.scalars(
        select(AlertRule).where(AlertRule.site_id == site_id, AlertRule.active.is_(True)).order_by(AlertRule.id)
    )
    recipients = session.scalars(select(AlertRecipient).where(AlertRecipient.site_id == site_id))
    hooks = session.scalars(select(Webhook).where(Webhook.site_id == site_id, Webhook.active.is_(True)))
    return SiteDelivery(
        rules=tuple(Rule(r.id, r.kind, r.survey_slug, r.threshold, tuple(r.recipients)) for r in rules),
        locales={r.email.lower(): r.locale for r in recipients},
        webhooks=tuple(WebhookTarget(h.id, h.url, frozenset(h.events)) for h in hooks),
    )


class DeliveryCache:
    """Per-process cache of :class:`SiteDelivery` by site id."""

    def __init__(self, loader: Callable[[int], SiteDelivery], ttl_seconds: float) -> None:
        self._loader = loader
        self._ttl = ttl_seconds
        self._entries: dict[int, tuple[float, SiteDelivery]] = {}
        self._lock = threading.Lock()

    def get(self, site_id: int) -> SiteDelivery:
        now = time.monotonic()
        entry = self._entries.get(site_id)
        if entry is not None and entry[0] > now:
            return entry[1]
        delivery = self._loader(site_id)
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[site_id] = (now + self._ttl, delivery)
        return delivery

    def invalidate(self, site_id: int | None = None) -> None:
        with self._lock:
            if site_id is None:
                self._entries.clear()
            else:
                self._entries.pop(site_id, None)


def add_rule(
    session: Session, site: Site, kind: str, recipients: Iterable[str], *,
    survey_slug: str | None = None, threshold: int | None = None,
) -> AlertRule:
    """Add an alert rule of *kind* to *site* (score kinds default to threshold 6).

    :raises ValueError: for an unknown kind;
        :class:`~feedbackwidget.core.addresses.AddressError` naming each refused address.
    """
    if kind not in RULE_KINDS:
        raise ValueError(f"unknown alert kind {kind!r}: use one of {', '.join(RULE_KINDS)}")
    if kind in THRESHOLD_KINDS and threshold is None:
        threshold = THRESHOLD_KINDS[kind]
    rule = AlertRule(site_id=site.id, kind=kind, survey_slug=survey_slug, threshold=threshold,
                     recipients=parse_addresses(recipients), active=True)
    session.add(rule)
    for email in rule.recipients:
        set_recipient(session, site, email)
    session.flush()
    return rule


def set_recipient(
    session: Session, site: Site, email: str, *, locale: str | None = None, digest: str | None = None
) -> AlertRecipient:
    """Create or update what *email* prefers on *site* (language, digest frequency).

    :raises ValueError: for an unknown locale or frequency;
        :class:`~feedbackwidget.core.addresses.AddressError` when *email* is not one deliverable address.
    """
    address = parse_address(email)
    recipient = session.scalar(
        select(AlertRecipient).where(AlertRecipient.site_id == site.id, AlertRecipient.email == address)
    )
    if recipient is None:
        recipient = AlertRecipient(site_id=site.id, email=address, locale=site.default_locale, digest=DEFAULT_DIGEST)
        session.add(recipient)
    set_preferences(recipient, locale=locale, digest=digest)
    session.flush()
    return recipient


def set_preferences(recipient: AlertRecipient, *, locale: str | None = None, digest: str | None = None) -> None:
    """Change what *recipient* prefers (None keeps a preference); its address is left as stored.

    :raises ValueError: for an unknown locale or frequency.
    """
    if locale is not None and locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unknown language {locale!r}: use one of {', '.join(SUPPORTED_LOCALES)}")
    if digest is not None and digest not in DIGEST_FREQUENCIES:
        raise ValueError(f"unknown digest frequency {digest!r}: use one of {', '.join(DIGEST_FREQUENCIES)}")
    recipient.locale = locale or recipient.locale
    recipient.digest = digest or recipient.digest


def create_default_rules(session: Session, site: Site) -> list[AlertRule]:
    """Give a new *site* one rule of every kind, alerting its ``alert_emails``."""
    return [add_rule(session, site, kind, site.alert_emails or ()) for kind in RULE_KINDS]


def set_rule_recipients(session: Session, site: Site, rule_id: int, recipients: Iterable[str]) -> AlertRule:
    """Replace the recipients of *site*'s rule *rule_id*.

    :raises LookupError: when the site has no such rule;
        :class:`~feedbackwidget.core.addresses.AddressError` naming each refused address.
    """
    rule = session.get(AlertRule, rule_id)
    if rule is None or rule.site_id != site.id:
        raise LookupError(f"site {site.key} has no alert rule {rule_id}: see its rules in the admin area")
    rule.recipients = parse_addresses(recipients)
    for email in rule.recipients:
        set_recipient(session, site, email)
    session.flush()
    return rule


def follow_alert_emails(session: Session, site: Site, previous: Iterable[str]) -> int:
    """After *site*'s ``alert_emails`` changed from *previous*: give the new list to every
    rule that still alerted exactly the previous list (rules edited since are left alone).

    Returns how many rules changed.  Call it where the site's alert list is edited.
    """
    before = sorted(e.lower() for e in previous)
    changed = 0
    for rule in session.scalars(select(AlertRule).where(AlertRule.site_id == site.id)):
        if sorted(e.lower() for e in rule.recipients) == before:
            rule.recipients = parse_addresses(site.alert_emails or ())
            changed += 1
    for email in site.alert_emails or ():
        set_recipient(session, site, email)
    session.flush()
    return changed
