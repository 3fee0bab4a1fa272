"""What a browser test checks on any page: no sideways scrolling of the page, no axe-core violation,
and (with ``FW_SCREENSHOTS=/some/folder``) a full-page screenshot to look at."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
SCREENSHOTS = os.environ.get("FW_SCREENSHOTS")

# The elements sticking out to the right that are not inside a box of their own that scrolls.
_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const boxed = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !boxed(e))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));
}"""


def sideways_overflow(page: Any) -> list[str]:
    """["page is 590 px wide in 375 px: ..."] when the page scrolls sideways, else []."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll <= client:
        return []
    return [f"page is {scroll} px wide in {client} px: {', '.join(page.evaluate(_WIDE))}"]


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, as "rule: first three targets"."""
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        f"async () => (await axe.run(document, {{runOnly: {AXE_RULES}}})).violations"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")
    return found


def keep_screenshot(page: Any, name: str) -> None:
    """A full-page screenshot as ``$FW_SCREENSHOTS/<name>.png`` when that variable is set."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


# Controls in the page's main part smaller than a 44 px touch target (a link inside running text is exempt).
_SMALL = """(scope) => [...document.querySelectorAll(scope + ' :is(button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, a.fw-button, summary)')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().height) + 'px')"""


def small_touch_targets(page: Any, scope: str = "main") -> list[str]:
    """["button#x 30px", ...]: the controls under *scope* less than 44 px tall."""
    found: list[str] = page.evaluate(_SMALL, scope)
    return found
