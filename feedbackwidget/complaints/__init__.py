"""Complaint handling: receive, record, resolve, analyse, within the legal deadline.

- :mod:`.models` complaints, their messages and audit trail (migration ``0003_complaints``);
- :mod:`.validation`, :mod:`.intake` receiving a complaint from any channel; :mod:`.references`
  the phone-readable reference and the secret status token;
- :mod:`.workflow` states, assignment, escalation, verdict, compensation, messages;
  :mod:`.audit` the history; :mod:`.deadlines` and :mod:`.reminders` the legal deadline;
- :mod:`.notifications` the mails and the ``complaint.*`` events for delivery;
- :mod:`.analysis` the figures in SQL, :mod:`.export` the CSV files;
- :mod:`.api` the JSON endpoint, :mod:`.pages` the hosted form and status page,
  :mod:`.admin_views` / :mod:`.admin_intake` / :mod:`.admin_reports` the admin pages,
  :mod:`.cli` ``feedbackwidget complaints remind``, :mod:`.privacy` the data-rights provider.

Domain functions take a :class:`~.context.Context` (session, site, actor, ``now``) and know
nothing of HTTP; :func:`.runtime.context_for` builds one inside a Flask app.
"""
