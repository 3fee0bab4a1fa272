"""The hosted complaint form (no JavaScript needed) and the private status page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import OutboxMessage, Site
from feedbackwidget.provisioning import create_site

from .test_complaints_api import complaint_body, complaints, post_complaint


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', page
    )
    assert found, f"no hidden {name} in the page"
    return found.group(1)


def path_and_token(link: str) -> tuple[str, str]:
    """The status page's path and the secret token of a mailed status link (``...?lang=xx&token=...``)."""
    path, query = link.split("?", 1)
    return path, parse_qs(query)["token"][0]


def form_fields(**changes: Any) -> dict[str, Any]:
    fields = {k: v for k, v in complaint_body().items() if k not in ("consent", "locale")}
    fields["consent"] = "y"
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def submit_form(client: FlaskClient, site: Site, lang: str = "en", **changes: Any) -> Any:
    page = client.get(f"/feedback/complaint/{site.key}?lang={lang}").get_data(as_text=True)
    data = {"csrf_token": hidden(page, "csrf_token"), "submission_id": hidden(page, "submission_id"),
            "rendered": hidden(page, "rendered"), "website": "", **form_fields(**changes)}
    return client.post(f"/feedback/complaint/{site.key}?lang={lang}", data=data), data


def status_link(db: Session, complaint: Complaint) -> str:
    db.expire_all()
    mail = db.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"complaint:{complaint.id}:acknowledgement")
    ).one()
    found = re.search(r"http://localhost(/feedback/complaint/\S+)", mail.payload["text"])
    assert found
    return found.group(1)


def test_the_form_works_without_javascript(client: FlaskClient, site: Site, db: Session) -> None:
    response, _ = submit_form(client, site)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script" not in page
    [complaint] = complaints(db)
    assert complaint.reference in page
    assert "anna@example.com" in page
    assert complaint.consent_policy_version == "1"


def test_the_form_asks_in_the_visitors_language(client: FlaskClient, site: Site) -> None:
    hungarian = client.get(f"/feedback/complaint/{site.key}", headers={"Accept-Language": "hu-HU,hu;q=0.9"})
    chinese = client.get(f"/feedback/complaint/{site.key}?lang=zh-CN")

    assert "Panasz bejelentése" in hungarian.get_data(as_text=True)
    assert "Termékminőség" in hungarian.get_data(as_text=True)
    assert "提交投诉" in chinese.get_data(as_text=True)
    assert "配送" in chinese.get_data(as_text=True)


def test_errors_are_shown_next_to_each_field_and_the_input_is_kept(
    client: FlaskClient, site: Site, db: Session
) -> None:
    response, _ = submit_form(client, site, lang="hu", email="nem-cim", description="", consent=None,
                              name="Árvíztűrő Tünde")

    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'id="email-error"' in page and "„nem-cim” nem e-mail-cím" in page
    assert 'id="description-error"' in page and "Ezt a mezőt ki kell tölteni." in page
    assert 'id="consent-error"' in page
    assert 'id="name-error"' not in page
    assert 'value="Árvíztűrő Tünde"' in page
    assert complaints(db) == []


def test_a_missing_csrf_token_is_refused(client: FlaskClient, site: Site, db: Session) -> None:
    client.get(f"/feedback/complaint/{site.key}")
    response = client.post(f"/feedback/complaint/{site.key}", data=form_fields())
    assert response.status_code == 422
    assert "The form has expired" in response.get_data(as_text=True)
    assert complaints(db) == []


def test_sending_the_same_form_twice_stores_one_complaint(client: FlaskClient, site: Site, db: Session) -> None:
    first, data = submit_form(client, site)
    again = client.post(f"/feedback/complaint/{site.key}?lang=en", data=data)

    assert again.status_code == 200
    [complaint] = complaints(db)
    assert complaint.reference in again.get_data(as_text=True)


def test_chinese_text_round_trips_through_the_form(client: FlaskClient, site: Site, db: Session) -> None:
    submit_form(client, site, lang="zh", name="王小明", description="送货太慢了，包装也坏了。")
    [complaint] = complaints(db)
    assert (complaint.customer_name, complaint.description, complaint.locale) == ("王小明", "送货太慢了，包装也坏了。", "zh")


def test_the_status_page_shows_state_deadline_and_public_replies_only(
    client: FlaskClient, site: Site, db: Session
) -> None:
    post_complaint(client, site, complaint_body(description="Crushed box <b>bold</b>"))
    [complaint] = complaints(db)
    from feedbackwidget.complaints.models import ComplaintMessage

    db.add_all([
        ComplaintMessage(complaint_id=complaint.id, visibility="public", body="We are sending a new one."),
        ComplaintMessage(complaint_id=complaint.id, visibility="internal", body="Courier XY again, sigh."),
    ])
    db.commit()

    response = client.get(status_link(db, complaint), follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert complaint.reference in page and "Received" in page
    assert "We are sending a new one." in page
    assert "Courier XY" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def _not_found_body(client: FlaskClient, url: str) -> tuple[int, str]:
    response = client.get(url, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


def test_a_wrong_token_reference_or_site_gets_the_same_404(
    client: FlaskClient, site: Site, db: Session, app: Flask
) -> None:
    post_complaint(client, site, complaint_body())
    [complaint] = complaints(db)
    link = status_link(db, complaint)
    other = create_site(db, "Other Shop", ["https://other.example"])
    db.commit()
    path, token = path_and_token(link)

    answers = [
        _not_found_body(client, f"{path}?token={token[:-2]}xx"),
        _not_found_body(client, path),
        _not_found_body(client, f"/feedback/complaint/{site.key}/status/FW-AAAA-AAAA?token={token}"),
        _not_found_body(client, f"/feedback/complaint/{other.key}/status/{complaint.reference}?token={token}"),
        _not_found_body(client, f"/feedback/complaint/site_nope/status/{complaint.reference}?token={token}"),
    ]

    assert {status for status, _ in answers} == {404}
    assert len({body for _, body in answers}) == 1
    assert complaint.reference not in answers[0][1]


def test_a_reference_read_out_on_the_phone_is_understood(client: FlaskClient, site: Site, db: Session) -> None:
    post_complaint(client, site, complaint_body())
    [complaint] = complaints(db)
    path, token = path_and_token(status_link(db, complaint))
    spoken = complaint.reference.lower().replace("-", " ").replace("0", "o").replace(" ", "")

    page = client.get(f"/feedback/complaint/{site.key}/status/{spoken}?token={token}", follow_redirects=True)
    assert page.status_code == 200


def test_status_look_ups_are_rate_limited(client: FlaskClient, site: Site) -> None:
    codes = [client.get(f"/feedback/complaint/{site.key}/status/FW-AAAA-AAA{i % 10}?token=x",
                        follow_redirects=True).status_code for i in range(11)]

    assert codes[:10] == [404] * 10
    assert codes[10] == 429


@pytest.mark.parametrize("lang", ["en", "hu", "zh"])
def test_the_received_page_is_translated(client: FlaskClient, site: Site, lang: str) -> None:
    response, _ = submit_form(client, site, lang=lang)
    expected = {"en": "we have received your complaint", "hu": "megkaptuk a panaszát", "zh": "我们已收到您的投诉"}
    assert expected[lang] in response.get_data(as_text=True)


def test_the_status_link_trades_its_token_for_a_cookie_and_a_url_without_it(
    client: FlaskClient, site: Site, db: Session, app: Flask
) -> None:
    post_complaint(client, site, complaint_body())
    [complaint] = complaints(db)
    path, token = path_and_token(status_link(db, complaint))

    first = client.get(f"{path}?token={token}&lang=hu")

    assert first.status_code == 303
    assert first.headers["Location"] == f"{path}?lang=hu"  # what access logs see from here on
    cookie = first.headers["Set-Cookie"]
    assert token in cookie
    assert all(flag in cookie for flag in ("HttpOnly", "SameSite=Lax", f"Path={path}", "Max-Age="))
    assert first.headers["Referrer-Policy"] == "no-referrer"
    page = client.get(first.headers["Location"])
    assert page.status_code == 200 and complaint.reference in page.get_data(as_text=True)
    assert token not in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert app.test_client().get(f"{path}?lang=hu").status_code == 404  # without the cookie: nothing to see
