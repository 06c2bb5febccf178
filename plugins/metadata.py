"""Datasette metadata for citetrace databases: table titles, descriptions, facets, sort
orders, label columns, and the canned queries.

Everything is returned fresh from functions (Datasette mutates the dicts it merges).
"""

from __future__ import annotations

_TABLES = {
    "documents": {
        "title": "Documents",
        "description": "One row per ingested PDF (identified by its SHA-256).",
        "label_column": "title",
        "sort_desc": "ingested_at",
        "facets": ["extractor_version"],
        "columns": {
            "sha256": "SHA-256 of the PDF file: the document's identity",
            "filename": "File name it was first ingested under",
            "title": "Title found in the PDF (metadata or first heading)",
            "page_count": "Number of pages in the PDF",
            "ingested_at": "When it was last ingested (UTC)",
            "extractor_version": "Version of the citetrace extractor that produced the rows",
            "path": "Path of the PDF when ingested",
            "filenames": "JSON list of every name this file was ingested under",
        },
    },
    "pages": {
        "title": "Pages",
        "description": "Page sizes, in PDF points.",
        "facets": ["document_id"],
        "columns": {
            "page": "Physical page number, 1-based",
            "width": "Page width in points",
            "height": "Page height in points",
        },
    },
    "passages": {
        "title": "Passages",
        "description": "Body text in reading order: headings, paragraphs, captions, pull quotes, "
        "list items. Note markers are removed from the text (see footnote_refs).",
        "facets": ["kind", "document_id"],
        "sort": "id",
        "columns": {
            "seq": "Reading order within the document, 0-based",
            "page": "Page where the passage starts",
            "kind": "heading, paragraph, caption, pullquote or list_item",
            "text": "Clean text: no note markers, hyphenation undone",
            "bbox": "JSON [x0, top, x1, bottom] on `page`, in points, origin top-left",
            "regions": "JSON list of {page, bbox} for every page the passage covers",
        },
    },
    "footnotes": {
        "title": "Notes",
        "description": "Footnotes and endnotes, with their full text.",
        "label_column": "label",
        "facets": ["kind", "document_id"],
        "sort": "id",
        "columns": {
            "label": "Label as printed: 1, iv, *",
            "page": "Page where the note starts",
            "kind": "footnote, endnote or author_note",
            "text": "Full text of the note",
            "bbox": "JSON [x0, top, x1, bottom] on `page`",
            "continues_on_page": "Page the note continues on, if it runs over",
            "urls": "JSON list of URLs found in the note",
            "seq": "Order of the note within the document",
            "regions": "JSON list of {page, bbox} for every page the note covers",
        },
    },
    "footnote_refs": {
        "title": "Note markers",
        "description": "Markers in the body text pointing to notes. `start` is the offset in "
        "the passage text where the marker stood.",
        "label_column": "label",
        "facets": ["document_id"],
        "sort": "id",
        "columns": {
            "passage_id": "Passage the marker stands in",
            "footnote_id": "Note it points to (empty: no note found, an extraction problem)",
            "label": "Label as printed",
            "page": "Page of the marker",
            "start": "Offset in the passage text where the marker stood",
            "end": "Equal to start (the marker is not part of the text)",
            "bbox": "JSON [x0, top, x1, bottom] of the marker glyphs",
        },
    },
    "sources": {
        "title": "Sources",
        "description": "Distinct works cited, shared across documents (deduplicated by key).",
        "label_column": "title",
        "facets": ["kind"],
        "sort": "title",
        "columns": {
            "key": "Deduplication key (normalized URL, DOI or title)",
            "url": "URL of the source, if any",
            "title": "Title of the work",
            "publisher": "Publisher or container (journal, site)",
            "kind": "web, report, article, book, legal_case, statute, government, other",
        },
    },
    "citations": {
        "title": "Citations",
        "description": "Works cited in each note, parsed; several per note are common.",
        "label_column": "title",
        "facets": ["kind", "signal", "short_form"],
        "sort": "id",
        "columns": {
            "footnote_id": "Note containing the citation",
            "seq": "Order within the note",
            "text": "Citation text as printed",
            "url": "URL cited",
            "title": "Title of the cited work",
            "authors": "Authors, as printed",
            "publisher": "Publisher",
            "date": "Date, ISO (YYYY, YYYY-MM or YYYY-MM-DD)",
            "source_id": "The deduplicated source",
            "kind": "web, report, article, book, legal_case, statute, government, other",
            "container": "Journal, newspaper, website or collection",
            "place": "Place of publication",
            "date_text": "Date as printed",
            "doi": "DOI",
            "pages": "Pages cited",
            "signal": "See, See also, Cf., See generally",
            "short_form": "ibid, id, supra, hereinafter",
            "refers_to_footnote_id": "For short forms: the note they refer back to",
        },
    },
    "entity_names": {
        "title": "Entity names",
        "description": "Canonical names of the people, organizations, places… mentioned.",
        "label_column": "name",
        "facets": ["label"],
        "sort_desc": "mentions",
        "columns": {
            "name": "Canonical name",
            "label": "Entity type (spaCy label: ORG, PERSON, GPE, LAW…)",
            "mentions": "Number of mentions across all documents",
        },
    },
    "entities": {
        "title": "Entity mentions",
        "description": "Each mention of a named entity in a passage or note.",
        "label_column": "text",
        "facets": ["label", "document_id"],
        "sort": "id",
        "columns": {
            "passage_id": "Passage of the mention (empty when in a note)",
            "footnote_id": "Note of the mention (empty when in a passage)",
            "start": "Start offset in the passage or note text",
            "end": "End offset (exclusive)",
            "text": "The mention as written",
            "label": "Entity type",
            "entity_name_id": "Canonical entity",
        },
    },
    "claims": {
        "title": "Claims",
        "description": "Check-worthy sentences, linked to the notes that support them. "
        "needs_source = 1: a factual claim with no note.",
        "label_column": "text",
        "facets": ["kind", "needs_source", "document_id"],
        "sort_desc": "score",
        "columns": {
            "passage_id": "Passage containing the sentence",
            "start": "Start offset of the sentence in the passage text",
            "end": "End offset (exclusive)",
            "text": "The sentence",
            "kind": "cited, quantitative, attributed, event or evaluative",
            "score": "Check-worthiness in [0, 1]",
            "reasons": "JSON list of the reasons for the score",
            "needs_source": "1 when the claim should cite a source but no note supports it",
        },
    },
    "claim_footnotes": {
        "title": "Claim notes",
        "description": "Which notes support which claim.",
        "columns": {"claim_id": "The claim", "footnote_id": "A note supporting it"},
    },
    "claim_trace": {
        "title": "Claim trace",
        "description": "One row per claim and supporting note/citation: claim -> note -> "
        "citation -> source.",
        "facets": ["kind", "needs_source", "document_title"],
    },
    "citetrace_meta": {"hidden": True},
    # Cited-source health (issue 9, db/links): written only by `citetrace check-links`.
    "link_checks": {
        "title": "Link checks",
        "description": "Every check of a cited URL (a history: one row per check, never "
        "updated). Written only by `citetrace check-links`.",
        "facets": ["verdict", "error_kind", "status"],
        "sort_desc": "checked_at",
        "columns": {
            "url": "URL as cited (sources.url or citations.url)",
            "checked_url": "URL requested, when it differs (the live URL behind a Wayback link)",
            "checked_at": "When (UTC)",
            "verdict": "ok, redirected, moved, soft-404, dead or unreachable",
            "status": "Final HTTP status (empty: no answer)",
            "final_url": "Address after redirects",
            "redirects": "JSON list of the 3xx hops: {url, status}",
            "content_type": "Content-Type of the final answer",
            "title": "Title of an HTML page",
            "error_kind": "dns, timeout, tls, refused, http, redirects, invalid or other",
            "error": "Error message",
            "method": "HEAD or GET (the request that decided)",
            "attempts": "Requests for the last hop, retries included",
            "elapsed_ms": "Time the check took",
        },
    },
    "link_archives": {
        "title": "Archive lookups",
        "description": "Wayback Machine availability API answers for sources that are not ok.",
        "sort_desc": "looked_up_at",
        "columns": {
            "url": "URL as cited",
            "target_date": "Date asked for (YYYYMMDD): the report's publication or ingest date",
            "archive_url": "Closest snapshot (empty: none)",
            "archive_timestamp": "Snapshot time, YYYYMMDDhhmmss",
            "archive_status": "HTTP status the archive recorded",
            "api": "Availability API asked",
        },
    },
    "source_health": {
        "title": "Source health",
        "description": "Latest verdict per source, from link_checks; archived copy (printed in "
        "a note, else Wayback).",
        "facets": ["verdict", "error_kind"],
        "columns": {
            "verdict": "Latest check: ok, redirected, moved, soft-404, dead, unreachable "
            "(unchecked: never checked)",
            "last_alive_at": "Last check that found it ok or redirected",
            "failing_since": "First failing check since then",
            "printed_archive_url": "Archive link printed in a note (perma.cc, Wayback...)",
            "wayback_url": "Snapshot found by the availability API",
            "archive_url": "The archived copy to read: printed, else Wayback",
        },
    },
}

_QUERIES = {
    "claims_with_dead_sources": {
        "title": "Claims whose sources are dead",
        "description": "Claims supported by a note citing a source whose latest check is dead, "
        "soft-404 or unreachable (run `citetrace check-links` first), with an archived copy "
        "where one is known.",
        "sql": """with note_sources(footnote_id, source_id) as (
  select footnote_id, source_id from citations where source_id is not null
  union
  select c.footnote_id, r.source_id from citations c
  join citations r on r.footnote_id = c.refers_to_footnote_id
  where c.source_id is null and r.source_id is not null
)
select
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
join note_sources on note_sources.source_id = source_health.source_id
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
where claims.needs_source
order by claims.score desc, claims.id""",
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
