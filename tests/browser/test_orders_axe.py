"""axe-core finds no accessibility violation on the Orders page, in English, Hungarian and Chinese:
with a new API secret shown, and with the rows a CSV import refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feedbackwidget.core.models import Site

from ..conftest import ADMIN_PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
CSV = "order_id,event,occurred_at\n1,paid,2026-11-30T10:00:00Z\n2,shipped,2026-11-30T10:00:00Z\n"


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return found


def test_axe_finds_nothing_on_the_orders_page(browser: Any, live_server: LiveServer, make_admin: Any, site: Site,
                                              tmp_path: Path) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    make_admin("owner@shop.example", sites=[(site, "owner")])
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    found = {}
    for lang in ("en", "hu", "zh"):
        page.goto(f"{live_server.url}/feedback/admin/orders/{site.id}?lang={lang}")
        page.click("form[action$='/api-secret'] button")
        assert page.locator("#fw-new-secret").input_value().startswith("fwo_")
        found[f"secret {lang}"] = violations(page)
        page.set_input_files("#file", str(csv_file))
        page.click("form[action$='/import'] button")
        assert page.locator("table.fw-table tbody th", has_text="3").count() == 1
        found[f"import {lang}"] = violations(page)
    context.close()
    assert found == {name: [] for name in found}
