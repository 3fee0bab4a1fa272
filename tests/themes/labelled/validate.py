"""Check the labelled theme files: every line parses, keys only from the ten themes,
themes sorted and unique, enough lines and enough examples per theme.

Usage: python tests/themes/labelled/validate.py [FILE ...]   (default: every *.jsonl here)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

THEMES = (
    "delivery",
    "price",
    "quality",
    "stock",
    "staff",
    "website",
    "payment",
    "returns",
    "packaging",
    "loyalty",
)
MIN_LINES = 180
MIN_PER_THEME = 15


def check(path: Path) -> list[str]:
    errors: list[str] = []
    counts: Counter[str] = Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    seen: set[str] = set()
    none = 0
    for number, line in enumerate(lines, 1):
        where = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{where}: not JSON ({error})")
            continue
        if not isinstance(row, dict) or set(row) != {"text", "themes"}:
            errors.append(f"{where}: expected exactly the keys text and themes")
            continue
        text, themes = row["text"], row["themes"]
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where}: text must be a non-empty string")
        elif text in seen:
            errors.append(f"{where}: duplicate text")
        else:
            seen.add(text)
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            errors.append(f"{where}: themes must be a list of strings")
            continue
        unknown = [t for t in themes if t not in THEMES]
        if unknown:
            errors.append(f"{where}: unknown theme(s) {unknown}")
        if themes != sorted(set(themes)):
            errors.append(f"{where}: themes must be sorted and unique")
        counts.update(themes)
        none += not themes
    if len(lines) < MIN_LINES:
        errors.append(f"{path.name}: {len(lines)} lines, need at least {MIN_LINES}")
    for theme in THEMES:
        if counts[theme] < MIN_PER_THEME:
            errors.append(f"{path.name}: {theme} has {counts[theme]}, need at least {MIN_PER_THEME}")
    print(f"{path.name}: {len(lines)} lines, {none} without a theme ({none / max(len(lines), 1):.0%})")
    for theme in THEMES:
        print(f"  {theme:<10} {counts[theme]}")
    return errors


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    paths = [Path(a) for a in argv] or sorted(here.glob("*.jsonl"))
    errors = [e for p in paths for e in check(p)]
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
