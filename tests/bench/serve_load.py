"""Stage 6b: Datasette latency (p50/p95) of the reader, a trace and FTS search under a closed
loop of concurrent aiohttp clients against `citetrace serve` on 127.0.0.1."""

from __future__ import annotations

import asyncio
import random
import re
import sys
import time
from pathlib import Path

from benchkit import CITETRACE, ROOT, load_average

sys.path.insert(0, str(ROOT / "tests"))
from servers import free_port, running  # noqa: E402  (tests/servers.py: start, wait, always stop)


async def _load(urls: list[str], clients: int, seconds: float | None) -> dict:
    """Closed loop: each client sends its next request when the last one is answered.

    Each client has its own connection (its own aiohttp session, one connection). The load
    runs on the server's 2 CPUs, so the client must cost little: measured on the uncached
    search pass, httpx clients (one each) used 37% of a core and left the server p95 at
    ~90 ms; aiohttp clients 13% of a core, p95 65 ms (one shared httpx pool was worse
    still: it serialises the clients on its lock). ``seconds=None``: every URL exactly once,
    in order (the uncached pass). ``client_cpu``: the share of one core the load used.
    """
    import aiohttp

    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.perf_counter() + (seconds or 1e9)
    rng = random.Random(7)
    queue = iter(urls)

    def next_url():
        if seconds is None:
            return next(queue, None)
        return rng.choice(urls) if time.perf_counter() < stop else None

    async def worker():
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1),
                                         timeout=timeout) as client:
            while (url := next_url()) is not None:
                t = time.perf_counter()
                try:
                    async with client.get(url, allow_redirects=False) as r:
                        await r.read()
                        ok = r.status == 200
                        key = str(r.status)
                except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                    ok, key = False, type(e).__name__
                if ok:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors[key] = errors.get(key, 0) + 1

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu
    latencies.sort()

    def q(p):
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else None

    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": q(0.50), "p95_ms": q(0.95), "p99_ms": q(0.99),
            "max_ms": 1000 * latencies[-1] if latencies else None,
            "client_cpu": cpu / elapsed}


def search_terms(conn, n: int, rng: random.Random) -> list[str]:
    """The 10 fixed queries (common words to one country name) and ``n`` more drawn from the
    passages' own words: one word, two words, or a two-word phrase."""
    from citetrace.ingest.sample import variant_name

    docs = conn.execute("select count(*) from documents").fetchone()[0]
    fixed = ["tariff", "lifeline block", '"water tariff"', "rebate", "regulat*",
             "collection OR arrears", "household survey", "cost recovery",
             variant_name(min(docs, 500)), "Brennock Institute"]
    ids = [r[0] for r in conn.execute("select id from passages")]
    words: list[list[str]] = []
    for pid in rng.sample(ids, min(len(ids), 400)):
        text = conn.execute("select text from passages where id = ?", [pid]).fetchone()[0]
        found = re.findall(r"[A-Za-z]{4,}", text or "")
        if len(found) >= 2:
            words.append(found)
    terms = list(fixed)
    for _ in range(50 * n):
        if len(terms) >= len(fixed) + n or not words:
            break
        found = rng.choice(words)
        i = rng.randrange(len(found) - 1)
        shape = rng.random()
        term = (found[i] if shape < 0.6 else f"{found[i]} {rng.choice(found)}" if shape < 0.9
                else f'"{found[i]} {found[i + 1]}"')
        if term not in terms:
            terms.append(term)
    return terms


def bench_serve(db_path: Path, work: Path, clients: int, seconds: float, results: dict,
                workers: int = 1) -> None:
    import sqlite3

    import httpx

    conn = sqlite3.connect(db_path)
    doc_ids = [r[0] for r in conn.execute("select id from documents")]
    claim_ids = [r[0] for r in conn.execute(
        "select distinct claim_id from claim_footnotes order by claim_id")]
    rng = random.Random(11)
    terms = search_terms(conn, 1790, rng)
    conn.close()
    name = db_path.stem
    port = free_port()
    base = f"http://127.0.0.1:{port}/{name}/-/citetrace"
    # Every document and many distinct queries: the reader caches rendered passages per
    # database snapshot, so a few hot URLs would measure the cache, not the work.
    readers = [f"{base}/documents/{i}" for i in rng.sample(doc_ids, len(doc_ids))]
    plans = {
        "reader": readers,
        "trace": [f"{base}/claims/{i}" for i in rng.sample(claim_ids, min(200, len(claim_ids)))],
        "search": [str(httpx.URL(f"{base}/search", params={"q": t})) for t in terms[:300]],
    }
    # Search results are cached too: the uncached pass runs other queries, each once.
    cold_searches = [str(httpx.URL(f"{base}/search", params={"q": t})) for t in terms[300:]]
    cmd = [CITETRACE, "serve", str(db_path), "--port", str(port)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    with running(cmd, f"http://127.0.0.1:{port}/-/versions.json", work / "serve.log", timeout=30):
        out = {"clients": clients, "seconds": seconds, "workers": workers,
               "distinct_urls": {**{v: len(u) for v, u in plans.items()},
                                 "uncached search": len(cold_searches)},
               "load_before": load_average()}
        # Uncached first, before anything is cached (no warm-up): every document once, then
        # queries the timed search run does not use, each once; one client alone takes the
        # first sixth, the clients together the rest.
        for view, urls in (("reader_cold", readers), ("search_cold", cold_searches)):
            alone = len(urls) // 6
            if len(urls) - alone < 2 * clients:
                continue
            one = asyncio.run(_load(urls[:alone], 1, None))
            out[view] = asyncio.run(_load(urls[alone:], clients, None))
            out[view]["one_client"] = one
            out[view]["example"] = urls[alone].replace(f"http://127.0.0.1:{port}", "")
            print(f"{view}: p50 {out[view]['p50_ms']:.0f} ms, p95 {out[view]['p95_ms']:.0f} ms, "
                  f"{out[view]['rps']:.0f} req/s, {out[view]['requests']} requests", flush=True)
        for view, urls in plans.items():
            for u in urls[:3]:  # warm-up (and a check that the views answer)
                r = httpx.get(u, timeout=60)
                if r.status_code != 200:
                    raise SystemExit(f"{u}: HTTP {r.status_code}")
            out[view] = asyncio.run(_load(urls, clients, seconds))
            out[view]["example"] = urls[0].replace(f"http://127.0.0.1:{port}", "")
            out[view]["one_client"] = asyncio.run(_load(urls, 1, min(seconds, 5.0)))
            print(f"{view}: p50 {out[view]['p50_ms']:.0f} ms, p95 {out[view]['p95_ms']:.0f} ms, "
                  f"{out[view]['rps']:.0f} req/s, errors {out[view]['errors']}", flush=True)
        out["load_after"] = load_average()
        results["serve"] = out
