"""Complaints in the admin area: the queue, one complaint with its history, the workflow actions.

A child blueprint of ``admin`` (``<prefix>/admin/complaints``): viewers read,
managers and owners act; a complaint of a site the user does not belong to is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from ..admin.access import ADMIN_NAV, NavItem, access, current_admin, login_required, site_or_404, visible_sites
from ..admin.locale import admin_locale, gettext, ngettext
from ...core.state import get_state
from ..forms import ProtectedForm
from ...core.i18n import N_
from ...accounts.names import display_name, display_names
from ...core.models import AdminUser, Site, utcnow
from ...sites import SiteConfig, load_site_config
from ...sites.time_zones import site_zone
from ...complaints import labels
from ..admin.locale import LANGUAGE_NAMES
from .admin_forms import AssessmentForm, AssignForm, BulkAssignForm, CompensationForm, EscalateForm, MessageForm, StatusForm
from ...complaints.audit import history
from ...complaints.context import Actor, Context
from ...complaints.deadlines import countdown, days_left, is_overdue
from ...complaints.models import COMPENSATION_TYPES, Complaint, ComplaintEvent, ComplaintMessage
from ...complaints.queue import SORTS, STATUS_FILTERS, QueueFilter, find_complaints
from ...complaints.runtime import context_for
from ...complaints.satisfaction import answer_of, flagged_among
from ...complaints.saved_replies import fill, find_reply, saved_replies
from ...complaints.timeline import Reader, readable_time, timeline
from ...complaints.workflow import (
    WorkflowError,
    add_message,
    allowed_actions,
    assign,
    assignable_to,
    assignable_users,
    change_status,
    escalate,
    next_action,
    set_compensation,
    set_root_cause,
    set_verdict,
)

admin_complaints = Blueprint("complaints", __name__)
ADMIN_NAV.append(NavItem(N_("Complaints"), "feedbackwidget.admin.complaints.index", "viewer"))
ADMIN_NAV.append(NavItem(N_("Complaint analysis"), "feedbackwidget.admin.complaints.analysis", "viewer"))
EXPIRED = N_("The form has expired: please try again.")
# What a page says after an action (its code comes back in ?done=, so no session is needed).
FLASH: dict[str, str] = {
    "recorded": N_("The complaint is recorded."),
    "start": N_("You started working on it."),
    "resolve": N_("The complaint is marked resolved."),
    "reject": N_("The complaint is rejected as unfounded."),
    "reopen": N_("The complaint is open again."),
    "assign": N_("The assignment is saved."),
    "escalate": N_("The complaint is escalated."),
    "assessment": N_("The assessment is saved."),
    "compensation": N_("The compensation is saved."),
    "reply": N_("Your reply is on its way to the customer by e-mail and on their status page."),
    "reply_page": N_("Your reply is on the customer's status page (they gave no e-mail address)."),
    "note": N_("The internal note is saved."),
    "saved_reply": N_("The saved reply is added."),
    "saved_reply_deleted": N_("The saved reply is deleted."),
}


BULK_CHOOSE = N_("Tick the complaints to assign, then choose a person.")


def _count_arg(name: str) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 0


def queue_flash() -> str | None:
    """What the queue says after a bulk assign."""
    if request.args.get("bulk_error"):
        return gettext(BULK_CHOOSE)
    done, failed = _count_arg("assigned"), _count_arg("not_assigned")
    if "assigned" not in request.args:
        return None
    text = ngettext("%(num)s complaint assigned.", "%(num)s complaints assigned.", done)
    if failed:
        text += " " + ngettext("%(num)s not: that person does not handle its site.",
                               "%(num)s not: that person does not handle their sites.", failed)
    return text


def flash_message() -> str | None:
    """The sentence of the action just done (``?done=``), in the admin's language."""
    code = request.args.get("done", "")
    return gettext(FLASH[code]) if code in FLASH else None


def when(moment: dt.datetime | None, zone: dt.tzinfo = dt.timezone.utc) -> str:
    """*moment* as the admin reads it, in *zone* ("–" when unknown)."""
    return readable_time(moment, admin_locale(), zone) if moment else "–"


def template_helpers() -> dict[str, Any]:
    """What every complaint admin template uses to show names of states, channels..."""
    now = utcnow()
    return {"labels": labels, "label": lambda table, value: labels.label(table, value, gettext),
            "is_overdue": is_overdue, "days_left": days_left, "now": now, "flash": flash_message(),
            "countdown": lambda complaint: countdown(complaint, now, admin_locale()), "when": when}


def site_config(site: Site) -> SiteConfig:
    # Loaded on the request's session: the site cache's own connection would wait for its SQLite lock.
    config = load_site_config(get_state().session(), site.key)
    if config is None:
        abort(404)
    return config


def staff_context(site: Site) -> Context:
    user = current_admin()
    return context_for(site_config(site), Actor(user.id, user.email))


def complaint_or_404(complaint_id: int, minimum_role: str = "viewer") -> tuple[Complaint, Site]:
    complaint = get_state().session().get(Complaint, complaint_id)
    if complaint is None:
        abort(404)
    return complaint, site_or_404(complaint.site_id, minimum_role)


def _int_arg(name: str, default: int = 1) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else default


def _choice(name: str, choices: tuple[str, ...]) -> str:
    """The ``?name=`` argument when it is one of *choices*, else the first choice."""
    raw = request.args.get(name, "")
    return raw if raw in choices else choices[0]


def _names(ids: set[int | None]) -> dict[int, str]:
    return display_names(get_state().session(), ids)


def bulk_assignees(complaints: list[Complaint]) -> list[AdminUser]:
    """Whom the queue's bulk assign offers: those assignable on a site of the shown complaints the user manages."""
    manageable = {site.id for site in visible_sites("manager")}
    people: dict[int, AdminUser] = {}
    for site_id in sorted({c.site_id for c in complaints} & manageable):
        people.update({user.id: user for user in assignable_to(get_state().session(), site_id)})
    return sorted(people.values(), key=display_name)


@admin_complaints.get("/")
@login_required
def index() -> str:
    """The queue: open complaints of the user's sites, the soonest due first, with filters."""
    raw_site = request.args.get("site") or None
    site_ids = [site_or_404(raw_site).id] if raw_site else [site.id for site in visible_sites()]
    status = request.args.get("status", "open")
    filters = QueueFilter(
        site_ids=site_ids, status=status if status in STATUS_FILTERS else "open",
        overdue_only=request.args.get("overdue") == "1",
        assignee_id=current_admin().id if request.args.get("mine") == "1" else None,
        search=(request.args.get("q") or "").strip()[:200] or None, page=_int_arg("page"),
        sort=_choice("sort", SORTS),
    )
    complaints, total = find_complaints(get_state().session(), filters, utcnow())
    sites = visible_sites()
    return render_template(
        "feedbackwidget/admin/complaints/index.html", complaints=complaints, total=total, filters=filters,
        sites=sites, site_names={site.id: site.name for site in sites}, selected_site=raw_site,
        status_filters=STATUS_FILTERS, assignees=_names({c.assignee_id for c in complaints}),
        can_record=bool(visible_sites("manager")), sorts=SORTS, bulk=bulk_assignees(complaints),
        bulk_form=BulkAssignForm(formdata=None), handling_flagged=flagged_among(get_state().session(), complaints),
        **{**template_helpers(), "flash": queue_flash()},
    )


def _forms(site: SiteConfig, complaint: Complaint) -> dict[str, ProtectedForm]:
    forms: dict[str, ProtectedForm] = {
        "status": StatusForm(formdata=None), "assign": AssignForm(formdata=None),
        "escalate": EscalateForm(formdata=None), "assessment": AssessmentForm(formdata=None),
        "compensation": CompensationForm(formdata=None), "message": MessageForm(formdata=None),
    }
    forms["escalate"].level.data = str(min(complaint.escalation_level + 1, 3))
    forms["compensation"].currency.data = complaint.compensation_currency or ""
    forms["compensation"].amount.data = str(complaint.compensation_amount or "")
    return forms


def _message_form(complaint: Complaint, config: SiteConfig) -> MessageForm:
    form = MessageForm(formdata=None)
    form.visibility.data = "internal"
    chosen = find_reply(config.settings, request.args.get("reply", ""))
    if chosen is not None:
        form.body.data = fill(chosen, complaint)
        form.visibility.data = "public"
    return form


def _story(ctx: Context, complaint: Complaint, messages: list[ComplaintMessage]) -> list[Any]:
    events: list[ComplaintEvent] = history(ctx, complaint)
    ids = {e.actor_id for e in events} | {e.new_value for e in events if e.action == "assigned"}
    people = _names({i for i in ids if isinstance(i, int)})
    return timeline(complaint.description, events, messages, Reader(admin_locale(), people))


def render_detail(complaint: Complaint, site: Site, error: str | None = None, status: int = 200) -> tuple[str, int]:
    config = site_config(site)
    ctx = context_for(config, Actor(current_admin().id, current_admin().email))
    session = get_state().session()
    messages = list(session.scalars(
        select(ComplaintMessage).where(ComplaintMessage.complaint_id == complaint.id)
        .order_by(ComplaintMessage.created_at, ComplaintMessage.id)
    ))
    can_act = access().has_role(site.id, "manager")
    users = _names({complaint.assignee_id, complaint.created_by_id})
    forms = _forms(config, complaint)
    forms["message"] = _message_form(complaint, config)
    page = render_template(
        "feedbackwidget/admin/complaints/detail.html", complaint=complaint, site=site,
        entries=_story(ctx, complaint, messages), users=users, can_act=can_act, error=error, forms=forms,
        actions=allowed_actions(complaint), next_action=next_action(complaint),
        assignable=assignable_users(ctx) if can_act else [], root_causes=labels.ROOT_CAUSES,
        compensation_types=COMPENSATION_TYPES, saved=saved_replies(config.settings, complaint.locale),
        other_saved=[r for r in saved_replies(config.settings) if r.locale != complaint.locale],
        language_name=LANGUAGE_NAMES.get(complaint.locale, complaint.locale),
        zone=site_zone(config.settings, config.default_locale),
        handling_answer=answer_of(session, complaint),
        **template_helpers(),
    )
    return page, status


@admin_complaints.get("/<int:complaint_id>")
@login_required
def detail(complaint_id: int) -> tuple[str, int]:
    """One complaint: what the customer wrote, its state, deadline, messages and whole history."""
    complaint, site = complaint_or_404(complaint_id)
    return render_detail(complaint, site)


Apply = Callable[[Context, Complaint, Any], str | None]


def act(complaint_id: int, form_class: type[ProtectedForm], apply: Apply) -> tuple[str, int] | WerkzeugResponse:
    """Run one workflow action from a posted form, then show the complaint again with what was done
    (*apply* returns the :data:`FLASH` code)."""
    complaint, site = complaint_or_404(complaint_id, "manager")
    form = form_class()
    if not form.validate_on_submit():
        return render_detail(complaint, site, gettext(EXPIRED), 400)
    session = get_state().session()
    try:
        done = apply(staff_context(site), complaint, form)
    except WorkflowError as err:
        session.rollback()
        return render_detail(complaint, site, err.text(gettext), 422)
    session.commit()
    return redirect(url_for(".detail", complaint_id=complaint.id, done=done))


def _optional(value: str | None) -> str | None:
    return value or None


@admin_complaints.post("/<int:complaint_id>/status")
@login_required
def status(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: StatusForm) -> str:
        change_status(ctx, complaint, str(form.action.data))
        return str(form.action.data)

    return act(complaint_id, StatusForm, apply)


@admin_complaints.post("/<int:complaint_id>/assign")
@login_required
def assign_to(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: AssignForm) -> str:
        raw = str(form.assignee.data or "")
        if raw and not raw.isdigit():
            raise WorkflowError(N_("Choose a person from the list."))
        assign(ctx, complaint, int(raw) if raw else None)
        return "assign"

    return act(complaint_id, AssignForm, apply)


@admin_complaints.post("/<int:complaint_id>/escalate")
@login_required
def escalate_to(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: EscalateForm) -> str:
        level = str(form.level.data or "")
        escalate(ctx, complaint, int(level) if level.isdigit() else 0, str(form.reason.data or ""))
        return "escalate"

    return act(complaint_id, EscalateForm, apply)


@admin_complaints.post("/<int:complaint_id>/assessment")
@login_required
def assessment(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: AssessmentForm) -> str:
        set_verdict(ctx, complaint, _optional(form.verdict.data))
        set_root_cause(ctx, complaint, _optional(form.root_cause.data))
        return "assessment"

    return act(complaint_id, AssessmentForm, apply)


@admin_complaints.post("/<int:complaint_id>/compensation")
@login_required
def compensation(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: CompensationForm) -> str:
        set_compensation(ctx, complaint, _optional(form.kind.data), form.amount.data, form.currency.data)
        return "compensation"

    return act(complaint_id, CompensationForm, apply)


@admin_complaints.post("/<int:complaint_id>/messages")
@login_required
def message(complaint_id: int) -> Any:
    def apply(ctx: Context, complaint: Complaint, form: MessageForm) -> str:
        visibility = str(form.visibility.data)
        add_message(ctx, complaint, visibility, str(form.body.data or ""))
        if visibility != "public":
            return "note"
        return "reply" if complaint.customer_email else "reply_page"

    return act(complaint_id, MessageForm, apply)
