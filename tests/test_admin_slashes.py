"""Every admin page answers with and without a trailing slash: its one address, and a 308 from the other."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.web.admin.slashes import SLASHED_SUFFIX
from feedbackwidget.complaints.models import Complaint
from feedbackwidget.core.models import AdminUser, Response, Site, Survey

from .test_complaints_api import complaint_body, post_complaint


def fixture_ids(client: FlaskClient, db: Session, site: Site, member: AdminUser) -> dict[str, int | str]:
    """An id for every kind of URL parameter an admin page takes."""
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id))
    assert survey is not None
    response = Response(site_id=site.id, survey_id=survey.id, locale="en", answers={"score": 3}, nps_score=3)
    db.add(response)
    db.commit()
    assert post_complaint(client, site, complaint_body(), Origin="https://shop.example").status_code == 201
    return {"site_id": site.id, "survey_id": survey.id, "response_id": response.id,
            "complaint_id": db.scalars(select(Complaint.id)).one(),
            "user_id": member.id, "key": "delivery"}


def admin_pages(app: Flask, ids: dict[str, int | str]) -> list[str]:
    """The path of every GET page of the admin area, its parameters filled with *ids*."""
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return sorted(adapter.build(rule.endpoint, {name: ids[name] for name in rule.arguments})
                      for rule in app.url_map.iter_rules()
                      if rule.endpoint.startswith("feedbackwidget.admin.") and "GET" in (rule.methods or ())
                      and not rule.endpoint.endswith(SLASHED_SUFFIX))


def other_spelling(path: str) -> str:
    return path[:-1] if path.endswith("/") else path + "/"


def path_of(location: str | None) -> str:
    parts = urlsplit(location or "")
    return parts.path + "?" + parts.query


def test_every_admin_page_answers_with_and_without_the_trailing_slash(
        app: Flask, db: Session, site: Site, logged_in: Callable[..., FlaskClient],
        make_admin: Callable[..., AdminUser]) -> None:
    client = logged_in(None)
    member = make_admin("member@shop.example", sites=[(site, "viewer")])
    pages = admin_pages(app, fixture_ids(client, db, site, member))
    assert "/feedback/admin/responses" in pages and "/feedback/admin/complaints/" in pages
    query = "?email=anna%40example.com"  # the person a privacy export is about; other pages ignore it
    for page in pages:
        assert client.get(page + query).status_code in (200, 302), page  # /login sends a logged-in admin on
        redirect = client.get(other_spelling(page) + query)
        assert (redirect.status_code, path_of(redirect.location)) == (308, page + query), other_spelling(page)


def test_a_slashed_list_keeps_its_filters(logged_in: Callable[..., FlaskClient]) -> None:
    client = logged_in("owner")
    answer = client.get("/feedback/admin/responses/?band=detractor&q=late", follow_redirects=True)
    assert answer.status_code == 200
    assert answer.request.full_path == "/feedback/admin/responses?band=detractor&q=late"
