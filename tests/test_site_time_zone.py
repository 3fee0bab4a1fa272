"""A site's time zone: chosen once in the site's settings, from a list of IANA zones, and used wherever
the site's local time matters (the invitations' sending hours, the complaint pages' times)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from feedbackwidget.core.models import Site
from feedbackwidget.invitations.settings import load_settings
from feedbackwidget.migrations import upgrade

from .conftest import csrf_token
from .test_admin_sites import settings_form, site_url
from .test_complaints_admin import ADMIN, only_complaint
from .test_complaints_api import complaint_body, post_complaint


def selected_zone(page: str) -> str | None:
    select = re.search(r'<select[^>]*id="time_zone".*?</select>', page, re.S)
    assert select is not None, "no time zone select on the page"
    chosen = re.search(r'<option selected value="([^"]+)"', select.group(0))
    return chosen.group(1) if chosen else None


@pytest.mark.parametrize(("locale", "zone"), [("en", "UTC"), ("hu", "Europe/Budapest"), ("zh", "Asia/Shanghai")])
def test_a_site_that_chose_no_zone_has_the_zone_of_its_language(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session, locale: str, zone: str
) -> None:
    site.default_locale = locale
    db.commit()
    page = logged_in("owner").get(site_url(site)).text
    assert '<label for="time_zone">Time zone</label>' in page
    assert selected_zone(page) == zone
    assert '<option value="America/New_York">America/New York</option>' in page


def test_an_unknown_zone_is_refused_with_what_to_choose(
    logged_in: Callable[..., FlaskClient], site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    token = csrf_token(owner.get(site_url(site)).text)
    refused = owner.post(site_url(site), data={**settings_form(site, time_zone="Mars/Olympus"), "csrf_token": token})
    assert '<span class="fw-field-error" id="time_zone-error" role="alert">Choose a time zone from the list, such ' \
           'as Europe/Budapest or Asia/Shanghai.</span>' in refused.text
    db.expire_all()
    assert "timezone" not in (db.get_one(Site, site.id).settings or {})


def test_the_chosen_zone_is_the_one_invitations_and_complaints_use(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    owner = logged_in("owner")
    token = csrf_token(owner.get(site_url(site)).text)
    saved = owner.post(site_url(site), data={**settings_form(site, time_zone="Asia/Shanghai"), "csrf_token": token})
    assert "Saved." in saved.text and selected_zone(saved.text) == "Asia/Shanghai"

    db.expire_all()
    assert load_settings(db, site.id).time_zone == "Asia/Shanghai"
    invitations = owner.get(f"/feedback/admin/invitations/{site.id}").text
    assert "Sending hours are in the site&#39;s time zone: Asia/Shanghai." in invitations

    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    complaint.received_at = dt.datetime(2026, 12, 7, 22, 5, tzinfo=dt.timezone.utc)
    db.commit()
    assert "<dt>Received</dt><dd>Dec 8, 2026, 06:05 · Web</dd>" in owner.get(f"{ADMIN}/{complaint.id}").text


def test_the_zone_an_owner_gave_the_invitations_moves_into_the_sites_settings(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0017_admin_display_name")
    now = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    with empty_engine.begin() as connection:
        for site_id, settings in ((1, {}), (2, {"timezone": "Europe/London"})):
            connection.execute(text(
                "INSERT INTO fw_sites (id, key, name, allowed_origins, default_locale, alert_emails, settings, "
                "created_at, updated_at) VALUES (:id, :key, 'Shop', '[]', 'hu', '[]', :settings, :now, :now)"),
                {"id": site_id, "key": f"site_{site_id}", "settings": json.dumps(settings), "now": now})
            connection.execute(text(
                "INSERT INTO fw_invitation_settings (site_id, time_zone, fatigue_days, survey_without_consent, texts, "
                "last_event_id, updated_at) VALUES (:id, 'Asia/Shanghai', 30, false, '{}', 0, :now)"),
                {"id": site_id, "now": now})
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        stored: dict[int, Any] = dict(connection.execute(text("SELECT id, settings FROM fw_sites ORDER BY id")).all())
    zones = {site_id: (json.loads(value) if isinstance(value, str) else value)["timezone"]
             for site_id, value in stored.items()}
    assert zones == {1: "Asia/Shanghai", 2: "Europe/London"}
