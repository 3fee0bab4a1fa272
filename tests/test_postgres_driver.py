"""A PostgreSQL URL without the ``postgres`` extra installed: one line naming the extra."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import Flask

from feedbackwidget import FeedbackWidget, create_app

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
ONE_LINE = 'PostgreSQL needs the psycopg driver: pip install "feedbackwidget[postgres]"'
# None in sys.modules makes "import psycopg" raise ImportError, as in an install without the extra.
WITHOUT_PSYCOPG = "import sys; sys.modules['psycopg'] = None; sys.argv = {argv!r}; from {module} import main; main()"


@pytest.fixture
def no_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)


def test_the_server_names_the_extra_when_psycopg_is_missing(no_psycopg: None) -> None:
    with pytest.raises(RuntimeError) as raised:
        create_app({"FEEDBACKWIDGET_DATABASE_URL": PG_URL, "FEEDBACKWIDGET_SECRET_KEY": "s" * 40})
    assert str(raised.value) == ONE_LINE


def test_a_host_app_gets_the_same_line(no_psycopg: None) -> None:
    host = Flask("shop")
    host.config.update(FEEDBACKWIDGET_DATABASE_URL="postgres://postgres@127.0.0.1/shop", SECRET_KEY="s" * 40)
    with pytest.raises(RuntimeError, match=r"pip install \"feedbackwidget\[postgres\]\""):
        FeedbackWidget(host)


def run_without_psycopg(module: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FEEDBACKWIDGET_DATABASE_URL": PG_URL}
    code = WITHOUT_PSYCOPG.format(argv=list(argv), module=module)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("module, argv", [
    ("feedbackwidget.app", ["feedbackwidget", "db", "upgrade"]),
    ("flask.cli", ["flask", "--app", "feedbackwidget", "run"]),
    ("flask.cli", ["flask", "--app", "feedbackwidget", "feedbackwidget", "db", "current"]),
])
def test_the_command_line_prints_one_line_not_a_traceback(module: str, argv: list[str]) -> None:
    result = run_without_psycopg(module, *argv)
    assert result.returncode == 1
    assert result.stderr == f"Error: {ONE_LINE}\n"
