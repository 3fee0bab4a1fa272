"""The account page: one's password, language and sessions; an owner's reset of a member's password; CSRF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.accounts import verify_password
from feedbackwidget.accounts.models import AdminSession
from feedbackwidget.core.models import AdminUser, Site
from feedbackwidget.provisioning import create_site

from .conftest import ADMIN_PASSWORD, admin_login, csrf_token

ACCOUNT = "/feedback/admin/account"
DASHBOARD = "/feedback/admin/"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
NEW_PASSWORD = "a brand new passphrase"


def browser(app: Flask, email: str, user_agent: str = FIREFOX, password: str = ADMIN_PASSWORD) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert admin_login(client, email, password).status_code == 302
    return client


def change_password(client: FlaskClient, current: str, new: str, again: str | None = None) -> Any:
    token = csrf_token(client.get(ACCOUNT).text)
    return client.post(f"{ACCOUNT}/password", data={"csrf_token": token, "current_password": current,
                                                    "new_password": new, "confirm_password": again or new})


def user(db: Session, email: str) -> AdminUser:
    found = db.scalar(select(AdminUser).where(AdminUser.email == email))
    assert found is not None
    db.refresh(found)
    return found


def test_an_admin_changes_their_password_and_their_other_sessions_end(
    app: Flask, make_admin: Any, db: Session
) -> None:
    make_admin("ann@shop.example")
    laptop, phone = browser(app, "ann@shop.example"), browser(app, "ann@shop.example", CHROME)

    changed = change_password(laptop, ADMIN_PASSWORD, NEW_PASSWORD)

    assert changed.status_code == 302
    assert "Your password was changed, and your other sessions were ended." in laptop.get(changed.location).text
    assert phone.get(DASHBOARD).status_code == 302  # sent to the login page
    assert laptop.get(DASHBOARD).status_code == 200
    assert admin_login(app.test_client(), "ann@shop.example").status_code == 401
    assert admin_login(app.test_client(), "ann@shop.example", NEW_PASSWORD).status_code == 302


def test_the_current_password_is_required(logged_in: Callable[..., FlaskClient], db: Session) -> None:
    client = logged_in("owner")
    refused = change_password(client, "not my password", NEW_PASSWORD)
    assert refused.status_code == 400
    assert "This is not your current password." in refused.text
    assert verify_password(user(db, "owner-1@shop.example").password_hash, ADMIN_PASSWORD)


def test_a_short_a_common_or_a_mistyped_new_password_is_refused(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("owner")
    short = change_password(client, ADMIN_PASSWORD, "too short 1")
    assert short.status_code == 400 and "The password must be at least 12 characters long." in short.text
    common = change_password(client, ADMIN_PASSWORD, "Qwerty123456")
    assert common.status_code == 400 and "one of the most common ones" in common.text
    mistyped = change_password(client, ADMIN_PASSWORD, NEW_PASSWORD, "a brand new passfrase")
    assert mistyped.status_code == 400 and "The two new passwords are not the same" in mistyped.text
    hungarian = client.get(ACCOUNT + "?lang=hu")
    token = csrf_token(hungarian.text)
    refused = client.post(f"{ACCOUNT}/password", data={"csrf_token": token, "current_password": ADMIN_PASSWORD,
                                                       "new_password": "rövid", "confirm_password": "rövid"})
    assert "A jelszónak legalább 12 karakter hosszúnak kell lennie." in refused.text


def test_an_admin_sees_their_sessions_and_ends_one(app: Flask, make_admin: Any, db: Session) -> None:
    make_admin("ann@shop.example")
    make_admin("bob@shop.example")
    laptop, phone = browser(app, "ann@shop.example"), browser(app, "ann@shop.example", CHROME)
    bobs = browser(app, "bob@shop.example")

    page = laptop.get(ACCOUNT).text
    assert "Firefox on Linux <strong>(this browser)</strong>" in page and "Chrome on Windows" in page
    assert page.count("Log out this browser") == 1  # only the other one; this one logs out at the top
    phone_id = db.scalar(select(AdminSession.id).where(AdminSession.user_agent == CHROME))
    bob_id = db.scalar(select(AdminSession.id).join(AdminUser).where(AdminUser.email == "bob@shop.example"))

    token = csrf_token(page)
    assert laptop.post(f"{ACCOUNT}/sessions/{bob_id}/end", data={"csrf_token": token}).status_code == 404
    ended = laptop.post(f"{ACCOUNT}/sessions/{phone_id}/end", data={"csrf_token": token})

    assert "The session was ended" in laptop.get(ended.location).text
    assert phone.get(DASHBOARD).status_code == 302
    assert bobs.get(DASHBOARD).status_code == 200
    assert "Chrome on Windows" not in laptop.get(ACCOUNT).text


def test_lang_in_the_address_only_changes_the_display(logged_in: Callable[..., FlaskClient], db: Session) -> None:
    client = logged_in("owner")
    assert 'lang="hu"' in client.get(DASHBOARD + "?lang=hu").text
    assert user(db, "owner-1@shop.example").locale == "en"  # a GET stores nothing

    token = csrf_token(client.get(ACCOUNT).text)
    saved = client.post(f"{ACCOUNT}/language", data={"csrf_token": token, "locale": "zh"})

    assert saved.status_code == 302
    assert user(db, "owner-1@shop.example").locale == "zh"
    assert 'lang="zh"' in client.get(saved.location).text


def test_an_admin_post_without_a_valid_csrf_token_gets_a_page_that_says_why(
    logged_in: Callable[..., FlaskClient], db: Session, site: Site
) -> None:
    client = logged_in("owner")
    missing = client.post(f"{ACCOUNT}/password", data={"current_password": ADMIN_PASSWORD,
                                                       "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert missing.status_code == 400
    assert "The form could not be sent" in missing.text and "nothing was changed" in missing.text
    assert verify_password(user(db, "owner-1@shop.example").password_hash, ADMIN_PASSWORD)

    wrong = client.post(f"/feedback/admin/sites/{site.id}", data={"csrf_token": "forged", "name": "Renamed"},
                        headers={"Accept-Language": "hu", "Referer": f"http://localhost/feedback/admin/sites/{site.id}"})
    assert wrong.status_code == 400
    assert "Az űrlapot nem sikerült elküldeni" in wrong.text
    assert f'href="/feedback/admin/sites/{site.id}"' in wrong.text  # back to the page, to send it again
    db.refresh(site)
    assert site.name == "Test Shop"


def test_an_owner_sets_a_new_password_for_a_member(
    app: Flask, site: Site, make_admin: Any, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    owner = logged_in("owner")
    member = make_admin("vic@shop.example", sites=[(site, "viewer")])
    vics_browser = browser(app, "vic@shop.example")
    url = f"/feedback/admin/sites/{site.id}/members/{member.id}/password"
    assert url in owner.get(f"/feedback/admin/sites/{site.id}").text

    token = csrf_token(owner.get(url).text)
    done = owner.post(url, data={"csrf_token": token, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})

    assert done.status_code == 302
    assert "vic@shop.example was logged out everywhere" in owner.get(done.location).text
    assert vics_browser.get(DASHBOARD).status_code == 302
    assert admin_login(app.test_client(), "vic@shop.example", NEW_PASSWORD).status_code == 302
    vic = user(db, "vic@shop.example")
    assert not vic.is_superuser


def test_an_owner_cannot_reset_someone_who_works_on_other_sites_too(
    app: Flask, site: Site, make_admin: Any, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    owner = logged_in("owner")
    both = make_admin("both@shop.example", sites=[(site, "viewer"), (other, "owner")])
    url = f"/feedback/admin/sites/{site.id}/members/{both.id}/password"
    page = owner.get(url)
    assert page.status_code == 403 and "also has a role on a site you do not own" in page.text

    token = csrf_token(owner.get(f"/feedback/admin/sites/{site.id}").text)
    refused = owner.post(url, data={"csrf_token": token, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert refused.status_code == 403
    assert verify_password(user(db, "both@shop.example").password_hash, ADMIN_PASSWORD)

    manager = logged_in("manager")
    assert manager.get(f"/feedback/admin/sites/{site.id}/members/{both.id}/password").status_code == 403


def test_the_standalone_servers_session_cookie_is_lax_and_secure_over_https(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    page = app.test_client().get("/feedback/admin/login", base_url="https://feedback.example")
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "SameSite=Lax" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    plain = app.test_client().get("/feedback/admin/login")
    cookie = next(c for c in plain.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "SameSite=Lax" in cookie and "Secure" not in cookie


def test_a_new_members_password_follows_the_same_rules(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    for weak in ("eight ch", "Qwerty123456"):
        token = csrf_token(owner.get(f"/feedback/admin/sites/{site.id}").text)
        page = owner.post(f"/feedback/admin/sites/{site.id}/members", data={
            "csrf_token": token, "email": "new@shop.example", "role": "viewer", "password": weak})
        assert "give it a password of at least 12 characters that is not one of the most common ones" in page.text
    assert db.scalar(select(func.count()).select_from(AdminUser).where(AdminUser.email == "new@shop.example")) == 0


def test_a_host_apps_user_saves_a_language_but_has_no_password_here(make_app: Callable[..., Flask], site: Site) -> None:
    from feedbackwidget.web.admin.access import HostAdmin, set_admin_user_loader

    app = make_app()
    set_admin_user_loader(app, lambda: HostAdmin("boss@host.example", roles={site.key: "owner"}))
    client = app.test_client()
    page = client.get(ACCOUNT)
    assert page.status_code == 200 and "Save language" in page.text
    assert "Change password" not in page.text and "Where you are logged in" not in page.text
    token = csrf_token(page.text)
    assert client.post(f"{ACCOUNT}/password", data={"csrf_token": token, "current_password": "x",
                                                    "new_password": NEW_PASSWORD,
                                                    "confirm_password": NEW_PASSWORD}).status_code == 404
    assert client.post(f"{ACCOUNT}/language", data={"csrf_token": token, "locale": "hu"}).status_code == 302
