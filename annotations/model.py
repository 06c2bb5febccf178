"""What an annotation is: W3C Web Annotation terms, as Hypothesis uses them, plus review state.

A target is a document (by sha256, stable across re-ingests) and selectors on the text of a
passage or a note: a ``TextQuoteSelector`` (exact, prefix, suffix) that survives re-ingestion
and a ``TextPositionSelector`` (start, end) valid for the current rows. The current passage /
note / claim / source ids are recorded when the annotation is anchored; they change whenever
the document is re-ingested, the quote does not.

A quote may run over a passage break (a reviewer selecting across paragraphs, or a newer
extractor splitting a paragraph): positions are then offsets into the *stream* that starts at
``passage_id`` and continues with the following passages, joined by :data:`JOINER`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# Between passages (and notes) of a stream: what a browser selection across two paragraphs
# also yields, so a cross-passage quote is found again verbatim.
JOINER = "\n\n"

# W3C motivations useful in review (https://www.w3.org/TR/annotation-vocab/#motivation).
MOTIVATIONS = ("commenting", "questioning", "assessing", "highlighting", "tagging", "replying")
# Review verdicts, stored as tags (W3C bodies with purpose "tagging"). "source-not-needed"
# dismisses a claim's "needs a source" flag (the comment says why).
TAGS = ("verified", "disputed", "needs-source", "misquoted", "source-unavailable",
        "source-not-needed")

STATES = ("open", "in_review", "resolved", "rejected", "deleted")
# Review workflow. Deletion is a state (nothing is ever hard-deleted) and can be undone.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_review", "deleted"),
    "in_review": ("resolved", "rejected", "open", "deleted"),
    "resolved": ("open", "deleted"),
    "rejected": ("open", "deleted"),
    "deleted": ("open",),
}
# Verbs for buttons and the CLI, by target state.
ACTIONS = {"in_review": "start review", "resolved": "resolve", "rejected": "reject",
           "open": "reopen", "deleted": "delete"}

# How a target is tied to the current rows.
ANCHORS = ("exact", "fuzzy", "orphaned")
TARGET_KINDS = ("passage", "note")

QUOTE_CONTEXT = 32  # characters of prefix / suffix kept with a quote (Hypothesis uses 32)
# Every annotation is shown in the reader's margin, the queue and every export, and its
# history is append-only: a 50 MB comment would weigh on all of them for good.
BODY_MAX = 20_000  # characters of a comment (about ten pages)
QUOTE_MAX = 100_000  # characters of an imported quote (the reader's selections come from the text)


class AnnotationError(ValueError):
    """A request the model refuses (bad vocabulary, transition, target)."""


class NotFoundError(AnnotationError):
    pass


class NotSaved(AnnotationError):
    """A write that was not made at all, for a reason outside the request (a lock held too
    long, a full disk). The message is one line and carries the text that was not saved
    (JSON-quoted, so a multi-line comment stays on that line), for the reviewer to paste again."""

    def __init__(self, reason: str, what: str = "nothing was saved", text: str | None = None):
        self.text = text
        self.reason = f"{reason}: {what}"
        quoted = "" if text is None else f"; its text: {json.dumps(text, ensure_ascii=False)}"
        super().__init__(self.reason + quoted)
        self._why = reason

    def not_saved(self, what: str, text: str | None = None) -> "NotSaved":
        again = NotSaved.__new__(type(self))
        again.__dict__.update(self.__dict__)
        NotSaved.__init__(again, self._why, what, text)
        return again


class DatabaseBusy(NotSaved):
    """Another connection held the write lock past the stated wait: nothing was written."""

    def __init__(self, seconds: float, what: str = "nothing was saved", text: str | None = None):
        self.seconds = seconds
        super().__init__(f"the database stayed locked for {seconds:g} s by another write "
                         f"(an ingest?)", what, text)


class DiskFull(NotSaved):
    """SQLite could not grow the file or its journal (the disk, or the filesystem's quota, is
    full): the transaction was rolled back, nothing was written."""

    def __init__(self, what: str = "nothing was saved", text: str | None = None):
        super().__init__("the disk is full", what, text)


def allowed(state: str, new_state: str) -> bool:
    return new_state in TRANSITIONS.get(state, ())


@dataclass
class Target:
    document_sha256: str
    kind: str  # passage | note
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None  # TextPositionSelector, on the passage (stream) or note text
    end: int | None = None
    document_id: int | None = None
    passage_id: int | None = None
    end_passage_id: int | None = None
    footnote_id: int | None = None
    claim_id: int | None = None
    source_id: int | None = None


@dataclass
class Annotation:
    uuid: str
    target: Target
    body: str = ""
    motivation: str = "commenting"
    tags: list[str] = field(default_factory=list)
    author: str = ""
    assignee: str | None = None
    state: str = "open"
    anchor: str = "exact"
    anchor_score: float | None = None
    created: str = ""
    modified: str = ""
    id: int | None = None
    in_reply_to: str | None = None  # uuid of the annotation this one replies to

    @property
    def orphaned(self) -> bool:
        return self.anchor == "orphaned"


def check_length(what: str, text: str | None, limit: int) -> None:
    if text is not None and len(text) > limit:
        raise AnnotationError(f"{what} too long: {len(text):,} characters (at most {limit:,})")


def check_vocabulary(motivation: str, tags) -> list[str]:
    if motivation not in MOTIVATIONS:
        raise AnnotationError(f"unknown motivation {motivation!r} (one of {', '.join(MOTIVATIONS)})")
    tags = list(dict.fromkeys(t.strip() for t in tags or () if t and t.strip()))
    bad = [t for t in tags if t not in TAGS]
    if bad:
        raise AnnotationError(f"unknown tag {bad[0]!r} (one of {', '.join(TAGS)})")
    return tags
