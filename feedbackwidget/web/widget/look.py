"""The widget's look as a shop owner sets it in the admin: colour, position, the Feedback button
(``settings["widget"]`` of a site, read by :func:`.site_config.public_widget_settings`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The least contrast white text needs on the widget's colour (WCAG AA for normal text).
MIN_CONTRAST = 4.5


def luminance(color: str) -> float:
    """The WCAG relative luminance of *color* (#rgb or #rrggbb)."""
    digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(color: str) -> float:
    """The contrast ratio of white text on *color* (1 to 21)."""
    return 1.05 / (luminance(color) + 0.05)


def with_look(settings: Mapping[str, Any] | None, color: str, position: str, show_button: bool) -> dict[str, Any]:
    """A copy of a site's *settings* with the widget's look changed (other widget keys kept)."""
    changed = dict(settings or {})
    changed["widget"] = {**dict(changed.get("widget") or {}), "color": color.lower(), "position": position,
                         "show_button": show_button}
    return changed
