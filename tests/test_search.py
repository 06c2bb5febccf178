"""Search across passages, notes and claims; the home page counts (Datasette test client)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Claim, Document, Footnote, Marker, PageInfo, Passage
from citetrace.plugins.search import fts_query, snippet_html

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (72.0, 100.0, 300.0, 140.0)
P1 = ("The tariff reform of 2022 raised water prices by 40 percent in the capital. "
      "<script>alert('p')</script> Officials said the <b>increase</b> was needed.")
P2 = "Groundwater abstraction fell sharply after the reform, \x02 said the ministry\x03."
P3 = "Nothing relevant here about prices."
NOTE1 = "Ministry of Water, Tariff Reform Review <i>2023</i>, https://example.org/tariff."
CLAIM1 = "The tariff reform of 2022 raised water prices by 40 percent in the capital."
CLAIM2 = "Groundwater abstraction fell sharply after the reform, \x02 said the ministry\x03."


def _doc(sha: str, title: str, passages, notes, claims) -> Document:
    return Document(
        path=f"/nonexistent/{sha[:6]}.pdf", sha256=sha * 64, filename=f"{sha}.pdf",
        title=title, page_count=1, pages=[PageInfo(1, 612, 792)],
        passages=[Passage(i, 1, "paragraph", t, BOX) for i, t in enumerate(passages)],
        footnotes=[Footnote(str(i + 1), 1, "footnote", t, BOX) for i, t in enumerate(notes)],
        markers=[Marker(0, "1", 1, len(passages[0]), len(passages[0]), note=0)] if notes else [],
        citations=[Citation(0, 0, notes[0], title="Tariff Reform Review")] if notes else [],
        claims=claims,
    )


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "reports.db"
    db = open_db(str(path))
    doc_a = write_document(db, _doc("a", "Water <em>Report</em>", [P1, P2, P3], [NOTE1], [
        Claim(0, 0, len(CLAIM1), CLAIM1, "quantitative", 0.9, notes=[0]),
        Claim(1, 0, len(CLAIM2), CLAIM2, "event", 0.8, needs_source=True),
    ]), "test")
    doc_b = write_document(db, _doc("b", "Second Report", [
        "Another tariff was set for irrigation water in 2019."], [], []), "test")
    db.conn.close()
    return {"path": path, "db": "reports", "doc_a": doc_a, "doc_b": doc_b}


def fetch(path, url):
    async def go():
        return await Datasette([str(path)]).client.get(url)

    return asyncio.run(go())


def get(db_path, url, status=200):
    response = fetch(db_path["path"], url)
    assert response.status_code == status, (url, response.status_code, response.text[:1500])
    return response.text


def ids(conn_path, sql, params=()):
    conn = sqlite3.connect(conn_path)
    try:
        return [r[0] for r in conn.execute(sql, params)]
    finally:
        conn.close()


def section(page: str, kind: str) -> str:
    m = re.search(rf'<section class="ct-results" id="results-{kind}".*?</section>', page, re.S)
    assert m, f"no results section {kind}"
    return m.group(0)


# --- the query and snippet helpers -------------------------------------------------------


def test_fts_query_quotes_everything():
    assert fts_query("water tariff") == '("water") AND ("tariff")'
    assert fts_query("tarif*") == '"tarif"*'
    assert fts_query('"water prices" reform') == '("water prices") AND ("reform")'
    assert fts_query("water OR tariff") == '"water" OR "tariff"'
    assert fts_query('a"b NEAR( ) AND -') == '("a b") AND ("NEAR(") AND ("AND")'
    assert fts_query("OR") == "" and fts_query("  ") == "" and fts_query(None) == ""


def test_snippet_html_escapes_and_balances():
    out = str(snippet_html("<b>\x02tariff\x03</b> \x03 \x02open \x02twice"))
    assert out == ('&lt;b&gt;<mark class="ct-hit">tariff</mark>&lt;/b&gt;  '
                   '<mark class="ct-hit">open twice</mark>')


# --- the page ----------------------------------------------------------------------------


def test_search_groups_by_kind_with_highlighted_snippets(db_path):
    db, path = db_path["db"], db_path["path"]
    page = get(db_path, f"/{db}/-/citetrace/search?q=tariff")
    passages = section(page, "passages")
    notes = section(page, "notes")
    claims = section(page, "claims")
    p1, p2, p3, pb = ids(path, "select id from passages order by document_id, seq")
    note = ids(path, "select id from footnotes")[0]
    claim1 = ids(path, "select id from claims where text = ?", [CLAIM1])[0]
    # passages: both documents, each linking to its reader anchor
    assert f'href="/{db}/-/citetrace/documents/{db_path["doc_a"]}#p-{p1}"' in passages
    assert f'href="/{db}/-/citetrace/documents/{db_path["doc_b"]}#p-{pb}"' in passages
    assert f"#p-{p3}" not in passages
    assert '<mark class="ct-hit">tariff</mark>' in passages
    # notes link to the note in the reader; claims to their trace
    assert f'href="/{db}/-/citetrace/documents/{db_path["doc_a"]}#note-{note}"' in notes
    assert '<mark class="ct-hit">Tariff</mark>' in notes
    assert f'href="/{db}/-/citetrace/claims/{claim1}"' in claims
    assert f'#p-{p1}"' in claims  # "in the reader"
    assert re.search(r'id="ct-search-summary">4 results', page)
    # headings carry the counts
    assert re.search(r"<h2>Passages <span class=\"ct-dim\">2</span>", passages)


def test_search_escapes_pdf_text(db_path):
    db = db_path["db"]
    for q in ("officials", "increase", "script alert", "groundwater", "ministry 2023"):
        page = get(db_path, f"/{db}/-/citetrace/search?q={q}")
        assert "<script>alert" not in page and "<b>increase" not in page, q
        assert "<i>2023" not in page and "<em>Report" not in page, q
        assert page.count("<mark") == page.count("</mark>"), q
        assert "\x02" not in page and "\x03" not in page, q
    page = get(db_path, f"/{db}/-/citetrace/search?q=officials")
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;" in page
    assert "Water &lt;em&gt;Report&lt;/em&gt;" in page


def test_search_stemming_prefix_phrase_and_or(db_path):
    db = db_path["db"]

    def counts(q):
        page = get(db_path, f"/{db}/-/citetrace/search?q={q}")
        return [int(n) for n in re.findall(
            r'<section class="ct-results"[^>]*>\s*<h2>\w+ <span class="ct-dim">(\d+)', page)]

    assert counts("prices") == [2, 0, 1]  # porter: "price" matches "prices"
    assert counts("tarif*") == [2, 1, 1]
    assert counts('"water prices"') == [1, 0, 1]
    assert counts("irrigation OR groundwater") == [2, 0, 1]
    assert counts("irrigation groundwater") == [0, 0, 0]


@pytest.mark.parametrize("q", ['"', "(", "AND", "NEAR(a b)", "a:b", "-x", "*", "^", "'",
                               "tariff%00%02", "x" * 1000, "%22%29%28"])
def test_search_never_fails_on_odd_input(db_path, q):
    get(db_path, f"/{db_path['db']}/-/citetrace/search?q={q}")


def test_search_one_document_and_one_kind(db_path):
    db, doc_a = db_path["db"], db_path["doc_a"]
    page = get(db_path, f"/{db}/-/citetrace/search?q=tariff&document={doc_a}")
    assert f"documents/{db_path['doc_b']}#" not in page
    assert "search every document" in page
    assert "in Water &lt;em&gt;Report&lt;/em&gt;" in page
    page = get(db_path, f"/{db}/-/citetrace/search?q=tariff&kind=claims")
    assert 'id="results-claims"' in page and 'id="results-passages"' not in page
    page = get(db_path, f"/{db}/-/citetrace/search?q=tariff&kind=bogus&document=x")
    assert 'id="results-passages"' in page and 'id="results-claims"' in page


def test_search_without_query_shows_the_form(db_path):
    page = get(db_path, f"/{db_path['db']}/-/citetrace/search")
    assert 'name="q"' in page and "ct-results" not in page


def test_search_404_and_permissions(db_path, tmp_path):
    assert fetch(db_path["path"], "/nope/-/citetrace/search?q=x").status_code == 404
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("create table t (x)").connection.close()
    assert fetch(plain, "/plain/-/citetrace/search?q=x").status_code == 404

    async def private():
        ds = Datasette([str(db_path["path"])],
                       metadata={"databases": {db_path["db"]: {"allow": {"id": "x"}}}})
        return await ds.client.get(f"/{db_path['db']}/-/citetrace/search?q=tariff")

    assert asyncio.run(private()).status_code == 403


def test_search_boxes_on_home_and_reader(db_path):
    db, doc_a = db_path["db"], db_path["doc_a"]
    home = get(db_path, f"/{db}/-/citetrace")
    assert re.search(rf'<form class="ct-search" action="/{db}/-/citetrace/search"', home)
    reader = get(db_path, f"/{db}/-/citetrace/documents/{doc_a}")
    form = re.search(r'<form class="ct-search ct-search-side".*?</form>', reader, re.S).group(0)
    assert f'action="/{db}/-/citetrace/search"' in form
    assert f'name="document" value="{doc_a}"' in form


# --- home: counts and open annotations ---------------------------------------------------


def _home_row(page: str, doc_id: int) -> tuple[list[str], str]:
    row = re.search(rf'<tr class="ct-doc" data-document="{doc_id}">(.*?)</tr>', page,
                    re.S).group(1)
    return re.findall(r'<td class="num[^"]*"[^>]*>(?:<a[^>]*>)?(\d+)', row), row


def _copy(db_path, tmp_path, name: str, *sql) -> Path:
    path = tmp_path / f"{name}.db"
    path.write_bytes(db_path["path"].read_bytes())
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(*statement) if isinstance(statement, tuple) else conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def test_home_counts_without_annotations_table(db_path, tmp_path):
    path = _copy(db_path, tmp_path, "plain", "drop table if exists annotations")
    page = fetch(path, "/plain/-/citetrace").text
    assert "Open annotations" not in page
    nums, _ = _home_row(page, db_path["doc_a"])
    # pages, notes, markers, claims, cited, need a source
    assert nums == ["1", "1", "1", "2", "1", "1"]


STATES = ("open", "in_review", "resolved", "open", "rejected", "deleted")


def test_home_counts_open_annotations(db_path, tmp_path):
    # the annotations table of annotations/schema.py, tied to documents by sha256
    path = _copy(db_path, tmp_path, "annotated", *[
        ("""insert into annotations (uuid, document_sha256, target_kind, exact, state, created,
             modified) values (?, ?, 'passage', 'x', ?, '2025', '2025')""",
         [f"u{i}", "a" * 64, state]) for i, state in enumerate(STATES)])
    page = fetch(path, "/annotated/-/citetrace").text
    assert "Open annotations" in page
    nums, row = _home_row(page, db_path["doc_a"])
    assert nums == ["1", "1", "1", "2", "1", "1", "3"]
    assert 'class="num ct-annotations ct-warn"' in row
    nums, _ = _home_row(page, db_path["doc_b"])
    assert nums[-1] == "0"
    assert "Open annotations" in fetch(path, "/-/citetrace").text


def test_home_counts_annotations_by_document_id(db_path, tmp_path):
    path = _copy(db_path, tmp_path, "byid", "drop table if exists annotations",
                 "create table annotations (id integer primary key, document_id, state text)",
                 *[("insert into annotations (document_id, state) values (?, ?)",
                    [db_path["doc_b"], state]) for state in STATES])
    page = fetch(path, "/byid/-/citetrace").text
    assert _home_row(page, db_path["doc_b"])[0][-1] == "3"
    assert _home_row(page, db_path["doc_a"])[0][-1] == "0"


def test_home_ignores_unknown_annotations_shape(db_path, tmp_path):
    path = _copy(db_path, tmp_path, "other", "drop table if exists annotations",
                 "create table annotations (id integer primary key, note text)")
    page = fetch(path, "/other/-/citetrace").text
    assert "Open annotations" not in page and "Second Report" in page
