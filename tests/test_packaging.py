"""What ships: every sub-package is listed, static/ and templates/ are mapped into the package."""

from __future__ import annotations

import configparser
from pathlib import Path

from feedbackwidget.core.resources import package_folder

ROOT = Path(__file__).resolve().parent.parent


def setup_options() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser["options"]


def test_every_python_package_is_listed_in_setup_cfg() -> None:
    listed = set(setup_options()["packages"].split())
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "feedbackwidget").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [options] packages in setup.cfg"


def test_static_and_templates_are_mapped_into_the_package() -> None:
    mapping = setup_options()["package_dir"]
    assert "feedbackwidget.static = static" in mapping
    assert "feedbackwidget.templates = templates" in mapping
    assert Path(package_folder("static"), "widget.js").is_file()
    assert Path(package_folder("templates"), "feedbackwidget").is_dir()
