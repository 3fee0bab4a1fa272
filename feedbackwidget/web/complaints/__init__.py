"""The complaint workflow on the web: the public form and status page, the JSON
API, and the admin's queue, case page and reports.  The workflow itself (intake,
deadlines, replies, escalation) is :mod:`feedbackwidget.complaints`."""
