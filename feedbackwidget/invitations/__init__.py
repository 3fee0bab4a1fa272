"""Invitations: e-mails asking a shop's customers about their order, made from the order events.

- :mod:`.rules` and :mod:`.settings` what a site decides (survey, event, delay, hours, share; time zone,
  fatigue, consent, the e-mail's words); :mod:`.timing` delays and sending hours;
- :mod:`.scheduling` one invitation per (rule, order) from :mod:`feedbackwidget.orders`' events;
- :mod:`.sending` due invitations and reminders into the outbox (:mod:`.message` the e-mail and its links,
  :mod:`.contacts` fatigue across channels, :mod:`.suppressions` who gets nothing);
- :mod:`.funnel` scheduled, sent, failed, answered;
- :mod:`.runner` one run for every site (``invitations send``, the standalone sender), :mod:`.setup` the hooks;
- :mod:`.pages` the unsubscribe page, :mod:`.admin_views` the admin pages, :mod:`.cli` the commands.
"""

from __future__ import annotations

from .models import Invitation, InvitationRule, InvitationSettings, Suppression
from .rules import RuleChanges, RuleRefused, check_rule, set_rule, site_rules
from .scheduling import ScheduleReport, schedule_site
from .sending import Mailing, SendReport, send_due, send_reminders
from .settings import load_settings, save_policy, save_texts
from .suppressions import is_suppressed, suppress, unsubscribe

__all__ = [
    "Invitation", "InvitationRule", "InvitationSettings", "Mailing", "RuleChanges", "RuleRefused", "ScheduleReport",
    "SendReport", "Suppression", "check_rule", "is_suppressed", "load_settings", "save_policy", "save_texts",
    "schedule_site", "send_due", "send_reminders", "set_rule", "site_rules", "suppress", "unsubscribe",
]
