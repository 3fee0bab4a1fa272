"""Delivery: the transactional outbox through which every e-mail and webhook leaves.

- :mod:`.outbox` and :mod:`.mail`: drafts written in the transaction of their cause;
- :mod:`.rules` alert rules per site (:mod:`.models`), cached for the submit path;
- :mod:`.alerts` alert mails on low scores; :mod:`.events` on complaints (event names and data);
- :mod:`.digest` the daily or weekly digest (:mod:`.words` for the low-score words);
- :mod:`.worker` claims and sends outbox rows over :mod:`.smtp` or as :mod:`.webhooks`
  (:mod:`.signing` signatures, :mod:`.safe_http` public targets only);
- :mod:`.sender` the standalone server's in-process sender;
- :mod:`.admin_outbox` and :mod:`.admin_views` failed messages, retrying, editing rules;
  :mod:`.cli` the commands.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from ..core import config
from ..core.state import get_state


def install(app: Flask) -> None:
    """Hook delivery into *app*: alert rules on new responses, complaint events, the in-process sender."""
    from .alerts import DELIVERY_CACHE_KEY, response_hook
    from .events import register_event_hooks
    from .rules import DeliveryCache, SiteDelivery, load_site_delivery
    from .sender import install_sender

    state = get_state(app)

    def load(site_id: int) -> SiteDelivery:
        # Read outside any transaction: event hooks run while their caller's SQLite
        # transaction holds the write lock, which a second BEGIN IMMEDIATE would wait for.
        with state.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            with Session(connection) as session:
                return load_site_delivery(session, site_id)

    state.extras[DELIVERY_CACHE_KEY] = DeliveryCache(load, app.config[config.SITE_CACHE_SECONDS])
    state.response_hooks.append(response_hook)
    register_event_hooks(state)
    install_mail(app)
    install_sender(app)


def install_mail(app: Flask) -> None:
    """Mail goes out through Flask-Mail: the host's ``Mail`` when it registered one (before or
    after us: a later ``Mail(app)`` takes the key over), else one from the same ``MAIL_*``
    settings, so that the host's ``record_messages()`` and ``email_dispatched`` see our mail."""
    from flask_mail import Mail

    from .smtp import MAIL_EXTENSION_KEY

    if MAIL_EXTENSION_KEY not in app.extensions:
        Mail().init_app(app)


def invalidate_delivery(app: Flask, site_id: int | None = None) -> None:
    """Forget the cached rules and webhooks of *site_id* (or every site) after a change."""
    from .alerts import DELIVERY_CACHE_KEY

    get_state(app).extras[DELIVERY_CACHE_KEY].invalidate(site_id)
