"""Settings: every key named once, read from the environment with the type of its default."""

from __future__ import annotations

import pytest

from feedbackwidget.core import config


def test_every_setting_parses_from_the_environment_as_its_defaults_type() -> None:
    for key, default in config.DEFAULTS.items():
        if isinstance(default, bool):
            raw, expected = "true", True
        elif isinstance(default, (int, float)):
            raw, expected = "42", type(default)(42)
        elif isinstance(default, (dict, list)):
            raw, expected = ("{}", {}) if isinstance(default, dict) else ("[]", [])
        else:
            raw, expected = "text", "text"
        assert config.from_environment({key: raw}) == {key: expected}, key


def test_flask_mail_settings_are_typed() -> None:
    settings = config.from_environment({"MAIL_PORT": "2525", "MAIL_USE_TLS": "yes", "MAIL_SERVER": "smtp.example"})
    assert settings == {"MAIL_PORT": 2525, "MAIL_USE_TLS": True, "MAIL_SERVER": "smtp.example"}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"FEEDBACKWIDGET_MAX_BODY_BYTES": "lots"}, "FEEDBACKWIDGET_MAX_BODY_BYTES='lots' is not a number"),
        ({"FEEDBACKWIDGET_RUN_SENDER": "maybe"}, "is not a boolean: set it to true or false"),
        ({"FEEDBACKWIDGET_ENGINE_OPTIONS": "pool_size=5"}, "FEEDBACKWIDGET_ENGINE_OPTIONS must be JSON"),
    ],
)
def test_a_wrong_value_names_the_variable_and_the_fix(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        config.from_environment(environ)


def test_unrelated_environment_variables_are_ignored() -> None:
    assert config.from_environment({"PATH": "/bin", "FEEDBACKWIDGET_NOT_A_SETTING": "1"}) == {}
