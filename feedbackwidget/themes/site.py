"""A site's own themes: the built-in taxonomy with the owner's edits, as plain data.

The edits are stored as they are made (``to_dict`` / ``from_dict`` give JSON-ready
data) and applied to the built-in taxonomy in a fixed order: added themes, seed words
added and removed, merges, renames, hidden themes. Building compiles nothing: the seeds
are compiled on the taxonomy's first use, so build once per site and reuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Taxonomy, Theme
from .taxonomy import BUILT_IN

SeedEdits = Mapping[str, Mapping[str, tuple[str, ...]]]
"""Theme key -> language -> seed words."""


@dataclass(frozen=True)
class SiteTaxonomy:
    """An owner's edits to the built-in themes.

    :param renames: theme key -> language -> the name the owner gave it.
    :param merges: theme key -> the key it is merged into (its seeds go along).
    :param hidden: keys of themes the site does not use.
    :param added: the owner's own themes.
    :param added_seeds: words the owner added to a theme, per language.
    :param removed_seeds: built-in words the owner took out of a theme, per language.
    """

    renames: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    merges: Mapping[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    added: tuple[Theme, ...] = ()
    added_seeds: SeedEdits = field(default_factory=dict)
    removed_seeds: SeedEdits = field(default_factory=dict)

    def build(self, base: Taxonomy = BUILT_IN) -> Taxonomy:
        """The site's taxonomy; :class:`ValueError` naming the key when an edit refers to no theme."""
        themes = {theme.key: theme for theme in Taxonomy(base.themes + self.added).themes}
        themes = {key: _edit_seeds(theme, self.added_seeds.get(key, {}), self.removed_seeds.get(key, {}))
                  for key, theme in themes.items()}
        _check_known(themes, self.added_seeds, "add seeds to")
        _check_known(themes, self.removed_seeds, "remove seeds from")
        themes = _merge(themes, self.merges)
        _check_known(themes, self.renames, "rename")
        _check_known(themes, dict.fromkeys(self.hidden), "hide")
        renamed = [_rename(theme, self.renames.get(theme.key, {})) for theme in themes.values()]
        return Taxonomy(tuple(theme for theme in renamed if theme.key not in self.hidden))

    def to_dict(self) -> dict[str, Any]:
        """The edits as JSON-ready data."""
        return {
            "renames": {key: dict(names) for key, names in self.renames.items()},
            "merges": dict(self.merges),
            "hidden": sorted(self.hidden),
            "added": [{"key": theme.key, "names": dict(theme.names),
                       "seeds": {lang: list(words) for lang, words in theme.seeds.items()}} for theme in self.added],
            "added_seeds": _seeds_to_dict(self.added_seeds),
            "removed_seeds": _seeds_to_dict(self.removed_seeds),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteTaxonomy:
        """The edits stored by :meth:`to_dict`; :class:`ValueError` saying what is wrong otherwise."""
        try:
            return cls(
                renames={key: dict(names) for key, names in data.get("renames", {}).items()},
                merges=dict(data.get("merges", {})),
                hidden=frozenset(data.get("hidden", ())),
                added=tuple(Theme(item["key"], item["names"], _seed_tuples(item.get("seeds", {})))
                            for item in data.get("added", ())),
                added_seeds={key: _seed_tuples(seeds) for key, seeds in data.get("added_seeds", {}).items()},
                removed_seeds={key: _seed_tuples(seeds) for key, seeds in data.get("removed_seeds", {}).items()},
            )
        except (AttributeError, KeyError, TypeError) as err:
            raise ValueError(f"site themes are not in the stored shape ({err!r}): "
                             "store SiteTaxonomy.to_dict() as it is") from err


def _edit_seeds(theme: Theme, added: Mapping[str, tuple[str, ...]], removed: Mapping[str, tuple[str, ...]]) -> Theme:
    languages = set(theme.seeds) | set(added)
    seeds = {lang: tuple(word for word in theme.seeds.get(lang, ()) if word not in removed.get(lang, ()))
             + tuple(added.get(lang, ())) for lang in languages}
    return Theme(theme.key, theme.names, seeds)


def _merge(themes: dict[str, Theme], merges: Mapping[str, str]) -> dict[str, Theme]:
    _check_known(themes, merges, "merge")
    _check_known(themes, {target: "" for target in merges.values()}, "merge into")
    chained = sorted(set(merges) & set(merges.values()))
    if chained:
        raise ValueError(f"theme {chained[0]!r} is merged and merged into: merge every theme into its final one")
    merged = dict(themes)
    for source, target in merges.items():
        into = merged[target]
        seeds = {lang: into.seeds.get(lang, ()) + themes[source].seeds.get(lang, ())
                 for lang in set(into.seeds) | set(themes[source].seeds)}
        merged[target] = Theme(into.key, into.names, seeds)
        del merged[source]
    return merged


def _rename(theme: Theme, names: Mapping[str, str]) -> Theme:
    return Theme(theme.key, {**theme.names, **names}, theme.seeds) if names else theme


def _check_known(themes: Mapping[str, Theme], edits: Mapping[str, Any], action: str) -> None:
    unknown = sorted(set(edits) - set(themes))
    if unknown:
        raise ValueError(f"cannot {action} theme {unknown[0]!r}: the site's themes are {', '.join(themes)}")


def _seeds_to_dict(edits: SeedEdits) -> dict[str, dict[str, list[str]]]:
    return {key: {lang: list(words) for lang, words in seeds.items()} for key, seeds in edits.items()}


def _seed_tuples(seeds: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(str(word) for word in words) for lang, words in seeds.items()}
