"""feedbackwidget as a guest inside a host Flask app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from flask import Flask
from sqlalchemy import String, create_engine, inspect, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from feedbackwidget import FeedbackWidget, get_state
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Response
from feedbackwidget.provisioning import create_site


class HostBase(DeclarativeBase):
    pass


class Order(HostBase):
    """A host app's own model, on the same database as feedbackwidget."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20))


HOST_MIGRATION = '''
from alembic import op
import sqlalchemy as sa
revision = "host0001"
down_revision = None
branch_labels = None
depends_on = None
def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True), sa.Column("number", sa.String(20)))
def downgrade():
    op.drop_table("orders")
'''

HOST_ENV = '''
from alembic import context
from sqlalchemy import create_engine
engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def host_alembic(tmp_path: Path, url: str) -> Config:
    scripts = tmp_path / "host_migrations"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(HOST_ENV)
    (scripts / "versions" / "host0001.py").write_text(HOST_MIGRATION)
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def host_app(tmp_path: Path, url: str, **config: Any) -> Flask:
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config.update(SECRET_KEY="host-secret", FEEDBACKWIDGET_DATABASE_URL=url, **config)

    @app.get("/")
    def home() -> str:
        return "the shop's own home page"

    return app


def test_host_app_with_its_own_models_and_alembic_keeps_working(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    host_cfg = host_alembic(tmp_path, url)
    command.upgrade(host_cfg, "head")
    app = host_app(tmp_path, url)
    FeedbackWidget(app)
    upgrade(get_state(app).engine)

    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"orders", "alembic_version", "fw_alembic_version", "fw_responses"} <= tables
    command.downgrade(host_cfg, "base")  # the host's Alembic still manages only its own tables
    tables = set(inspect(create_engine(url)).get_table_names())
    assert "orders" not in tables and "fw_responses" in tables
    client = app.test_client()
    assert client.get("/").get_data(as_text=True) == "the shop's own home page"
    assert client.get("/feedback/healthz").status_code == 200


def test_the_url_prefix_is_configurable(tmp_path: Path) -> None:
    app = host_app(tmp_path, f"sqlite:///{tmp_path / 'a.sqlite'}", FEEDBACKWIDGET_URL_PREFIX="/voice")
    FeedbackWidget(app)
    client = app.test_client()
    assert client.get("/voice/widget.js").status_code == 200
    assert client.get("/feedback/widget.js").status_code == 404


def test_init_app_with_an_app_factory_and_two_apps_in_one_process(tmp_path: Path) -> None:
    feedback = FeedbackWidget()
    first = host_app(tmp_path / "1", f"sqlite:///{tmp_path / 'one.sqlite'}")
    second = host_app(tmp_path / "2", f"sqlite:///{tmp_path / 'two.sqlite'}")
    feedback.init_app(first)
    feedback.init_app(second)
    keys = []
    for app in (first, second):
        upgrade(get_state(app).engine)
        with Session(get_state(app).engine) as session:
            keys.append(create_site(session, "Shop", ["https://shop.example"]).key)
            session.commit()

    body = {"survey": "nps", "answers": {"score": 8}}
    assert first.test_client().post(f"/feedback/api/v1/sites/{keys[0]}/responses", json=body).status_code == 201
    assert second.test_client().post(f"/feedback/api/v1/sites/{keys[0]}/responses", json=body).status_code == 404
    with Session(get_state(second).engine) as session:
        assert session.scalars(select(Response)).all() == []


def test_registering_twice_on_one_app_says_how_to_fix_it(tmp_path: Path) -> None:
    app = host_app(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")
    FeedbackWidget(app)
    with pytest.raises(RuntimeError, match="call init_app once per app"):
        FeedbackWidget(app)


def test_nothing_global_is_installed_on_the_host(tmp_path: Path) -> None:
    app = host_app(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")

    @app.post("/checkout")
    def checkout() -> str:
        return "paid"

    before_request_funcs = dict(app.before_request_funcs)
    FeedbackWidget(app)

    assert app.test_client().post("/checkout").get_data(as_text=True) == "paid"  # no CSRF imposed
    assert app.before_request_funcs.get(None, []) == before_request_funcs.get(None, [])
    assert not hasattr(app, "login_manager")
    assert set(app.extensions) >= {"feedbackwidget"}
    assert "csrf" not in app.extensions


def test_without_any_secret_key_one_is_generated_once_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config["FEEDBACKWIDGET_DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite'}"
    FeedbackWidget(app)
    again = Flask("shop", instance_path=str(tmp_path / "instance"))
    again.config["FEEDBACKWIDGET_DATABASE_URL"] = app.config["FEEDBACKWIDGET_DATABASE_URL"]
    FeedbackWidget(again)

    assert get_state(app).secret_key == get_state(again).secret_key
    assert len(get_state(app).secret_key) >= 40
    assert "FEEDBACKWIDGET_SECRET_KEY is not set" in caplog.text


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config["SECRET_KEY"] = "the-shops-own-secret-key"
    FeedbackWidget(app)
    assert get_state(app).engine.url.database == str(tmp_path / "instance" / "feedbackwidget.sqlite")


def test_get_state_on_an_app_without_the_extension_says_how_to_fix_it() -> None:
    with pytest.raises(RuntimeError, match=r"call FeedbackWidget\(app\)"):
        get_state(Flask("bare"))
