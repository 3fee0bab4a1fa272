"""Sites: the list, a new site, settings, the embed snippet and who may see the site."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ...delivery import invalidate_delivery
from ...core.state import get_state
from ...core.models import Site, Survey
from ...core.public_url import embed_snippet, public_base_url
from ...sites.refusals import REASON_TEXTS, recent_refusals
from ...provisioning import create_site
from ...sites import normalize_origin
from . import admin
from .access import access, current_admin, login_required, site_or_404, visible_sites
from .forms import ButtonForm, MemberForm, NewSiteForm, NewSurveyForm, SiteForm, role_choices
from .locale import gettext
from .site_settings import SettingsError, SiteChanges, add_member, members_of, remove_member, site_values, update_site


def embed_snippet_for(site: Site) -> str:
    """The one tag a shop pastes into its pages."""
    return embed_snippet(public_base_url(current_app).url, site.key)


def _field_errors(form: SiteForm | MemberForm, err: SettingsError) -> None:
    for name, messages in err.messages(gettext).items():
        getattr(form, name).errors = [*getattr(form, name).errors, *messages]


@admin.get("/sites")
@login_required
def sites() -> str:
    return render_template("feedbackwidget/admin/sites.html", sites=visible_sites(),
                           new_form=NewSiteForm(formdata=None) if access().is_superuser else None)


@admin.post("/sites")
@login_required
def create_site_view() -> Response | str:
    """A new site (superusers only), with an NPS survey to start from."""
    if not access().is_superuser:
        abort(403)
    form = NewSiteForm()
    if form.validate_on_submit():
        try:
            site = create_site(get_state().session(), form.name.data, form.allowed_origins.data.split(),
                               default_locale=form.default_locale.data)
        except ValueError:
            form.allowed_origins.errors = [gettext("Write each origin as https://shop.example (no path), one a line.")]
        else:
            get_state().session().commit()
            return redirect(url_for("feedbackwidget.admin.site_detail", site_id=site.id))
    return render_template("feedbackwidget/admin/sites.html", sites=visible_sites(), new_form=form)


def _site_page(site: Site, form: SiteForm, member_form: MemberForm | None = None, saved: bool = False) -> str:
    db = get_state().session()
    is_owner = access().has_role(site.id, "owner")
    surveys = db.query(Survey).filter(Survey.site_id == site.id).order_by(Survey.position, Survey.id).all()
    survey_form = NewSurveyForm(formdata=None)
    member_form = member_form or MemberForm(formdata=None)
    member_form.role.choices = role_choices(gettext)
    return render_template(
        "feedbackwidget/admin/site.html", site=site, form=form, is_owner=is_owner, saved=saved,
        snippet=embed_snippet_for(site), surveys=surveys, survey_form=survey_form,
        members=members_of(db, site) if is_owner else [], member_form=member_form,
        button=ButtonForm(formdata=None), me=current_admin(), refusals=recent_refusals(db, site.id), reason_texts=REASON_TEXTS,
    )


@admin.get("/sites/<int:site_id>")
@login_required
def site_detail(site_id: int) -> str:
    site = site_or_404(site_id)
    return _site_page(site, SiteForm(formdata=None, data=site_values(site)))


@admin.post("/sites/<int:site_id>")
@login_required
def site_update(site_id: int) -> str:
    """Save an owner's changes; the widget sees them once its cached copy is refreshed."""
    site = site_or_404(site_id, "owner")
    form = SiteForm()
    if not form.validate_on_submit():
        return _site_page(site, form)
    changes = SiteChanges(form.name.data, form.origins(), form.default_locale.data, form.emails(), form.categories(),
                          form.privacy_policy_url.data, form.privacy_policy_version.data, form.time_zone.data or "")
    try:
        update_site(site, changes)
    except SettingsError as err:
        _field_errors(form, err)
        return _site_page(site, form)
    get_state().session().commit()
    get_state().sites.invalidate(site.key)
    invalidate_delivery(current_app._get_current_object(), site.id)  # type: ignore[attr-defined]
    return _site_page(site, SiteForm(formdata=None, data=site_values(site)), saved=True)


@admin.post("/sites/<int:site_id>/members")
@login_required
def add_member_view(site_id: int) -> Response | str:
    site = site_or_404(site_id, "owner")
    form = MemberForm()
    if form.validate_on_submit():
        try:
            add_member(get_state().session(), site, form.email.data, form.role.data, form.password.data)
        except SettingsError as err:
            _field_errors(form, err)
        else:
            get_state().session().commit()
            return redirect(url_for("feedbackwidget.admin.site_detail", site_id=site.id))
    return _site_page(site, SiteForm(formdata=None, data=site_values(site)), member_form=form)


@admin.post("/sites/<int:site_id>/members/<int:user_id>/remove")
@login_required
def remove_member_view(site_id: int, user_id: int) -> Response:
    site = site_or_404(site_id, "owner")
    if ButtonForm().validate_on_submit() and user_id != current_admin().id:
        remove_member(get_state().session(), site, user_id)
        get_state().session().commit()
    return redirect(url_for("feedbackwidget.admin.site_detail", site_id=site.id))


@admin.post("/sites/<int:site_id>/origins")
@login_required
def allow_origin_view(site_id: int) -> Response:
    """An owner's "Allow this origin" for a refused origin: added to the site's allowed origins."""
    site = site_or_404(site_id, "owner")
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        origin = normalize_origin(request.form.get("origin", ""))
    except ValueError:
        abort(400)
    site.allowed_origins = sorted({*site.allowed_origins, origin})
    get_state().session().commit()
    get_state().sites.invalidate(site.key)
    return redirect(url_for("feedbackwidget.admin.site_detail", site_id=site.id, _anchor="refused"))
