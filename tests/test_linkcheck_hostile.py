"""check-links against hostile servers (issue 19, item 3), all on 127.0.0.x (tests/linkserver.py).

A page built to make title extraction quadratic, a body dripped a byte at a time, charsets and
Retry-After headers that are not what they claim, compressed answers and gzip bombs, and
cited URLs pointing at loopback and private addresses.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from click.testing import CliRunner
from linkserver import HOSTILE_SIZE, LinkServer
from test_linkcheck import fetch_config, make_document

from citetrace.db.links.addresses import GuardedBackend, PrivateAddress, is_public
from citetrace.db.links.fetch import Fetcher, retry_after
from citetrace.db.links.run import RunOptions, run
from citetrace.db.links.verdict import page_title, says_not_found
from citetrace.db.store import open_db, write_document


@pytest.fixture()
def server():
    s = LinkServer(2).start()
    yield s
    s.stop()


def _db(tmp_path, urls, name="hostile.db"):
    db = open_db(str(tmp_path / name))
    write_document(db, make_document([{"url": u} for u in urls]), "test")
    return db


def _rows(db) -> dict[str, dict]:
    return {r["url"]: r for r in db.query("select * from link_checks order by id")}


# --- title extraction -------------------------------------------------------------------

N = 64 * 1024
HOSTILE_SHAPES = {  # each took seconds (quadratic) at this size, minutes at 256 KiB
    "title of '<'": "<title>" + "<" * N,
    "closed title of '<'": "<title>" + "<" * N + "</title>",
    "'<title' repeated": "<title" * (N // 6),
    "'<h1>' repeated": "<h1>" * (N // 4),
    "'<script>' repeated": "<script>" * (N // 8),
    "'<script></script ' repeated": "<script></script " * (N // 17),
}


@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
def test_title_and_soft_404_scans_are_linear(shape):
    body = HOSTILE_SHAPES[shape] * 4  # 256 KiB: linear is milliseconds
    started = time.process_time()
    title = page_title(body)
    says_not_found(title, body)
    assert time.process_time() - started < 0.25, shape
    assert title is None or len(title) <= 300


def test_title_extraction_still_reads_real_pages():
    assert page_title("<TITLE lang=en>Page <b>not</b> found</Title >") == "Page not found"
    assert page_title("<titles>x</titles><title>y</title>") == "y"
    assert page_title("<title>unclosed") is None
    assert says_not_found("Ministry", "<h1 class=x>Sorry, page not found</h1>")
    assert says_not_found("Ministry", "<script>x = '<p>'</script><p>Page not found</p>")
    assert not says_not_found("Ministry", "<script>page not found</script><p>Hello</p>")


def test_hostile_title_page_keeps_the_budget(tmp_path, server):
    urls = [server.url("/hostile-title"), server.url("/ok", host=1)]
    db = _db(tmp_path, urls)
    started = time.monotonic()
    summary = run(db, RunOptions(budget=10, archive=False, fetch=fetch_config(timeout=5)))
    assert time.monotonic() - started < 5  # was 48 s of CPU in the event loop
    assert summary.checked == 2
    row = _rows(db)[urls[0]]
    assert row["verdict"] == "ok" and row["title"] == "<" * 300


# --- whole-response timeout -------------------------------------------------------------

def test_timeout_bounds_a_dripping_response(tmp_path, server):
    # One slot per host: the drip must give it back within --timeout for /ok to be checked.
    urls = [server.url("/drip"), server.url("/ok")]
    db = _db(tmp_path, urls)
    started = time.monotonic()
    summary = run(db, RunOptions(budget=20, archive=False, fetch=fetch_config(
        timeout=1, retries=0, per_host=1)))
    elapsed = time.monotonic() - started
    assert summary.checked == 2 and summary.out_of_budget == 0
    assert elapsed < 5  # HEAD + one GET of at most 1 s each; was: until the budget
    rows = _rows(db)
    drip = rows[urls[0]]
    assert (drip["verdict"], drip["error_kind"], drip["method"]) == ("unreachable", "timeout", "GET")
    assert "no complete answer within 1s" in drip["error"]
    assert rows[urls[1]]["verdict"] == "ok"


# --- headers that lie -------------------------------------------------------------------

def test_bad_charset_and_retry_after_are_per_url(tmp_path, server):
    urls = [server.url(p) for p in ("/bad-charset", "/codec-charset", "/retry-superscript", "/ok")]
    db = _db(tmp_path, urls)
    summary = run(db, RunOptions(budget=20, archive=False, fetch=fetch_config()))
    assert summary.checked == 4  # the run went on
    rows = _rows(db)
    assert rows[urls[0]]["title"] == "Charset unknown"  # read as UTF-8
    assert rows[urls[1]]["title"] == "Charset not text"
    busy = rows[urls[2]]
    assert (busy["verdict"], busy["status"], busy["attempts"]) == ("unreachable", 503, 3)
    assert rows[urls[3]]["verdict"] == "ok"


def test_retry_after_reads_ascii_digits_and_dates_only():
    assert retry_after("\u00b2") is None and retry_after("\u0663") is None  # '²', Arabic 3
    assert retry_after("12") == 12.0
    assert retry_after("Mon, 99 Foo 99999 99:99:99 GMT") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_an_unexpected_failure_is_that_urls_error(tmp_path):
    class Broken(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            raise RuntimeError("parser exploded")

    db = _db(tmp_path, ["http://93.184.215.14/a", "http://93.184.215.14/b"])
    summary = run(db, RunOptions(budget=10, archive=False, transport=Broken(),
                                 fetch=fetch_config(allow_private=False)))
    assert summary.checked == 2 and summary.verdicts == {"unreachable": 2}
    for row in _rows(db).values():
        assert (row["error_kind"], row["error"]) == ("other", "RuntimeError: parser exploded")


# --- compressed answers -----------------------------------------------------------------

def test_compressed_pages_are_decoded_for_soft_404_and_titles(tmp_path, server):
    urls = [server.url(p) for p in ("/gzip-soft", "/deflate-soft", "/zlib-ok", "/missing")]
    db = _db(tmp_path, urls)
    run(db, RunOptions(budget=20, archive_api=server.url("/wayback-gzip/available"),
                       fetch=fetch_config()))
    rows = _rows(db)
    for url in urls[:2]:
        assert rows[url]["verdict"] == "soft-404", url
        assert rows[url]["title"] == "Page not found | Ministry of Water"
    assert (rows[urls[2]]["verdict"], rows[urls[2]]["title"]) == ("ok", "Compressed report")
    # The archive's answer is gzip too: parsed, not an error.
    archives = {r["url"]: r for r in db.query("select * from link_archives")}
    assert set(archives) == {urls[0], urls[1], urls[3]}
    assert all(r["error"] is None for r in archives.values())


def test_gzip_bomb_and_endless_body_stay_bounded(server):
    async def go():
        async with Fetcher(fetch_config(timeout=5)) as fetcher:
            return [await fetcher.check(server.url(p)) for p in ("/gzip-bomb", "/endless")]

    started = time.monotonic()
    bomb, endless = asyncio.run(go())
    assert time.monotonic() - started < 5
    for r in (bomb, endless):
        assert r.status == 200 and r.error_kind is None
        assert len(r.body) == HOSTILE_SIZE  # max_body decoded, not 64 MiB
    assert page_title(bomb.body) == "Bomb"


# --- private addresses ------------------------------------------------------------------

def test_public_and_private_addresses():
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "0.0.0.0", "100.64.0.1", "::1", "fe80::1%eth0", "fc00::1",
                    "::ffff:127.0.0.1", "224.0.0.1", "not an address"):
        assert not is_public(address), address
    for address in ("93.184.215.14", "2606:4700::1", "::ffff:8.8.8.8"):
        assert is_public(address), address


def test_private_addresses_are_refused_by_default(tmp_path, server):
    port = server.port(server.hosts[0])
    urls = [server.url("/ok"), f"http://localhost:{port}/ok", f"http://[::ffff:127.0.0.1]:{port}/ok"]
    db = _db(tmp_path, urls)
    summary = run(db, RunOptions(budget=10, archive_api=server.url("/wayback/available"),
                                 fetch=fetch_config(allow_private=False)))
    assert summary.verdicts == {"unreachable": 3}
    assert server.stats.count() == 0  # nothing reached the server, not even the archive API
    rows = _rows(db)
    for url in urls:
        row = rows[url]
        assert (row["error_kind"], row["status"], row["title"]) == ("private", None, None), url
        assert "is a private or loopback address: not checked" in row["error"]
    assert "localhost (127.0.0.1)" in rows[urls[1]]["error"]  # refused after resolution
    lookups = list(db.query("select error from link_archives"))
    assert lookups and all("PrivateAddress" in r["error"] for r in lookups)


def test_a_redirect_to_a_private_address_is_refused(tmp_path):
    seen = []

    def answer(request):
        seen.append(str(request.url))
        if request.url.host == "93.184.215.14":
            return httpx.Response(302, headers={"Location": "http://10.0.0.7/admin"})
        return httpx.Response(200, html="<title>Intranet</title>")

    db = _db(tmp_path, ["http://93.184.215.14/report"])
    run(db, RunOptions(budget=10, archive=False, transport=httpx.MockTransport(answer),
                       fetch=fetch_config(allow_private=False)))
    assert all("10.0.0.7" not in u for u in seen)
    row = next(db.query("select * from link_checks"))
    assert (row["error_kind"], row["title"], row["final_url"]) == (
        "private", None, "http://10.0.0.7/admin")


def test_the_guard_resolves_names_itself(server):
    async def connect():
        await GuardedBackend().connect_tcp("localhost", server.port(server.hosts[0]))

    with pytest.raises(PrivateAddress, match=r"localhost \(127\.0\.0\.1\)"):
        asyncio.run(connect())
    assert server.stats.count() == 0


def test_cli_refuses_then_allows_private(tmp_path, server, monkeypatch):
    from citetrace.plugins.cli import cli

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "cli.db"
    url = server.url("/ok")
    _db(tmp_path, [url], "cli.db").conn.close()
    args = ["check-links", "--db", str(path), "--no-archive", "--delay", "0"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert f"unreachable private   {url}" in res.output
    assert server.stats.count() == 0
    res = CliRunner().invoke(cli, args + ["--allow-private"])
    assert res.exit_code == 0 and "checked 1 URLs (1 ok)" in res.output
    assert server.stats.count() == 2  # HEAD, then GET for the title
