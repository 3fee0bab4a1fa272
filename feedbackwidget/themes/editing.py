"""An owner's edits to a site's themes, as the theme editor makes them: plain functions on data.

Each edit takes the site's :class:`.SiteTaxonomy` and gives a new one (nothing is changed
in place), or raises :class:`ThemeEditError` naming the field and what to fix (an English
message the admin translates). Storing them is :func:`.store.save_site_edits`'.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..core.i18n import N_
from ..core.plain_text import has_control_characters
from .language import LANGUAGES
from .model import Theme
from .site import SiteTaxonomy
from .taxonomy import BUILT_IN

NAME_MAX = 60
SEED_MAX = 60
SEEDS_PER_LANGUAGE = 300
ADDED_MAX = 40

NAME_TOO_LONG = N_("Keep the name under 60 characters, on one line.")
NAME_NEEDED = N_("Give the theme a name in at least one language.")
SEED_INVALID = N_("Write one word or short phrase a line, each under 60 characters.")
TOO_MANY_SEEDS = N_("Keep it to 300 words a language.")
MERGE_UNKNOWN = N_("Choose one of the site's themes to merge into.")
MERGE_SELF = N_("A theme cannot be merged into itself.")
TOO_MANY_THEMES = N_("A site can add up to 40 themes of its own.")
NOT_SAVED = N_("These changes would leave the themes inconsistent; nothing was saved.")


class ThemeEditError(ValueError):
    """A field of the editor is wrong: ``field`` is its name, ``message`` an English msgid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class EditableTheme:
    """One theme as the editor shows it: the names and seeds in force, and its state."""

    key: str
    names: Mapping[str, str]
    seeds: Mapping[str, tuple[str, ...]]
    built_in: bool
    hidden: bool
    merged_into: str | None

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.key


def editable_themes(edits: SiteTaxonomy) -> list[EditableTheme]:
    """Every theme the site could use, built-in first, with the owner's edits applied to each."""
    return [_editable(theme, edits) for theme in (*BUILT_IN.themes, *edits.added)]


def editable_theme(edits: SiteTaxonomy, key: str) -> EditableTheme | None:
    return next((theme for theme in editable_themes(edits) if theme.key == key), None)


def _editable(theme: Theme, edits: SiteTaxonomy) -> EditableTheme:
    built_in = theme.key in BUILT_IN.keys
    added, removed = edits.added_seeds.get(theme.key, {}), edits.removed_seeds.get(theme.key, {})
    seeds = {lang: tuple(w for w in theme.seeds.get(lang, ()) if w not in removed.get(lang, ())) + tuple(added.get(lang, ()))
             for lang in LANGUAGES}
    names = {**theme.names, **edits.renames.get(theme.key, {})}
    return EditableTheme(theme.key, names, seeds, built_in, theme.key in edits.hidden, edits.merges.get(theme.key))


def clean_name(raw: str | None) -> str:
    """A theme name as typed, trimmed; :class:`ThemeEditError` when too long or not one line."""
    name = (raw or "").strip()
    if len(name) > NAME_MAX or has_control_characters(name):
        raise ThemeEditError("name", NAME_TOO_LONG)
    return name


def clean_seeds(raw: str | None) -> tuple[str, ...]:
    """Seed words written one a line (or separated by ``|``), trimmed, without repeats."""
    words = [" ".join(part.split()) for line in (raw or "").splitlines() for part in line.split("|")]
    words = [word for word in dict.fromkeys(words) if word]
    if len(words) > SEEDS_PER_LANGUAGE:
        raise ThemeEditError("seeds", TOO_MANY_SEEDS)
    if any(len(word) > SEED_MAX or has_control_characters(word) for word in words):
        raise ThemeEditError("seeds", SEED_INVALID)
    return tuple(words)


@dataclass(frozen=True)
class ThemeChanges:
    """What the editor's form of one theme says: names and seeds per language, hidden, merged into."""

    names: Mapping[str, str]
    seeds: Mapping[str, Sequence[str]]
    hidden: bool = False
    merge_into: str | None = None


def edit_theme(edits: SiteTaxonomy, key: str, changes: ThemeChanges) -> SiteTaxonomy:
    """*edits* with theme *key* renamed, reseeded, hidden or merged as *changes* say.

    :raises ThemeEditError: an unknown merge target, or edits that do not build.
    :raises KeyError: when the site has no theme *key*.
    """
    if editable_theme(edits, key) is None:
        raise KeyError(key)
    edits = _with_names(edits, key, changes.names)
    edits = _with_seeds(edits, key, changes.seeds)
    edits = _with_merge(edits, key, changes.merge_into)
    hidden = (edits.hidden | {key}) if changes.hidden and key not in edits.merges else (edits.hidden - {key})
    return _checked(replace(edits, hidden=frozenset(hidden)))


def add_theme(edits: SiteTaxonomy, names: Mapping[str, str], seeds: Mapping[str, Sequence[str]]) -> tuple[SiteTaxonomy, str]:
    """*edits* with a theme of the owner's own, and its new key (made from its name)."""
    names = {lang: name for lang, name in names.items() if name}
    if not names:
        raise ThemeEditError("name", NAME_NEEDED)
    if len(edits.added) >= ADDED_MAX:
        raise ThemeEditError("name", TOO_MANY_THEMES)
    key = new_key(names, [theme.key for theme in editable_themes(edits)])
    theme = Theme(key, names, {lang: tuple(words) for lang, words in seeds.items() if words})
    return _checked(replace(edits, added=(*edits.added, theme))), key


def new_key(names: Mapping[str, str], taken: Sequence[str]) -> str:
    """A free key from the theme's English (else any Latin) name: ``"Gift wrapping"`` -> ``gift_wrapping``."""
    base = ""
    for lang in ("en", "hu", "zh"):
        ascii_name = unicodedata.normalize("NFKD", names.get(lang, "")).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:30]
        if base:
            break
    base = base if base[:1].isalpha() else f"own_{base}".rstrip("_")
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _with_names(edits: SiteTaxonomy, key: str, names: Mapping[str, str]) -> SiteTaxonomy:
    added = {theme.key: theme for theme in edits.added}
    if key in added:
        theme = added[key]
        kept = {lang: name for lang, name in names.items() if name} or dict(theme.names)
        return replace(edits, added=tuple(Theme(t.key, kept, t.seeds) if t.key == key else t for t in edits.added))
    original = BUILT_IN.theme(key).names
    renamed = {lang: name for lang, name in names.items() if name and name != original.get(lang)}
    renames = {k: v for k, v in edits.renames.items() if k != key} | ({key: renamed} if renamed else {})
    return replace(edits, renames=renames)


def _with_seeds(edits: SiteTaxonomy, key: str, seeds: Mapping[str, Sequence[str]]) -> SiteTaxonomy:
    if key in {theme.key for theme in edits.added}:
        return replace(edits, added=tuple(
            Theme(t.key, t.names, {lang: tuple(w) for lang, w in seeds.items() if w}) if t.key == key else t
            for t in edits.added))
    base = BUILT_IN.theme(key).seeds
    added = {lang: tuple(w for w in words if w not in base.get(lang, ())) for lang, words in seeds.items()}
    removed = {lang: tuple(w for w in base.get(lang, ()) if w not in seeds.get(lang, ())) for lang in seeds}
    return replace(edits, added_seeds=_set_entry(edits.added_seeds, key, added),
                   removed_seeds=_set_entry(edits.removed_seeds, key, removed))


def _set_entry(table: Mapping[str, Mapping[str, tuple[str, ...]]], key: str,
               value: Mapping[str, tuple[str, ...]]) -> dict[str, Mapping[str, tuple[str, ...]]]:
    kept = {lang: words for lang, words in value.items() if words}
    return {k: v for k, v in table.items() if k != key} | ({key: kept} if kept else {})


def _with_merge(edits: SiteTaxonomy, key: str, target: str | None) -> SiteTaxonomy:
    """Merged into *target*; themes merged into *key* follow it there (no chains)."""
    merges = {k: v for k, v in edits.merges.items() if k != key}
    if target:
        if target == key:
            raise ThemeEditError("merge_into", MERGE_SELF)
        if editable_theme(edits, target) is None:
            raise ThemeEditError("merge_into", MERGE_UNKNOWN)
        target = merges.get(target, target)
        if target == key:
            raise ThemeEditError("merge_into", MERGE_SELF)
        merges = {k: (target if v == key else v) for k, v in merges.items()} | {key: target}
        return replace(edits, merges=merges, hidden=edits.hidden - {key},
                       renames={k: v for k, v in edits.renames.items() if k != key})
    return replace(edits, merges=merges)


def _checked(edits: SiteTaxonomy) -> SiteTaxonomy:
    try:
        edits.build()
    except ValueError as err:
        raise ThemeEditError("merge_into", NOT_SAVED) from err
    return edits
