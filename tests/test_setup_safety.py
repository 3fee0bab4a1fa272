"""Set-up safety: a private database file and a secret key that is not a placeholder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from feedbackwidget import FeedbackWidget, get_state
from feedbackwidget.migrations import upgrade
from feedbackwidget.provisioning import create_site

GOOD_KEY = "k" * 40


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which files are created world-readable by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_sqlite_database_and_its_folder_are_private(tmp_path: Path, usual_umask: None) -> None:
    instance = tmp_path / "instance"
    app = Flask("shop", instance_path=str(instance))
    app.config.update(TESTING=True, FEEDBACKWIDGET_SECRET_KEY=GOOD_KEY)
    FeedbackWidget(app)
    engine = get_state(app).engine
    upgrade(engine)
    with get_state(app).session_factory() as session:
        create_site(session, "Private Shop", ["https://shop.example"])
        session.commit()
        database = instance / "feedbackwidget.sqlite"
        # While a connection is open, SQLite's write-ahead log and shared-memory files exist.
        assert _mode(Path(f"{database}-wal")) == 0o600
        assert _mode(Path(f"{database}-shm")) == 0o600

    assert _mode(instance) == 0o700
    assert _mode(database) == 0o600
    engine.dispose()


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path, usual_umask: None) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o750)
    (instance / "feedbackwidget.sqlite").touch(mode=0o640)
    app = Flask("shop", instance_path=str(instance))
    app.config.update(TESTING=True, FEEDBACKWIDGET_SECRET_KEY=GOOD_KEY)
    FeedbackWidget(app)

    assert (_mode(instance), _mode(instance / "feedbackwidget.sqlite")) == (0o750, 0o640)


def _host(tmp_path: Path, **settings: object) -> Flask:
    app = Flask("shop", instance_path=str(tmp_path / "instance"))
    app.config.update(FEEDBACKWIDGET_DATABASE_URL=f"sqlite:///{tmp_path / 'shop.sqlite'}", **settings)
    return app


def _shipped_placeholder() -> str:
    env = Path(__file__).parent.parent / "deploy" / "feedbackwidget.env"
    [line] = [line for line in env.read_text().splitlines() if line.startswith("FEEDBACKWIDGET_SECRET_KEY=")]
    return line.split("=", 1)[1]


@pytest.mark.parametrize(("key", "problem"), [
    ("short-but-not-a-placeholder", "27 characters long, under the 32"),
    ("change-me", "placeholder"),
    ("CHANGE-ME-to-the-output-of-python3 -c 'import secrets; print(secrets.token_urlsafe(48))'", "placeholder"),
])
def test_a_short_or_placeholder_secret_key_is_refused_with_the_fix(tmp_path: Path, key: str, problem: str) -> None:
    with pytest.raises(RuntimeError) as refused:
        FeedbackWidget(_host(tmp_path, FEEDBACKWIDGET_SECRET_KEY=key))
    assert problem in str(refused.value)
    assert "FEEDBACKWIDGET_SECRET_KEY" in str(refused.value)
    assert "secrets.token_urlsafe(48)" in str(refused.value)


def test_the_key_in_the_shipped_deploy_settings_is_refused_until_replaced(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="placeholder"):
        FeedbackWidget(_host(tmp_path, FEEDBACKWIDGET_SECRET_KEY=_shipped_placeholder()))


def test_a_hosts_placeholder_secret_key_is_not_signed_with(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="the app's SECRET_KEY is a placeholder.*set FEEDBACKWIDGET_SECRET_KEY"):
        FeedbackWidget(_host(tmp_path, SECRET_KEY="dev"))
    # The host keeps its own key; feedbackwidget signs with its own.
    app = _host(tmp_path, SECRET_KEY="dev", FEEDBACKWIDGET_SECRET_KEY=GOOD_KEY)
    FeedbackWidget(app)
    assert get_state(app).secret_key == GOOD_KEY


@pytest.mark.parametrize("mode", [{"DEBUG": True}, {"TESTING": True}])
def test_debug_and_testing_mode_accept_any_key(tmp_path: Path, mode: dict[str, bool]) -> None:
    app = _host(tmp_path, FEEDBACKWIDGET_SECRET_KEY="dev", **mode)
    FeedbackWidget(app)
    assert get_state(app).secret_key == "dev"


def test_without_a_key_a_strong_one_is_generated_into_a_private_file(tmp_path: Path, usual_umask: None) -> None:
    app = _host(tmp_path)
    FeedbackWidget(app)

    key_file = tmp_path / "instance" / "feedbackwidget-secret-key"
    assert get_state(app).secret_key == key_file.read_text().strip()
    assert len(get_state(app).secret_key) >= 32
    assert _mode(key_file) == 0o600
