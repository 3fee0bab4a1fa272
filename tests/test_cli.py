"""The command line a shop owner uses: flask --app feedbackwidget feedbackwidget ..."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.accounts import verify_password
from feedbackwidget.migrations import head_revisions
from feedbackwidget.core.models import AdminUser, Response, Site, SiteMembership, Survey
from feedbackwidget.provisioning import create_site


def run(app: Flask, *args: str, input: str | None = None) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", *args], input=input)
    return result.exit_code, result.output


def test_db_upgrade_reports_the_revision(app: Flask) -> None:
    code, output = run(app, "db", "upgrade")
    assert code == 0
    assert "database at revision" in output


def test_db_upgrade_and_current_report_one_linear_history(app: Flask) -> None:
    code, output = run(app, "db", "upgrade")
    assert code == 0
    (newest,) = head_revisions()
    assert output.strip() == f"database at revision {newest}"
    assert run(app, "db", "current")[1].strip() == f"current: {newest}  newest: {newest}"
    assert "[default: head]" in run(app, "db", "upgrade", "--help")[1]


def test_create_site_prints_its_key_and_the_embed_snippet(app: Flask, db: Session) -> None:
    code, output = run(app, "create-site", "Corner Café", "--origin", "https://cafe.example/",
                       "--origin", "https://www.cafe.example", "--alert-email", "boss@cafe.example")

    assert code == 0, output
    key = re.search(r"site key: (site_\w+)", output).group(1)  # type: ignore[union-attr]
    assert f'<script src="http://127.0.0.1:5000/feedback/widget.js" data-site="{key}" async></script>' in output
    assert "guessed http://127.0.0.1:5000" in output and "set FEEDBACKWIDGET_PUBLIC_URL" in output
    site = db.scalar(select(Site).where(Site.key == key))
    assert site is not None
    assert site.allowed_origins == ["https://cafe.example", "https://www.cafe.example"]
    assert site.alert_emails == ["boss@cafe.example"]
    assert db.scalar(select(func.count()).select_from(Survey).where(Survey.site_id == site.id)) == 1


def test_the_snippet_uses_the_public_url_when_set(make_app: object) -> None:
    app = make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example/")  # type: ignore[operator]
    code, output = run(app, "create-site", "Shop", "--origin", "https://shop.example")
    assert code == 0
    assert 'src="https://feedback.shop.example/feedback/widget.js"' in output
    assert "guessed" not in output


def test_the_snippet_uses_the_host_apps_server_name(make_app: object) -> None:
    app = make_app(SERVER_NAME="www.shop.example", PREFERRED_URL_SCHEME="https",  # type: ignore[operator]
                   APPLICATION_ROOT="/store")
    code, output = run(app, "create-site", "Shop", "--origin", "https://www.shop.example")
    assert code == 0
    assert 'src="https://www.shop.example/store/feedback/widget.js"' in output
    assert "guessed" not in output


def test_the_demo_prints_links_at_the_public_url(make_app: object) -> None:
    app = make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example")  # type: ignore[operator]
    code, output = run(app, "demo", "--responses", "0")
    assert code == 0
    assert "demo shop page: https://feedback.shop.example/feedback/demo" in output
    assert "admin login: https://feedback.shop.example/feedback/admin " in output
    assert 'src="https://feedback.shop.example/feedback/widget.js"' in output
    assert "guessed" not in output


def test_create_site_refuses_an_origin_with_a_path(app: Flask) -> None:
    code, output = run(app, "create-site", "Shop", "--origin", "https://shop.example/products")
    assert code != 0
    assert "is not an origin" in output


def test_create_admin_prompts_for_the_password_when_absent(app: Flask, db: Session) -> None:
    code, output = run(app, "create-admin", "Owner@Shop.example", input="correct horse\ncorrect horse\n")

    assert code == 0, output
    user = db.scalar(select(AdminUser))
    assert user is not None and user.email == "owner@shop.example" and user.is_superuser
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "correct horse")


def test_create_admin_with_sites_and_roles(app: Flask, db: Session, site: Site) -> None:
    code, output = run(app, "create-admin", "ann@shop.example", "--password", "long enough now",
                       "--site", site.key, "--role", "manager")

    assert code == 0, output
    user = db.scalar(select(AdminUser))
    assert user is not None and not user.is_superuser
    assert [(m.site_id, m.role) for m in db.scalars(select(SiteMembership))] == [(site.id, "manager")]


def test_create_admin_refuses_a_short_password(app: Flask) -> None:
    code, output = run(app, "create-admin", "x@shop.example", "--password", "too short")
    assert code != 0
    assert "at least 12 characters" in output


def test_create_admin_refuses_one_of_the_most_common_passwords(app: Flask, db: Session) -> None:
    code, output = run(app, "create-admin", "x@shop.example", "--password", "QWERTY123456")
    assert code != 0
    assert "one of the most common ones" in output
    assert db.scalar(select(func.count()).select_from(AdminUser)) == 0


def test_create_admin_on_an_existing_account_only_changes_its_password(
    app: Flask, db: Session, site: Site
) -> None:
    from feedbackwidget.accounts.models import AdminSession

    from .conftest import admin_login

    assert run(app, "create-admin", "vic@shop.example", "--password", "first password",
               "--site", site.key, "--role", "viewer")[0] == 0
    browser = app.test_client()
    assert admin_login(browser, "vic@shop.example", "first password").status_code == 302

    code, output = run(app, "create-admin", "Vic@shop.example", "--password", "second password")

    assert code == 0, output
    assert "password changed for admin vic@shop.example" in output
    user = db.scalar(select(AdminUser).where(AdminUser.email == "vic@shop.example"))
    assert user is not None and not user.is_superuser  # was made a superuser before
    assert [(m.site_id, m.role) for m in db.scalars(select(SiteMembership))] == [(site.id, "viewer")]
    assert verify_password(user.password_hash, "second password")
    assert db.scalar(select(func.count()).select_from(AdminSession)) == 0
    assert browser.get("/feedback/admin/").status_code == 302  # logged out


def test_create_admin_does_not_grant_roles_to_an_existing_account(app: Flask, db: Session, site: Site) -> None:
    assert run(app, "create-admin", "vic@shop.example", "--password", "first password")[0] == 0
    code, output = run(app, "create-admin", "vic@shop.example", "--password", "second password", "--site", site.key)
    assert code != 0
    assert "already exists and create-admin only changes its password" in output
    assert db.scalar(select(func.count()).select_from(SiteMembership)) == 0


def test_demo_creates_a_shop_with_surveys_an_admin_and_90_days_of_responses(app: Flask, db: Session) -> None:
    code, output = run(app, "demo", "--responses", "250")

    assert code == 0, output
    assert re.search(r"e-mail: admin@demo.example  password: \S{8,}", output)
    site = db.scalar(select(Site).where(Site.name == "Demo Shop"))
    assert site is not None
    assert db.scalar(select(func.count()).select_from(Response)) == 250
    oldest, newest = db.execute(select(func.min(Response.created_at), func.max(Response.created_at))).one()
    assert (newest - oldest).days >= 80
    templates = set(db.scalars(select(Survey.template).where(Survey.site_id == site.id)))
    assert templates == {"nps", "csat", "stock", "suggestions", "loyalty"}

    code, output = run(app, "demo", "--responses", "250")  # running it again adds nothing
    assert code == 0
    assert db.scalar(select(func.count()).select_from(Response)) == 250


def test_the_demo_shop_page_embeds_the_widget(app: Flask) -> None:
    run(app, "demo", "--responses", "5")
    page = app.test_client().get("/feedback/demo").get_data(as_text=True)
    assert re.search(r'<script src="/feedback/widget.js" data-site="site_\w+" async></script>', page)


def test_the_demo_shop_page_is_served_only_where_the_demo_was_loaded(app: Flask, db: Session, site: Site) -> None:
    client = app.test_client()
    own = create_site(db, "Demo Shop", ["https://shop.example"])  # a shop's own site of that name is no demo
    db.commit()

    assert client.get("/feedback/demo").status_code == 404
    assert client.get(f"/feedback/demo/{site.key}").status_code == 404

    run(app, "demo", "--responses", "0")
    demo = client.get("/feedback/demo")
    assert demo.status_code == 200 and f'data-site="{own.key}"' not in demo.text
    assert client.get(f"/feedback/demo/{site.key}").status_code == 200
    assert db.scalar(select(func.count()).select_from(Site).where(Site.name == "Demo Shop")) == 2
