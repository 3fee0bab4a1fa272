"""Precision and recall of theme assignment against labelled comments (tests and bench)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .analysis import analyse
from .model import Taxonomy
from .taxonomy import BUILT_IN


@dataclass(frozen=True, slots=True)
class Scores:
    """Micro-averaged over theme labels: every expected or assigned key counts once."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        assigned = self.true_positives + self.false_positives
        return self.true_positives / assigned if assigned else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def read_labelled(path: Path) -> list[tuple[str, frozenset[str]]]:
    """``(text, expected theme keys)`` from a JSON Lines file of ``{"text": ..., "themes": [...]}``."""
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [(row["text"], frozenset(row["themes"])) for row in rows]


def score(labelled: Iterable[tuple[str, frozenset[str]]], hint: str, taxonomy: Taxonomy = BUILT_IN) -> Scores:
    """How well :func:`.analyse` (language detected, ``hint`` as the page's) finds the labels."""
    true_positives = false_positives = false_negatives = 0
    for text, expected in labelled:
        assigned = set(analyse(text, hint, taxonomy).assignment.themes)
        true_positives += len(assigned & expected)
        false_positives += len(assigned - expected)
        false_negatives += len(expected - assigned)
    return Scores(true_positives, false_positives, false_negatives)
