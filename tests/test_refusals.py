"""Refused answers are never silent: the admin sees them by origin and reason; the demo allows its own origin."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.provisioning.demo import demo_site_key
from feedbackwidget.core.models import Response, Site

from .conftest import SHOP_ORIGIN, csrf_token

NEW_SHOP = "https://new.shop.example"
ANSWER = {"survey": "nps", "answers": {"score": 9}}


def submit(client: FlaskClient, site_key: str, origin: str, body: Any = ANSWER) -> Any:
    return client.post(f"/feedback/api/v1/sites/{site_key}/responses", json=body, headers={"Origin": origin})


def refused_rows(page: str) -> list[str]:
    """The refused-submissions table's rows as text, cells joined by " | "."""
    table = page.split('id="refused"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [" | ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                       for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
            for row in rows]


def test_refusals_are_counted_by_origin_and_reason_and_shown_to_the_sites_people(
    client: FlaskClient, site: Site, logged_in: Callable[..., FlaskClient]
) -> None:
    assert submit(client, site.key, NEW_SHOP).json["code"] == "origin_not_allowed"
    assert submit(client, site.key, NEW_SHOP).status_code == 403
    assert submit(client, site.key, SHOP_ORIGIN, {"survey": "gone", "answers": {}}).status_code == 422
    assert submit(client, site.key, SHOP_ORIGIN, {"survey": "nps", "answers": {"score": 11}}).status_code == 422
    assert submit(client, "site_nosuchkey", NEW_SHOP).status_code == 404  # no site: nothing to count it for
    assert submit(client, site.key, SHOP_ORIGIN).status_code == 201  # stored answers are not refusals

    rows = refused_rows(logged_in("viewer").get(f"/feedback/admin/sites/{site.id}").text)

    assert [row.rsplit(" | ", 1)[0] for row in rows[1:]] == [
        f"{NEW_SHOP} | The page's address is not one of the site's allowed origins. origin_not_allowed | 2",
        f"{SHOP_ORIGIN} | The answers did not pass the checks (a missing or wrong field). invalid_answers | 1",
        f"{SHOP_ORIGIN} | The page asked for a survey the site does not have, or has switched off. unknown_survey | 1",
    ]
    assert "Allow this origin" not in logged_in("manager").get(f"/feedback/admin/sites/{site.id}").text


def test_an_owner_allows_a_refused_origin_with_one_click_and_its_answers_are_stored(
    client: FlaskClient, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    submit(client, site.key, NEW_SHOP)
    owner = logged_in("owner")
    page = owner.get(f"/feedback/admin/sites/{site.id}").text
    assert "Allow this origin" in page

    allowed = owner.post(f"/feedback/admin/sites/{site.id}/origins",
                         data={"origin": NEW_SHOP, "csrf_token": csrf_token(page)})

    assert allowed.status_code == 302
    assert submit(client, site.key, NEW_SHOP).status_code == 201
    assert db.scalar(select(func.count()).select_from(Response)) == 1
    assert "Allow this origin" not in owner.get(f"/feedback/admin/sites/{site.id}").text


def test_a_manager_cannot_allow_an_origin(client: FlaskClient, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    submit(client, site.key, NEW_SHOP)
    manager = logged_in("manager")
    page = manager.get(f"/feedback/admin/sites/{site.id}").text

    refused = manager.post(f"/feedback/admin/sites/{site.id}/origins", data={"origin": NEW_SHOP, "csrf_token": csrf_token(page)})

    assert refused.status_code in (403, 404)
    assert submit(client, site.key, NEW_SHOP).status_code == 403


def test_the_refused_table_speaks_hungarian(client: FlaskClient, site: Site, logged_in: Callable[..., FlaskClient]) -> None:
    submit(client, site.key, NEW_SHOP)
    page = logged_in("owner").get(f"/feedback/admin/sites/{site.id}", headers={"Accept-Language": "hu"}).text
    assert "Elutasított beküldések (az elmúlt 7 nap)" in page and "Forrás engedélyezése" in page
    assert "Az oldal címe nem szerepel a webhely engedélyezett forrásai között." in page


def test_the_demo_accepts_answers_from_the_port_it_is_served_on(app: Flask, db: Session) -> None:
    app.test_cli_runner().invoke(args=["feedbackwidget", "demo", "--responses", "0"])
    client = app.test_client()

    assert client.get("/feedback/demo", base_url="http://127.0.0.1:5001").status_code == 200

    key = demo_site_key(db)
    site = db.scalar(select(Site).where(Site.key == key))
    assert site is not None and "http://127.0.0.1:5001" in site.allowed_origins
    assert submit(client, str(key), "http://127.0.0.1:5001").status_code == 201
