"""When the widget shows a survey by itself: the ``fw_surveys.triggers`` JSON.

Every key is optional::

    {
      "manual": false,             # true: never shown by itself, only by the button or FeedbackWidget.open()
      "delay_seconds": 10,         # after this many seconds on the page
      "exit_intent": true,         # when the mouse leaves through the top of the window (desktop only)
      "scroll_percent": 60,        # once the visitor scrolled this far down the page
      "event": ["purchase"],       # on FeedbackWidget.track("purchase") (a name or a list of names)
      "url": {"match": "prefix", "value": "/checkout"},   # or a list of such rules; match: exact|prefix|glob
      "sample_percent": 25,        # only this share of visitors (decided once per visitor)
      "cooldown_days": 30          # not asked again this long after answering or dismissing (default 30)
    }

``url`` and ``sample_percent`` and ``cooldown_days`` are conditions; ``delay_seconds``,
``exit_intent``, ``scroll_percent`` and ``event`` are moments (the first that happens
shows the survey).  A survey with conditions but no moment is shown on page load.
A ``value`` starting with ``http`` is compared with the whole URL, else with the path
and query; a glob's ``*`` matches any characters and ``?`` one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

URL_MATCHES: tuple[str, ...] = ("exact", "prefix", "glob")
DEFAULT_COOLDOWN_DAYS = 30
REGEX_SPECIAL = frozenset(".+*?^${}()|[]\\")
WHOLE_URL = re.compile(r"https?:")


def _number(low: float, high: float) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValueError(f"must be a number from {low:g} to {high:g}")
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _events(value: Any) -> list[str]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and 0 < len(n) <= 64 for n in names):
        raise ValueError('must be an event name such as "purchase" or a list of names')
    return list(names)


def _url_rule(rule: Any) -> dict[str, str]:
    if not isinstance(rule, Mapping) or rule.get("match") not in URL_MATCHES or not isinstance(rule.get("value"), str):
        raise ValueError('must be {"match": "exact"|"prefix"|"glob", "value": "/path"} or a list of them')
    return {"match": rule["match"], "value": rule["value"]}


def _url(value: Any) -> Any:
    if isinstance(value, list):
        return [_url_rule(rule) for rule in value]
    return _url_rule(value)


CHECKS: dict[str, Callable[[Any], Any]] = {
    "manual": _boolean,
    "delay_seconds": _number(0, 86400),
    "exit_intent": _boolean,
    "scroll_percent": _number(0, 100),
    "event": _events,
    "url": _url,
    "sample_percent": _number(0, 100),
    "cooldown_days": _number(0, 3650),
}


def validate_triggers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The trigger rules *raw*, checked (for the admin area and the CLI).

    :raises ValueError: naming each wrong key and what it expects.
    """
    errors = [f"{key}: unknown trigger: use one of {', '.join(CHECKS)}" for key in raw if key not in CHECKS]
    rules: dict[str, Any] = {}
    for key, value in raw.items():
        if key in CHECKS:
            try:
                rules[key] = CHECKS[key](value)
            except ValueError as err:
                errors.append(f"{key}: {err}")
    if errors:
        raise ValueError("; ".join(errors))
    return rules


def public_triggers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The valid rules of *raw* for the widget; a wrong rule is left out rather than break the page.

    Worked out here so that the widget need not: a rule that is ``false`` is left out (the widget
    asks only whether a key is there), ``cooldown_days`` is always set (default 30) and ``url`` is
    a list of regular expressions (see :func:`url_pattern`).
    """
    public: dict[str, Any] = {"cooldown_days": DEFAULT_COOLDOWN_DAYS}
    for key, check in CHECKS.items():
        if key in raw:
            try:
                public[key] = check(raw[key])
            except ValueError:
                continue
            if public[key] is False:
                del public[key]
    if "url" in public:
        rules = public["url"] if isinstance(public["url"], list) else [public["url"]]
        public["url"] = [url_pattern(rule) for rule in rules]
    return public


def url_pattern(rule: Mapping[str, str]) -> str:
    """The regular expression (the same in JavaScript and Python) the widget matches a URL rule by.

    The widget tests it against the page's URL without its fragment, its path and query, and its
    path: a rule for the path starts with ``(?!https?:)``, which rules out the whole URL.
    """
    value, glob = rule["value"], rule["match"] == "glob"
    wildcards = {"*": ".*", "?": "."} if glob else {}
    body = "".join(wildcards.get(c) or ("\\" + c if c in REGEX_SPECIAL else c) for c in value)
    start = "^" if WHOLE_URL.match(value) else "^(?!https?:)"
    return start + body + ("" if rule["match"] == "prefix" else "$")
