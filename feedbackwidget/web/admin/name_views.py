"""Display names: one's own on the account page, a member's set by an owner of their sites.

The name is how colleagues read a person in the complaint timeline ("Anna escalated to level 2").
"""

from __future__ import annotations

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from ...accounts.names import NameRefused, set_display_name
from ...core.i18n import N_
from ...core.models import AdminUser, Site
from ...core.state import get_state
from . import admin
from .access import access, login_required, site_or_404
from .account_forms import MemberNameForm, NameForm, name_form
from .account_views import ACCOUNT, account_page, may_change_member, member_or_404, member_page
from .locale import gettext

MEMBER_NAME = "feedbackwidget.admin.member_name"
NOT_YOUR_MEMBER = N_("%(email)s also has a role on a site you do not own, so only a superuser can change "
                     "their name.")


def _saved(user: AdminUser, form: NameForm) -> bool:
    """Store the posted name on *user*; False (with the error on the field) when it is refused."""
    if not form.validate_on_submit():
        return False
    try:
        set_display_name(user, form.display_name.data or "")
    except NameRefused as err:
        form.display_name.errors = [gettext(err.message)]
        return False
    get_state().session().commit()
    return True


@admin.post("/account/name")
@login_required
def account_name() -> Response | tuple[str, int]:
    """Store one's own display name (empty: the name made from the e-mail address)."""
    user = access().user
    form = name_form(user, posted=True)
    if not _saved(user, form):
        return account_page(name=form, status=400)
    return redirect(url_for(ACCOUNT, saved="name"))


def _member_name_page(site: Site, user: AdminUser, form: NameForm, status: int = 200) -> tuple[str, int]:
    return member_page("feedbackwidget/admin/member_name.html", site, user, form, status, NOT_YOUR_MEMBER)


@admin.route("/sites/<int:site_id>/members/<int:user_id>/name", methods=["GET", "POST"])
@login_required
def member_name(site_id: int, user_id: int) -> Response | tuple[str, int]:
    """An owner names a member of their site as colleagues will read them."""
    site = site_or_404(site_id, "owner")
    user = member_or_404(site, user_id)
    if request.method == "GET" or not may_change_member(user):
        return _member_name_page(site, user, name_form(user, MemberNameForm))
    form = name_form(user, MemberNameForm, posted=True)
    if not _saved(user, form):
        return _member_name_page(site, user, form, status=400)
    return redirect(url_for(MEMBER_NAME, site_id=site.id, user_id=user.id, saved=1))
