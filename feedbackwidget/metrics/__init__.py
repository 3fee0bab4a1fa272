"""Satisfaction figures computed in SQL, once, for the dashboard, the CSV export and any API.

See :mod:`.formulas` for the definitions (NPS, CSAT, in stock, loyalty),
:mod:`.rollup` for the daily roll-ups the figures read, :mod:`.figures` for the
queries and :func:`build_dashboard` for everything the dashboard shows.
"""

from __future__ import annotations

from .dashboard import Dashboard, build_dashboard
from .figures import Compared, Totals
from .formulas import nps, nps_band, share
from .periods import Period, custom, last_days
from .rollup import forget, refresh

__all__ = ["Compared", "Dashboard", "Period", "Totals", "build_dashboard", "custom", "forget", "last_days",
           "nps", "nps_band", "refresh", "share"]
