"""Ids in the plugin's canned queries link to their citetrace pages ("Claims needing a
source": each claim id opens its trace), through Datasette's ``render_cell`` hook.

Datasette 0.65 does not tell ``render_cell`` which query a cell belongs to, only its row:
each canned query is recognised by its columns (asked of SQLite once per database), and a
cell is linked when its row has exactly those columns. The link shows what the cell showed.
The columns are read at startup (:func:`learn`), not while answering a request: preparing
a query reads its tables, which an actor may not be allowed to view.
"""

from __future__ import annotations

from markupsafe import Markup

from citetrace.plugins import metadata, web

# query -> {column: what its value is the id of}
ID_LINKS = {
    "claims_needing_source": {"id": "claim", "document_id": "document"},
    "claims_with_dead_sources": {"claim_id": "claim", "document_id": "document",
                                 "source_id": "source"},
    "documents_by_dead_sources": {"id": "document"},
    "most_cited_sources": {"id": "source"},
    "sources_cited_by_several_documents": {"id": "source"},
    "notes_without_markers": {"id": "note", "document_id": "document"},
    "markers_without_notes": {"id": "marker", "document_id": "document",
                              "passage_id": "passage"},
}
_CACHE_ATTR = "_citetrace_query_columns"


def _columns(conn) -> dict[tuple, str]:
    """The column tuple of each canned query -> its name."""
    out = {}
    for name, query in metadata.canned_queries().items():
        if name not in ID_LINKS:
            continue
        try:
            cur = conn.execute(f"select * from ({query['sql']}) limit 0")
        except Exception:  # a database without the link tables: that query is not linked
            continue
        out[tuple(d[0] for d in cur.description)] = name
    return out


def _href(ct: web.Links, kind: str, value: int, row: dict) -> str | None:
    document = row.get("document_id")
    if kind == "claim":
        return ct.claim(value)
    if kind == "source":
        return ct.source(value)
    if kind == "document":
        return ct.document(value)
    anchors = {"note": "note", "marker": "ref", "passage": "p"}
    if kind in anchors and isinstance(document, int):
        return ct.document(document, f"{anchors[kind]}-{value}")
    return None


async def learn(datasette, db) -> None:
    """Record the column tuples of the canned queries of the citetrace database ``db``."""
    datasette.__dict__.setdefault(_CACHE_ATTR, {})[db.name] = await db.execute_fn(_columns)


def render_cell(row, value, column, table, database, datasette):
    if table is not None or not isinstance(value, int) or isinstance(value, bool):
        return None
    known = getattr(datasette, _CACHE_ATTR, {}).get(database)
    if not known or not hasattr(row, "keys"):
        return None
    name = known.get(tuple(row.keys()))
    kind = ID_LINKS.get(name, {}).get(column)
    if kind is None:
        return None
    href = _href(web.Links(datasette, database), kind, value, dict(zip(row.keys(), row)))
    if href is None:
        return None
    return Markup('<a href="{}">{}</a>').format(href, value)
