"""A complaint's story in sentences: the audit trail and the messages merged into one timeline.

:func:`timeline` turns the audit rows (:class:`~.models.ComplaintEvent`) and the messages of
a complaint into :class:`Entry` objects that read like "Anna escalated to
level 2: needs a technician", in the reader's language: no field names, no raw values,
no microseconds.  Plain functions of rows; nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency

from ..core.i18n import N_, translate
from .labels import COMPENSATION_LABELS, ROOT_CAUSES

# Fields that follow from another change ("resolve" sets resolved_at): the sentence of that change says it all.
DERIVED_FIELDS = frozenset({"resolved_at", "reopen_count", "first_response_at"})
STATUS_SENTENCES: dict[str, str] = {
    "start": N_("%(actor)s started working on it."),
    "resolve": N_("%(actor)s marked it resolved."),
    "reject": N_("%(actor)s rejected it as unfounded."),
    "reopen": N_("%(actor)s reopened it."),
}
RECEIVED_SENTENCES: dict[str, str] = {
    "web": N_("%(actor)s recorded a complaint made on the website."),
    "phone": N_("%(actor)s recorded a complaint made by phone."),
    "email": N_("%(actor)s recorded a complaint sent by e-mail."),
    "in_store": N_("%(actor)s recorded a complaint made in the shop."),
    "survey": N_("%(actor)s turned a survey answer into a complaint."),
}
VERDICT_SENTENCES: dict[str, str] = {
    "justified": N_("%(actor)s judged the complaint justified."),
    "unfounded": N_("%(actor)s judged the complaint unfounded."),
}


class EventRow(Protocol):
    actor_id: int | None
    actor: str
    action: str
    field: str | None
    old_value: Any
    new_value: Any
    created_at: dt.datetime


class MessageRow(Protocol):
    id: int
    author_id: int | None
    visibility: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Entry:
    """One line of the timeline.

    ``kind``: ``customer`` (what the customer wrote), ``reply`` (sent to the customer),
    ``note`` (internal), ``change`` (of state, owner, level...) or ``system`` (reminders).
    ``body`` is the text written (customer's or staff's), shown under the sentence.
    """

    at: dt.datetime
    kind: str
    sentence: str
    body: str | None = None


@dataclass(frozen=True)
class Reader:
    """Who reads the timeline: their language, and the names of the staff by id (their display names)."""

    locale: str
    people: Mapping[int, str]

    def _(self, message: str, **values: Any) -> str:
        text = translate(self.locale, message)
        return text % values if values else text

    def person(self, user_id: Any) -> str:
        name = self.people.get(user_id) if isinstance(user_id, int) else None
        return name or self._("a former staff member")

    def actor(self, event: EventRow) -> str:
        if event.actor == "customer":
            return self._("The customer")
        if event.actor == "system":
            return self._("The system")
        # The name as it is now; the address the event kept for someone whose account is gone.
        known = self.people.get(event.actor_id) if event.actor_id is not None else None
        return known or event.actor

    def label(self, labels: Mapping[Any, str], value: Any) -> str:
        known = labels.get(value)
        return self._(known) if known else str(value)


def readable_time(moment: dt.datetime, locale: str, zone: dt.tzinfo = dt.timezone.utc) -> str:
    """*moment* as a person reads it in *locale* and time *zone*: "Dec 7, 2026, 14:05", "2026. dec. 7. 14:05"."""
    local = moment.astimezone(zone)
    pattern = Locale.parse(locale).datetime_formats["medium"]
    return str(pattern).format(format_time(local, "HH:mm", locale=locale), format_date(local, "medium", locale=locale))


def money(amount: Any, currency: str | None, locale: str) -> str:
    """An amount with its currency as *locale* writes it ("1 490 Ft", "€12.50")."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return format_currency(value, currency, locale=locale) if currency else str(value)


def _groups(events: Iterable[EventRow]) -> list[list[EventRow]]:
    """Events written by one action (same moment, actor and action, other fields) together; each plain
    update alone."""
    groups: list[list[EventRow]] = []
    for event in events:
        last = groups[-1][-1] if groups else None
        same = last and (last.created_at, last.actor, last.action) == (event.created_at, event.actor, event.action)
        if same and event.action != "updated" and event.field not in {e.field for e in groups[-1]}:
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


def _received(group: list[EventRow], reader: Reader, description: str) -> Entry:
    event = group[0]
    channel = str(event.new_value)
    if event.actor == "customer":
        sentence = reader._("The customer complained through the web form.")
    else:
        sentence = reader._(RECEIVED_SENTENCES.get(channel, RECEIVED_SENTENCES["web"]), actor=reader.actor(event))
    return Entry(event.created_at, "customer", sentence, description)


def _assigned(event: EventRow, reader: Reader) -> str:
    actor = reader.actor(event)
    if event.new_value is None:
        return reader._("%(actor)s unassigned it.", actor=actor)
    if event.new_value == event.actor_id:
        return reader._("%(actor)s took it on.", actor=actor)
    return reader._("%(actor)s assigned it to %(person)s.", actor=actor, person=reader.person(event.new_value))


def _escalated(group: list[EventRow], reader: Reader) -> str:
    values = {event.field: event for event in group}
    level = values.get("escalation_level")
    reason = values.get("escalation_reason")
    new_level = level.new_value if level else "?"
    down = level is not None and isinstance(level.old_value, int) and level.old_value > level.new_value
    msgid = N_("%(actor)s moved it back to level %(level)s: %(reason)s") if down else N_(
        "%(actor)s escalated to level %(level)s: %(reason)s")
    return reader._(msgid, actor=reader.actor(group[0]), level=new_level,
                    reason=str(reason.new_value if reason else "").rstrip("."))


def _updated(event: EventRow, reader: Reader) -> str | None:
    actor = reader.actor(event)
    if event.field == "verdict":
        if event.new_value in VERDICT_SENTENCES:
            return reader._(VERDICT_SENTENCES[event.new_value], actor=actor)
        return reader._("%(actor)s cleared the verdict.", actor=actor)
    if event.field == "root_cause":
        if event.new_value is None:
            return reader._("%(actor)s cleared the root cause.", actor=actor)
        return reader._("%(actor)s named the root cause: %(cause)s.", actor=actor,
                        cause=reader.label(ROOT_CAUSES, event.new_value))
    return reader._("%(actor)s updated the complaint.", actor=actor)


class _Compensation:
    """The compensation as the events so far left it (each event carries only what changed)."""

    def __init__(self) -> None:
        self.values: dict[str | None, Any] = {}

    def sentence(self, group: list[EventRow], reader: Reader) -> str:
        for event in group:
            self.values[event.field] = event.new_value
        kind = self.values.get("compensation_type")
        amount = self.values.get("compensation_amount")
        actor = reader.actor(group[0])
        if kind is None:
            return reader._("%(actor)s removed the compensation.", actor=actor)
        if kind == "none":
            return reader._("%(actor)s recorded that no compensation is given.", actor=actor)
        what = reader.label(COMPENSATION_LABELS, kind)
        if amount is None:
            return reader._("%(actor)s recorded a compensation: %(kind)s.", actor=actor, kind=what)
        return reader._("%(actor)s recorded a compensation: %(kind)s of %(amount)s.", actor=actor, kind=what,
                        amount=money(amount, self.values.get("compensation_currency"), reader.locale))


def _message(event: EventRow, reader: Reader, messages: Mapping[int, MessageRow]) -> Entry | None:
    message = messages.get(event.new_value) if isinstance(event.new_value, int) else None
    actor = reader.actor(event)
    if event.action == "replied":
        sentence, kind = reader._("%(actor)s replied to the customer.", actor=actor), "reply"
    else:
        sentence, kind = reader._("%(actor)s added an internal note.", actor=actor), "note"
    return Entry(event.created_at, kind, sentence, message.body if message else None)


def _notice(event: EventRow, reader: Reader) -> str:
    people = ", ".join(str(recipient) for recipient in event.new_value or []) or reader._("nobody")
    if event.action == "overdue_notice":
        return reader._("The deadline passed: %(people)s were told.", people=people)
    return reader._("The deadline is near: a reminder went to %(people)s.", people=people)


def _sentence(group: list[EventRow], reader: Reader, compensation: _Compensation) -> str | None:
    event = group[0]
    if event.action in STATUS_SENTENCES:
        return reader._(STATUS_SENTENCES[event.action], actor=reader.actor(event))
    if event.action == "assigned":
        return _assigned(event, reader)
    if event.action == "escalated":
        return _escalated(group, reader)
    if event.action == "compensated":
        return compensation.sentence(group, reader)
    if event.action == "linked_response":
        return reader._("It follows up survey answer #%(id)s.", id=event.new_value)
    if event.action in ("reminder", "overdue_notice"):
        return _notice(event, reader)
    sentences = [_updated(e, reader) for e in group if e.field not in DERIVED_FIELDS]
    return " ".join(s for s in sentences if s) or None


def _entry(group: list[EventRow], reader: Reader, description: str, messages: Mapping[int, MessageRow],
           compensation: _Compensation) -> Entry | None:
    event = group[0]
    if event.action == "received":
        return _received(group, reader, description)
    if event.action in ("replied", "noted"):
        return _message(event, reader, messages)
    sentence = _sentence(group, reader, compensation)
    return Entry(event.created_at, "system" if event.actor == "system" else "change", sentence) if sentence else None


def timeline(
    description: str, events: Sequence[EventRow], messages: Sequence[MessageRow], reader: Reader
) -> list[Entry]:
    """The complaint's whole story, oldest first: what the customer wrote (*description*), every
    reply and note with its text, and every change as a sentence in *reader*'s language."""
    by_id = {message.id: message for message in messages}
    compensation = _Compensation()
    # A rejection also sets the verdict "unfounded": its own sentence ("rejected it as unfounded") says so.
    rejections = {(e.created_at, e.actor) for e in events if e.action == "reject"}
    entries = []
    for group in _groups(events):
        event = group[0]
        if event.field == "verdict" and event.new_value == "unfounded" and (event.created_at, event.actor) in rejections:
            continue
        entry = _entry(group, reader, description, by_id, compensation)
        if entry:
            entries.append(entry)
    return entries
