"""The one error invitations raise for what a shop wrote wrong."""

from __future__ import annotations


class Refused(ValueError):
    """A setting or rule that cannot be stored; ``field`` names it, the message says what to write."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
