"""The account page (name, language, password, sessions) and an owner's reset of a member's password.

Passwords are verified and hashed with no transaction open (on SQLite a transaction
holds the write lock); a new password ends the account's other sessions.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from ...accounts import PasswordRejected, check_new_password, hash_password
from ...core.state import get_state
from ...core.i18n import N_
from ...core.models import AdminUser, Site, SiteMembership
from . import admin
from .access import COOKIE_NAME, access, current_admin, idle_timeout, login_required, site_or_404
from .account_forms import ChangePasswordForm, LanguageForm, NameForm, NewPasswordForm, name_form
from .auth_views import client_network_key, throttle_message, throttle_policy
from .devices import device_parts
from ..forms import ProtectedForm
from .forms import ButtonForm
from .locale import choose_locale, gettext
from .login_throttle import Throttled, account_key, clear_account
from .sessions import authenticate, end_other_sessions, end_user_session, is_current, sessions_of

ACCOUNT = "feedbackwidget.admin.account"
MEMBER_PASSWORD = "feedbackwidget.admin.member_password"
NOTICES = {
    "language": N_("Your language was saved."),
    "name": N_("Your name was saved: colleagues read it in the complaint timeline."),
    "password": N_("Your password was changed, and your other sessions were ended."),
    "session": N_("The session was ended: that browser has to log in again."),
}
CURRENT_PASSWORD_WRONG = N_("This is not your current password.")
NOT_YOUR_MEMBER = N_("%(email)s also has a role on a site you do not own, so only a superuser can change "
                     "their password.")


def _device(user_agent: str) -> str:
    browser, system = device_parts(user_agent)
    if browser and system:
        return gettext("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or gettext("Unknown browser")


def account_page(language_form: LanguageForm | None = None, password_form: ChangePasswordForm | None = None,
                 name: NameForm | None = None, status: int = 200) -> tuple[str, int]:
    """The account page, with the forms given (posted ones keep what was typed and their errors)."""
    found = access()
    token = request.cookies.get(COOKIE_NAME)
    sessions = [] if found.via_host else sessions_of(get_state().session(), found.user.id, idle_timeout())
    page = render_template(
        "feedbackwidget/admin/account.html",
        language_form=language_form or LanguageForm(formdata=None, locale=found.user.locale),
        name_form=name or name_form(found.user),
        password_form=None if found.via_host else password_form or ChangePasswordForm(formdata=None),
        sessions=[(row, _device(row.user_agent), is_current(row, token)) for row in sessions],
        notice=NOTICES.get(request.args.get("saved", "")), button=ButtonForm(formdata=None),
    )
    return page, status


@admin.get("/account")
@login_required
def account() -> tuple[str, int]:
    """One's own account: the admin area's language, the password, the logged-in browsers."""
    return account_page()


@admin.post("/account/language")
@login_required
def account_language() -> Response | tuple[str, int]:
    """Store the account's language (``?lang=`` only changes what this browser shows)."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return account_page(language_form=form, status=400)
    access().user.locale = form.locale.data
    get_state().session().commit()
    choose_locale(form.locale.data)
    return redirect(url_for(ACCOUNT, saved="language"))


def _new_password_error(form: NewPasswordForm) -> bool:
    """Put the reason a new password is refused on its field; whether there was one."""
    try:
        check_new_password(form.new_password.data)
    except PasswordRejected as err:
        form.new_password.errors = [gettext(err.message, **err.values)]
        return True
    return False


def _current_password_error(form: ChangePasswordForm, user: AdminUser) -> int | None:
    """Check the current password (throttled like a login); the status to answer with when wrong."""
    checked = authenticate(get_state().session(), user.email, form.current_password.data, client_network_key(),
                           throttle_policy())
    if isinstance(checked, Throttled):
        form.current_password.errors = [throttle_message(checked)]
        return 429
    if checked is None:
        form.current_password.errors = [gettext(CURRENT_PASSWORD_WRONG)]
        return 400
    return None


def _store_password(user: AdminUser, password: str, keep_token: str | None) -> None:
    db = get_state().session()
    user_id = user.id
    db.commit()  # Argon2 runs with no transaction open
    password_hash = hash_password(password)
    db.get_one(AdminUser, user_id).password_hash = password_hash
    end_other_sessions(db, user_id, keep_token)
    db.commit()


@admin.post("/account/password")
@login_required
def account_password() -> Response | tuple[str, int]:
    """Change one's own password: the current one is required; the other sessions end."""
    found = access()
    if found.via_host:
        abort(404)
    form = ChangePasswordForm()
    if not form.validate_on_submit() or _new_password_error(form):
        return account_page(password_form=form, status=400)
    status = _current_password_error(form, found.user)
    if status is not None:
        return account_page(password_form=form, status=status)
    _store_password(found.user, form.new_password.data, request.cookies.get(COOKIE_NAME))
    return redirect(url_for(ACCOUNT, saved="password"))


@admin.post("/account/sessions/<session_id>/end")
@login_required
def account_end_session(session_id: str) -> Response:
    """Log one of one's browsers out (its session row is deleted)."""
    db = get_state().session()
    ended = end_user_session(db, current_admin().id, session_id)
    db.commit()
    if not ended:
        abort(404)
    return redirect(url_for(ACCOUNT, saved="session"))


def member_or_404(site: Site, user_id: int) -> AdminUser:
    db = get_state().session()
    is_member = db.scalar(select(SiteMembership.role).where(SiteMembership.site_id == site.id,
                                                            SiteMembership.user_id == user_id))
    user = db.get(AdminUser, user_id) if is_member and user_id != current_admin().id else None
    if user is None:
        abort(404)
    return user


def may_change_member(user: AdminUser) -> bool:
    """Only for someone whose every role is on a site the current admin owns (no way into other sites)."""
    if user.is_superuser:
        return False
    site_ids = get_state().session().scalars(select(SiteMembership.site_id).where(SiteMembership.user_id == user.id))
    return all(access().has_role(site_id, "owner") for site_id in site_ids)


def member_page(template: str, site: Site, user: AdminUser, form: ProtectedForm, status: int = 200,
                refusal: str = NOT_YOUR_MEMBER) -> tuple[str, int]:
    """A page where an owner changes a member (*template*): a 403 saying *refusal* when they may not."""
    refused = None if may_change_member(user) else gettext(refusal, email=user.email)
    page = render_template(template, site=site, member=user, form=form, refused=refused,
                           saved=request.args.get("saved") == "1")
    return page, 403 if refused else status


def _member_page(site: Site, user: AdminUser, form: NewPasswordForm, status: int = 200) -> tuple[str, int]:
    return member_page("feedbackwidget/admin/member_password.html", site, user, form, status)


@admin.route("/sites/<int:site_id>/members/<int:user_id>/password", methods=["GET", "POST"])
@login_required
def member_password(site_id: int, user_id: int) -> Response | tuple[str, int]:
    """An owner sets a new password for a member of their site; the member's sessions end."""
    site = site_or_404(site_id, "owner")
    user = member_or_404(site, user_id)
    form = NewPasswordForm()
    if request.method == "GET" or not may_change_member(user):
        return _member_page(site, user, NewPasswordForm(formdata=None))
    if not form.validate_on_submit() or _new_password_error(form):
        return _member_page(site, user, form, status=400)
    _store_password(user, form.new_password.data, keep_token=None)
    clear_account(get_state().session(), account_key(user.email))
    get_state().session().commit()
    return redirect(url_for(MEMBER_PASSWORD, site_id=site.id, user_id=user.id, saved=1))
