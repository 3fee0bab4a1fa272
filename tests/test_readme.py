"""The README is a front page: short, its two commands first (CI runs the second as written),
links that lead somewhere, and no project history or machine paths in what users read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
USER_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]


def shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_the_readme_is_a_front_page_of_at_most_150_lines() -> None:
    assert len(README.splitlines()) <= 150


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    install_and_run, install_and_test = shell_blocks(README)[:2]
    assert "pip install ." in install_and_run and "feedbackwidget demo" in install_and_run
    assert install_and_test.endswith("-m pytest")
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_link_of_the_readme_leads_to_a_file_of_the_repository() -> None:
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    missing = [target for target in targets if not target.startswith("http") and not (ROOT / target).exists()]
    assert targets and missing == []


def test_user_docs_hold_no_issue_numbers_or_machine_paths() -> None:
    for path in USER_DOCS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bissue #?\d+|/work/|/root/|\.venv/bin/python bench", text, re.I), path.name
