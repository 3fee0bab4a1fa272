"""Bodies served the way a CDN serves assets: compressed once (brotli and gzip), the encoding
chosen per request from ``Accept-Encoding``, one strong ETag per representation, and
``Vary: Accept-Encoding`` so that caches keep the representations apart.

Compressing at request time would cost every page view more CPU than the rest of the request;
the widget's scripts are compressed once per process and a site's config once per change, and
each representation's headers are worked out with it, so a page view only picks one.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import brotli
from flask import Request, Response
from werkzeug.http import parse_accept_header

#: Preferred first when the client accepts several equally.
ENCODINGS = ("br", "gzip")
BROTLI_QUALITY = 11
GZIP_LEVEL = 9
VARY = ("Vary", "Accept-Encoding")


@dataclass(frozen=True)
class Representation:
    """One encoding of a body, with the headers that go with it."""

    body: bytes
    etag: str
    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Encoded:
    """One body in every encoding we serve, and a digest of its content."""

    identity: bytes
    br: bytes
    gzip: bytes
    digest: str
    representations: dict[str | None, Representation] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, body: bytes, brotli_quality: int = BROTLI_QUALITY, digest: str | None = None,
           mimetype: str = "application/octet-stream", headers: Mapping[str, str] | None = None) -> Encoded:
        """*body* compressed; *digest* (default: a hash of *body*) names its content in ETags;
        *headers* (caching, CORS ...) go out with every representation."""
        encoded = cls(identity=body, br=brotli.compress(body, quality=brotli_quality),
                      gzip=gzip.compress(body, GZIP_LEVEL, mtime=0),
                      digest=digest or hashlib.sha256(body).hexdigest()[:20])
        for encoding in (None, *ENCODINGS):
            encoded.representations[encoding] = encoded._representation(encoding, mimetype, headers or {})
        return encoded

    def body(self, encoding: str | None) -> bytes:
        """The body in *encoding* (``None``: as it is)."""
        if encoding == "br":
            return self.br
        if encoding == "gzip":
            return self.gzip
        return self.identity

    def etag(self, encoding: str | None) -> str:
        """The representation's ETag: the content's digest, with the encoding after it."""
        return self.digest if encoding is None else f"{self.digest}-{encoding}"

    def _representation(self, encoding: str | None, mimetype: str, extra: Mapping[str, str]) -> Representation:
        etag = self.etag(encoding)
        headers = [("Content-Type", mimetype), VARY, ("ETag", f'"{etag}"'), *extra.items()]
        if encoding is not None:
            headers.append(("Content-Encoding", encoding))
        return Representation(self.body(encoding), etag, tuple(headers))


@lru_cache(maxsize=512)
def _best_encoding(accept_encoding: str) -> str | None:
    choice = parse_accept_header(accept_encoding).best_match(ENCODINGS)
    return choice if choice in ENCODINGS else None


def negotiate_encoding(request: Request) -> str | None:
    """The best encoding the client accepts (``None``: send the body as it is).

    Browsers send a handful of distinct ``Accept-Encoding`` values, so each is parsed once."""
    return _best_encoding(request.headers.get("Accept-Encoding", ""))


def encoded_response(encoded: Encoded, request: Request, cache_control: str) -> Response:
    """*encoded* in the client's best encoding, with its headers and *cache_control*; 304 when
    the client (or a CDN revalidating) already has that representation."""
    representation = encoded.representations[negotiate_encoding(request)]
    headers = (*representation.headers, ("Cache-Control", cache_control))
    if representation.etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(representation.body, headers=headers)


def shared_cache_control(max_age: int, immutable: bool = False) -> str:
    """``Cache-Control`` for a public response that browsers and CDNs keep *max_age* seconds."""
    return f"public, max-age={max_age}, s-maxage={max_age}" + (", immutable" if immutable else "")
