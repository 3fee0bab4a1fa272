"""Who is looking at the admin area, and what they may see.

Every admin view (this package's and the child blueprints of other areas) uses:

- :func:`login_required` on the view;
- :func:`current_admin` for the :class:`~feedbackwidget.core.models.AdminUser`;
- :func:`site_or_404` for every site id that came from a URL, form or query:
  a site the user does not belong to is a 404 whatever the role, a site they
  belong to with too small a role is a 403;
- :func:`visible_sites` / :func:`visible_site_ids` to scope lists and exports.

Roles are per site, ordered viewer < manager < owner; a superuser sees every site
as an owner.  Identity comes from the host app's loader when one is set (see
:func:`set_admin_user_loader`), else from feedbackwidget's own login session.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, url_for
from sqlalchemy import select
from werkzeug.utils import import_string

from ...core import config
from ...core.state import get_state
from ...core.i18n import N_
from ...core.models import AdminUser, Site, SiteMembership
from .sessions import session_user

ROLE_RANK: dict[str, int] = {"viewer": 1, "manager": 2, "owner": 3}
COOKIE_NAME = "fw_admin_session"
LOADER_KEY = "admin_user_loader"
HOST_PASSWORD_HASH = "!host-login"  # not an Argon2 hash: never matches a password
_G_KEY = "_feedbackwidget_admin_access"

F = TypeVar("F", bound=Callable[..., Any])


class NavItem(NamedTuple):
    """An entry of the admin navigation: shown when the endpoint exists and the
    user has *minimum_role* on at least one site.  The endpoint takes no arguments."""

    label: str
    endpoint: str
    minimum_role: str


# Other areas append their pages, e.g.
# ADMIN_NAV.append(NavItem(N_("Complaints"), "feedbackwidget.admin.complaints.index", "manager"))
ADMIN_NAV: list[NavItem] = [
    NavItem(N_("Dashboard"), "feedbackwidget.admin.dashboard", "viewer"),
    NavItem(N_("Responses"), "feedbackwidget.admin.responses", "viewer"),
    NavItem(N_("Sites"), "feedbackwidget.admin.sites", "viewer"),
]


@dataclass(frozen=True)
class HostAdmin:
    """What a host app's loader returns for its logged-in user.

    :param email: the user's e-mail (an admin account is created for it on first use).
    :param is_superuser: sees every site as an owner.
    :param roles: ``{site_key: "owner" | "manager" | "viewer"}``.
    :param locale: the admin area's language for this user (en, hu, zh), optional.
    """

    email: str
    is_superuser: bool = False
    roles: Mapping[str, str] = field(default_factory=dict)
    locale: str | None = None


AdminUserLoader = Callable[[], "HostAdmin | tuple[str, bool, Mapping[str, str]] | None"]


@dataclass
class AdminAccess:
    """The current request's admin: the account, whether superuser, roles by site id."""

    user: AdminUser
    is_superuser: bool
    roles: dict[int, str]
    via_host: bool = False
    locale: str | None = None  # the language the host's login gives, if any

    def role_on(self, site_id: int) -> str | None:
        return "owner" if self.is_superuser else self.roles.get(site_id)

    def has_role(self, site_id: int, minimum_role: str = "viewer") -> bool:
        role = self.role_on(site_id)
        return role is not None and ROLE_RANK.get(role, 0) >= ROLE_RANK[minimum_role]

    def has_role_anywhere(self, minimum_role: str = "viewer") -> bool:
        if self.is_superuser:
            return True
        return any(ROLE_RANK.get(role, 0) >= ROLE_RANK[minimum_role] for role in self.roles.values())


def set_admin_user_loader(app: Flask, loader: AdminUserLoader) -> AdminUserLoader:
    """Let *app*'s own login decide who the admin is (instead of feedbackwidget's login).

    *loader* is called in each admin request and returns a :class:`HostAdmin` (or a
    tuple ``(email, is_superuser, {site_key: role})``) for the host's current user,
    or None when nobody is logged in on the host (feedbackwidget's own login is then
    used).  Kept in the app's extension state; usable as ``set_admin_user_loader(app, fn)``.
    The same can be configured with ``FEEDBACKWIDGET_ADMIN_USER_LOADER`` (a callable
    or a dotted import path).
    """
    get_state(app).extras[LOADER_KEY] = loader
    return loader


def _configured_loader() -> AdminUserLoader | None:
    loader = get_state().extras.get(LOADER_KEY) or current_app.config.get(config.ADMIN_USER_LOADER)
    if isinstance(loader, str):
        loader = import_string(loader)
    return cast("AdminUserLoader | None", loader)


def _host_access(principal: HostAdmin | tuple[str, bool, Mapping[str, str]]) -> AdminAccess:
    if not isinstance(principal, HostAdmin):
        principal = HostAdmin(principal[0], bool(principal[1]), dict(principal[2]))
    db = get_state().session()
    email = principal.email.strip().lower()
    user = db.scalar(select(AdminUser).where(AdminUser.email == email))
    if user is None:
        user = AdminUser(email=email, password_hash=HOST_PASSWORD_HASH, is_superuser=False, locale="en")
        db.add(user)
        db.commit()
    keys = [key for key, role in principal.roles.items() if role in ROLE_RANK]
    ids = {row[0]: row[1] for row in db.execute(select(Site.key, Site.id).where(Site.key.in_(keys)))} if keys else {}
    roles = {ids[key]: principal.roles[key] for key in keys if key in ids}
    return AdminAccess(user, principal.is_superuser, roles, via_host=True, locale=principal.locale)


def _session_access() -> AdminAccess | None:
    db = get_state().session()
    idle = idle_timeout()
    user = session_user(db, request.cookies.get(COOKIE_NAME), idle)
    if user is None:
        return None
    rows = db.execute(select(SiteMembership.site_id, SiteMembership.role).where(SiteMembership.user_id == user.id))
    return AdminAccess(user, user.is_superuser, {row[0]: row[1] for row in rows})


def idle_timeout() -> dt.timedelta:
    """How long a session may stay unused (FEEDBACKWIDGET_ADMIN_IDLE_MINUTES)."""
    return dt.timedelta(minutes=float(current_app.config[config.ADMIN_IDLE_MINUTES]))


def current_access() -> AdminAccess | None:
    """The current request's :class:`AdminAccess`, or None when nobody is logged in."""
    if _G_KEY not in g:
        loader = _configured_loader()
        principal = loader() if loader is not None else None
        setattr(g, _G_KEY, _host_access(principal) if principal else _session_access())
    return cast("AdminAccess | None", g.get(_G_KEY))


def access() -> AdminAccess:
    """The current :class:`AdminAccess`; 401-style redirect is :func:`login_required`'s job."""
    found = current_access()
    if found is None:
        abort(401)
    return found


def current_admin() -> AdminUser:
    """The logged-in :class:`AdminUser` (call it inside a :func:`login_required` view)."""
    return access().user


def is_local_path(target: str | None) -> bool:
    """Whether *target* is a path on this host (``/x``), not ``//evil`` or ``https://evil``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page, coming back here afterwards."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_access() is None:
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("feedbackwidget.admin.login", next=target))
        return view(*args, **kwargs)

    return cast(F, wrapper)


def require_role(minimum_role: str) -> Callable[[F], F]:
    """Like :func:`login_required`, and 404 unless the user has *minimum_role* on some site."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not access().has_role_anywhere(minimum_role):
                abort(404)
            return view(*args, **kwargs)

        return login_required(cast(F, checked))

    return decorate


def site_or_404(site_id: int | str | None, minimum_role: str = "viewer") -> Site:
    """The site *site_id* if the user may see it with *minimum_role*.

    :raises NotFound: for an unknown site or one the user does not belong to.
    :raises Forbidden: when the user belongs to the site with a smaller role.
    """
    try:
        wanted = int(site_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        abort(404)
    current = access()
    site = get_state().session().get(Site, wanted)
    if site is None or current.role_on(site.id) is None:
        abort(404)
    if not current.has_role(site.id, minimum_role):
        abort(403)
    return site


def visible_sites(minimum_role: str = "viewer") -> list[Site]:
    """The sites the user may see with *minimum_role*, by name."""
    current = access()
    query = select(Site).order_by(Site.name, Site.id)
    if not current.is_superuser:
        ids = [sid for sid in current.roles if current.has_role(sid, minimum_role)]
        query = query.where(Site.id.in_(ids))
    return list(get_state().session().scalars(query))


def visible_site_ids(minimum_role: str = "viewer") -> list[int]:
    """Ids of :func:`visible_sites` (one query for a superuser, none otherwise)."""
    current = access()
    if current.is_superuser:
        return list(get_state().session().scalars(select(Site.id)))
    return sorted(sid for sid in current.roles if current.has_role(sid, minimum_role))


def nav_items() -> list[NavItem]:
    """The entries of :data:`ADMIN_NAV` this user may open (and that exist on this app)."""
    current = current_access()
    if current is None:
        return []
    return [item for item in ADMIN_NAV
            if item.endpoint in current_app.view_functions and current.has_role_anywhere(item.minimum_role)]
