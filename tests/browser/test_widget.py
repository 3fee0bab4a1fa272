"""The widget in a real browser, on a hostile shop page of another origin with a strict CSP."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site
from feedbackwidget.provisioning import create_site
from feedbackwidget.web.widget.strings import widget_strings

from ..test_complaints_api import complaints
from .conftest import LiveServer, ShopPage, ShopServer

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
HOSTILE_CSS = "* { all: unset } div { display: none !important } button { font-size: 40px }"
SHOP_HTML = """<!doctype html><html lang="hu"><head><meta charset="utf-8"><title>Kávébolt</title>
<link rel="stylesheet" href="/hostile.css"></head>
<body><h1>Kávébolt</h1><a href="/kave">Kávék</a> <a href="/tea">Teák</a><div>Ajánlat</div><button>Kosár</button>
<script src="{widget}/feedback/widget.js" data-site="{key}"{extra} async></script></body></html>"""


def shop(shop_server: ShopServer, live_server: LiveServer, key: str, csp: bool = True, debug: bool = False) -> str:
    widget = live_server.url
    headers = {}
    if csp:
        headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src {widget}; style-src 'self' {widget}; connect-src {widget}; img-src 'self'"
        )
    html = SHOP_HTML.format(widget=widget, key=key, extra=" data-debug" if debug else "")
    shop_server.pages["/"] = ShopPage(html, headers=headers)
    shop_server.pages["/hostile.css"] = ShopPage(HOSTILE_CSS, "text/css")
    return shop_server.origin + "/"


@pytest.fixture
def shop_site(live_server: LiveServer, shop_server: ShopServer, db: Session) -> Site:
    site = create_site(db, "Kávébolt", [shop_server.origin], default_locale="en", templates=("nps", "stock"))
    db.commit()
    return site


def rows(db: Session) -> list[Response]:
    db.expire_all()
    return list(db.scalars(select(Response).order_by(Response.id)))


def wait_for_rows(db: Session, count: int, seconds: float = 10) -> list[Response]:
    deadline = time.monotonic() + seconds
    while len(found := rows(db)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def focused_in_widget(page: Any) -> str:
    """What has the focus inside the widget's shadow root: tag and text or value."""
    return str(page.evaluate(
        """() => { const host = document.querySelector('feedback-widget');
                   const el = host && document.activeElement === host ? host.shadowRoot.activeElement : null;
                   return el ? el.tagName + ':' + (el.type === 'radio' ? el.value : el.textContent) : ''; }"""
    ))


def test_a_visitor_answers_in_hungarian_with_the_keyboard_on_a_hostile_page(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site, db: Session
) -> None:
    context = browser.new_context(locale="hu-HU")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(shop(shop_server, live_server, shop_site.key))

    button = page.locator("feedback-widget .fw-button")
    button.wait_for()
    assert button.inner_text() == "Visszajelzés"
    assert button.evaluate("b => getComputedStyle(b).fontSize") != "40px"
    for _ in range(10):
        if focused_in_widget(page).startswith("BUTTON:Visszajelzés"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = page.locator("feedback-widget [role=dialog]")
    assert dialog.is_visible()
    assert focused_in_widget(page) == "INPUT:0"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused_in_widget(page) == "INPUT:3"
    page.keyboard.press("Tab")
    assert focused_in_widget(page) == "BUTTON:Tovább"
    page.keyboard.press("Enter")
    assert page.locator("feedback-widget .fw-legend").inner_text() == "Sajnáljuk. Mi befolyásolta az értékelését?"
    page.keyboard.type("Lassú szállítás")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused_in_widget(page) == "BUTTON:Küldés"
    page.keyboard.press("Enter")
    assert page.locator("feedback-widget .fw-thanks").inner_text().startswith("Köszönjük a visszajelzését!")
    page.keyboard.press("Escape")
    assert not dialog.count()

    [row] = wait_for_rows(db, 1)
    assert (row.nps_score, row.comment, row.locale) == (3, "Lassú szállítás", "hu")
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    context.close()


def test_an_answer_given_offline_is_stored_exactly_once_when_back_online(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site, db: Session
) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(shop(shop_server, live_server, shop_site.key))
    page.locator("feedback-widget .fw-button").wait_for()  # the config is in: nothing more to fetch
    context.set_offline(True)

    page.evaluate("FeedbackWidget.open('nps')")
    page.locator("feedback-widget label.fw-option", has_text="9").click()
    page.locator("feedback-widget .fw-primary").click()
    page.locator("feedback-widget textarea").fill("Fast delivery")
    page.locator("feedback-widget .fw-primary").click()
    assert "You are offline" in page.locator("feedback-widget .fw-thanks").inner_text()
    assert page.evaluate("JSON.parse(localStorage.getItem('feedbackwidget:' + %r)).queue.length" % shop_site.key) == 1
    assert rows(db) == []

    context.set_offline(False)
    [row] = wait_for_rows(db, 1)
    page.reload()
    page.locator("feedback-widget .fw-button").wait_for()
    page.wait_for_function("!(JSON.parse(localStorage.getItem('feedbackwidget:' + %r)) || {}).queue?.length" % shop_site.key)
    assert [(r.nps_score, r.comment) for r in rows(db)] == [(9, "Fast delivery")]
    context.close()


def test_debug_mode_says_why_under_the_csp(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site
) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(shop(shop_server, live_server, shop_site.key, debug=True))
    page.locator("feedback-widget .fw-button").wait_for()
    # The templates' surveys are manual (shown by the button or open() only), which debug mode says
    # once its script, from the widget's origin, has come.
    deadline = time.monotonic() + 10
    while not [m for m in messages if "survey nps is manual" in m] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert [m for m in messages if m.startswith("info: [FeedbackWidget] survey nps is manual: only")]
    assert len([url for url in fetched if "/feedback/widget-debug." in url]) == 1
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m]

    messages.clear()
    page.goto(shop(shop_server, live_server, shop_site.key))  # without data-debug: no debug script, no messages
    page.locator("feedback-widget .fw-button").wait_for()
    page.wait_for_load_state("networkidle")
    assert len([url for url in fetched if "/feedback/widget-debug." in url]) == 1
    assert not [m for m in messages if "FeedbackWidget" in m]
    context.close()


def test_the_complaint_form_comes_on_demand_and_files_a_complaint_under_the_csp(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site, db: Session
) -> None:
    context = browser.new_context(locale="hu-HU")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(shop(shop_server, live_server, shop_site.key))
    page.locator("feedback-widget .fw-button").click()
    assert not [url for url in fetched if "widget-complaint." in url]  # not before it is asked for

    page.locator("feedback-widget .fw-link").click()
    page.locator("feedback-widget #fw-c-description").wait_for()
    assert [url for url in fetched if "widget-complaint." in url]
    assert page.locator("feedback-widget #fw-title").inner_text() == "Írja meg, mi történt"
    page.locator("feedback-widget #fw-c-category").select_option("product_quality")
    page.locator("feedback-widget #fw-c-description").fill("Törött bögre")
    page.locator("feedback-widget #fw-c-wish").fill("Cserét kérek")
    page.locator("feedback-widget #fw-c-name").fill("Kiss Anna")
    page.locator("feedback-widget #fw-c-email").fill("anna")
    page.locator("feedback-widget .fw-primary").click()
    assert page.locator("feedback-widget #fw-c-email-error").inner_text() != ""
    assert page.locator("feedback-widget #fw-c-consent").evaluate("c => getComputedStyle(c).width") == "22px"  # its styles came too
    page.locator("feedback-widget #fw-c-email").fill("anna@example.com")
    page.locator("feedback-widget #fw-c-consent").check()
    page.locator("feedback-widget .fw-primary").click()
    page.locator("feedback-widget .fw-thanks").wait_for()

    deadline = time.monotonic() + 10
    while not (found := complaints(db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [(c.customer_name, c.locale, c.category) for c in found] == [("Kiss Anna", "hu", "product_quality")]
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    context.close()


BOXES = """els => els.map(el => { const range = document.createRange(); range.selectNodeContents(el);
             const box = el.getBoundingClientRect(), text = range.getBoundingClientRect();
             return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                     text_left: text.left, text_right: text.right, text: el.textContent}; })"""


def boxes(page: Any, selector: str) -> list[dict[str, Any]]:
    """Where the elements *selector* finds in the widget are on the screen (their text's extent too), in order."""
    return list(page.locator(f"feedback-widget {selector}").evaluate_all(BOXES))


@pytest.mark.parametrize("size", [(375, 740), (320, 640), (1280, 800)])
def test_the_nps_scale_is_one_row_with_its_anchors_under_0_and_10(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site, size: tuple[int, int]
) -> None:
    width, height = size
    for locale in ("en", "hu", "zh"):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(shop(shop_server, live_server, shop_site.key))
        page.locator("feedback-widget .fw-button").wait_for()
        page.evaluate("FeedbackWidget.open('nps')")

        cells = boxes(page, "label.fw-option span")
        assert [cell["text"] for cell in cells] == [str(n) for n in range(11)]
        assert len({round(cell["top"]) for cell in cells}) == 1, f"{locale}: the 0-10 scale wraps at {width} px"
        assert all(a["right"] < b["left"] for a, b in zip(cells, cells[1:]))
        assert all(cell["text_left"] >= cell["left"] and cell["text_right"] <= cell["right"] for cell in cells)  # "10" fits
        assert min(cell["right"] - cell["left"] for cell in cells) >= 21  # WCAG 2.5.8: with the gap, 24 px apart
        low, high = boxes(page, ".fw-hint span")
        # The anchors under the scale's ends: the low one starts under 0, the high one ends under 10.
        assert low["top"] >= cells[0]["bottom"] and high["top"] >= cells[10]["bottom"]
        assert abs(low["text_left"] - cells[0]["left"]) <= 1, locale
        assert abs(high["text_right"] - cells[10]["right"]) <= 1, locale
        assert low["text_left"] < cells[0]["right"] and high["text_right"] > cells[10]["left"]
        dialog = page.locator("feedback-widget [role=dialog]").bounding_box()
        assert dialog is not None and dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= width
        context.close()


@pytest.mark.parametrize("locale", ["en", "hu", "zh"])
def test_at_375_px_the_progress_the_required_message_and_the_complaint_category_tell_the_truth(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site, locale: str
) -> None:
    text = widget_strings(locale)
    context = browser.new_context(locale=locale, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(shop(shop_server, live_server, shop_site.key))
    page.locator("feedback-widget .fw-button").wait_for()
    step = page.locator("feedback-widget .fw-step")
    options = page.locator("feedback-widget label.fw-option")
    send = page.locator("feedback-widget .fw-primary")
    error = page.locator("feedback-widget #fw-error")

    # "Is it in stock?" may be followed by "What was missing?": 1 of 2, whichever answer ends it.
    page.evaluate("FeedbackWidget.open('stock')")
    assert step.inner_text() == text["progress"].format(current=1, total=2)
    assert send.inner_text() == text["next"]
    options.nth(0).click()  # yes: nothing more to ask
    send.click()
    page.locator("feedback-widget .fw-thanks").wait_for()
    page.evaluate("FeedbackWidget.open('stock')")
    assert step.inner_text() == text["progress"].format(current=1, total=2)
    options.nth(1).click()  # no: what was missing?
    send.click()
    assert step.inner_text() == text["progress"].format(current=2, total=2)
    assert send.inner_text() == text["send"]

    # "Please answer this question." until the question is answered, not a moment longer.
    page.evaluate("FeedbackWidget.open('nps')")
    send.click()
    assert error.inner_text() == text["required"] and error.is_visible()
    assert page.locator("feedback-widget fieldset").get_attribute("aria-describedby") == "fw-hint fw-error"
    options.nth(8).click()
    assert error.inner_text() == ""
    assert step.inner_text() == text["progress"].format(current=1, total=2)  # answered, not yet sent

    # The complaint form chooses no category for the customer, and says so under the field.
    page.locator("feedback-widget .fw-link").click()
    category = page.locator("feedback-widget #fw-c-category")
    category.wait_for()
    assert category.evaluate("s => [s.value, s.selectedOptions[0].textContent, s.selectedIndex]") == [
        "", text["complaint_choose"], 0]
    send.click()
    message = page.locator("feedback-widget #fw-c-category-error")
    assert message.inner_text() == text["complaint_category_required"]
    assert category.get_attribute("aria-describedby") == "fw-c-category-error"
    assert category.get_attribute("aria-invalid") == "true"
    [field] = boxes(page, "#fw-c-category")
    [under] = boxes(page, "#fw-c-category-error")
    [next_label] = boxes(page, "label[for=fw-c-description]")
    assert field["bottom"] + 5 <= under["top"] and under["bottom"] <= next_label["top"]  # clear of the focus ring
    assert page.locator("feedback-widget #fw-c-description-error").inner_text() == text["required"]
    category.select_option(index=1)
    assert message.inner_text() == "" and category.get_attribute("aria-invalid") is None
    assert page.locator("feedback-widget #fw-c-description-error").inner_text() == text["required"]  # still empty
    context.close()


def test_axe_finds_no_accessibility_violations_in_the_open_widget(
    browser: Any, live_server: LiveServer, shop_server: ShopServer, shop_site: Site
) -> None:
    assert AXE.exists(), "axe-core is missing: run 'npm ci' at the top of the repository"
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(shop(shop_server, live_server, shop_site.key))
    page.locator("feedback-widget .fw-button").wait_for()
    page.add_script_tag(path=str(AXE))
    page.evaluate("FeedbackWidget.open('nps')")
    box = page.locator("feedback-widget [role=dialog]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320

    def violations() -> list[str]:
        result = page.evaluate(
            """async () => (await axe.run({include: [['feedback-widget']]},
                 {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}))
                 .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
        )
        return list(result)

    assert violations() == []
    page.locator("feedback-widget label.fw-option", has_text="10").click()
    page.locator("feedback-widget .fw-primary").click()
    assert violations() == []
    page.locator("feedback-widget .fw-link").click()  # the complaint form, with every message shown
    page.locator("feedback-widget #fw-c-category").wait_for()
    page.locator("feedback-widget .fw-primary").click()
    assert page.locator("feedback-widget #fw-c-category-error").inner_text() != ""
    assert violations() == []
    context.close()


def test_the_hosted_survey_page_works_with_javascript_off(
    browser: Any, live_server: LiveServer, shop_site: Site, db: Session
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="hu-HU")
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/s/{shop_site.key}/nps")

    assert page.locator("html").get_attribute("lang") == "hu"
    page.locator("label.option", has_text="10").first.click()
    page.locator("textarea").fill("Minden rendben volt")
    page.locator("button[type=submit]").click()

    assert page.locator("h1").inner_text() == "Köszönjük a visszajelzését!"
    [row] = wait_for_rows(db, 1)
    assert (row.nps_score, row.comment, row.locale) == (10, "Minden rendben volt", "hu")
    context.close()


def test_axe_finds_no_accessibility_violations_on_the_hosted_page(
    browser: Any, live_server: LiveServer, shop_site: Site
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}/feedback/s/{shop_site.key}/stock?lang=zh")
    page.locator("button[type=submit]").click()  # with the error messages shown
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}))
             .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    assert violations == []
    context.close()


def test_the_demo_on_another_port_stores_answers_and_a_refused_one_is_never_silent(
    browser: Any, live_server: LiveServer, db: Session
) -> None:
    # The demo allows port 5000's origins; this server runs on another port, as `flask run --port 5001` does.
    live_server.app.test_cli_runner().invoke(args=["feedbackwidget", "demo", "--responses", "0"])
    elsewhere = create_site(db, "Elsewhere", ["https://elsewhere.example"], templates=("stock",))
    db.commit()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)

    page.goto(live_server.url + "/feedback/demo")
    page.locator("feedback-widget .fw-button").wait_for()
    page.evaluate("FeedbackWidget.open('stock')")
    page.locator("feedback-widget label.fw-option", has_text="Yes").click()
    page.locator("feedback-widget .fw-primary").click()
    assert page.locator("feedback-widget .fw-thanks").inner_text().startswith("Thank you for your feedback!")
    assert len(wait_for_rows(db, 1)) == 1

    page.goto(live_server.url + f"/feedback/demo/{elsewhere.key}")  # a site that does not allow this origin
    page.locator("feedback-widget .fw-button").wait_for()
    page.evaluate("FeedbackWidget.open('stock')")
    page.locator("feedback-widget label.fw-option", has_text="Yes").click()
    # The console event may reach the test after the page shows the message: wait for it, not only the page.
    with page.expect_console_message(lambda m: m.type == "warning" and "origin_not_allowed" in m.text):
        page.locator("feedback-widget .fw-primary").click()
    page.locator("feedback-widget .fw-thanks", has_text="Your answer could not be sent.").wait_for()
    assert any("origin_not_allowed" in warning for warning in warnings)
    assert len(rows(db)) == 1
    context.close()
