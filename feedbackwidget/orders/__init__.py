"""Orders as shops report them: order events from the API, the platforms' webhooks and CSV files.

Other areas (invitations) build on these functions; views and commands are in this
package's ``api``, ``hooks``, ``admin_views`` and ``cli`` modules.
"""

from __future__ import annotations

from .events import Customer, Duplicate, OrderEvent, Recorded, events_since, find_event, order_history, record_event
from .models import EVENTS, StoredOrderEvent

__all__ = [
    "EVENTS", "Customer", "Duplicate", "OrderEvent", "Recorded", "StoredOrderEvent", "events_since", "find_event",
    "order_history", "record_event",
]
