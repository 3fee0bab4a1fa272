"""The complaint workspace as a handler sees it: the header, the flash after each action, saved
replies, the queue (plural forms, sorting in the URL, bulk assign) and the analysis' empty state."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site

from .conftest import csrf_token
from .test_complaints_admin import ADMIN, act, only_complaint
from .test_complaints_api import complaint_body, complaints, post_complaint


def text_of(page: str, css_class: str) -> str:
    """The text inside the first element with *css_class* (tags dropped, spaces squeezed)."""
    found = re.search(rf'class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</(?:strong|p|a|span|button|div)>', page, re.S)
    assert found, f"no .{css_class} on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def flash(response: Any) -> str:
    return text_of(response.text, "fw-cw-flash")


@pytest.fixture
def manager(logged_in: Callable[..., FlaskClient]) -> FlaskClient:
    return logged_in("manager", email="anna@shop.example")


@pytest.mark.parametrize(("lang", "countdown"), [("en", "29 days left"), ("hu", "29 nap van hátra"),
                                                 ("zh", "还剩 29 天")])
def test_the_header_counts_down_to_the_deadline_and_offers_the_next_step(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session, lang: str, countdown: str
) -> None:
    post_complaint(client, site, complaint_body())
    page = manager.get(f"{ADMIN}/{only_complaint(db).id}?lang={lang}").text

    assert text_of(page, "fw-cw-countdown") == countdown
    assert "day(s)" not in page and "nap(ok)" not in page


def test_the_next_action_leads_and_rejecting_names_its_consequence(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    page = manager.get(f"{ADMIN}/{complaint.id}").text
    assert text_of(page, "fw-cw-next") == "Start working on it"
    assert text_of(page, "fw-cw-confirm").startswith("Rejecting closes the complaint as unfounded: it counts as")
    assert re.search(r'<details class="fw-cw-reject">\s*<summary>Reject as unfounded…</summary>', page)
    assert '<button type="submit" class="fw-danger">Yes, reject as unfounded</button>' in page
    assert "<dt>Assigned to</dt><dd>Nobody yet</dd>" in page

    started = act(manager, complaint, "status", action="start")
    page = manager.get(started.location).text
    assert text_of(page, "fw-cw-next") == "Reply to the customer"
    act(manager, complaint, "messages", visibility="public", body="We are sending a new one.")
    assert text_of(manager.get(f"{ADMIN}/{complaint.id}").text, "fw-cw-next") == "Mark resolved"


@pytest.mark.parametrize(("form", "data", "said"), [
    ("status", {"action": "start"}, "You started working on it."),
    ("status", {"action": "reject"}, "The complaint is rejected as unfounded."),
    ("escalate", {"level": "2", "reason": "needs a technician"}, "The complaint is escalated."),
    ("assessment", {"verdict": "justified", "root_cause": "logistics"}, "The assessment is saved."),
    ("compensation", {"kind": "voucher", "amount": "2000", "currency": "HUF"}, "The compensation is saved."),
    ("messages", {"visibility": "internal", "body": "Ask the courier"}, "The internal note is saved."),
    ("messages", {"visibility": "public", "body": "Sorry!"},
     "Your reply is on its way to the customer by e-mail and on their status page."),
])
def test_every_action_says_what_it_did(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session, form: str, data: dict[str, str], said: str
) -> None:
    post_complaint(client, site, complaint_body())
    response = act(manager, only_complaint(db), form, **data)
    assert response.status_code == 302
    assert flash(manager.get(response.location)) == said


def test_the_flash_speaks_the_admins_language(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    complaint.customer_email = None  # a phone complaint, say
    db.commit()
    response = act(manager, complaint, "messages", visibility="public", body="Elnézést!")
    assert flash(manager.get(response.location + "&lang=hu")) == (
        "A válasza megjelent az ügyfél állapotoldalán (e-mail-címet nem adott meg).")


def test_a_saved_reply_in_the_customers_language_comes_filled_in(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(locale="hu", name="Kovács Éva", order_number="WEB-77"))
    complaint = only_complaint(db)
    form = manager.get(f"{ADMIN}/saved-replies?site={site.id}")
    token = csrf_token(form.text)
    for title, locale, body in (("Csere", "hu", "Kedves {name}!\nA(z) {reference} panaszát ({order}) intézzük."),
                                ("Replacement", "en", "Dear {name}, about {reference}...")):
        added = manager.post(f"{ADMIN}/saved-replies?site={site.id}",
                             data={"csrf_token": token, "title": title, "locale": locale, "body": body})
        assert added.status_code == 302
    assert flash(manager.get(added.location)) == "The saved reply is added."

    page = manager.get(f"{ADMIN}/{complaint.id}").text
    assert "The customer wrote in Magyar: reply in Magyar." in page
    assert ">Csere</a>" in page and ">Replacement</a>" not in page
    link = html.unescape(re.search(r'href="([^"]*reply=[^"]*)"', page).group(1))  # type: ignore[union-attr]
    composer = manager.get(link).text
    textarea = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', composer, re.S)
    assert textarea and html.unescape(textarea.group(1)) == (
        f"Kedves Kovács Éva!\nA(z) {complaint.reference} panaszát (WEB-77) intézzük.")
    assert 'id="visibility-public" name="visibility" value="public" checked' in composer


def test_saved_replies_refuse_an_empty_title_and_viewers(
    manager: FlaskClient, logged_in: Callable[..., FlaskClient], site: Site
) -> None:
    token = csrf_token(manager.get(f"{ADMIN}/saved-replies?site={site.id}").text)
    refused = manager.post(f"{ADMIN}/saved-replies?site={site.id}",
                           data={"csrf_token": token, "title": " ", "locale": "hu", "body": "Szia"})
    assert refused.status_code == 422
    assert "Give the saved reply a title of 1 to 120 characters." in refused.text
    assert logged_in("viewer").get(f"{ADMIN}/saved-replies?site={site.id}").status_code == 403


def test_deleting_a_saved_reply(manager: FlaskClient, site: Site, db: Session) -> None:
    token = csrf_token(manager.get(f"{ADMIN}/saved-replies?site={site.id}").text)
    manager.post(f"{ADMIN}/saved-replies?site={site.id}",
                 data={"csrf_token": token, "title": "Sorry", "locale": "en", "body": "Sorry, {name}."})
    page = manager.get(f"{ADMIN}/saved-replies?site={site.id}").text
    action = html.unescape(re.search(r'action="([^"]*/delete[^"]*)"', page).group(1))  # type: ignore[union-attr]
    deleted = manager.post(action, data={"csrf_token": token})
    assert flash(manager.get(deleted.location)) == "The saved reply is deleted."
    assert "No saved replies yet" in manager.get(f"{ADMIN}/saved-replies?site={site.id}").text


def test_the_queue_counts_with_plural_forms_and_keeps_its_sorting_in_the_url(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(name="First Ferenc", description="The lid is broken."))
    assert text_of(manager.get(f"{ADMIN}/").text, "fw-table") .startswith("1 complaint ")
    post_complaint(client, site, complaint_body(name="Second Sára"))
    assert "2 complaints" in manager.get(f"{ADMIN}/").text
    assert "2 panasz" in manager.get(f"{ADMIN}/?lang=hu").text
    assert "2 条投诉" in manager.get(f"{ADMIN}/?lang=zh").text

    newest = manager.get(f"{ADMIN}/?status=all&sort=newest").text
    assert newest.index("Second Sára") < newest.index("First Ferenc")
    oldest = manager.get(f"{ADMIN}/?status=all&sort=oldest").text
    assert oldest.index("First Ferenc") < oldest.index("Second Sára")
    assert "The lid is broken." in oldest  # the summary column
    assert 'href="/feedback/admin/complaints/?status=all&amp;sort=level"' in oldest
    assert '<input type="hidden" name="sort" value="oldest">' in oldest


def test_bulk_assign_from_the_queue(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    for name in ("One", "Two", "Three"):
        post_complaint(client, site, complaint_body(name=name))
    first, second, third = complaints(db)
    page = manager.get(f"{ADMIN}/?sort=oldest").text
    anna = re.search(r'<option value="(\d+)">Anna \(anna@shop.example\)</option>', page)
    assert anna is not None
    response = manager.post(f"{ADMIN}/bulk-assign", data={
        "csrf_token": csrf_token(page), "assignee": anna.group(1), "complaint": [str(first.id), str(third.id)],
        "q_sort": "oldest"})

    assert response.status_code == 302 and "sort=oldest" in response.location
    assert flash(manager.get(response.location)) == "2 complaints assigned."
    assert [c.assignee_id for c in complaints(db)] == [int(anna.group(1)), None, int(anna.group(1))]
    nothing = manager.post(f"{ADMIN}/bulk-assign", data={"csrf_token": csrf_token(page), "assignee": anna.group(1)})
    assert flash(manager.get(nothing.location)) == "Tick the complaints to assign, then choose a person."


def test_a_viewer_gets_no_bulk_assign(logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site) -> None:
    post_complaint(client, site, complaint_body())
    assert 'name="complaint"' not in logged_in("viewer").get(f"{ADMIN}/").text


def test_the_analysis_of_an_empty_site_says_so(manager: FlaskClient, site: Site) -> None:
    page = manager.get(f"{ADMIN}/analysis?site={site.id}&period=30").text
    assert "No complaints yet" in page
    assert "0 / 0" not in page and "(–)" not in page


def test_starting_work_is_not_a_first_response_in_the_analysis(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    act(manager, complaint, "status", action="start")
    page = manager.get(f"{ADMIN}/analysis?site={site.id}&period=30").text
    assert "No reply yet" in page and "0.0 h" not in page

    act(manager, complaint, "messages", visibility="public", body="A new one is on its way.")
    page = manager.get(f"{ADMIN}/analysis?site={site.id}&period=30").text
    assert "No reply yet" not in page and "Complaints and justified share over time" in page
    assert "<svg" in page


def test_times_are_shown_in_the_sites_time_zone_without_seconds(
    manager: FlaskClient, client: FlaskClient, site: Site, db: Session
) -> None:
    site.settings = {**(site.settings or {}), "timezone": "Asia/Shanghai"}
    db.commit()
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    complaint.received_at = dt.datetime(2026, 12, 7, 22, 5, 33, 123456, tzinfo=dt.timezone.utc)
    db.commit()
    page = manager.get(f"{ADMIN}/{complaint.id}").text
    assert "<dt>Received</dt><dd>Dec 8, 2026, 06:05 · Web</dd>" in page  # 22:05 UTC is 06:05 the next day
    assert ".123456" not in page and "06:05:33" not in page
