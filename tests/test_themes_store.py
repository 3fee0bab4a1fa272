"""Themes are found off the submit path, stored, and looked up by the admin and the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.cli import feedbackwidget_group
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import Response, Site
from feedbackwidget.themes import BUILT_IN, SiteTaxonomy, Theme, analyse
from feedbackwidget.themes.evaluation import read_labelled
from feedbackwidget.themes.models import ComplaintTheme, ResponseTheme, ThemeRebuild
from feedbackwidget.themes.pending import matched_themes
from feedbackwidget.themes.store import (
    analyse_pending,
    complaint_theme_filter,
    request_rebuild,
    response_ids_with_theme,
    save_site_edits,
    site_taxonomy,
    theme_filter,
    themes_of_complaints,
    themes_of_responses,
)

from .conftest import SHOP_ORIGIN
from .themes_rows import add_complaint, add_response

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
LABELLED = Path(__file__).resolve().parent / "themes" / "labelled"


def submit(app: Flask, site: Site, body: dict[str, object], locale: str = "en") -> int:
    response = app.test_client().post(f"/feedback/api/v1/sites/{site.key}/responses", json={**body, "locale": locale},
                                      headers={"Origin": SHOP_ORIGIN})
    assert response.status_code == 201, response.json
    return int(response.json["id"])  # type: ignore[index]


def stored_themes(db: Session) -> dict[int, list[str]]:
    ids = db.scalars(select(Response.id)).all()
    return {key: value for key, value in themes_of_responses(db, ids).items() if value}


def test_a_submission_stays_one_insert_and_gets_its_themes_when_the_worker_runs(
    make_app: Callable[..., Flask], site: Site, db: Session
) -> None:
    app = make_app(FEEDBACKWIDGET_SITE_CACHE_SECONDS=60)
    submit(app, site, {"survey": "nps", "answers": {"score": 10}})  # warms the caches
    statements: list[str] = []
    engine = get_state(app).engine
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        late = submit(app, site, {"survey": "nps", "answers": {"score": 8, "reason": "The delivery took two weeks"}})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s for s in statements if not s.lstrip().upper().startswith("INSERT INTO FW_RESPONSES")] == []
    assert db.scalar(select(func.count()).select_from(ResponseTheme)) == 0

    assert analyse_pending(engine) == 2
    assert stored_themes(db) == {late: ["delivery"]}
    assert analyse_pending(engine) == 0  # analysed once


def test_every_free_text_answer_is_read_in_its_own_language(app: Flask, site: Site, db: Session) -> None:
    stock = submit(app, site, {"survey": "stock", "answers": {"in_stock": False, "missing": "nincs raktáron a kék cipő"}})
    idea = submit(app, site, {"survey": "suggestions", "answers": {"suggestion": "快递太慢了，客服也没人回"}}, "hu")
    loyal = submit(app, site, {"survey": "loyalty", "answers": {"member": True, "program_score": 4,
                                                                "program_comment": "The points expire too fast"}})
    nothing = submit(app, site, {"survey": "nps", "answers": {"score": 9, "reason": "ok"}})
    analyse_pending(get_state(app).engine)
    found = stored_themes(db)
    assert found[stock] == ["stock"]
    assert found[idea] == ["delivery", "staff"]
    assert "loyalty" in found[loyal]
    assert nothing not in found
    assert db.scalar(select(func.count()).where(Response.themes_analysed_at.is_(None))) == 0


def test_complaint_descriptions_get_themes(app: Flask, site: Site, db: Session) -> None:
    broken = add_complaint(db, site, "A futár nem jött, a csomag egy hétig nem érkezett meg", at=NOW, locale="hu")
    card = add_complaint(db, site, "The card payment was declined twice", at=NOW, category="other")
    db.commit()
    analyse_pending(db)
    assert themes_of_complaints(db, [broken.id, card.id]) == {broken.id: ["delivery"], card.id: ["payment"]}


def test_the_worker_works_in_bounded_committed_batches(app: Flask, site: Site, db: Session) -> None:
    for number in range(7):
        add_response(db, site, score=2, reason=f"Too expensive, order {number}", at=NOW)
    db.commit()
    engine = get_state(app).engine
    assert analyse_pending(engine, batch=3, max_batches=2) == 6
    assert analyse_pending(engine, batch=3) == 1
    assert len(stored_themes(db)) == 7


def test_an_edit_of_the_sites_themes_recomputes_what_is_stored(app: Flask, site: Site, db: Session) -> None:
    parking = add_response(db, site, score=4, reason="No parking near the shop and the delivery was late", at=NOW)
    complaint = add_complaint(db, site, "No parking at all", at=NOW)
    db.commit()
    analyse_pending(db)
    assert themes_of_responses(db, [parking.id])[parking.id] == ["delivery"]

    edits = SiteTaxonomy(hidden=frozenset({"delivery"}),
                         added=(Theme("parking", {"en": "Parking", "hu": "Parkolás"}, {"en": ("parking",)}),))
    save_site_edits(db, site.id, edits)
    db.commit()
    assert db.get(ThemeRebuild, site.id) is not None
    assert "parking" in site_taxonomy(db, site.id).keys

    analyse_pending(db, batch=1)
    assert themes_of_responses(db, [parking.id])[parking.id] == ["parking"]
    assert themes_of_complaints(db, [complaint.id])[complaint.id] == ["parking"]
    db.expire_all()
    assert db.get(ThemeRebuild, site.id) is None  # done


def test_a_rebuild_asked_again_midway_starts_over(app: Flask, site: Site, db: Session) -> None:
    for _ in range(4):
        add_response(db, site, score=3, reason="Too expensive", at=NOW)
    db.commit()
    request_rebuild(db, site.id)
    db.commit()
    analyse_pending(db, batch=2, max_batches=1)
    request_rebuild(db, site.id)
    db.commit()
    db.expire_all()
    assert db.get(ThemeRebuild, site.id).response_cursor == 0  # type: ignore[union-attr]
    analyse_pending(db, batch=2)
    db.expire_all()
    assert db.get(ThemeRebuild, site.id) is None
    assert len(stored_themes(db)) == 4


def test_responses_are_filtered_and_counted_by_theme_in_sql(app: Flask, site: Site, db: Session) -> None:
    late = add_response(db, site, score=2, reason="Late delivery", at=NOW)
    dear = add_response(db, site, score=5, reason="Too expensive and the delivery was late", at=NOW)
    add_response(db, site, score=10, reason="Friendly staff", at=NOW)
    db.commit()
    analyse_pending(db)
    filtered = theme_filter(select(Response.id).where(Response.site_id == site.id), "delivery")
    assert sorted(db.scalars(filtered)) == sorted([late.id, dear.id])
    assert sorted(db.scalars(response_ids_with_theme([site.id], "price"))) == [dear.id]
    assert themes_of_responses(db, [dear.id, 999_999]) == {dear.id: ["delivery", "price"], 999_999: []}


def test_complaints_are_filtered_by_theme(app: Flask, site: Site, db: Session) -> None:
    card = add_complaint(db, site, "The card payment was declined twice", at=NOW)
    add_complaint(db, site, "The courier was late", at=NOW)
    db.commit()
    analyse_pending(db)
    about_payment = complaint_theme_filter(select(Complaint.reference), "payment")
    assert list(db.scalars(about_payment)) == [card.reference]


def test_themes_refresh_backfills_and_rebuilds_from_the_command_line(app: Flask, site: Site, db: Session) -> None:
    add_response(db, site, score=1, reason="The parcel never arrived", at=NOW)
    db.commit()
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(feedbackwidget_group, ["themes", "refresh", "--site", site.key])
        assert result.exit_code == 0, result.output
        assert "themes: 1 comment(s) and complaint(s) analysed" in result.output
        again = runner.invoke(feedbackwidget_group, ["themes", "refresh", "--site", site.key, "--rebuild"])
        assert "themes: 1 comment(s) and complaint(s) analysed" in again.output
        add_response(db, site, score=2, reason="Too expensive", at=NOW)
        add_response(db, site, score=3, reason="Rude staff at the counter", at=NOW)
        db.commit()
        on_two = runner.invoke(feedbackwidget_group, ["themes", "refresh", "--jobs", "2"])
        assert "themes: 2 comment(s) and complaint(s) analysed" in on_two.output, on_two.output
        unknown = runner.invoke(feedbackwidget_group, ["themes", "refresh", "--site", "nope"])
    assert unknown.exit_code == 2
    assert "no site with key 'nope'" in unknown.output
    assert sorted(stored_themes(db).values()) == [["delivery"], ["price"], ["staff"]]


def test_the_background_sender_finds_the_themes_of_new_comments(app: Flask, site: Site, db: Session) -> None:
    from feedbackwidget.delivery.sender import SENDER_JOBS_KEY
    from feedbackwidget.themes.background import analyse_in_background

    assert analyse_in_background in get_state(app).extras[SENDER_JOBS_KEY]
    late = submit(app, site, {"survey": "nps", "answers": {"score": 8, "reason": "Delivery took ages"}})
    for job in get_state(app).extras[SENDER_JOBS_KEY]:
        job(app)  # what the sender thread, or 'send-outbox --loop', does before each round
    assert stored_themes(db) == {late: ["delivery"]}


def test_a_site_with_unreadable_theme_edits_does_not_hold_up_the_others(
    app: Flask, site: Site, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    site.settings = {**site.settings, "themes": {"merges": ["not", "a", "mapping"]}}
    late = add_response(db, site, score=2, reason="Late delivery", at=NOW)
    db.commit()
    assert analyse_pending(db) == 1
    assert themes_of_responses(db, [late.id])[late.id] == ["delivery"]  # the built-in themes
    assert "themes cannot be read" in caplog.text


@pytest.mark.parametrize("language", ["en", "hu", "zh"])
def test_the_worker_stores_the_themes_and_words_a_full_analysis_finds(language: str) -> None:
    """The worker skips the terms (a fifth of its time), never a theme or a highlighted word."""
    labelled = read_labelled(LABELLED / f"{language}.jsonl")
    with_themes = 0
    for text, _ in labelled:
        analysis = analyse(text, language)
        expected = {key: {"text": 0, "language": analysis.language,
                          "spans": [list(span) for span in analysis.assignment.spans(key)],
                          "words": [text[start:end] for start, end in analysis.assignment.spans(key)]}
                    for key in analysis.assignment.themes}
        assert matched_themes([text], language, BUILT_IN) == expected, text
        with_themes += bool(expected)
    assert with_themes > len(labelled) // 2
