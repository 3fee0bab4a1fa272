"""Widget weight and speed: what a shop's visitor downloads to see and answer a survey, and how fast.

Run from the repository root (needs Debian's chromium and the dev extras):

    .venv/bin/python bench/widget_bench.py [--loads 15]

It starts the standalone app on a temporary SQLite database and a shop page on
another port of 127.0.0.1, then reports, gzip -9 of each response:

- the widget's weight, issue #3's measure against its 6 KB target (6144 B) and the published sizes
  of other widgets: its script as served (``/feedback/widget.js``, the styles inside) plus its UI
  strings in all three of its locales (en, hu, zh): each locale's ``strings`` of the site config,
  exactly as the server sends them (the text of that JSON value in the response), gzipped on its
  own, and the three summed. A visitor's browser fetches one locale, so the sum is the
  conservative figure; the three in one bundle, gzipped together, is reported beside it;
- the site config in each locale: the shop's surveys (question texts, options, triggers) and
  those strings; the survey content is the shop's data, not the widget, so only the strings count;
- the complaint form's script, which the widget fetches only when a visitor opens the form, and
  debug mode's sentences, fetched only on a page whose script tag has ``data-debug``;
- in headless chromium (median of --loads page loads): the requests before the Feedback button
  shows (at most 2: the script and the config), the time from the script starting to load to the
  button being interactive, with the config request's own time beside it, and from
  ``FeedbackWidget.open()`` to the dialog.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from feedbackwidget import create_app, get_state  # noqa: E402
from feedbackwidget.provisioning import create_site
from tests.smtp import free_port  # noqa: E402

TARGET_BYTES = 6 * 1024
OTHERS = {"PostHog surveys (3.3 KB + 4.5 KB Preact)": 7.8 * 1024, "Smartlook": 6 * 1024, "Hotjar": 16 * 1024}
LOCALES = ("en", "hu", "zh")
READY_PROBE = """
window.__fw = {};
new MutationObserver((changes, observer) => {
  const host = document.querySelector('feedback-widget');
  if (host && host.shadowRoot && host.shadowRoot.querySelector('.fw-button')) {
    window.__fw.ready = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def start_servers(tmp: str) -> tuple[str, str, str]:
    """The app's base URL, the shop page URL and the site key."""
    app = create_app({"FEEDBACKWIDGET_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
                      "FEEDBACKWIDGET_RUN_SENDER": False})
    shop_port, app_port = free_port(), free_port()
    with app.app_context():
        session = get_state(app).session_factory()
        site = create_site(session, "Bench Shop", [f"http://127.0.0.1:{shop_port}"], templates=("nps", "csat", "stock"))
        session.commit()
        key = site.key
    server = make_server("127.0.0.1", app_port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{app_port}"
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>'
            f'<script src="{base}/feedback/widget.js" data-site="{key}" async></script></body></html>').encode()

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    shop = ThreadingHTTPServer(("127.0.0.1", shop_port), Shop)
    threading.Thread(target=shop.serve_forever, daemon=True).start()
    return base, f"http://127.0.0.1:{shop_port}/", key


def sent_strings(config: bytes) -> str:
    """The site config's ``strings`` value as the server wrote it (its JSON text, escapes and all)."""
    text = config.decode()
    found = re.search(r'"strings"\s*:\s*', text)
    if not found:
        raise ValueError("the site config has no strings: is the server this repository's?")
    start = found.end()
    _, end = json.JSONDecoder().raw_decode(text, start)
    return text[start:end]


def weight(base: str, key: str, origin: str) -> dict[str, int]:
    """gzip -9 sizes: "script", "strings <locale>", "strings bundle", "config <locale>", "complaint form", "debug"."""
    import urllib.request

    def fetch(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"Origin": origin})
        with urllib.request.urlopen(request) as response:
            return bytes(response.read())

    script = fetch(f"{base}/feedback/widget.js")
    sizes = {"script": gz(script)}
    bundle = []
    for locale in LOCALES:
        config = fetch(f"{base}/feedback/api/v1/sites/{key}/config?locale={locale}")
        strings = sent_strings(config)
        sizes[f"strings {locale}"] = gz(strings.encode())
        sizes[f"config {locale}"] = gz(config)
        bundle.append(f'"{locale}":{strings}')
    sizes["strings bundle"] = gz(("{" + ",".join(bundle) + "}").encode())
    [form] = re.findall(rb"widget-complaint\.[0-9a-f]+\.js", script)
    sizes["complaint form"] = gz(fetch(f"{base}/feedback/{form.decode()}"))
    [debug] = re.findall(rb"widget-debug\.[0-9a-f]+\.js", script)
    sizes["debug"] = gz(fetch(f"{base}/feedback/{debug.decode()}"))
    return sizes


def browser_runs(base: str, shop_url: str, loads: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-background-networking"])
        for _ in range(loads):
            context = browser.new_context()
            page = context.new_page()
            widget_requests: list[str] = []
            page.on("request", lambda r: widget_requests.append(r.url) if r.url.startswith(base) else None)
            page.add_init_script(READY_PROBE)
            page.goto(shop_url)
            page.wait_for_function("window.__fw && window.__fw.ready")
            timing = page.evaluate(("""() => {
              const entries = performance.getEntriesByType('resource');
              const script = entries.find(e => e.name.includes('/widget.js'));
              const config = entries.find(e => e.name.includes('/config'));
              return {script_start: script.startTime, ready: window.__fw.ready,
                      config: config.responseEnd - config.startTime,
                      before_paint: entries.filter(e => e.name.startsWith(%r) && e.startTime <= window.__fw.ready).length};
            }""") % base)
            requests_at_paint = float(timing["before_paint"])
            page.wait_for_load_state("networkidle")
            open_ms = page.evaluate("""async () => { const start = performance.now(); await FeedbackWidget.open();
                const shown = !!document.querySelector('feedback-widget').shadowRoot.querySelector('[role=dialog]');
                return shown ? performance.now() - start : -1; }""")
            runs.append({"ready_ms": timing["ready"] - timing["script_start"], "config_ms": timing["config"],
                         "requests": requests_at_paint, "after": float(len(widget_requests)), "open_ms": open_ms})
            context.close()
        browser.close()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=15, help="page loads to time (default 15)")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        base, shop_url, key = start_servers(tmp)
        sizes = weight(base, key, shop_url.rstrip("/"))
        runs = browser_runs(base, shop_url, args.loads)
    strings = sum(sizes[f"strings {locale}"] for locale in LOCALES)
    widget = sizes["script"] + strings
    verdict = "met" if widget <= TARGET_BYTES else f"NOT met ({widget - TARGET_BYTES} B over)"
    print("== widget weight (issue #3): script + the UI strings of all three locales (gzip -9) ==")
    print(f"  {'widget.js (script + styles)':<40} {sizes['script']:>6} B")
    for locale in LOCALES:
        print(f"  {'UI strings, ' + locale + ' (as sent, gzipped alone)':<40} {sizes[f'strings {locale}']:>6} B")
    print(f"  {'UI strings, the three summed':<40} {strings:>6} B")
    print(f"  {'widget: script + the three':<40} {widget:>6} B of {TARGET_BYTES} B: target {verdict}")
    bundled = sizes["script"] + sizes["strings bundle"]
    print(f"  {'  beside: the three in one bundle':<40} {sizes['strings bundle']:>6} B (script + bundle {bundled} B)")
    for name, size in OTHERS.items():
        print(f"    vs {name:<35} {size / 1024:4.1f} KB: {widget / size:.2f} x")
    print("== not part of the widget's weight ==")
    for locale in LOCALES:
        print(f"  {'site config, ' + locale + ' (surveys + strings)':<40} {sizes[f'config {locale}']:>6} B")
    print(f"  {'complaint form (on first use)':<40} {sizes['complaint form']:>6} B")
    print(f"  {'debug sentences (data-debug only)':<40} {sizes['debug']:>6} B")
    ready = statistics.median(r["ready_ms"] for r in runs)
    config = statistics.median(r["config_ms"] for r in runs)
    requests = max(r["requests"] for r in runs)
    print(f"== headless chromium, {len(runs)} loads ==")
    print(f"  requests to the widget's server before the button shows: {requests:.0f} (at most 2: widget.js + config)")
    print(f"  requests until a survey can be answered: {max(r['after'] for r in runs):.0f}")
    print(f"  script start -> button interactive, median: {ready:.1f} ms")
    print(f"  of which the config request, median:        {config:.1f} ms ({ready / max(config, 0.01):.1f} x the config fetch)")
    opened = statistics.median(r["open_ms"] for r in runs)
    print(f"  FeedbackWidget.open() -> dialog shown, median: {opened:.1f} ms")


if __name__ == "__main__":
    main()
