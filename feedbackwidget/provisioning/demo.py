"""Demo data: a sample shop, its surveys, an admin and a few hundred responses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..accounts import set_admin
from ..core.models import Response, Site, Survey, utcnow
from ..responses import metric_values
from . import create_site
from ..sites import compile_survey, normalize_origin

DEMO_SITE_NAME = "Demo Shop"
DEMO_ADMIN_EMAIL = "admin@demo.example"
DEMO_ORIGINS = ("http://127.0.0.1:5000", "http://localhost:5000")
DEMO_TEMPLATES = ("nps", "csat", "stock", "suggestions", "loyalty")
DEMO_DAYS = 90

PAGES = ("/", "/products/coffee", "/products/tea", "/cart", "/checkout", "/stores/budapest")
TIERS = (None, None, "silver", "gold", "platinum")
COMMENTS = {
    "detractor": {"en": "Delivery took two weeks and nobody answered my e-mail.",
                  "hu": "A szállítás két hétig tartott, és senki nem válaszolt az e-mailemre.",
                  "zh": "送货花了两个星期，也没有人回复我的邮件。"},
    "passive": {"en": "Good coffee, but the checkout is slow.",
                "hu": "Jó a kávé, de lassú a fizetés.",
                "zh": "咖啡不错，但结账很慢。"},
    "promoter": {"en": "Friendly staff and fast delivery!",
                 "hu": "Kedves személyzet és gyors szállítás!",
                 "zh": "员工友好，送货快！"},
}


@dataclass(frozen=True)
class DemoResult:
    site_key: str
    admin_email: str
    created_responses: int


# In the demo site's settings: this database has the demo loaded (so /feedback/demo is served).
DEMO_MARK = "demo"


def demo_site_key(session: Session) -> str | None:
    """The key of the site the demo command loaded, or None where the demo was never loaded
    (a shop that merely named a site "Demo Shop" has none)."""
    sites = session.scalars(select(Site).where(Site.name == DEMO_SITE_NAME).order_by(Site.id))
    return next((site.key for site in sites if (site.settings or {}).get(DEMO_MARK)), None)


def allow_demo_origin(session: Session, key: str, origin: str) -> bool:
    """Let the demo site accept answers from *origin*, the one its page is served from (``flask run
    --port 5001`` is no longer turned away); True when it was added (the caller commits)."""
    site = session.scalar(select(Site).where(Site.key == key))
    origin = normalize_origin(origin)
    if site is None or origin in site.allowed_origins:
        return False
    site.allowed_origins = sorted({*site.allowed_origins, origin})
    return True


def _band(score: int) -> str:
    return "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"


def _answers(template: str, rng: random.Random, locale: str) -> dict[str, Any]:
    score = rng.choices(range(11), weights=(2, 1, 1, 2, 2, 3, 4, 8, 12, 18, 20))[0]
    comment = COMMENTS[_band(score)][locale] if rng.random() < 0.6 else None
    by_template: dict[str, dict[str, Any]] = {
        "nps": {"score": score, "reason": comment},
        "csat": {"rating": rng.choices(("excellent", "good", "bad"), (5, 3, 1))[0], "reason": comment},
        "stock": {"in_stock": rng.random() < 0.8, "missing": None},
        "suggestions": {"suggestion": COMMENTS["passive"][locale]},
        "loyalty": {"member": (member := rng.random() < 0.5), "program_score": score if member else None,
                    "preferred_reward": rng.choice(("points", "discount", "gift", "free_delivery"))},
    }
    answers = by_template[template]
    if template == "stock" and not answers["in_stock"]:
        answers["missing"] = {"en": "Decaf beans", "hu": "Koffeinmentes kávé", "zh": "低因咖啡豆"}[locale]
    return {k: v for k, v in answers.items() if v is not None}


def _sample_rows(site: Site, surveys: list[Survey], count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    now = utcnow()
    compiled = {s.id: compile_survey(s) for s in surveys}
    rows = []
    for _ in range(count):
        survey = rng.choices(surveys, weights=[6 if s.template == "nps" else 2 for s in surveys])[0]
        locale = rng.choices(("en", "hu", "zh"), (5, 4, 1))[0]
        answers = _answers(survey.template, rng, locale)
        tier = rng.choice(TIERS)
        rows.append({
            "site_id": site.id, "survey_id": survey.id, "answers": answers,
            "nps_score": None, "csat": None, "in_stock": None, "loyalty_score": None, "comment": None,
            **metric_values(compiled[survey.id], answers),
            "page_url": "http://127.0.0.1:5000" + rng.choice(PAGES), "locale": locale,
            "customer_id": f"C{rng.randint(1000, 9999)}" if tier else None, "customer_email": None,
            "loyalty_tier": tier, "idempotency_key": None, "body_hash": None,
            "created_at": now - dt.timedelta(seconds=rng.randint(0, DEMO_DAYS * 86400)),
        })
    return rows


def load_demo(session: Session, *, password: str, responses: int = 300) -> DemoResult:
    """Create the demo shop once; top its responses up to *responses*; reset the admin password."""
    key = demo_site_key(session)  # never a shop's own site that happens to be called "Demo Shop"
    site = session.scalar(select(Site).where(Site.key == key)) if key else None
    if site is None:
        site = create_site(session, DEMO_SITE_NAME, DEMO_ORIGINS, alert_emails=[DEMO_ADMIN_EMAIL],
                           templates=DEMO_TEMPLATES)
        site.settings = {**site.settings, DEMO_MARK: True}
        for survey in session.scalars(select(Survey).where(Survey.site_id == site.id)):
            survey.active = survey.template in ("nps", "csat", "stock")
    set_admin(session, DEMO_ADMIN_EMAIL, password)
    existing = session.scalar(select(func.count()).select_from(Response).where(Response.site_id == site.id)) or 0
    missing = max(0, responses - existing)
    if missing:
        surveys = list(session.scalars(select(Survey).where(Survey.site_id == site.id)))
        session.execute(insert(Response), _sample_rows(site, surveys, missing, seed=existing))
    session.commit()
    return DemoResult(site.key, DEMO_ADMIN_EMAIL, missing)
