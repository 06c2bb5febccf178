"""The permission matrix: every citetrace page, fragment and export, with metadata restricting
one table (or view) to ``root``, for every table of a citetrace database.

Anonymous must get a refusal (or a 404), or the page without that table's data: no marker
planted in the table's rows appears in the answer (HTML, JSON, downloads), and no SQL that
reads the table (directly or through a view) ran while answering. Root, allowed everything,
still sees every marker. ``default_allow_sql`` is off, as in a restricted deployment, and
Datasette's pages for the plugin's canned queries are in the matrix too.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest
from annotations_support import copy_db, ingested
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.annotations import api
from citetrace.db.store import open_db
from citetrace.plugins.metadata import canned_queries

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

DB = "reports"
# Distinctive strings planted in the rows of each table (SQL run on the built database).
PLANTS = {
    "documents": ("update documents set title = 'Zqdocuments ' || coalesce(title, '')",),
    "passages": ("update passages set text = text || ' Zqpassages'",),
    "footnotes": ("update footnotes set text = text || ' Zqfootnotes'",),
    "footnote_refs": ("update footnote_refs set label = 'Zqrefs'",),
    "sources": ("update sources set title = 'Zqsources ' || coalesce(title, '')",),
    "citations": ("update citations set authors = 'Zqcitations'",),
    "claims": ("update claims set text = text || ' Zqclaims'",),
    "entities": ("update entities set label = 'Zqentities'",),
}
# What shows a table's rows: its own markers, and for a view those of the columns it exposes.
MARKERS = {
    **{table: (f"Zq{table.replace('_', '')}",) for table in PLANTS},
    "footnote_refs": ("Zqrefs",),
    "link_checks": ("Zqlinkchecks",),
    "link_archives": ("Zqarchives",),
    "source_health": ("Zqlinkchecks", "Zqarchives"),
    "annotations": ("Zqannotations", "Zqannotator"),
    "annotation_history": ("Zqhistorian",),
}
TABLE_READ = re.compile(r"\b(?:from|join)\s+(?:[\"'`\[]?\w+[\"'`\]]?\.)?[\"'`\[]?(\w+)", re.I)


def _plant(path) -> dict:
    conn = open_db(str(path)).conn
    for statements in PLANTS.values():
        for sql in statements:
            conn.execute(sql)
    conn.commit()
    doc = conn.execute("select id from documents order by id limit 1").fetchone()[0]
    claim = conn.execute("select claim_id from claim_footnotes order by claim_id limit 1").fetchone()[0]
    source, url = conn.execute(
        "select s.id, s.url from sources s join citations c on c.source_id = s.id "
        "where s.url like 'http%' order by s.id limit 1").fetchone()
    conn.execute(
        "insert into link_checks (url, checked_at, verdict, status, final_url, title) "
        "values (?, '2026-01-02T00:00:00', 'moved', 301, 'https://example.org/Zqlinkchecks', 'x')",
        [url])
    conn.execute(
        "insert into link_archives (url, looked_up_at, archive_url, archive_timestamp) values "
        "(?, '2026-01-02T00:00:00', 'https://web.archive.org/web/2020/https://example.org/Zqarchives',"
        " '20200101000000')", [url])
    conn.commit()
    a = api.add(conn, api.resolve_target(conn, claim_id=claim), body="Zqannotations body",
                tags=["disputed"], author="Zqannotator")
    api.set_state(conn, a.id, "in_review", "Zqhistorian")
    words = conn.execute("select count(*) from passages_fts where passages_fts match 'Zqpassages'")
    assert words.fetchone()[0] > 0  # the FTS index follows the planted text
    conn.close()
    return {"document": doc, "claim": claim, "source": source, "annotation": a.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory, sample):
    base = ingested(tmp_path_factory, sample)
    path = copy_db(base[0], tmp_path_factory.mktemp("permissions"), f"{DB}.db")
    ids = _plant(path)
    conn = sqlite3.connect(path)
    objects = dict(conn.execute(
        "select name, coalesce(sql, '') from sqlite_master where type in ('table', 'view') "
        "and name not like 'sqlite_%'").fetchall())
    conn.close()
    # FTS5 keeps its index in shadow tables (<fts>_data, ...): Datasette lists them, but they
    # hold nothing a page shows that their FTS table does not.
    fts = {name for name, sql in objects.items() if "using fts5" in sql.lower()}
    tables = sorted(n for n in objects if not any(n.startswith(f + "_") for f in fts))
    views = {n: {t for t in TABLE_READ.findall(sql) if t in objects}
             for n, sql in objects.items() if sql.lower().lstrip().startswith("create view")}
    return {"path": path, "ids": ids, "tables": tables, "views": views}


def urls(site) -> list[str]:
    """A GET URL for every plugin route (the write endpoints answer GETs with 403), and the
    Datasette pages of the plugin's canned queries."""
    ids = site["ids"]
    values = {"document": ids["document"], "claims": ids["claim"], "sources": ids["source"]}
    out = []
    for regex, _ in plugin_module.register_routes(Datasette([])):
        if "static-plugins" in regex:
            continue
        path = regex.lstrip("^").rstrip("$").replace("/?", "").replace("\\.", ".")
        path = path.replace("(?P<database>[^/]+)", DB).replace("(?P<page>\\d+)", "1")
        kind = re.search(r"citetrace/(\w+)/\(\?P<id>", path)
        value = ids["annotation"] if kind and kind.group(1) == "annotations" else \
            values.get(kind.group(1) if kind else "", ids["document"])
        path = path.replace("(?P<id>\\d+)", str(value))
        if "(?P<ext>" in path:  # the sources as BibTeX, RIS, CSL-JSON: each file
            out += [re.sub(r"\(\?P<ext>[^)]*\)", ext, path) for ext in ("bib", "ris", "csl.json")]
            continue
        assert "(" not in path, path
        out.append(path)
    out += [f"/{DB}/-/citetrace/search?q=Zqpassages OR Zqfootnotes OR Zqclaims",
            f"/{DB}/-/citetrace/search?q=Zqpassages&kind=passages&document={ids['document']}",
            f"/{DB}/-/citetrace/review/new?source_id={ids['source']}&tag=source-unavailable",
            f"/{DB}/-/citetrace/review?author=Zqannotator",
            f"/{DB}/-/citetrace/health?verdict=moved",
            f"/{DB}/-/citetrace/claims?needs_source=1&document={ids['document']}",
            f"/{DB}/-/citetrace/review/report.md?document={ids['document']}",
            f"/{DB}/-/citetrace/annotations.csv?document={ids['document']}",
            f"/{DB}/-/citetrace/sources.bib?document={ids['document']}",
            f"/{DB}/-/citetrace/sources.ris?source={ids['source']}"]
    for name in canned_queries():
        out += [f"/{DB}/{name}", f"/{DB}/{name}.json"]
    return out


class SqlTrace:
    """Records every SQL statement Datasette's connections run (sqlite3 trace callback);
    registered as a class, as Datasette wants plugins to have a ``__name__``."""

    statements: list[str] = []

    @staticmethod
    @hookimpl
    def prepare_connection(conn):
        conn.set_trace_callback(SqlTrace.statements.append)

    @classmethod
    def tables_read(cls) -> set[str]:
        return {t.lower() for sql in cls.statements for t in TABLE_READ.findall(sql)}


@pytest.fixture(scope="module")
def trace():
    pm.register(SqlTrace, name="citetrace-test-sql-trace")
    yield SqlTrace
    pm.unregister(name="citetrace-test-sql-trace")


def _datasette(site, restricted) -> Datasette:
    only_root = {"allow": {"id": "root"}}
    return Datasette([str(site["path"])], settings={"default_allow_sql": False}, metadata={
        "databases": {DB: {"tables": {t: only_root for t in restricted}}}})


async def _fetch(ds, url_list, actor=None) -> dict[str, tuple[int, str, set[str]]]:
    cookies = {"ds_actor": ds.sign({"a": {"id": actor}}, "actor")} if actor else {}
    await ds.invoke_startup()
    out = {}
    for url in url_list:
        SqlTrace.statements.clear()
        r = await ds.client.get(url, cookies=cookies)
        out[url] = (r.status_code, r.content.decode("utf-8", "replace"), SqlTrace.tables_read())
    return out


def _reads(site, table: str) -> set[str]:
    """The names whose reading reads ``table``: itself and the views over it."""
    names = {table.lower()}
    changed = True
    while changed:
        changed = False
        for view, used in site["views"].items():
            if view.lower() not in names and names & {u.lower() for u in used}:
                names.add(view.lower())
                changed = True
    return names


def test_root_sees_every_marker(site, trace):
    """The markers are real: with every table restricted to root, root sees each of them."""
    ds = _datasette(site, site["tables"])
    answers = asyncio.run(_fetch(ds, urls(site), actor="root"))
    errors = {u: s for u, (s, _, _) in answers.items() if s >= 500}
    assert not errors, errors
    # writes answer GETs with 403; so does --root's sign-in without its one-time token
    refused = {u: s for u, (s, _, _) in answers.items()
               if s == 403 and not re.search(r"/annotations(/\d+/(state|edit|reply))?$|^/-/auth-token$", u)}
    assert not refused, refused
    seen = " ".join(text for _, text, _ in answers.values())
    missing = {m for markers in MARKERS.values() for m in markers if m not in seen}
    assert not missing


@pytest.mark.parametrize("table", [
    "documents", "pages", "passages", "footnotes", "footnote_refs", "sources", "citations",
    "entities", "claims", "claim_footnotes", "passages_fts", "footnotes_fts", "claims_fts",
    "link_checks", "link_archives", "source_health", "annotations", "annotation_history",
    "claim_trace", "source_citations", "entity_names", "furniture", "citetrace_meta",
    "sentences", "inline_citations", "extraction_checks", "note_sources", "source_title_votes",
    "source_names_absent",
])
def test_a_restricted_table_is_refused_or_left_out(site, trace, table):
    assert table in site["tables"], f"{table} is not in the database any more"
    ds = _datasette(site, [table])
    answers = asyncio.run(_fetch(ds, urls(site)))
    reads = _reads(site, table)
    leaks = []
    for url, (status, text, read) in answers.items():
        if status >= 500:
            leaks.append((url, status, text[:300]))
        elif status == 200:
            shown = [m for m in MARKERS.get(table, ()) if m in text]
            if shown or read & reads:
                leaks.append((url, shown, sorted(read & reads)))
    assert not leaks, leaks


def test_the_matrix_covers_every_table(site):
    # a table added to the schema must join the matrix above
    listed = set(test_a_restricted_table_is_refused_or_left_out.pytestmark[0].args[1])
    assert set(site["tables"]) <= listed, set(site["tables"]) - listed


# --- who decides: metadata at each level, another plugin's metadata or permission hook -----

class _MetadataRestrictsClaims:
    """A plugin whose metadata puts an allow block on a table (as datasette-* plugins can)."""

    @staticmethod
    @hookimpl
    def get_metadata(datasette, key, database, table):
        return {"databases": {DB: {"tables": {"claims": {"allow": {"id": "root"}}}}}}


class _DecidesAnnotations:
    """A plugin deciding ``view-table`` itself (as datasette-permissions-sql would)."""

    @staticmethod
    @hookimpl
    def permission_allowed(actor, action, resource):
        if action == "view-table" and resource[1] == "annotations":
            return bool(actor and actor.get("id") == "root")
        return None


ONLY_ROOT = {"id": "root"}
READER_TABLES_OPEN = {t: {"allow": True} for t in (
    "documents", "passages", "footnotes", "footnote_refs", "citations", "sources", "claims",
    "claim_footnotes", "entities")}


@pytest.mark.parametrize("metadata, plugin, table, hidden", [
    ({"databases": {DB: {"tables": {"claims": {"allow": ONLY_ROOT}}}}}, None, "claims", True),
    ({"databases": {DB: {"allow": ONLY_ROOT}}}, None, "claims", True),
    ({"allow": ONLY_ROOT}, None, "claims", True),
    # a table's own allow block wins over its database's, as on Datasette's table page
    ({"databases": {DB: {"allow": False, "tables": READER_TABLES_OPEN}}}, None, "claims", False),
    (None, _MetadataRestrictsClaims, "claims", True),
    (None, _DecidesAnnotations, "annotations", True),
    (None, None, "claims", False),
])
def test_pages_answer_as_datasette_table_pages_do(site, trace, metadata, plugin, table, hidden):
    """Whatever decides (metadata at table, database or instance level, another plugin's
    metadata or permission hook), the reader agrees with Datasette's own table page."""
    if plugin is not None:
        pm.register(plugin, name="citetrace-test-decider")
    try:
        ds = Datasette([str(site["path"])], settings={"default_allow_sql": False},
                       metadata=metadata)
        reader = f"/{DB}/-/citetrace/documents/{site['ids']['document']}"
        anonymous = asyncio.run(_fetch(ds, [f"/{DB}/{table}.json", reader]))
        root = asyncio.run(_fetch(ds, [f"/{DB}/{table}.json", reader], actor="root"))
    finally:
        if plugin is not None:
            pm.unregister(name="citetrace-test-decider")
    (table_status, _, _), (status, text, read) = anonymous.values()
    assert table_status == (403 if hidden else 200)
    if table == "annotations":  # the reader goes without its margin
        assert status == 200 and ("Zqannotations" in text) is not hidden
        assert ("annotations" in read) is not hidden
    else:
        assert status == table_status
    assert [s for s, _, _ in root.values()] == [200, 200]


def test_the_issue_deployment(site, trace):
    """Issue 19's repro: annotations, their history and link checks restricted to root,
    ``default_allow_sql`` off. Anonymous reads the documents without any of them."""
    ds = _datasette(site, ["annotations", "annotation_history", "link_checks"])
    ids = site["ids"]
    pages = {
        "export": f"/{DB}/-/citetrace/annotations.jsonld",
        "table": f"/{DB}/annotations.json",
        "review": f"/{DB}/-/citetrace/review",
        "health": f"/{DB}/-/citetrace/health",
        "reader": f"/{DB}/-/citetrace/documents/{ids['document']}",
        "source": f"/{DB}/-/citetrace/sources/{ids['source']}",
        "sql": f"/{DB}.json?sql=select+body+from+annotations",
    }
    anonymous = asyncio.run(_fetch(ds, pages.values()))
    status = {k: anonymous[u][0] for k, u in pages.items()}
    assert status == {"export": 403, "table": 403, "review": 403, "health": 403, "reader": 200,
                      "source": 200, "sql": 403}
    for key in ("reader", "source"):
        text = anonymous[pages[key]][1]
        assert "Zqpassages" in text or key == "source"
        assert "Zqannotations" not in text and "Zqlinkchecks" not in text
    root = asyncio.run(_fetch(ds, pages.values(), actor="root"))
    assert "Zqannotations" in root[pages["reader"]][1]
    assert "Zqhistorian" in root[pages["export"]][1]
    assert "Zqlinkchecks" in root[pages["source"]][1]


def test_tables_with_rules_are_those_a_check_could_decide(site):
    from citetrace.plugins.web import tables_with_rules

    def ruled(metadata):
        return tables_with_rules(Datasette([str(site["path"])], metadata=metadata), DB)

    assert ruled(None) == frozenset()
    assert ruled({"allow": ONLY_ROOT, "databases": {DB: {"allow": ONLY_ROOT}}}) == frozenset()
    assert ruled({"databases": {DB: {"tables": {"claims": {"title": "Claims"}}}}}) == frozenset()
    assert ruled({"databases": {DB: {"tables": {"Claims": {"allow": ONLY_ROOT}}}}}) == {"claims"}
    assert ruled({"databases": {"other": {"tables": {"claims": {"allow": False}}}}}) == frozenset()
    assert ruled({"tables": {"claims": {"allow": ONLY_ROOT}}}) == {"claims"}
    assert ruled({"databases": {DB: {"tables": {"claims": "odd"}}}}) is None
    pm.register(_MetadataRestrictsClaims, name="citetrace-test-decider")
    try:
        assert ruled(None) == {"claims"}
    finally:
        pm.unregister(name="citetrace-test-decider")
    pm.register(_DecidesAnnotations, name="citetrace-test-decider")
    try:
        assert ruled(None) is None  # a plugin may decide any table
    finally:
        pm.unregister(name="citetrace-test-decider")


def test_tables_with_rules_does_not_build_our_own_metadata(site, monkeypatch):
    """Our tables never carry an ``allow``: the check skips building them (a copy of every
    table's descriptions on each page) and still finds the rules of the other sources."""
    from citetrace.plugins import metadata
    from citetrace.plugins.web import tables_with_rules

    assert "allow" not in metadata.KEYS  # what skipping our get_metadata relies on
    ds = Datasette([str(site["path"])],
                   metadata={"databases": {DB: {"tables": {"claims": {"allow": ONLY_ROOT}}}}})

    def refuse():
        raise AssertionError("tables_with_rules built the citetrace metadata")

    monkeypatch.setattr(metadata, "database_metadata", refuse)
    assert tables_with_rules(ds, DB) == {"claims"}
    pm.register(_MetadataRestrictsClaims, name="citetrace-test-decider")
    try:
        assert tables_with_rules(Datasette([str(site["path"])]), DB) == {"claims"}
    finally:
        pm.unregister(name="citetrace-test-decider")


def test_our_permission_hook_decides_only_annotating():
    ds = Datasette([])
    for action, resource in (("view-table", (DB, "claims")), ("view-database", DB),
                             ("view-instance", None), ("execute-sql", DB)):
        for actor in (None, {"id": "root"}, {"id": "alice"}):
            assert plugin_module.permission_allowed(ds, actor, action, resource) is None


def test_page_sql_reads_only_the_tables_it_asked_for(site):
    from citetrace.plugins.web import read_only_tables

    conn = sqlite3.connect(site["path"])
    allowed = frozenset({"documents", "passages", "passages_fts"})

    def read(conn):
        return conn.execute("select count(*) from passages_fts join passages p "
                            "on p.id = passages_fts.rowid where passages_fts match 'Zqpassages'"
                            ).fetchone()[0]

    assert read_only_tables(conn, read, allowed) > 0
    cached = conn.execute("select body from annotations").fetchall()  # a cached statement...
    assert cached
    with pytest.raises(sqlite3.DatabaseError, match="prohibited|not authorized"):
        read_only_tables(conn, lambda c: c.execute("select body from annotations").fetchall(),
                         allowed)  # ...is checked again
    with pytest.raises(sqlite3.DatabaseError, match="prohibited|not authorized"):
        read_only_tables(conn, lambda c: c.execute("select * from source_health").fetchall(),
                         frozenset({"source_health"}))  # a view needs what it reads
    assert conn.execute("select count(*) from annotations").fetchone()[0] == 1  # unguarded
    conn.close()


@pytest.mark.parametrize("restricted, created", [([], 201), (["annotations"], 403),
                                                 (["passages"], 403)])
def test_writes_need_the_tables_they_read_and_write(site, tmp_path, restricted, created):
    """alice may annotate (plugin config) but not view a restricted table: no write."""
    path = copy_db(site["path"], tmp_path, f"{DB}.db")
    only_root = {"allow": {"id": "root"}}
    ds = Datasette([str(path)], metadata={
        "plugins": {"citetrace": {"annotate": {"id": "alice"}}},
        "databases": {DB: {"tables": {t: only_root for t in restricted}}}})
    alice = {"ds_actor": ds.sign({"a": {"id": "alice"}}, "actor")}
    passage = sqlite3.connect(path).execute("select min(id) from passages").fetchone()[0]

    async def go():
        # the flag form reads neither annotations nor passages: it carries a CSRF token
        form = await ds.client.get(
            f"/{DB}/-/citetrace/review/new?source_id={site['ids']['source']}", cookies=alice)
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text).group(1)
        cookies = {**alice, "ds_csrftoken": form.cookies.get("ds_csrftoken")}
        base = f"/{DB}/-/citetrace/annotations"
        create = await ds.client.post(base, cookies=cookies, headers={"accept": "application/json"},
                                      data={"passage_id": str(passage), "start": "0", "end": "20",
                                            "body": "alice was here", "csrftoken": token})
        state = await ds.client.post(f"{base}/{site['ids']['annotation']}/state", cookies=cookies,
                                     headers={"accept": "application/json"},
                                     data={"state": "resolved", "csrftoken": token})
        return create.status_code, state.status_code

    assert asyncio.run(go()) == (created, 200 if created == 201 else 403)
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from annotations where body = 'alice was here'"
                        ).fetchone()[0] == (created == 201)
    conn.close()
