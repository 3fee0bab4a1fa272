"""Chinese word segmentation with jieba and the shop's own words, loaded once per process.

The dictionary is built on first use (about a second), in the process that analyses
(the worker), never at import time and so never in a web worker's request path. The
tokenizer is our own :class:`jieba.Tokenizer`, so a host app's use of jieba is untouched.
"""

from __future__ import annotations

import logging
import threading
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def segment(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` as ``(word, start, end)``, with character offsets."""
    return [(word, start, end) for word, start, end in _shop_tokenizer().tokenize(text)]


def is_word(text: str) -> bool:
    """Whether ``text`` is one word of jieba's dictionary or of the shop's."""
    return bool(_shop_tokenizer().FREQ.get(text))


def _shop_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba  # imported here too: its own tables take a third of a second

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.load_userdict(str(files(__package__) / "data" / "shop_words_zh.txt"))
            _tokenizer = tokenizer
        return _tokenizer
