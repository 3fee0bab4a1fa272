"""The shipped migrations build exactly the models' schema, from an empty database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from feedbackwidget.migrations import VERSION_TABLE, current_revisions, downgrade, head_revisions, upgrade
from feedbackwidget.core.models import Base, load_all_models


def test_an_empty_database_is_migrated_to_the_models_schema(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    load_all_models()
    assert current_revisions(empty_engine) == head_revisions()
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"version_table": VERSION_TABLE, "compare_type": True,
                  "include_name": lambda name, type_, parent: type_ != "table" or name.startswith("fw_")},
        )
        assert compare_metadata(context, Base.metadata) == []


def test_every_table_is_prefixed_and_the_version_table_is_our_own(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert VERSION_TABLE in tables
    assert all(name.startswith("fw_") for name in tables)


def test_migrations_downgrade_to_nothing(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {VERSION_TABLE}
