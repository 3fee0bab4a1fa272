"""A survey's triggers (the ``fw_surveys.triggers`` JSON, see :mod:`feedbackwidget.web.widget.triggers`)
as the plain values of the admin's form controls, and back.

One control a trigger: numbers stay numbers (empty: the trigger is off), ``event`` is the names
separated by commas, ``url`` one match kind for one or more paths (one a line; a single path is
stored as one rule, several as a list, as the JSON always allowed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..widget.triggers import URL_MATCHES

#: The form's field name of each number trigger.
NUMBER_TRIGGERS: tuple[str, ...] = ("delay_seconds", "scroll_percent", "sample_percent", "cooldown_days")
ANY_PAGE = "any"


def _url_rules(value: Any) -> list[Mapping[str, Any]]:
    rules = value if isinstance(value, list) else [value] if value else []
    return [rule for rule in rules if isinstance(rule, Mapping)]


def trigger_values(triggers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form values (``trigger_<key>``) of the stored *triggers*."""
    triggers = triggers or {}
    rules = _url_rules(triggers.get("url"))
    events = triggers.get("event") or []
    values: dict[str, Any] = {
        "trigger_manual": triggers.get("manual") is True,
        "trigger_exit_intent": triggers.get("exit_intent") is True,
        "trigger_event": ", ".join([events] if isinstance(events, str) else [str(e) for e in events]),
        "trigger_url_match": str(rules[0].get("match")) if rules else ANY_PAGE,
        "trigger_url_paths": "\n".join(str(rule.get("value", "")) for rule in rules),
    }
    values.update({f"trigger_{key}": triggers.get(key) for key in NUMBER_TRIGGERS})
    return values


def event_names(text: str | None) -> list[str]:
    """The event names typed in one field, separated by commas (or spaces)."""
    return [name for name in (text or "").replace(",", " ").split() if name]


def path_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def triggers_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The triggers JSON of the (validated) form *values*: only the triggers that are set."""
    triggers: dict[str, Any] = {}
    if values.get("trigger_manual"):
        triggers["manual"] = True
    if values.get("trigger_delay_seconds") is not None:
        triggers["delay_seconds"] = values["trigger_delay_seconds"]
    if values.get("trigger_exit_intent"):
        triggers["exit_intent"] = True
    if values.get("trigger_scroll_percent") is not None:
        triggers["scroll_percent"] = values["trigger_scroll_percent"]
    if events := event_names(values.get("trigger_event")):
        triggers["event"] = events
    match, paths = values.get("trigger_url_match"), path_lines(values.get("trigger_url_paths"))
    if match in URL_MATCHES and paths:
        rules = [{"match": match, "value": path} for path in paths]
        triggers["url"] = rules[0] if len(rules) == 1 else rules
    for key in ("sample_percent", "cooldown_days"):
        if values.get(f"trigger_{key}") is not None:
            triggers[key] = values[f"trigger_{key}"]
    return triggers
