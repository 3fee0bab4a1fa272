"""The admin area's language: chosen per request, never installed on the host app.

Order: ``?lang=`` (remembered in a cookie for this browser: a GET changes nothing
stored; the account's language is saved by a POST of the account page), that cookie, the
language a host app's login gives, the browser's Accept-Language, the account's
language, FEEDBACKWIDGET_DEFAULT_LOCALE.  Templates get ``_`` (translate through
feedbackwidget's merged catalogs) and ``admin_locale``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from werkzeug.wrappers import Response

from ...core import config
from ...core.i18n import SUPPORTED_LOCALES, negotiate_locale, normalize_locale, translate, translate_plural
from .access import current_access

_G_KEY = "_feedbackwidget_admin_locale"
_CHOSEN_KEY = "_feedbackwidget_admin_locale_chosen"
COOKIE_NAME = "fw_admin_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
LANGUAGE_NAMES = {"en": "English", "hu": "Magyar", "zh": "中文"}


def choose_locale(locale: str) -> None:
    """Show *locale* on this browser from now on (kept in a cookie by :func:`remember_choice`)."""
    setattr(g, _CHOSEN_KEY, locale)
    setattr(g, _G_KEY, locale)


def admin_locale() -> str:
    """The language of the current admin request."""
    if _G_KEY not in g:
        asked = normalize_locale(request.args.get("lang"))
        if asked:
            setattr(g, _CHOSEN_KEY, asked)
        found = current_access()
        host_locale = found.locale if found is not None else None
        account_locale = found.user.locale if found is not None else None
        accepted = [lang for lang, _ in request.accept_languages]
        candidates = [asked, request.cookies.get(COOKIE_NAME), host_locale, *accepted, account_locale]
        setattr(g, _G_KEY, negotiate_locale(candidates, current_app.config[config.DEFAULT_LOCALE]))
    return str(g.get(_G_KEY))


def remember_choice(response: Response, cookie_path: str) -> None:
    """Keep a ``?lang=`` choice in a cookie for the next pages."""
    chosen = g.get(_CHOSEN_KEY)
    if chosen:
        response.set_cookie(COOKIE_NAME, chosen, max_age=COOKIE_MAX_AGE, path=cookie_path, httponly=True,
                            samesite="Lax", secure=request.is_secure)


def gettext(message: str, **values: Any) -> str:
    """*message* in the admin's language, with ``%(name)s`` placeholders filled."""
    text = translate(admin_locale(), message)
    return text % values if values else text


def ngettext(singular: str, plural: str, num: int, **values: Any) -> str:
    """*singular* or *plural* by *num* in the admin's language; ``%(num)s`` and the *values* filled."""
    return translate_plural(admin_locale(), singular, plural, num) % {"num": num, **values}


def template_context() -> dict[str, Any]:
    return {"_": gettext, "ngettext": ngettext, "admin_locale": admin_locale(), "admin_languages": LANGUAGE_NAMES,
            "supported_locales": SUPPORTED_LOCALES}
