"""NLP throughput: annotate() on the sample report and the report replicas, in tokens/s.

Not a test (pytest collects test_*.py only); run it by hand:

    .venv/bin/python tests/bench/bench_nlp.py [--repeat 3] [PDF ...]

Extraction and citation parsing run once, outside the clock; only ``annotate`` is timed.
Tokens are those of every text annotate() reads (passages and notes), by the pipeline's
tokenizer. The target is >= 5,000 tokens/s per process.

Two rates are printed: wall-clock, and CPU time of this process (``time.process_time``).
On a shared machine the wall-clock rate drops with the load of other processes; the CPU rate
is the throughput of one process, and the target is checked against it. BLAS runs on one
thread, so CPU time is not inflated by threads (one process = one core).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # before numpy is imported: one process, one core

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from citetrace.ingest.citations import parse_citations  # noqa: E402
from citetrace.ingest.extract import extract  # noqa: E402
from citetrace.ingest.nlp import annotate, load_pipeline  # noqa: E402

REPORT_DIR = ROOT.parent / "shared" / "report"
TARGET = 5000


def documents(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p) for p in paths]
    from citetrace.ingest.sample import build_sample

    pdf, _gold = build_sample(Path(tempfile.mkdtemp(prefix="bench-nlp-")))
    out = [pdf]
    out += [p for p in (REPORT_DIR / "report_replica_1col.pdf", REPORT_DIR / "report_replica_2col.pdf")
            if p.exists()]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", help="PDFs (default: the sample report and the replicas)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per document")
    args = parser.parse_args()

    t = time.perf_counter()
    nlp = load_pipeline()
    print(f"pipeline {nlp.meta['name']} {nlp.meta['version']} loaded in {time.perf_counter() - t:.1f}s: "
          f"{', '.join(nlp.pipe_names)}")
    annotate(nlp, extract(documents(args.pdfs)[0]))  # warm-up, not timed

    total_tokens = total_wall = total_cpu = 0.0
    for path in documents(args.pdfs):
        doc = extract(path)
        parse_citations(doc)
        texts = [p.text for p in doc.passages] + [n.text for n in doc.footnotes]
        tokens = sum(len(nlp.make_doc(text)) for text in texts)
        walls, cpus = [], []
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            annotate(nlp, doc)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        total_tokens += tokens
        total_wall += wall
        total_cpu += cpu
        print(f"{path.name:26} {tokens:6d} tokens  wall {wall:5.2f}s {tokens / wall:6.0f}/s  "
              f"cpu {cpu:5.2f}s {tokens / cpu:6.0f}/s  ({len(doc.claims)} claims, "
              f"{len(doc.entities)} entities; median of {args.repeat})")
    rate = total_tokens / total_cpu
    print(f"{'all':26} {int(total_tokens):6d} tokens  wall {total_wall:5.2f}s "
          f"{total_tokens / total_wall:6.0f}/s  cpu {total_cpu:5.2f}s {rate:6.0f}/s")
    print(f"tokens/s per process (CPU): {rate:.0f}; target >= {TARGET}: {'ok' if rate >= TARGET else 'BELOW'}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if rate >= TARGET else 1

if __name__ == "__main__":
    sys.exit(main())
