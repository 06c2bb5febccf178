"""Ingest and serving benchmarks (`make bench`, `make bench-quick`); results in docs/benchmarks.md.

Not a test (pytest collects test_*.py only). Run it by hand:

    .venv/bin/python tests/bench/bench_ingest.py            # full run, rewrites docs/benchmarks.md
    .venv/bin/python tests/bench/bench_ingest.py --quick    # a few files, 50 docs, 5 s of load
    .venv/bin/python tests/bench/bench_ingest.py --only dask [--quick]   # stage 7 alone

What is measured, on the same files in the same run (so that results are ratios that survive
a noisy, shared machine):

1. baselines: a bare pdfplumber pass over ``page.chars`` of every page (one process), and
   poppler's ``pdftotext`` (skipped, with a note, when it is not installed);
2. end-to-end ``citetrace ingest FILES --db X --workers 1`` and ``--workers 2`` (the real CLI,
   in a subprocess: wall clock, CPU of the whole process tree, peak RSS of each process);
3. the incremental run: the same command again on the unchanged files (skipped by sha256);
4. time per stage (PDF parsing, layout, notes/markers, passages, citations, NLP, database
   writes), in one process: the real ``extract()`` inside a ``timing()`` block of
   ``ingest.stages`` (its functions declare their stage with ``@timed``, so the stages are the
   pipeline's own code), then ``parse_citations``, ``annotate`` and ``write_document``;
5. peak RSS of one worker (model + ``process()``) on the largest corpus file;
6. scale: ``BENCH_DOCS`` (default 1,000) variants of the sample report in one database, then
   Datasette latency (p50/p95) of the reader, a trace and FTS search with 16 concurrent aiohttp
   clients (one connection each) against ``citetrace serve --workers 2`` on 127.0.0.1, first
   uncached (every document, then 1,500 queries, once), then 30 s per view;
7. Dask: the same files through a LocalCluster of 2 workers vs ``--workers 2``, and
   ``BENCH_DASK_DOCS`` (default 1,000; quick 200) one-page reports through it with the
   client's peak RSS (needs the ``dask`` extra; skipped with a note without it).

One module per stage: baselines.py (1), end_to_end.py (2, 3, 5), stage_times.py (4), scale.py
and serve_load.py (6), dask_ingest.py (7), report.py (the Markdown); benchkit.py holds what they share. This file
runs them in order. Subprocess helpers (``_bare``, ``_miner``, ``_stages``, ``_rss``) are this
file run with a first argument.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import baselines
import dask_ingest
import end_to_end
import stage_times
from benchkit import CORPUS, ROOT, load_average, machine, pages_of
from report import render, write_markdown
from scale import build_scale_db
from serve_load import bench_serve

# One process, one core (as bench_nlp.py); set before spaCy loads numpy, here or in a helper.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

DOCS_MD = ROOT / "docs" / "benchmarks.md"
# Files of the quick run: small and varied (2 columns, footnotes, endnotes).
QUICK_FILES = ("crs_R48903.3.pdf", "wna_recalibrating_risk_2021_endnotes.pdf",
               "grobid_footnotes_test_clef2008_p1.pdf")


# In-process helpers, each run in a fresh subprocess by its stage: `bench_ingest.py _name ARGS`.
HELPERS = {
    "_bare": baselines.cmd_bare,
    "_miner": baselines.cmd_miner,
    "_stages": stage_times.cmd_stages,
    "_rss": end_to_end.cmd_rss,
}


def bench_ingest(files: list[Path], work: Path, results: dict) -> None:
    """Stages 1-5 on the same files."""
    names = [str(f) for f in files]
    results["files"] = [{"file": f.name, "pages": pages_of(f), "bytes": f.stat().st_size}
                        for f in files]
    results["pages"] = sum(f["pages"] for f in results["files"])
    print(f"{len(files)} files, {results['pages']} pages; load {load_average()}", flush=True)
    baselines.run(names, work, results)
    end_to_end.run(names, work, results)
    stage_times.run(names, work, results)
    end_to_end.run_rss(files, work, results)


def _files(work: Path, quick: bool) -> list[Path]:
    """The corpus (or its QUICK_FILES) and the sample report."""
    from citetrace.ingest.sample import build_sample

    sample_pdf = build_sample(work / "sample")[0]
    if not CORPUS.is_dir():
        print(f"warning: {CORPUS} not found: the sample report only", file=sys.stderr)
    corpus = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
    if quick:
        corpus = [f for f in corpus if f.name in QUICK_FILES]
    return corpus + [sample_pdf]


def bench_dask(files: list[Path], work: Path, results: dict, quick: bool) -> None:
    """Stage 7, when the dask extra is installed."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        print("warning: distributed not installed (pip install 'citetrace[dask]'): no Dask rows",
              file=sys.stderr)
        return
    n_docs = int(os.environ.get("BENCH_DASK_DOCS", 200 if quick else 1000))
    dask_ingest.run([str(f) for f in files], work, results, rounds=1 if quick else 2)
    dask_ingest.run_scale(n_docs, work, results)


def main(argv: list[str]) -> int:
    if argv and argv[0] in HELPERS:
        HELPERS[argv[0]](argv[1:])
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 corpus files + the sample, 50 docs, 5 s of load per view")
    parser.add_argument("--out", type=Path, default=None,
                        help="markdown file to update (default: docs/benchmarks.md for a full run, "
                             "WORKDIR/benchmarks-partial.md for a quick or partial one)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citetrace-bench"))
    parser.add_argument("--docs", type=int, default=None, help="scale documents (env BENCH_DOCS)")
    parser.add_argument("--seconds", type=float, default=None, help="load per view (default 30, quick 5)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--serve-workers", type=int, default=2,
                        help="worker processes for `citetrace serve --workers` (default 2: "
                             "one Datasette process is bound to one core by the GIL)")
    parser.add_argument("--only", choices=["dask"], default=None,
                        help="run one stage alone (dask: stage 7)")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--serve-only", type=Path, default=None,
                        help="only measure the latency of this existing database")
    args = parser.parse_args(argv)

    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    n_docs = args.docs or int(os.environ.get("BENCH_DOCS", 50 if args.quick else 1000))
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    partial = args.quick or args.skip_ingest or args.skip_scale or args.serve_only or args.only
    out = args.out or (work / "benchmarks-partial.md" if partial else DOCS_MD)

    started = time.perf_counter()
    results: dict = {"quick": args.quick, "partial": bool(partial),
                     "started": time.strftime("%Y-%m-%d %H:%M"),
                     "load_start": load_average(), "machine": machine()}
    print(f"machine: {results['machine']}; load {results['load_start']}", flush=True)

    ingest_too = args.only == "dask" or not args.skip_ingest  # stage 7 is an ingest stage
    files = _files(work, args.quick) if ingest_too else []
    if not args.skip_ingest and not args.only:
        bench_ingest(files, work, results)
    if args.only:
        pass  # the one stage, below
    elif args.serve_only:
        import sqlite3

        conn = sqlite3.connect(args.serve_only)
        n = conn.execute("select count(*) from documents").fetchone()[0]
        conn.close()
        results["scale"] = {"counts": {"documents": n}}
        bench_serve(args.serve_only, work, args.clients, seconds, results, args.serve_workers)
    elif not args.skip_scale:
        db_path = work / "scale.db"
        build_scale_db(n_docs, db_path, work, results)
        bench_serve(db_path, work, args.clients, seconds, results, args.serve_workers)

    if ingest_too:
        bench_dask(files, work, results, args.quick)
    results["load_end"] = load_average()
    results["seconds"] = time.perf_counter() - started
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
    body = render(results)
    write_markdown(out, body)
    print(body)
    print(f"wrote {out} (raw numbers: {work / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
