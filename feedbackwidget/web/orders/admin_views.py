"""The admin's Orders page of a site (owners only): the API secret, the platforms'
signing secrets and a CSV import.  Thin: the work is in the orders area's functions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..admin.access import ADMIN_NAV, NavItem, current_admin, require_role, site_or_404, visible_sites
from ..admin.forms import ButtonForm
from ..admin.locale import gettext
from ...core.state import get_state
from ..forms import ProtectedForm
from ...core.i18n import N_
from ...core.models import Site, utcnow
from ...core.public_url import public_base_url
from ...orders.credentials import (
    MAX_PLATFORM_SECRET,
    api_secret_info,
    new_api_secret,
    platforms_configured,
    set_platform_secret,
)
from ...orders.csv_import import COLUMNS, ImportReport, UnreadableFile, decode_upload, import_orders
from ...orders.models import PLATFORMS

orders_admin = Blueprint("orders", __name__)
ADMIN_NAV.append(NavItem(N_("Orders"), "feedbackwidget.admin.orders.index", "owner"))
OWNER = "owner"
PLATFORM_NAMES = {"shopify": "Shopify", "woocommerce": "WooCommerce"}


class PlatformSecretForm(ProtectedForm):
    platform = SelectField(N_("Platform"), choices=[SelectChoice(p, PLATFORM_NAMES[p]) for p in PLATFORMS])
    secret = PasswordField(N_("Signing secret"), validators=[DataRequired(N_("Paste the signing secret.")),
                                                              Length(max=MAX_PLATFORM_SECRET)])


class ImportForm(ProtectedForm):
    file = FileField(N_("CSV file"), validators=[FileRequired(N_("Choose a CSV file."))])


@orders_admin.get("/")
@require_role(OWNER)
def index() -> Response | str:
    """The sites this user owns; the one site's page straight away when there is one."""
    sites = visible_sites(OWNER)
    if len(sites) == 1:
        return redirect(url_for(".site_orders", site_id=sites[0].id))
    return render_template("feedbackwidget/admin/orders_sites.html", sites=sites)


def _page(site: Site, **extra: Any) -> str:
    session = get_state().session()
    base = public_base_url(current_app).url
    return render_template(
        "feedbackwidget/admin/orders.html", site=site, secret=api_secret_info(session, site.id),
        configured=platforms_configured(session, site.id), platform_names=PLATFORM_NAMES,
        hook_urls={p: f"{base}/hooks/{p}/{site.key}" for p in PLATFORMS},
        orders_url=f"{base}/api/v1/sites/{site.key}/orders", columns=COLUMNS,
        button=ButtonForm(formdata=None), platform_form=extra.pop("platform_form", None)
        or PlatformSecretForm(formdata=None), import_form=extra.pop("import_form", None) or ImportForm(formdata=None),
        done=request.args.get("done"), **extra,
    )


@orders_admin.get("/<int:site_id>")
@require_role(OWNER)
def site_orders(site_id: int) -> str:
    return _page(site_or_404(site_id, OWNER))


@orders_admin.post("/<int:site_id>/api-secret")
@require_role(OWNER)
def create_api_secret(site_id: int) -> Response | str:
    """A new API secret, shown on this answer only (never stored readable, never cached)."""
    site = site_or_404(site_id, OWNER)
    if not ButtonForm().validate():
        return redirect(url_for(".site_orders", site_id=site.id))
    session = get_state().session()
    new_secret = new_api_secret(session, site.id, created_by=current_admin().email)
    session.commit()
    response = current_app.make_response(_page(site, new_secret=new_secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@orders_admin.post("/<int:site_id>/platform-secret")
@require_role(OWNER)
def store_platform_secret(site_id: int) -> Response | str:
    site = site_or_404(site_id, OWNER)
    form = PlatformSecretForm()
    if not form.validate():
        return _page(site, platform_form=form)
    session = get_state().session()
    try:
        set_platform_secret(session, site.id, form.platform.data, form.secret.data)
    except ValueError:
        form.secret.errors = [gettext("Paste the signing secret on one line, as the platform shows it.")]
        return _page(site, platform_form=form)
    session.commit()
    return redirect(url_for(".site_orders", site_id=site.id, done=form.platform.data))


@orders_admin.post("/<int:site_id>/import")
@require_role(OWNER)
def import_csv(site_id: int) -> str:
    site = site_or_404(site_id, OWNER)
    form = ImportForm()
    if not form.validate():
        return _page(site, import_form=form)
    session = get_state().session()
    try:
        report: ImportReport = import_orders(session, site.id, decode_upload(form.file.data.read()), utcnow())
    except UnreadableFile as err:
        return _page(site, import_form=form, unreadable=err.text(gettext))
    session.commit()
    return _page(site, report=report)
