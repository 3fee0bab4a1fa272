"""Every string the widget shows, as English msgids; served translated in the site config."""

from __future__ import annotations

from ..i18n import N_, translate

WIDGET_STRINGS: dict[str, str] = {
    "button": N_("Feedback"),
    "dialog_title": N_("Your feedback"),
    "close": N_("Close"),
    "send": N_("Send"),
    "next": N_("Next"),
    "back": N_("Back"),
    "thanks": N_("Thank you for your feedback!"),
    "nps_low": N_("Not at all likely"),
    "nps_high": N_("Extremely likely"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "excellent": N_("Excellent"),
    "good": N_("Good"),
    "bad": N_("Bad"),
    "required": N_("Please answer this question."),
    "chars_left": N_("characters left"),
    "offline": N_("You are offline. Your answer is saved and will be sent when you are back online."),
    "error": N_("Something went wrong. Your answer is saved and will be sent later."),
}


def widget_strings(locale: str) -> dict[str, str]:
    """The widget's strings in *locale*."""
    return {name: translate(locale, message) for name, message in WIDGET_STRINGS.items()}
