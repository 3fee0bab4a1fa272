"""feedbackwidget's own Alembic environment (version table ``fw_alembic_version``)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from typing import Any

from sqlalchemy import Connection, Engine, text

TABLE_PREFIX = "fw_"
VERSION_TABLE = "fw_alembic_version"
# Any constant works: it only has to be the same for every host of one database.
PG_ADVISORY_LOCK_ID = 0x46570001


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations; *connection* is used by env.py."""
    cfg = Config()
    cfg.set_main_option("script_location", "feedbackwidget:migrations")
    cfg.attributes["connection"] = connection
    return cfg


# The migrations form one linear history (the first releases' branches meet in 0005_one_history).
HEAD = "head"


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Bring the database to *revision*; on PostgreSQL hosts take turns (advisory lock)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_ADVISORY_LOCK_ID})
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The revision the database is at (empty before the first upgrade)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return tuple(sorted(context.get_current_heads()))


def head_revisions() -> tuple[str, ...]:
    """The newest revision shipped (one: the history is linear)."""
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def include_object(object: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's ``include_object`` hook for a host app that shares its database with us.

    A host's autogenerate (``flask db migrate``) sees feedbackwidget's ``fw_`` tables in the
    database but not in its own models, and would drop them; this keeps them, their columns,
    indexes and constraints out of the host's migrations::

        Migrate(app, db, include_object=feedbackwidget.include_object)
    """
    table_name = name if type_ == "table" else getattr(getattr(object, "table", None), "name", None)
    return not (table_name or "").startswith(TABLE_PREFIX)
