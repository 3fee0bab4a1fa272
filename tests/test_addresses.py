"""The e-mail address parser (hypothesis): what it accepts comes back normalised and
deliverable; what it refuses raises its own error, naming the entry."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from feedbackwidget.core.addresses import AddressError, parse_address, parse_addresses
from feedbackwidget.core.plain_text import has_control_characters, is_forbidden, shown

ATEXT = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~"
atoms = st.text(ATEXT, min_size=1, max_size=8)
local_parts = st.lists(atoms, min_size=1, max_size=4).map(".".join).filter(lambda local: len(local) <= 64)
labels = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10})?", fullmatch=True)
domains = st.tuples(st.lists(labels, min_size=1, max_size=3), st.sampled_from(["com", "hu", "cn", "example", "shop"]))
addresses = st.builds(lambda local, domain: f"{local}@{'.'.join([*domain[0], domain[1]])}", local_parts, domains)
# Characters that make a typed entry anything but one deliverable address.
controls = st.sampled_from(["\r", "\n", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\u200b", "\ufeff"])
separators = st.sampled_from([",", ";", " ", "\t", "\u3000", "\xa0"])
angles = st.sampled_from(["<", ">"])


def _refusal(entry: str) -> AddressError:
    with pytest.raises(AddressError) as refused:
        parse_address(entry)
    [problem] = refused.value.problems
    assert shown(problem.entry) in str(refused.value)
    return refused.value


@given(addresses)
def test_a_valid_address_comes_back_with_its_domain_lower_cased(address: str) -> None:
    local, _, domain = address.rpartition("@")
    typed = f"  {local}@{domain.upper()} "

    parsed = parse_address(typed)

    # The local part keeps its case (email-validator lower-cases only role names such as Postmaster).
    assert parsed.lower() == f"{local}@{domain}".lower() and parsed.endswith(f"@{domain}")
    assert parse_address(parsed) == parsed


@given(addresses, st.integers(0, 80), controls)
def test_a_control_character_anywhere_is_refused(address: str, position: int, control: str) -> None:
    entry = address[:position] + control + address[position:]
    assume(entry.strip(" \t") == entry)

    error = _refusal(entry)

    assert error.problems[0].reason == "control"
    assert "\N{REPLACEMENT CHARACTER}" in str(error) and control not in str(error)


@given(addresses, addresses, separators)
def test_two_addresses_in_one_entry_are_refused_as_not_one(first: str, second: str, separator: str) -> None:
    entry = f"{first}{separator}{second}"

    assert _refusal(entry).problems[0].reason == "not_one"
    assert "put one address per line" in parse_error_of_list(f"ok@shop.example\n{entry}")


@given(addresses, angles, st.booleans())
def test_angle_brackets_or_a_display_name_are_refused(address: str, angle: str, named: bool) -> None:
    entry = f"Shop <{address}>" if named else (angle + address if angle == "<" else address + angle)

    assert _refusal(entry).problems[0].reason in {"angle", "not_one"}


@given(local_parts, st.text("üéőáűí中文", min_size=1, max_size=3), domains)
def test_letters_outside_ascii_before_the_at_are_refused(local: str, letters: str, domain: tuple[list[str], str]) -> None:
    entry = f"{local}{letters}@{'.'.join([*domain[0], domain[1]])}"

    error = _refusal(entry)

    assert error.problems[0].reason == "non_ascii_local" and shown(entry) in str(error)


@given(st.text(st.characters(exclude_categories=[]), max_size=60) | addresses.map(lambda a: a + "\u0301"))
def test_any_text_is_an_address_or_the_parsers_own_error(text: str) -> None:
    try:
        parsed = parse_address(text)
    except AddressError as err:
        assert err.problems and all(problem.text() for problem in err.problems)
        return
    assert parsed.isascii() and parsed.count("@") == 1 and parse_address(parsed) == parsed
    assert not any(char in parsed for char in " ,;<>\r\n\t\x00")


@given(st.lists(addresses | st.sampled_from(["", "  "]), max_size=6))
def test_a_list_keeps_each_address_once_in_order(entries: list[str]) -> None:
    parsed = parse_addresses("\r\n".join(entries))

    expected: dict[str, str] = {}
    for entry in filter(str.strip, entries):
        expected.setdefault(entry.lower(), parse_address(entry))
    assert parsed == list(expected.values())
    assert parse_addresses(entries) == parsed


@given(st.lists(addresses, max_size=3), st.lists(st.sampled_from(["a,b@x.example", "<a@x.example>", "nope"]),
                                                 min_size=1, max_size=3))
def test_a_list_names_every_refused_entry(good: list[str], bad: list[str]) -> None:
    with pytest.raises(AddressError) as refused:
        parse_addresses([*good, *bad])

    assert [problem.entry for problem in refused.value.problems] == bad
    assert all(f"“{entry}”" in message for entry, message in zip(bad, refused.value.messages()))


@pytest.mark.parametrize(("entry", "reason"), [
    ("a,b@x.test", "not_one"), ("a@b.co>", "angle"), ("<a@b.co>", "angle"), ("ü@b.co", "non_ascii_local"),
    ("owner@shop.test", "local_domain"), ("ops@mailhost", "local_domain"), ("not-an-address", "invalid"),
    ("a..b@shop.example", "invalid"), ('"a"@shop.example', "invalid"), ("a@[127.0.0.1]", "invalid"),
])
def test_the_issues_examples_are_refused_with_their_reason(entry: str, reason: str) -> None:
    assert _refusal(entry).problems[0].reason == reason


def test_an_internationalized_domain_is_kept_in_the_form_mail_servers_take() -> None:
    assert parse_address("Anna@Bücher.Example") == "Anna@xn--bcher-kva.example"


def parse_error_of_list(text: str) -> str:
    with pytest.raises(AddressError) as refused:
        parse_addresses(text)
    return str(refused.value)


def test_a_long_entry_is_named_shortened() -> None:
    entry = "x" * 300 + ",y@shop.example"

    [message] = _refusal(entry).messages()

    assert message.startswith("“" + "x" * 79 + "…”") and len(message) < 200


@given(st.text(st.characters(codec="ascii"), max_size=20) | st.text(st.characters(exclude_categories=[]), max_size=20),
       st.booleans())
def test_the_quick_ascii_check_of_control_characters_agrees_with_the_unicode_rules(text: str, multi_line: bool) -> None:
    expected = any(is_forbidden(char, multi_line=multi_line) for char in text)

    assert has_control_characters(text, multi_line=multi_line) is expected
