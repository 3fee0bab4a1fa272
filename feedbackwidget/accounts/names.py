"""How staff members are named where colleagues read about them ("Anna escalated to level 2").

An account may set its own display name (and an owner a member's); one that has none is
named after its e-mail address: ``anna.kovacs@shop.example`` reads "Anna Kovacs".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.i18n import N_
from ..core.models import AdminUser
from ..core.plain_text import has_control_characters

DISPLAY_NAME_MAX = 80
NAME_REFUSED = N_("Write a name of at most 80 characters on one line.")
_SEPARATORS = re.compile(r"[._+\-]+")


class NameRefused(ValueError):
    """A display name that cannot be stored; ``message`` says what to write instead (an English msgid)."""

    def __init__(self, message: str = NAME_REFUSED) -> None:
        self.message = message
        super().__init__(message)


def name_from_email(email: str) -> str:
    """The local part of *email*, each of its words capitalised ("anna.kovacs@..." -> "Anna Kovacs")."""
    words = [word for word in _SEPARATORS.split(email.partition("@")[0]) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words) or email


def display_name(user: AdminUser) -> str:
    """What colleagues read for *user*: the name set, else one made from the e-mail address."""
    return user.display_name or name_from_email(user.email)


def set_display_name(user: AdminUser, name: str) -> None:
    """Store *name* (surrounding blanks dropped); an empty one goes back to the name from the address.

    :raises NameRefused: for a name over 80 characters or with line breaks or control characters.
    """
    name = name.strip()
    if len(name) > DISPLAY_NAME_MAX or has_control_characters(name):
        raise NameRefused()
    user.display_name = name or None


def display_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display name of each of *user_ids* that has an account, by id."""
    wanted = sorted({user_id for user_id in user_ids if user_id is not None})
    if not wanted:
        return {}
    rows = session.execute(select(AdminUser.id, AdminUser.email, AdminUser.display_name)
                           .where(AdminUser.id.in_(wanted)))
    return {user_id: name or name_from_email(email) for user_id, email, name in rows}


def names_by_email(session: Session, emails: Iterable[str]) -> dict[str, str]:
    """The display name of each of *emails* that has an account; an address without one is left out."""
    wanted = sorted(set(emails))
    if not wanted:
        return {}
    rows = session.execute(select(AdminUser.email, AdminUser.display_name).where(AdminUser.email.in_(wanted)))
    return {email: name or name_from_email(email) for email, name in rows}
