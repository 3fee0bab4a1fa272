"""An outbox e-mail written out as MIME: once, when it is queued, and sent as those bytes.

Building a two-part message with the standard library's ``email`` package costs a few
milliseconds (its header registry parses and folds every header), several times what
handing the bytes to the mail server costs.  So :func:`rendered_mail` writes the message
when it is queued, with every header but ``From``, and the outbox keeps the bytes; the
sender puts :func:`from_header` (the deployment's ``MAIL_DEFAULT_SENDER`` at send time) in
front of them.  A resend after a crash sends the very same bytes, Message-ID included.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate

# RFC 5322 allows 998 characters a line; folding at 78 makes Python move a whole
# subject to a continuation line, which some readers then show with a leading space.
MAIL_POLICY = SMTP_POLICY.clone(max_line_length=998)
HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def header_safe(value: str) -> str:
    """*value* with CR, LF and other control characters replaced by spaces (no header injection)."""
    return HEADER_UNSAFE.sub(" ", value).strip()


def safe_headers(headers: Mapping[str, object] | None) -> dict[str, str]:
    """Extra headers (List-Unsubscribe of an invitation, In-Reply-To of a reply) without a line break in them."""
    return {header_safe(str(name)): header_safe(str(value)) for name, value in (headers or {}).items()}


def mime_message(*, subject: str, to: str, message_id: str, date: float, text: str, html: str | None,
                 headers: Mapping[str, str], sender: str | None = None, reply_to: str | None = None) -> EmailMessage:
    """The message: headers RFC 2047-encoded and not folded before 998 characters, a text part and an
    HTML alternative; without ``From`` when *sender* is None."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = subject
    if sender is not None:
        message["From"] = sender
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Message-ID"] = message_id
    message["Date"] = formatdate(date, localtime=False)
    for name, value in headers.items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def rendered_mail(*, subject: str, to: str, message_id: str, date: float, text: str, html: str | None,
                  headers: Mapping[str, object] | None) -> bytes:
    """The bytes of a queued e-mail, every header but ``From`` (see :func:`from_header`)."""
    return mime_message(subject=header_safe(subject), to=to, message_id=message_id, date=date, text=text,
                        html=html, headers=safe_headers(headers)).as_bytes()


@lru_cache(maxsize=16)
def from_header(sender: str) -> bytes:
    """The ``From:`` line of *sender* (``Name <address>`` or an address), encoded as the rest of the message
    (kept: parsing it costs as much as sending a message)."""
    return MAIL_POLICY.fold_binary(*MAIL_POLICY.header_store_parse("From", header_safe(sender)))
