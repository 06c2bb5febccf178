"""Cited-source health (issue 9): check-links against a real HTTP server on 127.0.0.x.

The server (tests/linkserver.py) binds loopback addresses only; DNS failures are simulated
with an httpx transport, so no test touches any other address.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time

import httpx
import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.links.archive import is_archive_url, original_of, parse_availability, wayback_timestamp
from citetrace.db.links.fetch import FetchConfig, classify_error, retry_after
from citetrace.db.links.run import RunOptions, make_plan, run
from citetrace.db.links.verdict import page_title, same_site, says_not_found, verdict_for
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Claim, Document, Footnote, Marker, PageInfo, Passage
from linkserver import LinkServer
from servers import free_port

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (50.0, 100.0, 500.0, 140.0)
PERMA = "https://perma.cc/ABCD-1234"
PERMA_ONLY = "https://perma.cc/ZZZZ-9999"


def make_document(cites: list[dict], sha: str = "1" * 64, claims: list[tuple[str, list[int]]] = ()):
    """One note per citation dict (url, archive_url, key, short_form/refers_to...)."""
    text = " ".join(c for c, _ in claims) or "Body."
    footnotes, citations = [], []
    for i, c in enumerate(cites):
        footnotes.append(Footnote(str(i + 1), 1, "footnote", c.get("text", f"Note {i + 1}"), BOX))
        citations.append(Citation(
            i, 0, c.get("text", f"Note {i + 1}"), kind="web", url=c.get("url"),
            archive_url=c.get("archive_url"), title=c.get("title", f"Source {i + 1}"),
            source_key=c.get("key", f"url:{c['url']}" if c.get("url") else None),
            short_form=c.get("short_form"), refers_to=c.get("refers_to")))
    model_claims, start = [], 0
    for sentence, notes in claims:
        model_claims.append(Claim(0, start, start + len(sentence), sentence, "cited", 0.9,
                                  notes=notes))
        start += len(sentence) + 1
    return Document(
        path="/r/report.pdf", sha256=sha, filename="report.pdf", title="Water report",
        page_count=1, pages=[PageInfo(1, 612, 792)],
        passages=[Passage(0, 1, "paragraph", text, BOX)],
        footnotes=footnotes,
        markers=[Marker(0, "1", 1, 0, 0, note=0)] if footnotes else [],
        citations=citations, claims=model_claims,
    )


def fetch_config(**kw) -> FetchConfig:
    base = dict(timeout=0.5, retries=2, backoff=0.1, delay=0.02, per_host=2, concurrency=10,
                trust_env=False,  # never a proxy from the environment: loopback only
                allow_private=True)  # the test server is on 127.0.0.x
    base.update(kw)
    return FetchConfig(**base)


# --- the main scenario ------------------------------------------------------------------

CASES = {  # name -> path on host 0
    "ok": "/ok", "pdf": "/pdf", "redirect": "/old", "trail": "/trail", "moved": "/moved",
    "deep": "/deep/page", "missing": "/missing", "gone": "/gone", "soft": "/soft",
    "softbody": "/soft-body", "slow": "/slow", "throttle": "/throttle", "busy": "/busy",
    "head405": "/head405", "forbidden": "/forbidden", "loop": "/loop",
}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    server = LinkServer(2).start()
    urls = {name: server.url(path) for name, path in CASES.items()}
    urls["refused"] = f"http://127.0.0.1:{free_port()}/report"
    urls["tls"] = server.url("/ok").replace("http://", "https://")
    wayback_cited = "https://web.archive.org/web/20190101000000/" + server.url("/missing?v=2")
    snapshot = "http://web.archive.org/web/20240101000000/" + urls["missing"]
    server.app.snapshots[urls["missing"]] = (snapshot, "20240101000000")

    cites = [{"url": u, "key": f"url:{name}", "title": f"Source {name}",
              **({"archive_url": PERMA} if name == "gone" else {})} for name, u in urls.items()]
    cites.append({"url": wayback_cited, "key": "url:wayback-cited", "title": "Wayback cited"})
    cites.append({"url": PERMA_ONLY, "key": "url:perma-only", "title": "Perma only"})
    cites.append({"url": server.url("/pdf?no-source"), "key": None, "title": "No source"})
    names = list(urls) + ["wayback-cited", "perma-only", "no-source"]
    missing_note = names.index("missing")
    cites.append({"text": "Ibid.", "short_form": "ibid", "refers_to": missing_note,
                  "key": None, "url": None})
    ibid_note = len(cites) - 1
    claims = [("Tariffs rose 40% in 2021.", [missing_note]),
              ("Arrears fell by half.", [names.index("ok")]),
              ("Connections doubled.", [ibid_note])]

    path = tmp_path_factory.mktemp("links") / "links.db"
    db = open_db(str(path))
    doc_id = write_document(db, make_document(cites, claims=claims), "test")
    # History: /gone was fine in January, dead since February.
    db["link_checks"].insert_all([
        {"url": urls["gone"], "checked_at": "2024-01-01T00:00:00+00:00", "verdict": "ok",
         "status": 200},
        {"url": urls["gone"], "checked_at": "2024-02-01T00:00:00+00:00", "verdict": "dead",
         "status": 410, "error_kind": "http"},
    ])
    options = RunOptions(budget=60, archive_api=server.url("/wayback/available"),
                         fetch=fetch_config())
    reported = []
    started = time.monotonic()
    summary = run(db, options, report=lambda t, row: reported.append(row))
    elapsed = time.monotonic() - started
    ingested_at = db.execute("select ingested_at from documents").fetchone()[0]
    sources = {r["key"][4:]: r["id"] for r in db.query("select id, key from sources")}
    yield {"server": server, "urls": urls, "db": db, "path": path, "summary": summary,
           "elapsed": elapsed, "reported": reported, "sources": sources, "doc_id": doc_id,
           "snapshot": snapshot, "wayback_cited": wayback_cited, "ingested_at": ingested_at}
    server.stop()


def latest(sc, name):
    url = sc["urls"][name]
    rows = list(sc["db"].query(
        "select * from link_checks where url = ? order by checked_at desc, id desc limit 1", [url]))
    assert rows, name
    row = rows[0]
    row["redirects"] = json.loads(row["redirects"] or "[]")
    return row


def health(sc, name):
    return next(sc["db"].query("select * from source_health where source_id = ?",
                               [sc["sources"][name]]))


EXPECTED = {
    "ok": "ok", "pdf": "ok", "redirect": "redirected", "trail": "ok", "moved": "moved",
    "deep": "soft-404", "missing": "dead", "gone": "dead", "soft": "soft-404",
    "softbody": "soft-404", "slow": "unreachable", "throttle": "ok", "busy": "unreachable",
    "head405": "ok", "forbidden": "unreachable", "loop": "unreachable",
    "refused": "unreachable", "tls": "unreachable",
}


def test_every_verdict(scenario):
    for name, verdict in EXPECTED.items():
        assert latest(scenario, name)["verdict"] == verdict, name
        assert health(scenario, name)["verdict"] == verdict, name
    s = scenario["summary"]
    # 18 cases + the Wayback-cited URL + the citation without a source; perma.cc-only skipped
    assert s.checked == 20 and s.out_of_budget == 0
    assert [t.url for t, _ in s.plan.skipped] == [PERMA_ONLY]
    assert sum(s.verdicts.values()) == 20
    assert len(scenario["reported"]) == 20


def test_ok_fields(scenario):
    row = latest(scenario, "ok")
    u = scenario["urls"]["ok"]
    assert (row["status"], row["final_url"], row["redirects"]) == (200, u, [])
    assert row["content_type"] == "text/html; charset=utf-8"
    assert row["title"] == "A report"
    assert row["method"] == "GET"  # HEAD said HTML: GET read the title
    assert row["error_kind"] is None and row["error"] is None
    assert row["attempts"] == 1 and row["elapsed_ms"] >= 0
    assert row["checked_url"] is None
    assert row["checked_at"] >= scenario["ingested_at"][:10]

    pdf = latest(scenario, "pdf")
    assert (pdf["method"], pdf["status"], pdf["content_type"], pdf["title"]) == (
        "HEAD", 200, "application/pdf", None)  # not HTML: HEAD was enough


def test_redirect_chains(scenario):
    u = scenario["urls"]
    r = latest(scenario, "redirect")
    base = u["redirect"].rsplit("/", 1)[0]
    assert r["redirects"] == [{"url": u["redirect"], "status": 301},
                              {"url": base + "/middle", "status": 302}]
    assert (r["status"], r["final_url"], r["title"]) == (200, base + "/new", "New home of the report")

    t = latest(scenario, "trail")  # a trailing slash is the same address
    assert t["redirects"] == [{"url": u["trail"], "status": 301}]
    assert t["final_url"] == u["trail"] + "/"

    m = latest(scenario, "moved")
    other = scenario["server"].url("/landing", host=1)
    assert m["final_url"] == other and m["final_url"].startswith("http://127.0.0.2:")
    assert m["redirects"] == [{"url": u["moved"], "status": 301}]
    assert m["title"] == "Elsewhere"

    d = latest(scenario, "deep")  # a deep link landing on the home page
    assert d["final_url"] == base + "/" and d["title"] == "Home"

    loop = latest(scenario, "loop")
    assert loop["error_kind"] == "redirects" and loop["error"] == "redirect loop"
    assert [h["status"] for h in loop["redirects"]] == [302, 302]


def test_dead_and_soft_404(scenario):
    for name, status in (("missing", 404), ("gone", 410)):
        row = latest(scenario, name)
        assert (row["status"], row["error_kind"], row["error"]) == (status, "http", f"HTTP {status}")
        assert row["method"] == "GET"  # HEAD failed: asked again with GET
    soft = latest(scenario, "soft")
    assert (soft["status"], soft["title"]) == (200, "Page not found | Ministry of Water")
    body = latest(scenario, "softbody")
    assert (body["status"], body["title"]) == (200, "Ministry of Water")
    assert latest(scenario, "head405")["method"] == "GET"
    srv = scenario["server"].stats
    assert srv.count("/head405", "HEAD") == 1 and srv.count("/head405", "GET") == 1


def test_network_errors(scenario):
    slow = latest(scenario, "slow")
    assert (slow["status"], slow["error_kind"], slow["attempts"]) == (None, "timeout", 3)
    assert slow["final_url"] == scenario["urls"]["slow"]
    refused = latest(scenario, "refused")
    assert (refused["status"], refused["error_kind"]) == (None, "refused")
    tls = latest(scenario, "tls")
    assert (tls["status"], tls["error_kind"]) == (None, "tls")
    assert "SSL" in tls["error"]
    forbidden = latest(scenario, "forbidden")
    assert (forbidden["status"], forbidden["error_kind"]) == (403, "http")


def test_retries_respect_retry_after(scenario):
    t = latest(scenario, "throttle")
    assert (t["status"], t["attempts"], t["method"]) == (200, 2, "HEAD")
    srv = scenario["server"].stats
    times = [s for (h, m, p, _), s in zip(srv.requests, _starts_in_order(srv)) if p == "/throttle"]
    assert len(times) == 2 and times[1] - times[0] >= 1.0  # Retry-After: 1
    busy = latest(scenario, "busy")
    assert (busy["status"], busy["attempts"], busy["method"]) == (503, 3, "HEAD")
    assert srv.count("/busy") == 3  # 1 + 2 retries, and no GET after a 503


def _starts_in_order(stats):
    """Start time of each request in stats.requests order (both lists append together)."""
    merged = sorted(t for ts in stats.starts.values() for t in ts)
    return merged


def test_user_agent_and_loopback_only(scenario):
    srv = scenario["server"].stats
    agents = {ua for _, _, _, ua in srv.requests}
    assert agents == {FetchConfig().user_agent}
    assert FetchConfig().user_agent.startswith("citetrace-linkcheck/")
    assert set(srv.starts) <= {"127.0.0.1", "127.0.0.2"}
    assert srv.cookies == []  # /ok sets one; it is never sent back


def test_archive_lookup(scenario):
    srv = scenario["server"].stats
    asked = {q["url"]: q for q in srv.archive_queries}
    u = scenario["urls"]
    stamp = scenario["ingested_at"][:10].replace("-", "")
    # Not ok and no printed copy: asked; ok: not asked; printed perma/Wayback: not asked.
    assert asked[u["missing"]]["timestamp"] == stamp
    for name in ("ok", "pdf", "trail", "throttle", "head405", "gone"):
        assert u[name] not in asked, name
    for name in ("redirect", "moved", "deep", "soft", "slow", "busy", "refused", "tls"):
        assert u[name] in asked, name
    assert not any("v=2" in q for q in asked)  # the Wayback-cited source has its copy
    rows = list(scenario["db"].query("select * from link_archives where url = ?", [u["missing"]]))
    assert len(rows) == 1
    r = rows[0]
    assert r["archive_url"] == "https://" + scenario["snapshot"][len("http://"):]
    assert (r["archive_timestamp"], r["archive_status"], r["target_date"], r["error"]) == (
        "20240101000000", "200", stamp, None)
    assert r["api"] == scenario["server"].url("/wayback/available")
    none = next(scenario["db"].query("select * from link_archives where url = ?", [u["soft"]]))
    assert none["archive_url"] is None and none["error"] is None

    h = health(scenario, "missing")
    assert h["wayback_url"] == r["archive_url"] and h["archive_url"] == r["archive_url"]
    assert h["wayback_timestamp"] == "20240101000000" and h["printed_archive_url"] is None
    assert scenario["summary"].snapshots == 1
    assert scenario["summary"].lookups == len(asked)


def test_printed_archive_links_are_paired(scenario):
    gone = health(scenario, "gone")
    assert gone["printed_archive_url"] == PERMA and gone["archive_url"] == PERMA
    assert gone["wayback_url"] is None
    wb = health(scenario, "wayback-cited")
    assert wb["verdict"] == "dead"  # the live URL inside the Wayback link was checked
    assert wb["printed_archive_url"] == scenario["wayback_cited"] == wb["archive_url"]
    row = next(scenario["db"].query("select * from link_checks where url = ?",
                                    [scenario["wayback_cited"]]))
    assert row["checked_url"] == scenario["server"].url("/missing?v=2")
    perma = health(scenario, "perma-only")
    assert (perma["verdict"], perma["archive_url"], perma["checks"]) == ("unchecked", PERMA_ONLY, 0)


def test_history_answers_when_it_died(scenario):
    h = health(scenario, "gone")
    assert h["checks"] == 3
    assert h["last_alive_at"] == "2024-01-01T00:00:00+00:00"
    assert h["failing_since"] == "2024-02-01T00:00:00+00:00"
    ok = health(scenario, "ok")
    assert ok["failing_since"] is None and ok["last_alive_at"] == ok["checked_at"]


def test_since_skips_recent_checks(scenario):
    plan = make_plan(scenario["db"], RunOptions(since_days=1))
    assert plan.to_check == [] and len(plan.recent) == 20
    plan = make_plan(scenario["db"], RunOptions(since_days=0))
    assert len(plan.to_check) == 20
    plan = make_plan(scenario["db"], RunOptions(document_id=scenario["doc_id"] + 1))
    assert plan.to_check == [] and plan.skipped == []


def test_canned_queries(scenario):
    from citetrace.plugins.metadata import canned_queries

    q = canned_queries()
    conn = scenario["db"].conn
    rows = conn.execute(q["claims_with_dead_sources"]["sql"]).fetchall()
    claims = sorted({r[-1] for r in rows})
    assert claims == ["Connections doubled.", "Tariffs rose 40% in 2021."]  # direct and ibid
    cur = conn.execute(q["documents_by_dead_sources"]["sql"])
    cols = [d[0] for d in cur.description]
    (doc,) = [dict(zip(cols, r)) for r in cur.fetchall()]
    # 18 cases + the Wayback-cited + the perma.cc-only source (unchecked)
    assert doc["sources_with_url"] == 20 and doc["checked"] == 19
    assert doc["dead"] == 6  # missing, gone, wayback-cited (404), deep, soft, softbody
    assert (doc["unreachable"], doc["moved"]) == (6, 1)  # slow busy forbidden loop refused tls
    assert doc["dead_share"] == round(6 / 19, 3)


# --- the pages --------------------------------------------------------------------------

def _get(path, url):
    async def go():
        ds = Datasette([str(path)])
        return await ds.client.get(url)

    return asyncio.run(go())


def test_pages_show_verdicts(scenario):
    path, sources = scenario["path"], scenario["sources"]
    dead = sources["missing"]
    page = _get(path, f"/links/-/citetrace/sources/{dead}")
    assert page.status_code == 200
    html = page.text
    assert 'class="ct-health ct-health-dead"' in html
    assert f"review/new?source_id={dead}&amp;tag=source-unavailable" in html
    assert "https://web.archive.org/web/20240101000000/" in html
    assert "HTTP 404" in html

    reader = _get(path, f"/links/-/citetrace/documents/{scenario['doc_id']}").text
    for verdict in ("dead", "moved", "soft-404", "unreachable", "redirected", "ok"):
        assert f"ct-health-{verdict}" in reader, verdict
    assert PERMA in reader  # printed archive copy as the "archived" link

    claim_id = next(scenario["db"].query(
        "select id from claims where text like 'Tariffs%'"))["id"]
    trace = _get(path, f"/links/-/citetrace/claims/{claim_id}").text
    assert "ct-health-dead" in trace and "source-unavailable" in trace

    hp = _get(path, "/links/-/citetrace/health")
    assert hp.status_code == 200
    assert "Source health" in hp.text and 'data-verdict="dead"' in hp.text
    only = _get(path, "/links/-/citetrace/health?verdict=moved").text
    assert only.count('class="ct-health-row"') == 1
    ok_source = sources["ok"]
    ok_page = _get(path, f"/links/-/citetrace/sources/{ok_source}").text
    assert "ct-health-ok" in ok_page and "source-unavailable" not in ok_page

    data = _get(path, "/links/claims_with_dead_sources.json?_shape=array").json()
    assert {r["claim"] for r in data} == {"Connections doubled.", "Tariffs rose 40% in 2021."}


# --- smaller runs -----------------------------------------------------------------------

@pytest.fixture()
def small_server():
    server = LinkServer(10).start()
    yield server
    server.stop()


def test_per_host_limit_200_urls_10_hosts(tmp_path, small_server):
    server = small_server
    server.app.latency = 0.08  # each answer takes a while: requests overlap
    urls = [server.url(f"/doc/{i}.pdf", host=i % 10) for i in range(200)]
    db = open_db(str(tmp_path / "many.db"))
    write_document(db, make_document([{"url": u} for u in urls]), "test")
    delay = 0.03
    summary = run(db, RunOptions(budget=30, archive=False, fetch=fetch_config(
        per_host=2, concurrency=20, delay=delay, timeout=5)))
    assert summary.checked == 200 and summary.verdicts == {"ok": 200}
    snap = server.stats.snapshot()
    assert snap["per_host"] == {h: 20 for h in server.hosts}
    assert max(snap["max_inflight"].values()) == 2  # used, never exceeded
    for host in server.hosts:
        # Spacing, from the server's clock: no host got requests faster than one per delay
        # on average (single gaps jitter: the server threads share the test's GIL).
        starts = sorted(server.stats.starts[host])
        assert starts[-1] - starts[0] >= 19 * delay * 0.9, host


def test_budget_stops_the_run(tmp_path, small_server):
    urls = [small_server.url("/slow", host=i) for i in range(3)]
    db = open_db(str(tmp_path / "budget.db"))
    write_document(db, make_document([{"url": u} for u in urls]), "test")
    started = time.monotonic()
    summary = run(db, RunOptions(budget=1.0, archive=False, fetch=fetch_config(timeout=10)))
    assert time.monotonic() - started < 2.5
    assert summary.checked == 0 and summary.out_of_budget == 3
    assert db["link_checks"].count == 0  # out of budget is not a verdict


def test_publication_date_drives_the_snapshot_date(tmp_path, small_server):
    db = open_db(str(tmp_path / "pub.db"))
    write_document(db, make_document([{"url": small_server.url("/missing")}]), "test")
    db["documents"].add_column("published_at", str)  # a later schema may carry it
    db.execute("update documents set published_at = '2019-06'")
    run(db, RunOptions(budget=10, archive_api=small_server.url("/wayback/available"),
                       fetch=fetch_config()))
    (q,) = small_server.stats.archive_queries
    assert q == {"url": small_server.url("/missing"), "timestamp": "20190601"}
    row = next(db.query("select * from link_archives"))
    assert row["target_date"] == "20190601" and row["archive_url"] is None


class _NoDNS(httpx.AsyncBaseTransport):
    """Every name fails to resolve, as getaddrinfo would (no resolver is asked)."""

    async def handle_async_request(self, request):
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as e:
            raise httpx.ConnectError(str(e), request=request) from e


def test_dns_failure(tmp_path):
    db = open_db(str(tmp_path / "dns.db"))
    write_document(db, make_document([{"url": "http://no-such-host.invalid/report"}]), "test")
    summary = run(db, RunOptions(budget=10, archive=False, transport=_NoDNS(),
                                 fetch=fetch_config()))
    assert summary.verdicts == {"unreachable": 1}
    row = next(db.query("select * from link_checks"))
    assert (row["error_kind"], row["status"], row["attempts"]) == ("dns", None, 1)


# --- the command ------------------------------------------------------------------------

def test_cli_dry_run_sends_nothing_then_checks(tmp_path, small_server, monkeypatch):
    from citetrace.plugins.cli import cli

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "cli.db"
    db = open_db(str(path))
    urls = [small_server.url("/ok"), small_server.url("/gone", host=1), PERMA_ONLY]
    write_document(db, make_document([{"url": u} for u in urls]), "test")
    db.conn.close()
    runner = CliRunner()
    res = runner.invoke(cli, ["check-links", "--db", str(path), "--dry-run"])
    assert res.exit_code == 0, res.output
    assert f"check {urls[0]}" in res.output and f"skip {PERMA_ONLY}" in res.output
    assert "2 URLs on 2 hosts would be checked, 0 checked recently, 1 skipped; nothing was sent" in res.output
    assert small_server.stats.count() == 0

    res = runner.invoke(cli, ["check-links", "--db", str(path), "--delay", "0", "--timeout", "2",
                              "--allow-private",
                              "--archive-api", small_server.url("/wayback/available")])
    assert res.exit_code == 0, res.output
    assert f"dead        410       {urls[1]}" in res.output
    assert "checked 2 URLs (1 ok, 1 dead)" in res.output
    assert "0 of 1 archive lookups found a snapshot" in res.output
    res = runner.invoke(cli, ["check-links", "--db", str(path), "--since", "1", "--dry-run"])
    assert "0 URLs on 0 hosts would be checked, 2 checked recently" in res.output


# --- rules ------------------------------------------------------------------------------

def test_verdict_rules():
    u = "https://example.org/reports/a"
    assert verdict_for(u, 200, u, None) == "ok"
    assert verdict_for("http://example.org/reports/a", 200, "https://www.example.org/reports/a/",
                       None) == "ok"
    assert verdict_for(u, 200, "https://example.org/archive/a", None) == "redirected"
    assert verdict_for(u, 200, "https://data.example.org/a", None) == "redirected"
    assert verdict_for(u, 200, "https://example.com/a", None) == "moved"
    assert verdict_for(u, 200, "https://example.com/", None) == "soft-404"
    assert verdict_for(u, 404, u, "http") == verdict_for(u, 410, u, "http") == "dead"
    assert verdict_for(u, 400, u, "http") == "dead"
    for status in (401, 403, 429, 500, 503):
        assert verdict_for(u, status, u, "http") == "unreachable"
    for kind in ("dns", "timeout", "tls", "refused"):
        assert verdict_for(u, None, u, kind) == "unreachable"
    assert verdict_for(u, 302, u, "redirects") == "unreachable"


def test_soft_404_detection():
    assert says_not_found("404 - Page Not Found", None)
    assert says_not_found("Error 404", None)
    assert says_not_found("This page no longer exists", None)
    assert not says_not_found("Section 404 of the Clean Water Act", None)
    assert not says_not_found("Gone with the Wind", None)
    assert says_not_found("Ministry", "<h1>Sorry, page not found</h1>" + "<p>x</p>" * 999)
    long_article = "<p>" + "The page you are looking for is a classic phrase. " * 100 + "</p>"
    assert not says_not_found("An essay", long_article)
    assert page_title("<title>\n A &amp; B </title>") == "A & B"
    assert same_site("https://www.example.org/x", "http://example.org/y")
    assert not same_site("http://127.0.0.1/x", "http://127.0.0.2/x")


def test_archive_helpers():
    assert is_archive_url("https://perma.cc/X") and is_archive_url("http://web.archive.org/web/1/x")
    assert not is_archive_url("https://example.org/perma.cc/")
    assert original_of("https://web.archive.org/web/20200101000000id_/https://a.org/b?c=1") == \
        "https://a.org/b?c=1"
    assert original_of("https://web.archive.org/web/2020/a.org/b") == "http://a.org/b"
    assert original_of(PERMA) is None
    assert wayback_timestamp("2021") == "20210101"
    assert wayback_timestamp("2021-03-04T05:06:07+00:00") == "20210304"
    assert wayback_timestamp(None) is None
    assert parse_availability({"archived_snapshots": {}}).archive_url is None
    snap = parse_availability({"archived_snapshots": {"closest": {
        "available": True, "url": "http://web.archive.org/web/1/x", "timestamp": "1",
        "status": "200"}}})
    assert (snap.archive_url, snap.timestamp, snap.status) == (
        "https://web.archive.org/web/1/x", "1", "200")


def test_error_classification_and_retry_after():
    req = httpx.Request("GET", "http://x.invalid/")

    def wrapped(inner):
        try:
            try:
                raise inner
            except Exception as e:
                raise httpx.ConnectError(str(e), request=req) from e
        except httpx.ConnectError as exc:
            return exc

    assert classify_error(wrapped(socket.gaierror(-2, "Name or service not known"))) == "dns"
    assert classify_error(wrapped(ConnectionRefusedError(111, "Connection refused"))) == "refused"
    assert classify_error(httpx.ReadTimeout("t", request=req)) == "timeout"
    assert classify_error(httpx.UnsupportedProtocol("ftp", request=req)) == "invalid"
    assert retry_after("7") == 7.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert 0 <= retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
