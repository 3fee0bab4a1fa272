"""Alert rules on the submit path: what they cost, as ratios measured in one run.

Submits responses through the real app (Flask test client, SQLite in a temp
folder or ``--database``) in three interleaved kinds:

- ``baseline``: a happy response with delivery's response hook removed;
- ``no-alert``: the same response with the hook (rules evaluated in memory, no row written);
- ``alert``: an NPS of 2 (one alert mail rendered and written with the response, one transaction).

    /work/venv/bin/python bench/alerts_bench.py --requests 400

Target (issue 5): ``no-alert`` within 10 % of ``baseline``; the submit never waits for SMTP.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedbackwidget import create_app, get_state  # noqa: E402
from feedbackwidget.delivery.alerts import response_hook  # noqa: E402
from feedbackwidget.provisioning import create_site

HAPPY = {"survey": "nps", "answers": {"score": 10, "reason": "Great service"}}
UNHAPPY = {"survey": "nps", "answers": {"score": 2, "reason": "Slow delivery and rude staff"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    url = args.database or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    app = create_app({"FEEDBACKWIDGET_DATABASE_URL": url, "FEEDBACKWIDGET_SECRET_KEY": "bench-secret-key-of-32-characters",
                      "FEEDBACKWIDGET_RUN_SENDER": False, "FEEDBACKWIDGET_RATELIMIT_ENABLED": False,
                      "FEEDBACKWIDGET_PUBLIC_URL": "https://feedback.example"})
    with get_state(app).session_factory() as session:
        site = create_site(session, "Bench", ["https://bench.example"], alert_emails=["owner@bench.example"])
        session.commit()
        key = site.key
    client, hooks = app.test_client(), get_state(app).response_hooks
    timings: dict[str, list[float]] = {"baseline": [], "no-alert": [], "alert": []}
    for _ in range(args.requests):
        for kind, body in (("baseline", HAPPY), ("no-alert", HAPPY), ("alert", UNHAPPY)):
            if kind == "baseline":
                hooks.remove(response_hook)
            started = time.perf_counter()
            response = client.post(f"/feedback/api/v1/sites/{key}/responses", json=body)
            timings[kind].append(time.perf_counter() - started)
            if kind == "baseline":
                hooks.append(response_hook)
            assert response.status_code == 201, response.text
    base = statistics.median(timings["baseline"])
    for kind, values in timings.items():
        median = statistics.median(values)
        print(f"{kind:9} median {median * 1000:6.2f} ms  ratio to baseline {median / base:5.2f}")


if __name__ == "__main__":
    main()
