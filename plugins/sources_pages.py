"""Sources as a reader wants them (issue 17, items 7 and "Interoperability"): readable
titles, short forms under their full citation, each citing claim paired with its note, a
tally of reviewers' verdicts, and downloads for reference managers.

URLs (routes joined by :mod:`plugins.datasette_citetrace`):

* ``/<db>/-/citetrace/sources``                            every cited source
* ``/<db>/-/citetrace/sources.{bib,ris,csl.json}``         BibTeX / RIS / CSL-JSON of every
  cited source; ``?document=N`` those of one document, ``?source=N`` one source

The source page itself is :func:`plugins.views.source`; :func:`source_extras` is what this
module adds to it. Titles and the short-form pairing are :mod:`db.source_titles`, the files
:mod:`db.bibliography` (the same code as ``citetrace sources export``).
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from citetrace.db import bibliography
from citetrace.db.source_titles import TITLE_CITATIONS, load_sources, short_forms
from citetrace.plugins import health, queries, web

LIST_TABLES = ("documents", "footnotes", "citations", "sources")
EXPORT_TABLES = ("footnotes", "citations", "sources")
# The verdict tally reads annotations on the source and on the claims citing it.
TALLY_TABLES = ("annotations", "claims", "claim_footnotes", "note_sources")
VERDICT_TAGS = ("verified", "disputed", "needs-source", "misquoted", "source-unavailable")
COUNTED_STATES = ("open", "in_review", "resolved")  # rejected and deleted verdicts do not count
EXTENSIONS = {ext: fmt for fmt, ext in bibliography.FORMATS.items()}


def verdict_tally(conn, ids=None) -> dict[int, dict[str, int]]:
    """source id -> {tag: annotations}: annotations on the source itself or on a claim
    whose note cites it (directly or through a short form: table note_sources)."""
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if not {"claim_id", "source_id", "tags", "state"} <= columns:
        return {}
    if ids is not None:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return {}
        marks = queries._qmarks(ids)
        direct, through = f"and a.source_id in ({marks})", f"and ns.source_id in ({marks})"
    else:
        direct, through = "and a.source_id is not null", ""
    states = queries._qmarks(COUNTED_STATES)
    tags = queries._qmarks(VERDICT_TAGS)
    sql = f"""with tagged(annotation_id, source_id, tags) as (
      select a.id, a.source_id, a.tags from annotations a where a.state in ({states}) {direct}
      union
      select a.id, ns.source_id, a.tags from annotations a
      join claim_footnotes cf on cf.claim_id = a.claim_id
      join note_sources ns on ns.footnote_id = cf.footnote_id
      where a.state in ({states}) {through}
    )
    select t.source_id, j.value, count(distinct t.annotation_id)
    from tagged t, json_each(t.tags) j where j.value in ({tags})
    group by t.source_id, j.value"""
    out: dict[int, dict[str, int]] = {}
    for sid, tag, n in conn.execute(sql, [*COUNTED_STATES, *(ids or []), *COUNTED_STATES,
                                          *(ids or []), *VERDICT_TAGS]):
        out.setdefault(sid, {})[tag] = n
    return {sid: {t: counts[t] for t in VERDICT_TAGS if t in counts}
            for sid, counts in out.items()}


def best_titles(conn, ids, page_titles: bool) -> dict[int, str]:
    return {sid: s.best_title for sid, s in
            load_sources(conn, ids, page_titles, per_source=TITLE_CITATIONS).items()}


# --- the list of sources ------------------------------------------------------------------

LISTED = 1000  # sources on the list page, most cited first (the downloads have them all)


def load_source_list(conn, page_titles: bool) -> tuple[list[dict], int]:
    """The cited sources (the :data:`LISTED` most cited): readable title, notes and
    documents citing it, and its short forms (nested under it, not listed again)."""
    found = {sid: s for sid, s in load_sources(conn, page_titles=page_titles).items()
             if s.citations}
    shorts = short_forms(found)
    rows = {sid: {"id": sid, "title": s.best_title, "kind": s.kind, "url": s.url,
                  "notes": len({c["footnote_id"] for c in s.citations}),
                  "documents": len(s.documents), "short_forms": []}
            for sid, s in found.items()}
    for short_id, full_id in shorts.items():
        while full_id in shorts and shorts[full_id] != short_id:  # a short form of a short form
            full_id = shorts[full_id]
        rows[full_id]["short_forms"].append(rows[short_id])
    listed = [r for sid, r in rows.items() if sid not in shorts]
    ranked = sorted(listed, key=lambda r: (-r["documents"], -(r["notes"] + sum(
        s["notes"] for s in r["short_forms"])), r["title"].casefold(), r["id"]))
    return ranked[:LISTED], len(rows)


async def source_list(datasette, request):
    page = await web.readable(datasette, request, LIST_TABLES,
                              [*health.TABLES, *TALLY_TABLES])
    rows, total = await page.read(load_source_list, page_titles=page.can(health.TABLES))
    ids = {r["id"] for r in rows} | {s["id"] for r in rows for s in r["short_forms"]}
    tally = await page.read(verdict_tally) if page.can(TALLY_TABLES) else {}
    ct = web.Links(datasette, page.name)
    return await web.render(
        datasette, request, "citetrace_sources.html",
        {"database": page.name, "ct": ct, "sources": rows, "tally": tally,
         "exports": ct.source_files(), "total": total, "listed": LISTED,
         "ct_health": await health.badges(page, ids, ct),
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css")},
        "citetrace-sources",
    )


# --- the downloads ------------------------------------------------------------------------

def _export(conn, fmt: str, document_id, source_id) -> str:
    if document_id is not None and conn.execute(
            "select 1 from documents where id = ?", [document_id]).fetchone() is None:
        raise NotFound(f"No document {document_id}")
    if source_id is not None and conn.execute(
            "select 1 from sources where id = ?", [source_id]).fetchone() is None:
        raise NotFound(f"No source {source_id}")
    return bibliography.export(conn, fmt, document_id=document_id, source_id=source_id)


async def export(datasette, request):
    document_id, source_id = web.arg_id(request, "document"), web.arg_id(request, "source")
    needs = EXPORT_TABLES + (("documents",) if document_id is not None else ())
    page = await web.readable(datasette, request, needs)
    fmt = EXTENSIONS[request.url_vars["ext"]]
    text = await page.read(_export, fmt=fmt, document_id=document_id, source_id=source_id)
    scope = (f"-document-{document_id}" if document_id is not None else "") + \
        (f"-source-{source_id}" if source_id is not None else "")
    return Response(text, status=200,
                    content_type=f"{bibliography.MEDIA_TYPES[fmt]}; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="sources{scope}.{request.url_vars["ext"]}"',
                             "X-Content-Type-Options": "nosniff"})


# --- what the source page adds ------------------------------------------------------------

NEIGHBOUR_DOCUMENTS = 20  # a source of a whole collection: short forms from its first ones


def _neighbours(conn, source_id: int, page_titles: bool) -> dict:
    """This source and those cited by the same documents: the short-form candidates."""
    ids = [r[0] for r in conn.execute(
        """select distinct c2.source_id from footnotes f2
           join citations c2 on c2.footnote_id = f2.id
           where f2.document_id in (
             select distinct f1.document_id from citations c1
             join footnotes f1 on f1.id = c1.footnote_id where c1.source_id = ?
             order by f1.document_id limit ?)
           and c2.source_id is not null""", [source_id, NEIGHBOUR_DOCUMENTS])]
    found = load_sources(conn, {source_id, *ids}, page_titles=page_titles,
                         per_source=TITLE_CITATIONS, all_documents=True)
    shorts = short_forms(found)
    def brief(sid):
        return {"id": sid, "title": found[sid].best_title}
    return {"title": found[source_id].best_title if source_id in found else None,
            "full_form": brief(shorts[source_id]) if source_id in shorts else None,
            "short_forms": [brief(s) for s, full in shorts.items() if full == source_id]}


def pairs(documents: list[dict]) -> None:
    """Each document of :func:`plugins.queries.load_source` gets ``pairs``: one row per
    citing claim and note (a note no claim rests on gets a row of its own)."""
    for doc in documents:
        doc["pairs"] = [{"claim": c, "note": n} for n in doc["notes"]
                        for c in (n["claims"] or [None])]


async def source_extras(page: web.Readable, source_id: int, data: dict) -> dict:
    pairs(data["documents"])
    extras = await page.read(_neighbours, source_id=source_id,
                             page_titles=page.can(health.TABLES))
    tally = {}
    if page.can(TALLY_TABLES):
        tally = (await page.read(verdict_tally, ids=[source_id])).get(source_id, {})
    return {**extras, "tally": tally}


def routes():
    db = r"^/(?P<database>[^/]+)/-/citetrace"
    return [(db + r"/sources/?$", source_list),
            (db + r"/sources\.(?P<ext>bib|ris|csl\.json)$", export)]
