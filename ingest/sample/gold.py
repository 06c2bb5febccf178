"""The gold file, in the corpus gold format, written from the content and the layout record."""

from __future__ import annotations

import hashlib

from . import compose, content, markup

SOURCE = "typeset by citetrace (ingest/sample)"


def build_gold(report: content.Report, lay: compose.Layout, pdf: bytes, filename: str) -> dict:
    labels = {key: rec.label for key, rec in lay.notes.items()}
    return {
        "file": filename,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "source": SOURCE,
        "pages": len(lay.pages),
        "columns": 2,
        "note_system": "footnotes",
        "footnotes": _footnotes(report, lay, labels),
        "markers": _markers(lay),
        "furniture": [report.running_header, report.running_footer],
        "traps": _traps(report, lay, labels),
        "blocks": [{"type": b.kind, "text": b.text, "page": b.page} for b in lay.blocks],
    }


def note_text(report: content.Report, key: str, labels: dict[str, str]) -> str:
    return markup.clean(markup.resolve_note_refs(report.notes[key], labels))


def _ibid_of(text: str, previous_label: str | None) -> str | None:
    if text == "Ibid." or text.startswith("Ibid.,"):
        return previous_label
    return None


def _footnotes(report, lay: compose.Layout, labels) -> list[dict]:
    notes, previous = [], None
    for key, rec in lay.notes.items():
        text = note_text(report, key, labels)
        notes.append(
            {
                "label": rec.label,
                "page": rec.page,
                "kind": "footnote",
                "text": text,
                "urls": markup.urls(text),
                "continues_on_page": rec.continues_on_page,
                "ibid_of": _ibid_of(text, previous),
            }
        )
        previous = rec.label
    return notes


def _markers(lay: compose.Layout) -> list[dict]:
    """One entry per marker, in reading order, with the words and the sentence it closes."""
    result = []
    for block in lay.blocks:
        parsed = markup.parse(block.markup)
        for marker in parsed.markers:
            result.append(
                {
                    "label": lay.notes[marker.key].label,
                    "page": lay.marker_pages[marker.key],
                    "before": markup.words_before(parsed.text, marker.offset),
                    "sentence": markup.sentence_at(parsed.text, marker.offset),
                }
            )
    return result


def _traps(report, lay: compose.Layout, labels) -> list[str]:
    traps = []
    pages = {b.kind: b.page for b in lay.blocks if b.kind in ("caption", "pullquote")}
    if "caption" in pages:
        traps.append(
            f"page {pages['caption']}: the chart of Figure 1 prints axis ticks (0, 20, 40, 60, 80), "
            "bar labels such as “10 m³” and a legend; they are neither markers nor body text"
        )
    traps.append("“m³” in the body is a unit with a superscript three (³), not a note marker")
    if "pullquote" in pages:
        traps.append(
            f"page {pages['pullquote']}: the pull-quote between rules repeats a body sentence: "
            f"“{markup.clean(_pull_quote(report))}”"
        )
    traps.append("numbered section headings (“1. Introduction” …) are not notes")
    traps.append("note numbers at the foot of each column are raised like the body markers")
    for rec in lay.notes.values():
        if rec.continues_on_page:
            traps.append(
                f"note {rec.label} starts on page {rec.page} and continues at the top of the "
                f"notes of page {rec.continues_on_page} without a label"
            )
    for key, rec in lay.notes.items():
        for ref in markup.NOTE_REF_RE.findall(report.notes[key]):
            traps.append(f"note {rec.label} mentions “note {labels[ref]}”: a cross-reference, not a marker")
    traps.append(
        "body line-end break hyphens (not part of the word): "
        + _break_list(lay, "soft")
    )
    traps.append(
        "real compounds broken at their own hyphen at a line end (keep the hyphen): "
        + _break_list(lay, "hard")
    )
    for kind, what in (
        ("url-hyphen", "at a hyphen that belongs to the URL"),
        ("url-mid", "mid-word with no hyphen"),
    ):
        labels_with = [r.label for r in lay.notes.values() if kind in r.url_breaks]
        traps.append(f"URLs broken across lines {what}: notes {', '.join(labels_with)}")
    return traps


def _pull_quote(report: content.Report) -> str:
    return next(b.text for b in report.body if isinstance(b, content.PullQuote))


def _break_list(lay: compose.Layout, kind: str) -> str:
    items = [f"{before}/{after} (page {page})" for k, before, after, page in lay.body_breaks if k == kind]
    return "; ".join(items) if items else "none"
