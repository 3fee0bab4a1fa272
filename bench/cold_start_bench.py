"""The worker's cold start (issue 14): a new process's first analysis of an English, a
Hungarian and a Chinese comment, with simplemma's dictionaries as tries cached on disk
(what :mod:`feedbackwidget.themes.lemmas` uses) against its default dictionaries (decoded
in full in every process, as before).

Each run is a fresh interpreter; the two variants alternate, ``--runs`` times each, and
the medians are printed with their ratio (CPU seconds, whatever else the machine runs,
and wall seconds, which depend on the load). The trie cache is built before the first
measured run, as a worker's first start on a machine does once.

    .venv/bin/python bench/cold_start_bench.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
import feedbackwidget.themes.lemmas as lemmas
if sys.argv[1] == "default":
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY
    lemmas.dictionary_factory = lambda: DEFAULT_DICTIONARY_FACTORY
from feedbackwidget.app import create_app
from feedbackwidget.themes import analyse
imported = time.process_time() - cpu
for text, hint in (("The delivery was late and nobody answered", "en"),
                   ("A szállítás nagyon lassú volt, két hétig tartott", "hu"),
                   ("物流太慢了，客服也没人回", "zh")):
    analyse(text, hint)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "import_cpu": imported}))
"""


def run(variant: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, variant], cwd=ROOT, check=True, capture_output=True, text=True)
    found: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run("tries")  # builds the cache once, as a worker's very first start does
    found: dict[str, list[dict[str, float]]] = {"default": [], "tries": []}
    for _ in range(args.runs):
        for variant in found:
            found[variant].append(run(variant))
    print(f"load average {os.getloadavg()[0]:.2f}, {args.runs} runs each\n")
    print("| dictionaries | CPU s (median) | of which imports | wall s (median) |\n|---|---|---|---|")
    medians = {}
    for variant, runs in found.items():
        medians[variant] = {key: statistics.median(r[key] for r in runs) for key in ("cpu", "wall", "import_cpu")}
        m = medians[variant]
        print(f"| {variant} | {m['cpu']:.2f} | {m['import_cpu']:.2f} | {m['wall']:.2f} |")
    print(f"\ntries / default: CPU {medians['tries']['cpu'] / medians['default']['cpu']:.2f}x, "
          f"wall {medians['tries']['wall'] / medians['default']['wall']:.2f}x")


if __name__ == "__main__":
    main()
