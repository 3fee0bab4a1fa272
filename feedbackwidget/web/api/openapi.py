"""The OpenAPI 3.1 document of the public API, shipped as ``feedbackwidget/openapi.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import request, url_for

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "openapi.json"


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with open(DOCUMENT_PATH, encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def openapi_document() -> dict[str, Any]:
    """The document, with ``servers`` pointing at this app's API prefix."""
    base = url_for("feedbackwidget.api.openapi").removesuffix("/v1/openapi.json")
    return {**_document(), "servers": [{"url": request.host_url.rstrip("/") + base}]}
