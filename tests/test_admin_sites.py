"""Sites and surveys in the admin area: settings, snippet, members, surveys, preview."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget import get_state
from feedbackwidget.core.models import Site, SiteMembership, Survey
from feedbackwidget.provisioning import create_site

from .conftest import admin_login, csrf_token


def site_url(site: Site) -> str:
    return f"/feedback/admin/sites/{site.id}"


def settings_form(site: Site, **changes: str) -> dict[str, str]:
    data = {"name": site.name, "allowed_origins": "https://shop.example", "default_locale": "en",
            "alert_emails": "owner@shop.example", "complaint_categories": "delivery\nprice",
            "privacy_policy_url": "", "privacy_policy_version": "1"}
    return {**data, **changes}


def test_an_owner_edits_the_settings_and_the_widget_sees_them(
    app: Flask, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    client = logged_in("owner")
    page = client.get(site_url(site))
    assert f'data-site="{site.key}"' in page.text.replace("&#34;", '"') or site.key in page.text
    get_state(app).sites.get(site.key)  # cached before the change

    form = settings_form(site, allowed_origins="https://shop.example\nhttps://www.shop.example/",
                         alert_emails="a@shop.example\nb@shop.example", default_locale="hu",
                         complaint_categories="delivery\nrefund", privacy_policy_url="https://shop.example/privacy",
                         privacy_policy_version="2026-11")
    saved = client.post(site_url(site), data={**form, "csrf_token": csrf_token(page.text)})

    assert "Saved." in saved.text
    db.expire_all()
    stored = db.get(Site, site.id)
    assert stored is not None
    assert stored.allowed_origins == ["https://shop.example", "https://www.shop.example"]
    assert stored.alert_emails == ["a@shop.example", "b@shop.example"] and stored.default_locale == "hu"
    assert stored.settings["complaint_categories"] == ["delivery", "refund"]
    assert stored.settings["privacy_policy_version"] == "2026-11"
    cached = get_state(app).sites.get(site.key)
    assert cached is not None and "https://www.shop.example" in cached.allowed_origins


def test_wrong_settings_are_shown_next_to_their_field(logged_in: Callable[..., FlaskClient], site: Site) -> None:
    client = logged_in("owner")
    page = client.get(site_url(site))
    response = client.post(site_url(site), data={**settings_form(site, allowed_origins="shop.example/path",
                                                                 alert_emails="not-an-address"),
                                                  "csrf_token": csrf_token(page.text)})
    assert "Write each origin as https://shop.example" in response.text
    assert "Write one e-mail address a line" in response.text


def test_viewers_and_managers_read_settings_but_cannot_change_them(
    logged_in: Callable[..., FlaskClient], site: Site
) -> None:
    for role in ("viewer", "manager"):
        client = logged_in(role)
        page = client.get(site_url(site))
        assert page.status_code == 200 and "Save settings" not in page.text
        response = client.post(site_url(site), data={**settings_form(site, name="Hacked"),
                                                     "csrf_token": csrf_token(page.text)})
        assert response.status_code == 403


def test_another_sites_settings_and_surveys_are_not_found(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"], templates=("nps",))
    db.commit()
    survey_id = db.scalar(select(Survey.id).where(Survey.site_id == other.id))
    client = logged_in("owner")
    token = csrf_token(client.get(site_url(site)).text)
    assert client.get(site_url(other)).status_code == 404
    assert client.post(site_url(other), data={**settings_form(other), "csrf_token": token}).status_code == 404
    assert client.get(f"/feedback/admin/surveys/{survey_id}").status_code == 404
    assert client.get(f"/feedback/admin/surveys/{survey_id}/preview").status_code == 404
    assert client.post(f"/feedback/admin/surveys/{survey_id}/active",
                       data={"csrf_token": token, "active": "0"}).status_code == 404
    assert "Other Shop" not in client.get("/feedback/admin/sites").text


def test_a_survey_from_a_template_edited_per_language_and_switched_on(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    client = logged_in("owner")
    token = csrf_token(client.get(site_url(site)).text)
    created = client.post(f"{site_url(site)}/surveys", data={"csrf_token": token, "template": "csat",
                                                             "slug": "after-checkout"})
    assert created.status_code == 302
    survey = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "after-checkout"))
    assert survey is not None and survey.active is False and survey.template == "csat"

    url = f"/feedback/admin/surveys/{survey.id}"
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.text), "text__rating____hu": "Milyen volt a kiszolgálás?",
            "triggers": json.dumps({"delay_seconds": 5, "url": {"match": "prefix", "value": "/checkout"}})}
    assert "Saved." in client.post(url, data=data).text
    bad = client.post(url, data={**data, "triggers": '{"delay_seconds": "soon"}'})
    assert "delay_seconds: must be a number" in bad.text
    assert "Triggers must be JSON" in client.post(url, data={**data, "triggers": "{oops"}).text
    client.post(f"{url}/active", data={"csrf_token": token, "active": "1"})

    db.expire_all()
    stored = db.get(Survey, survey.id)
    assert stored is not None and stored.active is True
    assert stored.questions[0]["text"]["hu"] == "Milyen volt a kiszolgálás?"
    assert stored.questions[0]["text"]["en"] == "How would you rate our service?"
    assert stored.triggers == {"delay_seconds": 5, "url": {"match": "prefix", "value": "/checkout"}}
    preview = widget_preview(client, f"{url}/preview?in=hu")["hu"]
    assert preview["surveys"][0]["questions"][0]["text"] == "Milyen volt a kiszolgálás?"


def widget_preview(client: FlaskClient, url: str) -> dict[str, Any]:
    """The configs a survey's preview hands the widget (tests/test_survey_builder.py tests the preview)."""
    found = re.search(r'<script type="application/json" id="fw-preview-config">(.*?)</script>', client.get(url).text, re.S)
    assert found is not None
    configs: dict[str, Any] = json.loads(found.group(1))
    return configs


def test_an_owner_words_the_anchors_of_a_0_to_10_scale_per_language(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    client = logged_in("owner")
    loyalty = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "loyalty"))
    nps = db.scalar(select(Survey).where(Survey.site_id == site.id, Survey.slug == "nps"))
    assert loyalty is not None and nps is not None
    nps.questions = [{k: v for k, v in q.items() if k != "scale"} for q in nps.questions]  # stored before anchors
    db.commit()

    url = f"/feedback/admin/surveys/{loyalty.id}"
    page = client.get(url)
    assert 'name="scale__program_score__low__hu"' in page.text and 'value="0 = Egyáltalán nem elégedett"' in page.text
    data = {"csrf_token": csrf_token(page.text), "triggers": "{}",
            "scale__program_score__high__hu": "10 = Nagyon elégedett"}
    assert "Saved." in client.post(url, data=data).text
    nps_page = client.get(f"/feedback/admin/surveys/{nps.id}")
    assert 'value="10 = Extremely likely"' in nps_page.text  # the defaults, to edit
    client.post(f"/feedback/admin/surveys/{nps.id}", data={"csrf_token": csrf_token(nps_page.text), "triggers": "{}"})

    db.expire_all()
    assert loyalty.questions[1]["scale"]["high"] == {"en": "10 = Completely satisfied", "hu": "10 = Nagyon elégedett",
                                                     "zh": "10 = 完全满意"}
    assert "scale" not in nps.questions[0]  # unedited defaults stay the server's to translate
    preview = widget_preview(client, f"{url}/preview?in=hu")["hu"]
    assert preview["surveys"][0]["questions"][1]["scale"] == {"low": "0 = Egyáltalán nem elégedett",
                                                              "high": "10 = Nagyon elégedett"}


def test_an_owner_adds_people_to_the_site(logged_in: Callable[..., FlaskClient], site: Site, db: Session,
                                          app: Flask) -> None:
    client = logged_in("owner")
    page = client.get(site_url(site))
    client.post(f"{site_url(site)}/members", data={"csrf_token": csrf_token(page.text), "email": "new@shop.example",
                                                   "role": "manager", "password": "long enough pw"})
    role = db.scalar(select(SiteMembership.role).join(Site).where(Site.id == site.id)
                     .where(SiteMembership.user_id != None).order_by(SiteMembership.role))  # noqa: E711
    assert role is not None
    newcomer = app.test_client()
    assert admin_login(newcomer, "new@shop.example", "long enough pw").status_code == 302
    assert "Test Shop" in newcomer.get("/feedback/admin/sites").text


def test_only_a_superuser_creates_sites(logged_in: Callable[..., FlaskClient], db: Session) -> None:
    owner = logged_in("owner")
    token = csrf_token(owner.get("/feedback/admin/sites").text)
    form = {"csrf_token": token, "name": "Branch", "allowed_origins": "https://branch.example", "default_locale": "en"}
    assert owner.post("/feedback/admin/sites", data=form).status_code == 403
    superuser = logged_in(None)
    form["csrf_token"] = csrf_token(superuser.get("/feedback/admin/sites").text)
    created = superuser.post("/feedback/admin/sites", data=form)
    assert created.status_code == 302
    assert db.scalar(select(Site.name).where(Site.name == "Branch")) == "Branch"


def test_new_alert_recipients_get_the_next_low_score_alert(
    app: Flask, client: FlaskClient, logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    from feedbackwidget.core.models import OutboxMessage

    owner = logged_in("owner")
    page = owner.get(site_url(site))
    owner.post(site_url(site), data={**settings_form(site, alert_emails="manager@shop.example"),
                                     "csrf_token": csrf_token(page.text)})

    low = {"survey": "nps", "answers": {"score": 1, "reason": "Rude"}}
    assert client.post(f"/feedback/api/v1/sites/{site.key}/responses", json=low).status_code == 201

    assert [m.recipient for m in db.scalars(select(OutboxMessage))] == ["manager@shop.example"]
