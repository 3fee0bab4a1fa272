"""Database faults on the submit path: down, restarted, read-only, full.

The restart test runs its OWN throw-away PostgreSQL cluster (initdb into a tmp
dir, on a free port): the shared server on 5432 is never stopped.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from feedbackwidget import get_state
from feedbackwidget.core.db import create_feedback_engine
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Response
from feedbackwidget.provisioning import create_site

from .conftest import SHOP_ORIGIN
from .smtp import free_port

BODY = {"survey": "nps", "answers": {"score": 4, "reason": "Late parcel"}}


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL's {name} is not installed: apt-get install postgresql")
    return found[-1]


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster of this test alone, that it may stop and start."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        command = [_pg_bin("pg_ctl"), "-D", str(self.directory / "data"), "-w", "-t", "60", *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._ctl("-o", options, "-l", str(self.directory / "server.log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    # Not under tmp_path: the postgres user must be able to reach the directory.
    directory = Path(tempfile.mkdtemp(prefix="fw-own-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    initdb = [_pg_bin("initdb"), "-D", str(directory / "data"), "-U", "postgres", "-A", "trust", "--no-sync"]
    if os.geteuid() == 0:
        initdb = ["runuser", "-u", "postgres", "--", *initdb]
    subprocess.run(initdb, check=True, capture_output=True)
    cluster = OwnPostgres(directory, free_port())
    cluster.start()
    yield cluster
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def served(make_app: Callable[..., Flask]) -> Callable[..., tuple[Flask, str]]:
    """Serve an app made with *settings* on 127.0.0.1 with a real threaded server."""
    servers: list[Any] = []

    def serve(**settings: Any) -> tuple[Flask, str]:
        app = make_app(**settings)
        server = make_server("127.0.0.1", free_port(), app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return app, f"http://127.0.0.1:{server.server_port}/feedback"

    yield serve
    for server in servers:
        server.shutdown()


def http(method: str, url: str, body: Any = None, **headers: str) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"null")


def prepare_database(url: str) -> str:
    engine = create_feedback_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        key = create_site(session, "Fault Shop", [SHOP_ORIGIN], templates=("nps",)).key
        session.commit()
    engine.dispose()
    return key


@dataclass
class Outcome:
    accepted: dict[str, int] = field(default_factory=dict)  # Idempotency-Key -> id the client was told
    statuses: list[int] = field(default_factory=list)
    unexpected: list[Any] = field(default_factory=list)


def widget_client(url: str, outcome: Outcome, stop: threading.Event, lock: threading.Lock) -> None:
    """Behave as the widget: keep each submission and retry it with the same key until stored."""
    while not stop.is_set():
        key = uuid.uuid4().hex
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, headers, body = http("POST", url, BODY, **{"Idempotency-Key": key})
            with lock:
                outcome.statuses.append(status)
            if status == 201:
                with lock:
                    outcome.accepted[key] = body["id"]
                break
            if status != 503 or body.get("code") != "unavailable" or int(headers.get("Retry-After", 0)) < 1:
                with lock:
                    outcome.unexpected.append((status, headers, body))
                return
            time.sleep(0.2)


@pytest.mark.slow
def test_a_postgresql_restart_under_load_loses_and_duplicates_nothing(
    own_postgres: OwnPostgres, served: Callable[..., tuple[Flask, str]]
) -> None:
    key = prepare_database(own_postgres.url)
    app, base = served(FEEDBACKWIDGET_DATABASE_URL=own_postgres.url, FEEDBACKWIDGET_SITE_CACHE_SECONDS=3600,
                       FEEDBACKWIDGET_RATELIMIT_ENABLED=False)
    submit_url = f"{base}/api/v1/sites/{key}/responses"
    outcome, stop, lock = Outcome(), threading.Event(), threading.Lock()
    clients = [threading.Thread(target=widget_client, args=(submit_url, outcome, stop, lock)) for _ in range(4)]
    for client in clients:
        client.start()
    time.sleep(1.5)

    own_postgres.stop()
    time.sleep(1.0)
    health_while_down = http("GET", f"{base}/healthz")[0]
    own_postgres.start()
    time.sleep(2.0)
    stop.set()
    for client in clients:
        client.join(timeout=90)

    engine = create_engine(own_postgres.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = dict(connection.execute(select(Response.idempotency_key, Response.id)).all())
    engine.dispose()
    assert outcome.unexpected == []
    assert health_while_down == 503
    assert 503 in outcome.statuses and 500 not in outcome.statuses
    assert outcome.statuses[-1] == 201  # recovered by itself
    assert rows == outcome.accepted  # every accepted submission stored once, with the id the client got
    assert http("GET", f"{base}/healthz")[0] == 200


def test_with_the_database_down_the_api_answers_503_json_and_health_reports_it(
    make_app: Callable[..., Flask],
) -> None:
    make_app()  # the fixture cleans up through its first app: one on the test database
    client = make_app(FEEDBACKWIDGET_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/none").test_client()

    submitted = client.post("/feedback/api/v1/sites/site_abc/responses", json=BODY,
                            headers={"Idempotency-Key": "k1", "Origin": SHOP_ORIGIN})
    config = client.get("/feedback/api/v1/sites/site_abc/config")

    for response in (submitted, config):
        assert response.status_code == 503
        assert response.json["code"] == "unavailable"
        assert int(response.headers["Retry-After"]) >= 1
    assert client.get("/feedback/healthz").status_code == 503


def _sqlite_app(make_app: Callable[..., Flask], path: Path, query: str = "") -> Flask:
    return make_app(FEEDBACKWIDGET_DATABASE_URL=f"sqlite:///file:{path}?uri=true{query}",
                    FEEDBACKWIDGET_RATELIMIT_ENABLED=False)


def test_a_read_only_sqlite_database_answers_503_and_keeps_its_data(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    path = tmp_path / "feedback.sqlite"
    key = prepare_database(f"sqlite:///{path}")
    writable = _sqlite_app(make_app, path).test_client()
    url = f"/feedback/api/v1/sites/{key}/responses"
    assert writable.post(url, json=BODY, headers={"Idempotency-Key": "before"}).status_code == 201
    before = sqlite3.connect(path).execute("SELECT id, idempotency_key, answers FROM fw_responses").fetchall()

    read_only = _sqlite_app(make_app, path, "&mode=ro").test_client()
    refused = read_only.post(url, json=BODY, headers={"Idempotency-Key": "after"})

    assert refused.status_code == 503
    assert refused.json["code"] == "unavailable" and int(refused.headers["Retry-After"]) >= 1
    assert read_only.get(f"/feedback/api/v1/sites/{key}/config").status_code == 200
    assert sqlite3.connect(path).execute("SELECT id, idempotency_key, answers FROM fw_responses").fetchall() == before


def test_a_full_sqlite_disk_answers_503_and_keeps_its_data(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite"
    key = prepare_database(f"sqlite:///{path}")
    app = _sqlite_app(make_app, path)
    client = app.test_client()
    url = f"/feedback/api/v1/sites/{key}/responses"
    assert client.post(url, json=BODY, headers={"Idempotency-Key": "first"}).status_code == 201
    def _cap_size(dbapi_connection: Any, record: Any) -> None:
        # No page beyond the ones in use: as when the disk has no room left.
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    for engine in (get_state(app).engine, get_state(app).submit_engine):  # every connection to the file
        event.listen(engine, "connect", _cap_size)
    get_state(app).dispose()
    long_text = {"survey": "nps", "answers": {"score": 1, "reason": "x" * 2000}}
    statuses = [client.post(url, json=long_text, headers={"Idempotency-Key": f"k{n}"}).status_code
                for n in range(40)]

    assert 503 in statuses and 500 not in statuses
    full = client.post(url, json=long_text, headers={"Idempotency-Key": "one-more"})
    assert full.status_code == 503 and full.json["code"] == "unavailable"
    stored = sqlite3.connect(path).execute("SELECT idempotency_key FROM fw_responses ORDER BY id").fetchall()
    assert stored[0] == ("first",)
    assert len(stored) == 1 + statuses.count(201)


def _down_app(make_app: Callable[..., Flask]) -> Flask:
    make_app()  # the fixture cleans up through its first app: one on the test database
    return make_app(FEEDBACKWIDGET_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/none")


@pytest.mark.parametrize("path", [
    "/feedback/complaint/site_abc/status/C-2026-0001?token=abc",
    "/feedback/complaint/site_abc",
    "/feedback/s/site_abc/nps",
])
def test_with_the_database_down_the_public_pages_answer_a_503_page_in_the_visitors_language(
    make_app: Callable[..., Flask], path: str
) -> None:
    client = _down_app(make_app).test_client()

    hungarian = client.get(path, headers={"Accept-Language": "hu-HU,hu;q=0.9"})
    chinese = client.get(path + ("&" if "?" in path else "?") + "lang=zh")

    for page in (hungarian, chinese):
        assert page.status_code == 503
        assert int(page.headers["Retry-After"]) >= 1
        assert page.mimetype == "text/html"
    assert "Átmenetileg nem érhető el" in hungarian.text and 'lang="hu"' in hungarian.text
    assert "此页面暂时无法显示" in chinese.text


def test_with_the_database_down_the_admin_login_and_pages_answer_a_503_page(make_app: Callable[..., Flask]) -> None:
    from .conftest import csrf_token

    client = _down_app(make_app).test_client()
    page = client.get("/feedback/admin/login")
    response = client.post("/feedback/admin/login", data={
        "csrf_token": csrf_token(page.text), "email": "owner@shop.example", "password": "a long password"})

    client.set_cookie("fw_admin_session", "a-session-of-yesterday", path="/feedback/admin")
    dashboard = client.get("/feedback/admin/", headers={"Accept-Language": "zh-CN"})

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert "Temporarily unavailable" in response.text and "try again in a few minutes" in response.text
    assert dashboard.status_code == 503 and "暂时无法访问" in dashboard.text


def test_a_host_apps_own_database_errors_stay_the_hosts(make_app: Callable[..., Flask]) -> None:
    from sqlalchemy.exc import OperationalError

    app = _down_app(make_app)

    @app.get("/host-page")
    def host_page() -> str:
        raise OperationalError("SELECT 1", {}, Exception("host database down"))

    app.testing = False  # an unhandled error becomes the host's 500, not an exception in the test
    response = app.test_client().get("/host-page")
    assert response.status_code == 500
    assert "Temporarily unavailable" not in response.text


def test_health_reports_a_database_that_reads_but_refuses_writes(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    path = tmp_path / "feedback.sqlite"
    prepare_database(f"sqlite:///{path}")
    assert _sqlite_app(make_app, path).test_client().get("/feedback/healthz").status_code == 200

    health = _sqlite_app(make_app, path, "&mode=ro").test_client().get("/feedback/healthz")

    assert health.status_code == 503
    assert health.json == {"status": "unavailable", "database": "not writable"}


FULL_DISK_SCRIPT = """
import resource, signal, sys
from feedbackwidget.app import create_app

app = create_app({"TESTING": True, "FEEDBACKWIDGET_SECRET_KEY": "test-secret-key",
                  "FEEDBACKWIDGET_DATABASE_URL": sys.argv[1], "FEEDBACKWIDGET_AUTO_MIGRATE": False})
client = app.test_client()
for _ in range(12):  # a write-ahead log of several pages, which SQLite appends to
    assert client.get("/feedback/healthz").status_code == 200
wal_size = __import__("os").path.getsize(sys.argv[2] + "-wal")
# From here no file may grow: what a full disk does to every write that needs room.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (wal_size, resource.RLIM_INFINITY))
health = client.get("/feedback/healthz")
print(health.status_code, health.get_data(as_text=True))
"""


def test_health_reports_a_full_disk(tmp_path: Path) -> None:
    import sys

    path = tmp_path / "feedback.sqlite"
    prepare_database(f"sqlite:///{path}")
    result = subprocess.run([sys.executable, "-c", FULL_DISK_SCRIPT, f"sqlite:///{path}", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    status, body = result.stdout.strip().split(" ", 1)
    assert (status, json.loads(body)) == ("503", {"status": "unavailable", "database": "not writable"}), result.stderr
