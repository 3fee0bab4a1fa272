"""Is this installation healthy?  The checks behind ``feedbackwidget check`` and ``/admin/health``.

Each check returns a :class:`Check`: its name, ``ok``, ``warning`` or ``failed``, what was
found and, when it is not ok, what to do.  Texts are msgids with ``%(name)s`` values, so the
admin page shows them translated and the command line in English.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from limits.storage import storage_from_string
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..core import config
from .. import migrations
from ..delivery.health import mail_failure, send_test_mail
from ..delivery.smtp import TimeoutConnection
from ..delivery.worker import OUTBOX, WorkerSettings
from ..core.state import SECRET_KEY_FILE, get_state
from ..core.i18n import N_
from .runs import last_run
from ..core.models import Site, utcnow
from ..core.public_url import public_base_url

OK, WARNING, FAILED = "ok", "warning", "failed"
SENDER_LATE_MINUTES = 10
MAINTENANCE_LATE_HOURS = 26  # a daily run, and some slack


@dataclass(frozen=True)
class Check:
    """One line of the report: *name*, *status* (ok, warning, failed), *detail* and *fix* (msgids)."""

    name: str
    status: str
    detail: str
    fix: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, message: str, translate: Callable[[str], str] = str) -> str:
        return translate(message) % dict(self.values) if message else ""


def database(app: Flask) -> Check:
    engine = get_state(app).engine
    try:
        current = migrations.current_revisions(engine)
    except SQLAlchemyError as err:
        return Check(N_("Database"), FAILED, N_("The database does not answer: %(error)s"),
                     N_("Check FEEDBACKWIDGET_DATABASE_URL and that the database server runs."),
                     {"error": str(err).splitlines()[0][:300]})
    heads = migrations.head_revisions()
    values = {"current": ", ".join(current) or "none", "newest": ", ".join(heads)}
    if set(current) != set(heads):
        return Check(N_("Database"), FAILED, N_("The schema is at revision %(current)s, not the newest %(newest)s."),
                     N_("Run 'feedbackwidget db upgrade'."), values)
    return Check(N_("Database"), OK, N_("Answers; at the newest revision %(newest)s."), values=values)


def smtp(app: Flask) -> Check:
    mailer = WorkerSettings.for_app(app).mailer
    values = {"server": mailer.server}
    if mailer.mail.suppress:
        return Check(N_("Mail server"), WARNING, N_("MAIL_SUPPRESS_SEND is on (or the app is testing): no mail is sent."),
                     N_("Set MAIL_SUPPRESS_SEND to false."), values)
    try:
        with app.app_context(), TimeoutConnection(mailer.mail, mailer.timeout) as connection:
            code = connection.host.noop()[0] if connection.host is not None else 250
    except (OSError, smtplib.SMTPException) as err:
        return Check(N_("Mail server"), FAILED, N_("%(server)s does not answer: %(error)s"), _smtp_fix(app),
                     {**values, "error": repr(err)})
    if code != 250:
        return Check(N_("Mail server"), FAILED, N_("%(server)s answers NOOP with %(code)s."), _smtp_fix(app),
                     {**values, "code": code})
    return Check(N_("Mail server"), OK, N_("%(server)s answers."), values=values)


def _smtp_fix(app: Flask) -> str:
    if not app.config.get("MAIL_SERVER"):
        return N_("MAIL_SERVER is not set: set MAIL_SERVER and MAIL_PORT (and MAIL_USERNAME, MAIL_PASSWORD).")
    return N_("Check MAIL_SERVER and MAIL_PORT (now %(server)s), or start the mail server there.")


def send_test(app: Flask, recipient: str) -> Check:
    """Send one test e-mail to *recipient* through the outbox (one attempt, at once)."""
    with app.app_context():
        outcome = send_test_mail(get_state(app).engine, WorkerSettings.for_app(app), recipient,
                                 "Test e-mail from feedbackwidget", "This is a test e-mail from 'feedbackwidget check'.")
    values = {"to": recipient, "error": outcome.error or "", "server": WorkerSettings.for_app(app).mailer.server}
    if outcome.sent:
        return Check(N_("Test e-mail"), OK, N_("The mail server accepted the test e-mail to %(to)s."), values=values)
    return Check(N_("Test e-mail"), FAILED, N_("The test e-mail to %(to)s was not sent: %(error)s"),
                 outcome.fix or "", values)


def mail_delivery(app: Flask) -> Check:
    failure = mail_failure(get_state(app).engine)
    if failure is None:
        return Check(N_("Mail delivery"), OK, N_("No mail is failing."))
    values = {"since": f"{failure.since:%Y-%m-%d %H:%M}", "error": failure.error, "count": failure.waiting,
              "server": WorkerSettings.for_app(app).mailer.server}
    return Check(N_("Mail delivery"), FAILED, N_("Failing since %(since)s UTC; messages waiting or failed: %(count)s. Last error: %(error)s"),
                 failure.fix, values)


def secret_key(app: Flask) -> Check:
    own, key = app.config.get(config.SECRET_KEY), get_state(app).secret_key
    try:
        config.check_secret_key(key, own=bool(own))
    except RuntimeError as err:
        return Check(N_("Secret key"), FAILED, N_("The secret key is not a real secret."), N_("%(fix)s"),
                     {"fix": str(err)})
    if _generated(app, key):
        return Check(N_("Secret key"), WARNING,
                     N_("The secret key was generated into the instance folder: other hosts do not share it."),
                     N_("Set FEEDBACKWIDGET_SECRET_KEY to a long random string shared by every host: %(command)s"),
                     {"command": config.GENERATE_KEY_COMMAND})
    return Check(N_("Secret key"), OK, N_("Set, long and not a placeholder."))


def _generated(app: Flask, key: str) -> bool:
    try:
        with open(os.path.join(app.instance_path, SECRET_KEY_FILE)) as handle:
            return handle.read().strip() == key
    except OSError:
        return False


def public_url(app: Flask) -> Check:
    # Links made outside a request (mails, the CLI) use these two; a request's own address does not count.
    if not (app.config.get(config.PUBLIC_URL) or app.config.get("SERVER_NAME")):
        return Check(N_("Public URL"), WARNING, N_("FEEDBACKWIDGET_PUBLIC_URL is not set: links in mails and embed "
                                                  "snippets point at http://127.0.0.1:5000."),
                     N_("Set FEEDBACKWIDGET_PUBLIC_URL to the address customers reach, e.g. https://feedback.example.com."))
    return Check(N_("Public URL"), OK, N_("%(url)s"), values={"url": public_base_url(app).url})


def site_origins(app: Flask) -> list[Check]:
    with get_state(app).session_factory() as session:
        sites = session.execute(select(Site.name, Site.key, Site.allowed_origins).order_by(Site.id)).all()
    if not sites:
        return [Check(N_("Sites"), WARNING, N_("No site yet."),
                      N_("Create one: feedbackwidget create-site NAME --origin https://shop.example"))]
    return [_origins(name, key, origins) for name, key, origins in sites]


def _origins(name: str, key: str, origins: list[Any]) -> Check:
    values = {"site": name, "key": key, "origins": ", ".join(map(str, origins))}
    if not origins:
        return Check(N_("Site origins"), FAILED, N_("%(site)s has no origin: its widget is refused everywhere."),
                     N_("Add the shop's origin (https://shop.example) on the site's admin page."), values)
    return Check(N_("Site origins"), OK, N_("%(site)s: %(origins)s"), values=values)


def redis(app: Flask) -> list[Check]:
    url = str(app.config[config.RATELIMIT_STORAGE_URL])
    if not url.startswith(("redis://", "rediss://", "redis+")):
        return []
    values = {"url": url.split("@")[-1]}
    try:
        answers = storage_from_string(url, socket_timeout=2, socket_connect_timeout=2).check()
    except Exception as err:  # the driver's errors vary by scheme; any of them means "does not answer"
        answers, values = False, {**values, "url": f"{values['url']} ({err})"}
    if not answers:
        return [Check(N_("Redis"), FAILED, N_("%(url)s does not answer: rate limits are not enforced."),
                      N_("Start Redis, or check FEEDBACKWIDGET_RATELIMIT_STORAGE_URL."), values)]
    return [Check(N_("Redis"), OK, N_("%(url)s answers."), values=values)]


def sender(app: Flask, now: dt.datetime) -> Check:
    late = now - dt.timedelta(minutes=SENDER_LATE_MINUTES)
    with get_state(app).engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        oldest_due = connection.scalar(select(OUTBOX.c.next_attempt_at).where(
            OUTBOX.c.status.in_(("pending", "sending")), OUTBOX.c.next_attempt_at < late
        ).order_by(OUTBOX.c.next_attempt_at).limit(1))
    if oldest_due is None:
        return Check(N_("Outbox sender"), OK, N_("No message has waited more than %(minutes)s minutes."),
                     values={"minutes": SENDER_LATE_MINUTES})
    return Check(N_("Outbox sender"), FAILED, N_("A message has been due since %(since)s UTC: the sender does not run."),
                 N_("Run 'feedbackwidget send-outbox --loop' (deploy/feedbackwidget-sender.service), or set "
                    "FEEDBACKWIDGET_RUN_SENDER=true in the standalone server."), {"since": f"{oldest_due:%Y-%m-%d %H:%M}"})


def maintenance(app: Flask, now: dt.datetime) -> Check:
    ran = last_run(app)
    if ran is None:
        return Check(N_("Daily maintenance"), WARNING, N_("This host has no record of a daily run."),
                     N_("The standalone server runs it (FEEDBACKWIDGET_RUN_MAINTENANCE); with the deploy timer, "
                        "see 'systemctl status feedbackwidget-maintenance.timer'."))
    values = {"when": f"{ran:%Y-%m-%d %H:%M}"}
    if now - ran > dt.timedelta(hours=MAINTENANCE_LATE_HOURS):
        return Check(N_("Daily maintenance"), FAILED, N_("Last complete run at %(when)s UTC: more than a day ago."),
                     N_("Look in the log for 'daily job failed', or start the maintenance timer."), values)
    return Check(N_("Daily maintenance"), OK, N_("Last complete run at %(when)s UTC."), values=values)


def run_checks(app: Flask, send_test_to: str | None = None, now: dt.datetime | None = None) -> list[Check]:
    """Every check, in the order an operator fixes things; a failing database skips the rest."""
    now = now or utcnow()
    first = database(app)
    if first.status == FAILED:
        return [first]
    checks = [first, secret_key(app), public_url(app), smtp(app)]
    if send_test_to:
        checks.append(send_test(app, send_test_to))
    checks += [mail_delivery(app), sender(app, now), maintenance(app, now), *site_origins(app), *redis(app)]
    return checks


def worst(checks: list[Check]) -> str:
    """``failed`` if any check failed, else ``warning`` if any warned, else ``ok``."""
    statuses = {check.status for check in checks}
    return FAILED if FAILED in statuses else WARNING if WARNING in statuses else OK
