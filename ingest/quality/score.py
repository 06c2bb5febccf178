"""Scores of one document (:class:`DocScore`), of the set (:class:`Aggregate`), and
:func:`evaluate`, which scores a database against a folder of gold files.

A new measure: a function in :mod:`.metrics`, its fields on :class:`DocScore` (and
:class:`Aggregate`), one ``_x_scores`` helper here added to :func:`score_document`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .gold import Gold, load_gold_dir
from .metrics import (body_cover, furniture_leaked, marker_counts, marker_cover, match_notes, note_leak, prf,
                      pullquote_faults, sidebar_apart)
from .normalize import normalize, normalize_url
from .predicted import Predicted, connect, load_predicted, match_documents

# note text: a matched note's text counts as right at this similarity (the corpus README's)
TEXT_THRESHOLD = 0.95
COLLAPSE_F1 = 0.9  # a document below this note F1 must be called suspect by the self-check


@dataclass
class DocScore:
    """One gold file scored against its document (see the package docstring)."""

    stem: str
    document_id: int | None  # None: missing from the database
    notes_gold: int
    notes_pred: int
    notes_matched: int
    note_precision: float | None
    note_recall: float | None
    note_f1: float
    note_text: float | None  # share of gold notes with text similarity >= 0.95
    urls_gold: int
    urls_pred: int
    urls_matched: int
    url_f1: float
    markers_gold: int | None = None  # None: gold has no markers (cover is scored instead)
    markers_pred: int | None = None
    markers_matched: int | None = None
    marker_f1: float | None = None
    marker_cover: float | None = None
    note_leak: float | None = None
    leaked_notes: list[str] = field(default_factory=list)
    furniture_leak: int | None = None
    leaked_furniture: list[str] = field(default_factory=list)
    body_paragraphs: int | None = None
    body_cover: float | None = None
    unmatched_notes: list[str] = field(default_factory=list)  # gold labels without a match
    # gold pull quotes (ingest/variants --layouts): read twice in the body / splitting their
    # paragraph; gold sidebars and those read as passages of their own
    pullquotes: int = 0
    pullquotes_doubled: int = 0
    pullquotes_split: int = 0
    sidebars: int = 0
    sidebars_apart: int = 0
    verdict: str | None = None  # the self-check's ok | suspect (None: not stored)

    @property
    def missing(self) -> bool:
        return self.document_id is None

    @property
    def layout_faults(self) -> int:
        """Pull quotes read twice or splitting their paragraph, sidebars not kept apart."""
        return self.pullquotes_doubled + self.pullquotes_split + self.sidebars - self.sidebars_apart

    @property
    def collapsed(self) -> bool:
        """Bad enough that the self-check must call it suspect."""
        return self.notes_gold > 0 and self.note_f1 < COLLAPSE_F1


def _note_scores(gold: Gold, pred: Predicted) -> dict:
    pairs = match_notes(gold.notes, pred.notes)
    matched = sum(p is not None for _, p, _ in pairs)
    good_text = sum(p is not None and sim >= TEXT_THRESHOLD for _, p, sim in pairs)
    precision, recall, f1 = prf(matched, len(pred.notes), len(gold.notes))
    return dict(
        notes_gold=len(gold.notes), notes_pred=len(pred.notes), notes_matched=matched,
        note_precision=precision, note_recall=recall, note_f1=f1,
        note_text=good_text / len(gold.notes) if gold.notes else None,
        unmatched_notes=[g.label for g, p, _ in pairs if p is None],
    )


def _url_scores(gold: Gold, pred: Predicted) -> dict:
    gold_urls = {normalize_url(u) for n in gold.notes for u in n.urls} - {""}
    tp = len(gold_urls & pred.urls)
    return dict(urls_gold=len(gold_urls), urls_pred=len(pred.urls), urls_matched=tp,
                url_f1=prf(tp, len(pred.urls), len(gold_urls))[2])


def _marker_scores(gold: Gold, pred: Predicted) -> dict:
    if gold.markers is None:
        return dict(marker_cover=marker_cover(gold.notes, pred))
    tp, n_pred, n_gold = marker_counts(gold.markers, pred)
    return dict(markers_gold=n_gold, markers_pred=n_pred, markers_matched=tp,
                marker_f1=prf(tp, n_pred, n_gold)[2])


def _passage_scores(gold: Gold, pred: Predicted) -> dict:
    normalized = [(p.kind, normalize(p.text)) for p in pred.passages]
    haystack = "".join(text for _, text in normalized)
    gold_body = "".join(normalize(p) for p in gold.body_paragraphs or [])
    extracted: dict[str, str] = {}
    for n in pred.notes:
        extracted[n.label] = extracted.get(n.label, "") + "\n" + normalize(n.text)
    leak, leaked = note_leak(gold.notes, haystack, gold_body, extracted)
    scores = dict(note_leak=leak, leaked_notes=leaked)
    if gold.furniture:
        texts = [(p.kind, p.text) for p in pred.passages]
        found = [f for f in gold.furniture if furniture_leaked(f, texts)]
        scores.update(furniture_leak=len(found), leaked_furniture=found)
    body = [text for kind, text in normalized if kind != "pullquote"]
    faults = [pullquote_faults(q["text"], q["paragraph"], body) for q in gold.pullquotes]
    scores.update(pullquotes=len(faults), pullquotes_doubled=sum(d for d, _ in faults),
                  pullquotes_split=sum(s for _, s in faults), sidebars=len(gold.sidebars),
                  sidebars_apart=sum(sidebar_apart(b["heading"], b["text"], [t for _, t in normalized],
                                                   gold_body) for b in gold.sidebars))
    if gold.body_paragraphs is not None:
        scores.update(body_paragraphs=sum(bool(normalize(p)) for p in gold.body_paragraphs),
                      body_cover=body_cover(gold.body_paragraphs, haystack))
    return scores


def score_document(gold: Gold, pred: Predicted | None, document_id: int | None = None) -> DocScore:
    """Score one gold file; ``pred=None`` scores a missing document (see the package docstring)."""
    data = pred or Predicted()
    scores = {**_note_scores(gold, data), **_url_scores(gold, data),
              **_marker_scores(gold, data), **_passage_scores(gold, data)}
    if pred is None:
        # Leaks of a document that is not there are unknown, not zero.
        scores.update(note_leak=None, leaked_notes=[], furniture_leak=None, leaked_furniture=[])
    return DocScore(stem=gold.stem, document_id=document_id, verdict=data.verdict, **scores)


@dataclass
class Aggregate:
    """The set's scores; how each is aggregated is given in the package docstring."""

    documents: int = 0
    missing: int = 0
    notes_gold: int = 0
    notes_pred: int = 0
    notes_matched: int = 0
    spurious_notes: int = 0  # predicted notes in documents whose gold has none
    note_precision: float | None = None
    note_recall: float | None = None
    note_f1: float | None = None
    note_text: float | None = None
    urls_gold: int = 0
    urls_pred: int = 0
    urls_matched: int = 0
    url_precision: float | None = None
    url_recall: float | None = None
    url_f1: float | None = None
    marker_f1: float | None = None
    marker_cover: float | None = None
    note_leak: float | None = None
    furniture_leak: int | None = None
    body_cover: float | None = None
    # the self-check against the gold: collapsed documents it flagged, good ones it flagged
    collapsed: int = 0
    collapsed_suspect: int = 0
    good: int = 0
    good_suspect: int = 0
    pullquotes: int = 0
    pullquotes_doubled: int = 0
    pullquotes_split: int = 0
    sidebars: int = 0
    sidebars_apart: int = 0


def _weighted(rows: list[DocScore], attr: str) -> float | None:
    values = [(getattr(r, attr), r.notes_gold) for r in rows]
    values = [(v, w) for v, w in values if v is not None and w > 0]
    total = sum(w for _, w in values)
    return sum(v * w for v, w in values) / total if total else None


def _mean(rows: list[DocScore], attr: str) -> float | None:
    values = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    return sum(values) / len(values) if values else None


def aggregate(rows: list[DocScore]) -> Aggregate:
    furniture = [r.furniture_leak for r in rows if r.furniture_leak is not None]
    urls = (sum(r.urls_matched for r in rows), sum(r.urls_pred for r in rows),
            sum(r.urls_gold for r in rows))
    url_p, url_r, url_f1 = prf(*urls)
    checked = [r for r in rows if r.verdict is not None]
    return Aggregate(
        documents=len(rows),
        missing=sum(r.missing for r in rows),
        notes_gold=sum(r.notes_gold for r in rows),
        notes_pred=sum(r.notes_pred for r in rows),
        notes_matched=sum(r.notes_matched for r in rows),
        spurious_notes=sum(r.notes_pred for r in rows if r.notes_gold == 0),
        note_precision=_weighted(rows, "note_precision"),
        note_recall=_weighted(rows, "note_recall"),
        note_f1=_weighted(rows, "note_f1"),
        note_text=_weighted(rows, "note_text"),
        urls_matched=urls[0], urls_pred=urls[1], urls_gold=urls[2],
        url_precision=url_p, url_recall=url_r,
        url_f1=url_f1 if rows and (urls[1] or urls[2]) else None,
        marker_f1=_weighted(rows, "marker_f1"),
        marker_cover=_weighted(rows, "marker_cover"),
        note_leak=_mean(rows, "note_leak"),
        furniture_leak=sum(furniture) if furniture else None,
        body_cover=_mean(rows, "body_cover"),
        collapsed=sum(r.collapsed for r in checked),
        collapsed_suspect=sum(r.collapsed and r.verdict == "suspect" for r in checked),
        good=sum(not r.collapsed for r in checked),
        good_suspect=sum(not r.collapsed and r.verdict == "suspect" for r in checked),
        **{name: sum(getattr(r, name) for r in rows) for name in LAYOUT_COUNTS},
    )


LAYOUT_COUNTS = ("pullquotes", "pullquotes_doubled", "pullquotes_split", "sidebars", "sidebars_apart")


@dataclass
class EvalReport:
    db_path: str
    gold_dir: str
    documents: list[DocScore]
    aggregate: Aggregate

    @property
    def missing(self) -> list[str]:
        return [r.stem for r in self.documents if r.missing]

    def to_dict(self) -> dict:
        """Plain JSON-serializable form."""
        return {
            "db": self.db_path,
            "gold_dir": self.gold_dir,
            "documents": [{**asdict(r), "missing": r.missing} for r in self.documents],
            "missing": self.missing,
            "aggregate": asdict(self.aggregate),
        }


def evaluate(db_path: str | Path, gold_dir: str | Path) -> EvalReport:
    """Score every gold file in ``gold_dir`` against the database at ``db_path``."""
    golds = load_gold_dir(gold_dir)
    conn = connect(db_path)
    try:
        doc_ids = match_documents(conn, golds)
        rows = []
        for gold in golds:
            doc_id = doc_ids.get(gold.stem)
            pred = load_predicted(conn, doc_id) if doc_id is not None else None
            rows.append(score_document(gold, pred, doc_id))
    finally:
        conn.close()
    return EvalReport(str(db_path), str(gold_dir), rows, aggregate(rows))
