"""Human names (English msgids) of the complaint vocabulary: categories, states, channels..."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wtforms.fields.choices import SelectChoice

from ..core.i18n import N_

CATEGORY_LABELS: dict[str, str] = {
    "product_quality": N_("Product quality"),
    "delivery": N_("Delivery"),
    "price": N_("Price"),
    "staff_behaviour": N_("Staff behaviour"),
    "website": N_("Website"),
    "other": N_("Other"),
}
ROOT_CAUSES: dict[str, str] = {
    "product_defect": N_("Product defect"),
    "logistics": N_("Logistics or courier"),
    "pricing": N_("Pricing or billing"),
    "staff": N_("Staff conduct"),
    "website": N_("Website or app"),
    "communication": N_("Communication"),
    "customer_error": N_("Customer error"),
    "other": N_("Other"),
}
STATE_LABELS: dict[str, str] = {
    "received": N_("Received, awaiting handling"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "rejected": N_("Rejected (unfounded)"),
}
CHANNEL_LABELS: dict[str, str] = {
    "web": N_("Web"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "in_store": N_("In store"),
    "survey": N_("Survey follow-up"),
}
VERDICT_LABELS: dict[str, str] = {"justified": N_("Justified"), "unfounded": N_("Unfounded")}
COMPENSATION_LABELS: dict[str, str] = {
    "refund": N_("Refund"),
    "voucher": N_("Voucher"),
    "replacement": N_("Replacement"),
    "none": N_("None"),
}
ESCALATION_LABELS: dict[int, str] = {
    1: N_("Level 1: front line"),
    2: N_("Level 2: specialist"),
    3: N_("Level 3: management"),
}


def label(labels: Mapping[Any, str], value: Any, translate: Callable[[str], str]) -> str:
    """The translated name of *value*, or *value* itself when it has none (a site's own category)."""
    if value is None:
        return ""
    known = labels.get(value)
    return translate(known) if known else str(value)


def category_choices(categories: Sequence[str], translate: Callable[[str], str]) -> list[SelectChoice]:
    """A site's complaint categories as options, named in the reader's language, in the site's order."""
    return [SelectChoice(category, label(CATEGORY_LABELS, category, translate)) for category in categories]
