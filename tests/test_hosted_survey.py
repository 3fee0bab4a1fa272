"""The hosted survey page: the same survey as a plain HTML form, for links in e-mails."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from feedbackwidget.core.state import get_state
from feedbackwidget.core.models import Response, Site, Survey, utcnow
from feedbackwidget.surveys.models import SurveyLink
from feedbackwidget.web.widget.links import Reference, sign_reference

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RENDERED = re.compile(r'name="rendered" type="hidden" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')
LINK = re.compile(r'name="link" type="hidden" value="([^"]*)"')
FOLLOW_UP = re.compile(r'<label for="q_reason" class="legend">(.*?)(?: <span|</label>)')
SCALE = re.compile(r'<p class="scale"><span>(.*?)</span><span>(.*?)</span></p>')
GENERIC = "What influenced your rating?"


def page_url(site: Site, slug: str = "nps", query: str = "") -> str:
    return f"/feedback/s/{site.key}/{slug}" + (f"?{query}" if query else "")


def answer(client: FlaskClient, url: str, answers: dict[str, str], **headers: str) -> Any:
    """Open *url* as a visitor would (following a link's redirect), fill in *answers* and send the form."""
    page = client.get(url, headers=headers, follow_redirects=True)
    form = page.get_data(as_text=True)
    data = {"csrf_token": TOKEN.search(form).group(1), "submission_id": SUBMISSION.search(form).group(1),  # type: ignore[union-attr]
            "rendered": RENDERED.search(form).group(1), "link": LINK.search(form).group(1),  # type: ignore[union-attr]
            **{f"q_{key}": value for key, value in answers.items()}}
    return client.post(page.request.full_path.rstrip("?"), data=data, headers=headers)


def cli_link(app: Flask, site: Site, *options: str, slug: str = "nps") -> str:
    """A link printed by ``survey-link``, as the path and query a browser would request."""
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "survey-link", site.key, slug, *options])
    assert result.exit_code == 0, result.output
    link = urlsplit(result.output.strip())
    return f"{link.path}?{link.query}"


def chosen(html: str, key: str = "score") -> list[str]:
    """The values of the radio buttons of question *key* that the page opens with checked."""
    inputs = re.findall(rf'<input [^>]*name="q_{key}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]  # type: ignore[union-attr]


def follow_up(html: str) -> str:
    return FOLLOW_UP.search(html).group(1)  # type: ignore[union-attr]


def stored(db: Session) -> list[Response]:
    db.expire_all()
    return list(db.scalars(select(Response).order_by(Response.id)))


def test_the_page_is_a_plain_form_in_the_visitors_language(client: FlaskClient, site: Site) -> None:
    response = client.get(page_url(site), headers={"Accept-Language": "hu-HU,hu;q=0.9,en;q=0.5"})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<html lang="hu">' in html
    assert "Mennyire valószínű, hogy ajánlana minket" in html
    assert html.count('type="radio"') == 11
    assert "<script" not in html and "style=" not in html
    assert "script-src" not in response.headers["Content-Security-Policy"]


def test_answers_are_stored_like_api_answers_and_thank_the_visitor(client: FlaskClient, site: Site, db: Session) -> None:
    response = answer(client, page_url(site, query="lang=zh"), {"score": "9", "reason": "送货很快"})

    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert "感谢您的反馈！" in thanks.get_data(as_text=True)
    [row] = stored(db)
    assert (row.nps_score, row.comment, row.locale) == (9, "送货很快", "zh")
    assert row.answers == {"score": 9, "reason": "送货很快"}


def test_the_same_rules_as_the_api_refuse_a_missing_answer(client: FlaskClient, site: Site, db: Session) -> None:
    response = answer(client, page_url(site, query="lang=hu"), {"reason": "Nem tudom"})
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Kérjük, válaszoljon a kérdésre." in html
    assert 'aria-describedby="q_score-error"' in html
    assert "Nem tudom" in html  # what the visitor wrote is kept
    assert stored(db) == []


def test_a_value_outside_the_question_is_refused(client: FlaskClient, site: Site, db: Session) -> None:
    response = answer(client, page_url(site, "csat"), {"rating": "superb"})
    assert response.status_code == 422
    assert "Please choose one of the answers." in response.get_data(as_text=True)
    assert stored(db) == []


def test_yes_no_and_conditional_questions(client: FlaskClient, site: Site, db: Session) -> None:
    html = client.get(page_url(site, "stock")).get_data(as_text=True)
    assert "Only if you answered: No" in html

    answer(client, page_url(site, "stock"), {"in_stock": "yes", "missing": "not asked, so not kept"})
    answer(client, page_url(site, "stock"), {"in_stock": "no", "missing": "Decaf beans"})

    assert [(r.in_stock, r.answers) for r in stored(db)] == [
        (True, {"in_stock": True}), (False, {"in_stock": False, "missing": "Decaf beans"})]


@pytest.mark.parametrize(("lang", "anchors"), [
    ("en", ("0 = Not at all satisfied", "10 = Completely satisfied")),
    ("hu", ("0 = Egyáltalán nem elégedett", "10 = Teljes mértékben elégedett")),
    ("zh", ("0 = 完全不满意", "10 = 完全满意")),
])
def test_the_loyalty_programs_scale_speaks_of_satisfaction(client: FlaskClient, site: Site, lang: str,
                                                           anchors: tuple[str, str]) -> None:
    html = client.get(page_url(site, "loyalty", f"lang={lang}")).get_data(as_text=True)
    assert SCALE.findall(html) == [anchors]


def test_the_recommendation_scale_still_speaks_of_likelihood(client: FlaskClient, site: Site) -> None:
    assert SCALE.findall(client.get(page_url(site)).get_data(as_text=True)) == [
        ("0 = Not at all likely", "10 = Extremely likely")]
    assert SCALE.findall(client.get(page_url(site, query="lang=zh")).get_data(as_text=True)) == [
        ("0 = 完全不可能", "10 = 极有可能")]


def test_a_0_to_10_question_stored_without_anchors_gets_the_default_ones(client: FlaskClient, site: Site,
                                                                         db: Session) -> None:
    survey = db.scalars(select(Survey).where(Survey.site_id == site.id, Survey.slug == "loyalty")).one()
    survey.questions = [{k: v for k, v in q.items() if k != "scale"} for q in survey.questions]
    db.commit()

    html = client.get(page_url(site, "loyalty", "lang=hu")).get_data(as_text=True)
    assert SCALE.findall(html) == [("0 = Egyáltalán nem valószínű", "10 = Nagyon valószínű")]


def test_without_the_csrf_token_nothing_is_stored(client: FlaskClient, site: Site, db: Session) -> None:
    response = client.post(page_url(site), data={"q_score": "10"})
    assert response.status_code == 422
    assert "The form has expired" in response.get_data(as_text=True)
    assert stored(db) == []


def test_sending_the_form_twice_stores_one_answer(client: FlaskClient, site: Site, db: Session) -> None:
    url = page_url(site)
    form = client.get(url).get_data(as_text=True)
    data = {"csrf_token": TOKEN.search(form).group(1), "submission_id": SUBMISSION.search(form).group(1),  # type: ignore[union-attr]
            "rendered": RENDERED.search(form).group(1),  # type: ignore[union-attr]
            "q_score": "8"}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert len(stored(db)) == 1


def test_a_link_attaches_the_customer_and_order(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    url = cli_link(app, site, "--customer-id", "C-77", "--order", "A-1001", "--email", "ann@example.com")

    assert "A-1001" in client.get(url, follow_redirects=True).get_data(as_text=True)
    answer(client, url, {"score": "3"})

    [row] = stored(db)
    assert (row.customer_id, row.customer_email) == ("C-77", "ann@example.com")
    assert parse_qs(urlsplit(row.page_url or "").query) == {"order": ["A-1001"]}


def readable_parts(url: str) -> list[str]:
    """Every piece of *url*, and each piece read as base64 as well (as anyone could)."""
    pieces = [piece for piece in re.split(r"[/?&=.:]", url) if piece]
    decoded = []
    for piece in pieces:
        for candidate in (piece, piece[1:], piece[2:], piece[3:]):
            try:
                decoded.append(base64.urlsafe_b64decode(candidate + "=" * (-len(candidate) % 4)).decode("latin-1"))
            except ValueError:
                pass
    return pieces + decoded


def test_a_link_holds_no_readable_personal_data(app: Flask, site: Site) -> None:
    url = cli_link(app, site, "--customer-id", "C-77", "--order", "A-1001", "--email", "ann@example.com",
                   "--name", "Ann Smith", "--lang", "hu")

    assert "@" not in url and "%40" not in url
    for part in readable_parts(url):  # random bytes may decode to an "@": look for the data itself
        assert not any(data in part for data in ("example.com", "Ann", "A-1001", "C-77"))


def test_opening_a_link_moves_its_token_out_of_the_url_and_records_nothing(app: Flask, client: FlaskClient,
                                                                           site: Site, db: Session) -> None:
    result = app.test_cli_runner().invoke(
        args=["feedbackwidget", "survey-link", site.key, "nps", "--order", "A-1001", "--scores", "--lang", "hu"])
    link = urlsplit(dict(line.split("\t") for line in result.output.splitlines())["3"])

    response = client.get(f"{link.path}?{link.query}")  # as a mail scanner or the customer would

    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == f"/feedback/s/{site.key}/nps" and parse_qs(target.query) == {"score": ["3"], "lang": ["hu"]}
    cookie = response.headers["Set-Cookie"]
    assert all(flag in cookie for flag in ("HttpOnly", "SameSite=Lax", f"Path=/feedback/s/{site.key}/nps", "Max-Age="))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "A-1001" in page.get_data(as_text=True)
    assert chosen(page.get_data(as_text=True)) == ["3"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert stored(db) == [] and db.scalars(select(SurveyLink.response_id)).all() == [None]


def test_unknown_site_or_survey_is_not_found(client: FlaskClient, site: Site) -> None:
    assert client.get("/feedback/s/site_nope/nps").status_code == 404
    assert client.get(page_url(site, "nope")).status_code == 404


def test_too_many_answers_from_one_network_are_asked_to_wait(make_app: Any, db: Session) -> None:
    from feedbackwidget.provisioning import create_site

    app = make_app(FEEDBACKWIDGET_RATELIMIT_WRITE_PER_CLIENT="1/minute")
    site = create_site(db, "Busy Shop", ["https://busy.example"], templates=("nps",))
    db.commit()
    client = app.test_client()
    assert answer(client, page_url(site, query="lang=hu"), {"score": "7"}).status_code == 302

    second = answer(client, page_url(site, query="lang=hu"), {"score": "8", "reason": "Megint"})

    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0
    html = second.get_data(as_text=True)
    assert "perc múlva küldje el újra" in html and "Megint" in html
    assert [r.nps_score for r in stored(db)] == [7]


def test_links_for_e_mails_use_the_public_url(make_app: Any, db: Session) -> None:
    from feedbackwidget.provisioning import create_site
    from feedbackwidget.web.widget.links import survey_link

    app = make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example/")
    site = create_site(db, "Linked Shop", ["https://shop.example"], templates=("nps",))
    db.commit()
    with app.app_context():
        link = urlsplit(survey_link(site.key, "nps", "opaque-token", "zh-CN"))

    assert (link.scheme, link.netloc, link.path) == ("https", "feedback.shop.example", f"/feedback/s/{site.key}/nps")
    assert parse_qs(link.query) == {"lang": ["zh"], "link": ["opaque-token"]}


def test_the_cli_refuses_a_link_it_could_not_store(app: Flask, site: Site) -> None:
    runner = app.test_cli_runner()
    bad_email = runner.invoke(args=["feedbackwidget", "survey-link", site.key, "nps", "--email", "not-an-address"])
    no_survey = runner.invoke(args=["feedbackwidget", "survey-link", site.key, "nope"])

    assert bad_email.exit_code == 2 and "write it as name@example.com" in bad_email.output
    assert no_survey.exit_code == 2 and "use one of" in no_survey.output


@pytest.mark.parametrize("address", ["a@b.co>", "<a@b.co>", "ü@b.co", "ann@shop.test"])
def test_the_cli_refuses_an_address_no_mail_server_delivers(app: Flask, site: Site, address: str) -> None:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "survey-link", site.key, "nps", "--email", address])
    assert result.exit_code == 2 and f"“{address}”" in result.output


def test_a_score_in_the_link_is_chosen_and_words_the_follow_up(client: FlaskClient, site: Site) -> None:
    english = client.get(page_url(site, query="score=9")).get_data(as_text=True)
    hungarian = client.get(page_url(site, query="score=3&lang=hu")).get_data(as_text=True)
    without = client.get(page_url(site)).get_data(as_text=True)

    assert (chosen(english), follow_up(english)) == (["9"], "Thank you! What influenced your rating?")
    assert (chosen(hungarian), follow_up(hungarian)) == (["3"], "Sajnáljuk. Mi befolyásolta az értékelését?")
    assert (chosen(without), follow_up(without)) == ([], GENERIC)


@pytest.mark.parametrize(("score", "wording"), [
    (0, "We are sorry to hear that. What influenced your rating?"),
    (6, "We are sorry to hear that. What influenced your rating?"),
    (7, "What influenced your rating? What would make it a 10?"),
    (8, "What influenced your rating? What would make it a 10?"),
    (9, "Thank you! What influenced your rating?"),
    (10, "Thank you! What influenced your rating?"),
])
def test_each_band_has_its_wording(client: FlaskClient, site: Site, score: int, wording: str) -> None:
    html = client.get(page_url(site, query=f"score={score}&lang=en")).get_data(as_text=True)
    assert (chosen(html), follow_up(html)) == ([str(score)], wording)


def test_the_band_wording_is_in_chinese_too(client: FlaskClient, site: Site) -> None:
    html = client.get(page_url(site, query="score=7&lang=zh")).get_data(as_text=True)
    assert follow_up(html) == "是什么影响了您的评分？怎样才能让它成为10分？"


@pytest.mark.parametrize("value", ["11", "-1", "7.5", "seven", "", "²", "٧", "1e1", "007", "9&score=3x"])
def test_a_score_that_is_not_0_to_10_is_ignored(client: FlaskClient, site: Site, value: str) -> None:
    response = client.get(page_url(site), query_string={"score": value})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert (chosen(html), follow_up(html)) == ([], GENERIC)


@pytest.mark.parametrize("value", ["²", "1" * 5000])
def test_a_posted_odd_score_is_refused_not_a_server_error(client: FlaskClient, site: Site, db: Session,
                                                          value: str) -> None:
    response = answer(client, page_url(site), {"score": value})
    assert response.status_code == 422
    assert "Please choose one of the answers." in response.get_data(as_text=True)
    assert stored(db) == []


def test_the_posted_score_words_the_follow_up_when_the_page_comes_back(client: FlaskClient, site: Site,
                                                                       db: Session) -> None:
    # The link said 9; the visitor chose 2 instead and wrote too much.
    response = answer(client, page_url(site, query="score=9&lang=hu"), {"score": "2", "reason": "x" * 2001})
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert (chosen(html), follow_up(html)) == (["2"], "Sajnáljuk. Mi befolyásolta az értékelését?")
    assert stored(db) == []


def test_a_post_without_a_score_is_not_given_the_links_score(client: FlaskClient, site: Site, db: Session) -> None:
    response = answer(client, page_url(site, query="score=9"), {"reason": "Fine"})
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert (chosen(html), follow_up(html)) == ([], GENERIC)
    assert stored(db) == []


def test_the_cli_prints_the_eleven_score_links(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    result = app.test_cli_runner().invoke(args=[
        "feedbackwidget", "survey-link", site.key, "nps", "--scores", "--customer-id", "C-9", "--order", "B-2",
        "--lang", "hu"])
    assert result.exit_code == 0, result.output
    links = {int(score): urlsplit(link) for score, link in (line.split("\t") for line in result.output.splitlines())}
    assert sorted(links) == list(range(11))
    assert len({parse_qs(link.query)["link"][0] for link in links.values()}) == 1

    url = f"{links[10].path}?{links[10].query}"
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert (chosen(page), follow_up(page)) == (["10"], "Köszönjük! Mi befolyásolta az értékelését?")
    assert "B-2" in page and '<html lang="hu">' in page
    assert answer(client, url, {"score": chosen(page)[0], "reason": "Gyors szállítás"}).status_code == 302

    [row] = stored(db)
    assert (row.nps_score, row.comment, row.customer_id) == (10, "Gyors szállítás", "C-9")
    assert parse_qs(urlsplit(row.page_url or "").query) == {"order": ["B-2"]}


def test_the_cli_refuses_score_links_for_a_survey_without_a_score(app: Flask, site: Site) -> None:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "survey-link", site.key, "csat", "--scores"])
    assert result.exit_code == 2
    assert "score links need an NPS survey" in result.output and "leave out --scores" in result.output


def test_a_link_takes_one_answer_and_a_second_visit_changes_it(app: Flask, client: FlaskClient, site: Site,
                                                               db: Session) -> None:
    url = cli_link(app, site, "--order", "A-1001", "--email", "ann@example.com", "--lang", "hu")
    assert answer(client, url, {"score": "3", "reason": "Lassú szállítás"}).status_code == 302
    [first] = stored(db)

    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "Ön már válaszolt" in again
    assert chosen(again) == ["3"] and "Lassú szállítás" in again
    assert answer(client, url, {"score": "9", "reason": "Végül megérkezett"}).status_code == 302

    [changed] = stored(db)
    assert (changed.id, changed.nps_score, changed.comment) == (first.id, 9, "Végül megérkezett")
    assert changed.customer_email == "ann@example.com"


def test_each_tab_answers_its_own_link(app: Flask, site: Site, db: Session) -> None:
    client = app.test_client()
    first, second = cli_link(app, site, "--order", "A-1"), cli_link(app, site, "--order", "B-2")
    page = client.get(first, follow_redirects=True).get_data(as_text=True)
    client.get(second, follow_redirects=True)  # a second tab: the cookie now holds the other link

    data = {"csrf_token": TOKEN.search(page).group(1), "submission_id": SUBMISSION.search(page).group(1),  # type: ignore[union-attr]
            "rendered": RENDERED.search(page).group(1), "link": LINK.search(page).group(1), "q_score": "8"}  # type: ignore[union-attr]
    assert client.post(page_url(site), data=data).status_code == 302

    assert [parse_qs(urlsplit(r.page_url or "").query) for r in stored(db)] == [{"order": ["A-1"]}]


@pytest.mark.parametrize(("lang", "text"), [("en", "This link has expired"), ("hu", "Ez a link lejárt"),
                                            ("zh", "此链接已过期")])
def test_an_expired_link_says_so_in_the_visitors_language(app: Flask, client: FlaskClient, site: Site, db: Session,
                                                          lang: str, text: str) -> None:
    url = cli_link(app, site, "--order", "A-1001")
    db.execute(update(SurveyLink).values(expires_at=utcnow() - dt.timedelta(minutes=1)))

    page = client.get(url, headers={"Accept-Language": lang}, follow_redirects=True)
    posted = client.post(page_url(site), data={"q_score": "9"}, headers={"Accept-Language": lang})

    assert page.status_code == 410 and text in page.get_data(as_text=True)
    assert posted.status_code == 410 and stored(db) == []


def test_links_expire_after_the_configured_days(make_app: Any, db: Session) -> None:
    from feedbackwidget.provisioning import create_site

    app = make_app(FEEDBACKWIDGET_LINK_MAX_AGE_DAYS=7)
    site = create_site(db, "Weekly Shop", ["https://shop.example"], templates=("nps",))
    db.commit()
    cli_link(app, site)

    [link] = db.scalars(select(SurveyLink)).all()
    assert link.expires_at - link.created_at == dt.timedelta(days=7)


def test_a_signed_link_sent_before_the_upgrade_still_takes_one_answer(app: Flask, client: FlaskClient, site: Site,
                                                                      db: Session) -> None:
    token = sign_reference(get_state(app).secret_key, site.key, "nps", Reference("C-77", "A-1001", "ann@example.com"))
    url = page_url(site, query=f"ref={token}")

    opened = client.get(url)
    assert opened.status_code == 303 and "ref" not in opened.headers["Location"]
    assert "A-1001" in client.get(opened.headers["Location"]).get_data(as_text=True)
    answer(client, url, {"score": "3"})
    answer(client, url, {"score": "6"})

    [row] = stored(db)
    assert (row.customer_id, row.customer_email, row.nps_score) == ("C-77", "ann@example.com", 6)
    assert parse_qs(urlsplit(row.page_url or "").query) == {"order": ["A-1001"]}


def test_a_forged_or_misplaced_signed_link_is_answered_without_a_reference(client: FlaskClient, site: Site,
                                                                          db: Session) -> None:
    forged = sign_reference("another-key", site.key, "nps", Reference("C-1", "A-1"))
    other_survey = sign_reference("test-secret-key", site.key, "csat", Reference("C-1", "A-1"))
    for token in (forged, other_survey):
        url = page_url(site, query=f"ref={token}")
        assert "This link is damaged" in client.get(url, follow_redirects=True).get_data(as_text=True)
        answer(client, url, {"score": "5"})
    assert [(r.customer_id, r.nps_score) for r in stored(db)] == [(None, 5), (None, 5)]


def test_erasing_a_customer_deletes_their_links(app: Flask, client: FlaskClient, site: Site, db: Session) -> None:
    from feedbackwidget.privacy import Person, erase_person, export_person

    url = cli_link(app, site, "--order", "A-1001", "--email", "Ann@Example.com", "--name", "Ann Smith")
    answer(client, url, {"score": "3"})
    [exported] = export_person(db, Person(email="ann@example.com"))["survey_links"]
    assert (exported["order"], exported["customer_name"]) == ("A-1001", "Ann Smith")

    assert erase_person(db, Person(email="ann@example.com"))["survey_links"] == 1

    assert db.scalars(select(SurveyLink)).all() == []
    assert "This link is damaged" in client.get(url, follow_redirects=True).get_data(as_text=True)


def test_the_cli_refuses_details_a_link_could_not_store(app: Flask, site: Site) -> None:
    result = app.test_cli_runner().invoke(args=["feedbackwidget", "survey-link", site.key, "nps", "--order", "A" * 129])
    assert result.exit_code == 2 and "use at most 128" in result.output


def test_a_links_answer_cannot_be_taken_first_through_the_api(app: Flask, client: FlaskClient, site: Site,
                                                              db: Session) -> None:
    url = cli_link(app, site, "--order", "A-1001", "--email", "ann@example.com")
    [link] = db.scalars(select(SurveyLink)).all()
    taken = client.post(f"/feedback/api/v1/sites/{site.key}/responses", headers={
        "Origin": "https://shop.example", "Idempotency-Key": f"link-{link.id}"},
        json={"survey": "nps", "answers": {"score": 0}, "customer": {"email": "mallory@example.com"}})
    assert taken.status_code == 201

    assert answer(client, url, {"score": "9"}).status_code == 302

    [row] = stored(db)
    assert (row.nps_score, row.customer_email) == (9, "ann@example.com")
    assert parse_qs(urlsplit(row.page_url or "").query) == {"order": ["A-1001"]}
