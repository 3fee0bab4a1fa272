"""Invitations on the web: the admin's rules, texts, suppression list, funnel and win-back
pages, and the unsubscribe page; the invitations themselves are :mod:`feedbackwidget.invitations`."""

from . import admin_panels  # noqa: E402,F401  (what the dashboard, response and complaint pages show of invitations)
