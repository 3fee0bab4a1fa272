"""Webhooks: per site, signed JSON POSTs on response and complaint events.

Saving a webhook checks its URL (public address, no redirect); each event
writes one outbox row per listening webhook, in the transaction of the event;
the worker signs and posts it (see :mod:`.signing` for verifying on the
receiving side) and checks the address again at send time.

The JSON body is ``{"event": ..., "delivery_id": ..., "data": {...}}``.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ..core.models import Site, utcnow
from ..sites import CompiledSurvey, SiteConfig
from .errors import DeliveryError
from .models import WEBHOOK_EVENTS, Webhook
from .outbox import OutboxDraft
from .rules import SiteDelivery
from .safe_http import Resolver, UnresolvedHost, UnsafeTarget, check_target, post, system_resolver
from .signing import SIGNATURE_HEADER, sign

USER_AGENT = "feedbackwidget-webhook/1"


def add_webhook(
    session: Session, site: Site, url: str, events: tuple[str, ...] = WEBHOOK_EVENTS, *,
    allow_private: bool = False, timeout: float = 10.0, resolve: Resolver = system_resolver,
) -> Webhook:
    """Save a webhook of *site* after checking its URL with a signed ``ping``.

    :raises ValueError: for an unknown event, a non-public URL, a URL that
        redirects or does not answer 2xx to the ping.
    """
    unknown = set(events) - set(WEBHOOK_EVENTS)
    if unknown or not events:
        raise ValueError(f"unknown webhook events {sorted(unknown)}: use {', '.join(WEBHOOK_EVENTS)}")
    hook = Webhook(site_id=site.id, url=url.strip(), secret=secrets.token_urlsafe(32), events=list(events))
    try:
        deliver_webhook(hook.url, hook.secret, {"event": "ping", "delivery_id": uuid.uuid4().hex, "data": {}},
                        allow_private=allow_private, timeout=timeout, resolve=resolve)
    except DeliveryError as err:
        raise ValueError(f"the webhook URL was refused: {err}") from err
    session.add(hook)
    session.flush()
    return hook


def deliver_webhook(
    url: str, secret: str, body: Mapping[str, Any], *, allow_private: bool, timeout: float,
    resolve: Resolver = system_resolver, now: float | None = None,
) -> None:
    """POST *body* signed with *secret* to *url*.

    :raises DeliveryError: permanent for unsafe targets, redirects and 4xx; else temporary
        (a host name that does not resolve now, a timeout, 5xx).
    """
    try:
        target = check_target(url, allow_private=allow_private, resolve=resolve)
    except UnresolvedHost as err:
        raise DeliveryError(str(err), permanent=False) from err
    except UnsafeTarget as err:
        raise DeliveryError(str(err), permanent=True) from err
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               SIGNATURE_HEADER: sign(secret, raw, int(time.time() if now is None else now))}
    try:
        status, reply = post(target, raw, headers, timeout)
    except OSError as err:
        raise DeliveryError(f"could not reach {target.host}: {err}", permanent=False) from err
    _check_status(status, reply)


def _check_status(status: int, reply: str) -> None:
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        raise DeliveryError(f"the URL answered {status} (a redirect): redirects are refused, "
                            "save the final URL instead", permanent=True)
    permanent = 400 <= status < 500 and status not in (408, 425, 429)
    raise DeliveryError(f"the URL answered {status}: {reply[:200]}", permanent=permanent)


def _draft(site_id: int, hook_id: int, event: str, dedupe: str, data: Mapping[str, Any]) -> OutboxDraft:
    return OutboxDraft(kind="webhook", recipient=f"webhook:{hook_id}", dedupe_key=dedupe, site_id=site_id,
                       subject=event, payload={"webhook_id": hook_id, "event": event, "data": dict(data)})


def response_webhook_drafts(
    site: SiteConfig, delivery: SiteDelivery, survey: CompiledSurvey, row: Mapping[str, Any]
) -> list[OutboxDraft]:
    """One ``response.created`` call per listening webhook (the id is added when stored)."""
    hooks = delivery.webhooks_for("response.created")
    if not hooks:
        return []
    data = {"survey": survey.slug, "answers": row.get("answers"), "created_at": utcnow().isoformat(),
            **{k: row.get(k) for k in ("nps_score", "csat", "in_stock", "loyalty_score", "page_url", "locale")},
            "customer": {"id": row.get("customer_id"), "email": row.get("customer_email"),
                         "loyalty_tier": row.get("loyalty_tier")}}
    return [_draft(site.id, h.id, "response.created", f"webhook:{h.id}:response:{{response_id}}", data)
            for h in hooks]


def event_webhook_drafts(
    site: SiteConfig, delivery: SiteDelivery, event: str, data: Mapping[str, Any]
) -> list[OutboxDraft]:
    """One call of *event* per listening webhook; every update is a delivery of its own."""
    suffix = f"{data.get('id')}" if event == "complaint.created" else f"{data.get('id')}:{uuid.uuid4().hex}"
    public = {k: v for k, v in data.items() if k != "admin_path"}
    return [_draft(site.id, h.id, event, f"webhook:{h.id}:{event}:{suffix}", public)
            for h in delivery.webhooks_for(event)]


def webhook_body(payload: Mapping[str, Any], delivery_id: str) -> dict[str, Any]:
    """The JSON posted for an outbox row's *payload* (a response's id is filled in here)."""
    data = dict(payload.get("data") or {})
    if "response_id" in payload:
        data["id"] = payload["response_id"]
    return {"event": payload.get("event"), "delivery_id": delivery_id, "data": data}
