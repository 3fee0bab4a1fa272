"""Where snippets and links in e-mails point, inside and outside a request."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from feedbackwidget.core.public_url import public_base_url


def test_the_public_url_setting_wins(make_app: Callable[..., Flask]) -> None:
    app = make_app(FEEDBACKWIDGET_PUBLIC_URL="https://feedback.shop.example/", SERVER_NAME="www.shop.example")
    with app.app_context():
        assert public_base_url(app) == ("https://feedback.shop.example/feedback", False)


def test_the_host_apps_server_name_with_its_scheme_and_root(make_app: Callable[..., Flask]) -> None:
    app = make_app(SERVER_NAME="www.shop.example", PREFERRED_URL_SCHEME="https", APPLICATION_ROOT="/store/")
    with app.app_context():
        assert public_base_url(app) == ("https://www.shop.example/store/feedback", False)


def test_inside_a_request_its_address(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.test_request_context("/feedback/admin/sites", base_url="https://shop.example/store/"):
        assert public_base_url(app) == ("https://shop.example/store/feedback", False)


def test_outside_a_request_the_development_server_guessed(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.app_context():
        assert public_base_url(app) == ("http://127.0.0.1:5000/feedback", True)
