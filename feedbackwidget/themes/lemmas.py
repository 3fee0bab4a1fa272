"""English and Hungarian lemmas with simplemma, its dictionaries kept as tries on disk.

simplemma's default dictionaries are decoded into Python dicts on first use, several
seconds per language, in every new process: most of the worker's cold start. Its
:class:`~simplemma.strategies.dictionaries.TrieDictionaryFactory` (the
``simplemma[marisa-trie]`` extra) builds each language's trie once, saves it in the user's
cache directory and, in every later process, opens the saved file in milliseconds. Where
that directory cannot be written (a read-only home), the default dictionaries are used,
so a process never pays for building a trie it cannot keep.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from pathlib import Path

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY, DictionaryFactory

log = logging.getLogger(__name__)
_lock = threading.Lock()
_lemmatizer: Lemmatizer | None = None
_lookup: DictionaryLookupStrategy | None = None
LEMMA_CACHE_SIZE = 200_000


def lemmatize(word: str, language: str) -> str:
    """``word``'s dictionary form in ``language`` (``"en"`` or ``"hu"``), as written when unknown."""
    return _loaded()[0].lemmatize(word, language)


def is_known(word: str, languages: tuple[str, ...]) -> bool:
    """Whether ``word`` is in the dictionary of one of ``languages``."""
    lookup, normal = _loaded()[1], unicodedata.normalize("NFC", word)  # the dictionaries' form, as simplemma's is_known
    return any(lookup.get_lemma(normal, language) is not None for language in languages)


def _loaded() -> tuple[Lemmatizer, DictionaryLookupStrategy]:
    global _lemmatizer, _lookup
    with _lock:
        if _lemmatizer is None or _lookup is None:
            factory = dictionary_factory()
            _lemmatizer = Lemmatizer(cache_max_size=LEMMA_CACHE_SIZE,
                                     lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
            _lookup = DictionaryLookupStrategy(factory)
        return _lemmatizer, _lookup


def dictionary_factory() -> DictionaryFactory:
    """simplemma's trie dictionaries cached on disk when possible, else its default ones."""
    try:
        from platformdirs import user_cache_dir
        from simplemma.strategies.dictionaries import TrieDictionaryFactory

        folder = Path(user_cache_dir("feedbackwidget")) / "simplemma-tries"
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(f"{folder} is not writable")
        return TrieDictionaryFactory(disk_cache_dir=str(folder / _simplemma_version()))
    except (ImportError, OSError) as err:
        log.info("feedbackwidget: simplemma's dictionaries load in full in each process (%s)", err)
        return DEFAULT_DICTIONARY_FACTORY


def _simplemma_version() -> str:
    from importlib.metadata import version

    return version("simplemma")
