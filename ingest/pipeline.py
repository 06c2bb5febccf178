"""Ingest PDFs into a citetrace database: extract -> citations -> NLP -> store.

Documents are processed in worker processes (each loads the spaCy model once); the main
process is the only writer, and writes each document in one transaction.
"""

from __future__ import annotations

import glob
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest import EXTRACTOR_VERSION
from ingest.extract import ExtractError, extract, sha256_file
from ingest.model import Document


@dataclass
class Options:
    model: str | None = None
    password: str | None = None
    max_pages: int | None = None


@dataclass
class Outcome:
    path: str
    status: str  # ingested | skipped | duplicate | failed
    message: str = ""
    pages: int = 0
    passages: int = 0
    notes: int = 0
    markers: int = 0
    claims: int = 0
    seconds: float = 0.0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status == "ingested")

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def collect(paths: list[str]) -> list[Path]:
    """Files, folders (their PDFs, recursively) and glob patterns -> PDF paths, in order."""
    out: list[Path] = []
    for p in paths:
        matches = [Path(m) for m in sorted(glob.glob(p, recursive=True))] if glob.has_magic(p) else [Path(p)]
        for m in matches:
            if m.is_dir():
                out.extend(sorted(x for x in m.rglob("*") if x.suffix.lower() == ".pdf"))
            else:
                out.append(m)
    return list(dict.fromkeys(out))


def process(path: Path, nlp, options: Options) -> Document:
    """Everything but the database write, for one file."""
    from ingest.citations import parse_citations
    from ingest.nlp import annotate

    doc = extract(path, password=options.password, max_pages=options.max_pages)
    parse_citations(doc)
    annotate(nlp, doc)
    return doc


# Worker processes keep their pipeline here: one model load per process, not per file.
_WORKER: dict = {}


def _init_worker(options: Options) -> None:
    from ingest.nlp import load_pipeline

    _WORKER["nlp"] = load_pipeline(options.model)
    _WORKER["options"] = options


def _work(path: Path) -> tuple[Document | None, str, float]:
    t = time.perf_counter()
    try:
        return process(path, _WORKER["nlp"], _WORKER["options"]), "", time.perf_counter() - t
    except ExtractError as e:
        return None, str(e), time.perf_counter() - t
    except Exception as e:  # one bad file must not stop the batch
        return None, f"{type(e).__name__}: {e}".splitlines()[0], time.perf_counter() - t


def ingest(paths: list[str], db_path: str, workers: int = 1, force: bool = False,
           options: Options | None = None, report=None) -> Summary:
    """Ingest `paths` into `db_path`. `report(outcome, done, total)` is called per file."""
    from db.store import find_document, open_db, record_filename, write_document

    options = options or Options()
    started = time.perf_counter()
    db = open_db(db_path)
    summary = Summary()
    todo: list[Path] = []
    seen: dict[str, Path] = {}
    aliases: dict[str, list[str]] = {}  # sha256 -> other names of a file ingested in this run
    files = collect(paths)
    for path in files:
        if not path.is_file():
            summary.outcomes.append(Outcome(str(path), "failed", f"{path}: no such file"))
            continue
        sha = sha256_file(path)
        known = find_document(db, sha)
        if sha in seen:
            summary.outcomes.append(Outcome(str(path), "duplicate", f"{path.name}: same file as {seen[sha].name}"))
            if known:
                record_filename(db, known["id"], path.name)
            aliases.setdefault(sha, []).append(path.name)
            continue
        seen[sha] = path
        if known and not force:
            record_filename(db, known["id"], path.name)
            summary.outcomes.append(Outcome(str(path), "skipped", f"{path.name}: unchanged (sha256 known)"))
            continue
        todo.append(path)
    for o in summary.outcomes:
        if report:
            report(o, len(summary.outcomes), len(files))

    def handle(path: Path, result) -> None:
        doc, error, seconds = result
        if doc is None:
            o = Outcome(str(path), "failed", error if error.startswith(str(path)) else f"{path}: {error}",
                        seconds=seconds)
        else:
            try:
                doc_id = write_document(db, doc, EXTRACTOR_VERSION)
                for name in aliases.get(doc.sha256, []):
                    record_filename(db, doc_id, name)
                o = Outcome(str(path), "ingested", "", doc.page_count, len(doc.passages),
                            len(doc.footnotes), len(doc.markers), len(doc.claims), seconds)
            except Exception as e:
                o = Outcome(str(path), "failed", f"{path}: database write failed: {e}", seconds=seconds)
        summary.outcomes.append(o)
        if report:
            report(o, len(summary.outcomes), len(files))

    if not todo:
        pass
    elif workers <= 1 or len(todo) <= 1:
        _init_worker(options)
        for path in todo:
            handle(path, _work(path))
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(options,)) as pool:
            for path, result in zip(todo, pool.map(_work, todo)):
                handle(path, result)
    db.conn.close()
    summary.seconds = time.perf_counter() - started
    return summary


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
