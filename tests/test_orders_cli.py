"""The orders commands: api-secret, hooks secret and orders import."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site
from feedbackwidget.orders.models import PlatformSecret, StoredOrderEvent

from .test_orders_hooks import platform_sign, shopify_order


def run(app: Flask, *args: str) -> tuple[int, str, str]:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", *args])
    return result.exit_code, result.stdout, result.stderr


def post_order(app: Flask, site: Site, secret: str) -> int:
    body = {"order_id": "A1", "event": "placed", "occurred_at": "2026-11-30T10:00:00Z"}
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/orders", json=body,
                                      headers={"Authorization": f"Bearer {secret}"})
    return response.status_code


def secret_from(output: str) -> str:
    found = re.search(r"(fwo_[A-Za-z0-9_-]{43})", output)
    assert found, output
    return found.group(1)


def test_api_secret_prints_a_secret_that_works_once_and_replaces_the_previous(app: Flask, site: Site) -> None:
    code, first_output, _ = run(app, "api-secret", site.key)
    _, second_output, _ = run(app, "api-secret", site.key)
    first, second = secret_from(first_output), secret_from(second_output)

    assert code == 0
    assert "shown only now" in first_output
    assert first != second
    assert post_order(app, site, first) == 401
    assert post_order(app, site, second) == 201


def test_api_secret_for_an_unknown_site_says_so(app: Flask) -> None:
    code, _, errors = run(app, "api-secret", "site_nope")
    assert code == 2
    assert "no site has key 'site_nope'" in errors


def test_hooks_secret_stores_the_platforms_signing_secret(app: Flask, site: Site, db: Session) -> None:
    code, output, _ = run(app, "hooks", "secret", site.key, "shopify", "shpss_abc123")
    body = json.dumps(shopify_order()).encode()
    response = app.test_client().post(
        f"/feedback/hooks/shopify/{site.key}", data=body, content_type="application/json",
        headers={"X-Shopify-Topic": "orders/paid", "X-Shopify-Hmac-Sha256": platform_sign("shpss_abc123", body)})

    assert code == 0
    assert f"/feedback/hooks/shopify/{site.key}" in output
    assert response.status_code == 200
    assert db.scalar(select(PlatformSecret.secret).where(PlatformSecret.platform == "shopify")) == "shpss_abc123"


def test_hooks_secret_refuses_an_unknown_platform_and_a_blank_secret(app: Flask, site: Site, db: Session) -> None:
    unknown_code, _, unknown_errors = run(app, "hooks", "secret", site.key, "magento", "s")
    blank_code, _, blank_errors = run(app, "hooks", "secret", site.key, "woocommerce", "  ")

    assert unknown_code == 2 and "'shopify', 'woocommerce'" in unknown_errors
    assert blank_code == 2 and "signing secret must be 1 to 256 characters" in blank_errors
    assert db.scalars(select(PlatformSecret)).all() == []


def test_orders_import_keeps_good_rows_and_reports_bad_ones_by_line(app: Flask, site: Site, db: Session,
                                                                    tmp_path: Path) -> None:
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(
        "order_id,event,occurred_at,customer_email,customer_name\n"
        "1001,paid,2026-11-30T10:00:00+01:00,anna@example.com,Anna\n"
        "1002,shipped,2026-11-30T11:00:00+01:00,bela@example.com,Béla\n"
        "1003,paid,2026-11-30T12:00:00+01:00,cili@example.com,Cili\n", encoding="utf-8")

    code, output, errors = run(app, "orders", "import", str(csv_file), "--site", site.key)
    again_code, again_output, _ = run(app, "orders", "import", str(csv_file), "--site", site.key)

    assert code == 1
    assert "line 3: event: Must be one of" in errors
    assert "2 stored, 0 already there, 1 refused" in output
    assert "0 stored, 2 already there, 1 refused" in again_output
    assert sorted(db.scalars(select(StoredOrderEvent.order_id))) == ["1001", "1003"]


def test_orders_import_of_a_file_with_a_wrong_header_imports_nothing(app: Flask, site: Site, db: Session,
                                                                     tmp_path: Path) -> None:
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text("order,event,when\n1001,paid,2026-11-30T10:00:00Z\n", encoding="utf-8")

    code, _, errors = run(app, "orders", "import", str(csv_file), "--site", site.key)

    assert code == 1
    assert "lacks the column(s) order_id, occurred_at" in errors
    assert "nothing was imported" in errors
    assert db.scalars(select(StoredOrderEvent)).all() == []


def test_hooks_secret_reads_the_secret_from_stdin_when_given_a_dash(app: Flask, site: Site, db: Session) -> None:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "hooks", "secret", site.key, "woocommerce", "-"],
                                          input="wc-from-stdin\n")
    assert result.exit_code == 0, result.output
    assert db.scalar(select(PlatformSecret.secret).where(PlatformSecret.platform == "woocommerce")) == "wc-from-stdin"
