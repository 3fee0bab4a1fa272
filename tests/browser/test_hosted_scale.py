"""The hosted survey's 0-10 scale at 375x740 in English, Hungarian and Chinese: one row as in the
widget (no 6 + 5 wrap), each cell wide enough for its number and 24 px apart, 44 px tall, the anchors
under 0 and 10; no sideways scrolling and nothing axe-core finds.  Below 336 px it takes two rows."""

from __future__ import annotations

from typing import Any

import pytest

from feedbackwidget.core.models import Site

from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
CELLS = """() => [...document.querySelectorAll('.options-nps .option span')].map(e => {
  const box = e.getBoundingClientRect(), range = document.createRange(); range.selectNodeContents(e);
  const text = range.getBoundingClientRect();
  return {text: e.textContent, top: box.top, left: box.left, right: box.right, bottom: box.bottom, height: box.height,
          text_left: text.left, text_right: text.right}; })"""
ANCHORS = "() => [...document.querySelectorAll('.scale span')].map(e => e.getBoundingClientRect().toJSON())"


def scale_problems(page: Any) -> list[str]:
    cells = page.evaluate(CELLS)
    problems = []
    if [cell["text"] for cell in cells] != [str(n) for n in range(11)]:
        problems.append(f"the cells read {[cell['text'] for cell in cells]}")
    if len({round(cell["top"]) for cell in cells}) != 1:
        problems.append("the scale wraps")
    # Inside the 2 px border, with a pixel to spare on each side.
    if any(cell["left"] + 3 > cell["text_left"] or cell["text_right"] > cell["right"] - 3 for cell in cells):
        problems.append("a number touches its cell's border")
    if min(b["left"] - a["left"] for a, b in zip(cells, cells[1:])) < 24 or min(c["height"] for c in cells) < 44:
        problems.append("cells closer than 24 px or under 44 px tall")
    low, high = page.evaluate(ANCHORS)
    if low["top"] < cells[0]["bottom"] or abs(low["left"] - cells[0]["left"]) > 1 or abs(high["right"] - cells[10]["right"]) > 1:
        problems.append("the anchors are not under 0 and 10")
    return problems


def test_the_hosted_0_to_10_scale_is_one_row_on_a_phone(browser: Any, live_server: LiveServer, site: Site) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 740})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for lang in ("en", "hu", "zh"):
        page.goto(f"{live_server.url}/feedback/s/{site.key}/nps?lang={lang}")
        found[lang] = scale_problems(page) + sideways_overflow(page) + axe_violations(page)
        keep_screenshot(page, f"hosted-nps-{lang}-375")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/feedback/s/{site.key}/nps?lang=hu")
    tops = sorted({round(cell["top"]) for cell in page.evaluate(CELLS)})
    assert len(tops) == 2 and sideways_overflow(page) == []
    context.close()
    assert found == {lang: [] for lang in found}
