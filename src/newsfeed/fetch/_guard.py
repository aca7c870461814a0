"""The SSRF guard: which URLs and addresses newsfeed may connect to.

A URL is refused unless its scheme is http or https and every address its host resolves to
is public. The check runs on the first URL and on every redirect hop, and again inside the
connection itself (``GuardedBackend``): the socket is opened to the very address that was
checked, so a DNS answer that changes between the check and the connect (DNS rebinding)
cannot smuggle a private address in.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import httpcore

from newsfeed.errors import BlockedURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses are allowed: public ones, plus ``allowed`` networks, or all."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def build(cls, allow_private: bool, networks: Iterable[str]) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in networks))

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` is refused, or None when it is allowed."""
        if self.allow_private or any(address in net for net in self.allowed):
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return self.refusal(address.ipv4_mapped)
        for test, label in _KINDS:
            if test(address):
                return label
        return None


_KINDS = (
    (lambda a: a.is_loopback, "a loopback address"),
    (lambda a: a.is_link_local, "a link-local address"),
    (lambda a: a.is_multicast, "a multicast address"),
    (lambda a: a.is_unspecified, "an unspecified address"),
    (lambda a: a.is_reserved, "a reserved address"),
    (lambda a: a.is_private, "a private address"),
    (lambda a: not a.is_global, "a non-public address"),
)


def check_scheme(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL; anything else is refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURLError(f"{url!r} is not a valid URL ({exc})", url=url) from None
    if parts.scheme not in ("http", "https"):
        raise BlockedURLError(f"refusing {url!r}: only http and https URLs can be fetched", url=url)
    if not parts.hostname:
        raise BlockedURLError(f"refusing {url!r}: the URL has no host", url=url)
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def resolve(host: str, port: int, policy: AddressPolicy, url: str) -> list[str]:
    """Resolve ``host`` and check every address; return them, or refuse the URL."""
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise BlockedURLError(f"cannot resolve host {host!r} of {url}: {exc}", url=url) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise BlockedURLError(f"host {host!r} of {url} has no address", url=url)
    for text in addresses:
        why = policy.refusal(ipaddress.ip_address(text.split("%", 1)[0]))
        if why:
            where = f"{host} is" if host.strip("[]") == text else f"{host} resolves to {text},"
            raise BlockedURLError(
                f"refusing {url}: {where} {why} "
                "(allow it explicitly in the fetch options if this is intended)",
                url=url,
            )
    return addresses


async def check_url(url: str, policy: AddressPolicy) -> list[str]:
    """Refuse non-http(s) URLs and hosts that resolve to a forbidden address."""
    host, port = check_scheme(url)
    return await resolve(host, port, policy, url)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows.

    It resolves the host itself, checks every answer, and opens the socket to a checked
    address; TLS still verifies the certificate against the host name.
    """

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port, self._policy, f"//{host}:{port}")
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedURLError(f"refusing to connect to the unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
