"""The survey builder as a shop owner uses it: triggers as form controls with plain explanations, every
text in each language side by side with how complete each language is, and a preview that is the real
widget showing the draft before it is saved."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.web.admin.trigger_fields import trigger_values, triggers_from_values
from feedbackwidget.web.widget.strings import CONFIG_STRINGS

from .conftest import csrf_token

NO_TRIGGERS = {"trigger_url_match": "any"}


def nps_survey(db: Session, site: Site) -> Survey:
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "nps"))
    assert survey is not None
    return survey


def field_error(page: str, name: str) -> str:
    """The error shown above the control *name*, as the owner reads it."""
    found = re.search(rf'id="{name}-error"[^>]*>(.*?)</span>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def test_the_trigger_controls_save_the_same_json(logged_in: Callable[..., FlaskClient], site: Site,
                                                db: Session) -> None:
    client = logged_in("owner")
    survey = nps_survey(db, site)
    url = f"/feedback/admin/surveys/{survey.id}"
    page = client.get(url).text
    assert "Triggers (JSON)" not in page and 'name="triggers"' not in page
    assert "When the survey opens by itself" in page
    assert "Opens after the visitor has been on the page this long." in page
    form = {"csrf_token": csrf_token(page), "trigger_delay_seconds": "10", "trigger_exit_intent": "y",
            "trigger_scroll_percent": "", "trigger_event": "purchase, signup", "trigger_url_match": "prefix",
            "trigger_url_paths": "/checkout\n", "trigger_sample_percent": "25", "trigger_cooldown_days": "7"}
    saved = client.post(url, data=form).text
    assert "Saved." in saved
    db.expire_all()
    assert nps_survey(db, site).triggers == {"delay_seconds": 10, "exit_intent": True, "event": ["purchase", "signup"],
                                             "url": {"match": "prefix", "value": "/checkout"},
                                             "sample_percent": 25, "cooldown_days": 7}
    # the page shows what is stored, ready to change
    assert 'name="trigger_delay_seconds" type="number" value="10"' in saved
    assert 'value="purchase, signup"' in saved and '<option selected value="prefix">' in saved

    two_pages = client.post(url, data={**form, "trigger_url_paths": "/checkout\n/cart/*", "trigger_url_match": "glob",
                                       "trigger_delay_seconds": "", "trigger_exit_intent": ""})
    assert "Saved." in two_pages.text
    db.expire_all()
    assert nps_survey(db, site).triggers == {"event": ["purchase", "signup"], "sample_percent": 25, "cooldown_days": 7,
                                             "url": [{"match": "glob", "value": "/checkout"},
                                                     {"match": "glob", "value": "/cart/*"}]}
    assert "Saved." in client.post(url, data={"csrf_token": csrf_token(page), **NO_TRIGGERS}).text
    db.expire_all()
    assert nps_survey(db, site).triggers == {}


def test_wrong_trigger_values_get_a_clear_error_on_their_field(logged_in: Callable[..., FlaskClient], site: Site,
                                                               db: Session) -> None:
    client = logged_in("owner")
    survey = nps_survey(db, site)
    survey.triggers = {"delay_seconds": 5}
    db.commit()
    url = f"/feedback/admin/surveys/{survey.id}"
    token = csrf_token(client.get(url).text)
    bad = client.post(url, data={"csrf_token": token, "trigger_delay_seconds": "90000", "trigger_scroll_percent": "120",
                                 "trigger_url_match": "prefix", "trigger_url_paths": "",
                                 "trigger_sample_percent": "half"})
    page = bad.text
    assert "Saved." not in page
    assert field_error(page, "trigger_delay_seconds") == "Enter a whole number of seconds from 0 to 86400 (a day)."
    assert field_error(page, "trigger_scroll_percent") == "Enter a percentage from 0 to 100."
    assert field_error(page, "trigger_url_paths") == 'Enter at least one page, or choose "Any page".'
    assert field_error(page, "trigger_sample_percent") == "Enter a percentage from 0 to 100."
    assert 'aria-describedby="trigger_delay_seconds-hint trigger_delay_seconds-error"' in page
    db.expire_all()
    assert nps_survey(db, site).triggers == {"delay_seconds": 5}  # nothing saved

    hu = client.post(f"{url}?lang=hu", data={"csrf_token": token, "trigger_scroll_percent": "120",
                                              **NO_TRIGGERS}).text
    assert field_error(hu, "trigger_scroll_percent") == "Adjon meg egy százalékot 0 és 100 között."
    assert '<option selected value="any">Bármelyik oldalon</option>' in hu
    zh = client.post(f"{url}?lang=zh", data={"csrf_token": token, "trigger_sample_percent": "half",
                                              **NO_TRIGGERS}).text
    assert field_error(zh, "trigger_sample_percent") == "请输入 0 到 100 之间的百分比。"


def test_a_viewer_sees_the_triggers_but_cannot_change_them(logged_in: Callable[..., FlaskClient], site: Site,
                                                           db: Session) -> None:
    survey = nps_survey(db, site)
    survey.triggers = {"manual": True}
    db.commit()
    page = logged_in("viewer").get(f"/feedback/admin/surveys/{survey.id}").text
    manual = re.search(r'<input[^>]*id="trigger_manual"[^>]*>', page)
    assert manual is not None and " checked" in manual.group(0) and " disabled" in manual.group(0)
    assert "Save survey" not in page


def test_stored_triggers_round_trip_through_the_controls() -> None:
    stored = {"manual": True, "delay_seconds": 3, "scroll_percent": 50, "event": ["a", "b"],
              "url": [{"match": "exact", "value": "/"}, {"match": "exact", "value": "/cart"}],
              "sample_percent": 10, "cooldown_days": 0}
    assert triggers_from_values(trigger_values(stored)) == stored
    assert trigger_values({"event": "purchase"})["trigger_event"] == "purchase"
    assert triggers_from_values(trigger_values({"event": "purchase"})) == {"event": ["purchase"]}
    assert triggers_from_values(trigger_values(None)) == {}


def test_an_owner_sets_the_widget_colour_and_position_and_a_faint_colour_is_refused(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session, client: FlaskClient
) -> None:
    owner = logged_in("owner")
    survey = nps_survey(db, site)
    url = f"/feedback/admin/surveys/{survey.id}"
    page = owner.get(url).text
    assert 'type="color" value="#1f5fbf"' in page and '<option selected value="bottom-right">Bottom right corner' in page
    token = csrf_token(page)
    faint = owner.post(f"{url}/look", data={"csrf_token": token, "color": "#ffd700", "position": "bottom-left",
                                            "show_button": "y"}).text
    assert field_error(faint, "color") == ("White text is hard to read on this colour: choose a darker one "
                                           "(it needs a contrast of at least 4.5 to 1).")
    assert "Saved." not in faint
    hu = owner.post(f"{url}/look?lang=hu", data={"csrf_token": token, "color": "#777777", "position": "right"}).text
    assert field_error(hu, "color").startswith("Ezen a színen nehezen olvasható a fehér szöveg")
    db.expire_all()
    assert "color" not in (db.get(Site, site.id).settings or {}).get("widget", {})  # type: ignore[union-attr]

    saved = owner.post(f"{url}/look?lang=en", data={"csrf_token": token, "color": "#7A1F5C", "position": "bottom-left"}).text
    assert "Saved." in saved and '<option selected value="bottom-left">' in saved
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None and stored.settings["widget"] == {"color": "#7a1f5c", "position": "bottom-left",
                                                                "show_button": False}
    look = client.get(f"/feedback/api/v1/sites/{site.key}/config").get_json()["widget"]
    assert look["color"] == "#7a1f5c" and look["position"] == "bottom-left" and look["show_button"] is False


def test_a_viewer_cannot_change_the_look(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    viewer = logged_in("viewer")
    url = f"/feedback/admin/surveys/{nps_survey(db, site).id}"
    page = viewer.get(url).text
    assert "Save the look" not in page
    assert viewer.post(f"{url}/look", data={"csrf_token": csrf_token(page), "color": "#000000",
                                            "position": "right"}).status_code == 403


def test_sections_are_headed_in_words_with_how_many_languages_are_done(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    client = logged_in("owner")
    survey = nps_survey(db, site)
    questions = [dict(q) for q in survey.questions]
    questions[1]["text"] = {"en": "What influenced your rating?", "hu": "", "zh": ""}
    survey.questions = questions
    db.commit()
    url = f"/feedback/admin/surveys/{survey.id}"
    page = client.get(f"{url}?lang=en").text
    assert "<legend>Question 1: a score from 0 to 10</legend>" in page and "score (nps)" not in page
    assert "<legend>Question 2: a written answer</legend>" in page
    marks = re.findall(r'<span class="fw-badge[^"]*">([^<]*languages)</span>', page)
    # the question, its two anchors, then the second question and its three follow-ups by score
    assert marks == ["3 of 3 languages"] * 3 + ["1 of 3 languages"] + ["3 of 3 languages"] * 3
    assert re.search(r'<textarea[^>]*name="text__score____hu"[^>]*rows="2"', page)  # long Hungarian wraps
    hu = client.get(f"{url}?lang=hu").text
    assert "<legend>1. kérdés: 0-tól 10-ig terjedő pontszám</legend>" in hu and "3 nyelvből 1 kész" in hu
    zh = client.get(f"{url}?lang=zh").text
    assert "3 种语言中已填 1 种" in zh


def test_the_band_follow_up_texts_customers_read_are_editable(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session, client: FlaskClient
) -> None:
    owner = logged_in("owner")
    survey = nps_survey(db, site)
    url = f"/feedback/admin/surveys/{survey.id}?lang=en"
    page = owner.get(url).text
    assert "The question after a score of 0 to 6" in page
    assert 'name="band__reason__detractor__en"' in page
    saved = owner.post(url, data={"csrf_token": csrf_token(page), **NO_TRIGGERS,
                                  "band__reason__detractor__hu": "Sajnáljuk! Mi volt a baj?"}).text
    assert "Saved." in saved and "Sajnáljuk! Mi volt a baj?" in saved
    db.expire_all()
    reason = nps_survey(db, site).questions[1]
    assert reason["text_by_band"]["detractor"]["hu"] == "Sajnáljuk! Mi volt a baj?"
    assert reason["text_by_band"]["promoter"]["en"] == "Thank you! What influenced your rating?"  # kept
    config = client.get(f"/feedback/api/v1/sites/{site.key}/config?locale=hu").get_json()
    nps = next(s for s in config["surveys"] if s["slug"] == "nps")
    assert nps["questions"][1]["text_by_band"][0] == "Sajnáljuk! Mi volt a baj?"


def survey_by_slug(db: Session, site: Site, slug: str) -> Survey:
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == slug))
    assert survey is not None
    return survey


def preview_of(page: str) -> dict[str, Any]:
    """The configs the preview page hands to the widget (its JSON element), by language."""
    found = re.search(r'<script type="application/json" id="fw-preview-config">(.*?)</script>', page, re.S)
    assert found is not None
    configs: dict[str, Any] = json.loads(found.group(1))
    return configs


def test_the_preview_runs_the_real_widget_script_in_preview_mode(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    site.settings = {**(site.settings or {}), "widget": {"color": "#7a1f5c", "position": "bottom-left"}}
    db.commit()
    page = logged_in("viewer").get(f"/feedback/admin/surveys/{nps_survey(db, site).id}/preview?in=hu").text
    glue = page.index('<script src="/feedback/static/admin/survey-preview.js" defer>')
    tag = re.search(r'<script src="/feedback/widget.js"([^>]*)>', page)
    assert tag is not None and glue < tag.start()  # the preview mode is ready before the widget starts
    assert 'data-site="fw-preview"' in tag.group(1) and 'data-preview-lang="hu"' in tag.group(1)
    # No inline script: each script is a file, or data the browser never runs.
    assert all("src=" in t or 'type="application/json"' in t for t in re.findall(r"<script[^>]*>", page))
    configs = preview_of(page)
    assert sorted(configs) == ["en", "hu", "zh"]
    assert configs["hu"]["widget"]["color"] == "#7a1f5c" and configs["hu"]["widget"]["position"] == "bottom-left"
    assert [s["slug"] for s in configs["hu"]["surveys"]] == ["nps"]
    assert configs["hu"]["surveys"][0]["triggers"]["manual"] is True  # the preview opens it, no trigger does
    assert configs["hu"]["surveys"][0]["questions"][0]["text"] == nps_survey(db, site).questions[0]["text"]["hu"]
    # What the widget sends there is refused in the page; it then says so, after its thanks.
    refused = CONFIG_STRINGS.index("refused")
    assert configs["en"]["strings"][refused] == "Thank you for your feedback! Preview: nothing was recorded."
    assert configs["hu"]["strings"][refused].endswith(" Előnézet: semmit sem rögzítettünk.")
    assert configs["zh"]["strings"][refused].endswith(" 预览：未记录任何内容。")
    assert configs["en"]["min_fill_ms"] == 0
    assert "The survey as it is saved." in page


def test_the_preview_shows_the_draft_and_the_published_survey_stays_as_it_was(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session, client: FlaskClient
) -> None:
    owner = logged_in("owner")
    survey = nps_survey(db, site)
    before = [dict(q) for q in survey.questions]
    url = f"/feedback/admin/surveys/{survey.id}"
    page = owner.get(url).text
    assert f'formaction="{url}/preview"' in page and "Preview these texts" in page
    draft = owner.post(f"{url}/preview?in=hu", data={"csrf_token": csrf_token(page), **NO_TRIGGERS,
                                                     "text__score____hu": "Ajánlana minket egy barátjának? (új)",
                                                     "text__score____en": "Would you recommend our new shop?"})
    assert draft.status_code == 200
    configs = preview_of(draft.text)
    assert configs["hu"]["surveys"][0]["questions"][0]["text"] == "Ajánlana minket egy barátjának? (új)"
    assert configs["en"]["surveys"][0]["questions"][0]["text"] == "Would you recommend our new shop?"
    assert "This is your draft, not saved yet" in draft.text
    db.expire_all()
    assert nps_survey(db, site).questions == before
    public = client.get(f"/feedback/api/v1/sites/{site.key}/config?locale=en").get_json()
    published = next(s for s in public["surveys"] if s["slug"] == "nps")
    assert published["questions"][0]["text"] == before[0]["text"]["en"]
    assert "new shop" not in json.dumps(public)


def test_a_wrong_text_in_the_draft_shows_on_the_survey_page_not_in_a_preview(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    url = f"/feedback/admin/surveys/{nps_survey(db, site).id}"
    token = csrf_token(owner.get(url).text)
    page = owner.post(f"{url}/preview", data={"csrf_token": token, **NO_TRIGGERS, "text__score____en": "x" * 501}).text
    assert "fw-preview-config" not in page and "fw-field-error" in page
    assert "fw-preview-config" not in owner.post(f"{url}/preview", data={"text__score____en": "No token"}).text


def test_previewing_records_nothing(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    owner = logged_in("owner")
    survey = nps_survey(db, site)
    url = f"/feedback/admin/surveys/{survey.id}"
    token = csrf_token(owner.get(url).text)
    changed_at = survey.updated_at
    owner.get(f"{url}/preview")
    owner.post(f"{url}/preview", data={"csrf_token": token, **NO_TRIGGERS, "text__score____en": "Draft"})
    # Should the page's preview mode fail, the widget's requests go to a site that does not exist.
    assert owner.get("/feedback/api/v1/sites/fw-preview/config").status_code == 404
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Response)) == 0
    assert nps_survey(db, site).updated_at == changed_at


def test_each_language_shows_how_many_texts_it_misses(logged_in: Callable[..., FlaskClient], site: Site,
                                                     db: Session) -> None:
    survey = nps_survey(db, site)
    questions = [dict(q) for q in survey.questions]
    questions[0]["text"] = {**questions[0]["text"], "hu": ""}
    questions[1]["text"] = {"en": "What influenced your rating?", "hu": "", "zh": ""}
    survey.questions = questions
    db.commit()
    page = logged_in("owner").get(f"/feedback/admin/surveys/{survey.id}?lang=en").text
    marks = re.findall(r'<li><span class="fw-badge[^"]*">([^<]*)</span></li>', page)
    assert marks == ["English: complete", "Magyar: 2 texts missing", "中文: 1 text missing"]
    hu = logged_in("owner").get(f"/feedback/admin/surveys/{survey.id}?lang=hu").text
    assert "Magyar: 2 szöveg hiányzik" in hu and "English: kész" in hu
    zh = logged_in("owner").get(f"/feedback/admin/surveys/{survey.id}?lang=zh").text
    assert "Magyar：缺少 2 条文本" in zh and "English：已全部填写" in zh


def test_answers_are_headed_by_their_text_and_the_value_recorded(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    page = logged_in("owner").get(f"/feedback/admin/surveys/{survey_by_slug(db, site, 'loyalty').id}?lang=en").text
    assert "Answer 1" not in page
    legend = re.search(r"<legend>Answer “Free delivery” <span[^>]*>recorded as free_delivery</span>", page)
    assert legend is not None
    hu = logged_in("owner").get(f"/feedback/admin/surveys/{survey_by_slug(db, site, 'loyalty').id}?lang=hu").text
    assert "Ingyenes szállítás" in hu


def test_the_preview_shows_a_look_before_it_is_saved(logged_in: Callable[..., FlaskClient], site: Site,
                                                     db: Session) -> None:
    owner = logged_in("owner")
    url = f"/feedback/admin/surveys/{nps_survey(db, site).id}"
    page = owner.get(url).text
    assert "Preview this look" in page
    preview = owner.post(f"{url}/preview", data={"csrf_token": csrf_token(page), "color": "#7A1F5C",
                                                 "position": "right"})
    look = preview_of(preview.text)["en"]["widget"]
    assert look == {"color": "#7a1f5c", "on_color": "#fff", "position": "right", "show_button": False}
    faint = owner.post(f"{url}/preview", data={"csrf_token": csrf_token(page), "color": "#ffd700",
                                               "position": "right"}).text
    assert "fw-preview-config" not in faint and field_error(faint, "color").startswith("White text is hard to read")
    db.expire_all()
    assert "widget" not in (db.get(Site, site.id).settings or {})  # type: ignore[union-attr]
