"""Failed-login throttling: counted atomically, per network and per account, never a lock-out by a stranger."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget.web.admin.login_throttle import ACCOUNT_DELAYS, account_key
from feedbackwidget.accounts.models import LoginThrottle
from feedbackwidget.core.models import utcnow

from .conftest import ADMIN_LOGIN_URL, admin_login, csrf_token

OWNER = "owner@shop.example"
NETWORK_REFUSED = "Too many failed logins from your network."
ACCOUNT_REFUSED = "Too many failed logins for this account."


def client_at(app: Flask, address: str) -> FlaskClient:
    """A browser at *address* that has opened the login page."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.get(ADMIN_LOGIN_URL)
    return client


def post_login(client: FlaskClient, email: str, password: str) -> Any:
    token = csrf_token(client.get(ADMIN_LOGIN_URL).text)
    return client.post(ADMIN_LOGIN_URL, data={"email": email, "password": password, "csrf_token": token})


def counters(db: Session) -> dict[str, int]:
    return {row.key.split(":")[0] if row.key != account_key(OWNER) else "owner": row.failures
            for row in db.scalars(select(LoginThrottle))}


def test_concurrent_wrong_guesses_neither_slip_through_nor_lose_a_count(
    make_app: Callable[..., Flask], make_admin: Any, db: Session
) -> None:
    app = make_app()
    make_admin(OWNER)
    guessers = [client_at(app, "203.0.113.5") for _ in range(12)]
    tokens = [csrf_token(g.get(ADMIN_LOGIN_URL).text) for g in guessers]
    start, answers = threading.Barrier(len(guessers)), [None] * len(guessers)

    def guess(index: int) -> None:
        start.wait()
        answers[index] = guessers[index].post(ADMIN_LOGIN_URL, data={
            "email": OWNER, "password": f"wrong guess {index}", "csrf_token": tokens[index]})

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(guessers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(answer.status_code for answer in answers)  # type: ignore[attr-defined]
    assert set(statuses) <= {401, 429}, statuses
    wrong = sum(answer.status_code == 401 for answer in answers)  # type: ignore[attr-defined]
    by_network = sum(NETWORK_REFUSED in answer.text for answer in answers)  # type: ignore[attr-defined]
    assert 1 <= wrong <= 5  # at most the network's limit had their password checked
    assert by_network == 12 - 5
    assert counters(db) == {"owner": wrong, "address": 12}

    right = post_login(guessers[0], OWNER, "correct horse battery")
    assert right.status_code == 429
    assert guessers[0].get_cookie("fw_admin_session", path="/feedback/admin") is None


def test_a_stranger_cannot_lock_the_owner_out(make_app: Callable[..., Flask], make_admin: Any) -> None:
    app = make_app(FEEDBACKWIDGET_ADMIN_MAX_FAILED_LOGINS=3)
    make_admin(OWNER)
    stranger = client_at(app, "203.0.113.5")
    answers = [post_login(stranger, OWNER, f"guess number {i}") for i in range(20)]
    assert [a.status_code for a in answers[:3]] == [401] * 3
    assert all(a.status_code == 429 and NETWORK_REFUSED in a.text for a in answers[3:])
    stranger.environ_base["HTTP_ACCEPT_LANGUAGE"] = "hu"
    hungarian = post_login(stranger, OWNER, "one more guess")
    assert "Túl sok sikertelen bejelentkezés érkezett az Ön hálózatáról." in hungarian.text

    owner = client_at(app, "198.51.100.7")
    assert post_login(owner, OWNER, "correct horse battery").status_code == 302


def test_guesses_from_many_networks_slow_the_account_down_but_never_lock_it(
    make_app: Callable[..., Flask], make_admin: Any, db: Session
) -> None:
    app = make_app()
    make_admin(OWNER)
    answers = [post_login(client_at(app, f"2001:db8:{i:x}::1"), OWNER, f"guess number {i}") for i in range(40)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(ACCOUNT_REFUSED in a.text for a in refused)
    assert max(int(a.headers["Retry-After"]) for a in refused) <= ACCOUNT_DELAYS[-1].total_seconds()

    owner = client_at(app, "198.51.100.7")
    db.execute(update(LoginThrottle).where(LoginThrottle.key == account_key(OWNER))
               .values(next_attempt_at=utcnow() + ACCOUNT_DELAYS[-1]))  # the owner comes while it waits
    waiting = post_login(owner, OWNER, "correct horse battery")
    assert waiting.status_code == 429 and ACCOUNT_REFUSED in waiting.text  # the documented behaviour
    db.execute(update(LoginThrottle).values(next_attempt_at=utcnow()))  # the delay has run out
    assert post_login(owner, OWNER, "correct horse battery").status_code == 302
    assert post_login(client_at(app, "2001:db8:99::1"), OWNER, "one more guess").status_code == 401


def test_an_unknown_account_is_throttled_the_same_way(
    make_app: Callable[..., Flask], make_admin: Any, db: Session
) -> None:
    import datetime as dt

    app = make_app()
    make_admin(OWNER)
    emails = (OWNER, "nobody@shop.example")
    for email in emails:
        answers = [post_login(client_at(app, f"192.0.2.{i}"), email, "wrong guess") for i in range(4)]
        assert [a.status_code for a in answers] == [401] * 4
    rows = list(db.scalars(select(LoginThrottle).where(LoginThrottle.key.in_([account_key(e) for e in emails]))))
    assert [row.failures for row in rows] == [4, 4]
    db.execute(update(LoginThrottle).values(next_attempt_at=utcnow() + dt.timedelta(seconds=30)))

    known, unknown = (post_login(client_at(app, "198.51.100.1"), email, "wrong guess") for email in emails)
    assert known.status_code == unknown.status_code == 429
    assert ACCOUNT_REFUSED in known.text
    def seen(page: Any, email: str) -> str:  # the page, but for the address typed, its token and the seconds
        text = page.text.replace(email, "EMAIL").replace(csrf_token(page.text), "TOKEN")
        return re.sub(r"in \d+ seconds", "in N seconds", text)

    assert seen(known, OWNER) == seen(unknown, "nobody@shop.example")


def test_ipv6_addresses_of_one_network_share_a_limit(make_app: Callable[..., Flask], make_admin: Any) -> None:
    app = make_app(FEEDBACKWIDGET_ADMIN_MAX_FAILED_LOGINS=2)
    make_admin(OWNER)
    for host in ("1", "2"):
        assert post_login(client_at(app, f"2001:db8:1:2::{host}"), "x@shop.example", "wrong guess").status_code == 401
    third = post_login(client_at(app, "2001:db8:1:2:ffff::3"), OWNER, "correct horse battery")
    assert third.status_code == 429 and NETWORK_REFUSED in third.text
    assert post_login(client_at(app, "2001:db8:1:3::1"), OWNER, "correct horse battery").status_code == 302


def test_a_success_clears_the_accounts_count(make_app: Callable[..., Flask], make_admin: Any, db: Session) -> None:
    app = make_app()
    make_admin(OWNER)
    client = client_at(app, "192.0.2.1")
    for _ in range(2):
        assert post_login(client, OWNER, "wrong guess").status_code == 401
    assert admin_login(client, OWNER).status_code == 302
    assert counters(db) == {"address": 2}


def writers_locked_out(url: str) -> bool:
    """Whether some connection holds a transaction open (SQLite: the write lock) on the database *url*."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"timeout": 0} if url.startswith("sqlite") else {})
    try:
        with engine.connect() as connection:
            if url.startswith("sqlite"):
                try:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                except Exception:  # noqa: BLE001  ("database is locked")
                    return True
                connection.exec_driver_sql("ROLLBACK")
                return False
            busy = connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"))
            return bool(busy)
    finally:
        engine.dispose()


def test_no_transaction_is_open_while_a_password_is_verified(
    make_app: Callable[..., Flask], make_admin: Any, monkeypatch: Any
) -> None:
    from feedbackwidget.web.admin import sessions

    app = make_app()
    make_admin(OWNER)
    url = app.config["FEEDBACKWIDGET_DATABASE_URL"]
    locked: list[bool] = []
    verify = sessions.verify_password

    def verify_and_look(password_hash: str, password: str) -> bool:
        locked.append(writers_locked_out(url))
        return verify(password_hash, password)

    monkeypatch.setattr(sessions, "verify_password", verify_and_look)
    client = client_at(app, "192.0.2.1")
    assert post_login(client, OWNER, "wrong guess").status_code == 401
    assert post_login(client, OWNER, "correct horse battery").status_code == 302
    assert locked == [False, False]


def test_an_accounts_count_fades_only_after_a_quiet_window(
    make_app: Callable[..., Flask], make_admin: Any, db: Session
) -> None:
    import datetime as dt

    app = make_app()
    make_admin(OWNER)
    now = utcnow()
    db.add(LoginThrottle(key=account_key(OWNER), failures=10, window_started_at=now - dt.timedelta(minutes=14),
                         next_attempt_at=now))
    db.commit()
    assert post_login(client_at(app, "192.0.2.1"), OWNER, "slow guess").status_code == 401
    waiting = post_login(client_at(app, "192.0.2.2"), OWNER, "slow guess")
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) > 30  # still at the longest delay

    db.execute(update(LoginThrottle).values(window_started_at=now - dt.timedelta(minutes=16), next_attempt_at=now))
    assert post_login(client_at(app, "192.0.2.3"), OWNER, "slow guess").status_code == 401
    assert post_login(client_at(app, "192.0.2.4"), OWNER, "slow guess").status_code == 401  # a fresh start
