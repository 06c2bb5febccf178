"""The database schema: a public interface, queried in SQL by users.

Tables and columns listed here may be extended but never renamed or dropped. Each column
carries its description; the Datasette metadata (plugins.metadata) is generated from them.
:data:`SCHEMA` is every table of a citetrace database: these, the link tables
(db.links.schema) and the annotation tables (annotations.schema). db.migrate applies it.
"""

from __future__ import annotations

from citetrace.annotations import schema as annotation_tables
from citetrace.db.ddl import FullText, Index, Schema, Table, Trigger, View
from citetrace.db.links.schema import LINK_SCHEMA

# Column types, as sqlite-utils declared them in the databases it created.
INT, TEXT, REAL = "INTEGER", "TEXT", "REAL"
ROW_ID = "INTEGER PRIMARY KEY"


def ref(table: str, sql: str = INT) -> str:
    """A column pointing at ``table``'s id."""
    return f'{sql} REFERENCES "{table}"("id")'


BBOX = "JSON [x0, top, x1, bottom] on `page`, in points, origin top-left"
KINDS_OF_SOURCE = "web, report, article, book, legal_case, statute, government, other"
# Ids of a document's extracted rows are new on every re-ingest of the document.
EXTRACTED_ID = "Row id (new on every re-ingest of the document)"

TABLES = (
    Table("documents", "One row per ingested PDF (identified by its SHA-256).", {
        "id": (ROW_ID, "Document id (kept when the same file is ingested again)"),
        "sha256": (f"{TEXT} NOT NULL", "SHA-256 of the PDF file: the document's identity"),
        "filename": (f"{TEXT} NOT NULL", "File name it was first ingested under"),
        "title": (TEXT, "Title found in the PDF (metadata or first heading)"),
        "page_count": (INT, "Number of pages in the PDF"),
        "ingested_at": (TEXT, "When it was last ingested (UTC)"),
        "extractor_version": (TEXT, "Version of the citetrace extractor that produced the rows"),
        "path": (TEXT, "Absolute path of the PDF when ingested (older releases stored it as given, "
                           "perhaps relative)"),
        "filenames": (TEXT, "JSON list of every name this file was ingested under"),
    }),
    Table("pages", "Page sizes, in PDF points.", {
        "document_id": (ref("documents"), "The document"),
        "page": (INT, "Physical page number, 1-based"),
        "width": (REAL, "Page width in points"),
        "height": (REAL, "Page height in points"),
    }, ('PRIMARY KEY ("document_id", "page")',)),
    Table("passages", "Body text in reading order: headings, paragraphs, captions, pull "
          "quotes, list items. Note markers are removed from the text (see footnote_refs).", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents", f"{INT} NOT NULL"), "The document"),
              "seq": (f"{INT} NOT NULL", "Reading order within the document, 0-based"),
              "page": (INT, "Page where the passage starts"),
              "kind": (TEXT, "heading, paragraph, caption, pullquote, list_item or toc (a contents entry)"),
              "text": (f"{TEXT} NOT NULL", "Clean text: no note markers, hyphenation undone"),
              "bbox": (TEXT, BBOX),
              "regions": (TEXT, "JSON list of {page, bbox} for every page the passage covers"),
          }),
    Table("footnotes", "Footnotes and endnotes, with their full text.", {
        "id": (ROW_ID, EXTRACTED_ID),
        "document_id": (ref("documents", f"{INT} NOT NULL"), "The document"),
        "label": (f"{TEXT} NOT NULL", "Label as printed: 1, iv, *"),
        "page": (INT, "Page where the note starts"),
        "kind": (TEXT, "footnote, endnote or author_note"),
        "text": (f"{TEXT} NOT NULL", "Full text of the note"),
        "bbox": (TEXT, BBOX),
        "continues_on_page": (INT, "Page the note continues on, if it runs over"),
        "urls": (TEXT, "JSON list of URLs found in the note"),
        "seq": (INT, "Order of the note within the document"),
        "regions": (TEXT, "JSON list of {page, bbox} for every page the note covers"),
    }),
    Table("footnote_refs", "Markers in the body text pointing to notes. `start` is the offset "
          "in the passage text where the marker stood.", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents", f"{INT} NOT NULL"), "The document"),
              "passage_id": (ref("passages"), "Passage the marker stands in"),
              "footnote_id": (ref("footnotes"), "Note it points to (empty: no note found, an "
                              "extraction problem)"),
              "label": (f"{TEXT} NOT NULL", "Label as printed"),
              "page": (INT, "Page of the marker"),
              "start": (INT, "Offset in the passage text where the marker stood"),
              "end": (INT, "Equal to start (the marker is not part of the text)"),
              "bbox": (TEXT, "JSON [x0, top, x1, bottom] of the marker glyphs"),
          }),
    Table("sources", "Distinct works cited, shared across documents (deduplicated by key).", {
        "id": (ROW_ID, "Source id (kept across re-ingests: sources are shared)"),
        "key": (TEXT, "Deduplication key (normalized URL, DOI or title)"),
        "url": (TEXT, "URL of the source, if any"),
        "title": (TEXT, "Title of the work"),
        "publisher": (TEXT, "Publisher or container (journal, site)"),
        "kind": (TEXT, KINDS_OF_SOURCE),
        # What the list of sources shows, kept at write time (db.source_stats): reading every
        # citation to choose them took 5 s on 10,000 documents.
        "readable_title": (TEXT, "The title a reader would call it: the stored title, else "
                           "the one most notes give, else the case name, else words from the "
                           "URL, else the key (written at ingest)"),
        "readable_title_from": (TEXT, "Where readable_title came from: title, citations, "
                                "case, url or key (for url and key, pages show the page title "
                                "check-links fetched, when there is one)"),
        "title_words": (TEXT, "readable_title normalized (lower case, no punctuation): how "
                        "short forms are matched to the full title they abbreviate"),
        "citing_notes": (INT, "Notes citing it directly, in all documents"),
        "citing_documents": (INT, "Documents citing it directly"),
        "short_form_of": (ref("sources"), "For a short form (\"Baseline Study, 17\"): the "
                          "full citation it abbreviates (its first title words, same author, "
                          "a same document cites both)"),
    }),
    # The titles a source's notes give it, counted (db.source_stats): its readable title is
    # the most common, chosen without reading every citation again.
    Table("source_title_votes", "The titles, case names and URLs the notes give each source, "
          "with how many citations give each. Written at ingest.", {
              "source_id": (ref("sources"), "The source"),
              "kind": (TEXT, "title (as cited), case (a case's name as printed) or url (for a "
                       "source with no URL of its own)"),
              "value": (TEXT, "The title, case name or URL"),
              "citations": (INT, "Citations giving it"),
              # not a foreign key: a re-ingest deletes the citation before this is moved on
              "first_citation_id": (INT, "The first citation (citations.id) giving it, in "
                                    "document and note order (of equal counts, the first wins)"),
          }, ('PRIMARY KEY ("source_id", "kind", "value")',)),
    # A short form's author looked for in every citation of a full one and not found: not
    # looked for again at each write (a work cited by a whole collection has 10,000s).
    Table("source_names_absent", "Words (a short form's author) found in none of a source's "
          "citations, so not looked for again; forgotten when a citation of the source "
          "with that word is written. Written at ingest.", {
              "source_id": (ref("sources"), "The source"),
              "word": (TEXT, "The word, normalized (lower case, no punctuation)"),
          }, ('PRIMARY KEY ("source_id", "word")',)),
    Table("citations", "Works cited in each note, parsed; several per note are common.", {
        "id": (ROW_ID, EXTRACTED_ID),
        "footnote_id": (ref("footnotes"), "Note containing the citation"),
        "seq": (INT, "Order within the note"),
        "text": (TEXT, "Citation text as printed"),
        "url": (TEXT, "URL cited"),
        "title": (TEXT, "Title of the cited work"),
        "authors": (TEXT, "Authors, as printed"),
        "publisher": (TEXT, "Publisher"),
        "date": (TEXT, "Date, ISO (YYYY, YYYY-MM or YYYY-MM-DD)"),
        "source_id": (ref("sources"), "The deduplicated source"),
        "archive_url": (TEXT, "Archived copy printed with the citation (perma.cc, Wayback...)"),
        "kind": (TEXT, KINDS_OF_SOURCE),
        "container": (TEXT, "Journal, newspaper, website or collection"),
        "place": (TEXT, "Place of publication"),
        "date_text": (TEXT, "Date as printed"),
        "doi": (TEXT, "DOI"),
        "pages": (TEXT, "Pages cited"),
        "signal": (TEXT, "See, See also, Cf., See generally"),
        "short_form": (TEXT, "ibid, id, supra, hereinafter"),
        "refers_to_footnote_id": (ref("footnotes"), "For short forms: the note they refer "
                                  "back to"),
    }),
    # Short forms resolved once, at ingest (db.note_sources): readers never re-resolve them.
    Table("note_sources", "Which sources each note cites: directly, or through a short form "
          "(Ibid., Id., supra, hereinafter) referring back to an earlier note. Written at "
          "ingest; read by the pages, the canned queries and the trace.", {
              "document_id": (ref("documents"), "The document"),
              "footnote_id": (ref("footnotes"), "The note"),
              "source_id": (ref("sources"), "A source the note cites"),
              "citation_id": (ref("citations"), "The note's citation that leads to it (for a "
                              "short form, the short form itself)"),
              "via_footnote_id": (ref("footnotes"), "The earlier note a short form refers "
                                  "to, when the source is reached through it (empty: cited "
                                  "directly)"),
          }, ('PRIMARY KEY ("citation_id", "source_id")',)),
    Table("entity_names", "Canonical names of the people, organizations, places… mentioned.", {
        "id": (ROW_ID, "Entity id (kept across re-ingests: names are shared)"),
        "name": (TEXT, "Canonical name"),
        "label": (TEXT, "Entity type (spaCy label: ORG, PERSON, GPE, LAW…)"),
        "mentions": (INT, "Number of mentions across all documents"),
    }),
    Table("entities", "Each mention of a named entity in a passage or note.", {
        "id": (ROW_ID, EXTRACTED_ID),
        "document_id": (ref("documents"), "The document"),
        "passage_id": (ref("passages"), "Passage of the mention (empty when in a note)"),
        "start": (INT, "Start offset in the passage or note text"),
        "end": (INT, "End offset (exclusive)"),
        "text": (TEXT, "The mention as written"),
        "label": (TEXT, "Entity type"),
        "footnote_id": (ref("footnotes"), "Note of the mention (empty when in a passage)"),
        "entity_name_id": (ref("entity_names"), "Canonical entity"),
    }),
    Table("claims", "Check-worthy sentences, linked to the notes that support them. "
          "needs_source = 1: a factual claim with no note.", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents", f"{INT} NOT NULL"), "The document"),
              "passage_id": (ref("passages"), "Passage containing the sentence"),
              "start": (INT, "Start offset of the sentence in the passage text"),
              "end": (INT, "End offset (exclusive)"),
              "text": (f"{TEXT} NOT NULL", "The sentence"),
              "kind": (TEXT, "cited, quantitative, attributed, event or evaluative"),
              "score": (REAL, "Check-worthiness in [0, 1]"),
              "reasons": (TEXT, "JSON list of the reasons for the score"),
              "needs_source": (INT, "1 when the claim should cite a source but no note "
                               "supports it"),
              "end_passage_id": (ref("passages"), "Passage where a sentence running over a "
                                 "break ends (empty: in passage_id)"),
              "zone": (TEXT, "Where it stands: body, summary, abstract or textbox"),
              "support": (TEXT, "What supports it: marker, inline, both or none"),
              "support_scope": (TEXT, "How far support reaches: sentence, paragraph (its "
                                "paragraph's note only) or next sentence (a legal citation "
                                "sentence after it); empty: none"),
              "sentence_id": (INT, "The sentence it is (sentences.id)"),
              "page": (INT, "Page where the sentence starts (a passage may run over pages; "
                       "empty before 0.4.7: the passage's page)"),
          }),
    # Every body sentence with the check-worthiness decision and its reasons; the
    # check-worthy ones are the claims (claims.sentence_id, sentences.claim_id).
    Table("sentences", "Every body sentence, with the check-worthiness decision and its "
          "reasons; the check-worthy ones are the claims.", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents", f"{INT} NOT NULL"), "The document"),
              "passage_id": (ref("passages"), "Passage where the sentence starts"),
              "start": (INT, "Start offset in that passage's text"),
              "end_passage_id": (ref("passages"), "Passage where it ends, when it runs over a "
                                 "break"),
              "end": (INT, "End offset (exclusive) in the passage where it ends"),
              "text": (f"{TEXT} NOT NULL", "The sentence"),
              "zone": (TEXT, "Where it stands: body, summary, abstract or textbox"),
              "check_worthy": (INT, "1 when it is a claim"),
              "kind": (TEXT, "Kind of claim (when check-worthy)"),
              "reasons": (TEXT, "JSON list of the reasons for the decision, in words"),
              "support": (TEXT, "What supports it: marker, inline, both or none"),
              "support_scope": (TEXT, "How far support reaches: sentence, paragraph or "
                                "next sentence"),
              "needs_source": (INT, "1 when it should cite a source but nothing supports it"),
              "footnote_ids": (TEXT, "JSON list of the notes its markers point to"),
              "claim_id": (ref("claims"), "The claim it is, if check-worthy"),
              "page": (INT, "Page where the sentence starts (a passage may run over pages; "
                       "empty before 0.4.7: the passage's page)"),
          }),
    # Formal citations written in a sentence ("(P.L. 119-21)"), parsed like a note's.
    Table("inline_citations", "Formal citations written in a sentence (\"(P.L. 119-21)\"), "
          "parsed like a note's.", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents"), "The document"),
              "sentence_id": (ref("sentences"), "Sentence it is written in"),
              "claim_id": (ref("claims"), "Claim it supports, if the sentence is one"),
              "seq": (INT, "Order within the sentence"),
              "start": (INT, "Start offset in the sentence's text"),
              "end": (INT, "End offset (exclusive)"),
              "text": (TEXT, "Citation text as written"),
              "rule": (TEXT, "The pattern that recognised it"),
              "kind": (TEXT, KINDS_OF_SOURCE),
              "title": (TEXT, "Title of the cited work"),
              "authors": (TEXT, "Authors, as written"),
              "date": (TEXT, "Date, ISO"),
              "url": (TEXT, "URL cited"),
              "source_id": (ref("sources"), "The deduplicated source"),
          }),
    # Printed text kept out of the passages, with the rule that removed it: what was left
    # out can be audited.
    Table("furniture", "Printed text kept out of the passages (running heads, page numbers, "
          "stamps, boilerplate), with the rule that removed it.", {
              "id": (ROW_ID, EXTRACTED_ID),
              "document_id": (ref("documents"), "The document"),
              "page": (INT, "Page it is printed on"),
              "reason": (TEXT, "The rule that left it out (running head, page number...)"),
              "text": (TEXT, "The text as printed"),
              "bbox": (TEXT, BBOX),
          }),
    # The extraction's self-check (ingest.selfcheck): counts that show a collapse (notes read
    # as body text, lines stored one per passage) and the verdict.
    Table("extraction_checks", "The extraction's self-check, one row per document: counts "
          "that show a collapse and the verdict.", {
              "document_id": (ref("documents", ROW_ID),
                              "The document"),
              "notes_found": (INT, "Footnotes, endnotes and author notes extracted"),
              "label_gaps": (INT, "Labels missing from the note sequence (1, 2, 4: one gap)"),
              "label_duplicates": (INT, "Labels repeated or going back without a restart at 1"),
              "notes_without_marker": (INT, "Footnotes/endnotes no marker in the text points to"),
              "markers_without_note": (INT, "Raised numbers after a word in running text whose "
                                       "label no note has"),
              "unlinked_raised": (INT, "Raised label-like glyphs in the body left unlinked"),
              "note_like_lines": (INT, "Small-type body lines starting with a number no note "
                                  "has"),
              "unread_pairs": (INT, "With no notes found: raised numbers that also start a "
                               "small-type line"),
              "heading_share": (REAL, "Share of the passages that are headings"),
              "passages_per_page": (REAL, "Passages per page"),
              "verdict": (f"{TEXT} NOT NULL", "ok or suspect"),
              "reasons": (TEXT, "Why suspect, in words, '; '-separated (empty when ok)"),
          }),
    Table("claim_footnotes", "Which notes support which claim.", {
        "claim_id": (ref("claims"), "The claim"),
        "footnote_id": (ref("footnotes"), "A note supporting it"),
    }, ('PRIMARY KEY ("claim_id", "footnote_id")',)),
    Table("citetrace_meta", "Facts about the database itself (its schema version).", {
        "key": (f"{TEXT} PRIMARY KEY", "Name of the fact"),
        "value": (TEXT, "Its value"),
    }),
)

INDEXES = tuple(Index(table, tuple(cols), unique) for table, cols, unique in [
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
    ("sources", ["title_words"], False),
    ("sources", ["short_form_of"], False),
    ("note_sources", ["source_id"], False),
    ("note_sources", ["footnote_id"], False),
    ("note_sources", ["document_id"], False),
    # the most cited sources (home page) group by source from the index alone
    ("note_sources", ["source_id", "document_id", "footnote_id"], False),
    ("entities", ["document_id"], False),
    ("entities", ["passage_id"], False),
    ("entities", ["entity_name_id"], False),
    ("entity_names", ["label", "name"], True),
    ("claims", ["document_id"], False),
    ("claims", ["passage_id"], False),
    # "claims needing a source", most check-worthy first, read in index order (no sort)
    ("claims", ["needs_source", "score", "id"], False),
    ("sentences", ["document_id"], False),
    ("inline_citations", ["claim_id"], False),
    ("inline_citations", ["source_id"], False),
    ("claim_footnotes", ["footnote_id"], False),
    ("furniture", ["document_id", "page"], False),
])

# Every column referring to another table's id has an index (tests/test_query_plans.py checks
# every declared reference): deleting a document's passages, notes, claims and sentences (a
# re-ingest, a removal) makes SQLite look each deleted row up in the tables referring to it,
# and without an index each lookup read the whole table: 3 minutes per document at 3,000
# documents (docs/scaling.md). Migration 5 added these. They hold only the rows that do refer
# (most end_passage_id, claim_id, refers_to_footnote_id... are empty): SQLite uses them for
# "column = ?" all the same, and each write and the file pay for half as many entries.
REFERENCE_INDEXES = tuple(Index(table, (column,), where=f'"{column}" IS NOT NULL')
                          for table, column in [
    ("citations", "refers_to_footnote_id"),
    ("note_sources", "via_footnote_id"),
    ("entities", "footnote_id"),
    ("claims", "end_passage_id"),
    ("sentences", "passage_id"),
    ("sentences", "end_passage_id"),
    ("sentences", "claim_id"),
    ("inline_citations", "document_id"),
    ("inline_citations", "sentence_id"),
])

FULL_TEXT = (
    FullText("passages", ("text",)),
    FullText("footnotes", ("text",)),
    FullText("claims", ("text",)),
)

VIEWS = (
    View("claim_trace", "One row per claim and supporting note/citation: claim -> note -> "
         "citation -> source.", """
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
""", {
        "claim_id": "The claim",
        "document_id": "Its document",
        "document_title": "Title of the document",
        "kind": "Kind of claim: cited, quantitative, attributed, event or evaluative",
        "score": "Check-worthiness in [0, 1]",
        "claim": "The sentence",
        "needs_source": "1 when the claim should cite a source but no note supports it",
        "footnote_id": "A note supporting the claim (empty: none)",
        "note_label": "Label of the note as printed",
        "note_text": "Full text of the note",
        "citation_id": "A citation in that note (empty: none parsed)",
        "citation_title": "Title of the cited work",
        "citation_authors": "Authors, as printed",
        "citation_date": "Date of the cited work, ISO",
        "citation_url": "URL cited",
        "source_id": "The deduplicated source",
        "source_key": "Deduplication key of the source",
    }),
    View("source_citations", "The other way round, across documents: source -> citations -> "
         "notes -> claims.", """
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
""", {
        "source_id": "The source",
        "source_key": "Deduplication key of the source",
        "source_url": "URL of the source, if any",
        "source_title": "Title of the work",
        "source_kind": KINDS_OF_SOURCE,
        "citation_id": "A citation of the source",
        "citation_title": "Title as printed in that citation",
        "citation_date": "Date as cited, ISO",
        "short_form": "ibid, id, supra, hereinafter",
        "document_id": "Document citing it",
        "document_title": "Title of that document",
        "document_filename": "File name of that document",
        "footnote_id": "Note holding the citation",
        "note_label": "Label of the note as printed",
        "note_page": "Page where the note starts",
        "claim_id": "A claim the note supports (empty: none)",
        "claim_kind": "Kind of that claim",
        "claim_score": "Its check-worthiness in [0, 1]",
        "claim": "The claim's sentence",
    }),
)


def _annotation_schema() -> Schema:
    """The annotation tables, declared in plain data by annotations.schema (which may not
    import db)."""
    return Schema(
        tables=tuple(Table(name, **spec) for name, spec in annotation_tables.TABLES.items()),
        indexes=tuple(Index(table, tuple(cols)) for table, cols in annotation_tables.INDEXES),
        triggers=tuple(Trigger(name, sql) for name, sql in annotation_tables.TRIGGERS.items()),
    )


CORE_SCHEMA = Schema(tables=TABLES, indexes=INDEXES + REFERENCE_INDEXES, full_text=FULL_TEXT,
                     views=VIEWS)
SCHEMA = CORE_SCHEMA + LINK_SCHEMA + _annotation_schema()
