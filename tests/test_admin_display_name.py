"""Staff by name: the complaint timeline reads "Anna escalated to level 2", not an e-mail address;
each account names itself on its account page, and an owner names the members of their sites."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from feedbackwidget.accounts.names import name_from_email
from feedbackwidget.core.models import Site
from feedbackwidget.provisioning import create_site

from .conftest import csrf_token
from .test_complaints_admin import ADMIN, act, only_complaint
from .test_complaints_api import complaint_body, post_complaint

ACCOUNT = "/feedback/admin/account"


def sentences(page: str) -> list[str]:
    """The timeline's sentences as a person reads them (the kind label dropped)."""
    found = re.findall(r'<p class="fw-cw-sentence"><span class="fw-cw-kind">.*?</span>(.*?)</p>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) for text in found]


def escalated(handler: FlaskClient, client: FlaskClient, site: Site, db: Session) -> list[str]:
    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    act(handler, complaint, "escalate", level="2", reason="needs a technician")
    return sentences(handler.get(f"{ADMIN}/{complaint.id}").text)


@pytest.mark.parametrize(("email", "name"), [("anna@shop.example", "Anna"),
                                             ("kovacs.eva@shop.example", "Kovacs Eva"),
                                             ("li_na+shop@shop.example", "Li Na Shop")])
def test_without_a_name_the_address_gives_one(email: str, name: str) -> None:
    assert name_from_email(email) == name


def test_the_timeline_names_the_handler_from_the_address_when_they_set_no_name(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session
) -> None:
    anna = logged_in("manager", email="anna@shop.example")
    told = escalated(anna, client, site, db)
    assert "Anna escalated to level 2: needs a technician" in told
    assert not any("anna@shop.example" in sentence for sentence in told)


@pytest.mark.parametrize(("lang", "sentence"), [
    ("en", "Anna Kovács escalated to level 2: needs a technician"),
    ("hu", "Anna Kovács 2. szintre eszkalálta: needs a technician"),
    ("zh", "Anna Kovács 升级至第2级：needs a technician"),
])
def test_a_name_set_on_the_account_page_is_what_the_timeline_says(
    logged_in: Callable[..., FlaskClient], client: FlaskClient, site: Site, db: Session, lang: str, sentence: str
) -> None:
    anna = logged_in("manager", email="anna@shop.example")
    page = anna.get(ACCOUNT).text
    assert 'placeholder="Anna"' in page
    saved = anna.post(f"{ACCOUNT}/name", data={"csrf_token": csrf_token(page), "display_name": "  Anna Kovács "})
    assert saved.status_code == 302
    assert "Your name was saved" in anna.get(saved.location).text

    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    act(anna, complaint, "escalate", level="2", reason="needs a technician")
    assert sentence in sentences(anna.get(f"{ADMIN}/{complaint.id}?lang={lang}").text)


@pytest.mark.parametrize("name", ["Anna\nKovács", "A" * 81])
def test_a_name_on_two_lines_or_too_long_is_refused_with_a_reason(
    logged_in: Callable[..., FlaskClient], name: str
) -> None:
    anna = logged_in("manager", email="anna@shop.example")
    refused = anna.post(f"{ACCOUNT}/name", data={"csrf_token": csrf_token(anna.get(ACCOUNT).text),
                                                 "display_name": name})
    assert refused.status_code == 400
    assert 'id="display_name-error"' in refused.text
    assert re.search(r"(one line|at most 80 characters)", refused.text)


def test_an_owner_names_a_member_and_colleagues_read_that_name(
    logged_in: Callable[..., FlaskClient], make_admin: Callable[..., Any], client: FlaskClient, site: Site,
    db: Session
) -> None:
    owner = logged_in("owner")
    member = make_admin("tech1@shop.example", sites=[(site, "manager")])
    url = f"/feedback/admin/sites/{site.id}/members/{member.id}/name"
    people = owner.get(f"/feedback/admin/sites/{site.id}").text
    assert "<th scope=\"row\">Tech1</th><td>tech1@shop.example</td>" in people
    assert f'href="{url}"' in people

    saved = owner.post(url, data={"csrf_token": csrf_token(owner.get(url).text), "display_name": "Béla"})
    assert saved.status_code == 302
    assert "colleagues now read Béla in the complaint timeline" in owner.get(saved.location).text
    assert "<th scope=\"row\">Béla</th>" in owner.get(f"/feedback/admin/sites/{site.id}").text

    post_complaint(client, site, complaint_body())
    complaint = only_complaint(db)
    act(owner, complaint, "assign", assignee=str(member.id))
    told = sentences(owner.get(f"{ADMIN}/{complaint.id}").text)
    assert any(sentence.endswith("assigned it to Béla.") for sentence in told)


def test_an_owner_cannot_rename_someone_who_also_works_for_another_shop(
    logged_in: Callable[..., FlaskClient], make_admin: Callable[..., Any], site: Site, db: Session
) -> None:
    other = create_site(db, "Other Shop", ["https://other.example"])
    db.commit()
    member = make_admin("shared@shop.example", sites=[(site, "manager"), (other, "manager")])
    owner = logged_in("owner")
    url = f"/feedback/admin/sites/{site.id}/members/{member.id}/name"
    page = owner.get(url)
    assert page.status_code == 403 and "only a superuser can change their name" in page.text
    refused = owner.post(url, data={"csrf_token": csrf_token(owner.get(f"{ACCOUNT}").text), "display_name": "X"})
    assert refused.status_code == 403
    db.refresh(member)
    assert member.display_name is None
