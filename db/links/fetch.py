"""The polite async HTTP checker (httpx).

Politeness rules (README "Cited-source health"):

* at most ``per_host`` requests in flight to one host name, ``concurrency`` in all;
* at least ``delay`` seconds between the starts of two requests to one host;
* HEAD first; GET only when HEAD is refused or fails, or to read an HTML page's title;
  a GET reads at most ``max_body`` bytes (HTML only; other bodies are not read), decoded
  from gzip / deflate with the same bound on the decoded size (a gzip bomb stops there);
* ``timeout`` bounds each request whole, from sending it to the body's last byte read (a
  server dripping a byte a second does not hold a host's slot until the budget is spent);
* loopback, private, link-local and reserved addresses are refused (``allow_private``
  lets them be checked; db.links.addresses says where the rule is applied);
* redirects are followed by hand (each hop is a request under the same rules), at most
  ``max_redirects``;
* timeouts, 429 and 503 are retried ``retries`` times with exponential backoff, waiting at
  least what ``Retry-After`` asks (a 429/503 also holds back the whole host); a
  ``Retry-After`` longer than ``max_retry_after`` is not waited for;
* a clear User-Agent; no cookies kept or sent; nothing but the request line and headers.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urlsplit

import httpx

from citetrace.db.links.addresses import PrivateAddress, guarded_transport, literal, proxied, refuse_private, resolve

USER_AGENT = ("citetrace-linkcheck/0.1 (checks that sources cited in reports are still "
              "online; one request per URL and run)")
RETRY_STATUSES = {429, 503}


@dataclass
class FetchConfig:
    concurrency: int = 20
    per_host: int = 2
    delay: float = 1.0  # seconds between request starts to one host
    timeout: float = 15.0  # per request, whole: connect, headers and body together
    retries: int = 2
    backoff: float = 1.0  # first retry wait; doubles each time
    max_retry_after: float = 60.0
    max_redirects: int = 10
    max_body: int = 256 * 1024
    user_agent: str = USER_AGENT
    trust_env: bool = True  # honour HTTP(S)_PROXY / NO_PROXY
    verify: bool = True
    allow_private: bool = False  # check loopback / private addresses too (tests, intranets)


@dataclass
class FetchResult:
    url: str
    status: int | None = None
    final_url: str | None = None
    redirects: list[dict] = field(default_factory=list)  # [{"url", "status"}] of 3xx hops
    content_type: str | None = None
    body: str | None = None  # decoded start of an HTML body (GET only)
    error_kind: str | None = None
    error: str | None = None
    method: str = "HEAD"
    attempts: int = 0
    elapsed_ms: int = 0


class BudgetExhausted(Exception):
    """The run's time budget is spent: the check is abandoned, nothing is stored for it."""


class HostGate:
    """Per-host concurrency and spacing. ``next_start`` is the earliest next request start."""

    def __init__(self, limit: int, delay: float):
        self.sem = asyncio.Semaphore(limit)
        self.delay = delay
        self.next_start = 0.0

    async def wait_turn(self) -> None:
        # The next slot counts from when a request really goes, not from when it was
        # promised one: a busy event loop then delays requests but never bunches them.
        loop = asyncio.get_running_loop()
        while (now := loop.time()) < self.next_start:
            await asyncio.sleep(self.next_start - now)
        self.next_start = now + self.delay

    def hold_back(self, seconds: float) -> None:
        """A 429/503 throttles the host for everyone, not just the request that got it."""
        self.next_start = max(self.next_start, asyncio.get_running_loop().time() + seconds)


def classify_error(exc: BaseException) -> str:
    """dns, timeout, tls, refused, private, redirects, invalid or other, from an exception."""
    if isinstance(exc, PrivateAddress):
        return "private"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return "invalid"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirects"
    seen, e = set(), exc
    messages = []
    while e is not None and id(e) not in seen:  # httpx -> httpcore -> OSError chain
        seen.add(id(e))
        if isinstance(e, socket.gaierror):
            return "dns"
        if isinstance(e, (ssl.SSLError, ssl.CertificateError)):
            return "tls"
        if isinstance(e, ConnectionRefusedError):
            return "refused"
        if isinstance(e, (TimeoutError, socket.timeout)):
            return "timeout"
        messages.append(str(e).lower())
        e = e.__cause__ or e.__context__
    text = " ".join(messages)
    if any(s in text for s in ("name or service not known", "nodename nor servname",
                               "name resolution", "getaddrinfo", "no address associated")):
        return "dns"
    if any(s in text for s in ("ssl", "certificate", "tls")):
        return "tls"
    if "refused" in text or "errno 111" in text:
        return "refused"
    return "other"


def retry_after(value: str | None) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,9}", value):  # ASCII digits: str.isdigit() takes '²' too
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None  # not a delay we understand: the backoff applies


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_html(content_type: str | None) -> bool:
    ct = (content_type or "").lower()
    return not ct or "html" in ct


ACCEPT_ENCODING = "gzip, deflate"  # what _Decoder decodes under a bound (no br, no zstd)


class _Decoder:
    """Content-Encoding decoding with a bound on the output (``zlib``'s ``max_length``): a
    64 KiB chunk of a gzip bomb never becomes 64 MB in memory."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        gzip = encoding in ("gzip", "x-gzip")
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else (
            zlib.decompressobj() if encoding == "deflate" else None)
        self._raw_deflate_tried = False

    @classmethod
    def of(cls, header: str | None) -> "_Decoder | None":
        """None for an encoding (or a chain of them) that is not decoded here."""
        encoding = (header or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            return None
        return cls(encoding)

    def decode(self, data: bytes, max_length: int) -> bytes:
        if self._z is None:
            return data[:max_length]
        try:
            return self._z.decompress(data, max_length)
        except zlib.error:
            # "deflate" is often sent without its zlib header: retry raw, once, from the start.
            if self.encoding != "deflate" or self._raw_deflate_tried:
                raise
            self._raw_deflate_tried = True
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._z.decompress(data, max_length)


def _text(raw: bytes, charset: str | None) -> str:
    """Bytes as text in the declared charset, UTF-8 when it is unknown or not a text codec."""
    try:
        return raw.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


class Fetcher:
    """One client, one set of gates, shared by every check and archive lookup of a run."""

    def __init__(self, config: FetchConfig, deadline: float | None = None,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.config = config
        self.deadline = deadline  # loop.time() after which nothing new starts
        self._transport = transport
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(config.concurrency)
        self.client: httpx.AsyncClient | None = None
        self.requests = 0

    async def __aenter__(self) -> "Fetcher":
        c = self.config
        limits = httpx.Limits(max_connections=c.concurrency,
                              max_keepalive_connections=c.concurrency)
        transport = self._transport
        if transport is None and not c.allow_private:
            transport = guarded_transport(c.verify, c.trust_env, limits)
        self.client = httpx.AsyncClient(
            headers={"User-Agent": c.user_agent, "Accept": "*/*",
                     "Accept-Encoding": ACCEPT_ENCODING},
            # No cookie is kept or sent back: a check is not a visit (README, privacy).
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            timeout=httpx.Timeout(c.timeout),
            follow_redirects=False,
            trust_env=c.trust_env,
            verify=c.verify,
            transport=transport,
            limits=limits,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    def gate(self, host: str) -> HostGate:
        if host not in self._gates:
            self._gates[host] = HostGate(self.config.per_host, self.config.delay)
        return self._gates[host]

    def _remaining(self) -> float:
        if self.deadline is None:
            return float("inf")
        return self.deadline - asyncio.get_running_loop().time()

    async def _once(self, method: str, url: str, read: str | None, params=None):
        """One request under the gates: (response, body text or None).

        ``read``: None (headers only), "html" (the start of an HTML body) or "any".
        """
        request = self.client.build_request(method, url, params=params)
        await self._vet(request.url)  # before the gates: a refusal costs the host no turn
        gate = self.gate(host_of(url))
        async with gate.sem:
            async with self._global:
                await gate.wait_turn()
                if self._remaining() <= 0:
                    raise BudgetExhausted()
                self.requests += 1
                try:
                    async with asyncio.timeout(self.config.timeout):
                        return await self._exchange(request, method, read)
                except TimeoutError as e:  # the whole exchange, not one read, took too long
                    raise httpx.ReadTimeout(
                        f"no complete answer within {self.config.timeout:g}s",
                        request=request) from e

    async def _vet(self, url: httpx.URL) -> None:
        """Refuse private addresses the guarded connections cannot see: literals (whatever
        the transport) and names a proxy would resolve."""
        if self.config.allow_private:
            return
        if (ip := literal(url.host)) is not None:
            refuse_private(url.host, [ip])
        elif proxied(url, self.config.trust_env):
            try:
                addresses = await resolve(url.host, url.port or 443)
            except OSError:
                return  # the proxy answers for names it cannot resolve either
            refuse_private(url.host, addresses)

    async def _exchange(self, request: httpx.Request, method: str, read: str | None):
        response = await self.client.send(request, stream=True)
        try:
            body = None
            if method == "GET" and read and response.status_code < 300 and (
                    read == "any" or _is_html(response.headers.get("content-type"))):
                body = await self._read(response)
        finally:
            await response.aclose()
        return response, body

    async def _read(self, response: httpx.Response) -> str | None:
        """The start of the decoded body: at most max_body bytes read and max_body decoded."""
        decoder = _Decoder.of(response.headers.get("content-encoding"))
        if decoder is None:
            return None
        limit = self.config.max_body
        chunks, size, read = [], 0, 0
        try:
            async for chunk in response.aiter_raw():
                read += len(chunk)
                data = decoder.decode(chunk, limit - size)
                chunks.append(data)
                size += len(data)
                if size >= limit or read >= limit:
                    break
        except zlib.error:
            pass  # corrupt compressed data: what decoded before it is the body
        return _text(b"".join(chunks), response.charset_encoding)

    async def request(self, method: str, url: str, read: str | None = None, params=None):
        """One hop with retries: (response or None, body, exception or None, attempts)."""
        c = self.config
        attempt = 0
        while True:
            attempt += 1
            exc = response = body = None
            try:
                response, body = await self._once(method, url, read, params)
            except BudgetExhausted:
                raise
            except (httpx.HTTPError, httpx.InvalidURL, PrivateAddress) as e:
                exc = e
            retryable = (exc is not None and classify_error(exc) == "timeout") or (
                response is not None and response.status_code in RETRY_STATUSES)
            if not retryable or attempt > c.retries:
                return response, body, exc, attempt
            wait = c.backoff * 2 ** (attempt - 1)
            if response is not None:
                asked = retry_after(response.headers.get("retry-after"))
                if asked is not None:
                    if asked > c.max_retry_after:
                        return response, body, exc, attempt
                    wait = max(wait, asked)
                self.gate(host_of(url)).hold_back(wait)
            if wait >= self._remaining():
                return response, body, exc, attempt
            await asyncio.sleep(wait)

    async def follow(self, method: str, url: str, result: FetchResult) -> FetchResult:
        """Follow redirects from ``url``, recording each 3xx hop into ``result``."""
        seen = {hop["url"] for hop in result.redirects}
        current = url
        result.method = method
        while True:
            response, body, exc, attempts = await self.request(method, current, read="html")
            result.attempts = attempts
            result.final_url = current
            if exc is not None:
                result.status = None
                result.error_kind = classify_error(exc)
                result.error = f"{type(exc).__name__}: {exc}"[:500]
                return result
            status = response.status_code
            location = response.headers.get("location")
            if 300 <= status < 400 and location:
                result.redirects.append({"url": current, "status": status})
                seen.add(current)
                try:
                    current = str(response.url.join(location))
                except httpx.InvalidURL as e:
                    result.status, result.error_kind, result.error = status, "invalid", str(e)
                    return result
                if current in seen or len(result.redirects) > self.config.max_redirects:
                    result.status, result.final_url = status, current
                    result.error_kind = "redirects"
                    result.error = ("redirect loop" if current in seen
                                    else f"more than {self.config.max_redirects} redirects")
                    return result
                continue
            result.status = status
            result.content_type = response.headers.get("content-type")
            result.body = body
            result.error_kind = "http" if status >= 400 else None
            result.error = f"HTTP {status}" if status >= 400 else None
            return result

    async def check(self, url: str) -> FetchResult:
        """HEAD, then GET when HEAD fails or the page is HTML (to read its title).

        Whatever goes wrong with one URL is that URL's error, never the run's."""
        started = time.monotonic()
        try:
            result = await self._check(url)
        except BudgetExhausted:
            raise
        except Exception as e:  # noqa: BLE001 - a hostile server must not end the run
            result = FetchResult(url, final_url=url, error_kind="other",
                                 error=f"{type(e).__name__}: {e}"[:500])
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        return result

    async def _check(self, url: str) -> FetchResult:
        result = await self.follow("HEAD", url, FetchResult(url))
        if result.error_kind is None and result.status is not None and result.status < 300:
            if _is_html(result.content_type):
                # Same page by GET, keeping the hops HEAD already followed.
                result = await self.follow("GET", result.final_url, result)
        elif result.error_kind in ("redirects", "other") or (
                result.status is not None and result.status >= 400
                and result.status not in RETRY_STATUSES):
            # Servers often mishandle HEAD (405, 403, 404, loops): ask again with GET.
            # Not after a 429/503 the retries did not get past: that would be impolite.
            result = await self.follow("GET", url, FetchResult(url))
        return result

    async def get_json(self, url: str, params: dict) -> object:
        """GET a JSON document (the archive's availability API) under the same rules."""
        response, body, exc, _ = await self.request("GET", url, read="any", params=params)
        if exc is not None:
            raise exc
        if response.status_code >= 300:
            raise httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request,
                                        response=response)
        return json.loads(body or "null")
