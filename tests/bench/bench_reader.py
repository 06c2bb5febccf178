"""The reader and trace pages in one process, without concurrency: time and CPU per page,
SQL statements per page, a profile, and the pages themselves (to compare two versions).

Not a test. Needs the `bench` extra for ``--profile`` (pyinstrument)::

    .venv/bin/python tests/bench/bench_reader.py scale.db [--docs 200] [--claims 100]
        [--profile out.html] [--dump DIR] [--code TREE]

Each page is fetched through Datasette's test client (``ds.client``: the whole ASGI stack,
no sockets). Uncached: a fresh Datasette instance, every document once (the reader's
snapshot cache misses every time); cached: the same documents again. ``--code TREE`` runs
another checkout's ``citetrace`` (say ``git archive BASE | tar -x -C TREE``), for an A/B
run of the same script on the same documents. ``--dump DIR`` writes each page's HTML, the
CSRF token blanked (it differs per request), for ``diff -r``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

CSRF = re.compile(r'(name="csrftoken" value="|data-csrftoken="|"csrftoken": ")[^"]*"')


def _use_code(tree: Path) -> None:
    """Import ``citetrace`` from ``tree`` (a checkout's root) instead of the installed one."""
    link_dir = Path(tempfile.mkdtemp(prefix="bench-reader-code-"))
    (link_dir / "citetrace").symlink_to(tree.resolve())
    sys.path.insert(0, str(link_dir))


class Counter:
    """SQL statements run on the page databases' connections (Datasette's
    ``prepare_connection`` hook sets the trace callback on each new one)."""

    def __init__(self):
        self.n = 0

    def trace(self, statement):
        self.n += 1


def profiled(out: Path | None, fn, *args):
    """``fn(*args)``, profiled by pyinstrument into ``out`` (HTML; the tree on stderr)."""
    if out is None:
        return fn(*args)
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        return fn(*args)
    finally:
        profiler.stop()
        out.write_text(profiler.output_html())
        out.with_suffix(".txt").write_text(profiler.output_text(unicode=False, color=False, show_all=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", type=Path, default=None,
                        help="pyinstrument HTML of the uncached reader pass")
    parser.add_argument("--profile-cached", type=Path, default=None,
                        help="pyinstrument HTML of the cached reader pass")
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--code", type=Path, default=None)
    args = parser.parse_args()
    if args.code:
        _use_code(args.code)

    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.plugins import pm

    import citetrace
    import citetrace.plugins.datasette_citetrace as plugin

    print(f"code: {os.path.dirname(citetrace.__file__)}", file=sys.stderr)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="citetrace")
    counter = Counter()

    @hookimpl
    def prepare_connection(conn, database, datasette):
        conn.set_trace_callback(counter.trace)

    trace_plugin = types.ModuleType("bench_reader_trace")  # Datasette lists plugins by __name__
    trace_plugin.prepare_connection = prepare_connection
    pm.register(trace_plugin, name="bench-reader-trace")

    conn = sqlite3.connect(args.db)
    rng = random.Random(args.seed)
    doc_ids = sorted(r[0] for r in conn.execute("select id from documents"))
    claim_ids = [r[0] for r in conn.execute(
        "select distinct claim_id from claim_footnotes order by claim_id")]
    conn.close()
    # one more of each to warm up with (not timed, not among the timed ones)
    docs = rng.sample(doc_ids, min(args.docs + 1, len(doc_ids)))
    claims = rng.sample(claim_ids, min(args.claims + 1, len(claim_ids)))
    name = args.db.stem

    ds = Datasette([str(args.db)])

    async def fetch(url):
        r = await ds.client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        return r.text

    def run(urls, label, warm, dump_as=None):
        async def go():
            await fetch(warm)  # connections opened, templates compiled
            times, cpus, queries, size = [], [], [], 0
            for url in urls:
                n0, t0, c0 = counter.n, time.perf_counter(), time.process_time()
                html = await fetch(url)
                times.append(1000 * (time.perf_counter() - t0))
                cpus.append(1000 * (time.process_time() - c0))
                queries.append(counter.n - n0)
                size += len(html)
                if dump_as:
                    args.dump.mkdir(parents=True, exist_ok=True)
                    (args.dump / f"{dump_as}-{url.rstrip('/').rsplit('/', 1)[1]}.html"
                     ).write_text(CSRF.sub(r'\1"', html))
            return times, cpus, queries, size

        times, cpus, queries, size = asyncio.run(go())
        times.sort()
        print(f"{label:18} n={len(urls):4}  wall mean {statistics.mean(times):6.2f} ms  "
              f"p50 {times[len(times) // 2]:6.2f}  p95 {times[int(0.95 * len(times))]:6.2f}  "
              f"CPU mean {statistics.mean(cpus):6.2f} ms  SQL statements/page "
              f"{statistics.mean(queries):.1f} (min {min(queries)}, max {max(queries)})  "
              f"{size / len(urls) / 1024:.0f} KB/page")

    readers = [f"/{name}/-/citetrace/documents/{i}" for i in docs]
    traces = [f"/{name}/-/citetrace/claims/{i}" for i in claims]
    print(f"load average {os.getloadavg()}", file=sys.stderr)
    # each document fetched once, every one a cache miss
    profiled(args.profile, run, readers[1:], "reader, uncached", readers[0],
             "reader" if args.dump else None)
    profiled(args.profile_cached, run, readers[1:], "reader, cached", readers[0])
    run(traces[1:], "trace", traces[0], "trace" if args.dump else None)
    print(f"load average {os.getloadavg()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
