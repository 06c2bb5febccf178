"""The index, reader, trace and source pages (routes joined by
:mod:`plugins.datasette_citetrace`; made with the kit of :mod:`plugins.web`).

URLs (stable; the other pages' are in their modules' ``routes()``):

* ``/-/citetrace``                                 every citetrace database and its documents
* ``/<db>/-/citetrace``                            documents of one database
* ``/<db>/-/citetrace/documents/<id>``             reader view of a document
* ``/<db>/-/citetrace/claims/<id>``                trace of a claim to its sources
* ``/<db>/-/citetrace/sources/<id>``               a source and everything citing it
* ``/<db>/-/citetrace/search?q=``                  search passages, notes, claims (search.py)
* ``/<db>/-/citetrace/documents/<id>/pages/<n>.png`` a PDF page image (pages.py)
* ``/<db>/-/citetrace/documents/<id>/pages.json``  page sizes and boxes for the reader (pages.py)
* ``/<db>/-/citetrace/health``                     cited-source health (health.py)
* ``/<db>/-/citetrace/review``, ``annotations…``   review annotations (review.py)

``<db>`` is the database route as in Datasette's own URLs (tilde-encoded).
"""

from __future__ import annotations

from dataclasses import asdict

from datasette.utils.asgi import Forbidden, NotFound
from markupsafe import Markup

from citetrace.db.trace import ClaimPage, read_claim
from citetrace.plugins import claim_review, detect, health, queries, review, sources_pages, web
from citetrace.plugins.cache import data_version, snapshot_cache
from citetrace.plugins.metadata import canned_queries
from citetrace.plugins.start import start_here
from citetrace.plugins.render import css_token, render_text, safe_url
from citetrace.plugins.web import Links, url_id
from citetrace.plugins.wording import claim_kind, entity_type, plain_reasons

OTHER_CLAIMS_SHOWN = 100  # on a trace page
# Fragments of the reader rendered once per document and database snapshot.
READER_TEXT = "citetrace_reader_text.html"
READER_NOTES = "citetrace_reader_notes.html"

# The tables each page reads; a page is refused (403) when one of them is not viewable.
# Parts a page can go without (badges, the margin, open-annotation counts) are left out.
DOCUMENT_LIST_TABLES = ("documents", "pages", "passages", "footnotes", "footnote_refs",
                        "claims", "claim_footnotes")
INDEX_TABLES = (*DOCUMENT_LIST_TABLES, "citations", "sources", "note_sources")
READER_TABLES = ("documents", "passages", "footnotes", "footnote_refs", "citations", "sources",
                 "claims", "claim_footnotes", "entities")
TRACE_TABLES = ("documents", "passages", "footnotes", "footnote_refs", "citations", "sources",
                "claims", "claim_footnotes", "sentences", "inline_citations", "note_sources")
SOURCE_TABLES = ("documents", "footnotes", "citations", "sources", "claims", "claim_footnotes",
                 "note_sources")


def _queries_for_links() -> list[tuple[str, str]]:
    return [(name, q["title"]) for name, q in canned_queries().items()]


def _list_documents(conn, page: web.Readable, offset: int = 0) -> dict:
    """One page of the document list: ``documents``, ``total`` and the next/previous offsets."""
    annotations = page.can(["annotations"])
    documents, total = queries.list_documents(conn, annotations=annotations, offset=offset)
    if annotations:  # dismissals are annotations: counted only for those who may read them
        claim_review.apply_dismissals(conn, documents)
    if page.can(["extraction_checks"]):  # the self-check: which documents to distrust
        verdicts = queries.extraction_verdicts(conn, [d["id"] for d in documents])
        for d in documents:
            d["check"] = verdicts.get(d["id"])
    size = queries.DOCUMENTS_PER_PAGE
    return {"documents": documents, "total": total, "first": offset + 1 if documents else 0,
            "last": offset + len(documents),
            "previous": max(offset - size, 0) if offset else None,
            "next": offset + size if offset + size < total else None}


def _offset(request) -> int:
    """``?offset=`` of the document list: a row count, 0 when absent or not a number."""
    return web.parse_id(request.args.get("offset")) or 0


async def index_all(datasette, request):
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    databases = []
    for name, db in datasette.databases.items():
        if name == "_internal" or not await detect.is_citetrace_db(db):
            continue
        try:
            page = await web.readable_db(datasette, request.actor, db, DOCUMENT_LIST_TABLES,
                                         ["annotations", "extraction_checks"])
        except Forbidden:  # a database whose documents the actor may not list
            continue
        # every database's first page here; the rest on that database's own home
        databases.append({"name": name, "ct": Links(datasette, name),
                          **await page.read(_list_documents, page=page)})
    return await web.render(
        datasette, request, "citetrace_index.html",
        {"databases": databases, "database": None, "queries": _queries_for_links(),
         "top_sources": None},
        "citetrace-index",
    )


async def index_db(datasette, request):
    page = await web.readable(datasette, request, INDEX_TABLES,
                              [*health.TABLES, "annotations", "extraction_checks"])
    listing = await page.read(_list_documents, page=page, offset=_offset(request))
    top = await page.read(queries.top_sources, limit=10)
    titles = await page.read(sources_pages.best_titles, ids=[s["id"] for s in top or ()],
                             page_titles=page.can(health.TABLES))
    for s in top or ():
        s["title"] = titles.get(s["id"], s["title"])
    ct = Links(datasette, page.name)
    return await web.render(
        datasette, request, "citetrace_index.html",
        {"databases": [{"name": page.name, "ct": ct, **listing}],
         "database": page.name, "ct": ct, "queries": _queries_for_links(), "top_sources": top,
         "start": await start_here(page),
         "exports": ct.source_files(),
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css"),
         "ct_health": await health.badges(page, {s["id"] for s in top or ()}, ct)},
        "citetrace-database",
    )


def _passage_html(passage: dict):
    return render_text(passage["text"], markers=passage["markers"], claims=passage["claims"],
                       entities=passage["entities"])


def _reader_head(conn, doc_id: int):
    return data_version(conn), queries.get_document(conn, doc_id)


async def _reader_body(datasette, ct: Links, page: web.Readable, data: dict) -> dict:
    """The document-dependent part of the reader: passages and notes as HTML, and counts."""
    for p in data["passages"]:
        p["html"] = _passage_html(p)
    for n in data["notes"]:
        n["html"] = render_text(n["text"], entities=n["entities"])
    source_ids = {c["source_id"] for n in data["notes"] for c in n["citations"]
                  if c.get("source_id") is not None}
    common = {"ct": ct, "css_token": css_token, "safe_url": safe_url,
              "ct_health": await health.badges(page, source_ids, ct)}
    env = web.fragment_env(datasette)
    text = env.get_template(READER_TEXT).render(passages=data["passages"], **common)
    notes = env.get_template(READER_NOTES).render(notes=data["notes"], **common)
    return {
        "reader_text": Markup(text),
        "reader_notes": Markup(notes),
        "passage_count": len(data["passages"]),
        "note_count": len(data["notes"]),
        "claim_counts": data["claim_counts"],
        "entity_labels": [(label, entity_type(label), count)
                          for label, count in data["entity_labels"]],
        "orphan_marker_count": len(data["orphan_markers"]),
        "unreferenced_note_count": len(data["unreferenced_notes"]),
    }


async def reader(datasette, request):
    page = await web.readable(datasette, request, READER_TABLES,
                              [*health.TABLES, *review.MARGIN_TABLES, "extraction_checks"])
    doc_id = url_id(request)
    seen, document = await page.read(_reader_head, doc_id=doc_id)
    if document is None:
        raise NotFound(f"No document {doc_id}")
    # the self-check's verdict, for those who may view it: a suspect reading says so on top
    check = (await page.read(queries.extraction_verdicts, document_ids=[doc_id])).get(doc_id) \
        if page.can(["extraction_checks"]) else None
    ct = Links(datasette, page.name)
    # Passages and notes are rendered once per database snapshot (plugins/cache.py), apart
    # for those who may see the cited sources' health and those who may not.
    cache = snapshot_cache(datasette)
    generation = cache.observe(page.name, seen)
    key = ("reader", doc_id, page.can(health.TABLES))
    body = cache.get(page.name, key)
    if body is None:
        data = await page.read(queries.load_reader, doc_id=doc_id)
        if data is None:
            raise NotFound(f"No document {doc_id}")
        body = await _reader_body(datasette, ct, page, data)
        size = len(body["reader_text"]) + len(body["reader_notes"])
        cache.put(page.name, key, body, size, generation)
    # not in the cached body: only those who may read annotations see dismissals
    dismissed = (await page.read(claim_review.dismissed_counts, document_id=doc_id)).get(
        doc_id, 0) if page.can(review.MARGIN_TABLES) else 0
    return await web.render(
        datasette, request, "citetrace_reader.html",
        {"database": page.name, "ct": ct, "document": document, "dismissed": dismissed,
         "check": check,
         "ct_review": await review.margin(datasette, request, page, doc_id), **body},
        "citetrace-reader",
    )


def _trace_html(trace: ClaimPage) -> dict:
    """The claim page's text as HTML: the passage (the claim highlighted), the sentence with
    its markers, the notes."""
    claim = trace.claim
    span = {"id": claim.id, "start": claim.start, "end": claim.end, "kind": claim.kind,
            "needs_source": claim.needs_source, "cited": claim.cited}
    out = {"passage_html": None, "sentence_html": None,
           "note_html": {n.id: render_text(n.text) for n in claim.notes}}
    passage = trace.passage
    if passage:
        out["passage_html"] = render_text(
            passage.text, markers=[asdict(m) for m in trace.passage_markers], claims=[span],
            anchor_ids=False)
        start, end = claim.start, claim.end
        # the stored sentence, its markers placed where they stood in its passage (when it
        # lies in that one passage)
        if start is not None and end is not None and passage.text[start:end] == claim.sentence:
            out["sentence_html"] = render_text(claim.sentence, markers=[
                {**asdict(m), "start": m.start - start}
                for m in trace.markers if m.start is not None and start <= m.start <= end])
    if out["sentence_html"] is None:
        out["sentence_html"] = render_text(claim.sentence)
    return out


async def claim_trace(datasette, request):
    page = await web.readable(datasette, request, TRACE_TABLES,
                              [*health.TABLES, *review.MARGIN_TABLES])
    claim_id = url_id(request)
    trace = await page.read_upgraded(read_claim, claim_id=claim_id,
                                 other_limit=OTHER_CLAIMS_SHOWN)
    if trace is None:
        raise NotFound(f"No claim {claim_id}")
    ct = Links(datasette, page.name)
    badges = await health.badges(page, trace.source_ids(), ct)
    panel = await claim_review.panel(datasette, request, page, trace.claim)
    return await web.render(
        datasette, request, "citetrace_trace.html",
        {"database": page.name, "ct": ct, "claim": trace.claim, "document": trace.document,
         "passage": trace.passage, "markers": trace.markers, "notes": trace.claim.notes,
         "referenced": trace.referenced, "sources": trace.sources,
         # A source shared across a collection is cited by thousands of claims: the first
         # ones are listed (each source's page lists them all).
         "other_claims": trace.other_claims,
         "other_claims_total": trace.other_claims_total, **_trace_html(trace),
         "claim_kind": claim_kind(trace.claim.kind),
         "claim_reasons": plain_reasons(trace.claim.reasons),
         "ct_health": badges, "ct_claim_review": panel},
        "citetrace-claim",
    )


async def source(datasette, request):
    page = await web.readable(datasette, request, SOURCE_TABLES,
                              [*health.TABLES, *sources_pages.TALLY_TABLES])
    source_id = url_id(request)
    data = await page.read_upgraded(queries.load_source, source_id=source_id,
                                offset=_offset(request))
    if data is None:
        raise NotFound(f"No source {source_id}")
    ct = Links(datasette, page.name)
    for doc in data["documents"]:
        for n in doc["notes"]:
            n["html"] = render_text(n["text"])
    badges = await health.badges(page, health.collect_source_ids(data), ct)
    extras = await sources_pages.source_extras(page, source_id, data)
    return await web.render(
        datasette, request, "citetrace_source.html",
        {"database": page.name, "ct": ct, **data, **extras, "ct_health": badges,
         "exports": ct.source_files(source=source_id),
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css")},
        "citetrace-source",
    )


def routes():
    return [
        (r"^/-/citetrace/?$", index_all),
        (r"^/(?P<database>[^/]+)/-/citetrace/?$", index_db),
        (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/?$", reader),
        (r"^/(?P<database>[^/]+)/-/citetrace/claims/(?P<id>\d+)/?$", claim_trace),
        (r"^/(?P<database>[^/]+)/-/citetrace/sources/(?P<id>\d+)/?$", source),
    ]
