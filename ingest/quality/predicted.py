"""What a citetrace database holds for one document, as far as scoring needs it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .gold import Gold
from .normalize import normalize_url


@dataclass(frozen=True)
class PredNote:
    id: int
    label: str
    page: int | None
    text: str


@dataclass(frozen=True)
class PredRef:
    label: str
    page: int | None
    footnote_id: int | None


@dataclass(frozen=True)
class PredPassage:
    kind: str | None
    text: str


@dataclass
class Predicted:
    """What the database holds for one document, as far as scoring needs it."""

    notes: list[PredNote] = field(default_factory=list)
    refs: list[PredRef] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)  # normalized
    passages: list[PredPassage] = field(default_factory=list)  # in reading order
    verdict: str | None = None  # the extraction's self-check (extraction_checks), if stored


def connect(db_path: str | Path) -> sqlite3.Connection:
    # sqlite3.connect would create an empty database for a wrong path; fail loudly instead.
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"database not found: {db_path}")
    # read-only: scoring never changes the file (no journal switch, no -wal left behind)
    conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _names(row: sqlite3.Row) -> list[str]:
    names = [row["filename"]]
    raw = row["filenames"] if "filenames" in row.keys() else None
    if raw:
        try:
            names += [n for n in json.loads(raw) if isinstance(n, str)]
        except (json.JSONDecodeError, TypeError):
            pass  # a malformed alias list must not hide the main filename
    return names


def _stem(filename: str) -> str:
    # Filenames are stored as given; accept Windows separators too.
    return PurePosixPath(filename.replace("\\", "/")).stem


def match_documents(conn: sqlite3.Connection, golds: list[Gold]) -> dict[str, int]:
    """Gold stem -> document id, by the stem of ``filename`` or any name in ``filenames``.

    When several documents share a stem (different versions of a file), the one whose sha256
    equals the gold's wins, then the most recently ingested one.
    """
    candidates: dict[str, list[sqlite3.Row]] = {}
    for row in conn.execute("select * from documents"):
        for stem in {_stem(n) for n in _names(row) if n}:
            candidates.setdefault(stem, []).append(row)
    matched = {}
    for gold in golds:
        rows = candidates.get(gold.stem)
        if rows:
            best = max(rows, key=lambda r: (r["sha256"] == gold.sha256,
                                            r["ingested_at"] or "", r["id"]))
            matched[gold.stem] = best["id"]
    return matched


def load_predicted(conn: sqlite3.Connection, document_id: int) -> Predicted:
    notes = [
        PredNote(r["id"], str(r["label"]).strip(), r["page"], r["text"] or "")
        for r in conn.execute(
            "select id, label, page, text from footnotes where document_id = ? order by seq, id",
            [document_id],
        )
    ]
    refs = [
        PredRef(str(r["label"]).strip(), r["page"], r["footnote_id"])
        for r in conn.execute(
            "select label, page, footnote_id from footnote_refs where document_id = ? order by id",
            [document_id],
        )
    ]
    # a citation's URLs: the one it cites and the archived copy printed beside it
    urls = {
        normalize_url(url)
        for r in conn.execute(
            "select citations.url, citations.archive_url from citations"
            " join footnotes on footnotes.id = citations.footnote_id"
            " where footnotes.document_id = ?",
            [document_id],
        )
        for url in (r["url"], r["archive_url"]) if url
    }
    passages = [
        PredPassage(r["kind"], r["text"] or "")
        for r in conn.execute(
            "select kind, text from passages where document_id = ? order by seq, id", [document_id]
        )
    ]
    verdict = None
    if conn.execute("select 1 from sqlite_master where name = 'extraction_checks'").fetchone():
        row = conn.execute("select verdict from extraction_checks where document_id = ?",
                           [document_id]).fetchone()
        verdict = row[0] if row else None
    return Predicted(notes, refs, urls - {""}, passages, verdict)
