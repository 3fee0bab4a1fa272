"""simplemma's dictionaries as tries cached on disk: the worker's cold start (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY, TrieDictionaryFactory

from feedbackwidget.themes.lemmas import dictionary_factory, is_known, lemmatize


def test_words_are_lemmatised_and_known_as_before() -> None:
    assert lemmatize("szállítással", "hu") == "szállítás"
    assert lemmatize("deliveries", "en") == "delivery"
    assert is_known("delivery", ("en", "hu")) and not is_known("xqzvbw", ("en", "hu"))


def test_a_new_process_opens_the_saved_trie(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    factory = dictionary_factory()
    assert isinstance(factory, TrieDictionaryFactory)
    assert factory.get_dictionary("en").get("deliveries") == "delivery"
    saved = list(tmp_path.rglob("en.dic"))
    assert len(saved) == 1 and saved[0].stat().st_size > 0
    written = saved[0].stat().st_mtime_ns
    assert dictionary_factory().get_dictionary("en").get("deliveries") == "delivery"
    assert saved[0].stat().st_mtime_ns == written  # read from the file, not built again


def test_without_a_writable_cache_the_default_dictionaries_are_used(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert dictionary_factory() is DEFAULT_DICTIONARY_FACTORY
