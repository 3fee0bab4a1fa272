"""Logging in and out of the admin area (feedbackwidget's own login)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .. import config
from ..extension import get_state
from ..i18n import N_
from . import admin
from .access import COOKIE_NAME, idle_timeout, is_local_path
from .forms import ButtonForm, LoginForm
from .locale import gettext
from .sessions import ThrottlePolicy, authenticate, end_session, start_session

LOGIN_FAILED = N_("Wrong e-mail or password, or too many attempts: check them, or wait a few minutes and try again.")


def cookie_path() -> str:
    """Where the admin area's cookies apply: ``<prefix>/admin``."""
    return request.script_root + str(current_app.config[config.URL_PREFIX]) + "/admin"


def _throttle_policy() -> ThrottlePolicy:
    return ThrottlePolicy(
        max_failures=int(current_app.config[config.ADMIN_MAX_FAILED_LOGINS]),
        lockout=dt.timedelta(minutes=float(current_app.config[config.ADMIN_LOCKOUT_MINUTES])),
    )


def _after_login(target: str | None) -> str:
    return target if target is not None and is_local_path(target) else url_for("feedbackwidget.admin.dashboard")


@admin.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """The login form; a success replaces any previous session by a new one."""
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("feedbackwidget/admin/login.html", form=form, failed=False)
    db = get_state().session()
    user = authenticate(db, form.email.data, form.password.data, _throttle_policy())
    if user is None:
        return render_template("feedbackwidget/admin/login.html", form=form, failed=True,
                               message=gettext(LOGIN_FAILED)), 401
    end_session(db, request.cookies.get(COOKIE_NAME))
    token = start_session(db, user)
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
