"""Saved replies: a site's ready answers, one per language, kept in its settings.

A saved reply lives in ``Site.settings["saved_replies"]`` (no table of its own: a site has a
handful).  Its text may name ``{name}`` (the customer's name), ``{reference}`` and ``{order}``;
:func:`fill` puts the customer's values in.  The complaint workspace and the reply to a survey
response both offer them.  Plain functions; the caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..core.i18n import N_, TranslatableError, SUPPORTED_LOCALES
from ..core.models import Site

SETTINGS_KEY = "saved_replies"
MAX_REPLIES = 100
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 10_000
PLACEHOLDERS = ("{name}", "{reference}", "{order}")


class SavedReplyError(TranslatableError):
    """A saved reply that cannot be stored; the message (an English msgid) says why."""


@dataclass(frozen=True)
class SavedReply:
    id: str
    title: str
    locale: str
    body: str


def saved_replies(settings: Mapping[str, Any], locale: str | None = None) -> list[SavedReply]:
    """The site's saved replies (those in *locale* only, when given), by title."""
    replies = [SavedReply(str(r.get("id", "")), str(r.get("title", "")), str(r.get("locale", "")),
                          str(r.get("body", ""))) for r in settings.get(SETTINGS_KEY) or [] if isinstance(r, dict)]
    return sorted((r for r in replies if locale is None or r.locale == locale), key=lambda r: r.title.casefold())


def find_reply(settings: Mapping[str, Any], reply_id: str) -> SavedReply | None:
    return next((reply for reply in saved_replies(settings) if reply.id == reply_id), None)


def fill(reply: SavedReply, *, name: str | None, reference: str | None, order: str | None) -> str:
    """*reply*'s text with the customer's *name*, the *reference* and the *order* number put in."""
    values = {"{name}": name or "", "{reference}": reference or "", "{order}": order or ""}
    text = reply.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _store(site: Site, replies: Sequence[SavedReply]) -> None:
    site.settings = {**(site.settings or {}), SETTINGS_KEY: [asdict(reply) for reply in replies]}


def add_saved_reply(site: Site, title: str, locale: str, body: str) -> SavedReply:
    """Save a new reply for *site*.

    :raises SavedReplyError: for a missing title or text, an unknown language, or too many replies.
    """
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        raise SavedReplyError(N_("Give the saved reply a title of 1 to %(limit)s characters."), limit=TITLE_MAX_LENGTH)
    if not body or len(body) > BODY_MAX_LENGTH:
        raise SavedReplyError(N_("Write a message of 1 to %(limit)s characters."), limit=BODY_MAX_LENGTH)
    if locale not in SUPPORTED_LOCALES:
        raise SavedReplyError(N_("Choose the language the reply is written in."))
    existing = saved_replies(site.settings or {})
    if len(existing) >= MAX_REPLIES:
        raise SavedReplyError(N_("A site keeps at most %(limit)s saved replies: delete one first."), limit=MAX_REPLIES)
    reply = SavedReply(secrets.token_hex(4), title, locale, body)
    _store(site, [*existing, reply])
    return reply


def delete_saved_reply(site: Site, reply_id: str) -> bool:
    """Delete the saved reply *reply_id* of *site*; False when there was none."""
    existing = saved_replies(site.settings or {})
    kept = [reply for reply in existing if reply.id != reply_id]
    _store(site, kept)
    return len(kept) < len(existing)
