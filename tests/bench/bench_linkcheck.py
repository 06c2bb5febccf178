"""Benchmark: check-links on 2,000 URLs across 50 hosts against a local server (`make bench-links`).

The server (tests/linkserver.py) runs in its own process on 127.0.0.1 ... 127.0.0.50 and
counts, per host, the requests in flight; the run must finish within its budget without
ever exceeding the per-host limit. Nothing leaves the machine. Not part of the unit suite.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from citetrace.db.links.fetch import FetchConfig  # noqa: E402
from citetrace.db.links.run import RunOptions, run  # noqa: E402
from citetrace.db.store import open_db, write_document  # noqa: E402
from citetrace.ingest.model import Citation, Document, Footnote, PageInfo, Passage  # noqa: E402

BOX = (50.0, 100.0, 500.0, 140.0)


def url_for(i: int, hosts: dict[str, int]) -> str:
    names = list(hosts)
    host = names[i % len(names)]
    # Mostly PDFs (HEAD is enough), one in 10 an HTML page (HEAD, then GET for its title),
    # one in 25 gone (HEAD, then GET: servers mishandle HEAD); spread over every host.
    n = i // len(names)
    path = f"/ok?i={i}" if n % 10 == 0 else f"/missing?i={i}" if n % 25 == 1 else f"/doc/{i}.pdf"
    return f"http://{host}:{hosts[host]}{path}"


def build_db(path: Path, urls: list[str]) -> None:
    notes = [Footnote(str(i + 1), 1, "footnote", f"See {u}.", BOX) for i, u in enumerate(urls)]
    cites = [Citation(i, 0, f"See {u}.", kind="web", url=u, title=f"Source {i}",
                      source_key=f"url:{u}") for i, u in enumerate(urls)]
    doc = Document(path="/bench.pdf", sha256="b" * 64, filename="bench.pdf", title="Bench",
                   page_count=1, pages=[PageInfo(1, 612, 792)],
                   passages=[Passage(0, 1, "paragraph", "Body.", BOX)],
                   footnotes=notes, citations=cites)
    write_document(open_db(str(path)), doc, "bench")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--urls", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--latency", type=float, default=0.02, help="server think time per request")
    ap.add_argument("--budget", type=float, default=120.0)
    args = ap.parse_args(argv)

    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "linkserver.py"), "--hosts", str(args.hosts),
         "--latency", str(args.latency)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        hosts = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.db"
            build_db(db_path, [url_for(i, hosts) for i in range(args.urls)])
            options = RunOptions(budget=args.budget, archive=False, fetch=FetchConfig(
                concurrency=args.concurrency, per_host=args.per_host, delay=args.delay,
                timeout=10, trust_env=False, allow_private=True))  # the server is loopback
            started = time.monotonic()
            summary = run(open_db(str(db_path)), options)
            seconds = time.monotonic() - started
        first = next(iter(hosts))
        stats = httpx.get(f"http://{first}:{hosts[first]}/__stats", trust_env=False).json()
    finally:
        server.stdin.close()
        server.wait(timeout=10)

    max_inflight = max(stats["max_inflight"].values())
    # Spacing as the server saw it: single gaps jitter (thread start-up, 2 shared cores),
    # so the 5th percentile and each host's mean gap are the figures to read.
    gaps = sorted(g for hg in stats["gaps"].values() for g in hg)
    floor, p05 = gaps[0], gaps[len(gaps) // 20]
    mean_gap = min(sum(hg) / len(hg) for hg in stats["gaps"].values() if hg)
    per_host_requests = Counter(stats["per_host"]).most_common(1)[0][1]
    print(f"{summary.checked} of {args.urls} URLs on {len(hosts)} hosts in {seconds:.1f}s "
          f"(budget {args.budget:.0f}s): {summary.requests} requests, "
          f"{summary.requests / seconds:.0f} requests/s; verdicts {dict(summary.verdicts)}")
    print(f"per host: limit {args.per_host}, max in flight seen by the server {max_inflight}; "
          f"at most {per_host_requests} requests to one host; delay {args.delay}s, "
          f"gaps between request starts seen by the server: smallest {floor:.3f}s, "
          f"5th percentile {p05:.3f}s, smallest per-host mean {mean_gap:.3f}s")
    ok = (summary.checked == args.urls and summary.out_of_budget == 0
          and seconds <= args.budget and max_inflight <= args.per_host
          and mean_gap >= args.delay)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
