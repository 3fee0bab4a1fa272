"""E-mail addresses: the one parser every form, API and command that takes an address uses.

An address is accepted when any mail server can deliver it: ASCII before the @
(SMTPUTF8 is not assumed), a domain that can exist on the public internet (an
internationalized one is kept in its ``xn--`` form), no display name, no angle
brackets, no quoting.  `email-validator`_ checks the syntax; DNS is never asked, so
parsing is quick and works offline.

A list of addresses is one address a line: a comma, a semicolon or a space inside a
line makes that line "not one e-mail address", and the error says to split it.

.. _email-validator: https://pypi.org/project/email-validator/
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from .i18n import N_
from .plain_text import entry_lines, has_control_characters, shown

# Why an entry is refused, as an English msgid with the entry as %(entry)s.
MESSAGES = {
    "invalid": N_("“%(entry)s” is not an e-mail address: write it as name@example.com."),
    "not_one": N_("“%(entry)s” is not one e-mail address: give just one, such as name@example.com."),
    "angle": N_("“%(entry)s” has a name or angle brackets around the address: write only the address, "
                "such as name@example.com."),
    "control": N_("“%(entry)s” contains a control character: type the address again without it."),
    "local_domain": N_("“%(entry)s” has a domain only a test or local network uses, which no mail reaches: "
                       "use the address's real domain."),
    "non_ascii_local": N_("“%(entry)s” has letters before the @ that many mail servers cannot deliver: "
                          "use only a-z, 0-9 and . _ + - there."),
}
# The same reasons, worded for a list of addresses (one a line).
LIST_MESSAGES = {
    **MESSAGES,
    "invalid": N_("“%(entry)s” is not an e-mail address. Write one e-mail address a line, such as name@example.com."),
    "not_one": N_("“%(entry)s” is not one e-mail address: put one address per line."),
}
SEPARATORS = frozenset(",; \t")


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class AddressProblem:
    """One refused entry: what was typed and why (a key of :data:`MESSAGES`)."""

    entry: str
    reason: str
    in_list: bool = False

    @property
    def message(self) -> str:
        """The English msgid of the problem; its ``%(entry)s`` is :attr:`shown_entry`."""
        return (LIST_MESSAGES if self.in_list else MESSAGES)[self.reason]

    @property
    def shown_entry(self) -> str:
        """The entry as a message quotes it: control characters as �, shortened when long."""
        return shown(self.entry)

    def text(self, translate: Callable[[str], str] = _same) -> str:
        """The problem in words, through *translate*, naming the entry."""
        return translate(self.message) % {"entry": self.shown_entry}


class AddressError(ValueError):
    """Some entries are not deliverable e-mail addresses; ``problems`` names each."""

    def __init__(self, problems: Sequence[AddressProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(problem.text() for problem in self.problems))

    def messages(self, translate: Callable[[str], str] = _same) -> list[str]:
        """One sentence per refused entry, through *translate*."""
        return [problem.text(translate) for problem in self.problems]


def _refusal(entry: str) -> str | None:
    """Why *entry* is refused before the library looks at it (reasons it words better), or None."""
    if any(char in SEPARATORS for char in entry):
        return "not_one"
    if has_control_characters(entry):
        return "control"
    if any(char.isspace() for char in entry):
        return "not_one"
    if "<" in entry or ">" in entry:
        return "angle"
    return None


@lru_cache(maxsize=4096)  # alert mails check the same few recipients on every matching response
def _validated(entry: str) -> str:
    """*entry* normalised (domain lower-cased, ``xn--`` form).

    :raises EmailNotValidError: from email-validator.
    """
    # Every option is given: the library's defaults are globals a host app may have changed.
    result = validate_email(
        entry, allow_smtputf8=False, allow_empty_local=False, allow_quoted_local=False, allow_domain_literal=False,
        allow_display_name=False, check_deliverability=False, test_environment=False, globally_deliverable=True,
    )
    return result.ascii_email or result.normalized


def _invalid_reason(entry: str) -> str:
    """Why email-validator refused *entry*, as far as a clearer hint exists."""
    local, _, domain = entry.rpartition("@")
    if not local.isascii():
        return "non_ascii_local"
    labels = domain.lower().rstrip(".").split(".")
    if local and domain and (len(labels) == 1 or labels[-1] in SPECIAL_USE_DOMAIN_NAMES):
        return "local_domain"
    return "invalid"


def parse_address(text: str, *, in_list: bool = False) -> str:
    """The one deliverable address *text* holds (spaces around it ignored), normalised.

    :raises AddressError: naming *text* and why it is refused.
    """
    entry = text.strip(" \t")
    reason = _refusal(entry)
    if reason is None:
        try:
            return _validated(entry)
        except EmailNotValidError:
            reason = _invalid_reason(entry)
    raise AddressError([AddressProblem(entry, reason, in_list)])


def parse_addresses(entries: str | Iterable[str]) -> list[str]:
    """The addresses of *entries* (text of one address a line, or the entries), normalised,
    each once (whatever its case), in order; blank entries are skipped.

    :raises AddressError: naming every entry that is not one deliverable address.
    """
    lines = entry_lines(entries) if isinstance(entries, str) else [e.strip(" \t") for e in entries if e.strip(" \t")]
    addresses: dict[str, str] = {}
    problems: list[AddressProblem] = []
    for line in lines:
        try:
            address = parse_address(line, in_list=True)
        except AddressError as err:
            problems.extend(err.problems)
        else:
            addresses.setdefault(address.lower(), address)
    if problems:
        raise AddressError(problems)
    return list(addresses.values())
