"""Saved replies in the complaint workspace: the site's saved replies (:mod:`feedbackwidget.sites.saved_replies`)
filled in for a complaint, their errors as the workflow's.

Plain functions; the caller commits.
"""

from __future__ import annotations

from ..core.models import Site
from ..sites import saved_replies as shared
from ..sites.saved_replies import MAX_REPLIES, PLACEHOLDERS, TITLE_MAX_LENGTH, SavedReply, find_reply, saved_replies
from .models import Complaint
from .workflow import WorkflowError

__all__ = ["MAX_REPLIES", "PLACEHOLDERS", "TITLE_MAX_LENGTH", "SavedReply", "add_saved_reply", "delete_saved_reply",
           "fill", "find_reply", "saved_replies"]


def fill(reply: SavedReply, complaint: Complaint) -> str:
    """*reply*'s text for *complaint*: its customer's name, reference and order number put in."""
    return shared.fill(reply, name=complaint.customer_name, reference=complaint.reference,
                       order=complaint.order_number)


def add_saved_reply(site: Site, title: str, locale: str, body: str) -> SavedReply:
    """Save a new reply for *site*.

    :raises WorkflowError: for a missing title or text, an unknown language, or too many replies.
    """
    try:
        return shared.add_saved_reply(site, title, locale, body)
    except shared.SavedReplyError as err:
        raise WorkflowError(err.message, **err.params) from err


def delete_saved_reply(site: Site, reply_id: str) -> bool:
    """Delete the saved reply *reply_id* of *site*; False when there was none."""
    return shared.delete_saved_reply(site, reply_id)
