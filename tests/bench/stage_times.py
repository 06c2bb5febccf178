"""Stage 4: time per stage (PDF parsing, layout, notes/markers, passages, citations, NLP,
database writes) in one process, on the pipeline's own code."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchkit import ENTRY, clear_db, json_of, measure


class StageClock:
    """Accumulates wall and CPU seconds per stage name; a stage run inside another counts
    only for itself (the outer stage's time excludes it)."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._inner: list[list[float]] = []  # per running stage: [wall, cpu] of its inner stages

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def run(self, name: str, fn, *args, **kwargs):
        w, c = time.perf_counter(), time.process_time()
        self._inner.append([0.0, 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            inner_w, inner_c = self._inner.pop()
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            self.add(name, wall - inner_w, cpu - inner_c)
            if self._inner:
                self._inner[-1][0] += wall
                self._inner[-1][1] += cpu

    def wrap(self, name: str, fn):
        def wrapped(*args, **kwargs):
            return self.run(name, fn, *args, **kwargs)

        return wrapped


# extract()'s helpers -> stage. Names missing from ingest.extract (it is being edited) are
# skipped; their time lands in "other extraction".
EXTRACT_STAGES = {
    "_open": "pdf open",
    "_links": "pdf parsing",  # link annotations
    "find_note_zones": "notes/markers",
    "find_endnotes": "notes/markers",
    "split_notes": "notes/markers",
    "_note": "notes/markers",
    "vocabulary": "passages/markers",
    "reading_blocks": "passages/markers",
    "_title": "passages/markers",
    "_passages": "passages/markers",  # text building and marker linking
}


def instrument_extract(clock: StageClock) -> list[str]:
    import citetrace.ingest.extract as ex

    missing = []
    for attr, stage in EXTRACT_STAGES.items():
        if hasattr(ex, attr):
            setattr(ex, attr, clock.wrap(stage, getattr(ex, attr)))
        else:
            missing.append(attr)
    check = getattr(ex, "TextCheck", None)
    if check is not None and hasattr(check, "see_page"):  # a method: wrapped on the class
        check.see_page = clock.wrap("checks", check.see_page)
    else:
        missing.append("TextCheck.see_page")
    import citetrace.ingest.layout as lay

    if hasattr(lay, "page_objects"):
        lay.page_objects = clock.wrap("pdf parsing", lay.page_objects)
    else:
        missing.append("page_objects")
    if hasattr(ex, "analyze"):
        analyze = ex.analyze

        def timed_analyze(pages, *args, **kwargs):
            # pdfminer parses a page's content stream inside ingest.layout.page_objects,
            # per page, within analyze: that call is timed as "pdf parsing" and subtracted
            # from "layout" (the clock's stages are exclusive).
            return clock.run("layout", analyze, pages, *args, **kwargs)

        ex.analyze = timed_analyze
    else:
        missing.append("analyze")
    return missing


def cmd_stages(argv: list[str]) -> None:
    """FILES... --db DB: extract, parse citations, annotate and write each file, timed."""
    files, db_path = argv[: argv.index("--db")], argv[argv.index("--db") + 1]
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from citetrace.db.store import open_db, write_document
    from citetrace.ingest import EXTRACTOR_VERSION
    from citetrace.ingest.citations import parse_citations
    from citetrace.ingest.extract import extract
    from citetrace.ingest.nlp import annotate, load_pipeline

    clock = StageClock()
    missing = instrument_extract(clock)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    nlp = clock.run("model load", load_pipeline)
    db = open_db(db_path)
    pages = 0
    docs = []
    for f in files:
        before = dict(clock.wall), dict(clock.cpu)
        w, c = time.perf_counter(), time.process_time()
        doc = extract(f)
        ew, ec = time.perf_counter() - w, time.process_time() - c
        inner_w = sum(clock.wall.get(k, 0) - before[0].get(k, 0) for k in clock.wall)
        inner_c = sum(clock.cpu.get(k, 0) - before[1].get(k, 0) for k in clock.cpu)
        clock.add("other extraction", ew - inner_w, ec - inner_c)
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
                      "total_cpu": time.process_time() - cpu0, "missing": missing}))


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
