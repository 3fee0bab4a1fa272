"""The theme editor's forms: a theme's names and seed words per language, hidden, merged into."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..forms import ProtectedForm
from ...core.i18n import N_
from ...themes.editing import EditableTheme, ThemeEditError, clean_name, clean_seeds
from ...themes.language import LANGUAGES

T = TypeVar("T")


class _Names(ProtectedForm):
    name_en = StringField(N_("Name in English"), validators=[Length(max=200)])
    name_hu = StringField(N_("Name in Hungarian"), validators=[Length(max=200)])
    name_zh = StringField(N_("Name in Chinese"), validators=[Length(max=200)])
    seeds_en = TextAreaField(N_("Words in English (one a line)"))
    seeds_hu = TextAreaField(N_("Words in Hungarian (one a line)"))
    seeds_zh = TextAreaField(N_("Words in Chinese (one a line)"))

    def values(self) -> tuple[dict[str, str], dict[str, tuple[str, ...]]] | None:
        """The names and seeds typed, per language; None with each wrong field's error set."""
        names = {lang: self._checked(f"name_{lang}", clean_name) for lang in LANGUAGES}
        seeds = {lang: self._checked(f"seeds_{lang}", clean_seeds) for lang in LANGUAGES}
        if self.has_errors():
            return None
        return {k: v for k, v in names.items() if v is not None}, {k: v for k, v in seeds.items() if v is not None}

    def has_errors(self) -> bool:
        return any(field.errors for field in self)

    def _checked(self, name: str, clean: Callable[[str | None], T]) -> T | None:
        field = getattr(self, name)
        try:
            return clean(field.data)
        except ThemeEditError as err:
            field.errors = [*field.errors, err.message]
            return None


class ThemeForm(_Names):
    """One theme of a site, as its owner edits it."""

    hidden = BooleanField(N_("Hide this theme (the dashboard and the filters leave it out)"))
    merge_into = SelectField(N_("Merge into another theme"), choices=[], validate_choice=False)

    def fill(self, theme: EditableTheme) -> None:
        for lang in LANGUAGES:
            getattr(self, f"name_{lang}").data = theme.names.get(lang, "")
            getattr(self, f"seeds_{lang}").data = "\n".join(theme.seeds.get(lang, ()))
        self.hidden.data = theme.hidden
        self.merge_into.data = theme.merged_into or ""


def merge_choices(themes: Sequence[EditableTheme], key: str, language: str, none_label: str) -> list[SelectChoice]:
    """"Not merged", then every other theme not itself merged, by its name in *language*."""
    return [SelectChoice("", none_label), *(SelectChoice(t.key, t.name(language)) for t in themes
                                            if t.key != key and t.merged_into is None)]


class NewThemeForm(_Names):
    """A theme of the site's own."""


class TopicForm(ProtectedForm):
    """"Turn into a theme" of an emerging topic: its phrase and language."""

    phrase = HiddenField(validators=[DataRequired(), Length(max=60)])
    language = HiddenField(validators=[DataRequired()])

    def validate_language(self, field: HiddenField) -> None:
        from wtforms.validators import ValidationError

        if field.data not in LANGUAGES:
            raise ValidationError(N_("Choose English, Magyar or 中文."))
