"""The blueprint tree mounted under the URL prefix: one child blueprint per area."""

from __future__ import annotations

from flask import Blueprint

from .admin import admin
from .api import api
from .body_limit import register as limit_bodies
from .complaints.admin_views import admin_complaints
from .complaints import admin_bulk, admin_intake, admin_reports, admin_saved_replies  # noqa: F401  (their routes hang on admin_complaints)
from .complaints.api import complaints_api
from .complaints.pages import complaint_pages
from .delivery.admin_views import delivery_admin
from .error_pages import register as answer_missing_pages
from .invitations.admin_views import invitations_admin
from .invitations.pages import invitation_pages
from .invitations.winback_views import winback_admin
from .orders.admin_views import orders_admin
from .orders.api import orders_api
from .orders.hooks import order_hooks
from .privacy.views import privacy_admin
from ..core.resources import package_folder
from .security import apply_security_headers
from .unavailable import register as answer_database_faults
from .widget.hosted_views import survey_pages
from .widget.views import widget

blueprint = Blueprint(
    "feedbackwidget",
    __name__,
    static_folder=package_folder("static"),
    static_url_path="/static",
    template_folder=package_folder("templates"),
)
blueprint.after_request(apply_security_headers)
answer_database_faults(blueprint)  # HTML pages; the JSON API answers its own 503 first
answer_missing_pages(blueprint)  # 404 and 410 of the pages and the admin; the host's own 404 stays the host's
limit_bodies(blueprint)  # every request's own body limit; the host's MAX_CONTENT_LENGTH is left alone
blueprint.register_blueprint(widget)
blueprint.register_blueprint(survey_pages)
blueprint.register_blueprint(complaint_pages)
blueprint.register_blueprint(invitation_pages)
api.register_blueprint(complaints_api)
api.register_blueprint(orders_api)
blueprint.register_blueprint(order_hooks, url_prefix="/hooks")
blueprint.register_blueprint(api, url_prefix="/api")
admin.register_blueprint(privacy_admin, url_prefix="/privacy")
admin.register_blueprint(admin_complaints, url_prefix="/complaints")
admin.register_blueprint(delivery_admin, url_prefix="/outbox")
admin.register_blueprint(orders_admin, url_prefix="/orders")
admin.register_blueprint(invitations_admin, url_prefix="/invitations")
admin.register_blueprint(winback_admin, url_prefix="/winback")
# Areas hang their admin pages on `admin` (admin.register_blueprint(...)) above this line.
blueprint.register_blueprint(admin, url_prefix="/admin")
