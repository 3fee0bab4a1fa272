"""Surveys: a new one from a template, question texts (and 0-10 anchors) per language, triggers, on/off, preview."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from ...core.state import get_state
from ...core.i18n import N_, SUPPORTED_LOCALES, normalize_locale
from ...core.models import Site, Survey
from ...provisioning import add_survey
from ...surveys.questions import SCALE_ENDS, question_scale
from .survey_preview import preview_configs
from .trigger_fields import trigger_values, triggers_from_values
from ..widget.look import with_look
from ..widget.site_config import public_widget_settings
from ..widget.triggers import validate_triggers
from . import admin
from .access import access, login_required, site_or_404
from ..forms import OneLine, ProtectedForm
from .forms import POSITION_LABELS, ButtonForm, NewSurveyForm, SurveyTriggersForm, WidgetLookForm
from .locale import admin_locale, gettext

TEXT_MAX = 500
#: Each kind of question in words, for its section's heading.
QUESTION_KINDS = {"nps": N_("a score from 0 to 10"), "csat": N_("a satisfaction rating"),
                  "yes_no": N_("yes or no"), "choice": N_("a choice of answers"), "text": N_("a written answer")}


def survey_or_404(survey_id: int, minimum_role: str = "viewer") -> tuple[Survey, Site]:
    """The survey and its site, if the user may see it with *minimum_role* (else 404/403)."""
    survey = get_state().session().get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey, site_or_404(survey.site_id, minimum_role)


def text_field_name(question_key: str, locale: str, option: str | None = None) -> str:
    return f"text__{question_key}__{option or ''}__{locale}"


def scale_field_name(question_key: str, end: str, locale: str) -> str:
    return f"scale__{question_key}__{end}__{locale}"


#: The follow-up text a customer reads after a score in each band, named by the band's scores.
BAND_LABELS = {"detractor": N_("The question after a score of 0 to 6"),
               "passive": N_("The question after a score of 7 or 8"),
               "promoter": N_("The question after a score of 9 or 10")}


def band_field_name(question_key: str, band: str, locale: str) -> str:
    return f"band__{question_key}__{band}__{locale}"


def names_of(question_key: str, option: str | None = None, end: str | None = None,
             band: str | None = None) -> list[str]:
    """The form's fields of one text in every language (the question's, an answer's, a 0-10 anchor's or
    a band's follow-up)."""
    if band:
        return [band_field_name(question_key, band, locale) for locale in SUPPORTED_LOCALES]
    if end:
        return [scale_field_name(question_key, end, locale) for locale in SUPPORTED_LOCALES]
    return [text_field_name(question_key, locale, option) for locale in SUPPORTED_LOCALES]


def survey_form_class(survey: Survey) -> type[ProtectedForm]:
    """A form with one field per question (option, 0-10 anchor) text per language, plus the trigger controls."""
    fields: dict[str, Any] = {}
    one_line = [Length(max=TEXT_MAX), OneLine()]
    for question in survey.questions:
        ends = SCALE_ENDS if question["type"] == "nps" else ()
        for locale in SUPPORTED_LOCALES:
            fields[text_field_name(question["key"], locale)] = TextAreaField(locale, validators=one_line)
            for option in question.get("options", []):
                name = text_field_name(question["key"], locale, option["value"])
                fields[name] = StringField(locale, validators=one_line)
            for end in ends:
                fields[scale_field_name(question["key"], end, locale)] = StringField(locale, validators=one_line)
            for band in question.get("text_by_band") or {}:
                fields[band_field_name(question["key"], band, locale)] = TextAreaField(locale, validators=one_line)
    return type("SurveyForm", (SurveyTriggersForm,), fields)


def survey_values(survey: Survey) -> dict[str, Any]:
    """The form's values: the stored texts; a 0-10 question stored without anchors shows the defaults."""
    values: dict[str, Any] = trigger_values(survey.triggers)
    for question in survey.questions:
        for locale in SUPPORTED_LOCALES:
            values[text_field_name(question["key"], locale)] = question.get("text", {}).get(locale, "")
            for option in question.get("options", []):
                values[text_field_name(question["key"], locale, option["value"])] = option["text"].get(locale, "")
            for band, texts in (question.get("text_by_band") or {}).items():
                values[band_field_name(question["key"], band, locale)] = texts.get(locale, "")
        if question["type"] == "nps":
            values.update({scale_field_name(question["key"], end, locale): texts.get(locale, "")
                           for end, texts in question_scale(question).items() for locale in SUPPORTED_LOCALES})
    return values


def _edited_scale(question: dict[str, Any], data: dict[str, Any]) -> dict[str, dict[str, str]] | None:
    """A 0-10 question's anchors with the texts of the form (an empty text keeps the old one); None
    while a question stored without anchors keeps the defaults, so they stay translated by the server."""
    current = question_scale(question)
    edited = {end: {loc: text for loc in SUPPORTED_LOCALES
                    if (text := data.get(scale_field_name(question["key"], end, loc)) or texts.get(loc, ""))}
              for end, texts in current.items()}
    return edited if question.get("scale") or edited != current else None


def apply_texts(survey: Survey, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The survey's questions with the texts of the form; an empty text keeps the old one."""
    questions = []
    for question in survey.questions:
        texts = {loc: data.get(text_field_name(question["key"], loc)) or question["text"].get(loc, "")
                 for loc in SUPPORTED_LOCALES}
        options = [dict(o, text={loc: data.get(text_field_name(question["key"], loc, o["value"])) or o["text"].get(loc, "")
                                 for loc in SUPPORTED_LOCALES}) for o in question.get("options", [])]
        scale = _edited_scale(question, data) if question["type"] == "nps" else None
        bands = {band: {loc: data.get(band_field_name(question["key"], band, loc)) or old.get(loc, "")
                        for loc in SUPPORTED_LOCALES} for band, old in (question.get("text_by_band") or {}).items()}
        questions.append(dict(question, text=texts, **({"options": options} if options else {}),
                              **({"text_by_band": bands} if bands else {}),
                              **({"scale": scale} if scale else {})))
    return questions


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


def missing_texts(survey: Survey, filled: set[str]) -> dict[str, int]:
    """``{locale: how many of the texts a customer can read are empty in it}`` (the question, each
    answer, a 0-10 question's anchors, the follow-up's texts by band)."""
    groups = [names_of(q["key"]) for q in survey.questions]
    groups += [names_of(q["key"], option=o["value"]) for q in survey.questions for o in q.get("options", [])]
    groups += [names_of(q["key"], end=end) for q in survey.questions if q["type"] == "nps" for end in SCALE_ENDS]
    groups += [names_of(q["key"], band=band) for q in survey.questions for band in q.get("text_by_band") or {}]
    return {locale: sum(names[i] not in filled for names in groups) for i, locale in enumerate(SUPPORTED_LOCALES)}


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
                           filled=filled, missing=missing_texts(survey, filled),
                           locales=SUPPORTED_LOCALES, field_name=text_field_name, scale_field=scale_field_name,
                           scale_ends=SCALE_ENDS, button=ButtonForm(formdata=None),
                           is_owner=access().has_role(site.id, "owner"))


@admin.get("/surveys/<int:survey_id>")
@login_required
def survey_detail(survey_id: int) -> str:
    survey, site = survey_or_404(survey_id)
    return _page(survey, site, survey_form_class(survey)(formdata=None, data=survey_values(survey)))


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
    survey.questions = apply_texts(survey, form.data)
    survey.triggers = triggers
    get_state().session().commit()
    get_state().sites.invalidate(site.key)
    return _page(survey, site, survey_form_class(survey)(formdata=None, data=survey_values(survey)), saved=True)


@admin.post("/surveys/<int:survey_id>/look")
@login_required
def survey_look(survey_id: int) -> str:
    """The widget's colour, position and button, for the whole site (set from a survey's page)."""
    survey, site = survey_or_404(survey_id, "owner")
    form = survey_form_class(survey)(formdata=None, data=survey_values(survey))
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
    return _preview_page(survey, site, apply_texts(survey, form.data), draft=True)


def _preview_look(survey: Survey, site: Site) -> str:
    """The saved texts in the widget's colour, position and button of the look form."""
    look = WidgetLookForm()
    if not look.validate_on_submit():
        return _page(survey, site, survey_form_class(survey)(formdata=None, data=survey_values(survey)), look=look)
    settings = with_look(site.settings, look.color.data, look.position.data, bool(look.show_button.data))
    return _preview_page(survey, site, survey.questions, draft=True, settings=settings)


def _preview_page(survey: Survey, site: Site, questions: list[dict[str, Any]], draft: bool,
                  settings: dict[str, Any] | None = None) -> str:
    locale = normalize_locale(request.args.get("in")) or admin_locale()
    return render_template("feedbackwidget/admin/survey_preview.html", survey=survey, site=site, locale=locale,
                           locales=SUPPORTED_LOCALES, draft=draft,
                           configs=preview_configs(site, survey, questions, settings))
