"""Datasette metadata for citetrace databases: table and column descriptions (generated from
the schema declarations, db.schema), titles, facets, sort orders, label columns, and the
canned queries.

Everything is returned fresh from functions (Datasette mutates the dicts it merges).
"""

from __future__ import annotations

from citetrace.db.schema import SCHEMA

# How Datasette presents each table and view; what they hold (descriptions of tables and
# columns) is declared with the schema (db.schema) and joined in below.
_PRESENTATION = {
    "documents": {"title": "Documents", "label_column": "title", "sort_desc": "ingested_at",
                  "facets": ["extractor_version"]},
    "pages": {"title": "Pages", "facets": ["document_id"]},
    "passages": {"title": "Passages", "facets": ["kind", "document_id"], "sort": "id"},
    "footnotes": {"title": "Notes", "label_column": "label", "facets": ["kind", "document_id"],
                  "sort": "id"},
    "footnote_refs": {"title": "Note markers", "label_column": "label",
                      "facets": ["document_id"], "sort": "id"},
    "sources": {"title": "Sources", "label_column": "title", "facets": ["kind"],
                "sort": "title"},
    "citations": {"title": "Citations", "label_column": "title",
                  "facets": ["kind", "signal", "short_form"], "sort": "id"},
    "entity_names": {"title": "Entity names", "label_column": "name", "facets": ["label"],
                     "sort_desc": "mentions"},
    "entities": {"title": "Entity mentions", "label_column": "text",
                 "facets": ["label", "document_id"], "sort": "id"},
    "claims": {"title": "Claims", "label_column": "text",
               "facets": ["kind", "needs_source", "document_id"], "sort_desc": "score"},
    "furniture": {"title": "Page furniture"},
    "note_sources": {"title": "Note sources", "facets": ["document_id"]},
    "claim_footnotes": {"title": "Claim notes"},
    "claim_trace": {"title": "Claim trace", "facets": ["kind", "needs_source", "document_title"]},
    "citetrace_meta": {"hidden": True},
    # Cited-source health (issue 9, db/links): written only by `citetrace check-links`.
    "link_checks": {"title": "Link checks", "facets": ["verdict", "error_kind", "status"],
                    "sort_desc": "checked_at"},
    "link_archives": {"title": "Archive lookups", "sort_desc": "looked_up_at"},
    "source_health": {"title": "Source health", "facets": ["verdict", "error_kind"]},
}


def _described() -> dict:
    """Every table and view of the schema: description and column descriptions, presented."""
    out = {}
    for t in SCHEMA.tables:
        out[t.name] = {"description": t.description,
                       "columns": {c: text for c, (_sql, text) in t.columns.items()}}
    for v in SCHEMA.views:
        out[v.name] = {"description": v.description, "columns": dict(v.columns)}
    for name, shown in _PRESENTATION.items():
        out[name] = {**out[name], **shown}
    return out


_TABLES = _described()

_QUERIES = {
    "claims_with_dead_sources": {
        "title": "Claims whose sources are dead",
        "description": "Claims supported by a note citing a source whose latest check is dead, "
        "soft-404 or unreachable (run `citetrace check-links` first), with an archived copy "
        "where one is known.",
        "sql": """select
  claims.id as claim_id,
  claims.document_id,
  documents.title as document,
  footnotes.label as note,
  source_health.source_id,
  sources.title as source,
  source_health.verdict,
  source_health.status,
  source_health.failing_since,
  source_health.url,
  source_health.archive_url,
  claims.text as claim
from source_health
join sources on sources.id = source_health.source_id
join (select distinct footnote_id, source_id from note_sources) as note_sources
  on note_sources.source_id = source_health.source_id
join footnotes on footnotes.id = note_sources.footnote_id
join claim_footnotes on claim_footnotes.footnote_id = footnotes.id
join claims on claims.id = claim_footnotes.claim_id
join documents on documents.id = claims.document_id
where source_health.verdict in ('dead', 'soft-404', 'unreachable')
order by claims.document_id, claims.passage_id, claims.start, claims.id, source_health.source_id""",
    },
    "documents_by_dead_sources": {
        "title": "Documents by share of dead sources",
        "description": "Per document: sources with a URL, how many were checked, and the share "
        "of checked ones that are dead (dead or soft-404); unreachable counted apart.",
        "sql": """select
  documents.id,
  documents.title,
  count(distinct source_health.source_id) as sources_with_url,
  count(distinct case when source_health.verdict != 'unchecked'
    then source_health.source_id end) as checked,
  count(distinct case when source_health.verdict in ('dead', 'soft-404')
    then source_health.source_id end) as dead,
  count(distinct case when source_health.verdict = 'unreachable'
    then source_health.source_id end) as unreachable,
  count(distinct case when source_health.verdict = 'moved'
    then source_health.source_id end) as moved,
  round(1.0 * count(distinct case when source_health.verdict in ('dead', 'soft-404')
    then source_health.source_id end)
    / nullif(count(distinct case when source_health.verdict != 'unchecked'
      then source_health.source_id end), 0), 3) as dead_share
from documents
join footnotes on footnotes.document_id = documents.id
join citations on citations.footnote_id = footnotes.id
join source_health on source_health.source_id = citations.source_id
where source_health.url is not null
group by documents.id
order by dead_share desc nulls last, dead desc, documents.id""",
    },
    "claims_needing_source": {
        "title": "Claims needing a source",
        "description": "Factual claims with no supporting note, most check-worthy first.",
        "sql": """select
  claims.id,
  claims.document_id,
  documents.title as document,
  claims.passage_id,
  passages.page,
  claims.kind,
  round(claims.score, 3) as score,
  claims.text
from claims
join documents on documents.id = claims.document_id
left join passages on passages.id = claims.passage_id
where claims.needs_source = 1
order by claims.score desc, claims.id desc""",
    },
    "most_cited_sources": {
        "title": "Most cited sources",
        "description": "Sources by number of citing notes and documents.",
        "sql": """select
  sources.id,
  sources.title,
  sources.kind,
  sources.url,
  count(distinct citations.id) as citations,
  count(distinct citations.footnote_id) as notes,
  count(distinct footnotes.document_id) as documents,
  count(distinct claim_footnotes.claim_id) as claims
from sources
join citations on citations.source_id = sources.id
join footnotes on footnotes.id = citations.footnote_id
left join claim_footnotes on claim_footnotes.footnote_id = citations.footnote_id
group by sources.id
order by notes desc, documents desc, sources.id
limit 200""",
    },
    "notes_without_markers": {
        "title": "Notes without markers",
        "description": "Extraction QA: notes no marker in the body points to.",
        "sql": """select
  footnotes.id,
  footnotes.document_id,
  documents.title as document,
  footnotes.label,
  footnotes.page,
  footnotes.kind,
  footnotes.text
from footnotes
join documents on documents.id = footnotes.document_id
where not exists (
  select 1 from footnote_refs where footnote_refs.footnote_id = footnotes.id
)
order by footnotes.document_id, footnotes.seq, footnotes.id""",
    },
    "markers_without_notes": {
        "title": "Markers without notes",
        "description": "Extraction QA: markers in the body for which no note was found.",
        "sql": """select
  footnote_refs.id,
  footnote_refs.document_id,
  documents.title as document,
  footnote_refs.label,
  footnote_refs.page,
  footnote_refs.passage_id,
  substr(passages.text, max(1, footnote_refs.start - 80), 80) as text_before
from footnote_refs
join documents on documents.id = footnote_refs.document_id
left join passages on passages.id = footnote_refs.passage_id
left join footnotes on footnotes.id = footnote_refs.footnote_id
where footnotes.id is null
order by footnote_refs.document_id, footnote_refs.page, footnote_refs.id""",
    },
    "sources_cited_by_several_documents": {
        "title": "Sources cited by several documents",
        "description": "Sources that at least two documents cite.",
        "sql": """select
  sources.id,
  sources.title,
  sources.url,
  count(distinct footnotes.document_id) as documents,
  count(distinct citations.footnote_id) as notes,
  group_concat(distinct documents.title) as document_titles
from sources
join citations on citations.source_id = sources.id
join footnotes on footnotes.id = citations.footnote_id
join documents on documents.id = footnotes.document_id
group by sources.id
having count(distinct footnotes.document_id) >= 2
order by documents desc, notes desc, sources.id""",
    },
    "entities_on_cited_claims": {
        "title": "Entities most often in cited claims",
        "description": "Named entities mentioned inside claims that have a supporting note.",
        "sql": """select
  entity_names.id,
  entity_names.name,
  entity_names.label,
  count(distinct claims.id) as cited_claims,
  count(distinct claims.document_id) as documents
from claims
join entities on entities.passage_id = claims.passage_id
  and entities.start >= claims.start and entities."end" <= claims."end"
join entity_names on entity_names.id = entities.entity_name_id
where exists (select 1 from claim_footnotes where claim_footnotes.claim_id = claims.id)
group by entity_names.id
order by cited_claims desc, documents desc, entity_names.name
limit 200""",
    },
}


# Every key this metadata sets, at any level: Datasette asks for others (``allow`` on each
# permission check) and gets nothing from us, so get_metadata can skip building a copy.
KEYS = frozenset({"databases", "description", "tables"}
                 | {k for t in _TABLES.values() for k in t})


def _copy(value):
    # deepcopy for plain JSON-like data, without the memo: ~3x faster (called per request)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class Fresh(dict):
    """What get_metadata returns. Datasette deep-copies it on every view-table permission
    check (several per page): this makes that copy the plain one above."""

    def __deepcopy__(self, memo):
        return _copy(self)


def table_metadata() -> dict:
    """Per-table metadata for a citetrace database (a fresh copy)."""
    return _copy(_TABLES)


def canned_queries() -> dict:
    """The canned queries, keyed by their URL name (a fresh copy)."""
    return _copy(_QUERIES)


def database_metadata() -> dict:
    return {
        "description": "citetrace: passages, notes, citations, sources and claims extracted "
        "from PDF reports.",
        "tables": table_metadata(),
    }
