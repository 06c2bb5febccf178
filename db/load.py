"""The batch loader: PDF files, folders and globs -> a citetrace database.

Files whose SHA-256 is known (and read by this extractor version) are skipped; the rest go to
an executor (:mod:`db.executors`: local worker processes or a Dask cluster), and each finished
document is written here, in the calling process (the only writer), one transaction per
document, as it completes.
"""

from __future__ import annotations

import glob
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from citetrace.db.errors import reason
from citetrace.db.store import find_document, open_db, record_filename, write_document
from citetrace.ingest import EXTRACTOR_VERSION
from citetrace.ingest.extract import sha256_file
from citetrace.db.executors import DaskExecutor, LocalExecutor
from citetrace.ingest.pipeline import Job, Options


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
    suspect: str = ""  # why the self-check doubts the extraction ("" when it is ok)
    worker: str = ""  # who processed it: a local process or a Dask worker's address


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
    def suspect(self) -> int:
        return sum(bool(o.suspect) for o in self.outcomes if o.status == "ingested")

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def throughput(self) -> dict[str, tuple[int, float]]:
        """worker -> (pages, seconds busy) of the documents it ingested."""
        out: dict[str, tuple[int, float]] = {}
        for o in self.outcomes:
            if o.status == "ingested" and o.worker:
                pages, seconds = out.get(o.worker, (0, 0.0))
                out[o.worker] = (pages + o.pages, seconds + o.seconds)
        return out


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


def ingest(paths: list[str], db_path: str, workers: int = 1, force: bool = False,
           options: Options | None = None, report=None,
           executor: LocalExecutor | DaskExecutor | None = None, progress=None,
           on_start=None, allow_foreign: bool = False) -> Summary:
    """Ingest `paths` into `db_path` with `executor` (default: `workers` local processes).
    `report(outcome, done, total)` is called per file; `progress` and `on_start` are the
    executor's (:mod:`db.executors`). `allow_foreign`: write into another program's SQLite
    file (refused otherwise)."""
    options = options or Options()
    executor = executor or LocalExecutor(workers)
    started = time.perf_counter()
    db = open_db(db_path, allow_foreign=allow_foreign)
    summary = Summary()
    todo: list[Job] = []
    seen: dict[str, Path] = {}
    aliases: dict[str, list[str]] = {}  # sha256 -> other names of a file ingested in this run
    files = collect(paths)
    for path in files:
        if not path.is_file():
            summary.outcomes.append(Outcome(str(path), "failed", f"{path}: no such file"))
            continue
        try:
            sha = sha256_file(path)
        except OSError as e:
            summary.outcomes.append(Outcome(str(path), "failed", f"{path}: cannot read ({e.strerror})"))
            continue
        known = find_document(db, sha)
        if sha in seen:
            summary.outcomes.append(Outcome(str(path), "duplicate", f"{path.name}: same file as {seen[sha].name}"))
            if known:
                record_filename(db, known["id"], path.name)
            aliases.setdefault(sha, []).append(path.name)
            continue
        seen[sha] = path
        # a file read by an older extractor is read again (its annotations are re-anchored)
        if known and not force and known["extractor_version"] == EXTRACTOR_VERSION:
            record_filename(db, known["id"], path.name)
            summary.outcomes.append(Outcome(str(path), "skipped", f"{path.name}: unchanged (sha256 known)"))
            continue
        todo.append(Job(path, sha))
    for o in summary.outcomes:
        if report:
            report(o, len(summary.outcomes), len(files))

    def handle(path: Path, result, worker: str = "") -> None:
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
                            len(doc.footnotes), len(doc.markers), len(doc.claims), seconds,
                            "; ".join(doc.check.reasons) if doc.check else "", worker)
            except Exception as e:  # a full disk: this document rolled back, the next may fit
                why = f"{reason(e)}: nothing of it was saved" if isinstance(e, sqlite3.Error) else e
                o = Outcome(str(path), "failed", f"{path}: database write failed: {why}", seconds=seconds)
        summary.outcomes.append(o)
        if report:
            report(o, len(summary.outcomes), len(files))

    try:
        if todo:
            executor.run(todo, options, handle, progress, on_start)
    finally:
        db.conn.close()
    summary.seconds = time.perf_counter() - started
    return summary

