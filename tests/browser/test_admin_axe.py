"""axe-core finds no accessibility violation on the admin pages this release added or changed
(the account, health and site pages), in English, Hungarian and Chinese."""

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


def test_axe_finds_nothing_on_the_account_health_and_site_pages(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site
) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    make_admin("owner@shop.example", sites=[(site, "owner")])
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    found = {}
    for path in ("/feedback/admin/account", "/feedback/admin/health", f"/feedback/admin/sites/{site.id}"):
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                f"async () => (await axe.run(document, {{runOnly: {RULES}}})).violations"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
            found[f"{path}?lang={lang}"] = violations
    context.close()
    assert found == {page_url: [] for page_url in found}
