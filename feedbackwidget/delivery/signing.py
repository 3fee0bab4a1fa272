"""Webhook signatures: HMAC-SHA256 over the timestamp and the body.

Every webhook POST carries ``X-Feedbackwidget-Signature: t=<unix time>,v1=<hex>``
where ``<hex>`` is ``HMAC-SHA256(secret, "<unix time>." + body)``.  A receiver
checks it with :func:`verify_signature` (or the same few lines in its own
language) on the raw body, before parsing it, and refuses old timestamps so a
captured request cannot be replayed later::

    from feedbackwidget.delivery.signing import verify_signature
    verify_signature(secret, request.headers["X-Feedbackwidget-Signature"], request.get_data())
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Feedbackwidget-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class InvalidSignature(ValueError):
    """The signature header is missing, malformed, too old, or does not match."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The value of the signature header for *body* sent at *timestamp* (unix seconds)."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify_signature(
    secret: str, header: str | None, body: bytes, *, now: float | None = None,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """Check *header* against *body*; return its timestamp.

    :raises InvalidSignature: saying what is wrong.
    """
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError) as err:
        raise InvalidSignature(f"{SIGNATURE_HEADER} must look like t=<unix time>,v1=<hex digest>") from err
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise InvalidSignature("the signature is too old (or the clocks differ): check the receiver's clock")
    if not hmac.compare_digest(parts.get("v1", ""), _digest(secret, timestamp, body)):
        raise InvalidSignature("the signature does not match: check the webhook secret and use the raw body")
    return timestamp
