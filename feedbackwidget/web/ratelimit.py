"""Rate limits of the public endpoints, with the ``limits`` library, kept per app.

Each public endpoint counts hits per client (:func:`client_key`: an IPv4 address,
or the /64 network of an IPv6 one, and the site) and per site (an aggregate cap), in
the storage named by ``FEEDBACKWIDGET_RATELIMIT_STORAGE_URL``:
``memory://`` (the default: each worker process counts on its own) or
``redis://host:6379`` when several workers or hosts must share the counts.

The client IP is taken from ``X-Forwarded-For`` only behind
``FEEDBACKWIDGET_TRUSTED_PROXIES`` proxies (the semantics of werkzeug's
``ProxyFix(x_for=N)``, applied here per request, never by wrapping the host's
``wsgi_app``), so a forged header does not buy a fresh limit.  The IP is never
stored: storage keys are keyed hashes (BLAKE2b) under a secret derived from the secret key and
the current day, so yesterday's keys cannot be linked to today's.

Counting uses fixed windows (the ``limits`` fixed-window strategy, as
Flask-Limiter's default): one increment per limit and request, in memory or in
one Redis round trip.  Limits are counted shortest window first and counting
stops at the first one exceeded, so a refused request never counts toward a
longer window: hammering through a minute's refusals does not earn an hour's.

The site cap guards a site against a flood from many addresses without letting
the flood shut its visitors out: a request that looks like a person (the site's
own origin, an empty honeypot, a person's fill time) is never refused by the
cap; while the cap is exceeded it only has to stay within a small per-client
quota (``FEEDBACKWIDGET_RATELIMIT_FLOOD_PER_CLIENT``), which a flood from each
address exceeds at once and a visitor never reaches.  Everything else (scripts,
server-to-server posts) is refused by the cap.

When the storage fails (Redis down), limits are not enforced for a few seconds
and a warning is logged: the endpoints stay up ("fail open").
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy.exc import SQLAlchemyError

from ..core import config
from ..core.state import get_state
from ..sites import SiteConfig

log = logging.getLogger(__name__)

STATE_KEY = "ratelimit"
# After a storage failure, limits are skipped this long instead of failing every request slowly.
FAIL_OPEN_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.5
SWEEP_INTERVAL_SECONDS = 1.0
UNKNOWN_SITE = "-unknown-site-"

View = TypeVar("View", bound=Callable[..., Any])
# Whether the current request looks like a person's; asked only when a site is over its cap.
Judgement = Callable[[], bool]


class RetryAfter(int):
    """Seconds until a client over its limit may try again (an ``int``, for ``Retry-After``)."""

    @property
    def seconds(self) -> int:
        return int(self)


@dataclass
class LimiterState:
    """An app's rate-limit storage and strategy, created on first use in each process."""

    storage_url: str
    secret_key: str
    _limiter: FixedWindowRateLimiter | None = None
    _day_key: tuple[dt.date, bytes] | None = None
    _paused_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def limiter(self) -> FixedWindowRateLimiter:
        if self._limiter is None:
            with self._lock:
                if self._limiter is None:
                    self._limiter = FixedWindowRateLimiter(_storage(self.storage_url))
        return self._limiter

    def identifier(self, scope: str, key: str) -> str:
        """*key* (an IP address, say) as a MAC (keyed BLAKE2b) under today's secret: never the raw value."""
        today = dt.datetime.now(dt.timezone.utc).date()
        if self._day_key is None or self._day_key[0] != today:
            digest = hashlib.blake2b(f"{self.secret_key}\0ratelimit\0{today.isoformat()}".encode()).digest()[:32]
            self._day_key = (today, digest)
        return hashlib.blake2b(f"{scope}\0{key}".encode(), key=self._day_key[1], digest_size=16).hexdigest()

    def fail_open(self, err: Exception) -> None:
        """Skip limits for a while after a storage failure, with one warning."""
        if time.monotonic() >= self._paused_until:
            log.warning(
                "feedbackwidget: rate-limit storage %s failed (%s): limits are NOT enforced for %.0f s; "
                "check that it is reachable", _safe_url(self.storage_url), err, FAIL_OPEN_SECONDS,
            )
        self._paused_until = time.monotonic() + FAIL_OPEN_SECONDS

    def paused(self) -> bool:
        return time.monotonic() < self._paused_until


class SweepingMemoryStorage(MemoryStorage):
    """``limits``' memory storage, sweeping expired counters at most once a second.

    Upstream starts a sweeper thread whenever the last one has finished, up to
    a hundred a second under load, and ``Thread.start()`` waits for the new
    thread to get the GIL: that showed up as ~8% of the submit path's time.
    Expired counters are still ignored at once (``get`` checks their expiry);
    only their memory is reclaimed later.  (No ``STORAGE_SCHEME``: nothing is
    registered in ``limits``' global scheme table.)
    """

    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_INTERVAL_SECONDS
            getattr(super(), "_MemoryStorage__schedule_expiry")()


def _storage(url: str) -> Storage:
    if url.startswith("memory://"):
        return SweepingMemoryStorage(url, wrap_exceptions=True)
    options: dict[str, float | str | bool] = {"wrap_exceptions": True}
    if url.startswith(("redis", "rediss", "valkey")):
        options.update(socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
    return cast(Storage, storage_from_string(url, **options))


def _safe_url(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def limiter_state(app: Flask) -> LimiterState:
    """The rate-limit state of *app*, kept in its ``app.extensions`` entry."""
    extras = get_state(app).extras
    state = extras.get(STATE_KEY)
    if state is None:
        state = extras.setdefault(
            STATE_KEY, LimiterState(app.config[config.RATELIMIT_STORAGE_URL], get_state(app).secret_key)
        )
    return cast(LimiterState, state)


@functools.lru_cache(maxsize=64)
def parse_limits(limit: str) -> tuple[RateLimitItem, ...]:
    """``"10/minute;100/hour"`` as limit items, shortest window first (cached: config strings repeat).

    :raises ValueError: for a string the ``limits`` notation does not accept.
    """
    try:
        return tuple(sorted(parse_many(limit), key=lambda item: item.get_expiry()))
    except ValueError as err:
        raise ValueError(f"rate limit {limit!r} is not valid: write it like '10/minute;100/hour'") from err


def _retry_after(reset_at: float) -> RetryAfter:
    return RetryAfter(max(1, math.ceil(reset_at - time.time())))


def hit(app: Flask, scope: str, key: str, limit: str) -> RetryAfter | None:
    """Count one hit of *key* in *scope* against *limit* (e.g. ``"10/minute;100/hour"``).

    Shortest window first; a hit refused by one window is not counted in the longer ones, so
    refusals never extend the wait. *key* may be personal (an IP address): only its keyed hash
    reaches the storage.

    :returns: the seconds to wait (for ``Retry-After``) when the limit is exceeded, else ``None``.
    """
    if not app.config[config.RATELIMIT_ENABLED] or not limit:
        return None
    state = limiter_state(app)
    if state.paused():
        return None
    identifier = state.identifier(scope, key)
    try:
        limiter = state.limiter()
        for item in parse_limits(limit):
            if not limiter.hit(item, scope, identifier):
                return _retry_after(limiter.get_window_stats(item, scope, identifier).reset_time)
    except StorageError as err:
        state.fail_open(err)
    return None


def client_ip(environ: Mapping[str, Any], trusted_proxies: int) -> str:
    """The client's address: ``REMOTE_ADDR``, or from ``X-Forwarded-For`` behind trusted proxies.

    As werkzeug's ``ProxyFix(x_for=trusted_proxies)``: the value appended by the
    outermost trusted proxy, i.e. the *trusted_proxies*-th from the right; a
    header with fewer values than that is ignored.
    """
    remote = str(environ.get("REMOTE_ADDR") or "unknown")
    if trusted_proxies <= 0:
        return remote
    forwarded = [value.strip() for value in str(environ.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [value for value in forwarded if value]
    if len(forwarded) < trusted_proxies:
        return remote
    return forwarded[-trusted_proxies]


@functools.lru_cache(maxsize=4096)
def client_key(address: str) -> str:
    """The client an address counts as: an IPv4 address as is, an IPv6 one by its /64 network
    (one subscriber's share, which an attacker gets whole), an IPv4-mapped IPv6 one as IPv4.

    Anything that is not an IP address (``"unknown"``) is returned unchanged.

    .. code-block:: python

        client_key("2001:db8:1:2:aaaa::1")  # "2001:db8:1:2::/64"
        client_key("::ffff:192.0.2.7")      # "192.0.2.7"
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))


def _known_site(site_key: str | None) -> SiteConfig | None:
    if site_key is None:
        return None
    try:
        return get_state().sites.get(site_key)
    except SQLAlchemyError:
        return None


def from_allowed_origin(site: SiteConfig) -> bool:
    """Whether the request comes from one of *site*'s pages (its ``Origin`` is allowed)."""
    return site.allows_origin(request.headers.get("Origin"))


def from_own_page(site: SiteConfig) -> bool:
    """Whether a form was posted from a page of this server (same host) or of *site*."""
    origin = request.headers.get("Origin")
    return origin is not None and (urlsplit(origin).netloc == request.host or site.allows_origin(origin))


def _current_app() -> Flask:
    return cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]


def _client(app: Flask) -> str:
    return client_key(client_ip(request.environ, app.config[config.TRUSTED_PROXIES]))


def _site_verdict(
    app: Flask, scope: str, site: str, client: str, per_site: str, looks_human: Judgement, flood: str | None
) -> RetryAfter | None:
    """The site cap's verdict: over the cap, a person's request still passes within the flood quota.
    (*looks_human* is asked only then: most requests never need it.)"""
    retry_after = hit(app, f"{scope}:site", site, app.config[per_site])
    if retry_after is None or not looks_human():
        return retry_after
    return hit(app, f"{scope}:flood", f"{site}\0{client}", app.config[flood]) if flood else None


def _refuse(retry_after: RetryAfter | None) -> None:
    if retry_after is not None:
        from .errors import RateLimited

        raise RateLimited(retry_after)


def enforce_site_cap(
    scope: str, per_site: str, site: SiteConfig, looks_human: Judgement,
    flood: str | None = config.RATELIMIT_FLOOD_PER_CLIENT,
) -> None:
    """Count this request against the site cap named by the config key *per_site*.

    For a view that learns only from the body whether a request looks like a person's (the site's
    own origin, an empty honeypot, a person's fill time): its client limit is counted before the
    body is read (:func:`rate_limit` with ``per_site=None``), the site cap after.  Over the cap,
    a request for which *looks_human()* is true passes within the flood quota named by *flood*;
    any other is refused.

    :raises RateLimited: with ``Retry-After`` when the request is refused.
    """
    app = _current_app()
    _refuse(_site_verdict(app, scope, site.key, _client(app), per_site, looks_human, flood))


def _enforce(
    scope: str, per_client: str, per_site: str | None, site: SiteConfig | None, looks_human: Judgement,
    flood: str | None,
) -> None:
    app = _current_app()
    client = _client(app)
    retry_after = hit(app, f"{scope}:client", f"{site.key if site else UNKNOWN_SITE}\0{client}", app.config[per_client])
    if retry_after is None and per_site is not None and site is not None:
        retry_after = _site_verdict(app, scope, site.key, client, per_site, looks_human, flood)
    _refuse(retry_after)


def enforce(
    scope: str, per_client: str, per_site: str | None, site_key: str | None = None, *,
    looks_human: bool = False, flood: str | None = config.RATELIMIT_FLOOD_PER_CLIENT,
) -> None:
    """Count this request against the limits named by the config keys *per_client* and *per_site*.

    Unknown site keys share one per-client bucket (so that probing random keys
    does not get a fresh limit each time) and have no per-site cap. Over the site cap,
    a request that *looks_human* passes within the flood quota named by *flood*.

    :raises RateLimited: with ``Retry-After`` when a limit is exceeded.
    """
    _enforce(scope, per_client, per_site, _known_site(site_key), lambda: looks_human, flood)


def rate_limit(
    scope: str,
    per_client: str = config.RATELIMIT_WRITE_PER_CLIENT,
    per_site: str | None = config.RATELIMIT_WRITE_PER_SITE,
    flood: str | None = config.RATELIMIT_FLOOD_PER_CLIENT,
) -> Callable[[View], View]:
    """Decorate a public view: limit it per client (IP address and site) and per site.

    *per_client*, *per_site* and *flood* name the config keys holding the limits, e.g.
    ``config.RATELIMIT_READ_PER_CLIENT`` for a page that only reads. The site is
    the view's ``site_key`` argument, when it has one. A request from one of the
    site's allowed origins is not refused by the site cap, only held to *flood*
    (``None``: no quota) while the cap is exceeded; see :func:`enforce`.

    .. code-block:: python

        @bp.post("/sites/<site_key>/complaints")
        @rate_limit("complaints")
        def submit_complaint(site_key: str) -> Response: ...
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            site = _known_site(kwargs.get("site_key"))
            _enforce(scope, per_client, per_site, site, lambda: site is not None and from_allowed_origin(site), flood)
            return view(*args, **kwargs)

        return cast(View, limited)

    return decorator
