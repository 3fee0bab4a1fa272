"""A host app's own login for the admin area, and create-admin on the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.web.admin.access import HostAdmin, set_admin_user_loader
from feedbackwidget.core.models import AdminUser, Site, SiteMembership
from feedbackwidget.provisioning import create_site


def test_the_host_login_decides_who_sees_which_site(make_app: Callable[..., Flask], site: Site, db: Session) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    app = make_app()
    users = {"ann": HostAdmin("ann@host.example", roles={site.key: "viewer"}, locale="hu")}

    @app.before_request
    def host_login() -> None:  # the host's own session, here a header for brevity
        from flask import request

        g.host_user = users.get(request.headers.get("X-Host-User", ""))

    set_admin_user_loader(app, lambda: g.get("host_user"))
    client = app.test_client()

    assert client.get("/feedback/admin/").status_code == 302  # nobody logged in on the host
    page = client.get("/feedback/admin/sites", headers={"X-Host-User": "ann"})
    assert page.status_code == 200 and "Test Shop" in page.text and "Other Shop" not in page.text
    assert "Log out" not in page.text and "Webhelyek" in page.text
    assert client.get(f"/feedback/admin/sites/{other.id}", headers={"X-Host-User": "ann"}).status_code == 404
    from .conftest import csrf_token

    token = csrf_token(client.get(f"/feedback/admin/sites/{site.id}", headers={"X-Host-User": "ann"}).text)
    assert client.post(f"/feedback/admin/sites/{site.id}", headers={"X-Host-User": "ann"},
                       data={"csrf_token": token}).status_code == 403
    account = db.scalar(select(AdminUser).where(AdminUser.email == "ann@host.example"))
    assert account is not None and not account.is_superuser


def test_the_loader_can_be_named_in_the_config(make_app: Callable[..., Flask], site: Site) -> None:
    app = make_app(FEEDBACKWIDGET_ADMIN_USER_LOADER=lambda: ("boss@host.example", True, {}))
    page = app.test_client().get("/feedback/admin/sites")
    assert page.status_code == 200 and "Test Shop" in page.text


def test_create_admin_with_a_role_per_site(app: Flask, site: Site, db: Session) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["feedbackwidget", "create-admin", "mia@shop.example", "--password", "long password",
                                 "--site", site.key, "--role", "owner", "--site", other.key, "--role", "viewer"])
    assert result.exit_code == 0, result.output
    rows: Any = db.execute(select(Site.name, SiteMembership.role).join(Site, Site.id == SiteMembership.site_id)
                           .join(AdminUser, AdminUser.id == SiteMembership.user_id)
                           .where(AdminUser.email == "mia@shop.example").order_by(Site.name))
    assert [tuple(r) for r in rows] == [("Other Shop", "viewer"), ("Test Shop", "owner")]

    superuser = runner.invoke(args=["feedbackwidget", "create-admin", "root@shop.example", "--password", "long password"])
    assert superuser.exit_code == 0 and "superuser" in superuser.output
