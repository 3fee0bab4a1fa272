#!/usr/bin/env python3
"""What a page view costs the server: the widget's script and the site config, against a Flask
hello world measured in the same run.

Each target runs under gunicorn (2 sync workers) on 127.0.0.1 and is loaded by wrk (2 threads,
4 connections) sending a browser's ``Accept-Encoding: br, gzip`` and the shop's ``Origin``:

- ``hello``: Flask's hello world, the yardstick;
- ``config``: ``GET /feedback/api/v1/sites/<key>/config?locale=hu`` of a site with the five
  template surveys (the read rate limits set high, so they count but never refuse);
- ``widget.js``: ``GET /feedback/widget.js``.

Rounds are interleaved; the median of the per-round ratios to hello is reported. Targets: the
config at least 0.8x hello, widget.js at least 0.9x, and one visitor's first paint (the script and
the config of each language, as sent) at most 6.5 KB.

    .venv/bin/python bench/pageview_bench.py --duration 8 --rounds 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from submit_bench import (  # noqa: E402
    HIGH_LIMIT, ORIGIN, Measurement, app_env, ensure_wrk, gunicorn, parse_wrk, prepare_feedbackwidget,
)

TARGETS = {"config": 0.8, "widget.js": 0.9}
FIRST_PAINT_LIMIT = int(6.5 * 1024)
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "Origin": ORIGIN}


def run_wrk_get(wrk: str, url: str, seconds: int, connections: int) -> Measurement:
    command = [wrk, "--threads", "2", "--connections", str(connections), "--duration", f"{seconds}s",
               "--timeout", "10s", "--latency"]
    for name, value in BROWSER_HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(result.stdout)


def sent_bytes(url: str) -> int:
    """The size of the body as sent to a browser (compressed when the server compresses)."""
    request = urllib.request.Request(url, headers=BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


def measure(args: argparse.Namespace, work: Path) -> tuple[dict[str, list[Measurement]], dict[str, int]]:
    wrk = ensure_wrk()
    url = f"sqlite:///{work / 'bench.sqlite'}"
    key, site_id, survey_id = prepare_feedbackwidget(url, templates=("nps", "csat", "stock", "suggestions", "loyalty"))
    env = {**app_env(url, site_id, survey_id), "FEEDBACKWIDGET_RATELIMIT_READ_PER_CLIENT": HIGH_LIMIT,
           "FEEDBACKWIDGET_RATELIMIT_READ_PER_SITE": HIGH_LIMIT}
    config_path = f"/feedback/api/v1/sites/{key}/config?locale=hu"
    targets = [("hello", "submit_bench:hello_app()", {}, "/", "/"),
               ("config", "feedbackwidget:create_app()", env, "/feedback/healthz", config_path),
               ("widget.js", "feedbackwidget:create_app()", env, "/feedback/healthz", "/feedback/widget.js")]
    results: dict[str, list[Measurement]] = {}
    first_paint: dict[str, int] = {}
    log = work / "servers.log"
    for round_number in range(args.rounds):
        for name, target, target_env, ready, path in targets:
            with gunicorn(target, target_env, ready, log) as base:
                if name == "config" and not first_paint:
                    script = sent_bytes(base + "/feedback/widget.js")
                    first_paint = {locale: script + sent_bytes(base + config_path.replace("=hu", f"={locale}"))
                                   for locale in ("en", "hu", "zh")}
                run_wrk_get(wrk, base + path, args.warmup, args.connections)
                measurement = run_wrk_get(wrk, base + path, args.duration, args.connections)
            results.setdefault(name, []).append(measurement)
            print(f"round {round_number + 1} {name:10} {measurement.requests_per_second:9.1f} req/s  "
                  f"p99 {measurement.p99_ms:6.2f} ms  non-2xx {measurement.non_2xx} {measurement.errors}", flush=True)
    return results, first_paint


def report(results: dict[str, list[Measurement]], first_paint: dict[str, int]) -> str:
    hello = results["hello"]
    lines = ["| target | req/s ÷ hello | p99 ÷ hello | req/s (median) | p99 ms (median) | non-2xx |",
             "|---|---|---|---|---|---|"]
    verdicts = []
    for name, runs in results.items():
        ratio = statistics.median(m.requests_per_second / h.requests_per_second for m, h in zip(runs, hello))
        p99 = statistics.median(m.p99_ms / h.p99_ms for m, h in zip(runs, hello))
        lines.append(f"| {name} | {ratio:.2f}x | {p99:.2f}x | {statistics.median(m.requests_per_second for m in runs):.0f} "
                     f"| {statistics.median(m.p99_ms for m in runs):.2f} | {sum(m.non_2xx for m in runs)} |")
        if name in TARGETS:
            met = ratio >= TARGETS[name]
            verdicts.append(f"- {name}: {ratio:.2f}x hello (target ≥ {TARGETS[name]}x): "
                            f"{'target met' if met else 'TARGET NOT MET'}")
    worst = max(first_paint.values())
    verdicts.append(f"- first paint (script + config as sent): {', '.join(f'{k} {v} B' for k, v in first_paint.items())} "
                    f"(target ≤ {FIRST_PAINT_LIMIT} B): {'target met' if worst <= FIRST_PAINT_LIMIT else 'TARGET NOT MET'}")
    invalid = [name for name, runs in results.items() if any(m.non_2xx or m.errors for m in runs)]
    if invalid:
        verdicts.append(f"- INVALID: non-2xx responses or socket errors in {', '.join(invalid)}")
    return "\n".join([*lines, "", *verdicts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=8, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fwpageview-") as tmp:
        results, first_paint = measure(args, Path(tmp))
    print()
    print(report(results, first_paint))


if __name__ == "__main__":
    main()
