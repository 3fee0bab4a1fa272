"""The blueprint tree mounted under the URL prefix: one child blueprint per area."""

from __future__ import annotations

from flask import Blueprint

from .api import api
from .resources import package_folder
from .widget.views import widget

blueprint = Blueprint(
    "feedbackwidget",
    __name__,
    static_folder=package_folder("static"),
    static_url_path="/static",
    template_folder=package_folder("templates"),
)
blueprint.register_blueprint(widget)
blueprint.register_blueprint(api, url_prefix="/api")
