"""The texts with a built-in wording, worded by the shop: the widget's button, its window's title and the
thanks (the site's, for every survey), and the answers of a rating (CSAT) or a yes/no question (the
question's). An owner edits them on the survey page, each language side by side; an empty language reads
the built-in translation, which the field shows greyed. The widget's config, the hosted survey page, the
invitation e-mail and the draft preview use them; the widget's script stays as it is."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site, Survey
from feedbackwidget.invitations.message import first_question
from feedbackwidget.sites import compile_survey
from feedbackwidget.sites.widget_texts import with_site_texts
from feedbackwidget.surveys.questions import parse_question
from feedbackwidget.web.widget.strings import CONFIG_STRINGS

from .conftest import SHOP_ORIGIN, admin_login, csrf_token

NO_TRIGGERS = {"trigger_url_match": "any"}
HU_THANKS = "Köszönjük, hogy segít jobbá tenni a Kovács Virágboltot!"


def survey_by_slug(db: Session, slug: str, site: Site) -> Survey:
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == slug))
    assert survey is not None
    return survey


def config(client: FlaskClient, site: Site, locale: str) -> Any:
    response = client.get(f"/feedback/api/v1/sites/{site.key}/config?locale={locale}", headers={"Origin": SHOP_ORIGIN})
    assert response.status_code == 200
    return response.json


def string(body: Any, name: str) -> str:
    return str(body["strings"][CONFIG_STRINGS.index(name)])


def options(body: Any, slug: str) -> list[str]:
    """The answers of survey *slug*'s first question, as the widget shows them."""
    survey = next(s for s in body["surveys"] if s["slug"] == slug)
    return [o["text"] for o in survey["questions"][0]["options"]]


def save(owner: FlaskClient, survey: Survey, lang: str = "en", **fields: str) -> str:
    url = f"/feedback/admin/surveys/{survey.id}?lang={lang}"
    return str(owner.post(url, data={"csrf_token": csrf_token(owner.get(url).text), **NO_TRIGGERS, **fields}).text)


def field_error(page: str, name: str) -> str:
    found = re.search(rf'id="{name}-error"[^>]*>(.*?)</span>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def test_a_hungarian_thanks_reaches_hungarian_visitors_only(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    assert string(config(client, site, "hu"), "thanks") == "Köszönjük a visszajelzését!"  # read, so it is cached
    saved = save(logged_in("owner"), survey_by_slug(db, "nps", site), own__thanks__hu=HU_THANKS)
    assert "Saved." in saved
    # The edit shows at once: saving forgets this process's copy of the site (others within a minute).
    assert string(config(client, site, "hu"), "thanks") == HU_THANKS
    assert string(config(client, site, "en"), "thanks") == "Thank you for your feedback!"
    assert string(config(client, site, "zh"), "thanks") == "感谢您的反馈！"
    assert string(config(client, site, "hu"), "button") == "Visszajelzés"  # the others stay built-in
    db.expire_all()
    assert db.get(Site, site.id).settings["widget_texts"] == {"thanks": {"hu": HU_THANKS}}  # type: ignore[union-attr]


def test_an_edit_reaches_a_widget_whose_site_is_cached_at_once(
    make_app: Callable[..., Flask], make_admin: Callable[..., Any], site: Site, db: Session
) -> None:
    app = make_app(FEEDBACKWIDGET_SITE_CACHE_SECONDS=3600)  # as in production: the site is read once an hour
    visitor, owner = app.test_client(), app.test_client()
    make_admin("owner@shop.example", sites=[(site, "owner")])
    assert admin_login(owner, "owner@shop.example").status_code == 302
    assert string(config(visitor, site, "hu"), "button") == "Visszajelzés"
    site.settings = with_site_texts(site.settings, {"button": {"hu": "Behind the cache's back"}})
    db.commit()
    assert string(config(visitor, site, "hu"), "button") == "Visszajelzés"  # the cached site answers
    save(owner, survey_by_slug(db, "nps", site), own__button__hu="Vélemény")
    assert string(config(visitor, site, "hu"), "button") == "Vélemény"
    assert f"<h1>{HU_THANKS}</h1>" not in visitor.get(f"/feedback/s/{site.key}/nps/thanks?lang=hu").text
    save(owner, survey_by_slug(db, "nps", site), own__thanks__hu=HU_THANKS)
    assert f"<h1>{HU_THANKS}</h1>" in visitor.get(f"/feedback/s/{site.key}/nps/thanks?lang=hu").text


def test_the_texts_belong_to_the_site_and_show_on_every_survey_page(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    save(owner, survey_by_slug(db, "nps", site), own__button__en="Tell us", own__dialog_title__zh="说说您的想法")
    page = owner.get(f"/feedback/admin/surveys/{survey_by_slug(db, 'csat', site).id}?lang=en").text
    assert "Button, title and thanks on every survey of Test Shop" in page
    assert re.search(r'name="own__button__en"[^>]*value="Tell us"', page)
    # An empty language shows the built-in text it stands for, greyed, and is not "missing" ...
    assert re.search(r'name="own__button__hu" placeholder="Visszajelzés"', page)
    assert re.search(r'<textarea[^>]*name="own__thanks__zh" placeholder="感谢您的反馈！"', page)
    marks = re.findall(r'<legend>([^<]*) <span class="fw-badge[^"]*">([^<]*)</span>', page)
    assert ("The thanks after sending", "Built-in text") in marks
    # ... until another language has its own: then the mark says how many have one.
    assert ("The button that opens the survey", "1 of 3 languages") in marks
    summary = re.findall(r'<li><span class="fw-badge[^"]*">([^<]*)</span></li>', page)
    assert summary == ["English: 1 text missing", "Magyar: 2 texts missing", "中文: 1 text missing"]
    hu = owner.get(f"/feedback/admin/surveys/{survey_by_slug(db, 'csat', site).id}?lang=hu").text
    assert "Gomb, cím és köszönet a(z) Test Shop minden kérdőívén" in hu and "Beépített szöveg" in hu
    zh = owner.get(f"/feedback/admin/surveys/{survey_by_slug(db, 'csat', site).id}?lang=zh").text
    assert "Test Shop 所有问卷的按钮、标题和致谢语" in zh and "内置文本" in zh


def test_the_answers_of_a_rating_and_of_a_stock_question_are_the_questions_own(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    csat = survey_by_slug(db, "csat", site)
    page = owner.get(f"/feedback/admin/surveys/{csat.id}?lang=en").text
    assert re.search(r"<legend>Answer “Excellent” <span[^>]*>recorded as excellent</span>", page)
    assert re.search(r'name="answer__rating__good__hu" placeholder="Jó"', page)
    save(owner, csat, answer__rating__excellent__hu="Kiváló, köszönöm!", answer__rating__bad__hu="Rossz")
    assert options(config(client, site, "hu"), "csat") == ["Kiváló, köszönöm!", "Jó", "Rossz"]
    assert options(config(client, site, "en"), "csat") == ["Excellent", "Good", "Bad"]
    stock = survey_by_slug(db, "stock", site)
    # A stock question's built-in answers are its own words (有/没有 in Chinese, not 是/否).
    assert re.search(r'name="answer__in_stock__no__zh" placeholder="没有"',
                     owner.get(f"/feedback/admin/surveys/{stock.id}").text)
    save(owner, stock, answer__in_stock__yes__zh="有货", answer__in_stock__no__zh="缺货")
    assert options(config(client, site, "zh"), "stock") == ["有货", "缺货"]
    assert options(config(client, site, "hu"), "stock") == ["Igen", "Nem"]
    db.expire_all()
    assert survey_by_slug(db, "csat", site).questions[0]["answer_texts"] == {
        "excellent": {"hu": "Kiváló, köszönöm!"}, "bad": {"hu": "Rossz"}}


def test_the_hosted_survey_page_uses_the_same_texts(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    csat = survey_by_slug(db, "csat", site)
    save(logged_in("owner"), csat, own__dialog_title__hu="Mondja el a véleményét!", own__thanks__hu=HU_THANKS,
         answer__rating__excellent__hu="Kiváló, köszönöm!")
    form = client.get(f"/feedback/s/{site.key}/csat?lang=hu").text
    assert "<h1>Mondja el a véleményét!</h1>" in form and "<title>Mondja el a véleményét! – Test Shop</title>" in form
    labels = re.findall(r'<label class="option"><input[^>]*value="(\w+)"[^>]*><span>([^<]*)</span>', form)
    assert labels == [("excellent", "Kiváló, köszönöm!"), ("good", "Jó"), ("bad", "Rossz")]  # built-in where empty
    assert f"<h1>{HU_THANKS}</h1>" in client.get(f"/feedback/s/{site.key}/csat/thanks?lang=hu").text
    english = client.get(f"/feedback/s/{site.key}/csat/thanks?lang=en").text
    assert "<h1>Thank you for your feedback!</h1>" in english
    assert "<h1>Your feedback</h1>" in client.get(f"/feedback/s/{site.key}/csat?lang=en").text


def test_the_invitation_email_offers_the_questions_own_answers(site: Site, db: Session) -> None:
    csat = survey_by_slug(db, "csat", site)
    questions = [dict(q) for q in csat.questions]
    questions[0]["answer_texts"] = {"good": {"hu": "Rendben volt"}}
    csat.questions = questions
    db.commit()
    question = first_question(compile_survey(csat), "hu", "en")
    assert question is not None and question.answers == (("excellent", "Kiváló"), ("good", "Rendben volt"),
                                                          ("bad", "Rossz"))
    assert first_question(compile_survey(csat), "en", "en").answers[1] == ("good", "Good")  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "too_long", "two_lines"), [
    ("en", "Shorten this text to 30 characters or fewer.", "Must be one line without control characters."),
    ("hu", "Rövidítse a szöveget legfeljebb 30 karakterre.", "Egy sor lehet, vezérlőkarakterek nélkül."),
    ("zh", "请将此文本缩短到 30 个字符以内。", "必须是一行文字，且不含控制字符。"),
])
def test_a_text_too_long_or_on_two_lines_is_refused_on_its_field(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session, lang: str, too_long: str,
    two_lines: str | None,
) -> None:
    owner = logged_in("owner")
    survey = survey_by_slug(db, "csat", site)
    page = save(owner, survey, lang, own__button__en="x" * 31, own__thanks__hu="Köszönjük!\nA csapat",
                answer__rating__good__zh="好\r")
    assert "Saved." not in page
    assert field_error(page, "own__button__en") == too_long
    if two_lines:
        assert field_error(page, "own__thanks__hu") == two_lines
    assert field_error(page, "answer__rating__good__zh") == field_error(page, "own__thanks__hu") != ""
    assert re.search(r'name="own__button__en"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="own__button__en"',
                     page)
    db.expire_all()
    assert "widget_texts" not in (db.get(Site, site.id).settings or {})  # type: ignore[union-attr]
    assert string(config(client, site, "en"), "button") == "Feedback"


def test_clearing_a_text_goes_back_to_the_built_in_one_and_a_field_not_sent_keeps_its_text(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    survey = survey_by_slug(db, "csat", site)
    save(owner, survey, own__button__hu="Vélemény", own__thanks__hu=HU_THANKS, answer__rating__bad__hu="Rossz volt")
    # A script that posts only the triggers changes no text.
    url = f"/feedback/admin/surveys/{survey.id}"
    owner.post(url, data={"csrf_token": csrf_token(owner.get(url).text), **NO_TRIGGERS})
    assert string(config(client, site, "hu"), "button") == "Vélemény"
    assert options(config(client, site, "hu"), "csat")[2] == "Rossz volt"
    page = owner.get(url).text  # the page posts every field, the cleared ones empty
    fields = re.findall(r'name="((?:own|answer)__[^"]+)"', page)
    assert re.search(r'name="own__button__hu"[^>]*value="Vélemény"', page) and len(fields) == 3 * 3 + 3 * 3
    owner.post(url, data={"csrf_token": csrf_token(page), **NO_TRIGGERS,
                          **{name: "" for name in fields}, "own__thanks__hu": HU_THANKS})
    body = config(client, site, "hu")
    assert string(body, "button") == "Visszajelzés" and string(body, "thanks") == HU_THANKS
    assert options(body, "csat")[2] == "Rossz"
    db.expire_all()
    assert "answer_texts" not in survey_by_slug(db, "csat", site).questions[0]


def test_the_draft_preview_shows_the_texts_before_they_are_saved(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    survey = survey_by_slug(db, "csat", site)
    url = f"/feedback/admin/surveys/{survey.id}"
    draft = owner.post(f"{url}/preview?in=hu", data={
        "csrf_token": csrf_token(owner.get(url).text), **NO_TRIGGERS, "own__button__hu": "Vélemény",
        "own__thanks__hu": HU_THANKS, "answer__rating__excellent__hu": "Szuper"}).text
    found = re.search(r'<script type="application/json" id="fw-preview-config">(.*?)</script>', draft, re.S)
    assert found is not None
    configs = json.loads(found.group(1))
    assert string(configs["hu"], "button") == "Vélemény" and string(configs["hu"], "thanks") == HU_THANKS
    assert string(configs["hu"], "refused") == f"{HU_THANKS} Előnézet: semmit sem rögzítettünk."
    assert options(configs["hu"], "csat")[0] == "Szuper"
    assert string(configs["en"], "thanks") == "Thank you for your feedback!"
    # Nothing is stored: the site's widget still says what it said.
    assert string(config(client, site, "hu"), "button") == "Visszajelzés"
    assert options(config(client, site, "hu"), "csat")[0] == "Kiváló"


def test_stored_texts_are_checked_like_the_forms() -> None:
    with pytest.raises(ValueError, match="keep it to 30"):
        with_site_texts({}, {"button": {"en": "x" * 31}})
    with pytest.raises(ValueError, match="one line"):
        with_site_texts({}, {"thanks": {"hu": "a\nb"}})
    with pytest.raises(ValueError, match="unknown widget text 'close'"):
        with_site_texts({}, {"close": {"en": "Bye"}})
    assert with_site_texts({"widget": {}, "widget_texts": {"button": {"en": "A"}}}, {"button": {"en": " "}}) == {
        "widget": {}}
    with pytest.raises(ValueError, match="only .* have them"):
        parse_question({"key": "q", "type": "text", "text": {"en": "?"}, "answer_texts": {"yes": {"en": "Y"}}})
    with pytest.raises(ValueError, match="word its answers"):
        parse_question({"key": "q", "type": "csat", "text": {"en": "?"}, "answer_texts": {"yes": {"en": "Y"}}})
    with pytest.raises(ValueError, match="one line"):
        parse_question({"key": "q", "type": "yes_no", "text": {"en": "?"}, "answer_texts": {"yes": {"en": "Y\nes"}}})
