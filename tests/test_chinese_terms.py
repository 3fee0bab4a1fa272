"""Chinese as a native shop owner and customer read it: survey answers are 反馈 (回复 is a reply), the
public site key is a 站点标识 (not a 密钥, a secret), "in stock?" is answered 有/没有 (是/否 stays for a
question 是 answers), and the detractor's follow-up is no calque of "sorry to hear that"."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from flask.testing import FlaskClient

from feedbackwidget.core.i18n import translate
from feedbackwidget.core.models import Site

from .test_widget_config import config

ZH = {"Accept-Language": "zh-CN"}


def words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_admin_calls_survey_answers_feedback_and_the_site_key_an_identifier(
    logged_in: Callable[..., FlaskClient], site: Site
) -> None:
    client = logged_in("owner")

    responses = words(client.get("/feedback/admin/responses?lang=zh").text)
    sites = words(client.get("/feedback/admin/sites?lang=zh").text)

    assert "反馈" in responses and "回复" not in responses
    assert "站点标识" in sites and "密钥" not in sites


def test_the_stock_question_is_answered_with_you_and_meiyou_in_the_widget(client: FlaskClient, site: Site) -> None:
    body = config(client, site, "zh-CN")

    [stock] = [s["questions"][0] for s in body["surveys"] if s["slug"] == "stock"]
    [member] = [s["questions"][0] for s in body["surveys"] if s["slug"] == "loyalty"]
    assert stock["text"] == "您需要的商品有现货吗？"
    assert [(o["value"], o["text"]) for o in stock["options"]] == [(True, "有"), (False, "没有")]
    assert [(o["value"], o["text"]) for o in member["options"]] == [(True, "是"), (False, "否")]


@pytest.mark.parametrize(("lang", "yes", "no"), [("zh", "有", "没有"), ("hu", "Igen", "Nem"), ("en", "Yes", "No")])
def test_the_stock_question_is_answered_in_its_own_words_on_the_hosted_survey(
    client: FlaskClient, site: Site, lang: str, yes: str, no: str
) -> None:
    page = client.get(f"/feedback/s/{site.key}/stock?lang={lang}").text

    assert re.findall(r'<input[^>]*value="(yes|no)"[^>]*><span>([^<]+)</span>', page) == [("yes", yes), ("no", no)]


def test_the_detractors_follow_up_is_natural_chinese() -> None:
    text = translate("zh", "We are sorry to hear that. What influenced your rating?")

    assert "听到这个消息" not in text and text.endswith("是什么影响了您的评分？")
