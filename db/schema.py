"""The database schema: a public interface, queried in SQL by users.

Tables and columns listed here may be extended but never renamed or dropped.
``ensure_schema`` is idempotent: it creates what is missing and adds new columns.
"""

from __future__ import annotations

import sqlite_utils

from citetrace.db.links.schema import VIEWS as LINK_VIEWS  # cited-source health (issue 9)
from citetrace.db.links.schema import ensure_link_schema

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
            # a sentence running over a break ends in another passage (null: in passage_id)
            "end_passage_id": int,
            "zone": str,  # body | summary | abstract | textbox
            "support": str,  # marker | inline | both | none
            "support_scope": str,  # sentence | paragraph (its paragraph's note only) | null
            "sentence_id": int,
        },
        "id",
        [("document_id", "documents", "id"), ("passage_id", "passages", "id"),
         ("end_passage_id", "passages", "id")],
    ),
    # Every body sentence with the check-worthiness decision and its reasons; the
    # check-worthy ones are the claims (claims.sentence_id, sentences.claim_id).
    "sentences": (
        {
            "id": int,
            "document_id": int,
            "passage_id": int,
            "start": int,
            "end_passage_id": int,
            "end": int,
            "text": str,
            "zone": str,
            "check_worthy": int,
            "kind": str,
            "reasons": str,  # JSON list, in words
            "support": str,
            "support_scope": str,
            "needs_source": int,
            "footnote_ids": str,  # JSON list: the notes its markers point to
            "claim_id": int,
        },
        "id",
        [("document_id", "documents", "id"), ("passage_id", "passages", "id"),
         ("end_passage_id", "passages", "id"), ("claim_id", "claims", "id")],
    ),
    # Formal citations written in a sentence ("(P.L. 119-21)"), parsed like a note's.
    "inline_citations": (
        {
            "id": int,
            "document_id": int,
            "sentence_id": int,
            "claim_id": int,
            "seq": int,
            "start": int,  # offsets in the sentence's text
            "end": int,
            "text": str,
            "rule": str,
            "kind": str,
            "title": str,
            "authors": str,
            "date": str,
            "url": str,
            "source_id": int,
        },
        "id",
        [("document_id", "documents", "id"), ("sentence_id", "sentences", "id"),
         ("claim_id", "claims", "id"), ("source_id", "sources", "id")],
    ),
    # Printed text kept out of the passages (running heads, page numbers, stamps,
    # boilerplate), with the rule that removed it: what was left out can be audited.
    "furniture": (
        {
            "id": int,
            "document_id": int,
            "page": int,
            "reason": str,
            "text": str,
            "bbox": str,
        },
        "id",
        [("document_id", "documents", "id")],
    ),
    # The extraction's self-check, one row per document (ingest.selfcheck): counts that show
    # a collapse (notes read as body text, lines stored one per passage) and the verdict.
    "extraction_checks": (
        {
            "document_id": int,
            "notes_found": int,  # footnotes, endnotes and author notes extracted
            "label_gaps": int,  # labels missing from the note sequence (1, 2, 4: one gap)
            "label_duplicates": int,  # labels repeated or going back without a restart at 1
            "notes_without_marker": int,  # footnotes/endnotes no marker in the text points to
            "markers_without_note": int,  # raised numbers after a word in running text whose label no note has
            "unlinked_raised": int,  # raised label-like glyphs in the body left unlinked (any block)
            "note_like_lines": int,  # small-type body lines starting with a number no note has
            "unread_pairs": int,  # with no notes found: raised numbers that also start a small-type line
            "heading_share": float,  # share of the passages that are headings
            "passages_per_page": float,  # passages / pages
            "verdict": str,  # ok | suspect
            "reasons": str,  # why suspect, in words, "; "-separated (empty when ok)
        },
        "document_id",
        [("document_id", "documents", "id")],
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
    # source_health looks up each source's cited and archived URLs
    ("citations", ["source_id", "url"], False),
    ("citations", ["source_id", "archive_url"], False),
    ("sources", ["key"], True),
    ("entities", ["document_id"], False),
    ("entities", ["passage_id"], False),
    ("entities", ["entity_name_id"], False),
    ("entity_names", ["label", "name"], True),
    ("claims", ["document_id"], False),
    ("claims", ["passage_id"], False),
    ("sentences", ["document_id"], False),
    ("inline_citations", ["claim_id"], False),
    ("inline_citations", ["source_id"], False),
    ("claim_footnotes", ["footnote_id"], False),
    ("furniture", ["document_id", "page"], False),
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
    # The other way round, across documents: source -> citations -> notes -> claims.
    "source_citations": """
select
  sources.id as source_id,
  sources.key as source_key,
  sources.url as source_url,
  sources.title as source_title,
  sources.kind as source_kind,
  citations.id as citation_id,
  citations.title as citation_title,
  citations.date as citation_date,
  citations.short_form,
  footnotes.document_id,
  documents.title as document_title,
  documents.filename as document_filename,
  footnotes.id as footnote_id,
  footnotes.label as note_label,
  footnotes.page as note_page,
  claims.id as claim_id,
  claims.kind as claim_kind,
  claims.score as claim_score,
  claims.text as claim
from sources
join citations on citations.source_id = sources.id
join footnotes on footnotes.id = citations.footnote_id
join documents on documents.id = footnotes.document_id
left join claim_footnotes on claim_footnotes.footnote_id = footnotes.id
left join claims on claims.id = claim_footnotes.claim_id
""",
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or upgrade the citetrace schema in ``db``.

    Safe to call from several processes at once: the DDL runs in one immediate
    transaction, and what exists already is left alone.
    """
    db.execute("PRAGMA foreign_keys = ON")
    if db.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    from citetrace.annotations.schema import ensure_annotation_schema  # review annotations (issue 6)

    db.execute("BEGIN IMMEDIATE")
    try:
        _ensure_tables(db)
        for table, cols in FTS.items():
            _ensure_fts(db, table, cols)
        ensure_link_schema(db)
        for name, sql in LINK_VIEWS.items():
            ensure_view(db, name, sql)
        ensure_annotation_schema(db)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def ensure_view(db: sqlite_utils.Database, name: str, sql: str) -> None:
    """Create view `name`, or replace it when its SQL changed (not on every open)."""
    row = db.execute("select sql from sqlite_master where type = 'view' and name = ?",
                     [name]).fetchone()
    if row is None or sql.strip() not in row[0]:
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
        db.execute(f"CREATE VIEW [{name}] AS {sql}")


def _ensure_fts(db: sqlite_utils.Database, table: str, cols: list[str]) -> None:
    """The FTS5 index sqlite-utils' enable_fts builds (same names, so Datasette finds it),
    written statement by statement: enable_fts's executescript would commit our
    transaction halfway."""
    fts = f"{table}_fts"
    if db[fts].exists():
        return
    names = ", ".join(f"[{c}]" for c in cols)
    new = ", ".join(f"new.[{c}]" for c in cols)
    old = ", ".join(f"old.[{c}]" for c in cols)
    db.execute(f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({names}, tokenize='porter', "
               f"content=[{table}])")
    db.execute(f"INSERT INTO [{fts}] (rowid, {names}) SELECT rowid, {names} FROM [{table}]")
    db.execute(f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
               f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new}); END")
    db.execute(f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
               f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES('delete', old.rowid, {old}); END")
    db.execute(f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN "
               f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES('delete', old.rowid, {old}); "
               f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new}); END")


def _ensure_tables(db: sqlite_utils.Database) -> None:
    for name, (columns, pk, fks) in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(columns, pk=pk, foreign_keys=fks, not_null=_not_null(name))
        else:
            for col, typ in columns.items():
                if col not in table.columns_dict:
                    table.add_column(col, typ)
    for table, cols, unique in INDEXES:
        db[table].create_index(cols, unique=unique, if_not_exists=True)
    for name, sql in VIEWS.items():
        ensure_view(db, name, sql)
    db["citetrace_meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _not_null(name: str) -> set[str]:
    return {
        "documents": {"sha256", "filename"},
        "passages": {"document_id", "seq", "text"},
        "footnotes": {"document_id", "label", "text"},
        "footnote_refs": {"document_id", "label"},
        "claims": {"document_id", "text"},
        "sentences": {"document_id", "text"},
        "extraction_checks": {"verdict"},
    }.get(name, set())
