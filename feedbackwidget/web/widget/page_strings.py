"""Texts of the hosted survey page (English msgids of the ``feedbackwidget_widget`` catalog)."""

from __future__ import annotations

from ...core.i18n import N_, translate

PAGE_STRINGS: dict[str, str] = {
    "title": N_("Your feedback"),
    "intro": N_("{site} would like to hear from you. It takes less than a minute."),
    "about_order": N_("About your order {order}"),
    "invalid_link": N_("This link is damaged, so your answer will not be linked to your order. You can still answer."),
    "expired": N_("The form has expired. Please send your answers again."),
    "fix_errors": N_("Please check the answers marked below."),
    "busy": N_("Many answers are arriving from your network right now. Please send yours again in {minutes} min."),
    "send": N_("Send"),
    "thanks": N_("Thank you for your feedback!"),
    "thanks_detail": N_("Your answers have been recorded. You can close this page."),
    "language": N_("Language"),
    "only_if": N_("Only if you answered: {answer}"),
    "optional": N_("optional"),
    "answered": N_("You answered on {date}. Your answer is shown below: you can change it and send it again "
                   "until {until}."),
    "link_expired": N_("This link has expired"),
    "link_expired_detail": N_("Survey links can be used for a limited time, and this one can no longer take or "
                              "change an answer. Thank you for your interest."),
}

# Messages of the submission rules (surveys.forms / surveys.questions) the page shows translated.
RULE_MESSAGES: dict[str, str] = {
    "This question must be answered.": N_("Please answer this question."),
    "Must be true or false.": N_("Please choose one of the answers."),
    "Must be a whole number from 0 to 10.": N_("Please choose one of the answers."),
    "Must be one of: excellent, good, bad.": N_("Please choose one of the answers."),
}


def error_text(locale: str, message: str) -> str:
    """A rule's error *message* in *locale* (as written when it has no translation)."""
    if message.startswith("Must be one of:"):
        message = "Must be one of: excellent, good, bad."
    return translate(locale, RULE_MESSAGES.get(message, message))
