"""The responses list, a response's detail, following up and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Response, Site, Survey
from feedbackwidget.provisioning import create_site
from feedbackwidget.core.spreadsheet import cell as safe_cell

from .conftest import csrf_token

LIST = "/feedback/admin/responses"
EXPORT = "/feedback/admin/responses.csv"


def add(db: Session, site: Site, template: str = "nps", days_ago: int = 0, **values: Any) -> Response:
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == site.id, Survey.template == template))
    response = Response(site_id=site.id, survey_id=survey_id, locale="en", answers=values.pop("answers", {}),
                        created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago), **values)
    db.add(response)
    db.commit()
    return response


@pytest.fixture
def other_site(db: Session) -> Site:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    return other


def test_the_list_filters_by_band_comment_tier_and_text(logged_in: Callable[..., FlaskClient], site: Site,
                                                         db: Session) -> None:
    add(db, site, nps_score=2, comment="Parcel arrived broken", loyalty_tier="gold")
    add(db, site, nps_score=10, comment="Lovely service")
    add(db, site, nps_score=5)
    client = logged_in("viewer")

    assert client.get(LIST).text.count("fw-badge fw-score") == 3
    assert client.get(LIST + "?band=detractor").text.count("fw-badge fw-score") == 2
    assert client.get(LIST + "?band=detractor&comment=1").text.count("fw-badge fw-score") == 1
    assert "Parcel arrived broken" in client.get(LIST + "?tier=gold").text
    found = client.get(LIST + "?q=LOVELY").text
    assert "Lovely service" in found and "Parcel" not in found


def test_pages_follow_one_another_without_gaps(make_app: Callable[..., Any], logged_in: Any, site: Site,
                                               db: Session, make_admin: Any) -> None:
    for score in range(11):
        add(db, site, nps_score=score, comment=f"comment number {score:02d}")
    app = make_app(FEEDBACKWIDGET_ADMIN_PAGE_SIZE=4)
    make_admin("pager@shop.example", sites=[(site, "viewer")])
    client = app.test_client()
    from .conftest import admin_login

    admin_login(client, "pager@shop.example")
    seen: list[str] = []
    url: str | None = LIST
    while url:
        text = client.get(url).text
        seen += [f"{n:02d}" for n in range(11) if f"comment number {n:02d}" in text]
        marker = 'href="/feedback/admin/responses?after='
        url = LIST + "?after=" + text.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&") if marker in text else None
    assert sorted(seen) == [f"{n:02d}" for n in range(11)] and len(seen) == 11


def test_another_sites_ids_give_404_in_urls_forms_and_exports(
    logged_in: Callable[..., FlaskClient], site: Site, other_site: Site, db: Session
) -> None:
    theirs = add(db, other_site, nps_score=1, comment="Not for your eyes")
    their_survey = theirs.survey_id
    for role in ("viewer", "manager", "owner"):
        client = logged_in(role)
        token = csrf_token(client.get(LIST).text)
        assert client.get(f"{LIST}?site={other_site.id}").status_code == 404
        assert client.get(f"{LIST}?survey={their_survey}").status_code == 404
        assert client.get(f"{EXPORT}?site={other_site.id}").status_code == 404
        assert client.get(f"{LIST}/{theirs.id}").status_code == 404
        assert client.post(f"{LIST}/{theirs.id}/follow-up", data={"csrf_token": token}).status_code == 404
        assert "Not for your eyes" not in client.get(EXPORT).text


def test_a_viewer_cannot_mark_a_response_followed_up_but_a_manager_can(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    response = add(db, site, nps_score=3)
    viewer = logged_in("viewer")
    page = viewer.get(f"{LIST}/{response.id}")
    assert "Mark as followed up" not in page.text
    assert viewer.post(f"{LIST}/{response.id}/follow-up", data={"csrf_token": csrf_token(page.text)}).status_code == 403

    manager = logged_in("manager")
    page = manager.get(f"{LIST}/{response.id}")
    manager.post(f"{LIST}/{response.id}/follow-up", data={"csrf_token": csrf_token(page.text)})
    assert "Mark as not followed up" in manager.get(f"{LIST}/{response.id}").text
    assert "fw-badge fw-score" in manager.get(LIST + "?followed=yes").text
    assert "fw-badge fw-score" not in manager.get(LIST + "?followed=no").text


def test_customer_text_is_shown_as_text(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = add(db, site, nps_score=1, comment=evil, answers={"score": 1, "reason": evil}, loyalty_tier="<b>vip</b>")
    client = logged_in("viewer")
    for url in (LIST, f"{LIST}/{response.id}", "/feedback/admin/"):
        text = client.get(url).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>vip" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get(f"{LIST}/{response.id}").text


def test_csv_export_is_excel_friendly_and_never_a_formula(logged_in: Callable[..., FlaskClient], site: Site,
                                                          db: Session) -> None:
    tricky = ['=HYPERLINK("http://evil.example")', "+1+1", "-2", "@SUM(A1)", "\tindent", "\rreturn",
              'She said "hi", then left\nsecond line', "árvíztűrő tükörfúrógép 送货"]
    for text in tricky:
        add(db, site, nps_score=4, comment=text)
    client = logged_in("viewer")

    response = client.get(EXPORT)

    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    comments = {row["comment"] for row in rows}
    assert comments == {("'" + t if t[0] in "=+-@\t\r" else t) for t in tricky}
    assert b"\r\n" in raw and all(row["nps_band"] == "detractor" for row in rows)


@pytest.mark.parametrize(("value", "expected"), [("=1+2", "'=1+2"), ("safe", "safe"), (None, ""), (True, "yes"),
                                                  (7, "7"), ("@x", "'@x"), ("", "")])
def test_a_cell_is_escaped_only_when_it_would_be_a_formula(value: Any, expected: str) -> None:
    assert safe_cell(value) == expected


def test_turn_into_complaint_links_to_the_complaint_area_when_it_is_there(
    make_app: Callable[..., Any], make_admin: Any, site: Site, db: Session
) -> None:
    from .conftest import admin_login

    response = add(db, site, nps_score=0, comment="Broken on arrival")
    app = make_app()
    endpoint = "feedbackwidget.admin.complaints.new_from_response"
    if endpoint not in app.view_functions:  # the complaint area is not installed in this build
        app.add_url_rule("/feedback/admin/complaints/new/from-response/<int:response_id>", endpoint=endpoint,
                         view_func=lambda response_id: "")
    make_admin("manager@shop.example", sites=[(site, "manager")])
    make_admin("viewer@shop.example", sites=[(site, "viewer")])
    manager, viewer = app.test_client(), app.test_client()
    admin_login(manager, "manager@shop.example")
    admin_login(viewer, "viewer@shop.example")

    page = manager.get(f"{LIST}/{response.id}")

    assert f'href="/feedback/admin/complaints/new/from-response/{response.id}"' in page.text
    assert "Turn into a complaint" not in viewer.get(f"{LIST}/{response.id}").text


def _badges(text: str) -> list[str]:
    import re

    return re.findall(r'<span class="fw-badge fw-score[^"]*">([^<]+)</span>', text)


def test_every_score_kind_is_a_badge_that_says_what_it_means(logged_in: Callable[..., FlaskClient], site: Site,
                                                            db: Session) -> None:
    add(db, site, nps_score=3, days_ago=0)
    add(db, site, "csat", csat="bad", days_ago=1)
    add(db, site, "loyalty", loyalty_score=9, days_ago=2)
    add(db, site, "stock", in_stock=False, days_ago=3)
    client = logged_in("viewer")

    assert _badges(client.get(LIST).text) == ["NPS 3 · Detractor", "Service: Bad", "Loyalty program 9/10 · Promoter",
                                             "Not in stock"]
    hungarian = client.get(LIST + "?lang=hu").text
    assert _badges(hungarian)[:2] == ["NPS 3 · Kritikus", "Kiszolgálás: Rossz"]


def test_the_detail_shows_the_question_as_the_customer_saw_it_in_their_language(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    response = add(db, site, nps_score=2, answers={"score": 2, "reason": "Későn jött"})
    response.locale = "hu"
    db.commit()
    client = logged_in("viewer")

    text = client.get(f"{LIST}/{response.id}").text

    # The detractor's follow-up, in Hungarian, and beside it the English wording for the admin.
    assert "Sajnáljuk" in text.split("Későn jött")[0]
    assert "We are sorry to hear that. What influenced your rating?" in text
    assert "Hungarian (Magyar)" in text and ">hu<" not in text
    assert "匈牙利语 (Magyar)" in client.get(f"{LIST}/{response.id}?lang=zh").text
    assert "<dd>Magyar</dd>" in client.get(f"{LIST}/{response.id}?lang=hu").text


def test_the_order_reference_of_the_link_answered_is_shown(logged_in: Callable[..., FlaskClient], site: Site,
                                                          db: Session) -> None:
    from feedbackwidget.surveys.models import SurveyLink

    response = add(db, site, nps_score=9)
    db.add(SurveyLink(token_hash="x" * 64, site_id=site.id, survey_slug="nps", order_reference="ORD-4711",
                      expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3), response_id=response.id))
    db.commit()
    client = logged_in("viewer")

    assert "ORD-4711" in client.get(LIST).text
    assert '<dt>Order</dt><dd class="fw-order"><bdi>ORD-4711</bdi></dd>' in client.get(f"{LIST}/{response.id}").text


def test_following_up_records_who_and_when(logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    response = add(db, site, nps_score=4)
    manager = logged_in("manager", email="anna@shop.example")
    page = manager.get(f"{LIST}/{response.id}")

    manager.post(f"{LIST}/{response.id}/follow-up", data={"csrf_token": csrf_token(page.text)})

    text = manager.get(f"{LIST}/{response.id}").text
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    assert f"Followed up by Anna on {today}" in text
    assert f"✓ {today}" in manager.get(LIST).text
    assert "Anna követte nyomon" in manager.get(f"{LIST}/{response.id}?lang=hu").text


def test_a_manager_turns_a_response_into_a_complaint_from_its_page(logged_in: Callable[..., FlaskClient],
                                                                   site: Site, db: Session) -> None:
    response = add(db, site, nps_score=1, comment="Broken on arrival")
    manager = logged_in("manager")

    page = manager.get(f"{LIST}/{response.id}").text
    link = f'href="/feedback/admin/complaints/new/from-response/{response.id}">Turn into a complaint</a>'
    assert link in page
    form = manager.get(f"/feedback/admin/complaints/new/from-response/{response.id}")
    assert form.status_code == 200 and "Broken on arrival" in form.text
