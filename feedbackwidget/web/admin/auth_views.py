"""Logging in and out of the admin area (feedbackwidget's own login), and its CSRF check."""

from __future__ import annotations

import datetime as dt

from flask import current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.wrappers import Response
from wtforms import ValidationError

from ...core import config
from ...core.state import get_state
from ...core.i18n import N_
from ..ratelimit import client_ip
from . import admin
from .access import COOKIE_NAME, idle_timeout, is_local_path
from .forms import ButtonForm, LoginForm
from .locale import gettext
from .login_throttle import ThrottlePolicy, Throttled, network_key
from .sessions import authenticate, end_session, start_session

LOGIN_FAILED = N_("Wrong e-mail or password, or too many attempts: check them, or wait a few minutes and try again.")
NETWORK_THROTTLED = N_("Too many failed logins from your network. Try again in %(minutes)s minutes.")
ACCOUNT_THROTTLED = N_("Too many failed logins for this account. Try again in %(seconds)s seconds.")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def cookie_path() -> str:
    """Where the admin area's cookies apply: ``<prefix>/admin``."""
    return request.script_root + str(current_app.config[config.URL_PREFIX]) + "/admin"


def throttle_policy() -> ThrottlePolicy:
    """FEEDBACKWIDGET_ADMIN_MAX_FAILED_LOGINS per network in each FEEDBACKWIDGET_ADMIN_LOCKOUT_MINUTES."""
    return ThrottlePolicy(
        max_failures=int(current_app.config[config.ADMIN_MAX_FAILED_LOGINS]),
        window=dt.timedelta(minutes=float(current_app.config[config.ADMIN_LOCKOUT_MINUTES])),
    )


def client_network_key() -> str:
    """The throttling key of the client's network (behind FEEDBACKWIDGET_TRUSTED_PROXIES, the forwarded address)."""
    address = client_ip(request.environ, int(current_app.config[config.TRUSTED_PROXIES]))
    return network_key(address, get_state().secret_key)


def _after_login(target: str | None) -> str:
    return target if target is not None and is_local_path(target) else url_for("feedbackwidget.admin.dashboard")


@admin.before_request
def _check_csrf() -> None:
    """Every admin form POST (child blueprints' too) carries its page's CSRF token, or gets a 400 page."""
    if request.method not in UNSAFE_METHODS:
        return
    try:
        validate_csrf(request.form.get("csrf_token"), secret_key=get_state().secret_key.encode())
    except ValidationError as err:
        raise CSRFError(str(err)) from err


@admin.errorhandler(CSRFError)
def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    return render_template("feedbackwidget/admin/csrf_error.html", retry_url=_same_site_referrer()), 400


def _same_site_referrer() -> str | None:
    """The page the form was sent from, when it is a page of this host (to open it again)."""
    referrer, host = request.referrer or "", request.host_url
    path = "/" + referrer[len(host):] if referrer.startswith(host) else None
    return path if is_local_path(path) else None


def throttle_message(refused: Throttled) -> str:
    """What a refused attempt is told, in the admin's language."""
    if refused.subject == "network":
        return gettext(NETWORK_THROTTLED, minutes=max(1, -(-refused.retry_after // 60)))
    return gettext(ACCOUNT_THROTTLED, seconds=refused.retry_after)


def _throttled_page(form: LoginForm, refused: Throttled) -> tuple[str, int, dict[str, str]]:
    page = render_template("feedbackwidget/admin/login.html", form=form, failed=True,
                           message=throttle_message(refused))
    return page, 429, {"Retry-After": str(refused.retry_after)}


@admin.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """The login form; a success replaces any previous session by a new one."""
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("feedbackwidget/admin/login.html", form=form, failed=False)
    db = get_state().session()
    user = authenticate(db, form.email.data, form.password.data, client_network_key(), throttle_policy())
    if isinstance(user, Throttled):
        return _throttled_page(form, user)
    if user is None:
        return render_template("feedbackwidget/admin/login.html", form=form, failed=True,
                               message=gettext(LOGIN_FAILED)), 401
    end_session(db, request.cookies.get(COOKIE_NAME))
    token = start_session(db, user, request.headers.get("User-Agent", ""))
    db.commit()
    response = redirect(_after_login(form.next.data))
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="Lax", secure=request.is_secure,
                        path=cookie_path(), max_age=int(idle_timeout().total_seconds()) + 12 * 3600)
    return response


@admin.post("/logout")
def logout() -> Response:
    """End the session for good (its row is deleted) and forget the cookie."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("feedbackwidget.admin.dashboard"))
    db = get_state().session()
    end_session(db, request.cookies.get(COOKIE_NAME))
    db.commit()
    response = redirect(url_for("feedbackwidget.admin.login"))
    response.delete_cookie(COOKIE_NAME, path=cookie_path(), httponly=True, samesite="Lax", secure=request.is_secure)
    return response
