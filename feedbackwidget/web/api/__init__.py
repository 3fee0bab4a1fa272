"""The public JSON API v1, described by ``feedbackwidget/openapi.json``."""

from __future__ import annotations

from .views import api

__all__ = ["api"]
