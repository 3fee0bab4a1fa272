"""The first sighting of a site's widget: its config fetched from one of the site's allowed origins.

One row per site (``fw_widget_seen``), written once: an insert that does nothing when the row is
there, and per engine a set of the sites already written, so a config fetch costs no query
after the first one of each process.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import Engine

from ..core.db import dialect_insert
from ..core.models import utcnow
from .models import WidgetSeen

MAX_ORIGIN_LENGTH = 200
_written: weakref.WeakKeyDictionary[Engine, set[int]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def record_sighting(engine: Engine, site_id: int, origin: str) -> None:
    """Remember that *site_id*'s widget was seen on *origin* (an allowed one), unless already remembered."""
    with _lock:
        if site_id in _written.get(engine, set()):
            return
    statement = dialect_insert(engine.dialect.name, WidgetSeen).values(site_id=site_id, origin=origin[:MAX_ORIGIN_LENGTH], first_seen=utcnow())
    with engine.begin() as connection:
        connection.execute(statement.on_conflict_do_nothing(index_elements=["site_id"]))
    with _lock:
        _written.setdefault(engine, set()).add(site_id)
