"""Where the package's mapped data folders (static/, templates/) are on disk."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


@cache
def package_folder(name: str) -> str:
    """The folder of ``feedbackwidget.<name>``: inside an installed wheel, or the
    top-level ``<name>/`` of a source checkout (mapped by setuptools ``package_dir``).

    Found once per process: looking it up costs more than serving the widget's script."""
    spec = importlib.util.find_spec(f"feedbackwidget.{name}")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return str(location)
    fallback = _SOURCE_ROOT / name
    if fallback.is_dir():
        return str(fallback)
    raise RuntimeError(f"feedbackwidget's {name}/ folder is missing: reinstall the package (pip install feedbackwidget)")
