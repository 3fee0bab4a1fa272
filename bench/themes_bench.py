"""Themes of free text (issue 14): quality on the labelled sets, top terms, and speed.

Three parts, printed as Markdown for RESULTS.md:

- **quality**: precision and recall of theme assignment per language, micro-averaged over
  theme labels, on ``tests/themes/labelled/{en,hu,zh}.jsonl`` (language detected per text,
  the file's language as the page's);
- **top terms**: the 20 terms most texts mention in a realistic corpus per language (the
  labelled texts plus the demo shop's low-score reasons, each 20 times, as a dashboard
  gets them), each checked: no stop word, number, single character or fragment across
  word boundaries (a Chinese term is made of whole words of jieba's dictionary or ours;
  an English or Hungarian term of whole words the texts contain);
- **speed**: ``analyse()`` (detect + terms + themes) over a generated corpus of
  ``--comments`` comments (the labelled texts and low-score reasons recombined, with
  typos, numbers and order references, 40 % Hungarian, 35 % English, 25 % Chinese), in
  one process (comments per CPU second: per core, whatever else the machine runs) and in
  ``--processes`` processes (wall clock, which depends on the load); each process loads its
  dictionaries before the clock starts. The time for 1,000,000 comments is extrapolated
  from the per-core rate over all cores, and from the parallel run's wall clock.

    .venv/bin/python bench/themes_bench.py --comments 200000 --processes 2

Targets: precision >= 0.85 and recall >= 0.75 per language; 1,000,000 comments in
under 10 minutes on this 2-core machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedbackwidget.provisioning.demo import COMMENTS
from feedbackwidget.themes import LANGUAGES, analyse, top_terms  # noqa: E402
from feedbackwidget.themes.chinese import is_word  # noqa: E402
from feedbackwidget.themes.evaluation import read_labelled, score  # noqa: E402
from feedbackwidget.themes.lexicon import stop_words  # noqa: E402

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "themes" / "labelled"
LOW_SCORE_REPEATS = 20
MIX = {"hu": 0.40, "en": 0.35, "zh": 0.25}
ONE_MILLION = 1_000_000


def labelled_texts(language: str) -> list[str]:
    return [text for text, _ in read_labelled(LABELLED / f"{language}.jsonl")]


def realistic_corpus(language: str) -> list[str]:
    return labelled_texts(language) + [COMMENTS["detractor"][language]] * LOW_SCORE_REPEATS


def quality() -> list[tuple[str, int, float, float, int, int, int]]:
    rows = []
    for language in LANGUAGES:
        labelled = read_labelled(LABELLED / f"{language}.jsonl")
        scores = score(labelled, hint=language)
        rows.append((language, len(labelled), scores.precision, scores.recall, scores.true_positives,
                     scores.false_positives, scores.false_negatives))
    return rows


def term_problems(term: str, language: str, texts: Sequence[str]) -> list[str]:
    problems = []
    if term in stop_words(language):
        problems.append("stop word")
    if re.search(r"\d", term):
        problems.append("number")
    if len(term) < 2:
        problems.append("single character")
    if not is_whole_words(term, language, texts):
        problems.append("fragment")
    return problems


def is_whole_words(term: str, language: str, texts: Sequence[str]) -> bool:
    if language == "zh":
        return all(is_word(piece) or piece.isascii() for piece in chinese_pieces(term))
    return all(any(re.search(rf"(?<!\w){re.escape(word[:4])}", text, re.IGNORECASE) for text in texts)
               for word in term.split())


def chinese_pieces(term: str) -> list[str]:
    """The dictionary words a Chinese term is made of (longest first, as a reader would cut it)."""
    pieces, start = [], 0
    while start < len(term):
        end = next((end for end in range(len(term), start, -1) if is_word(term[start:end])), start + 1)
        pieces.append(term[start:end])
        start = end
    return pieces


def generated_corpus(size: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    pools = {language: realistic_corpus(language) for language in LANGUAGES}
    languages, weights = list(MIX), list(MIX.values())
    return [mutate(rng, pools, rng.choices(languages, weights)[0]) for _ in range(size)]


def mutate(rng: random.Random, pools: dict[str, list[str]], language: str) -> str:
    parts = [rng.choice(pools[language]) for _ in range(rng.choice((1, 1, 1, 2)))]
    text = ("，" if language == "zh" else ", ").join(parts)
    if rng.random() < 0.3:
        text = typo(rng, text)
    if rng.random() < 0.2:
        text += f" #{rng.randint(10000, 99999)}"
    return text


def typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    at = rng.randrange(len(text) - 1)
    return text[:at] + text[at + 1] + text[at] + text[at + 2:]


def analyse_all(texts: Sequence[str]) -> tuple[float, float]:
    """CPU seconds and wall seconds to analyse ``texts``, dictionaries loaded beforehand."""
    for language in LANGUAGES:
        analyse(labelled_texts(language)[0], language)
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        analyse(text, "hu")
    return time.process_time() - cpu, time.perf_counter() - wall


def speed(texts: list[str], processes: int) -> tuple[float, float, float, float]:
    """Comments per CPU second in one process; wall seconds, comments per second, CPU seconds in ``processes``."""
    one_cpu, _ = analyse_all(texts[: len(texts) // processes])
    chunks = [texts[index::processes] for index in range(processes)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        timings = pool.map(analyse_all, chunks)
    wall = time.perf_counter() - started
    return len(texts) // processes / one_cpu, wall, len(texts) / wall, sum(cpu for cpu, _ in timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
    print("\n| language | comments | precision | recall | true pos. | false pos. | false neg. |")
    print("|---|---|---|---|---|---|---|")
    for language, count, precision, recall, true_pos, false_pos, false_neg in quality():
        verdict = "met" if precision >= 0.85 and recall >= 0.75 else "NOT met"
        print(f"| {language} | {count} | {precision:.3f} | {recall:.3f} | {true_pos} | {false_pos} | {false_neg} |"
              f" {verdict}")
    for language in LANGUAGES:
        corpus = realistic_corpus(language)
        top = top_terms(corpus, language, 20)
        problems = {term: term_problems(term, language, corpus) for term, _ in top}
        flagged = {term: found for term, found in problems.items() if found}
        listed = ", ".join(f"{term} ({count})" for term, count in top)
        print(f"\n**{language}** top 20 of {len(corpus)} texts: {listed}")
        print(f"problems: {flagged or 'none'}")
    texts = generated_corpus(args.comments)
    per_core, wall, parallel, cpu = speed(texts, args.processes)
    cores = os.cpu_count() or 1
    print(f"\nspeed: {per_core:,.0f} comments per CPU second (one core); 1,000,000 comments on {cores} cores: "
          f"{ONE_MILLION / per_core / cores / 60:.1f} min of CPU each (target < 10 min)")
    print(f"{args.processes} processes: {len(texts):,} comments in {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({parallel:,.0f} comments/s wall at this load; 1,000,000: {ONE_MILLION / parallel / 60:.1f} min)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
