"""What one-line and multi-line text may hold, checked the same way by every form and API.

A one-line value (a name, a title, a label, an address) may end up in a mail header or
on one line of a page: it holds no control, format or line-separator characters (the
zero-width joiner of emoji excepted).  Multi-line text only loses the C0/C1 controls
(newline and tab stay).  Lone surrogates (Cs) are not text at all: no database or mail
can store them.
"""

from __future__ import annotations

import re
import unicodedata

from .i18n import N_

ONE_LINE = N_("Must be one line without control characters.")
CONTROL = N_("Must not contain control characters.")
SINGLE_LINE_FORBIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
MULTI_LINE_FORBIDDEN = frozenset({"Cc", "Cs"})
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
# The same rules for ASCII text, where only the C0 controls and DEL are forbidden (a quick path).
ASCII_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
ASCII_FORBIDDEN_MULTI_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def is_forbidden(char: str, *, multi_line: bool = False) -> bool:
    """Whether *char* may not appear in one-line (or, with *multi_line*, multi-line) text."""
    if char in ("\n\t" if multi_line else "\u200d"):
        return False
    return unicodedata.category(char) in (MULTI_LINE_FORBIDDEN if multi_line else SINGLE_LINE_FORBIDDEN)


def has_control_characters(text: str, *, multi_line: bool = False) -> bool:
    """Whether *text* holds a character :func:`is_forbidden` in its kind of text."""
    if text.isascii():
        return (ASCII_FORBIDDEN_MULTI_LINE if multi_line else ASCII_FORBIDDEN).search(text) is not None
    return any(is_forbidden(char, multi_line=multi_line) for char in text)


def shown(text: str, limit: int = 80) -> str:
    """*text* safe to quote on one line of a message: forbidden characters as �, at most *limit* long."""
    visible = "".join(REPLACEMENT if is_forbidden(char) else char for char in text)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def entry_lines(text: str) -> list[str]:
    """The lines of *text* (a list typed one entry a line), each stripped of spaces and tabs,
    blank ones left out.  Only CR LF and LF end a line: any other control character stays
    in its entry, for the entry's check to refuse."""
    lines = (line.strip(" \t") for line in text.replace("\r\n", "\n").split("\n"))
    return [line for line in lines if line]
