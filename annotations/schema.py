"""Annotation tables, declared: ``citetrace.db`` creates and upgrades them with the rest of
the schema (this package does not import db, so the declarations are plain data in the shape
of ``db.ddl.Table``: name -> description and columns).

Like the rest of the schema these are a public interface: columns are only ever added.
There are deliberately no foreign keys to passages / footnotes / claims: those rows are
deleted and re-inserted on every re-ingest, and annotations must outlive them. Triggers make
``annotation_history`` append-only and refuse to delete annotations (deletion is a state).
"""

from __future__ import annotations

# column -> (SQL type and constraints, description)
ANNOTATION_COLUMNS = {
    "id": ("INTEGER PRIMARY KEY", "Annotation id in this database"),
    "uuid": ("TEXT NOT NULL UNIQUE", "Stable id across databases (W3C id: urn:uuid:<uuid>)"),
    "document_sha256": ("TEXT NOT NULL", "SHA-256 of the annotated document: stable across "
                        "re-ingests"),
    "document_id": ("INTEGER", "The document (empty until a document with that SHA-256 is "
                    "ingested)"),
    "target_kind": ("TEXT NOT NULL", "passage or note"),
    "exact": ("TEXT NOT NULL", "The quoted text (W3C TextQuoteSelector)"),
    "prefix": ("TEXT", "Text just before the quote"),
    "suffix": ("TEXT", "Text just after the quote"),
    "start": ("INTEGER", "Start offset in the current passage (stream) or note text "
              "(TextPositionSelector)"),
    "end": ("INTEGER", "End offset (exclusive)"),
    "passage_id": ("INTEGER", "Passage where the quote starts (current ids; empty when "
                   "orphaned)"),
    "end_passage_id": ("INTEGER", "Passage where the quote ends, when it runs over a break"),
    "footnote_id": ("INTEGER", "Note annotated (note targets)"),
    "claim_id": ("INTEGER", "Claim the quote falls in, if any"),
    "source_id": ("INTEGER", "Source cited by the annotated note or claim, if one"),
    "anchor": ("TEXT NOT NULL DEFAULT 'exact'", "How it is tied to the current text: exact, "
               "fuzzy or orphaned"),
    "anchor_score": ("REAL", "Match quality of a fuzzy anchor, 0-100"),
    "body": ("TEXT", "The comment, Markdown (rendered with raw HTML disabled)"),
    "motivation": ("TEXT NOT NULL DEFAULT 'commenting'", "W3C motivation: commenting, "
                   "questioning, assessing, highlighting, tagging"),
    "tags": ("TEXT NOT NULL DEFAULT '[]'", "JSON list of review verdicts (verified, disputed, "
             "needs-source, misquoted, source-unavailable)"),
    "author": ("TEXT", "Who wrote it"),
    "assignee": ("TEXT", "Who is to act on it"),
    "state": ("TEXT NOT NULL DEFAULT 'open'", "open, in_review, resolved, rejected or deleted"),
    "created": ("TEXT NOT NULL", "When it was written (UTC)"),
    "modified": ("TEXT NOT NULL", "When it last changed (UTC)"),
    "in_reply_to": ("TEXT", "uuid of the annotation this one replies to (a reply shares its "
                    "target; motivation replying); empty for an annotation of the text"),
}

HISTORY_COLUMNS = {
    "id": ("INTEGER PRIMARY KEY", "Entry id"),
    "annotation_id": ("INTEGER NOT NULL", "The annotation"),
    "annotation_uuid": ("TEXT NOT NULL", "Its uuid"),
    "at": ("TEXT NOT NULL", "When (UTC)"),
    "actor": ("TEXT", "Who (citetrace:reanchor: a re-ingest; citetrace:remove: its document removed)"),
    "action": ("TEXT NOT NULL", "create, update, state, assign, reanchor, orphan or import"),
    "changes": ("TEXT NOT NULL", "JSON {column: [old, new]}"),
}

TABLES = {
    "annotations": {
        "description": "Reviewers' comments and verdicts on passages, notes and claims (W3C "
        "Web Annotations); they survive re-ingestion. Never deleted: deletion is a state.",
        "columns": ANNOTATION_COLUMNS,
    },
    "annotation_history": {
        "description": "Every change to an annotation, append-only.",
        "columns": HISTORY_COLUMNS,
    },
}

# (table, columns) of plain indexes
INDEXES = [
    ("annotations", ("document_sha256",)),
    ("annotations", ("document_id",)),
    ("annotations", ("state",)),
    ("annotation_history", ("annotation_id",)),
]

# trigger name -> what follows CREATE TRIGGER <name>
TRIGGERS = {
    "annotation_history_append_only_update": """BEFORE UPDATE ON annotation_history
       BEGIN SELECT RAISE(ABORT, 'annotation_history is append-only'); END""",
    "annotation_history_append_only_delete": """BEFORE DELETE ON annotation_history
       BEGIN SELECT RAISE(ABORT, 'annotation_history is append-only'); END""",
    "annotations_never_deleted": """BEFORE DELETE ON annotations
       BEGIN SELECT RAISE(ABORT, 'annotations are never deleted: set state = deleted'); END""",
}
