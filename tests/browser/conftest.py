"""Browser-test fixtures: the app on a real HTTP server, a second origin for the shop, Debian's chromium.

``live_server`` serves the feedbackwidget app (werkzeug ``make_server`` in a thread) on a
free port of 127.0.0.1; ``shop_server`` serves static shop pages from another port (so
another origin), with the headers each page asks for; ``browser`` is headless chromium.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.smtp import free_port

CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveServer:
    app: Flask
    url: str  # http://127.0.0.1:PORT, no trailing slash


@pytest.fixture
def live_server(make_app: Callable[..., Flask]) -> Iterator[LiveServer]:
    """The app (test database, settings as in ``app``) answering real HTTP requests."""
    app = make_app()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{port}")
    server.shutdown()
    thread.join(5)


@dataclass
class ShopPage:
    body: str
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ShopServer:
    origin: str
    pages: dict[str, ShopPage]


@pytest.fixture
def shop_server() -> Iterator[ShopServer]:
    """A shop on its own origin; put pages into ``shop_server.pages[path]``."""
    pages: dict[str, ShopPage] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            page = pages.get(self.path.split("?")[0])
            if page is None:
                self.send_error(404)
                return
            data = page.body.encode()
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ShopServer(f"http://127.0.0.1:{port}", pages)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright, one per test module (so that Playwright's
    event loop is gone again before the next module's tests run)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"]
        )
        yield launched
        launched.close()
