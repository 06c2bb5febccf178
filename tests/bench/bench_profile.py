"""Profile one process ingesting PDFs (extract -> citations -> NLP -> write) with pyinstrument.

Not a test. Needs the `bench` extra (``pip install -e '.[bench]'``)::

    .venv/bin/python tests/bench/bench_profile.py [PDF ...] [--html out.html] [--stage nlp]

Default files: the sample report and three corpus files. Prints the call tree (frames under
1% hidden) and, with --html, writes pyinstrument's interactive page. ``--stage`` limits the
profile to one stage (extract, citations, nlp, write); the model load is never profiled.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
DEFAULT = ("crs_R48179.10.pdf", "fedreg_2020-17221_boeing737max_3col.pdf",
           "lawrev_harvard_note_background_principles_2025.pdf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*")
    parser.add_argument("--html", type=Path, default=None)
    parser.add_argument("--stage", choices=("all", "extract", "citations", "nlp", "write"), default="all")
    parser.add_argument("--interval", type=float, default=0.001)
    args = parser.parse_args()

    from pyinstrument import Profiler

    from citetrace.db.store import open_db, write_document
    from citetrace.ingest import EXTRACTOR_VERSION
    from citetrace.ingest.citations import parse_citations
    from citetrace.ingest.extract import extract
    from citetrace.ingest.nlp import load_pipeline

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    paths = [Path(p) for p in args.pdfs]
    if not paths:
        from citetrace.ingest.sample import build_sample

        paths = [build_sample(Path(tempfile.mkdtemp(prefix="bench-profile-")))[0]]
        paths += [CORPUS / name for name in DEFAULT if (CORPUS / name).exists()]
    nlp = load_pipeline()
    db = open_db(str(Path(tempfile.mkdtemp(prefix="bench-profile-")) / "profile.db"))
    from citetrace.ingest.nlp import annotate

    profiler = Profiler(interval=args.interval)

    def run(stage, fn, *a):
        if args.stage in ("all", stage):
            profiler.start()
            try:
                return fn(*a)
            finally:
                profiler.stop()
        return fn(*a)

    for path in paths:
        doc = run("extract", extract, path)
        run("citations", parse_citations, doc)
        run("nlp", annotate, nlp, doc)
        run("write", write_document, db, doc, EXTRACTOR_VERSION)
        print(f"{path.name}: {doc.page_count} pages", file=sys.stderr)
    sys.setrecursionlimit(100_000)  # pdfminer call trees are deep
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
