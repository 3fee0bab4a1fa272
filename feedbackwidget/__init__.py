"""feedbackwidget: self-hosted customer feedback for shops, as a Flask extension.

``FeedbackWidget(app)`` mounts the widget, its JSON API and the admin area on a
host app; ``create_app()`` is the standalone server (``flask --app feedbackwidget run``).
"""

from __future__ import annotations

from importlib.metadata import version

from .app import create_app
from .extension import FeedbackWidget
from .core.state import get_state
from .migrations import include_object

__all__ = ["FeedbackWidget", "create_app", "get_state", "include_object"]
__version__ = version("feedbackwidget")  # one place: pyproject.toml
