"""The admin's Invitations pages of a site: the funnel, the rules, the policy, the e-mail's words
(owners change them), and the suppression list (managers).  Thin: the work is in this package's functions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from ...core.addresses import AddressError, parse_address
from ..admin.access import ADMIN_NAV, NavItem, require_role, site_or_404, visible_sites
from ..admin.forms import ButtonForm
from ..admin.locale import gettext
from ...core.state import get_state
from ...core.i18n import N_, SUPPORTED_LOCALES, translate
from ...core.models import Site, utcnow
from ...orders.csv_import import UnreadableFile, decode_upload
from ...sites import SiteConfig
from .admin_forms import (EVENT_LABELS, PolicyForm, RuleForm, SuppressionAddForm, SuppressionImportForm,
                          SuppressionRemoveForm, TextsForm)
from ...invitations.funnel import funnel, reasons
from ...invitations.message import mail_question
from ...invitations.rules import RuleChanges, RuleRefused, check_rule, delete_rule, set_rule, site_rules
from ...invitations.settings import DEFAULT_TEXTS, SettingsRefused, load_settings, save_policy, save_texts
from ...invitations.suppressions import export_csv, import_csv, suppress, suppressed_addresses, unsuppress
from ...invitations.timing import format_duration, parse_duration, parse_hours

invitations_admin = Blueprint("invitations", __name__)
ADMIN_NAV.append(NavItem(N_("Invitations"), "feedbackwidget.admin.invitations.index", "manager"))
OWNER, MANAGER = "owner", "manager"
LANGUAGE_NAMES = {"en": "English", "hu": "Magyar", "zh": "中文"}
SHOWN_SUPPRESSIONS = 500
REASON_LABELS = {
    "sample": N_("Outside the sampled share"), "no_consent": N_("No marketing consent"),
    "no_email": N_("No e-mail address"), "suppressed": N_("On the suppression list"),
    "fatigue": N_("Asked or answered recently"), "survey_gone": N_("The survey is no longer active"),
    "cancelled_order": N_("Order cancelled or refunded"), "too_old": N_("The order is too old to ask about"),
    "unsubscribed": N_("Unsubscribed"), "bounced": N_("Refused by the mail server"), "imported": N_("Imported"),
    "added": N_("Added by hand"),
}
RULE_ERRORS = {
    "survey": N_("Choose an NPS or CSAT survey of this site: its first question is asked in the e-mail."),
    "delay": N_("Write the delay as 3d (days), 12h (hours), 90m (minutes) or 0."),
    "reminder": N_("Write the reminder as 4d (days), or leave it empty."),
    "hours": N_("Write the hours as 9-20: from 9:00 until 20:00, the first smaller than the second."),
    "sample": N_("Write a share from 0 to 100."),
}


def _config(site: Site) -> SiteConfig:
    config = get_state().sites.get(site.key)
    assert config is not None  # the site was just read
    return config


def _rule_form(site: Site, formdata: Any = None) -> RuleForm:
    form = RuleForm(formdata=formdata) if formdata is not None else RuleForm(formdata=None)
    form.survey.choices = [SelectChoice(slug, slug) for slug, survey in _config(site).surveys.items()
                           if mail_question(survey) is not None]
    form.event.choices = [SelectChoice(event, gettext(label)) for event, label in EVENT_LABELS.items()]
    return form


def _texts_forms(site: Site) -> dict[str, TextsForm]:
    settings = load_settings(get_state().session(), site.id)
    forms = {}
    for locale in SUPPORTED_LOCALES:
        own = settings.texts.get(locale) or {}
        form = TextsForm(formdata=None, data=own)
        for name in ("subject", "introduction"):
            form[name].render_kw = {**(form[name].render_kw or {}),
                                    "placeholder": translate(locale, DEFAULT_TEXTS[name])}
        forms[locale] = form
    return forms


def _page(site: Site, **extra: Any) -> str:
    session = get_state().session()
    settings = load_settings(session, site.id)
    by_survey, by_week = funnel(session, site.id, utcnow())
    policy = extra.pop("policy_form", None) or PolicyForm(formdata=None, data={
        "fatigue_days": settings.fatigue_days,
        "survey_without_consent": settings.survey_without_consent})
    return render_template(
        "feedbackwidget/admin/invitations/site.html", site=site, rules=site_rules(session, site.id),
        rule_form=extra.pop("rule_form", None) or _rule_form(site), policy_form=policy,
        texts_forms={**_texts_forms(site), **extra.pop("texts_forms", {})}, by_survey=by_survey, by_week=by_week,
        time_zone=settings.time_zone, reasons=reasons(session, site.id), button=ButtonForm(formdata=None), event_labels=EVENT_LABELS,
        language_names=LANGUAGE_NAMES, reason_labels=REASON_LABELS, format_duration=format_duration, done=request.args.get("done"), **extra)


@invitations_admin.get("/")
@require_role(MANAGER)
def index() -> Response | str:
    """The sites this user manages; the one site's page straight away when there is one."""
    sites = visible_sites(MANAGER)
    if len(sites) == 1:
        return redirect(url_for(".site_invitations", site_id=sites[0].id))  # type: ignore[return-value]
    return render_template("feedbackwidget/admin/invitations/sites.html", sites=sites)


@invitations_admin.get("/<int:site_id>")
@require_role(MANAGER)
def site_invitations(site_id: int) -> str:
    return _page(site_or_404(site_id, MANAGER))


def _changes(form: RuleForm) -> RuleChanges:
    """The rule the form describes; :class:`RuleRefused` naming the first field it cannot read."""
    parsed: dict[str, Any] = {}
    for field, parse in (("delay", parse_duration), ("reminder", parse_duration), ("hours", parse_hours)):
        value = (form[field].data or "").strip()
        try:
            parsed[field] = parse(value) if value else None
        except ValueError as err:
            raise RuleRefused(field, str(err)) from err
    start, end = parsed["hours"]
    return RuleChanges(form.survey.data, form.event.data, parsed["delay"], parsed["reminder"], start, end,
                       form.sample.data, bool(form.active.data))


@invitations_admin.post("/<int:site_id>/rules")
@require_role(OWNER)
def save_rule(site_id: int) -> Response | str:
    site = site_or_404(site_id, OWNER)
    form = _rule_form(site, request.form)
    if not form.validate():
        return _page(site, rule_form=form)
    config = _config(site)
    try:
        changes = _changes(form)
        check_rule(changes, config.surveys, [choice.value for choice in form.survey.choices])
    except RuleRefused as err:
        form[err.field].errors = [gettext(RULE_ERRORS.get(err.field, RULE_ERRORS["survey"]))]
        return _page(site, rule_form=form)
    session = get_state().session()
    set_rule(session, site.id, changes)
    session.commit()
    return redirect(url_for(".site_invitations", site_id=site.id, done="rule"))  # type: ignore[return-value]


@invitations_admin.post("/<int:site_id>/rules/<int:rule_id>/delete")
@require_role(OWNER)
def remove_rule(site_id: int, rule_id: int) -> Response:
    site = site_or_404(site_id, OWNER)
    if ButtonForm().validate():
        session = get_state().session()
        delete_rule(session, site.id, rule_id)
        session.commit()
    return redirect(url_for(".site_invitations", site_id=site.id, done="rule_deleted"))  # type: ignore[return-value]


@invitations_admin.post("/<int:site_id>/policy")
@require_role(OWNER)
def save_site_policy(site_id: int) -> Response | str:
    site = site_or_404(site_id, OWNER)
    form = PolicyForm()
    if not form.validate():
        return _page(site, policy_form=form)
    session = get_state().session()
    try:
        save_policy(session, site.id, form.fatigue_days.data, bool(form.survey_without_consent.data))
    except SettingsRefused:
        session.rollback()
        form.fatigue_days.errors = [gettext("Write a number of days from 0 to 365.")]
        return _page(site, policy_form=form)
    session.commit()
    return redirect(url_for(".site_invitations", site_id=site.id, done="policy"))  # type: ignore[return-value]


@invitations_admin.post("/<int:site_id>/texts/<locale>")
@require_role(OWNER)
def save_site_texts(site_id: int, locale: str) -> Response | str:
    site = site_or_404(site_id, OWNER)
    if locale not in SUPPORTED_LOCALES:
        return redirect(url_for(".site_invitations", site_id=site.id))  # type: ignore[return-value]
    form = TextsForm()
    if not form.validate():
        return _page(site, texts_forms={locale: form})
    session = get_state().session()
    save_texts(session, site.id, locale, form.subject.data or "", form.introduction.data or "")
    session.commit()
    return redirect(url_for(".site_invitations", site_id=site.id, done="texts"))  # type: ignore[return-value]


def _suppressions_page(site: Site, status: int = 200, **extra: Any) -> tuple[str, int]:
    session = get_state().session()
    html = render_template(
        "feedbackwidget/admin/invitations/suppressions.html", site=site,
        addresses=suppressed_addresses(session, site.id, SHOWN_SUPPRESSIONS), shown_limit=SHOWN_SUPPRESSIONS,
        import_form=extra.pop("import_form", None) or SuppressionImportForm(formdata=None),
        add_form=extra.pop("add_form", None) or SuppressionAddForm(formdata=None),
        remove_form=SuppressionRemoveForm(formdata=None), reason_labels=REASON_LABELS, done=request.args.get("done"), **extra)
    return html, status


@invitations_admin.get("/<int:site_id>/suppressions")
@require_role(MANAGER)
def suppressions(site_id: int) -> tuple[str, int]:
    return _suppressions_page(site_or_404(site_id, MANAGER))


@invitations_admin.get("/<int:site_id>/suppressions.csv")
@require_role(MANAGER)
def suppressions_csv(site_id: int) -> Response:
    site = site_or_404(site_id, MANAGER)
    response = Response(export_csv(get_state().session(), site.id), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="suppressed-{site.key}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@invitations_admin.post("/<int:site_id>/suppressions/import")
@require_role(MANAGER)
def import_suppressions(site_id: int) -> tuple[str, int]:
    site = site_or_404(site_id, MANAGER)
    form = SuppressionImportForm()
    if not form.validate():
        return _suppressions_page(site, 422, import_form=form)
    try:
        text = decode_upload(form.file.data.read())
    except UnreadableFile as err:
        return _suppressions_page(site, 422, import_form=form, unreadable=err.text(gettext))
    session = get_state().session()
    report = import_csv(session.connection(), site.id, text)
    session.commit()
    return _suppressions_page(site, report=report)


@invitations_admin.post("/<int:site_id>/suppressions/add")
@require_role(MANAGER)
def add_suppression(site_id: int) -> Response | tuple[str, int]:
    site = site_or_404(site_id, MANAGER)
    form = SuppressionAddForm()
    if not form.validate():
        return _suppressions_page(site, 422, add_form=form)
    try:
        address = parse_address(form.email.data)
    except AddressError:
        form.email.errors = [gettext("Write one e-mail address, such as name@example.com.")]
        return _suppressions_page(site, 422, add_form=form)
    session = get_state().session()
    suppress(session.connection(), site.id, address, "added")
    session.commit()
    return redirect(url_for(".suppressions", site_id=site.id, done="added"))  # type: ignore[return-value]


@invitations_admin.post("/<int:site_id>/suppressions/remove")
@require_role(MANAGER)
def remove_suppression(site_id: int) -> Response:
    site = site_or_404(site_id, MANAGER)
    form = SuppressionRemoveForm()
    if form.validate():
        session = get_state().session()
        unsuppress(session, site.id, form.email.data)
        session.commit()
    return redirect(url_for(".suppressions", site_id=site.id, done="removed"))  # type: ignore[return-value]
