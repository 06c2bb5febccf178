"""Which addresses check-links may reach: public ones, unless ``--allow-private``.

Cited URLs come from PDFs anyone may have written. Without this rule a report could make the
checker request ``http://127.0.0.1:8001/-/...``, a router at 192.168.0.1 or a cloud metadata
service, and publish the answer's title on ``/health``. The rule holds where it cannot be
dodged: on the address every connection the checker opens really goes to, after DNS
resolution (a name resolving to 10.0.0.1, DNS rebinding, a redirect to ``http://localhost/``
are refused there). Through a proxy, or with another transport, the checker resolves the
name itself before the request and refuses private answers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.request

import httpcore
import httpx


class PrivateAddress(Exception):
    """A URL's host is (or resolves to) a loopback, private, link-local or reserved address."""

    def __init__(self, host: str, address: str):
        self.host, self.address = host, address
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"{shown} is a private or loopback address: not checked "
                         "(check-links --allow-private checks it)")


def is_public(address: str) -> bool:
    """Globally routable unicast (IPv4-mapped IPv6 judged as its IPv4 address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: scope dropped
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def literal(host: str) -> str | None:
    """The address when ``host`` is an IP literal (``[::1]`` included), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver, off the event loop)."""
    if (ip := literal(host)) is not None:
        return [ip]
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def refuse_private(host: str, addresses: list[str]) -> None:
    # Any private answer refuses the name: a name that resolves both ways is a trick.
    for address in addresses:
        if not is_public(address):
            raise PrivateAddress(host, address)


def proxied(url: httpx.URL, trust_env: bool) -> bool:
    """Whether httpx sends this URL through a proxy from the environment (then the proxy,
    not our socket, connects to the host)."""
    if not trust_env:
        return False
    proxies = urllib.request.getproxies()
    return bool(proxies.get(url.scheme) or proxies.get("all")) and not urllib.request.proxy_bypass(
        url.host)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to public addresses it resolved itself."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None):
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None,
                          socket_options=None):
        try:
            addresses = await asyncio.wait_for(resolve(host, port), timeout)
        except asyncio.TimeoutError as e:
            raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout}s") from e
        except OSError as e:  # socket.gaierror: classify_error finds it in the cause chain
            raise httpcore.ConnectError(str(e)) from e
        refuse_private(host, addresses)
        error: Exception | None = None
        for address in addresses:  # the vetted address, never the name again
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address,
                                                     socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
        raise error or httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are not checked")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(verify: bool, trust_env: bool, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(verify=verify, trust_env=trust_env, limits=limits)
    # httpx takes no network backend; its pool (httpcore's public API) does. The pool is
    # rebuilt with the same settings httpx gives it, and the guarded backend.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=verify, trust_env=trust_env),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(),
    )
    return transport
