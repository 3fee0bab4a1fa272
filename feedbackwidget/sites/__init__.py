"""Sites as the public endpoints see them: an immutable snapshot, cached per process.

The submit path must not query the database to learn a site's origins or its
surveys' form classes, so each site is loaded once into a :class:`SiteConfig`
and kept for ``FEEDBACKWIDGET_SITE_CACHE_SECONDS``; admin changes call
:meth:`SiteCache.invalidate` and reach other processes when their copy expires.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.models import Site, Survey
from ..surveys.forms import AnswersForm, build_answers_form
from ..surveys.questions import Question, parse_question

NEGATIVE_TTL_SECONDS = 2.0
KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

DEFAULT_COMPLAINT_CATEGORIES: tuple[str, ...] = (
    "product_quality", "delivery", "price", "staff_behaviour", "website", "other",
)

DEFAULT_SETTINGS: dict[str, Any] = {
    "widget": {"position": "bottom-right", "color": "#1f5fbf", "show_button": True},
    "complaint_categories": list(DEFAULT_COMPLAINT_CATEGORIES),
    "privacy_policy_url": None,
    "privacy_policy_version": "1",
    "require_origin": False,
    "retention_days": None,
}


def new_site_key() -> str:
    """A random public site key, e.g. ``site_4kq8...`` (not a secret, but unguessable)."""
    return "site_" + "".join(secrets.choice(KEY_ALPHABET) for _ in range(16))


def normalize_origin(origin: str) -> str:
    """``scheme://host[:port]`` lower-cased, without a trailing slash or path.

    :raises ValueError: when *origin* is not an http(s) origin.
    """
    value = origin.strip().rstrip("/").lower()
    scheme, sep, rest = value.partition("://")
    if scheme not in ("http", "https") or not sep or not rest or "/" in rest:
        raise ValueError(f"{origin!r} is not an origin: write it as https://shop.example (no path)")
    return value


@dataclass(frozen=True)
class CompiledSurvey:
    """A survey ready to validate submissions: parsed questions and its form class."""

    id: int
    slug: str
    template: str
    questions: tuple[Question, ...]
    triggers: Mapping[str, Any]
    form_class: type[AnswersForm]
    raw_questions: tuple[Mapping[str, Any], ...]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


@dataclass(frozen=True)
class SiteConfig:
    """What the public endpoints need to know of a site."""

    id: int
    key: str
    name: str
    allowed_origins: frozenset[str]
    default_locale: str
    alert_emails: tuple[str, ...]
    settings: Mapping[str, Any]
    surveys: Mapping[str, CompiledSurvey] = field(default_factory=dict)

    def allows_origin(self, origin: str | None) -> bool:
        return origin is not None and origin.lower() in self.allowed_origins


def compile_survey(survey: Survey) -> CompiledSurvey:
    """Parse *survey*'s questions and build its form class (done once per version)."""
    questions = tuple(parse_question(raw) for raw in survey.questions)
    return CompiledSurvey(
        id=survey.id,
        slug=survey.slug,
        template=survey.template,
        questions=questions,
        triggers=dict(survey.triggers or {}),
        form_class=build_answers_form(survey.slug, questions),
        raw_questions=tuple(survey.questions),
    )


def merged_settings(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A site's settings with defaults for every key it does not set."""
    merged = {**DEFAULT_SETTINGS, **stored}
    merged["widget"] = {**DEFAULT_SETTINGS["widget"], **stored.get("widget", {})}
    return merged


def load_site_config(session: Session, key: str) -> SiteConfig | None:
    """Read site *key* and its active surveys from the database."""
    site = session.scalar(select(Site).where(Site.key == key))
    if site is None:
        return None
    surveys = session.scalars(
        select(Survey).where(Survey.site_id == site.id, Survey.active.is_(True)).order_by(Survey.position, Survey.id)
    )
    return SiteConfig(
        id=site.id,
        key=site.key,
        name=site.name,
        allowed_origins=frozenset(o.lower() for o in site.allowed_origins),
        default_locale=site.default_locale,
        alert_emails=tuple(site.alert_emails),
        settings=merged_settings(site.settings or {}),
        surveys={s.slug: compile_survey(s) for s in surveys},
    )


class SiteCache:
    """Per-process cache of :class:`SiteConfig` by key, including unknown keys."""

    def __init__(self, loader: Callable[[str], SiteConfig | None], ttl_seconds: float) -> None:
        self._loader = loader
        self._ttl = ttl_seconds
        self._entries: dict[str, tuple[float, SiteConfig | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> SiteConfig | None:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        site = self._loader(key)
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            # An unknown key is re-checked soon: the site may be created meanwhile.
            ttl = self._ttl if site is not None else min(self._ttl, NEGATIVE_TTL_SECONDS)
            self._entries[key] = (now + ttl, site)
        return site

    def invalidate(self, key: str | None = None) -> None:
        """Forget *key* (or every site), e.g. after an admin edit."""
        with self._lock:
            if key is None:
                self._entries.clear()
            else:
                self._entries.pop(key, None)
