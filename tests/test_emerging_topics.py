"""Emerging topics worked out in the background and stored; the admin page only reads them (issue 14)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.cli import feedbackwidget_group
from feedbackwidget.core.models import Response, Site, utcnow
from feedbackwidget.responses.purposes import COMPLAINT_HANDLING
from feedbackwidget.themes import emerging, model, tokens, topics
from feedbackwidget.themes.models import EmergingTopic, EmergingTopicRun
from feedbackwidget.themes.topics import refresh_in_background, refresh_topics, work_out

from .conftest import csrf_token
from .test_themes_admin import add_response, themes_url

COLOURS = ("Nice colours", "Such nice colours!", "nice colours this season", "Really nice colours")


def emerging_url(site: Site, lang: str = "") -> str:
    return themes_url(site) + "/emerging" + (f"?lang={lang}" if lang else "")


def with_colour_comments(db: Session, site: Site) -> list[Response]:
    return [add_response(db, site, text, nps_score=8) for text in COLOURS]


def stored(db: Session, site: Site) -> list[tuple[str, str, int]]:
    db.expire_all()
    rows = db.scalars(select(EmergingTopic).where(EmergingTopic.site_id == site.id).order_by(EmergingTopic.position))
    return [(row.phrase, row.language, row.count) for row in rows]


def colour_phrase(db: Session, site: Site) -> str:
    return next(phrase for phrase, _, _ in stored(db, site) if "colour" in phrase)


def refresh(app: Flask, *args: str) -> str:
    with app.app_context():
        result = CliRunner().invoke(feedbackwidget_group, ["themes", "refresh", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way into the analysis raises: a page that analyses fails."""
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the emerging topics page analysed text in the request")

    monkeypatch.setattr(model.Taxonomy, "matcher", property(forbidden))
    for module, name in ((tokens, "tokenize"), (emerging, "tokenize"), (emerging, "detect_language"),
                         (topics, "recurring_phrases"), (emerging, "recurring_phrases")):
        monkeypatch.setattr(module, name, forbidden)


def test_refresh_stores_the_topics_and_the_page_reads_them_without_analysing(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session, request: pytest.FixtureRequest
) -> None:
    with_colour_comments(db, site)
    output = refresh(app)
    phrase = colour_phrase(db, site)
    request.getfixturevalue("no_analysis")
    page = logged_in("owner").get(emerging_url(site)).text

    assert "emerging topics: 1 site(s) worked out" in output
    assert (phrase, "en", 4) in stored(db, site)
    assert f"<bdi>{phrase}</bdi></strong>" in page and "in 4 comments" in page
    assert "“<bdi>Really <mark>nice colours</mark></bdi>”" in page  # the newest example, the phrase marked
    assert re.search(r"Updated \d+ seconds? ago, from the newest 4 comments\.", page)
    assert "Turn into a theme" in page


def test_before_the_first_run_the_page_says_how_topics_come(logged_in: Callable[..., FlaskClient], site: Site,
                                                            db: Session, no_analysis: None) -> None:
    with_colour_comments(db, site)
    owner = logged_in("owner")
    english, hungarian, chinese = (owner.get(emerging_url(site, lang)).text for lang in ("en", "hu", "zh"))

    assert "No emerging topics worked out yet" in english
    assert "Topics are worked out in the background, from the newest comments" in english
    assert "<code class=\"fw-path\">feedbackwidget themes refresh</code>" in english
    assert "Turn into a theme" not in english
    assert "Az új témajelöltek még nem készültek el" in hungarian and "feedbackwidget themes refresh" in hungarian
    assert "新出现的话题尚未整理" in chinese and "feedbackwidget themes refresh" in chinese


def test_when_they_were_worked_out_is_told_in_the_admins_language(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    with_colour_comments(db, site)
    work_out(get_state(app).engine, site.id, utcnow() - dt.timedelta(hours=2))
    owner = logged_in("owner")
    english, hungarian, chinese = (owner.get(emerging_url(site, lang)).text for lang in ("en", "hu", "zh"))

    assert "Updated 2 hours ago, from the newest 4 comments." in english
    assert "Frissítve 2 órával ezelőtt, a legújabb 4 megjegyzés alapján." in hungarian
    assert "更新于2小时前，依据最新的 4 条留言。" in chinese
    assert "4 megjegyzésben" in hungarian and "出现在 4 条留言中" in chinese


def test_an_edit_of_the_themes_has_the_topics_worked_out_again(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    with_colour_comments(db, site)
    engine = get_state(app).engine
    refresh_topics(engine)
    assert refresh_topics(engine) == 0  # nothing changed: not worked out again
    owner = logged_in("owner")
    listing = owner.get(themes_url(site)).text
    owner.post(themes_url(site), data={"csrf_token": csrf_token(listing), "name_en": "Colours",
                                       "seeds_en": "colour"})
    edited = owner.get(emerging_url(site)).text

    assert "The themes were edited since: the list is being worked out again in the background." in edited
    assert refresh_topics(engine) == 1
    assert not any("colour" in phrase for phrase, _, _ in stored(db, site))
    assert "The themes were edited since" not in owner.get(emerging_url(site)).text


def test_turning_a_topic_into_a_theme_takes_it_off_the_list_at_once(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    with_colour_comments(db, site)
    refresh_topics(get_state(app).engine)
    phrase = colour_phrase(db, site)
    owner = logged_in("owner")
    page = owner.get(emerging_url(site)).text
    turned = owner.post(themes_url(site) + "/from-topic", data={"csrf_token": csrf_token(page), "phrase": phrase,
                                                                "language": "en"})
    after = owner.get(emerging_url(site)).text

    assert turned.status_code == 302
    assert f'name="phrase" value="{phrase}"' in page
    assert f'name="phrase" value="{phrase}"' not in after
    assert phrase not in [row[0] for row in stored(db, site)]


def test_new_comments_are_read_again_after_an_hour_not_at_every_round(app: Flask, site: Site, db: Session) -> None:
    engine = get_state(app).engine
    now = utcnow()
    work_out(engine, site.id, now - dt.timedelta(minutes=10))
    with_colour_comments(db, site)
    assert refresh_topics(engine, now=now) == 0
    assert stored(db, site) == []
    work_out(engine, site.id, now - dt.timedelta(hours=2))
    assert refresh_topics(engine, now=now) == 0  # worked out two hours ago, nothing new since
    add_response(db, site, "Lovely nice colours", nps_score=9)
    assert refresh_topics(engine, now=now) == 1
    assert any(count == 5 and "colour" in phrase for phrase, _, count in stored(db, site))


def test_a_comment_changed_since_is_no_example(app: Flask, logged_in: Callable[..., FlaskClient], site: Site,
                                              db: Session) -> None:
    responses = with_colour_comments(db, site)
    refresh_topics(get_state(app).engine)
    for response in responses:
        response.comment = "[removed]"
    db.commit()
    page = logged_in("owner").get(emerging_url(site)).text

    assert "in 4 comments" in page
    assert "<mark>" not in page and "Such nice" not in page


def test_the_background_sender_works_out_topics_now_and_then(app: Flask, site: Site, db: Session) -> None:
    from feedbackwidget.delivery.sender import SENDER_JOBS_KEY

    assert refresh_in_background in get_state(app).extras[SENDER_JOBS_KEY]
    refresh_in_background(app)
    assert db.get(EmergingTopicRun, site.id) is not None
    with_colour_comments(db, site)
    db.execute(update(EmergingTopicRun).values(taxonomy_hash="edited"))
    db.commit()
    refresh_in_background(app)  # checked a moment ago: waits
    assert stored(db, site) == []


def test_a_site_whose_themes_cannot_be_read_still_gets_its_topics(app: Flask, site: Site, db: Session) -> None:
    with_colour_comments(db, site)
    site.settings = {**(site.settings or {}), "themes": {"added": [{"names": {"en": "No key"}}]}}
    db.commit()

    assert refresh_topics(get_state(app).engine) == 1
    assert any("colour" in phrase for phrase, _, _ in stored(db, site))  # read with the built-in themes


def test_answers_about_a_complaints_handling_are_no_topic(app: Flask, site: Site, db: Session) -> None:
    for response in with_colour_comments(db, site):
        response.purpose = COMPLAINT_HANDLING
    db.commit()
    refresh_topics(get_state(app).engine)

    assert stored(db, site) == []
