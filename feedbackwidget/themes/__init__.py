"""What customers talk about: language, terms and themes of free text, offline.

Plain functions over text, in English, Hungarian and Chinese; nothing here knows of
HTTP or the database. Dictionaries (jieba's) load on first use, in the process that
analyses.

- :func:`detect_language`: ``"en"``, ``"hu"`` or ``"zh"``, the page's language as a hint;
- :func:`terms`, :func:`top_terms`, :func:`key_phrases`: lemmas and phrases a shop owner
  can read ("not in stock", "nem érkezik meg", "没有货");
- :func:`themes_of`: the themes of one text under a :class:`Taxonomy`, with the spans
  to highlight; :data:`BUILT_IN` is the built-in shop taxonomy, :class:`SiteTaxonomy`
  a site's renames, merges, hidden and added themes and seeds;
- :func:`emerging_topics`: phrases that recur and match no theme (worked out by the worker and
  stored per site, :mod:`.topics`);
- :func:`analyse`: all of it for one text, as a worker runs it.
"""

from __future__ import annotations

from .analysis import Analysis, analyse
from .assign import Assignment, themes_of
from .emerging import Topic, emerging_topics
from .language import LANGUAGES, detect_language
from .matching import Match
from .model import Taxonomy, Theme
from .site import SiteTaxonomy
from .taxonomy import BUILT_IN
from .terms import Term, key_phrases, terms, top_terms

__all__ = ["BUILT_IN", "LANGUAGES", "Analysis", "Assignment", "Match", "SiteTaxonomy", "Taxonomy", "Term",
           "Theme", "Topic", "analyse", "detect_language", "emerging_topics", "key_phrases", "terms",
           "themes_of", "top_terms"]
