"""Everything the worker stores for one text, from one pass over its words."""

from __future__ import annotations

from dataclasses import dataclass

from .assign import Assignment, assignment_of
from .language import detect_language
from .model import Taxonomy
from .taxonomy import BUILT_IN
from .terms import Term, terms_of_tokens
from .tokens import tokenize


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text's language, terms and themes."""

    language: str
    terms: tuple[Term, ...]
    assignment: Assignment


def analyse(text: str, hint: str | None = None, taxonomy: Taxonomy = BUILT_IN) -> Analysis:
    """Detect the language of ``text``, then find its terms and themes (words read once).

    :param hint: the page's language, kept when the text is too short to tell.
    :param taxonomy: the site's themes; build it once per site and reuse it, its seeds are
        compiled on first use.
    """
    language = detect_language(text, hint)
    tokens = tokenize(text, language)
    matches = taxonomy.matcher.find(text, language, tokens)
    found = terms_of_tokens(text, tokens, language, matches)
    return Analysis(language, tuple(found), assignment_of(matches, taxonomy))
