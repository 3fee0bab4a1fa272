"""Where a customer's answer to the site's e-mail goes: the site's alert recipients.

Invitations and replies to a response are sent from the application's sender
(``MAIL_DEFAULT_SENDER``), often a mailbox nobody reads; ``Reply-To`` names the people
who handle feedback, so a customer who answers the mail reaches them.
"""

from __future__ import annotations

from collections.abc import Iterable


def reply_to_headers(alert_emails: Iterable[str]) -> dict[str, str]:
    """``{"Reply-To": ...}`` naming *alert_emails*, or ``{}`` when the site has none."""
    addresses = [str(email) for email in alert_emails]
    return {"Reply-To": ", ".join(addresses)} if addresses else {}
