"""Surveys: a new one from a template, its texts per language (``survey_texts``), triggers, the widget's look,
on/off, and the preview: the real widget showing the survey as saved or as drafted in the form
(``survey_preview``)."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ...core.state import get_state
from ...core.i18n import N_, SUPPORTED_LOCALES, normalize_locale
from ...core.models import Site, Survey
from ...provisioning import add_survey
from ...sites.widget_texts import with_site_texts
from ...surveys.questions import SCALE_ENDS
from .survey_own_texts import (SITE_TEXT_LABELS, answer_headings, builtin_texts, edited_site_texts, fixed_answers,
                               posted_data, site_names_of)
from .survey_preview import preview_configs
from .survey_texts import (BAND_LABELS, apply_texts, band_field_name, missing_texts, names_of, scale_field_name,
                           survey_form_class, survey_values, text_field_name)
from .trigger_fields import triggers_from_values
from ..widget.look import with_look
from ..widget.site_config import public_widget_settings
from ..widget.triggers import validate_triggers
from . import admin
from .access import access, login_required, site_or_404
from ..forms import ProtectedForm
from .forms import POSITION_LABELS, ButtonForm, NewSurveyForm, WidgetLookForm
from .locale import admin_locale, gettext

#: Each kind of question in words, for its section's heading.
QUESTION_KINDS = {"nps": N_("a score from 0 to 10"), "csat": N_("a satisfaction rating"),
                  "yes_no": N_("yes or no"), "choice": N_("a choice of answers"), "text": N_("a written answer")}


def survey_or_404(survey_id: int, minimum_role: str = "viewer") -> tuple[Survey, Site]:
    """The survey and its site, if the user may see it with *minimum_role* (else 404/403)."""
    survey = get_state().session().get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey, site_or_404(survey.site_id, minimum_role)


def parse_triggers(raw: str) -> dict[str, Any]:
    """:raises ValueError: with what to fix, for text that is not valid trigger JSON."""
    try:
        parsed = json.loads(raw or "{}")
    except ValueError as err:
        raise ValueError(gettext("Triggers must be JSON, e.g. {\"delay_seconds\": 10}.")) from err
    if not isinstance(parsed, dict):
        raise ValueError(gettext("Triggers must be a JSON object, e.g. {\"delay_seconds\": 10}."))
    return validate_triggers(parsed)


def look_form(site: Site) -> WidgetLookForm:
    """The widget's look as the site's settings have it (the defaults until an owner sets it)."""
    look = public_widget_settings(site.settings or {})
    return WidgetLookForm(formdata=None, data={"color": look["color"], "position": look["position"],
                                               "show_button": look["show_button"]})


def _page(survey: Survey, site: Site, form: ProtectedForm, saved: bool = False,
          trigger_errors: tuple[str, ...] = (), look: WidgetLookForm | None = None, look_saved: bool = False) -> str:
    pages = form.trigger_url_match
    pages.choices = [SelectChoice(c.value, gettext(c.label)) for c in pages.choices]
    look = look or look_form(site)
    look.position.choices = [SelectChoice(value, gettext(text)) for value, text in POSITION_LABELS.items()]
    filled = {name for name, f in form._fields.items() if isinstance(f.data, str) and f.data.strip()}
    return render_template("feedbackwidget/admin/survey.html", survey=survey, site=site, form=form, saved=saved,
                           trigger_errors=trigger_errors, look=look, look_saved=look_saved,
                           names_of=names_of, question_kinds=QUESTION_KINDS, band_labels=BAND_LABELS,
                           band_field=band_field_name,
                           filled=filled, missing=missing_texts(survey, filled), placeholders=builtin_texts(survey),
                           site_text_labels=SITE_TEXT_LABELS, site_names_of=site_names_of, fixed_answers=fixed_answers,
                           answer_labels=answer_headings(survey, admin_locale()),
                           locales=SUPPORTED_LOCALES, field_name=text_field_name, scale_field=scale_field_name,
                           scale_ends=SCALE_ENDS, button=ButtonForm(formdata=None),
                           is_owner=access().has_role(site.id, "owner"))


def saved_form(survey: Survey, site: Site) -> ProtectedForm:
    """The survey's form showing what is stored."""
    return survey_form_class(survey)(formdata=None, data=survey_values(survey, site.settings))


@admin.get("/surveys/<int:survey_id>")
@login_required
def survey_detail(survey_id: int) -> str:
    survey, site = survey_or_404(survey_id)
    return _page(survey, site, saved_form(survey, site))


@admin.post("/surveys/<int:survey_id>")
@login_required
def survey_update(survey_id: int) -> str:
    survey, site = survey_or_404(survey_id, "owner")
    form = survey_form_class(survey)()
    if not form.validate_on_submit():
        return _page(survey, site, form)
    try:
        # A script may still post the triggers as JSON (the page's old box); the page posts its controls.
        legacy = request.form.get("triggers")
        triggers = parse_triggers(legacy) if legacy is not None else triggers_from_values(form.data)
    except ValueError as err:
        return _page(survey, site, form, trigger_errors=(str(err),))
    posted = posted_data(form)
    survey.questions = apply_texts(survey, posted)
    survey.triggers = triggers
    site.settings = with_site_texts(site.settings, edited_site_texts(site.settings, posted))
    get_state().session().commit()
    get_state().sites.invalidate(site.key)
    return _page(survey, site, saved_form(survey, site), saved=True)


@admin.post("/surveys/<int:survey_id>/look")
@login_required
def survey_look(survey_id: int) -> str:
    """The widget's colour, position and button, for the whole site (set from a survey's page)."""
    survey, site = survey_or_404(survey_id, "owner")
    form = saved_form(survey, site)
    look = WidgetLookForm()
    if not look.validate_on_submit():
        return _page(survey, site, form, look=look)
    site.settings = with_look(site.settings, look.color.data, look.position.data, bool(look.show_button.data))
    get_state().session().commit()
    get_state().sites.invalidate(site.key)
    return _page(survey, site, form, look_saved=True)


@admin.post("/surveys/<int:survey_id>/active")
@login_required
def survey_toggle(survey_id: int) -> Response:
    """Switch a survey on or off: the widget stops or starts asking it."""
    survey, site = survey_or_404(survey_id, "owner")
    if ButtonForm().validate_on_submit():
        survey.active = request.form.get("active") == "1"
        get_state().session().commit()
        get_state().sites.invalidate(site.key)
    return redirect(url_for("feedbackwidget.admin.site_detail", site_id=site.id) + "#surveys")


@admin.post("/sites/<int:site_id>/surveys")
@login_required
def survey_create(site_id: int) -> Response:
    """A new survey from a template, switched off until the owner has looked at it."""
    site = site_or_404(site_id, "owner")
    form = NewSurveyForm()
    if not form.validate_on_submit():
        abort(400, description=gettext("Choose a template and a short name of lowercase letters, digits, - and _."))
    db = get_state().session()
    position = (db.scalar(select(func.max(Survey.position)).where(Survey.site_id == site.id)) or 0) + 1
    try:
        survey = add_survey(db, site, form.template.data, slug=form.slug.data, position=position, active=False)
        db.commit()
    except IntegrityError:
        db.rollback()
        abort(409, description=gettext("This site already has a survey with that short name: choose another."))
    return redirect(url_for("feedbackwidget.admin.survey_detail", survey_id=survey.id))


@admin.get("/surveys/<int:survey_id>/preview")
@login_required
def survey_preview(survey_id: int) -> str:
    """The real widget showing the survey as saved, in the chosen language (``?in=hu``)."""
    survey, site = survey_or_404(survey_id)
    return _preview_page(survey, site, survey.questions, draft=False)


@admin.post("/surveys/<int:survey_id>/preview")
@login_required
def survey_preview_draft(survey_id: int) -> str:
    """The real widget showing the survey page's texts, or its look, as they are in the form, unsaved:
    each form's "Preview" button posts here, and nothing is stored (a wrong value shows on the survey page)."""
    survey, site = survey_or_404(survey_id)
    if "color" in request.form:
        return _preview_look(survey, site)
    form = survey_form_class(survey)()
    if not form.validate_on_submit():
        return _page(survey, site, form)
    posted = posted_data(form)
    settings = with_site_texts(site.settings, edited_site_texts(site.settings, posted))
    return _preview_page(survey, site, apply_texts(survey, posted), draft=True, settings=settings)


def _preview_look(survey: Survey, site: Site) -> str:
    """The saved texts in the widget's colour, position and button of the look form."""
    look = WidgetLookForm()
    if not look.validate_on_submit():
        return _page(survey, site, saved_form(survey, site), look=look)
    settings = with_look(site.settings, look.color.data, look.position.data, bool(look.show_button.data))
    return _preview_page(survey, site, survey.questions, draft=True, settings=settings)


def _preview_page(survey: Survey, site: Site, questions: list[dict[str, Any]], draft: bool,
                  settings: dict[str, Any] | None = None) -> str:
    locale = normalize_locale(request.args.get("in")) or admin_locale()
    return render_template("feedbackwidget/admin/survey_preview.html", survey=survey, site=site, locale=locale,
                           locales=SUPPORTED_LOCALES, draft=draft,
                           configs=preview_configs(site, survey, questions, settings))
