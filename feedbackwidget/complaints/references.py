"""Complaint references and private status tokens.

A reference such as ``FW-7KQ4-93ZD`` is read out on the phone, so it uses
Crockford's base-32 alphabet (no I, L, O, U) and forgives the usual mishearings
(O for 0, I and L for 1, lower case, missing dashes).  Its 8 random characters
carry 40 bits: guessing one takes about a trillion tries, which the rate limit
on look-ups makes hopeless.  The status token is a separate 192-bit secret; only
its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

REFERENCE_PREFIX = "FW"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = (4, 4)
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
# Compared against when a reference is unknown, so that a miss costs the same time as a hit.
_DUMMY_HASH = hashlib.sha256(b"no such complaint").hexdigest()


def new_reference() -> str:
    """A fresh random reference, e.g. ``FW-7KQ4-93ZD``."""
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(size)) for size in GROUPS]
    return "-".join([REFERENCE_PREFIX, *groups])


def normalize_reference(text: str) -> str | None:
    """The canonical form of a reference as a customer typed or said it, or None."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith(REFERENCE_PREFIX):
        compact = compact[len(REFERENCE_PREFIX):]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != sum(GROUPS) or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{REFERENCE_PREFIX}-{compact[:GROUPS[0]]}-{compact[GROUPS[0]:]}"


def new_status_token() -> str:
    """A fresh secret for the private status link."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """What is stored of a status token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str | None, stored_hash: str | None) -> bool:
    """Whether *token* is the one hashed into *stored_hash*, in constant time.

    A missing complaint (``stored_hash`` None) is compared against a dummy hash so
    that it takes as long as a wrong token.
    """
    candidate = token_hash(token or "")
    return hmac.compare_digest(candidate, stored_hash or _DUMMY_HASH) and stored_hash is not None
