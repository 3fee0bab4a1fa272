"""Hooking invitations into an app: the sender runs them, and a refused address is suppressed."""

from __future__ import annotations

from flask import Flask

from ..delivery.sender import add_sender_job
from ..delivery.worker import on_permanent_refusal
from .runner import run_invitations
from .suppressions import suppress_refused


def _sender_job(app: Flask) -> None:
    run_invitations(app)


def install(app: Flask) -> None:
    """Run due invitations before each drain of the outbox; suppress addresses refused for good (5xx)."""
    add_sender_job(app, _sender_job)
    on_permanent_refusal(app, suppress_refused)
