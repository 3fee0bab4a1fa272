"""Bulk assign from the queue: give the ticked complaints to one person."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ..admin.access import login_required
from ..admin.locale import gettext
from ...core.state import get_state
from .admin_forms import BulkAssignForm
from .admin_views import EXPIRED, admin_complaints, complaint_or_404, staff_context
from ...complaints.workflow import WorkflowError, assign

MAX_BULK = 200


def _back(**extra: str | int) -> WerkzeugResponse:
    """Back to the queue as it was filtered (the filters came with the form), with what happened."""
    kept = {key: value for key, value in request.form.items(multi=True) if key.startswith("q_")}
    query = {key[2:]: value for key, value in kept.items()}
    return redirect(url_for(".index") + "?" + urlencode({**query, **extra}))


@admin_complaints.post("/bulk-assign")
@login_required
def bulk_assign() -> WerkzeugResponse:
    """Assign every ticked complaint to the chosen person; says how many were, and why not the others."""
    form = BulkAssignForm()
    if not form.validate_on_submit():
        abort(400, gettext(EXPIRED))
    raw = str(form.assignee.data or "")
    ids = [int(value) for value in request.form.getlist("complaint") if value.isdigit()][:MAX_BULK]
    if not ids or (raw and not raw.isdigit()):
        return _back(bulk_error="choose")
    session = get_state().session()
    done = failed = 0
    for complaint_id in ids:
        complaint, site = complaint_or_404(complaint_id, "manager")
        try:
            assign(staff_context(site), complaint, int(raw) if raw else None)
        except WorkflowError:
            session.rollback()
            failed += 1
            continue
        session.commit()
        done += 1
    return _back(assigned=done, not_assigned=failed)
