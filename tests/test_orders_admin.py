"""The admin's Orders page: owners create the API secret, save the platforms' signing secrets
and import CSV files."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site
from feedbackwidget.orders.models import PlatformSecret, StoredOrderEvent

from .conftest import csrf_token

CSV = ("order_id,event,occurred_at,customer_email\n"
       "1001,paid,2026-11-30T10:00:00+01:00,anna@example.com\n"
       "1002,paid,yesterday,bela@example.com\n"
       "1003,fulfilled,2026-11-30T12:00:00Z,cili@example.com\n")


def page_url(site: Site) -> str:
    return f"/feedback/admin/orders/{site.id}"


def post_form(client: FlaskClient, site: Site, action: str, data: dict[str, object]) -> Any:
    token = csrf_token(client.get(page_url(site)).text)
    return client.post(f"{page_url(site)}/{action}", data={**data, "csrf_token": token},
                       content_type="multipart/form-data")


def test_only_owners_see_the_orders_page(logged_in: Callable[..., FlaskClient], site: Site) -> None:
    assert logged_in("manager").get(page_url(site)).status_code == 404
    owner = logged_in("owner")
    assert owner.get("/feedback/admin/orders/").headers["Location"].endswith(page_url(site))
    page = owner.get(page_url(site)).text
    assert f"/feedback/api/v1/sites/{site.key}/orders" in page
    assert f"/feedback/hooks/shopify/{site.key}" in page
    assert "no API secret yet" in page


def test_an_owner_creates_a_secret_seen_once_that_the_endpoint_accepts(
    logged_in: Callable[..., FlaskClient], site: Site, client: FlaskClient
) -> None:
    owner = logged_in("owner")
    shown = post_form(owner, site, "api-secret", {})
    secret = re.search(r"fwo_[A-Za-z0-9_-]{43}", shown.text).group(0)
    later = owner.get(page_url(site)).text
    body = {"order_id": "9", "event": "paid", "occurred_at": "2026-11-30T10:00:00Z"}
    accepted = client.post(f"/feedback/api/v1/sites/{site.key}/orders", json=body,
                           headers={"Authorization": f"Bearer {secret}"})

    assert shown.headers["Cache-Control"] == "no-store"
    assert "shown only this once" in shown.text
    assert secret not in later
    assert f"begins with {secret[:8]}" in later
    assert accepted.status_code == 201


def test_an_owner_saves_a_platform_signing_secret(logged_in: Callable[..., FlaskClient], site: Site,
                                                  db: Session) -> None:
    owner = logged_in("owner")
    saved = post_form(owner, site, "platform-secret", {"platform": "woocommerce", "secret": "wc-secret"})
    empty = post_form(owner, site, "platform-secret", {"platform": "shopify", "secret": ""})

    assert saved.status_code == 302
    assert "The WooCommerce signing secret was saved." in owner.get(saved.headers["Location"]).text
    assert "Paste the signing secret." in empty.text
    assert [(s.platform, s.secret) for s in db.scalars(select(PlatformSecret))] == [("woocommerce", "wc-secret")]


def test_a_csv_import_keeps_good_rows_and_lists_bad_ones_by_line(logged_in: Callable[..., FlaskClient],
                                                                 site: Site, db: Session) -> None:
    owner = logged_in("owner")
    first = post_form(owner, site, "import", {"file": (io.BytesIO(CSV.encode()), "orders.csv")})
    again = post_form(owner, site, "import", {"file": (io.BytesIO(CSV.encode()), "orders.csv")})

    assert "Stored: 2. Already there: 0. Refused: 1." in first.text
    assert re.search(r"<th scope=\"row\">3</th><td>occurred_at: Must be a date and time",
                     first.text)
    assert "Stored: 0. Already there: 2. Refused: 1." in again.text
    assert sorted(db.scalars(select(StoredOrderEvent.order_id))) == ["1001", "1003"]


def test_a_csv_with_a_wrong_header_imports_nothing_and_says_why(logged_in: Callable[..., FlaskClient],
                                                                site: Site, db: Session) -> None:
    owner = logged_in("owner")
    response = post_form(owner, site, "import", {"file": (io.BytesIO(b"id;status\n1;paid\n"), "orders.csv")})
    missing = post_form(owner, site, "import", {})

    assert "Nothing was imported:" in response.text
    assert "lacks the column(s) order_id, event, occurred_at" in response.text
    assert "Choose a CSV file." in missing.text
    assert db.scalars(select(StoredOrderEvent)).all() == []


def test_the_reasons_a_row_was_refused_are_in_the_admins_language(logged_in: Callable[..., FlaskClient],
                                                                  site: Site) -> None:
    owner = logged_in("owner")
    owner.get(f"{page_url(site)}?lang=hu")
    response = post_form(owner, site, "import", {"file": (io.BytesIO(CSV.encode()), "orders.csv")})
    wrong_header = post_form(owner, site, "import", {"file": (io.BytesIO(b"id,status\n"), "orders.csv")})

    assert "Tárolva: 2. Már megvolt: 0. Elutasítva: 1." in response.text
    assert "occurred_at: Dátumnak és időpontnak kell lennie UTC-eltéréssel" in response.text
    assert "A fejlécből hiányzik: order_id, event, occurred_at." in wrong_header.text
