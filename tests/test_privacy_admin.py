"""Staff handle a customer's data request in the admin area, only on their own sites."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site
from feedbackwidget.provisioning import create_site

from .conftest import csrf_token

PAGE = "/feedback/admin/privacy/"


def submit(client: FlaskClient, site: Site, email: str, reason: str) -> None:
    body = {"survey": "nps", "answers": {"score": 3, "reason": reason}, "customer": {"email": email}}
    assert client.post(f"/feedback/api/v1/sites/{site.key}/responses", json=body).status_code == 201


def other_site(db: Session) -> Site:
    shop = create_site(db, "Other Shop", ["https://other.example"])
    db.commit()
    return shop


def test_a_manager_finds_and_downloads_what_is_held_on_their_site(
    client: FlaskClient, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    submit(client, site, "ann@example.com", "Slow")
    submit(client, other_site(db), "ann@example.com", "Elsewhere")
    manager = logged_in("manager")

    page = manager.get(PAGE, query_string={"email": "ann@example.com"})
    download = manager.get(PAGE + "export.json", query_string={"email": "ann@example.com"})

    assert page.status_code == 200
    assert "Download everything as JSON" in page.text
    data = json.loads(download.data)
    assert [r["answers"]["reason"] for r in data["responses"]] == ["Slow"]  # not the other shop's
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_erasure_from_the_admin_anonymises_only_the_managers_sites(
    client: FlaskClient, site: Site, db: Session, logged_in: Callable[..., FlaskClient]
) -> None:
    submit(client, site, "ann@example.com", "Slow")
    submit(client, other_site(db), "ann@example.com", "Elsewhere")
    manager = logged_in("manager")
    token = csrf_token(manager.get(PAGE, query_string={"email": "ann@example.com"}).text)

    done = manager.post(PAGE + "erase", data={"email": "ann@example.com", "csrf_token": token},
                        follow_redirects=True)

    # Her response, and the low-score alert that quoted her address.
    assert "Records anonymised: 2." in done.text
    rows = {r.site_id: r for r in db.scalars(select(Response))}
    assert rows[site.id].customer_email is None and rows[site.id].comment == "[erased]"
    assert [r.customer_email for sid, r in rows.items() if sid != site.id] == ["ann@example.com"]


def test_correction_from_the_admin(client: FlaskClient, site: Site, db: Session,
                                   logged_in: Callable[..., FlaskClient]) -> None:
    submit(client, site, "ann@example.com", "Slow")
    manager = logged_in("manager")
    token = csrf_token(manager.get(PAGE, query_string={"email": "ann@example.com"}).text)

    done = manager.post(PAGE + "correct", data={"email": "ann@example.com", "new_email": "ann@new.example",
                                                "csrf_token": token}, follow_redirects=True)

    assert "The data was corrected." in done.text
    assert db.scalar(select(Response.customer_email)) == "ann@new.example"


def test_viewers_cannot_open_data_requests(logged_in: Callable[..., FlaskClient]) -> None:
    assert logged_in("viewer").get(PAGE).status_code == 404


def test_erasure_needs_the_csrf_token(client: FlaskClient, site: Site, db: Session,
                                      logged_in: Callable[..., FlaskClient]) -> None:
    submit(client, site, "ann@example.com", "Slow")
    response: Any = logged_in("owner").post(PAGE + "erase", data={"email": "ann@example.com"})
    assert response.status_code == 400
    assert db.scalar(select(Response.customer_email)) == "ann@example.com"
