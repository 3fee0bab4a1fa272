"""The one error delivery raises when a message could not be handed over."""

from __future__ import annotations


class DeliveryError(Exception):
    """Sending failed; a ``permanent`` failure (5xx, refused target) is not retried."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent
