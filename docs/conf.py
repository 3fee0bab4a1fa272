"""Sphinx configuration of feedbackwidget's documentation (``pip install -e ".[docs]"``,
then ``sphinx-build -W -b html docs docs/_build/html``)."""

from __future__ import annotations

import sys
from importlib.metadata import version as package_version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "feedbackwidget"
author = "feedbackwidget developers"
copyright = "2026, feedbackwidget developers"
release = package_version("feedbackwidget")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "pallets_sphinx_themes",
    "config_reference",
    "openapi_reference",
]
intersphinx_mapping: dict[str, tuple[str, None]] = {}
autodoc_typehints = "description"
autodoc_member_order = "bysource"

html_theme = "flask"
html_theme_options = {"index_sidebar_logo": False}
html_context = {"project_links": []}
html_sidebars = {"index": ["project.html", "localtoc.html", "searchbox.html"],
                 "**": ["localtoc.html", "relations.html", "searchbox.html"]}
html_static_path = ["_static"]
html_title = f"feedbackwidget {version}"
html_show_sourcelink = False
exclude_patterns = ["_build"]
nitpicky = False
