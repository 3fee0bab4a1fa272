"""Delivery: the transactional outbox through which every e-mail and webhook leaves."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Hook delivery into *app*: alert rules on new responses, the in-process sender."""
