"""Admin pages of delivery (child of the admin blueprint, at ``<prefix>/admin/outbox``).

- the outbox: messages by status, the failed ones with their error, a retry button;
- a site's alerts: each rule's recipients, threshold and switch, each
  recipient's language and digest, the site's webhooks.

Managers and owners of a site see and edit its delivery; superusers every site's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, EmailField, IntegerField, SelectField, SelectMultipleField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, NumberRange, Optional

from ...core import config
from ...core.addresses import AddressError
from ..admin import admin
from ..admin.access import (ADMIN_NAV, NavItem, current_access, require_role, site_or_404, visible_site_ids,
                            visible_sites)
from ..admin.forms import ButtonForm
from ..admin.locale import gettext
from ...core.state import get_state
from ..forms import LANGUAGE_CHOICES, ProtectedForm
from ...core.i18n import N_
from ...core.models import Site, Survey
from ...core.plain_text import entry_lines
from ...delivery import invalidate_delivery
from ...delivery.admin_outbox import count_by_status, list_failed, retry
from ...delivery.health import FailureCache, MailFailure, TestMailOutcome, last_sent_at, mail_failure, send_test_mail
from ...delivery.models import THRESHOLD_KINDS, WEBHOOK_EVENTS, AlertRecipient, AlertRule, Webhook
from ...delivery.rules import add_rule, set_preferences, set_rule_recipients
from ...delivery.webhooks import add_webhook
from ...delivery.worker import WorkerSettings

delivery_admin = Blueprint("outbox", __name__)
ADMIN_NAV.append(NavItem(N_("Alerts and delivery"), "feedbackwidget.admin.outbox.index", "manager"))
MANAGER = "manager"
OWNER = "owner"
FAILURE_CACHE_KEY = "delivery.failure_cache"
TEST_MAIL_SUBJECT = N_("Test e-mail from feedbackwidget")
TEST_MAIL_TEXT = N_("This is a test e-mail from the feedback admin. It arrived, so alerts and digests reach this address.")
RULE_LABELS = {
    "nps_at_or_below": N_("Recommendation score at or below the threshold"),
    "csat_bad": N_("Service rated bad"),
    "stock_no": N_("Goods not found in stock"),
    "loyalty_at_or_below": N_("Loyalty program score at or below the threshold"),
    "complaint_new": N_("Every new complaint"),
    "complaint_overdue": N_("A complaint past its deadline"),
}
# Webhook events as people name them (the payload keeps the dotted names).
EVENT_LABELS = {
    "response.created": N_("A new response"),
    "complaint.created": N_("A new complaint"),
    "complaint.updated": N_("A complaint changed (status, answer or deadline)"),
}
STATUS_LABELS = {"pending": N_("Waiting"), "sending": N_("Being sent"), "sent": N_("Sent"), "failed": N_("Failed")}
DIGEST_LABELS = {"none": N_("None"), "daily": N_("Daily"), "weekly": N_("Weekly")}
EVERY_SURVEY = SelectChoice("", N_("Every survey"))


class RuleForm(ProtectedForm):
    recipients = TextAreaField(N_("Recipients (one e-mail address a line)"))
    threshold = IntegerField(N_("Threshold"), validators=[Optional(), NumberRange(0, 10)])
    active = BooleanField(N_("Active"))


class NewRuleForm(RuleForm):
    kind = SelectField(N_("Alert when"), choices=[SelectChoice(kind, label) for kind, label in RULE_LABELS.items()])
    survey = SelectField(N_("Survey"), choices=[EVERY_SURVEY])


class RecipientForm(ProtectedForm):
    locale = SelectField(N_("Language"), choices=LANGUAGE_CHOICES)
    digest = SelectField(N_("Digest"), choices=[SelectChoice(digest, label) for digest, label in DIGEST_LABELS.items()])


class TestMailForm(ProtectedForm):
    to = EmailField(N_("Send to"), validators=[Optional()])


class WebhookForm(ProtectedForm):
    url = URLField(N_("URL"), validators=[DataRequired(), URL(require_tld=False)])
    events = SelectMultipleField(N_("Send when"),
                                 choices=[SelectChoice(event, EVENT_LABELS.get(event, event)) for event in WEBHOOK_EVENTS],
                                 default=list(WEBHOOK_EVENTS))


def _failure_cache(app: Flask) -> FailureCache:
    extras = get_state(app).extras
    if FAILURE_CACHE_KEY not in extras:
        engine = get_state(app).engine
        extras[FAILURE_CACHE_KEY] = FailureCache(lambda: mail_failure(engine))
    cache: FailureCache = extras[FAILURE_CACHE_KEY]
    return cache


def current_mail_failure() -> MailFailure | None:
    """Mail's failure for the banner: only for someone logged in, from the per-process cache."""
    if current_access() is None:
        return None
    return _failure_cache(current_app._get_current_object()).get()  # type: ignore[attr-defined]


@admin.context_processor
def _mail_failure_banner() -> dict[str, Any]:
    # A callable: the outbox is read only when a page shows the banner.
    return {"mail_failure": current_mail_failure, "mail_server": _mail_server}


def _mail_server() -> str:
    return WorkerSettings.for_app(current_app._get_current_object()).mailer.server  # type: ignore[attr-defined]


def _is_owner() -> bool:
    access = current_access()
    return access is not None and access.has_role_anywhere(OWNER)


def delivery_health() -> dict[str, Any]:
    """What the health block at the top of the delivery pages shows: the failure, or when mail last went out."""
    failure = current_mail_failure()
    return {"health_failure": failure, "health_on_page": True,
            "health_last_sent": None if failure else last_sent_at(get_state().engine),
            "health_test_form": TestMailForm(formdata=None) if _is_owner() else None}


@delivery_admin.get("/")
@require_role(MANAGER)
def index(test_form: TestMailForm | None = None, outcome: TestMailOutcome | None = None) -> str:
    """Messages by status and the failed ones, on the sites this user manages."""
    site_ids = visible_site_ids(MANAGER)
    session = get_state().session()
    if test_form is None and _is_owner():
        test_form = TestMailForm(formdata=None)
    return render_template("feedbackwidget/admin/outbox.html", counts=count_by_status(session, site_ids),
                           failed=list_failed(session, site_ids), retry_form=ButtonForm(formdata=None),
                           sites=visible_sites(MANAGER), status_labels=STATUS_LABELS, notice=request.args.get("done"),
                           test_form=test_form, outcome=outcome, **delivery_health())


@delivery_admin.post("/test-mail")
@require_role(OWNER)
def test_mail() -> str:
    """Send a test e-mail (to the owner, or the address typed) through the outbox, at once; show what happened."""
    form = TestMailForm()
    access = current_access()
    if not form.validate() or access is None:
        return index(test_form=form)
    recipient = (form.to.data or "").strip() or access.user.email
    get_state().session().commit()  # hold no transaction while the mail server is talked to
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    outcome = send_test_mail(get_state(app).engine, WorkerSettings.for_app(app), recipient,
                             gettext(TEST_MAIL_SUBJECT), gettext(TEST_MAIL_TEXT))
    _failure_cache(app).invalidate()
    return index(test_form=form, outcome=outcome)


@delivery_admin.post("/<int:message_id>/retry")
@require_role(MANAGER)
def retry_message(message_id: int) -> Response:
    if not ButtonForm().validate():
        abort(400)
    if not retry(get_state().session(), message_id, visible_site_ids(MANAGER)):
        abort(404)
    get_state().session().commit()
    return redirect(url_for(".index", done="retried"))


def _page(site_id: int, rule_forms: dict[int, RuleForm] | None = None,
          webhook_form: WebhookForm | None = None, new_rule_form: NewRuleForm | None = None) -> str:
    site = site_or_404(site_id, MANAGER)
    session = get_state().session()
    rules = session.scalars(select(AlertRule).where(AlertRule.site_id == site.id).order_by(AlertRule.id)).all()
    recipients = session.scalars(select(AlertRecipient).where(AlertRecipient.site_id == site.id)
                                 .order_by(AlertRecipient.email)).all()
    hooks = session.scalars(select(Webhook).where(Webhook.site_id == site.id).order_by(Webhook.id)).all()
    forms_of_rules = {r.id: RuleForm(formdata=None, data={"recipients": "\n".join(r.recipients),
                                                      "threshold": r.threshold, "active": r.active})
                      for r in rules}
    recipient_forms = {r.id: RecipientForm(formdata=None, data={"locale": r.locale, "digest": r.digest})
                       for r in recipients}
    return render_template(
        "feedbackwidget/admin/outbox_alerts.html", site=site, rules=rules, rule_labels=RULE_LABELS,
        rule_forms={**forms_of_rules, **(rule_forms or {})},
        recipients=recipients, recipient_forms=recipient_forms, hooks=hooks, event_labels=EVENT_LABELS,
        threshold_kinds=THRESHOLD_KINDS, **delivery_health(),
        webhook_form=webhook_form or WebhookForm(formdata=None),
        new_rule_form=new_rule_form or _new_rule_form(site, formdata=None), button=ButtonForm(formdata=None),
        notice=request.args.get("done"))


@delivery_admin.get("/sites/<int:site_id>")
@require_role(MANAGER)
def alerts(site_id: int) -> str:
    return _page(site_id)


def _done(site_id: int, what: str) -> Response:
    invalidate_delivery(current_app._get_current_object(), site_id)  # type: ignore[attr-defined]
    return redirect(url_for(".alerts", site_id=site_id, done=what))


@delivery_admin.post("/sites/<int:site_id>/rules/<int:rule_id>")
@require_role(MANAGER)
def update_rule(site_id: int, rule_id: int) -> Response | str:
    site, session = site_or_404(site_id, MANAGER), get_state().session()
    form = RuleForm()
    rule = session.get(AlertRule, rule_id)
    if rule is None or rule.site_id != site.id:
        abort(404)
    if form.validate():
        try:
            set_rule_recipients(session, site, rule.id, entry_lines(form.recipients.data or ""))
        except AddressError as err:
            form.recipients.errors = err.messages(gettext)
        else:
            rule.active = bool(form.active.data)
            if rule.kind in THRESHOLD_KINDS and form.threshold.data is not None:
                rule.threshold = form.threshold.data
            session.commit()
            return _done(site.id, "saved")
    return _page(site.id, rule_forms={rule.id: form})


def _new_rule_form(site: Site, **kwargs: object) -> NewRuleForm:
    form = NewRuleForm(**kwargs)
    slugs = get_state().session().scalars(select(Survey.slug).where(Survey.site_id == site.id).order_by(Survey.slug))
    form.survey.choices = [EVERY_SURVEY, *(SelectChoice(slug) for slug in slugs)]
    return form


@delivery_admin.post("/sites/<int:site_id>/rules")
@require_role(MANAGER)
def create_rule(site_id: int) -> Response | str:
    site, session = site_or_404(site_id, MANAGER), get_state().session()
    form = _new_rule_form(site)
    if form.validate():
        try:
            add_rule(session, site, form.kind.data, entry_lines(form.recipients.data or ""),
                     survey_slug=form.survey.data or None, threshold=form.threshold.data)
        except AddressError as err:
            form.recipients.errors = err.messages(gettext)
        else:
            session.commit()
            return _done(site.id, "saved")
    return _page(site.id, new_rule_form=form)


@delivery_admin.post("/sites/<int:site_id>/recipients/<int:recipient_id>")
@require_role(MANAGER)
def update_recipient(site_id: int, recipient_id: int) -> Response:
    site, session = site_or_404(site_id, MANAGER), get_state().session()
    recipient = session.get(AlertRecipient, recipient_id)
    if recipient is None or recipient.site_id != site.id:
        abort(404)  # another site's recipient answers as one that does not exist
    form = RecipientForm()
    if not form.validate():
        abort(400)
    set_preferences(recipient, locale=form.locale.data, digest=form.digest.data)
    session.commit()
    return _done(site.id, "saved")


@delivery_admin.post("/sites/<int:site_id>/webhooks")
@require_role(MANAGER)
def create_webhook(site_id: int) -> Response | str:
    site, session = site_or_404(site_id, MANAGER), get_state().session()
    form = WebhookForm()
    if form.validate():
        session.commit()  # end the read transaction: on SQLite it would block writers during the URL check
        try:
            add_webhook(session, site, form.url.data, tuple(form.events.data or WEBHOOK_EVENTS),
                        allow_private=bool(current_app.config[config.ALLOW_PRIVATE_WEBHOOKS]),
                        timeout=float(current_app.config[config.WEBHOOK_TIMEOUT_SECONDS]))
        except ValueError as err:
            form.url.errors = [str(err)]
        else:
            session.commit()
            return _done(site.id, "webhook")
    return _page(site.id, webhook_form=form)


@delivery_admin.post("/sites/<int:site_id>/webhooks/<int:hook_id>/delete")
@require_role(MANAGER)
def delete_webhook(site_id: int, hook_id: int) -> Response:
    site, session = site_or_404(site_id, MANAGER), get_state().session()
    hook = session.get(Webhook, hook_id)
    if hook is None or hook.site_id != site.id:
        abort(404)  # another site's webhook answers as one that does not exist
    if not ButtonForm().validate():
        abort(400)
    session.delete(hook)
    session.commit()
    return _done(site.id, "deleted")

