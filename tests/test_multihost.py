"""Two hosts (two gunicorn instances on two ports) on one PostgreSQL and one Redis.

What an operator relies on when running feedbackwidget on several machines (see
deploy/README.md): migrations run once however many hosts start together, rate
limits are shared, an admin session made on one host works on the other, and
outbox workers on both hosts send each message exactly once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from feedbackwidget.accounts import set_admin
from feedbackwidget.core.db import create_feedback_engine
from feedbackwidget.migrations import VERSION_TABLE, head_revisions
from feedbackwidget.core.models import OutboxMessage, Response
from feedbackwidget.provisioning import create_site

from .conftest import TEST_DATABASE_ENV, _create_pg_database
from .smtp import SmtpServer, free_port

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/7"
SECRET = "one-secret-shared-by-every-host-of-this-test"
PER_SITE_LIMIT = 12
PASSWORD = "correct horse battery"

configured = os.environ.get(TEST_DATABASE_ENV, "")
if not configured or make_url(configured).get_backend_name() != "postgresql":
    pytest.skip("a deployment of several hosts runs on PostgreSQL: this runs in the suite's PostgreSQL pass",
                allow_module_level=True)


@dataclass
class Deployment:
    url: str
    env: dict[str, str]
    hosts: list[str]
    smtp: SmtpServer


def host_env(url: str, smtp: SmtpServer) -> dict[str, str]:
    return {
        **os.environ,
        "FEEDBACKWIDGET_DATABASE_URL": url,
        "FEEDBACKWIDGET_SECRET_KEY": SECRET,
        "FEEDBACKWIDGET_RATELIMIT_STORAGE_URL": REDIS_URL,
        "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_SITE": f"{PER_SITE_LIMIT}/hour",
        "FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT": "1000/minute",
        "FEEDBACKWIDGET_RUN_SENDER": "false",
        "FEEDBACKWIDGET_RUN_MAINTENANCE": "false",  # deploy/ runs it from a timer
        "FEEDBACKWIDGET_AUTO_MIGRATE": "false",
        "FEEDBACKWIDGET_SITE_CACHE_SECONDS": "0",
        "MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port), "MAIL_DEFAULT_SENDER": "feedback@shop.example",
    }


def flask(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(BIN / "flask"), "--app", "feedbackwidget", "feedbackwidget", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def start_host(env: dict[str, str], port: int, workdir: Path) -> subprocess.Popen[bytes]:
    # Each host has its own control socket, as it would on its own machine.
    return subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                             "--control-socket", str(workdir / f"gunicorn-{port}.ctl"),
                             "feedbackwidget:create_app()"], env=env)


def wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 120  # a busy CI machine may take a while to boot workers
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/feedback/healthz", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    url, drop = _create_pg_database(configured)
    redis.Redis.from_url(REDIS_URL).flushdb()
    smtp = SmtpServer()
    smtp.start()
    env = host_env(url, smtp)
    ports = [free_port(), free_port()]
    migrations = [flask(env, "db", "upgrade") for _ in ports]  # both hosts start at once
    outputs = [m.communicate(timeout=120)[0] for m in migrations]
    assert [m.returncode for m in migrations] == [0, 0], outputs
    workdir = tmp_path_factory.mktemp("hosts")
    hosts = [start_host(env, port, workdir) for port in ports]
    try:
        for port in ports:
            wait_healthy(f"http://127.0.0.1:{port}")
        yield Deployment(url, env, [f"http://127.0.0.1:{port}" for port in ports], smtp)
    finally:
        for host in hosts:
            host.terminate()
            host.wait(timeout=30)
        smtp.stop()
        drop()


@pytest.fixture(scope="module")
def shop(deployment: Deployment) -> str:
    engine = create_feedback_engine(deployment.url)
    with Session(engine) as session:
        site = create_site(session, "Chain Shop", ["https://shop.example"], alert_emails=["alerts@shop.example"])
        set_admin(session, "owner@shop.example", PASSWORD)
        session.commit()
        key = site.key
    engine.dispose()
    return key


def test_migrations_ran_once_for_hosts_starting_together(deployment: Deployment) -> None:
    engine = create_feedback_engine(deployment.url)
    with engine.connect() as connection:
        versions = sorted(connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars())
    engine.dispose()
    assert tuple(versions) == head_revisions()


def test_rate_limits_are_shared_and_outbox_workers_on_both_hosts_send_each_alert_once(
    deployment: Deployment, shop: str
) -> None:
    statuses = []
    for attempt in range(PER_SITE_LIMIT + 8):
        host = deployment.hosts[attempt % 2]
        response = requests.post(f"{host}/feedback/api/v1/sites/{shop}/responses", timeout=60,
                                 json={"survey": "nps", "answers": {"score": 2, "reason": f"late #{attempt}"}},
                                 headers={"Idempotency-Key": str(uuid.uuid4())})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) > 0
    assert statuses.count(201) == PER_SITE_LIMIT, statuses
    assert statuses.count(429) == 8, statuses

    workers = [flask(deployment.env, "send-outbox") for _ in deployment.hosts]
    assert [w.wait(timeout=120) for w in workers] == [0, 0], [w.communicate()[0] for w in workers]

    engine = create_feedback_engine(deployment.url)
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Response))
        queued = session.scalar(select(func.count()).select_from(OutboxMessage))
        sent = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent"))
    engine.dispose()
    messages = deployment.smtp.wait_for(PER_SITE_LIMIT)
    time.sleep(0.5)  # anything sent twice would arrive now
    assert stored == PER_SITE_LIMIT
    assert queued == sent == PER_SITE_LIMIT
    message_ids = [m["Message-ID"] for m in deployment.smtp.messages]
    assert len(message_ids) == len(set(message_ids)) == PER_SITE_LIMIT


def test_an_admin_session_made_on_one_host_works_on_the_other(deployment: Deployment, shop: str) -> None:
    first, second = deployment.hosts
    browser = requests.Session()  # cookies are per host name, not per port: like one site behind nginx
    login_page = browser.get(f"{first}/feedback/admin/login", timeout=60)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page.text)
    assert token is not None
    logged_in = browser.post(f"{first}/feedback/admin/login", timeout=60, allow_redirects=False,
                             data={"email": "owner@shop.example", "password": PASSWORD,
                                   "csrf_token": token.group(1), "next": ""})
    assert logged_in.status_code == 302

    dashboard = browser.get(f"{second}/feedback/admin/", timeout=60)

    assert dashboard.status_code == 200
    assert "owner@shop.example" in dashboard.text
