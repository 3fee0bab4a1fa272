"""Which themes a text is about, and where it says so."""

from __future__ import annotations

from dataclasses import dataclass

from .matching import Match
from .model import Taxonomy
from .taxonomy import BUILT_IN


@dataclass(frozen=True, slots=True)
class Assignment:
    """The themes of one text, in taxonomy order, with the spans that matched.

    ``matches`` are in text order; ``text[match.start:match.end]`` is what to highlight.
    """

    themes: tuple[str, ...]
    matches: tuple[Match, ...]

    def spans(self, theme: str) -> list[tuple[int, int]]:
        """The character spans that put the text under ``theme``."""
        return [(match.start, match.end) for match in self.matches if match.theme == theme]


def themes_of(text: str, language: str, taxonomy: Taxonomy = BUILT_IN) -> Assignment:
    """The themes of ``text`` (written in ``language``) under ``taxonomy``; none is a valid answer.

    :param text: a comment as the customer wrote it.
    :param language: ``"en"``, ``"hu"`` or ``"zh"``, usually from :func:`.detect_language`.
    :param taxonomy: the site's themes (:meth:`.SiteTaxonomy.build`), the built-in ones by default.
    """
    return assignment_of(taxonomy.matcher.find(text, language), taxonomy)


def assignment_of(matches: list[Match], taxonomy: Taxonomy) -> Assignment:
    """The assignment that ``matches`` (from ``taxonomy.matcher``) make."""
    found = {match.theme for match in matches}
    return Assignment(tuple(key for key in taxonomy.keys if key in found), tuple(matches))
