"""Where a webhook may be sent. A subscriber names any URL, so the service must not be
made to POST into its own host or the cloud's metadata service: a URL whose host is, or
resolves to, a loopback, link-local, unspecified or multicast address is refused —
unless the deployment allows it (WEBHOOK_ALLOW_LOCAL_TARGETS, for tests and a
single-host set-up). The check runs at registration and again before each delivery
(a name may resolve elsewhere later)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from shared.errors import InvalidInput

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _is_local(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
    )


def _refused(url: str, why: str) -> InvalidInput:
    return InvalidInput("#/url", "webhook_target", f"{url} cannot be a webhook: {why}")


def check_url(url: str, *, allow_local: bool) -> None:
    """Refuses (422) a URL that is not http(s), or names a local host or address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refused(url, "only http and https URLs with a host")
    if parts.username or parts.password:
        raise _refused(url, "credentials in the URL would be logged and stored")
    if allow_local:
        return
    host = parts.hostname.rstrip(".").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        raise _refused(url, "a local host name")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    if _is_local(address):
        raise _refused(url, "a loopback, link-local or unspecified address")


async def check_resolved(url: str, *, allow_local: bool) -> None:
    """Refuses (InvalidInput) a URL whose host resolves to a local address now."""
    check_url(url, allow_local=allow_local)
    if allow_local:
        return
    parts = urlsplit(url)
    assert parts.hostname is not None  # noqa: S101 - check_url refused a URL without
    infos = await asyncio.get_running_loop().getaddrinfo(
        parts.hostname, parts.port or 443, type=socket.SOCK_STREAM
    )
    for info in infos:
        if _is_local(ipaddress.ip_address(info[4][0])):
            raise _refused(url, "its host resolves to a local address")
