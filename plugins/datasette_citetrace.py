"""Datasette plugin for citetrace databases (Datasette 0.65).

Hooks only; the work is done in small modules:

* :mod:`plugins.web`      the kit of every page: database and permissions, links, rendering
* :mod:`plugins.views`    the index, reader, trace and source pages
* :mod:`plugins.search`, :mod:`plugins.pages`, :mod:`plugins.health`, :mod:`plugins.review`
  search, page images, cited-source health, review annotations
* :mod:`plugins.queries`  the SQL those pages run
* :mod:`plugins.render`   escaping text and weaving in markers / claim / entity highlights
* :mod:`plugins.metadata` table titles, descriptions, facets, sort orders, canned queries
* :mod:`plugins.detect`   which attached databases are citetrace databases

Templates live in ``plugins/templates`` (``citetrace_*.html``), CSS/JS in ``plugins/static``.
"""

from __future__ import annotations

from datasette import hookimpl
from jinja2 import ChoiceLoader, FileSystemLoader

from citetrace.plugins import (
    detect,
    health,
    metadata,
    pages,
    query_links,
    review,
    search,
    sources_pages,
    start,
    views,
    web,
)

# Each page module exports its routes; this is the one place that joins them.
PAGE_MODULES = (views, search, pages, health, review, start, sources_pages)


@hookimpl
def register_routes(datasette):
    return [route for module in PAGE_MODULES for route in module.routes()] + web.static_routes()


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    # decides citetrace-annotate only (plugins.web.tables_with_rules relies on it)
    return review.permission_allowed(datasette, actor, action, resource)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    # Datasette 0.65 finds plugin templates only for packages (and, before Python 3.12,
    # not for a module like this one): add ours last, so --template-dir still overrides.
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(web.TEMPLATES_DIR)])
    env.filters["ct_when"] = health.when  # timestamps as people read them, ISO in the markup


@hookimpl
def startup(datasette):
    # Datasette 0.65's default error handler prints a rich traceback (with locals) for
    # every 404/403, and that print raises when no exception is being handled, turning a
    # 404 into a 500. Every handle_exception hook runs, so one of ours cannot stop it:
    # switch its rich printing off (500s still print a plain traceback). Done at startup,
    # when Datasette's own modules are fully loaded.
    import datasette.handle_exception as default_handler

    default_handler.rich = None

    async def inner():
        for db in list(datasette.databases.values()):
            if await detect.is_citetrace_db(db):
                await query_links.learn(datasette, db)

    return inner


@hookimpl
def get_metadata(datasette, key, database, table):
    if key is not None and key not in metadata.KEYS:
        return None
    names = detect.citetrace_database_names(datasette)
    if database is not None:  # only that database's entry is looked at
        names = [database] if database in names else []
    if not names:
        return None
    return metadata.Fresh(databases={name: metadata.database_metadata() for name in names})


@hookimpl
def canned_queries(datasette, database, actor):
    async def inner():
        db = datasette.databases.get(database)
        if db is None or not await detect.is_citetrace_db(db):
            return None
        return await web.guard_queries(datasette, actor, db, metadata.canned_queries())

    return inner


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # the canned queries' ids link to their citetrace pages
    return query_links.render_cell(row, value, column, table, database, datasette)


@hookimpl
def menu_links(datasette, actor, request):
    if not detect.citetrace_database_names(datasette):
        return None
    return [{"href": datasette.urls.path("/-/citetrace"), "label": "citetrace reader"}]


@hookimpl
def database_actions(datasette, actor, database, request):
    db = datasette.databases.get(database)
    if db is None or not detect.is_citetrace_db_sync(db):
        return None
    ct = web.Links(datasette, database)
    return [
        {"href": ct.home(), "label": "citetrace: read the documents"},
        {"href": ct.query("claims_needing_source"), "label": "citetrace: claims needing a source"},
    ]


@hookimpl
def table_actions(datasette, actor, database, table, request):
    db = datasette.databases.get(database)
    if db is None or not detect.is_citetrace_db_sync(db):
        return None
    ct = web.Links(datasette, database)
    links = {
        "documents": [{"href": ct.home(), "label": "Read these documents in citetrace"}],
        "claims": [
            {"href": ct.query("claims_needing_source"), "label": "Claims needing a source"},
            {"href": ct.query("entities_on_cited_claims"),
             "label": "Entities most often in cited claims"},
        ],
        "sources": [
            {"href": ct.query("most_cited_sources"), "label": "Most cited sources"},
            {"href": ct.query("sources_cited_by_several_documents"),
             "label": "Sources cited by several documents"},
        ],
        "footnotes": [
            {"href": ct.query("notes_without_markers"), "label": "Notes without markers (QA)"},
        ],
        "footnote_refs": [
            {"href": ct.query("markers_without_notes"), "label": "Markers without notes (QA)"},
        ],
    }
    return links.get(table)
