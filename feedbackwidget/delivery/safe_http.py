"""Outgoing webhook HTTP: only to public addresses, never following redirects.

The target's host name is resolved once; every address must be public (not
loopback, private, link-local, multicast or reserved) unless private targets are
allowed, and the connection goes to the address that was checked (pinned), so a
DNS answer that changes in between (DNS rebinding) cannot redirect the request.
An IPv6 address that carries an IPv4 address (IPv4-mapped, 6to4 2002::/16, Teredo
2001::/32, NAT64 64:ff9b::/96) is judged by the IPv4 address it reaches.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeTarget(ValueError):
    """The URL is not an http(s) URL of a public host."""


class UnresolvedHost(UnsafeTarget):
    """The host name did not resolve: refused when saving, retried later when sending
    (a failed DNS lookup is often temporary)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    """Every address *host* resolves to.

    :raises socket.gaierror: when the look-up fails.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses *ip* carries (Teredo: its server and its client), or none."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in NAT64_PREFIX:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def is_public(address: str) -> bool:
    """Whether *address* (IPv4 or IPv6) reaches a public host."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    carried = embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else []
    if carried:
        return all(_is_public_ip(ipv4) for ipv4 in carried)
    return _is_public_ip(ip)


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def check_target(url: str, *, allow_private: bool, resolve: Resolver = system_resolver) -> Target:
    """Parse and resolve *url*; the address to connect to.

    :raises UnresolvedHost: when the host name does not resolve.
    :raises UnsafeTarget: for another scheme, credentials in the URL, or a
        non-public address (unless *allow_private*).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(f"{url!r} is not an http(s) URL: write it as https://crm.example/hook")
    if parts.username or parts.password:
        raise UnsafeTarget("the URL must not contain a user name or password: use the signature to authenticate")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(resolve, parts.hostname, port)
    private = [a for a in addresses if not is_public(a)]
    if private and not allow_private:
        raise UnsafeTarget(
            f"{parts.hostname} resolves to a loopback, private or link-local address ({private[0]}): "
            "use a public URL (or set FEEDBACKWIDGET_ALLOW_PRIVATE_WEBHOOKS for an intranet)"
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


def _resolve(resolve: Resolver, host: str, port: int) -> list[str]:
    try:
        addresses = resolve(host, port)
    except socket.gaierror as err:
        raise UnresolvedHost(f"{host!r} does not resolve ({err}): check the host name") from err
    if not addresses:
        raise UnresolvedHost(f"{host!r} does not resolve: check the host name")
    return addresses


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address, still checking the certificate for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(
    target: Target, body: bytes, headers: dict[str, str], timeout: float, context: ssl.SSLContext | None = None
) -> tuple[int, str]:
    """POST *body* to *target* (no redirects followed); the status and the start of the reply.

    :param context: TLS settings (default: the system's CAs, host name checked).
    """
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target.host, target.address, target.port, timeout,
                                            context or ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(target.host, target.address, target.port, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(500).decode("utf-8", "replace")
    finally:
        connection.close()
