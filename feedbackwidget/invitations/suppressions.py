"""A site's suppression list: the addresses that get no invitation (nor reminder) any more.

An address comes onto it when its owner unsubscribes, when its mail server refuses it
for good (a 5xx reply: :func:`suppress_refused`, hooked into the outbox's failure path),
or when the shop imports or adds it.  Addresses are kept lower-cased.

When a customer's data is erased, their entry stays, as the SHA-256 of the address
(:func:`erased_form`, ``sha256:<hex>``): it still stops mail to that address, and the list
no longer shows it.  Keeping it is what honours their objection to further mail (a list
that forgot them would mail them again at their next order).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Insert, Table, select, update
from sqlalchemy.orm import Session

from ..core.db import dialect_insert
from ..core.addresses import AddressError, parse_address
from ..core.models import utcnow
from ..core.spreadsheet import to_csv
from .models import Invitation, Suppression

SUPPRESSIONS: Table = Suppression.__table__  # type: ignore[assignment]
INVITATIONS: Table = Invitation.__table__  # type: ignore[assignment]
EXPORT_HEADER: tuple[str, ...] = ("email", "reason", "added_at")
NOTE_MAX = 500
#: What an erased address is kept as: ``sha256:`` and the hex digest of the lower-cased address.
ERASED_PREFIX = "sha256:"


def erased_form(email: str) -> str:
    """The form an address is kept in once its owner's data is erased (it still matches the address)."""
    return ERASED_PREFIX + hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _forms(email: str) -> list[str]:
    """The address as listed, and as kept after erasure."""
    return [email.strip().lower(), erased_form(email)]


def suppress(connection: Connection, site_id: int, email: str, reason: str, note: str | None = None) -> bool:
    """Put *email* on the site's list (once) and stop its reminders; whether it is new there."""
    address = email.strip().lower()
    added = connection.execute(_insert_new(connection), {
        "site_id": site_id, "email": address, "reason": reason, "note": (note or "")[:NOTE_MAX] or None,
        "created_at": utcnow()}).first()
    connection.execute(update(INVITATIONS).where(INVITATIONS.c.site_id == site_id,
                                                 INVITATIONS.c.reminded_at.is_(None),
                                                 INVITATIONS.c.reminder_due_at.is_not(None))
                       .where(INVITATIONS.c.customer_email.in_([email, address])).values(reminder_due_at=None))
    return added is not None


def _insert_new(connection: Connection) -> Insert:
    """INSERT of an address that skips one already on the site's list, returning the new row's id."""
    insert = dialect_insert(connection.dialect.name, SUPPRESSIONS)
    return insert.on_conflict_do_nothing(index_elements=["site_id", "email"]).returning(SUPPRESSIONS.c.id)


def is_suppressed(session: Session, site_id: int, email: str) -> bool:
    """Whether *email* is on the site's list (also as an erased customer's hash)."""
    query = select(Suppression.id).where(Suppression.site_id == site_id, Suppression.email.in_(_forms(email)))
    return session.scalar(query.limit(1)) is not None


def unsuppress(session: Session, site_id: int, email: str) -> bool:
    """Take *email* off the site's list (a shop that put it there by mistake); whether it was there."""
    rows = list(session.scalars(select(Suppression).where(Suppression.site_id == site_id,
                                                          Suppression.email.in_(_forms(email)))))
    for row in rows:
        session.delete(row)
    return bool(rows)


def suppressed_addresses(session: Session, site_id: int, limit: int | None = None) -> list[Suppression]:
    """The site's list, newest first."""
    query = select(Suppression).where(Suppression.site_id == site_id).order_by(Suppression.created_at.desc(),
                                                                               Suppression.id.desc())
    return list(session.scalars(query.limit(limit) if limit else query))


def export_csv(session: Session, site_id: int) -> str:
    """The site's list as CSV: ``email,reason,added_at`` (UTC, ISO 8601)."""
    rows = [(s.email, s.reason, s.created_at.isoformat(timespec="seconds"))
            for s in suppressed_addresses(session, site_id)]
    return to_csv(EXPORT_HEADER, rows)


@dataclass
class SuppressionImport:
    """What an import stored, found there already, and refused (by line)."""

    added: int = 0
    already: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def _addresses(text: str) -> Iterable[tuple[int, str]]:
    """(line, first cell) of each non-empty row; a header row ``email`` is skipped."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for row in reader:
        cell = (row[0] if row else "").strip()
        if cell and not (reader.line_num == 1 and cell.lower() in ("email", "e-mail", "address")):
            yield reader.line_num, cell


def import_csv(connection: Connection, site_id: int, text: str) -> SuppressionImport:
    """Add the addresses of a CSV (one a line, in the first column; the rest is ignored)."""
    report = SuppressionImport()
    for line, entry in _addresses(text):
        try:
            address = parse_address(entry)
        except AddressError as err:
            report.refused.append((line, " ".join(err.messages())))
            continue
        if suppress(connection, site_id, address, "imported"):
            report.added += 1
        else:
            report.already += 1
    return report


def suppress_refused(connection: Connection, row: Mapping[str, Any], refused: str) -> None:
    """The outbox's failure hook: an invitation's address refused for good (5xx) goes on its site's list."""
    payload = row.get("payload") or {}
    if row.get("kind") == "mail" and row.get("site_id") and payload.get("invitation_id"):
        suppress(connection, int(row["site_id"]), refused, "bounced", note=str(row.get("last_error") or "")[:NOTE_MAX])


def invitation_of_unsubscribe(session: Session, token: str) -> Invitation | None:
    """The invitation whose e-mail carried the unsubscribe *token*, or None (unknown or mangled)."""
    from ..responses.links import link_token_hash

    if not token or len(token) > 64:
        return None
    return session.scalar(select(Invitation).where(Invitation.unsubscribe_hash == link_token_hash(token)))


def unsubscribe(session: Session, token: str) -> Invitation | None:
    """Put the address of the invitation of *token* on its site's list (once); the invitation, or None."""
    invitation = invitation_of_unsubscribe(session, token)
    if invitation is not None and invitation.customer_email:
        suppress(session.connection(), invitation.site_id, invitation.customer_email, "unsubscribed")
    return invitation
