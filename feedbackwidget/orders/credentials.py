"""The secrets that prove an order report comes from the shop.

- The site's API secret, for ``POST .../orders``: made here, shown once, kept as a
  SHA-256 (like session and status tokens: 256 random bits need no slow hash), and
  replaced as a whole, so the previous one stops working at once.
- A platform's signing secret (Shopify, WooCommerce), which the shop copies from
  the platform: kept as given, since checking an HMAC needs the secret itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as random_secrets

from sqlalchemy.orm import Session

from ..core.plain_text import has_control_characters
from ..core.models import utcnow
from .models import PLATFORMS, OrderApiSecret, PlatformSecret

API_SECRET_PREFIX = "fwo_"
SHOWN_PREFIX_LENGTH = 8
MAX_PLATFORM_SECRET = 256
# Compared against when a site has no secret, so that a miss costs the same time as a hit.
_NO_SECRET_HASH = hashlib.sha256(b"no api secret").hexdigest()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_api_secret(session: Session, site_id: int, created_by: str) -> str:
    """A new API secret for the site, replacing the previous one; the only time it is readable."""
    secret = API_SECRET_PREFIX + random_secrets.token_urlsafe(32)
    row = session.get(OrderApiSecret, site_id) or OrderApiSecret(site_id=site_id)
    row.secret_hash = _hash(secret)
    row.prefix = secret[:SHOWN_PREFIX_LENGTH]
    row.created_by = created_by
    row.created_at = utcnow()
    session.add(row)
    session.flush()
    return secret


def api_secret_info(session: Session, site_id: int) -> OrderApiSecret | None:
    """The current secret's record (its first characters, who made it, when), or None."""
    return session.get(OrderApiSecret, site_id)


def api_secret_matches(session: Session, site_id: int, presented: str | None) -> bool:
    """Whether *presented* is the site's current API secret, compared in constant time."""
    row = session.get(OrderApiSecret, site_id)
    expected = row.secret_hash if row is not None else _NO_SECRET_HASH
    return hmac.compare_digest(_hash(presented or ""), expected) and row is not None and bool(presented)


def check_platform_secret(platform: str, secret: str) -> str:
    """The secret as it will be stored.

    :raises ValueError: for an unknown platform or a secret that cannot be one.
    """
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}: use " + " or ".join(PLATFORMS))
    secret = secret.strip()
    if not secret or len(secret) > MAX_PLATFORM_SECRET or has_control_characters(secret):
        raise ValueError(f"the signing secret must be 1 to {MAX_PLATFORM_SECRET} characters on one line: "
                         "copy it from the platform's webhook settings")
    return secret


def set_platform_secret(session: Session, site_id: int, platform: str, secret: str) -> None:
    """Store (or replace) the site's signing secret for *platform*.

    :raises ValueError: see :func:`check_platform_secret`.
    """
    secret = check_platform_secret(platform, secret)
    row = session.get(PlatformSecret, (site_id, platform)) or PlatformSecret(site_id=site_id, platform=platform)
    row.secret = secret
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


def platform_secret(session: Session, site_id: int, platform: str) -> str | None:
    """The site's signing secret for *platform*, or None when none was set."""
    row = session.get(PlatformSecret, (site_id, platform))
    return row.secret if row is not None else None


def platforms_configured(session: Session, site_id: int) -> list[str]:
    """The platforms the site has a signing secret for."""
    return [platform for platform in PLATFORMS if session.get(PlatformSecret, (site_id, platform)) is not None]


def body_signature(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, body)): how Shopify and WooCommerce both sign a webhook."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode("ascii")


def signature_matches(secret: str | None, body: bytes, header: str | None) -> bool:
    """Whether *header* is the signature of the raw *body* with *secret*, in constant time."""
    if not secret or not header:
        return False
    return hmac.compare_digest(body_signature(secret, body).encode(), header.strip().encode("utf-8", "replace"))
