"""The one error delivery raises when a message could not be handed over."""

from __future__ import annotations


class DeliveryError(Exception):
    """Sending failed; a ``permanent`` failure (5xx, refused target) is not retried."""

    def __init__(self, message: str, *, permanent: bool, refused_address: str | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        # The recipient's address, when its mail server refused it for good (5xx to RCPT TO).
        self.refused_address = refused_address
