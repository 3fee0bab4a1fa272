"""Alembic environment: runs on the connection handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from feedbackwidget.migrations import VERSION_TABLE
from feedbackwidget.core.models import Base, load_all_models

load_all_models()

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "feedbackwidget migrations need a connection: run 'flask --app feedbackwidget feedbackwidget db upgrade'"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=lambda name, type_, parent: type_ != "table" or bool(name and name.startswith("fw_")),
)
with context.begin_transaction():
    context.run_migrations()
