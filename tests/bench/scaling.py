"""Latency of every kind of citetrace page on large databases (docs/scaling.md).

    python tests/bench/scaling.py DB [DB...] [--repeat 20] [--out FILE]

Serves the files with one `citetrace serve` process on 127.0.0.1 and fetches each page from
one client, ``--repeat`` times after one cold request: the home pages (first and a late page of
the document list), a reader, a trace, a source, search, health, the review queue, a canned
query, a faceted table and the claim_trace view. Prints a Markdown table (cold, p50, p95 in
ms, size in KB) and the file sizes; the bench's load test (serve_load.py) gives the
concurrent figures for the reader, trace and search.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from benchkit import CITETRACE, load_average  # noqa: E402
from serve_load import free_port, running  # noqa: E402


def _pages(db_path: Path) -> list[tuple[str, str]]:
    """(label, path) of the pages to time on one database, ids picked from its own rows."""
    name = db_path.stem
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def one(sql):
        row = conn.execute(sql).fetchone()
        return row[0] if row else None

    documents = one("select count(*) from documents")
    doc = one(f"select id from documents order by id limit 1 offset {documents // 2}")
    claim = one("select claim_id from claim_footnotes order by claim_id desc limit 1")
    source = one("select source_id from citations where source_id is not null "
                 "group by source_id order by count(*) desc limit 1")
    late = max(0, (documents - 1) // 100 * 100)
    conn.close()
    base = f"/{name}/-/citetrace"
    return [
        ("home, all databases", "/-/citetrace"),
        ("home of the database (first 100 documents)", base),
        (f"home, documents from {late + 1:,}", f"{base}?offset={late}"),
        ("reader (a 10-page document)", f"{base}/documents/{doc}"),
        ("trace of a cited claim", f"{base}/claims/{claim}"),
        ("source cited most (first 50 citing documents)", f"{base}/sources/{source}"),
        ("list of sources", f"{base}/sources"),
        ("search: one word", f"{base}/search?q=tariff"),
        ("search: phrase", f'{base}/search?q=%22water+tariff%22'),
        ("search: rare word", f"{base}/search?q=arrears"),
        ("health", f"{base}/health"),
        ("review queue", f"{base}/review"),
        ("canned query: claims needing a source", f"/{name}/claims_needing_source"),
        ("claims table, faceted by kind", f"/{name}/claims?_facet=kind&_size=50"),
        ("claim_trace view, 50 rows (as linked: no count)", f"/{name}/claim_trace?_size=50&_nocount=1"),
    ]


def _time(client: httpx.Client, url: str, repeat: int) -> dict:
    t = time.perf_counter()
    first = client.get(url)
    cold = time.perf_counter() - t
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(url)
        times.append(time.perf_counter() - t)
    times.sort()
    return {"status": r.status_code, "cold_ms": 1000 * cold, "first_status": first.status_code,
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
            "kb": len(r.content) / 1024}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dbs", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    args = parser.parse_args(argv)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    lines = [f"Load average at start: {load_average()}.", ""]
    with running([CITETRACE, "serve", *map(str, args.dbs), "--port", str(port)],
                 base + "/-/versions.json", Path(os.devnull), timeout=60), \
            httpx.Client(base_url=base, timeout=120) as client:
        for db in args.dbs:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            docs, pages = conn.execute(
                "select count(*), coalesce(sum(page_count), 0) from documents").fetchone()
            conn.close()
            lines += [f"**{db.name}**: {docs:,} documents, {pages:,} pages, "
                      f"{db.stat().st_size / 1e6:,.0f} MB.", "",
                      "| page | status | cold ms | p50 ms | p95 ms | KB |",
                      "|---|---:|---:|---:|---:|---:|"]
            for label, path in _pages(db):
                m = _time(client, path, args.repeat)
                lines.append(f"| {label} | {m['status']} | {m['cold_ms']:.0f} | "
                             f"{m['p50_ms']:.0f} | {m['p95_ms']:.0f} | {m['kb']:.0f} |")
                print(lines[-1], flush=True)
            lines.append("")
    lines.append(f"Load average at end: {load_average()}.")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
