"""The survey builder's texts and its preview in a real browser, at 375x740 and 1280x800, in English,
Hungarian and Chinese: the languages of a text sit side by side on a wide screen and stack on a phone; an
owner changes the question's text and the thanks, previews them unsaved and sees the real widget ask the new
text and thank in the new words, in each language, while the published survey stays as it was; answering
in the preview records nothing. No page
scrolls sideways and axe-core finds no violation (``FW_SCREENSHOTS=/some/dir`` keeps a screenshot of each)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site, Survey

from ..conftest import ADMIN_PASSWORD
from .checks import axe_violations, keep_screenshot, sideways_overflow
from .conftest import LiveServer

pytestmark = pytest.mark.browser
SIZES = {"phone": (375, 740), "desktop": (1280, 800)}
DRAFT = {"en": "Would you recommend our new shop to a friend?", "hu": "Ajánlaná új boltunkat egy barátjának?",
         "zh": "您会向朋友推荐我们的新店吗？"}
NOTE = {"en": "Preview: nothing was recorded.", "hu": "Előnézet: semmit sem rögzítettünk.", "zh": "预览：未记录任何内容。"}
THANKS = {"en": "Thank you from all of us at the shop!", "hu": "Köszönjük, üdvözlet a bolt csapatától!",
          "zh": "全体店员感谢您的反馈！"}
PREVIEW_BUTTON = {"en": "Preview these texts", "hu": "Előnézet ezekkel a szövegekkel", "zh": "预览这些文本"}
OTHER = {"en": "hu", "hu": "zh", "zh": "en"}


def log_in(browser: Any, live_server: LiveServer, width: int, height: int) -> Any:
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    return page


def language_boxes(page: Any) -> list[dict[str, float]]:
    """Where the question's three language boxes sit."""
    boxes: list[dict[str, float]] = [page.locator(f"#text__score____{code}").bounding_box() for code in ("en", "hu", "zh")]
    return boxes


def widget_question(page: Any) -> str:
    legend = page.locator("feedback-widget .fw-dialog legend")
    legend.wait_for()
    return str(legend.inner_text())


def answer_in_the_preview(page: Any) -> str:
    """A 9, then a comment, sent; the widget's thanks as the owner reads it."""
    page.locator("feedback-widget .fw-option").nth(9).click()
    page.locator("feedback-widget .fw-dialog .fw-primary").click()
    page.locator("feedback-widget textarea").fill("Preview comment")
    page.locator("feedback-widget .fw-dialog .fw-primary").click()
    thanks = page.locator("feedback-widget .fw-thanks")
    thanks.wait_for()
    return str(thanks.inner_text())


def test_the_builder_and_the_preview_of_a_draft_in_three_languages(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session, client: FlaskClient
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "nps"))
    assert survey is not None
    published = {code: survey.questions[0]["text"][code] for code in DRAFT}
    loyalty_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.slug == "loyalty"))
    found: dict[str, list[str]] = {}
    for size_name, (width, height) in SIZES.items():
        page = log_in(browser, live_server, width, height)
        for lang in ("en", "hu", "zh"):
            page.goto(f"{live_server.url}/feedback/admin/surveys/{survey.id}?lang={lang}")
            en, hu, zh = language_boxes(page)
            if size_name == "desktop":
                assert en["y"] == hu["y"] == zh["y"] and en["x"] < hu["x"] < zh["x"]  # side by side
            else:
                assert en["x"] == hu["x"] == zh["x"] and en["y"] < hu["y"] < zh["y"]  # stacked
            for code, text in DRAFT.items():
                page.fill(f"#text__score____{code}", text)
            assert page.locator("#own__thanks__hu").get_attribute("placeholder") == "Köszönjük a visszajelzését!"
            for code, text in THANKS.items():
                page.fill(f"#own__thanks__{code}", text)
            found[f"builder {lang} {size_name}"] = sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"survey-texts-{lang}-{size_name}")

            with page.context.expect_page() as opened:
                page.get_by_role("button", name=PREVIEW_BUTTON[lang]).click()
            preview = opened.value
            assert widget_question(preview) == DRAFT[lang]  # the draft, in the admin's language
            found[f"preview {lang} {size_name}"] = sideways_overflow(preview) + axe_violations(preview)
            keep_screenshot(preview, f"survey-preview-{lang}-{size_name}")
            preview.locator(f"[data-preview-lang={OTHER[lang]}]").click()
            preview.wait_for_function(
                "text => document.querySelector('feedback-widget').shadowRoot.querySelector('legend')?.textContent == text",
                arg=DRAFT[OTHER[lang]])
            assert preview.locator(f"[data-preview-lang={OTHER[lang]}]").get_attribute("aria-current") == "true"
            thanks = answer_in_the_preview(preview)
            assert thanks.startswith(THANKS[OTHER[lang]]) and NOTE[OTHER[lang]] in thanks  # the draft's thanks
            found[f"preview thanks {OTHER[lang]} {size_name}"] = sideways_overflow(preview) + axe_violations(preview)
            keep_screenshot(preview, f"survey-preview-thanks-{OTHER[lang]}-{size_name}")
            preview.close()
            page.goto(f"{live_server.url}/feedback/admin/surveys/{loyalty_id}?lang={lang}")  # answers of a choice
            found[f"loyalty {lang} {size_name}"] = sideways_overflow(page) + axe_violations(page)
            keep_screenshot(page, f"survey-loyalty-{lang}-{size_name}")
        page.context.close()
    assert found == {name: [] for name in found}
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Response)) == 0
    stored = db.get(Survey, survey.id)
    assert stored is not None and {code: stored.questions[0]["text"][code] for code in DRAFT} == published
    config = client.get(f"/feedback/api/v1/sites/{site.key}/config?locale=en").get_json()
    assert next(s for s in config["surveys"] if s["slug"] == "nps")["questions"][0]["text"] == published["en"]
    assert "Thank you for your feedback!" in config["strings"] and THANKS["en"] not in config["strings"]


def test_the_preview_runs_under_the_admin_pages_strict_csp(
    browser: Any, live_server: LiveServer, make_admin: Any, site: Site, db: Session
) -> None:
    make_admin("owner@shop.example", sites=[(site, "owner")])
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "nps"))
    assert survey is not None
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # the page's own CSP holds
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/feedback/admin/login")
    page.fill("#email", "owner@shop.example")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/feedback/admin/surveys/{survey.id}/preview?in=zh")
    assert widget_question(page) == survey.questions[0]["text"]["zh"]
    assert NOTE["zh"] in answer_in_the_preview(page)
    assert refused == []
    context.close()
