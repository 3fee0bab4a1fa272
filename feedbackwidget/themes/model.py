"""Themes and taxonomies: plain data, the same for the built-in set and a site's own."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .matching import Matcher

THEME_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Theme:
    """One thing customers talk about, e.g. ``delivery``.

    :param key: stable identifier, stored with each response (``[a-z][a-z0-9_]*``).
    :param names: the name shown to the owner, per language (``{"en": "Delivery", ...}``).
    :param seeds: words and short phrases that mean the theme, per language. A word
        matches any inflection of itself (matching is on lemmas, and without accents);
        ``szállít*`` matches every word starting with ``szállít``; ``card ... declined``
        allows up to three other words between. Chinese seeds match as written.
    """

    key: str
    names: Mapping[str, str]
    seeds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not THEME_KEY.match(self.key):
            raise ValueError(f"theme key {self.key!r} is not valid: use lower-case letters, digits and _, "
                             "starting with a letter")
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        object.__setattr__(self, "seeds", MappingProxyType({lang: tuple(words) for lang, words in self.seeds.items()}))

    def name(self, language: str) -> str:
        """The theme's name in ``language``, else in English, else its key."""
        return self.names.get(language) or self.names.get("en") or self.key


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of themes; their order is the order of keys in every answer."""

    themes: tuple[Theme, ...]

    def __post_init__(self) -> None:
        keys = [theme.key for theme in self.themes]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"theme keys must be unique; repeated: {', '.join(duplicates)}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(theme.key for theme in self.themes)

    def theme(self, key: str) -> Theme:
        """The theme with ``key``; :class:`KeyError` naming the known keys when there is none."""
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise KeyError(f"no theme {key!r}; the themes are {', '.join(self.keys)}")

    @cached_property
    def matcher(self) -> Matcher:
        """The seeds compiled for matching, built once per taxonomy."""
        from .matching import Matcher

        return Matcher(self)
