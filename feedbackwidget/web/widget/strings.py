"""Every string the widget shows, as English msgids; served translated in the site config.

``{name}`` placeholders are filled in by the widget.  Translations live in the
``feedbackwidget_widget`` catalogs (``translations/<locale>/LC_MESSAGES``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...complaints.labels import CATEGORY_LABELS
from ...core.i18n import N_, translate, translate_in_context
from ...sites.widget_texts import own_text

WIDGET_STRINGS: dict[str, str] = {
    "button": N_("Feedback"),
    "dialog_title": N_("Your feedback"),
    "close": N_("Close"),
    "send": N_("Send"),
    "next": N_("Next"),
    "back": N_("Back"),
    "progress": N_("Question {current} of {total}"),
    "thanks": N_("Thank you for your feedback!"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "excellent": N_("Excellent"),
    "good": N_("Good"),
    "bad": N_("Bad"),
    "required": N_("Please answer this question."),
    "chars_left": N_("{count} characters left"),
    "offline": N_("You are offline. Your answer will be sent when you are back online."),
    "refused": N_("Your answer could not be sent."),
    "complaint_link": N_("Something went wrong? Tell us"),
    "complaint_title": N_("Tell us what went wrong"),
    "complaint_category": N_("What is it about?"),
    "complaint_choose": N_("Choose a category"),
    "complaint_category_required": N_("Please choose what your complaint is about."),
    "complaint_description": N_("What happened?"),
    "complaint_resolution": N_("What would you like us to do?"),
    "complaint_name": N_("Your name"),
    "complaint_email": N_("Your e-mail address (for our answer)"),
    "complaint_order": N_("Order number (if you have one)"),
    "complaint_consent": N_("I agree that my data is used to handle my complaint, as the privacy policy describes."),
    "privacy_policy": N_("Privacy policy"),
    "complaint_send": N_("Send complaint"),
    "complaint_thanks": N_("Thank you. We have recorded your complaint and will answer you by e-mail."),
    "invalid_email": N_("Please enter an e-mail address such as name@example.com."),
    "consent_required": N_("Please accept the privacy policy so that we can handle your complaint."),
}

# The strings the site config sends, as a list in this order: static/widget.js names each place (its
# STRING_ constants; tests/test_widget_config.py holds the two to one order), so no names travel with
# the texts. The last, "Something went wrong? Tell us", comes only when the complaint form is offered.
# Answer labels come as the options of the questions that use them, and a 0-10 scale's anchors as its
# question's "scale", not among the strings.
CONFIG_STRINGS: tuple[str, ...] = (
    "button", "dialog_title", "close", "send", "next", "back", "progress", "thanks", "required", "chars_left",
    "offline", "refused", "complaint_link",
)
# The strings only the complaint form shows, with "required" for its empty fields: they come with the
# form's script (every language), not in the site config, so a visitor who never opens the form never
# downloads them.
FORM_STRINGS: frozenset[str] = frozenset(
    name for name in WIDGET_STRINGS
    if (name.startswith("complaint_") and name != "complaint_link")
    or name in ("privacy_policy", "invalid_email", "consent_required", "required")
)


def widget_strings(locale: str) -> dict[str, str]:
    """The widget's strings in *locale*."""
    return {name: translate(locale, message) for name, message in WIDGET_STRINGS.items()}


def config_strings(locale: str, complaints: bool, own: Mapping[str, Any] | None = None) -> list[str]:
    """The site config's ``strings`` in *locale*: :data:`CONFIG_STRINGS`' texts, "Tell us" only with *complaints*;
    the site's *own* texts (``settings["widget_texts"]``: button, title, thanks) where it has them in *locale*."""
    names = CONFIG_STRINGS if complaints else CONFIG_STRINGS[:-1]
    return [own_text(own, name, locale) or translate(locale, WIDGET_STRINGS[name]) for name in names]


def category_label(locale: str, category: str) -> str:
    """The name of complaint *category* in *locale* (a custom category is shown as written)."""
    message = CATEGORY_LABELS.get(category)
    return translate(locale, message) if message else category.replace("_", " ").capitalize()


#: The catalogs' context of the answers to a question about stock: Chinese answers 有现货吗 with 有/没有, not 是/否.
IN_STOCK_CONTEXT = "in stock"


def yes_no_texts(metric: str | None, locale: str) -> tuple[str, str]:
    """The two answers of a yes/no question in *locale*: in a stock question's own words where the
    language has them (the question's ``metric`` is ``in_stock``), else "Yes" and "No"."""
    if metric == "in_stock":
        return (translate_in_context(locale, IN_STOCK_CONTEXT, WIDGET_STRINGS["yes"]),
                translate_in_context(locale, IN_STOCK_CONTEXT, WIDGET_STRINGS["no"]))
    return translate(locale, WIDGET_STRINGS["yes"]), translate(locale, WIDGET_STRINGS["no"])
