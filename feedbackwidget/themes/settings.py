"""A site's themes as its settings hold them: the built-in taxonomy with the owner's edits,
built once per distinct set of edits in a process (a taxonomy compiles its seeds on first use)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .model import Taxonomy
from .site import SiteTaxonomy

# Where a site's edits live in its settings JSON.
SETTINGS_KEY = "themes"
_taxonomies: dict[str, Taxonomy] = {}
_TAXONOMY_CACHE_SIZE = 64

def taxonomy_of_settings(settings: Mapping[str, Any] | None) -> Taxonomy:
    """The site's taxonomy for its ``settings``, built once per distinct set of edits in a process.

    Reusing it matters: a taxonomy compiles its seeds on first use.
    """
    stored = (settings or {}).get(SETTINGS_KEY) or {}
    cache_key = json.dumps(stored, sort_keys=True, ensure_ascii=False)
    taxonomy = _taxonomies.get(cache_key)
    if taxonomy is None:
        taxonomy = SiteTaxonomy.from_dict(stored).build()
        if len(_taxonomies) >= _TAXONOMY_CACHE_SIZE:
            _taxonomies.clear()
        _taxonomies[cache_key] = taxonomy
    return taxonomy
