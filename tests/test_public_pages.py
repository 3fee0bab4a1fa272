"""What a customer sees on the public pages: the complaint form's error summary, the status page as a
case summary in the customer's language (the e-mailed link carries it, and the page switches
language), and the 404, 410, 413 and 503 pages in the visitor's language with the design system's
stylesheet; a host app's own 404 stays the host's."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from werkzeug.exceptions import Gone, NotFound

from feedbackwidget import get_state
from feedbackwidget.complaints.models import ComplaintMessage
from feedbackwidget.web.error_pages import error_page
from feedbackwidget.migrations import upgrade
from feedbackwidget.core.models import Site, utcnow
from feedbackwidget.surveys.models import SurveyLink
from feedbackwidget.provisioning import create_site

from .test_body_limit import FORM, Endless, send
from .test_complaints_api import complaints
from .test_complaints_pages import form_fields, hidden, status_link, submit_form
from .test_faults_db import _down_app
from .test_host_app import SHOP, make_shop
from .test_hosted_survey import cli_link

STYLESHEET = '<link rel="stylesheet" href="/feedback/static/fw.css">'
NOT_FOUND = {"en": "Page not found", "hu": "Az oldal nem található", "zh": "找不到该页面"}


def text_of(html: str) -> str:
    """The page's words as a person reads them: tags out, spaces squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def chinese_complaint(client: FlaskClient, site: Site, db: Session) -> tuple[str, str]:
    """A complaint sent from the form in Chinese: its reference and the status link of its receipt mail."""
    submit_form(client, site, lang="zh", name="王小明", description="送货太慢了，包装也坏了。")
    [complaint] = complaints(db)
    return complaint.reference, status_link(db, complaint)


# --- The status page -----------------------------------------------------------------------------


def test_the_mailed_status_link_opens_the_page_in_the_customers_language_on_an_english_browser(
    client: FlaskClient, site: Site, db: Session
) -> None:
    reference, link = chinese_complaint(client, site, db)
    assert "?lang=zh&token=" in link

    page = client.get(link, headers={"Accept-Language": "en-GB,en;q=0.9"}, follow_redirects=True)

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="zh">' in html
    words = text_of(html)
    assert f"您的投诉 {reference}" in words
    assert "我们已收到您的投诉，会尽快开始处理。" in words  # the state in words
    assert "Your complaint" not in words


def test_the_status_page_reads_as_a_case_summary(client: FlaskClient, site: Site, db: Session) -> None:
    reference, link = chinese_complaint(client, site, db)
    [complaint] = complaints(db)
    db.add(ComplaintMessage(complaint_id=complaint.id, visibility="public", body="We are sending a new one."))
    db.commit()

    html = client.get(link.replace("lang=zh", "lang=en"), follow_redirects=True).get_data(as_text=True)

    words = text_of(html)
    # The heading keeps the reference in one piece: no line break inside it.
    assert f'<h1 class="fw-status-heading">Your complaint <span class="fw-reference">{reference}</span></h1>' in html
    assert "Received, awaiting handling" in words
    assert "We have received your complaint and will start on it soon." in words
    assert re.search(r"Received: \w+ \d+, 20\d\d", words)
    assert re.search(r"Answer due by: \w+ \d+, 20\d\d \(\d+ days left\)", words)
    assert "Category: Delivery" in words
    assert re.search(r"Our replies \w+ \d+, 20\d\d We are sending a new one\.", words)
    assert "What you wrote 送货太慢了，包装也坏了。" in words
    assert "<dl class=\"fw-status\"" not in html


def test_a_resolved_complaint_says_so_and_when(client: FlaskClient, site: Site, db: Session) -> None:
    _, link = chinese_complaint(client, site, db)
    [complaint] = complaints(db)
    db.execute(update(type(complaint)).values(status="resolved", resolved_at=utcnow()))
    db.commit()

    words = text_of(client.get(link, follow_redirects=True).get_data(as_text=True))

    assert "已解决" in words and "您的投诉已处理完毕，处理方式见下方回复。" in words
    assert "结案日期：" in words and "答复期限" not in words


def test_the_status_page_switches_language_and_keeps_the_complaint(
    client: FlaskClient, site: Site, db: Session
) -> None:
    reference, link = chinese_complaint(client, site, db)
    page = client.get(link, follow_redirects=True).get_data(as_text=True)

    switch = re.search(r'<nav class="languages" aria-label="语言">(.*?)</nav>', page, re.S)
    assert switch, "no language switch on the status page"
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)"', switch.group(1)))
    assert links == {"?lang=en": "en", "?lang=hu": "hu", "?lang=zh": "zh"}
    assert 'lang="zh" hreflang="zh" aria-current="true"' in switch.group(1)

    path = link.split("?")[0]
    hungarian = client.get(f"{path}?lang=hu")  # the token went into the page's cookie on the first visit

    assert hungarian.status_code == 200
    assert f"Az Ön panasza: {reference}" in text_of(hungarian.get_data(as_text=True))


# --- The complaint form --------------------------------------------------------------------------


def test_an_empty_form_shows_an_error_summary_linking_to_each_field(client: FlaskClient, site: Site) -> None:
    response, _ = submit_form(client, site, lang="en", name="", email="", description="", consent=None)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<title>Error: Make a complaint", html)
    summary = re.search(r'<div class="fw-error-summary" role="alert".*?</div>', html, re.S)
    assert summary and "There is a problem" in summary.group(0)
    targets = re.findall(r'<a href="#(\w+)">', summary.group(0))
    assert targets == ["name", "email", "description", "consent"]
    # Each field as GOV.UK has it: the label, then the error, then the control.
    field = re.search(r'<div class="fw-field fw-invalid">\s*<label for="email">.*?</div>', html, re.S)
    assert field
    assert field.group(0).index('id="email-error"') < field.group(0).index('<input id="email"')
    assert 'aria-describedby="email-error" aria-invalid="true"' in field.group(0)


def test_a_hungarian_error_summary(client: FlaskClient, site: Site) -> None:
    page = client.get(f"/feedback/complaint/{site.key}?lang=hu").get_data(as_text=True)
    data = {**form_fields(email="nem-cim"), "csrf_token": hidden(page, "csrf_token"),
            "submission_id": hidden(page, "submission_id"), "rendered": hidden(page, "rendered")}

    words = text_of(client.post(f"/feedback/complaint/{site.key}?lang=hu", data=data).get_data(as_text=True))

    assert "Kérjük, javítsa a következőket E-mail-cím: „nem-cim” nem e-mail-cím" in words


# --- Error pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["hu", "zh"])
def test_a_missing_public_page_is_a_styled_404_in_the_visitors_language(
    client: FlaskClient, site: Site, lang: str
) -> None:
    by_browser = client.get(f"/feedback/s/{site.key}/no-such-survey", headers={"Accept-Language": lang})
    by_link = client.get(f"/feedback/s/{site.key}/no-such-survey?lang={lang}",
                         headers={"Accept-Language": "en"})

    for page in (by_browser, by_link):
        html = page.get_data(as_text=True)
        assert page.status_code == 404 and page.mimetype == "text/html"
        assert f'<html lang="{lang}">' in html and STYLESHEET in html
        assert NOT_FOUND[lang] in html
        assert "style=" not in html and "<script" not in html
        assert "unsafe-inline" not in page.headers["Content-Security-Policy"]  # the strict CSP holds


def test_an_unknown_address_of_the_standalone_server_is_the_styled_404_and_json_under_the_api(
    client: FlaskClient,
) -> None:
    page = client.get("/feedback/no-such-page", headers={"Accept-Language": "zh-CN"})
    api = client.get("/feedback/api/v1/no-such-endpoint")

    assert page.status_code == 404 and NOT_FOUND["zh"] in page.get_data(as_text=True)
    assert STYLESHEET in page.get_data(as_text=True)
    assert api.status_code == 404 and api.json is not None and api.json["code"] == "not_found"


def test_a_missing_admin_page_is_a_styled_404_with_a_way_back(
    logged_in: Callable[..., FlaskClient],
) -> None:
    client = logged_in("owner")

    page = client.get("/feedback/admin/responses/999999?lang=hu")

    html = page.get_data(as_text=True)
    assert page.status_code == 404 and STYLESHEET in html
    assert NOT_FOUND["hu"] in html and "Hibakód: 404" in html
    assert '<a class="fw-button fw-secondary" href="/feedback/admin/">Tovább a kezdőlapra</a>' in html


@pytest.mark.parametrize(("lang", "heading"), [("hu", "Ez az oldal már nem érhető el"),
                                               ("zh", "此页面已不再提供")])
def test_a_page_gone_for_good_is_a_styled_410(app: Flask, lang: str, heading: str) -> None:
    with app.test_request_context(f"/feedback/s/x/y?lang={lang}"):
        response = error_page(Gone())

    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert heading in html and STYLESHEET in html and f'<html lang="{lang}">' in html


def test_a_404_raised_under_the_json_api_stays_json(app: Flask) -> None:
    # Flask tries our handler of status 404 before the API's handler of every HTTPException.
    with app.test_request_context("/feedback/api/v1/sites/site_x/config?lang=hu"):
        response = error_page(NotFound())

    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["code"] == "not_found"


@pytest.mark.parametrize(("lang", "text"), [("hu", "Ez a link lejárt"), ("zh", "此链接已过期")])
def test_an_expired_survey_link_is_a_styled_410(
    app: Flask, client: FlaskClient, site: Site, db: Session, lang: str, text: str
) -> None:
    url = cli_link(app, site, "--order", "A-1001")
    db.execute(update(SurveyLink).values(expires_at=utcnow().replace(year=2020)))

    page = client.get(url, headers={"Accept-Language": lang}, follow_redirects=True)

    assert page.status_code == 410 and text in page.get_data(as_text=True)
    assert STYLESHEET in page.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "text"), [("hu", "Átmenetileg nem érhető el"), ("zh", "此页面暂时无法显示")])
def test_the_503_page_is_styled_in_the_visitors_language(
    make_app: Callable[..., Flask], lang: str, text: str
) -> None:
    client = _down_app(make_app).test_client()

    page = client.get("/feedback/complaint/site_abc", headers={"Accept-Language": lang})

    html = page.get_data(as_text=True)
    assert page.status_code == 503 and text in html
    assert STYLESHEET in html and f'<html lang="{lang}">' in html and "503" in html


def test_the_413_page_is_styled_in_the_visitors_language(client: FlaskClient, site: Site) -> None:
    headers: dict[str, Any] = {"Accept-Language": "zh"}
    response = send(client, "POST", f"/feedback/complaint/{site.key}", FORM, Endless(), **headers)

    html = response.get_data(as_text=True)
    assert response.status_code == 413 and STYLESHEET in html and '<html lang="zh">' in html


def test_a_host_apps_own_404_stays_the_hosts(tmp_path: Path) -> None:
    shop = make_shop(tmp_path, feedback_first=True, factory=False)
    upgrade(get_state(shop).engine)
    with Session(get_state(shop).engine) as session:
        key = create_site(session, "Shop", [SHOP], templates=("nps",)).key
        session.commit()
    client = shop.test_client()

    hosts = client.get("/no-such-shop-page", headers={"Accept-Language": "hu"})
    under_prefix = client.get("/feedback/no-such-page", headers={"Accept-Language": "hu"})
    ours = client.get(f"/feedback/s/{key}/no-such-survey", headers={"Accept-Language": "hu"})

    for page in (hosts, under_prefix):  # an address no route matches is the host's to answer
        assert page.status_code == 404
        assert "<h1>Not Found</h1>" in page.get_data(as_text=True)
        assert NOT_FOUND["hu"] not in page.get_data(as_text=True)
    assert ours.status_code == 404 and NOT_FOUND["hu"] in ours.get_data(as_text=True)
    assert STYLESHEET in ours.get_data(as_text=True)
