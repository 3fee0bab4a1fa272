"""Themes in the admin, as a shop owner sees them: the editor of a site's themes, the dashboard's
theme panels, the responses' theme filter and badges, complaints by theme."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.themes import SiteTaxonomy
from feedbackwidget.themes.models import ThemeRebuild
from feedbackwidget.themes.store import analyse_pending
from feedbackwidget.themes.topics import refresh_topics

from .conftest import csrf_token


def themes_url(site: Site, key: str = "") -> str:
    return f"/feedback/admin/sites/{site.id}/themes" + (f"/{key}" if key else "")


def stored_edits(db: Session, site: Site) -> SiteTaxonomy:
    db.expire_all()
    settings = db.get(Site, site.id).settings  # type: ignore[union-attr]
    return SiteTaxonomy.from_dict(settings.get("themes", {}))


def theme_fields(client: FlaskClient, site: Site, key: str) -> dict[str, Any]:
    """The editor's form of one theme as the page fills it in."""
    page = client.get(themes_url(site, key)).text
    fields: dict[str, Any] = {"csrf_token": csrf_token(page)}
    for lang in ("en", "hu", "zh"):
        fields[f"name_{lang}"] = re.search(rf'id="name_{lang}"[^>]*value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
        fields[f"seeds_{lang}"] = re.search(rf'id="seeds_{lang}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S).group(1)  # type: ignore[union-attr]
    return fields


def test_only_owners_open_the_theme_editor(logged_in: Callable[..., FlaskClient], site: Site) -> None:
    manager = logged_in("manager")
    owner = logged_in("owner")

    assert manager.get(themes_url(site)).status_code == 403
    token = csrf_token(manager.get(f"/feedback/admin/sites/{site.id}").text)
    assert manager.post(themes_url(site, "delivery"), data={"csrf_token": token, "name_en": "Post"}).status_code == 403
    assert "/themes" not in manager.get(f"/feedback/admin/sites/{site.id}").text
    assert f'href="{themes_url(site)}"' in owner.get(f"/feedback/admin/sites/{site.id}").text
    page = owner.get(themes_url(site)).text
    assert "Delivery" in page and "Loyalty programme" in page
    assert owner.get(themes_url(site, "no_such_theme")).status_code == 404


def test_an_owner_renames_a_theme_in_hungarian_and_the_site_is_recomputed(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    fields = theme_fields(owner, site, "delivery") | {"name_hu": "Kiszállítás", "merge_into": ""}
    saved = owner.post(themes_url(site, "delivery"), data=fields)
    listing = owner.get(saved.headers["Location"])
    hungarian = owner.get(themes_url(site) + "?lang=hu").text

    assert saved.status_code == 302
    assert "Saved. This site&#39;s answers are being sorted into the new themes again" in listing.text
    assert "Kiszállítás" in hungarian
    assert stored_edits(db, site).renames == {"delivery": {"hu": "Kiszállítás"}}
    assert db.scalar(select(ThemeRebuild.site_id)) == site.id


def test_an_owner_adds_and_removes_words_of_a_theme(logged_in: Callable[..., FlaskClient], site: Site,
                                                    db: Session) -> None:
    owner = logged_in("owner")
    fields = theme_fields(owner, site, "stock")
    english = [word for word in fields["seeds_en"].splitlines() if word != "selection"] + ["backorder"]
    owner.post(themes_url(site, "stock"), data=fields | {"seeds_en": "\n".join(english), "merge_into": ""})
    edits = stored_edits(db, site)

    assert edits.added_seeds == {"stock": {"en": ("backorder",)}}
    assert edits.removed_seeds == {"stock": {"en": ("selection",)}}
    assert "backorder" in owner.get(themes_url(site, "stock")).text


def test_an_owner_merges_packaging_into_delivery_and_hides_loyalty(logged_in: Callable[..., FlaskClient], site: Site,
                                                                   db: Session) -> None:
    owner = logged_in("owner")
    owner.post(themes_url(site, "packaging"), data=theme_fields(owner, site, "packaging") | {"merge_into": "delivery"})
    owner.post(themes_url(site, "loyalty"), data=theme_fields(owner, site, "loyalty") | {"merge_into": "",
                                                                                          "hidden": "y"})
    listing = owner.get(themes_url(site)).text
    built = stored_edits(db, site).build()

    assert "Merged into Delivery" in listing
    assert "Hidden" in listing
    assert "packaging" not in built.keys and "loyalty" not in built.keys
    assert "bubble wrap" in built.theme("delivery").seeds["en"]


def test_merging_a_theme_into_itself_is_refused_with_a_message(logged_in: Callable[..., FlaskClient], site: Site,
                                                               db: Session) -> None:
    owner = logged_in("owner")
    refused = owner.post(themes_url(site, "price"), data=theme_fields(owner, site, "price") | {"merge_into": "price"})

    assert refused.status_code == 200
    assert "A theme cannot be merged into itself." in refused.text
    assert "Nothing was saved" in refused.text
    assert stored_edits(db, site).merges == {}


def test_an_owner_adds_a_theme_of_their_own(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    owner = logged_in("owner")
    token = csrf_token(owner.get(themes_url(site)).text)
    added = owner.post(themes_url(site), data={"csrf_token": token, "name_en": "Gift wrapping", "name_hu": "Díszcsomagolás",
                                               "name_zh": "", "seeds_en": "gift wrap\ngift box", "seeds_hu": "díszcsomagol*",
                                               "seeds_zh": "礼品包装"})
    empty = owner.post(themes_url(site), data={"csrf_token": token, "name_en": "", "name_hu": "", "name_zh": "",
                                               "seeds_en": "", "seeds_hu": "", "seeds_zh": ""})
    listing = owner.get(added.headers["Location"]).text
    theme = stored_edits(db, site).build().theme("gift_wrapping")

    assert "Theme added." in listing and "Gift wrapping" in listing
    assert theme.seeds == {"en": ("gift wrap", "gift box"), "hu": ("díszcsomagol*",), "zh": ("礼品包装",)}
    assert "Give the theme a name in at least one language." in empty.text


def test_a_too_long_word_is_refused_on_its_field(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    owner = logged_in("owner")
    fields = theme_fields(owner, site, "price") | {"seeds_hu": "x" * 61, "merge_into": ""}
    refused = owner.post(themes_url(site, "price"), data=fields)

    assert "Write one word or short phrase a line, each under 60 characters." in refused.text
    assert 'id="seeds_hu" aria-invalid="true"' in refused.text or 'aria-invalid="true"' in refused.text
    assert stored_edits(db, site) == SiteTaxonomy()


# --- responses: the theme filter and badges ---------------------------------------------------

LIST = "/feedback/admin/responses"


def add_response(db: Session, site: Site, comment: str, nps_score: int | None = None, days_ago: float = 0,
                 locale: str = "en") -> Response:
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == "nps"))
    response = Response(site_id=site.id, survey_id=survey_id, locale=locale, answers={}, comment=comment,
                        nps_score=nps_score, created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago))
    db.add(response)
    db.commit()
    return response


def analysed(app: Flask) -> None:
    """The worker's pass over new answers (as the background sender runs it)."""
    analyse_pending(get_state(app).engine)


def test_the_responses_list_filters_by_theme_and_keeps_it_in_the_url(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    late = add_response(db, site, "The parcel came two weeks late", nps_score=2)
    add_response(db, site, "Far too expensive for what it is", nps_score=4)
    add_response(db, site, "Friendly staff, quick answer", nps_score=10)
    analysed(app)
    viewer = logged_in("viewer")
    filtered = viewer.get(f"{LIST}?site={site.id}&theme=delivery").text
    hungarian = viewer.get(f"{LIST}?site={site.id}&theme=delivery&lang=hu").text

    assert "The parcel came two weeks late" in filtered
    assert "Far too expensive" not in filtered and "Friendly staff" not in filtered
    assert '<option value="delivery" selected>Delivery</option>' in filtered
    assert "theme=delivery" in re.search(r'href="([^"]*responses\.csv[^"]*)"', filtered).group(1)  # type: ignore[union-attr]
    assert '<option value="delivery" selected>Szállítás</option>' in hungarian
    assert f"/responses/{late.id}" in filtered


def test_each_response_shows_its_themes_as_badges(app: Flask, logged_in: Callable[..., FlaskClient], site: Site,
                                                  db: Session) -> None:
    both = add_response(db, site, "Cheap prices but the courier was rude and late", nps_score=5)
    chinese = add_response(db, site, "物流太慢了，等了一个星期", nps_score=3, locale="zh")
    analysed(app)
    viewer = logged_in("viewer")
    listing = viewer.get(f"{LIST}?site={site.id}").text
    detail = viewer.get(f"{LIST}/{both.id}").text
    chinese_detail = viewer.get(f"{LIST}/{chinese.id}?lang=zh").text

    assert re.search(r'fw-theme-badge">Delivery</span>', listing)
    assert re.search(r'fw-theme-badge">Price</span>', listing)
    assert 'fw-theme-badge" href="/feedback/admin/responses?site=%d&amp;theme=delivery">Delivery</a>' % site.id in detail
    assert ">物流配送</a>" in chinese_detail


def test_a_site_rename_shows_in_the_badges_and_the_filter(app: Flask, logged_in: Callable[..., FlaskClient],
                                                           site: Site, db: Session) -> None:
    add_response(db, site, "Delivery was slow", nps_score=3)
    analysed(app)
    owner = logged_in("owner")
    owner.post(themes_url(site, "delivery"), data=theme_fields(owner, site, "delivery") | {"name_en": "Shipping",
                                                                                           "merge_into": ""})
    listing = owner.get(f"{LIST}?site={site.id}").text

    assert 'fw-theme-badge">Shipping</span>' in listing
    assert '<option value="delivery">Shipping</option>' in listing


# --- complaint analysis: by theme ----------------------------------------------------------------

def add_complaint(db: Session, site: Site, description: str, number: int, **fields: Any) -> Complaint:
    received = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)
    complaint = Complaint(site_id=site.id, reference=f"FW-THEME-{number}", status_token_hash="x" * 64, channel="web",
                          status="resolved", customer_name="Customer", category=fields.pop("category", "delivery"),
                          description=description, desired_resolution="refund", locale="en", received_at=received,
                          due_at=received + dt.timedelta(days=30), updated_at=received, **fields)
    db.add(complaint)
    db.commit()
    return complaint


def test_the_complaint_analysis_counts_complaints_by_theme_with_cost_and_justified_share(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    add_complaint(db, site, "The parcel arrived two weeks late", 1, verdict="justified",
                  compensation_type="voucher", compensation_amount=Decimal("10.00"), compensation_currency="EUR")
    add_complaint(db, site, "Courier never came, delivery failed", 2, verdict="unfounded")
    add_complaint(db, site, "You charged my card twice", 3, category="other", verdict="justified")
    analysed(app)
    manager = logged_in("manager")
    page = manager.get(f"/feedback/admin/complaints/analysis?site={site.id}").text
    rows = {name: cells for name, cells in re.findall(r'<th scope="row">([^<]+)</th>((?:\s*<td[^>]*>.*?</td>)+)',
                                                      page.split("By theme")[1].split("</table>")[0], re.S)}

    assert "By theme (what the descriptions are about)" in page
    assert "Delivery" in rows and "Payment" in rows
    assert re.search(r">2</td>.*50%.*\(1 of 2\).*€10\.00", rows["Delivery"], re.S)
    assert re.search(r">1</td>.*100%.*\(1 of 1\)", rows["Payment"], re.S)


# --- the dashboard's theme panels -----------------------------------------------------------------

DASHBOARD = "/feedback/admin/"


def panel(page: str, title: str) -> str:
    """The HTML of the dashboard panel headed *title*."""
    return page.split(f">{title}</h2>")[1].split("</section>")[0]


def fill_period(db: Session, site: Site) -> None:
    """This period: late deliveries with low scores, friendly staff with high ones, a few price
    complaints; the previous period: the same number of answers, deliveries seldom mentioned."""
    for number in range(40):
        add_response(db, site, "The parcel came two weeks late", nps_score=number % 5, days_ago=1 + number / 10)
        add_response(db, site, "Friendly staff, they helped me choose", nps_score=9 + number % 2, days_ago=1)
        add_response(db, site, "Nice colours", nps_score=8, days_ago=40)
        add_response(db, site, "Nice colours" if number % 10 else "Delivery was late", nps_score=7, days_ago=45)
    for _ in range(4):
        add_response(db, site, "Far too expensive for what it is", nps_score=3, days_ago=2)


def test_the_dashboard_says_what_drives_low_scores_and_what_customers_praise(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    fill_period(db, site)
    analysed(app)
    page = logged_in("viewer").get(f"{DASHBOARD}?site={site.id}").text
    low, praise = panel(page, "What drives low scores"), panel(page, "What customers praise")
    delivery = low.split("</li>\n</ol>")[0].split('<li class="fw-theme-item">')[1]

    assert re.search(r'<a href="/feedback/admin/responses\?[^"]*theme=delivery[^"]*">Delivery</a>', delivery)
    assert f"site={site.id}" in re.search(r'href="([^"]*theme=delivery[^"]*)"', delivery).group(1)  # type: ignore[union-attr]
    assert "40 answers mention it" in delivery and "previous period: 4" in delivery
    assert "Rising" in delivery
    assert re.search(r"−\d+ NPS points", delivery)
    assert re.search(r"95% interval −\d+ to −\d+ · 40 answers mention it, \d+ do not", delivery)
    assert "<mark>came two weeks late</mark>" in delivery or "<mark>late</mark>" in delivery
    assert delivery.count("<li lang=") == 3
    assert "Too few answers to tell its effect on NPS (4 mention it" in low
    assert ">Staff and support</a>" in praise and re.search(r"\+\d+ NPS points", praise)
    assert "Delivery" not in praise


def test_the_theme_panels_speak_the_admins_language_with_the_sites_own_names(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    fill_period(db, site)
    analysed(app)
    owner = logged_in("owner")
    owner.post(themes_url(site, "staff"), data=theme_fields(owner, site, "staff") | {"name_hu": "Eladóink",
                                                                                    "merge_into": ""})
    hungarian = owner.get(f"{DASHBOARD}?site={site.id}&lang=hu").text
    chinese = owner.get(f"{DASHBOARD}?site={site.id}&lang=zh").text

    assert ">Mi húzza le a pontszámot</h2>" in hungarian and ">Szállítás</a>" in hungarian
    assert ">Eladóink</a>" in panel(hungarian, "Amit a vásárlók dicsérnek")
    assert "40 válasz említi" in hungarian
    assert ">导致低分的原因</h2>" in chinese and ">物流配送</a>" in chinese and "40 条回答提到" in chinese


def test_before_any_comment_is_sorted_the_panels_say_so(logged_in: Callable[..., FlaskClient], site: Site,
                                                         db: Session) -> None:
    add_response(db, site, "The parcel came late", nps_score=2)
    page = logged_in("viewer").get(f"{DASHBOARD}?site={site.id}").text

    assert "No themes found in this period&#39;s comments yet." in panel(page, "What drives low scores")


def test_an_emerging_topic_becomes_a_theme_in_one_click(app: Flask, logged_in: Callable[..., FlaskClient],
                                                        site: Site, db: Session) -> None:
    for text in ("Nice colours", "Such nice colours!", "nice colours this season", "Really nice colours"):
        add_response(db, site, text, nps_score=8)
    refresh_topics(get_state(app).engine)  # the worker's job: the page only reads what it stored
    owner = logged_in("owner")
    assert f'href="{themes_url(site)}/emerging"' in owner.get(themes_url(site)).text
    topics = owner.get(themes_url(site) + "/emerging").text
    phrase = re.search(r'name="phrase" value="([^"]*colour[^"]*)"', topics).group(1)  # type: ignore[union-attr]
    turned = owner.post(themes_url(site) + "/from-topic", data={"csrf_token": csrf_token(topics), "phrase": phrase,
                                                                "language": "en"})
    opened = owner.get(turned.headers["Location"]).text
    added = stored_edits(db, site).added

    assert "in 4 comments" in topics and "Turn into a theme" in topics
    assert [(theme.names["en"], theme.seeds["en"]) for theme in added] == [(phrase, (phrase,))]
    assert f"<h1>{phrase}</h1>" in opened and "Theme added." in opened
    assert db.scalar(select(ThemeRebuild.site_id)) == site.id
