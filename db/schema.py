"""The database schema: a public interface, queried in SQL by users.

Tables and columns listed here may be extended but never renamed or dropped.
``ensure_schema`` is idempotent: it creates what is missing and adds new columns.
"""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 1

# table -> (columns in order, primary key, foreign keys)
TABLES: dict[str, tuple[dict[str, type], str | tuple | None, list[tuple[str, str, str]]]] = {
    "documents": (
        {
            "id": int,
            "sha256": str,
            "filename": str,
            "title": str,
            "page_count": int,
            "ingested_at": str,
            "extractor_version": str,
            "path": str,
            "filenames": str,  # JSON list: every name this file was ingested under
        },
        "id",
        [],
    ),
    "pages": (
        {"document_id": int, "page": int, "width": float, "height": float},
        ("document_id", "page"),
        [("document_id", "documents", "id")],
    ),
    "passages": (
        {
            "id": int,
            "document_id": int,
            "seq": int,
            "page": int,
            "kind": str,
            "text": str,
            "bbox": str,  # JSON [x0, top, x1, bottom] on `page`
            "regions": str,  # JSON [{"page": n, "bbox": [...]}, ...] for every page covered
        },
        "id",
        [("document_id", "documents", "id")],
    ),
    "footnotes": (
        {
            "id": int,
            "document_id": int,
            "label": str,
            "page": int,
            "kind": str,
            "text": str,
            "bbox": str,
            "continues_on_page": int,
            "urls": str,  # JSON list
            "seq": int,
            "regions": str,
        },
        "id",
        [("document_id", "documents", "id")],
    ),
    "footnote_refs": (
        {
            "id": int,
            "document_id": int,
            "passage_id": int,
            "footnote_id": int,
            "label": str,
            "page": int,
            "start": int,
            "end": int,
            "bbox": str,
        },
        "id",
        [
            ("document_id", "documents", "id"),
            ("passage_id", "passages", "id"),
            ("footnote_id", "footnotes", "id"),
        ],
    ),
    "sources": (
        {"id": int, "key": str, "url": str, "title": str, "publisher": str, "kind": str},
        "id",
        [],
    ),
    "citations": (
        {
            "id": int,
            "footnote_id": int,
            "seq": int,
            "text": str,
            "url": str,
            "title": str,
            "authors": str,
            "publisher": str,
            "date": str,
            "source_id": int,
            "archive_url": str,
            "kind": str,
            "container": str,
            "place": str,
            "date_text": str,
            "doi": str,
            "pages": str,
            "signal": str,
            "short_form": str,
            "refers_to_footnote_id": int,
        },
        "id",
        [
            ("footnote_id", "footnotes", "id"),
            ("source_id", "sources", "id"),
            ("refers_to_footnote_id", "footnotes", "id"),
        ],
    ),
    "entity_names": (
        {"id": int, "name": str, "label": str, "mentions": int},
        "id",
        [],
    ),
    "entities": (
        {
            "id": int,
            "document_id": int,
            "passage_id": int,
            "start": int,
            "end": int,
            "text": str,
            "label": str,
            "footnote_id": int,
            "entity_name_id": int,
        },
        "id",
        [
            ("document_id", "documents", "id"),
            ("passage_id", "passages", "id"),
            ("footnote_id", "footnotes", "id"),
            ("entity_name_id", "entity_names", "id"),
        ],
    ),
    "claims": (
        {
            "id": int,
            "document_id": int,
            "passage_id": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "score": float,
            "reasons": str,  # JSON list
            "needs_source": int,
        },
        "id",
        [("document_id", "documents", "id"), ("passage_id", "passages", "id")],
    ),
    "claim_footnotes": (
        {"claim_id": int, "footnote_id": int},
        ("claim_id", "footnote_id"),
        [("claim_id", "claims", "id"), ("footnote_id", "footnotes", "id")],
    ),
}

INDEXES = [
    ("documents", ["sha256"], True),
    ("passages", ["document_id", "seq"], False),
    ("footnotes", ["document_id", "label"], False),
    ("footnote_refs", ["document_id"], False),
    ("footnote_refs", ["passage_id"], False),
    ("footnote_refs", ["footnote_id"], False),
    ("citations", ["footnote_id"], False),
    ("citations", ["source_id"], False),
    ("sources", ["key"], True),
    ("entities", ["document_id"], False),
    ("entities", ["passage_id"], False),
    ("entities", ["entity_name_id"], False),
    ("entity_names", ["label", "name"], True),
    ("claims", ["document_id"], False),
    ("claims", ["passage_id"], False),
    ("claim_footnotes", ["footnote_id"], False),
]

FTS = {
    "passages": ["text"],
    "footnotes": ["text"],
    "claims": ["text"],
}

VIEWS = {
    # One row per claim and supporting note/citation: the chain a reader follows.
    "claim_trace": """
select
  claims.id as claim_id,
  claims.document_id,
  documents.title as document_title,
  claims.kind,
  claims.score,
  claims.text as claim,
  claims.needs_source,
  footnotes.id as footnote_id,
  footnotes.label as note_label,
  footnotes.text as note_text,
  citations.id as citation_id,
  citations.title as citation_title,
  citations.authors as citation_authors,
  citations.date as citation_date,
  citations.url as citation_url,
  sources.id as source_id,
  sources.key as source_key
from claims
join documents on documents.id = claims.document_id
left join claim_footnotes on claim_footnotes.claim_id = claims.id
left join footnotes on footnotes.id = claim_footnotes.footnote_id
left join citations on citations.footnote_id = footnotes.id
left join sources on sources.id = citations.source_id
""",
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or upgrade the citetrace schema in ``db``."""
    db.execute("PRAGMA foreign_keys = ON")
    if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    with db.conn:
        for name, (columns, pk, fks) in TABLES.items():
            table = db[name]
            if not table.exists():
                table.create(columns, pk=pk, foreign_keys=fks, not_null=_not_null(name))
            else:
                missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
                for col, typ in missing.items():
                    table.add_column(col, typ)
        for table, cols, unique in INDEXES:
            db[table].create_index(cols, unique=unique, if_not_exists=True)
        for name, sql in VIEWS.items():
            db.create_view(name, sql, replace=True)
        db["citetrace_meta"].upsert(
            {"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key"
        )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    for table, cols in FTS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(cols, create_triggers=True, tokenize="porter")


def _not_null(name: str) -> set[str]:
    return {
        "documents": {"sha256", "filename"},
        "passages": {"document_id", "seq", "text"},
        "footnotes": {"document_id", "label", "text"},
        "footnote_refs": {"document_id", "label"},
        "claims": {"document_id", "text"},
    }.get(name, set())
