"""Customer-supplied text as the admin pages and the staff e-mails show it.

A comment is the customer's, not ours: it is shown isolated from the page's
own text (``<bdi>``, so a right-to-left override or a Hebrew name cannot
reorder the words around it), and the characters that would act unseen
(format characters such as U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH
SPACE, U+FEFF, control characters) are replaced by a visible, marked
placeholder. The result is :class:`~markupsafe.Markup` built from escaped
parts, so Jinja's autoescaping still holds.

Templates call :func:`customer_text` for every customer value; a block of
customer text (a comment, a description) also gets ``dir="auto"`` on its
element so it is aligned the way it is written. Where no markup can go (an
attribute, a plain-text mail) :func:`customer_plain` marks the invisible
characters as ``⟨U+202E⟩``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

# Where Unicode puts format (Cf), control (Cc) and separator (Zl, Zp) characters:
# the Basic and Supplementary Multilingual Planes and the tags block in plane 14.
_SCANNED_PLANES = (range(0x0000, 0x20000), range(0xE0000, 0xE1000))
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp"})
# Blank letters that render as nothing (Hangul fillers), a classic way to hide text.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"
_LAYOUT_CONTROLS = "\t\n\r"
_JOINERS = "\u200c\u200d"  # ZWNJ and ZWJ, needed inside Persian, Indic and emoji sequences
# A subdivision flag (England, Scotland, Wales): a black flag, tag letters, a cancel tag.
_TAG_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"


def is_invisible(character: str) -> bool:
    """Whether *character* would act on the text around it without being seen."""
    if character in _LAYOUT_CONTROLS:
        return False
    return unicodedata.category(character) in _INVISIBLE_CATEGORIES or character in _BLANK_LETTERS


@functools.cache
def _invisible_pattern() -> re.Pattern[str]:
    """Tag flags (kept whole) or one invisible character; built once, on first use."""
    found = [code for plane in _SCANNED_PLANES for code in plane if is_invisible(chr(code))]
    return re.compile(f"({_TAG_FLAG})|([{''.join(_class_ranges(found))}])")


def _class_ranges(codes: list[int]) -> Iterator[str]:
    """Sorted code points as character-class ranges (``a-z``): a short class is a fast one."""
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code != previous + 1:
            yield re.escape(chr(start)) + ("" if start == previous else "-" + re.escape(chr(previous)))
            start = code
        previous = code


def _joins_visible_text(text: str, index: int) -> bool:
    """Whether the joiner at *index* sits between two non-ASCII letters, marks or symbols."""
    if index == 0 or index + 1 >= len(text):
        return False
    return all(ord(side) > 0x7F and unicodedata.category(side)[0] in "LMS" for side in (text[index - 1], text[index + 1]))


def code_point(character: str) -> str:
    """``U+202E`` for U+202E."""
    return f"U+{ord(character):04X}"


def placeholder(character: str) -> Markup:
    """The visible stand-in for an invisible *character*, named in its title."""
    name = unicodedata.name(character, "CONTROL CHARACTER")
    return Markup('<span class="fw-invisible" title="{} {}">⟨{}⟩</span>').format(code_point(character), name,
                                                                                code_point(character))


def _is_kept(match: re.Match[str]) -> bool:
    character = match.group(2)
    return character is None or (character in _JOINERS and _joins_visible_text(match.string, match.start()))


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """*text* cut into ``(piece, is_invisible)``: runs of shown text and single invisible characters."""
    if text.isprintable() and not any(letter in text for letter in _BLANK_LETTERS):
        yield text, False  # the common case, decided at C speed: Python counts Cc, Cf, Zl, Zp unprintable
        return
    position = 0
    for match in _invisible_pattern().finditer(text):
        if not _is_kept(match):
            yield text[position:match.start()], False
            yield match.group(2), True
            position = match.end()
    yield text[position:], False


def visible_invisibles(value: Any) -> Markup:
    """*value* as escaped HTML with every invisible character replaced by its placeholder."""
    text = "" if value is None else str(value)
    return Markup("".join(str(placeholder(piece) if hidden else escape(piece)) for piece, hidden in _pieces(text)))


def customer_plain(value: Any) -> str:
    """A customer-supplied *value* as plain text (an attribute, a text mail): invisibles as ``⟨U+202E⟩``."""
    text = "" if value is None else str(value)
    return "".join(f"⟨{code_point(piece)}⟩" if hidden else piece for piece, hidden in _pieces(text))


def customer_text(value: Any) -> Markup:
    """A customer-supplied *value* for an HTML page: isolated in ``<bdi>``, invisibles made visible.

    ``None`` and ``""`` give an empty string (no empty element).
    """
    if value is None or value == "":
        return Markup("")
    return Markup(f"<bdi>{visible_invisibles(value)}</bdi>")

