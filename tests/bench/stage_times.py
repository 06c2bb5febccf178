"""Stage 4: time per stage (PDF parsing, layout, notes/markers, passages, citations, NLP,
database writes) in one process, on the pipeline's own code through its public timing hook
(citetrace.ingest.stages): nothing is patched."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchkit import ENTRY, clear_db, json_of, measure


def cmd_stages(argv: list[str]) -> None:
    """FILES... --db DB: extract, parse citations, annotate and write each file, timed.

    The extraction stages are the pipeline's own: its functions declare them with
    ``@timed`` (citetrace.ingest.stages) and report to the clock of this ``timing()`` block;
    "other extraction" is the rest of ``extract()`` (sha256, page sizes, closing the PDF).
    """
    import logging

    from citetrace.db.store import open_db, write_document
    from citetrace.ingest import EXTRACTOR_VERSION
    from citetrace.ingest.citations import parse_citations
    from citetrace.ingest.extract import extract
    from citetrace.ingest.nlp import annotate, load_pipeline
    from citetrace.ingest.stages import timing

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files, db_path = argv[: argv.index("--db")], argv[argv.index("--db") + 1]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    pages, docs = 0, []
    with timing() as clock:
        nlp = clock.run("model load", load_pipeline)
        db = open_db(db_path)
        for f in files:
            doc = extract(f)
            clock.run("citations", parse_citations, doc)
            clock.run("nlp", annotate, nlp, doc)
            clock.run("database writes", write_document, db, doc, EXTRACTOR_VERSION)
            pages += doc.page_count
            docs.append({"file": Path(f).name, "pages": doc.page_count, "passages": len(doc.passages),
                         "notes": len(doc.footnotes), "markers": len(doc.markers),
                         "claims": len(doc.claims), "entities": len(doc.entities)})
        db.conn.close()
    print(json.dumps({"wall": clock.wall, "cpu": clock.cpu, "pages": pages, "docs": docs,
                      "total_wall": time.perf_counter() - wall0,
                      "total_cpu": time.process_time() - cpu0}))


def run(names: list[str], work: Path, results: dict) -> None:
    """Fill results["stages"]: wall and CPU seconds per stage, in a fresh process."""
    db = work / "stages.db"
    clear_db(db)
    r = measure([sys.executable, ENTRY, "_stages", *names, "--db", str(db)], work)
    db.unlink(missing_ok=True)
    results["stages"] = json_of(r)
    results["stages"]["maxrss_mb"] = r["maxrss_mb"]
    print("stages (CPU s): " + ", ".join(f"{k} {v:.1f}" for k, v in results["stages"]["cpu"].items()),
          flush=True)
