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
from feedbackwidget.site_admin import create_site

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
