"""Webhooks: signed JSON POSTs to a shop's CRM, never to internal addresses, never redirected."""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.delivery.models import Webhook
from feedbackwidget.delivery.outbox import enqueue
from feedbackwidget.delivery.safe_http import UnsafeTarget, check_target, post
from feedbackwidget.delivery.signing import SIGNATURE_HEADER, InvalidSignature, sign, verify_signature
from feedbackwidget.delivery.webhooks import add_webhook
from feedbackwidget.delivery.worker import WorkerSettings, drain
from feedbackwidget.core.models import OutboxMessage, Site

from .conftest import SHOP_ORIGIN


class Receiver:
    """An HTTP server on 127.0.0.1 that records POSTs and answers ``status`` (with ``location``)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.status = 200
        self.location: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/feedback?src=fw"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, _, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def hook_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(FEEDBACKWIDGET_ALLOW_PRIVATE_WEBHOOKS=True)


def send_all(app: Flask) -> dict[str, int]:
    return dict(drain(get_state(app).engine, WorkerSettings.for_app(app)))


def save(db: Session, site: Site, url: str, **kwargs: Any) -> Webhook:
    hook = add_webhook(db, site, url, allow_private=True, timeout=5, **kwargs)
    db.commit()
    return hook


def test_a_new_response_is_posted_signed_to_the_sites_webhook(
    hook_app: Flask, site: Site, db: Session, receiver: Receiver
) -> None:
    hook = save(db, site, receiver.url)
    assert receiver.bodies()[0]["event"] == "ping"

    response = hook_app.test_client().post(
        f"/feedback/api/v1/sites/{site.key}/responses", headers={"Origin": SHOP_ORIGIN},
        json={"survey": "nps", "answers": {"score": 10}, "customer": {"id": "C-9", "loyalty_tier": "gold"}})
    assert response.status_code == 201
    assert send_all(hook_app) == {"sent": 1}

    path, headers, raw = receiver.requests[1]
    assert path == "/hooks/feedback?src=fw"
    assert headers["Content-Type"] == "application/json"
    verify_signature(hook.secret, headers[SIGNATURE_HEADER], raw)
    body = json.loads(raw)
    assert body["event"] == "response.created"
    assert body["data"]["id"] == response.json["id"]  # type: ignore[index]
    assert (body["data"]["survey"], body["data"]["nps_score"], body["data"]["customer"]["id"]) == ("nps", 10, "C-9")
    [message] = db.scalars(select(OutboxMessage)).all()
    assert body["delivery_id"] == message.message_id


def test_a_signature_does_not_verify_for_another_body_secret_or_an_old_timestamp() -> None:
    body, now = b'{"event":"ping"}', 1_800_000_000
    header = sign("s3cret", body, now)
    assert verify_signature("s3cret", header, body, now=now + 10) == now
    for secret, signed_body, at in (("other", body, now), ("s3cret", b'{"event":"pong"}', now),
                                    ("s3cret", body, now + 3600)):
        with pytest.raises(InvalidSignature):
            verify_signature(secret, header, signed_body, now=at)
    with pytest.raises(InvalidSignature, match="t=<unix time>"):
        verify_signature("s3cret", "garbage", body)


def test_complaint_events_reach_the_webhooks_that_listen_to_them(
    hook_app: Flask, site: Site, db: Session, receiver: Receiver
) -> None:
    hook = save(db, site, receiver.url, events=("complaint.created", "complaint.updated"))
    state = get_state(hook_app)
    data = {"id": 7, "reference": "C-7", "category": "delivery", "channel": "web", "description": "Broken",
            "customer_name": "Ann", "customer_email": "ann@example.com",
            "created_at": dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), "due_at": None, "status": "new",
            "admin_path": "/admin/complaints/7"}
    site_config = state.sites.get(site.key)
    assert site_config is not None
    with hook_app.test_request_context(), state.engine.begin() as connection:
        drafts = [*state.drafts_for("complaint.created", site_config, data),
                  *state.drafts_for("complaint.updated", site_config, {**data, "status": "resolved"}),
                  *state.drafts_for("complaint.updated", site_config, {**data, "status": "closed"})]
        enqueue(connection, [d for d in drafts if d.kind == "webhook"])
    assert send_all(hook_app) == {"sent": 3}

    bodies = receiver.bodies()[1:]
    assert [(b["event"], b["data"]["status"]) for b in bodies] == [
        ("complaint.created", "new"), ("complaint.updated", "resolved"), ("complaint.updated", "closed")]
    assert bodies[0]["data"]["created_at"] == "2026-11-20T00:00:00+00:00"
    assert "admin_path" not in bodies[0]["data"]
    for _, headers, raw in receiver.requests[1:]:
        verify_signature(hook.secret, headers[SIGNATURE_HEADER], raw)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://10.1.2.3/hook", "http://192.168.0.10/",
    "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
])
def test_internal_targets_are_refused_at_save_time(site: Site, db: Session, url: str) -> None:
    with pytest.raises(ValueError, match="loopback, private or link-local"):
        add_webhook(db, site, url, allow_private=False)


@pytest.mark.parametrize("url", ["ftp://crm.example/hook", "https://user:pw@crm.example/hook", "not a url"])
def test_other_schemes_and_credentials_in_the_url_are_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget):
        check_target(url, allow_private=False, resolve=lambda host, port: ["93.184.216.34"])


def test_a_host_whose_name_resolves_to_any_private_address_is_refused() -> None:
    with pytest.raises(UnsafeTarget, match="10.0.0.5"):
        check_target("https://crm.example/hook", allow_private=False,
                     resolve=lambda host, port: ["93.184.216.34", "10.0.0.5"])
    target = check_target("https://crm.example:8443/h?x=1", allow_private=False,
                          resolve=lambda host, port: ["93.184.216.34"])
    assert (target.host, target.address, target.port, target.path) == ("crm.example", "93.184.216.34", 8443, "/h?x=1")


def test_a_redirecting_url_is_refused_at_save_time(site: Site, db: Session, receiver: Receiver) -> None:
    receiver.status, receiver.location = 302, "http://169.254.169.254/"
    with pytest.raises(ValueError, match="redirect"):
        add_webhook(db, site, receiver.url, allow_private=True, timeout=5)
    assert db.scalars(select(Webhook)).all() == []


def test_a_url_that_starts_redirecting_later_fails_at_send_time_without_retries(
    hook_app: Flask, site: Site, db: Session, receiver: Receiver
) -> None:
    save(db, site, receiver.url)
    receiver.status, receiver.location = 307, "http://169.254.169.254/"
    hook_app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses",
                                json={"survey": "nps", "answers": {"score": 9}})
    assert send_all(hook_app) == {"failed": 1}
    [message] = db.scalars(select(OutboxMessage)).all()
    assert "redirects are refused" in (message.last_error or "")
    assert len(receiver.requests) == 2, "the redirect was not followed"


def test_an_address_that_turns_private_after_saving_is_refused_at_send_time(
    make_app: Callable[..., Flask], site: Site, db: Session, receiver: Receiver
) -> None:
    # Saved while crm.example resolved to a public address; now it resolves to loopback (DNS rebinding).
    db.add(Webhook(site_id=site.id, url=receiver.url.replace("127.0.0.1", "crm.example"), secret="s",
                   events=["response.created"]))
    db.commit()
    app = make_app()
    app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses",
                           json={"survey": "nps", "answers": {"score": 9}})
    settings = WorkerSettings.for_app(app)
    rebinding = WorkerSettings(**{**settings.__dict__, "resolve": lambda host, port: ["127.0.0.1"]})
    assert dict(drain(get_state(app).engine, rebinding)) == {"failed": 1}
    [message] = db.scalars(select(OutboxMessage)).all()
    assert "loopback, private or link-local" in (message.last_error or "")
    assert receiver.requests == []


def _certificate(tmp_path: Any, name: str) -> tuple[str, str]:
    cert, key = str(tmp_path / f"{name}.pem"), str(tmp_path / f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}"], check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize(("served_name", "works"), [("crm.example", True), ("other.example", False)])
def test_https_goes_to_the_checked_address_and_still_verifies_the_host_name(
    tmp_path: Any, receiver: Receiver, served_name: str, works: bool
) -> None:
    cert, key = _certificate(tmp_path, served_name)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    receiver.server.socket = server_context.wrap_socket(receiver.server.socket, server_side=True)
    port = receiver.server.server_address[1]
    # crm.example "resolves" to the receiver; the connection is made to that address, TLS checks crm.example.
    target = check_target(f"https://crm.example:{port}/hook", allow_private=True,
                          resolve=lambda host, port: ["127.0.0.1"])
    client_context = ssl.create_default_context(cafile=cert)
    if works:
        assert post(target, b"{}", {"Content-Type": "application/json"}, 5, client_context)[0] == 200
        assert receiver.requests[0][1]["Host"] == f"crm.example:{port}"
    else:
        with pytest.raises(ssl.SSLCertVerificationError):
            post(target, b"{}", {"Content-Type": "application/json"}, 5, client_context)


def _unresolvable(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")


def test_a_failed_dns_lookup_at_send_time_is_retried_and_the_message_delivered_later(
    make_app: Callable[..., Flask], site: Site, db: Session, receiver: Receiver
) -> None:
    # .invalid never resolves (RFC 6761): the system resolver fails as during a DNS outage.
    db.add(Webhook(site_id=site.id, url=receiver.url.replace("127.0.0.1", "crm.invalid"), secret="s",
                   events=["response.created"]))
    db.commit()
    app = make_app(FEEDBACKWIDGET_ALLOW_PRIVATE_WEBHOOKS=True)
    app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses",
                           json={"survey": "nps", "answers": {"score": 9}})
    settings = WorkerSettings.for_app(app)
    assert dict(drain(get_state(app).engine, settings)) == {"pending": 1}
    [message] = db.scalars(select(OutboxMessage)).all()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "does not resolve" in (message.last_error or "")

    dns_back = WorkerSettings(**{**settings.__dict__, "resolve": lambda host, port: ["127.0.0.1"]})
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert dict(drain(get_state(app).engine, dns_back, now=later)) == {"sent": 1}
    assert [body["event"] for body in receiver.bodies()] == ["response.created"]


def test_a_host_name_that_does_not_resolve_is_still_refused_when_saving(site: Site, db: Session) -> None:
    with pytest.raises(ValueError, match="does not resolve"):
        add_webhook(db, site, "https://crm.example/hook", resolve=_unresolvable)
    assert db.scalars(select(Webhook)).all() == []


@pytest.mark.parametrize("address", [
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "2001:0:4136:e378:8000:63bf:3f57:fefe",  # Teredo, client 192.168.1.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "::ffff:10.0.0.1",  # IPv4-mapped
])
def test_ipv6_addresses_that_carry_a_private_ipv4_address_are_refused(address: str) -> None:
    with pytest.raises(UnsafeTarget, match="loopback, private or link-local"):
        check_target("https://crm.example/hook", allow_private=False, resolve=lambda host, port: [address])


@pytest.mark.parametrize("address", ["2002:5db8:d822::1", "64:ff9b::5db8:d822"])
def test_6to4_and_nat64_addresses_of_a_public_ipv4_address_are_accepted(address: str) -> None:
    target = check_target("https://crm.example/hook", allow_private=False, resolve=lambda host, port: [address])
    assert target.address == address
