"""The admin pages of alerts, webhooks and the outbox; the delivery itself is
:mod:`feedbackwidget.delivery`."""
