"""The admin's Invitations pages: owners set rules, the policy and the e-mail's words; managers see the funnel
and keep the suppression list."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackwidget.invitations.models import InvitationRule, InvitationSettings, Suppression
from feedbackwidget.core.models import Site

from .conftest import csrf_token
from .invitation_support import order, rule, run, tomorrow_at
from .smtp import SmtpServer


def page_url(site: Site, tail: str = "") -> str:
    return f"/feedback/admin/invitations/{site.id}{tail}"


def post(client: FlaskClient, site: Site, action: str, data: dict[str, Any], page: str = "") -> Any:
    token = csrf_token(client.get(page_url(site, page)).text)
    return client.post(page_url(site, action), data={**data, "csrf_token": token}, content_type="multipart/form-data")


RULE = {"survey": "nps", "event": "delivered", "delay": "3d", "reminder": "4d", "hours": "9-20", "sample": "50",
        "active": "y"}


def rules(db: Session) -> list[tuple[Any, ...]]:
    db.expire_all()
    return [(r.survey_slug, r.event, r.delay_minutes, r.reminder_minutes, r.hours_start, r.hours_end, r.sample_percent)
            for r in db.scalars(select(InvitationRule))]


def test_an_owner_sets_a_rule_and_sees_it_listed(logged_in: Callable[..., FlaskClient], site: Site,
                                                 db: Session) -> None:
    owner = logged_in("owner")

    response = post(owner, site, "/rules", RULE)

    assert response.status_code == 302
    assert rules(db) == [("nps", "delivered", 4320, 5760, 9, 20, 50)]
    page = owner.get(page_url(site)).text
    assert "Delivered" in page and "3d" in page and "4d" in page and "9:00–20:00" in page and "50 %" in page


def test_a_rule_the_form_cannot_read_is_refused_with_what_to_write(logged_in: Callable[..., FlaskClient],
                                                                   site: Site, db: Session) -> None:
    response = post(logged_in("owner"), site, "/rules", {**RULE, "delay": "soon"})

    assert response.status_code == 200
    assert "Write the delay as 3d (days), 12h (hours), 90m (minutes) or 0." in response.text
    assert 'aria-invalid="true"' in response.text and rules(db) == []


def test_only_surveys_whose_first_question_fits_in_a_mail_are_offered(logged_in: Callable[..., FlaskClient],
                                                                      site: Site, db: Session) -> None:
    owner = logged_in("owner")

    response = post(owner, site, "/rules", {**RULE, "survey": "suggestions"})

    assert response.status_code == 200 and rules(db) == []
    assert 'value="nps"' in response.text and 'value="csat"' in response.text
    assert 'value="suggestions"' not in response.text


def test_managers_see_the_funnel_but_cannot_change_rules(logged_in: Callable[..., FlaskClient], site: Site,
                                                         db: Session) -> None:
    manager = logged_in("manager")

    assert manager.get(page_url(site)).status_code == 200
    assert post(manager, site, "/rules", RULE).status_code in (403, 404)
    assert rules(db) == []
    assert logged_in("viewer").get(page_url(site)).status_code == 404


def test_the_policy_page_names_the_sites_time_zone_and_keeps_fatigue_and_consent(
        logged_in: Callable[..., FlaskClient], site: Site, db: Session) -> None:
    owner = logged_in("owner")
    site.settings = {**(site.settings or {}), "timezone": "Asia/Shanghai"}
    db.commit()

    page = owner.get(page_url(site)).text
    saved = post(owner, site, "/policy", {"fatigue_days": "14", "survey_without_consent": "y"})

    assert "Sending hours are in the site&#39;s time zone: Asia/Shanghai." in page
    assert "Change it in the site&#39;s settings" in page
    assert saved.status_code == 302
    row = db.get(InvitationSettings, site.id)
    assert row is not None and (row.fatigue_days, row.survey_without_consent) == (14, True)


def test_the_sites_own_words_go_into_the_mail_in_that_language(make_app: Any, smtp: SmtpServer, site: Site,
                                                               db: Session, make_admin: Any) -> None:
    app: Flask = make_app(**smtp.config())
    make_admin("owner-words@shop.example", sites=[(site, "owner")])
    owner = app.test_client()
    from .conftest import admin_login

    admin_login(owner, "owner-words@shop.example")
    rule(db, site)
    response = post(owner, site, "/texts/hu", {"subject": "Hogy tetszett a(z) %(order)s rendelés?",
                                               "introduction": "Köszönjük, hogy nálunk vásárolt!"})
    assert response.status_code == 302
    order(db, site, "H-7", at=tomorrow_at(10), language="hu")

    run(app, tomorrow_at(10))

    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "Hogy tetszett a(z) H-7 rendelés?"
    assert "Köszönjük, hogy nálunk vásárolt!" in mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "heading", "funnel"), [("hu", "Meghívók", "Válaszadási arány"),
                                                          ("zh", "邀请", "回答率")])
def test_the_page_is_in_the_admins_language(logged_in: Callable[..., FlaskClient], site: Site, db: Session,
                                            lang: str, heading: str, funnel: str) -> None:
    rule(db, site)
    order(db, site, at=tomorrow_at(10))
    from feedbackwidget.invitations.scheduling import schedule_site

    schedule_site(db, site.id, "en", tomorrow_at(9))
    db.commit()

    page = logged_in("owner").get(page_url(site) + f"?lang={lang}").text

    assert f"<h1>{heading}</h1>" in page and funnel in page


def test_the_suppression_list_is_imported_exported_and_edited(logged_in: Callable[..., FlaskClient], site: Site,
                                                              db: Session) -> None:
    manager = logged_in("manager")
    upload = io.BytesIO(b"email\nann@example.com\nnot an address\nbob@example.com\nann@example.com\n")

    imported = post(manager, site, "/suppressions/import", {"file": (upload, "list.csv")}, page="/suppressions")
    assert "Added: 2. Already there: 1. Refused: 1." in imported.text, re.findall(r"Added.*", imported.text)
    assert "<th scope=\"row\">3</th>" in imported.text
    post(manager, site, "/suppressions/add", {"email": "cy@example.com"}, page="/suppressions")
    post(manager, site, "/suppressions/remove", {"email": "bob@example.com"}, page="/suppressions")

    exported = manager.get(page_url(site, "/suppressions.csv"))
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert exported.mimetype == "text/csv" and lines[0] == '"email","reason","added_at"'
    assert sorted(line.replace('"', "").split(",")[:2] for line in lines[1:]) == [["ann@example.com", "imported"],
                                                                 ["cy@example.com", "added"]]
    assert len(db.scalars(select(Suppression)).all()) == 2


def test_a_wrong_address_added_by_hand_is_refused_on_the_form(logged_in: Callable[..., FlaskClient], site: Site,
                                                              db: Session) -> None:
    response = post(logged_in("manager"), site, "/suppressions/add", {"email": "ann at example"}, page="/suppressions")

    assert response.status_code == 422 and "Write one e-mail address" in response.text
    assert db.scalars(select(Suppression)).all() == []


def test_the_order_events_are_offered_in_the_admins_language(logged_in: Callable[..., FlaskClient],
                                                             site: Site) -> None:
    page = logged_in("owner").get(page_url(site) + "?lang=hu").text

    assert '<option value="paid">Kifizetve</option>' in page
    assert '<option value="delivered">Kézbesítve</option>' in page
