"""The admin area's language: chosen per request, never installed on the host app.

Order: ``?lang=`` (remembered on the account), the account's language, the
browser's Accept-Language, FEEDBACKWIDGET_DEFAULT_LOCALE.  Templates get ``_``
(translate through feedbackwidget's merged catalogs) and ``admin_locale``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request

from .. import config
from ..extension import get_state
from ..i18n import SUPPORTED_LOCALES, negotiate_locale, normalize_locale, translate
from .access import current_access

_G_KEY = "_feedbackwidget_admin_locale"
LANGUAGE_NAMES = {"en": "English", "hu": "Magyar", "zh": "中文"}


def _remember(locale: str) -> None:
    found = current_access()
    if found is not None and not found.via_host and found.user.locale != locale:
        found.user.locale = locale
        get_state().session().commit()


def admin_locale() -> str:
    """The language of the current admin request."""
    if _G_KEY not in g:
        asked = normalize_locale(request.args.get("lang"))
        if asked:
            _remember(asked)
        found = current_access()
        accepted = [lang for lang, _ in request.accept_languages]
        candidates = [asked, found.user.locale if found else None, *accepted]
        setattr(g, _G_KEY, negotiate_locale(candidates, current_app.config[config.DEFAULT_LOCALE]))
    return str(g.get(_G_KEY))


def gettext(message: str, **values: Any) -> str:
    """*message* in the admin's language, with ``%(name)s`` placeholders filled."""
    text = translate(admin_locale(), message)
    return text % values if values else text


def template_context() -> dict[str, Any]:
    return {"_": gettext, "admin_locale": admin_locale(), "admin_languages": LANGUAGE_NAMES,
            "supported_locales": SUPPORTED_LOCALES}
