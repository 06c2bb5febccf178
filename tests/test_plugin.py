"""The Datasette plugin: pages, metadata, canned queries, escaping.

Builds a real citetrace SQLite file with db.store, serves it with Datasette's test client.
"""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Claim, Document, Entity, Footnote, Marker, PageInfo, Passage
from citetrace.plugins.render import render_text, safe_url

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

XSS = "<script>alert(1)</script>"
BOX = (50.0, 100.0, 500.0, 140.0)
SOURCE_KEY = "url:example.org/rents"

P1 = f"Rents rose 40% between 2010 and 2020. The Housing Authority said {XSS} nothing."
P2 = "Evictions doubled in Springfield. A <b>bold</b> claim follows."
CLAIM1 = "Rents rose 40% between 2010 and 2020."
CLAIM2 = "Evictions doubled in Springfield."
CLAIM3 = f"The Housing Authority said {XSS} nothing."
NOTE1 = "See Jane Roe, Rent Trends, Housing Institute (2021), https://example.org/rents."
NOTE3 = "A note nobody points to <b>x</b> <script>alert('n')</script>"


def _doc_a() -> Document:
    p1_marker1 = P1.index("2020.") + len("2020.")
    p1_marker2 = len(P1)
    p2_marker = P2.index("Springfield.") + len("Springfield.")
    return Document(
        path="/reports/a.pdf",
        sha256="a" * 64,
        filename="a.pdf",
        title=f"Housing {XSS} Report",
        page_count=2,
        pages=[PageInfo(1, 612, 792), PageInfo(2, 612, 792)],
        passages=[
            Passage(0, 1, "heading", "Introduction", BOX),
            Passage(1, 1, "paragraph", P1, BOX),
            Passage(2, 2, "paragraph", P2, BOX),
        ],
        footnotes=[
            Footnote("1", 1, "footnote", NOTE1, BOX, urls=["https://example.org/rents"]),
            Footnote("2", 1, "footnote", "Ibid.", BOX),
            Footnote("3", 2, "footnote", NOTE3, BOX),
        ],
        markers=[
            Marker(1, "1", 1, p1_marker1, p1_marker1, note=0),
            Marker(1, "2", 1, p1_marker2, p1_marker2, note=1),
            Marker(2, "9", 2, p2_marker, p2_marker, note=None),  # no note found
        ],
        citations=[
            Citation(0, 0, "Jane Roe, Rent Trends, Housing Institute (2021)", kind="report",
                     url="https://example.org/rents", title="Rent Trends", authors="Jane Roe",
                     publisher="Housing Institute", date="2021", signal="See",
                     source_key=SOURCE_KEY),
            Citation(1, 0, "Ibid.", short_form="ibid", refers_to=0),
            Citation(2, 0, "Bad link", url="javascript:alert(1)", title="Bad <i>link</i>",
                     source_key="url:bad"),
        ],
        entities=[
            Entity(1, None, P1.index("Housing Authority"),
                   P1.index("Housing Authority") + len("Housing Authority"),
                   "Housing Authority", "ORG", "Housing Authority"),
            Entity(1, None, P1.index("2020"), P1.index("2020") + 4, "2020", "DATE", "2020"),
            Entity(2, None, P2.index("Springfield"), P2.index("Springfield") + 11,
                   "Springfield", "GPE", "Springfield"),
            Entity(None, 0, NOTE1.index("Jane Roe"), NOTE1.index("Jane Roe") + 8, "Jane Roe",
                   "PERSON", "Jane Roe"),
        ],
        claims=[
            Claim(1, 0, len(CLAIM1), CLAIM1, "quantitative", 0.9, ["number"], notes=[0]),
            Claim(1, P1.index("The Housing"), len(P1), CLAIM3, "attributed", 0.6, notes=[1]),
            Claim(2, 0, len(CLAIM2), CLAIM2, "event", 0.8, needs_source=True),
        ],
    )


P_B = "Another report says rents rose sharply in 2020."
CLAIM_B = P_B


def _doc_b() -> Document:
    return Document(
        path="/reports/b.pdf",
        sha256="b" * 64,
        filename="b.pdf",
        title="Second Report",
        page_count=1,
        pages=[PageInfo(1, 612, 792)],
        passages=[Passage(0, 1, "paragraph", P_B, BOX)],
        footnotes=[Footnote("1", 1, "endnote", "Roe, Rent Trends (2021).", BOX)],
        markers=[Marker(0, "1", 1, len(P_B), len(P_B), note=0)],
        citations=[Citation(0, 0, "Roe, Rent Trends (2021).", kind="report",
                            title="Rent Trends", authors="Roe", date="2021",
                            source_key=SOURCE_KEY)],
        entities=[Entity(0, None, P_B.index("2020"), P_B.index("2020") + 4, "2020", "DATE",
                         "2020")],
        claims=[Claim(0, 0, len(P_B), CLAIM_B, "quantitative", 0.7, notes=[0])],
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("ct") / "policy-reports.db"
    db = open_db(str(path))
    doc_a = write_document(db, _doc_a(), "test")
    doc_b = write_document(db, _doc_b(), "test")

    def one(sql, params=()):
        return list(db.query(sql, params))[0]

    ids = {
        "path": path,
        "db": "policy-reports",
        "doc_a": doc_a,
        "doc_b": doc_b,
        "passages": [r["id"] for r in db.query(
            "select id from passages where document_id = ? order by seq", [doc_a])],
        "notes": [r["id"] for r in db.query(
            "select id from footnotes where document_id = ? order by seq", [doc_a])],
        "note_b": one("select id from footnotes where document_id = ?", [doc_b])["id"],
        "markers": [r["id"] for r in db.query(
            "select id from footnote_refs where document_id = ? order by id", [doc_a])],
        "claim1": one("select id from claims where text = ?", [CLAIM1])["id"],
        "claim2": one("select id from claims where text = ?", [CLAIM2])["id"],
        "claim3": one("select id from claims where text = ?", [CLAIM3])["id"],
        "claim_b": one("select id from claims where text = ?", [CLAIM_B])["id"],
        "source": one("select id from sources where key = ?", [SOURCE_KEY])["id"],
    }
    db.conn.close()
    return ids


def fetch(path, url, **kwargs):
    async def go():
        ds = Datasette([str(path)], **kwargs)
        return await ds.client.get(url)

    return asyncio.run(go())


def get_html(corpus, url, status=200):
    response = fetch(corpus["path"], url)
    assert response.status_code == status, (url, response.status_code, response.text[:2000])
    return response.text


def strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def element(page: str, tag: str, element_id: str) -> str:
    m = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</{tag}>', page,
                  re.S)
    assert m, f"no <{tag} id={element_id}>"
    return m.group(0)


def assert_no_raw_xss(page: str):
    assert "<script>alert" not in page
    assert "<b>bold</b>" not in page
    assert "<b>x</b>" not in page
    assert "<i>link</i>" not in page
    assert "javascript:" not in page


# --- home -------------------------------------------------------------------------------


def test_plugin_registered(corpus):
    data = fetch(corpus["path"], "/-/plugins.json").json()
    ours = [p for p in data if "citetrace" in p["name"]]
    assert len(ours) == 1, [p["name"] for p in data]
    assert {"register_routes", "get_metadata", "canned_queries", "table_actions",
            "prepare_jinja2_environment"} <= set(ours[0]["hooks"])


def test_home_lists_documents_with_counts(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/-/citetrace")
    assert f'href="/{db}/-/citetrace/documents/{corpus["doc_a"]}"' in page
    assert f'href="/{db}/-/citetrace/documents/{corpus["doc_b"]}"' in page
    assert "Second Report" in page
    row = re.search(rf'<tr class="ct-doc" data-document="{corpus["doc_a"]}">(.*?)</tr>', page,
                    re.S).group(1)
    nums = re.findall(r'<td class="num[^"]*"[^>]*>(?:<a[^>]*>)?(\d+)', row)
    # pages, notes, markers, claims, cited, need a source, open annotations
    assert nums == ["2", "3", "3", "3", "2", "1", "0"]
    assert f"/{db}/-/citetrace/sources/{corpus['source']}" in page  # most cited sources
    assert f"/{db}/claims_needing_source" in page
    assert_no_raw_xss(page)
    assert "Housing &lt;script&gt;alert(1)&lt;/script&gt; Report" in page


def test_global_home(corpus):
    page = get_html(corpus, "/-/citetrace")
    assert f'/{corpus["db"]}/-/citetrace/documents/{corpus["doc_a"]}' in page
    assert "Second Report" in page
    assert_no_raw_xss(page)


def test_home_pages_a_large_collection(tmp_path):
    from citetrace.plugins.queries import DOCUMENTS_PER_PAGE

    n = 2 * DOCUMENTS_PER_PAGE + 17
    path = tmp_path / "big.db"
    db = open_db(str(path))
    for i in range(n):  # titles sort as "Report 0000" < "Report 0001" < ...
        write_document(db, Document(path=f"/x/{i}.pdf", sha256=f"{i:064x}", filename=f"{i}.pdf",
                                    title=f"Report {i:04d}", page_count=1,
                                    pages=[PageInfo(1, 612, 792)],
                                    passages=[Passage(0, 1, "paragraph", f"Text {i}.", BOX)]),
                       "test")
    db.conn.close()

    def listed(url):
        response = fetch(path, url)
        assert response.status_code == 200, response.text[:500]
        titles = re.findall(r'class="ct-doc-link"[^>]*>Report (\d{4})<', response.text)
        return [int(t) for t in titles], response.text

    first, page = listed("/big/-/citetrace")
    assert first == list(range(DOCUMENTS_PER_PAGE))
    assert f"Documents 1–{DOCUMENTS_PER_PAGE} of {n}" in page
    assert f'href="/big/-/citetrace?offset={DOCUMENTS_PER_PAGE}"' in page and 'rel="prev"' not in page
    last, page = listed(f"/big/-/citetrace?offset={2 * DOCUMENTS_PER_PAGE}")
    assert last == list(range(2 * DOCUMENTS_PER_PAGE, n))
    assert 'rel="next"' not in page and f'href="/big/-/citetrace?offset={DOCUMENTS_PER_PAGE}"' in page
    assert listed("/big/-/citetrace?offset=oops")[0] == first  # not a number: the first page
    everything, page = listed("/-/citetrace")  # every database's first page, then a link
    assert everything == first and 'href="/big/-/citetrace">All documents of big' in page


def test_source_page_pages_its_citing_documents(tmp_path):
    from citetrace.plugins.queries import DOCUMENTS_PER_SOURCE_PAGE as SIZE

    n = SIZE + 7
    path = tmp_path / "cited.db"
    db = open_db(str(path))
    for i in range(n):  # every document cites the same report, for one claim
        text = f"Rents rose {i}% in 2020."
        write_document(db, Document(
            path=f"/x/{i}.pdf", sha256=f"{i:064x}", filename=f"{i}.pdf", title=f"Report {i:04d}",
            page_count=1, pages=[PageInfo(1, 612, 792)],
            passages=[Passage(0, 1, "paragraph", text, BOX)],
            footnotes=[Footnote("1", 1, "footnote", NOTE1, BOX)],
            markers=[Marker(0, "1", 1, len(text), len(text), note=0)],
            citations=[Citation(0, 0, NOTE1, kind="report", title="Rent Trends",
                                source_key=SOURCE_KEY)],
            claims=[Claim(0, 0, len(text), text, "quantitative", 0.9, notes=[0])]), "test")
    source = db.conn.execute("select id from sources where key = ?", [SOURCE_KEY]).fetchone()[0]
    db.conn.close()
    url = f"/cited/-/citetrace/sources/{source}"

    def listed(query=""):
        page = fetch(path, url + query)
        assert page.status_code == 200, page.text[:500]
        titles = re.findall(r'<h2><a href="[^"]+">Report (\d{4})</a></h2>', page.text)
        return [int(t) for t in titles], page.text

    first, page = listed()
    assert first == list(range(SIZE))
    assert f"Cited in {n} notes of {n} documents, supporting {n} claims." in strip_tags(page)
    assert f"Documents 1–{SIZE} of {n}" in page and f'href="{url}?offset={SIZE}"' in page
    rest, page = listed(f"?offset={SIZE}")
    assert rest == list(range(SIZE, n)) and 'rel="next"' not in page


# --- reader -----------------------------------------------------------------------------


def test_reader_passages_in_order_with_headings(corpus):
    page = get_html(corpus, f"/{corpus['db']}/-/citetrace/documents/{corpus['doc_a']}")
    p_heading, p1, p2 = corpus["passages"]
    heading = element(page, "h2", f"p-{p_heading}")
    assert "Introduction" in heading and "passage-heading" in heading
    positions = [page.index(f'id="p-{pid}"') for pid in corpus["passages"]]
    assert positions == sorted(positions)
    text1 = strip_tags(element(page, "p", f"p-{p1}"))
    assert text1.startswith(CLAIM1)
    # every passage links to its row page
    for pid in corpus["passages"]:
        assert f'href="/{corpus["db"]}/passages/{pid}"' in page


def test_reader_marker_at_offset_links_to_note(corpus):
    page = get_html(corpus, f"/{corpus['db']}/-/citetrace/documents/{corpus['doc_a']}")
    p1 = corpus["passages"][1]
    n1, n2, n3 = corpus["notes"]
    para = element(page, "p", f"p-{p1}")
    for note_id, offset in ((n1, len(CLAIM1)), (n2, len(P1))):
        m = re.search(rf'<sup class="fn"><a class="marker" id="ref-\d+" href="#note-{note_id}" '
                      rf'data-note="{note_id}"[^>]*>(\w+)</a></sup>', para)
        assert m, note_id
        before = strip_tags(re.sub(r"<sup\b.*?</sup>", "", para[: m.start()]))
        # strip the claim-trace arrows (not part of the text)
        before = before.replace("\u2197", "")
        assert before == P1[:offset], (before[-40:], P1[:offset][-25:])
    # the first marker reads "1", sits right after "2020." (the end of the claim)
    assert re.search(rf'>2020</span>\.</mark><sup class="fn"><a class="marker" id="ref-\d+" '
                     rf'href="#note-{n1}" data-note="{n1}" aria-label="Note 1">1</a></sup>', para)
    # marker without a note: shown, but not a link
    p2 = element(page, "p", f"p-{corpus['passages'][2]}")
    assert 'class="marker marker-orphan"' in p2 and ">9</span></sup>" in p2


def test_reader_notes_panel(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/-/citetrace/documents/{corpus['doc_a']}")
    n1, n2, n3 = corpus["notes"]
    note = page[page.index(f'id="note-{n1}"'):page.index(f'id="note-{n2}"')]
    assert "Rent Trends" in note
    assert '<span class="authors">Jane Roe</span>' in note
    assert '<span class="date">(2021)</span>' in note
    assert 'href="https://example.org/rents"' in note
    assert f'href="/{db}/-/citetrace/sources/{corpus["source"]}"' in note
    assert f'href="/{db}/footnotes/{n1}"' in note
    assert '<span class="ent" data-label="PERSON"' in note  # entity inside the note
    # notes in order, each linking to its row
    positions = [page.index(f'id="note-{nid}"') for nid in corpus["notes"]]
    assert positions == sorted(positions)
    for nid in corpus["notes"]:
        assert f'href="/{db}/footnotes/{nid}"' in page
    # the popup container and the script are there
    assert 'id="note-popup"' in page and "hidden" in element(page, "div", "note-popup")
    assert "/-/static-plugins/" in page and "citetrace.js" in page
    # note with no marker flagged
    assert re.search(rf'class="note note-footnote note-unreferenced" id="note-{n3}"', page)
    # a javascript: URL never becomes a link
    assert 'href="javascript:' not in page


def test_reader_claims_and_entities(corpus):
    page = get_html(corpus, f"/{corpus['db']}/-/citetrace/documents/{corpus['doc_a']}")
    c1, c2 = corpus["claim1"], corpus["claim2"]
    assert f'<mark class="claim claim-quantitative is-cited" data-claim="{c1}"' in page
    assert f'<mark class="claim claim-event needs-source" data-claim="{c2}"' in page
    assert f'href="/{corpus["db"]}/-/citetrace/claims/{c1}"' in page
    assert '<span class="ent" data-label="ORG"' in page
    assert re.search(r'<span class="ent" data-label="GPE"[^>]*>Springfield</span>', page)
    # entity nested inside its claim
    assert re.search(rf'<mark class="claim claim-quantitative is-cited" data-claim="{c1}"[^>]*>'
                     r'Rents rose 40% between 2010 and <span class="ent" data-label="DATE"'
                     r'[^>]*>2020</span>\.</mark>', page)
    # legend and toggles: entity types in words, the claims to highlight (needs a source and
    # disputed by default), each claim's trace link in its passage's link cluster
    assert re.search(r'class="ent-toggle" value="ORG"[^>]*> Organisation <', page)
    assert re.search(r'<span class="ent" data-label="ORG"[^>]*title="Organisation"', page)
    assert 'class="ct-hl" value="needs-source" checked' in page
    assert 'class="ct-hl" value="cited">' in page
    assert "ct-hl-needs-source ct-hl-disputed" in page
    assert f'data-claim="{c2}" title="Event: needs a source"' in page
    assert "claim: cited" not in page
    cluster = page[page.index(f'id="tools-{corpus["passages"][1]}"'):]
    assert cluster.index(f'href="/{corpus["db"]}/-/citetrace/claims/{c1}"') < cluster.index("</span>")


def test_reader_escapes_pdf_text(corpus):
    page = get_html(corpus, f"/{corpus['db']}/-/citetrace/documents/{corpus['doc_a']}")
    assert_no_raw_xss(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "Bad &lt;i&gt;link&lt;/i&gt;" in page
    # the only <script> tags are ours/Datasette's
    for src in re.findall(r"<script\b([^>]*)>", page):
        assert "alert" not in src


def test_reader_404s(corpus):
    fetch_ = lambda url: fetch(corpus["path"], url).status_code  # noqa: E731
    assert fetch_(f"/{corpus['db']}/-/citetrace/documents/99999") == 404
    assert fetch_(f"/{corpus['db']}/-/citetrace/claims/99999") == 404
    assert fetch_(f"/{corpus['db']}/-/citetrace/sources/99999") == 404
    assert fetch_("/nosuchdb/-/citetrace") == 404


# --- trace and source -------------------------------------------------------------------


def test_trace_page_shows_chain(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/-/citetrace/claims/{corpus['claim1']}")
    n1 = corpus["notes"][0]
    sentence = re.search(r'<blockquote class="ct-sentence">(.*?)</blockquote>', page, re.S)
    assert strip_tags(sentence.group(1)).startswith(CLAIM1)
    assert f'href="#note-{n1}"' in sentence.group(1)  # the marker
    chain = re.search(r'<ol class="ct-chain">(.*)</ol>', page, re.S).group(1)
    order = [chain.index(s) for s in ("ct-step-sentence", "ct-step-markers", "ct-step-notes",
                                      "ct-step-sources")]
    assert order == sorted(order)
    assert "See Jane Roe, Rent Trends" in chain
    assert f'href="/{db}/-/citetrace/sources/{corpus["source"]}"' in chain
    assert f'href="/{db}/footnote_refs/{corpus["markers"][0]}"' in chain
    others = re.search(r'<section class="ct-others">(.*?)</section>', page, re.S).group(1)
    # the same source cited by the other document, and by the "ibid." in this one
    assert f'data-claim="{corpus["claim_b"]}"' in others
    assert f'data-claim="{corpus["claim3"]}"' in others
    assert "Second Report" in others
    assert f'data-claim="{corpus["claim1"]}"' not in others
    assert_no_raw_xss(page)


def test_trace_follows_ibid_and_needs_source(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/-/citetrace/claims/{corpus['claim3']}")
    assert "Ibid." in page
    assert f'href="/{db}/-/citetrace/sources/{corpus["source"]}"' in page
    assert_no_raw_xss(page)
    page = get_html(corpus, f"/{db}/-/citetrace/claims/{corpus['claim2']}")
    assert "needs a source" in page


def test_source_page_lists_claims_from_both_documents(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/-/citetrace/sources/{corpus['source']}")
    assert "Rent Trends" in page
    assert 'href="https://example.org/rents"' in page
    for key in ("claim1", "claim3", "claim_b"):
        assert f'href="/{db}/-/citetrace/claims/{corpus[key]}"' in page
    assert f'data-claim="{corpus["claim2"]}"' not in page
    for doc in ("doc_a", "doc_b"):
        assert f'data-document="{corpus[doc]}"' in page
    assert f'href="/{db}/footnotes/{corpus["note_b"]}"' in page
    assert "2 documents" in page
    assert_no_raw_xss(page)


# --- metadata and canned queries --------------------------------------------------------


def test_metadata_on_claims_table(corpus):
    db = corpus["db"]
    page = get_html(corpus, f"/{db}/claims")
    assert "<h1" in page and ">Claims</h1>" in page
    assert "Check-worthy sentences" in page
    for facet in ("kind", "needs_source", "document_id"):
        assert f'data-column="{facet}"' in page
    assert "Second Report" in page  # document_id label column
    assert "Claims needing a source" in page  # table action
    data = fetch(corpus["path"], f"/{db}/claims.json?_shape=objects&_labels=on").json()
    assert data["rows"][0]["score"] == 0.9  # sorted by score desc
    meta = fetch(corpus["path"], "/-/metadata.json").json()
    tables = meta["databases"][db]["tables"]
    assert tables["footnotes"]["label_column"] == "label"
    assert tables["documents"]["label_column"] == "title"
    assert "kind" in tables["passages"]["facets"]
    assert tables["claims"]["columns"]["needs_source"]


def _query(corpus, name):
    response = fetch(corpus["path"], f"/{corpus['db']}/{name}.json?_shape=array")
    assert response.status_code == 200, response.text
    return response.json()


def test_canned_queries(corpus):
    rows = _query(corpus, "claims_needing_source")
    assert [r["text"] for r in rows] == [CLAIM2]
    rows = _query(corpus, "most_cited_sources")
    assert rows[0]["id"] == corpus["source"] and rows[0]["documents"] == 2
    rows = _query(corpus, "notes_without_markers")
    assert [r["id"] for r in rows] == [corpus["notes"][2]]
    rows = _query(corpus, "markers_without_notes")
    assert [r["label"] for r in rows] == ["9"]
    rows = _query(corpus, "sources_cited_by_several_documents")
    assert [r["id"] for r in rows] == [corpus["source"]]
    rows = _query(corpus, "entities_on_cited_claims")
    top = rows[0]
    assert (top["name"], top["cited_claims"], top["documents"]) == ("2020", 2, 2)


def test_metadata_follows_database_name(tmp_path, corpus):
    # Same data served under another file name: metadata and queries still apply.
    other = tmp_path / "something_else.db"
    other.write_bytes(corpus["path"].read_bytes())
    response = fetch(other, "/something_else/claims_needing_source.json?_shape=array")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()] == [CLAIM2]
    assert ">Claims</h1>" in fetch(other, "/something_else/claims").text


def test_non_citetrace_database_untouched(tmp_path):
    import sqlite3

    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("create table claims (id integer primary key, text text)")
    conn.commit()
    conn.close()
    assert fetch(path, "/plain/-/citetrace").status_code == 404
    home = fetch(path, "/-/citetrace")
    assert home.status_code == 200 and "No citetrace database" in home.text
    assert fetch(path, "/plain/claims_needing_source.json").status_code == 404
    assert "Check-worthy" not in fetch(path, "/plain/claims").text


def test_private_database_is_not_shown(corpus):
    db = corpus["db"]
    private = {"databases": {db: {"allow": {"id": "editor"}}}}
    for url in (f"/{db}/-/citetrace", f"/{db}/-/citetrace/documents/{corpus['doc_a']}",
                f"/{db}/-/citetrace/claims/{corpus['claim1']}",
                f"/{db}/-/citetrace/sources/{corpus['source']}"):
        assert fetch(corpus["path"], url, metadata=private).status_code == 403, url
    home = fetch(corpus["path"], "/-/citetrace", metadata=private)
    assert home.status_code == 200 and "Second Report" not in home.text


def test_static_files_served(corpus):
    js = fetch(corpus["path"], "/-/static-plugins/citetrace/citetrace.js")
    assert js.status_code == 200 and "note-popup" in js.text
    css = fetch(corpus["path"], "/-/static-plugins/citetrace/citetrace.css")
    assert css.status_code == 200 and "mark.claim" in css.text


# --- rendering unit tests ---------------------------------------------------------------


def test_render_text_escapes_and_places_markers():
    out = str(render_text(
        "a <b> c",
        markers=[{"id": 1, "start": 5, "label": "<1>", "footnote_id": 7}],
        claims=[{"id": 2, "start": 0, "end": 3, "kind": "x\" onmouseover=\"y", "cited": True}],
        entities=[{"id": 3, "start": 2, "end": 5, "label": "<ORG>"}],
    ))
    assert "<b>" not in out and "&lt;" in out and "b&gt;" in out
    assert 'onmouseover="' not in out
    assert "&lt;1&gt;</a></sup>" in out
    assert strip_tags(out) == "a <b><1> c"
    assert out.index("#note-7") > out.index("b&gt;")
    assert 'data-label="&lt;ORG&gt;"' in out


def test_render_text_tolerates_bad_offsets():
    out = render_text(
        "hello",
        markers=[{"id": 1, "start": 99, "label": "1", "footnote_id": 1},
                 {"id": 2, "start": None, "label": "2", "footnote_id": 2}],
        claims=[{"id": 1, "start": 4, "end": 2, "kind": "cited"},
                {"id": 2, "start": -5, "end": 99, "kind": "event"}],
        entities=[{"id": 1, "start": "x", "end": 3, "label": "ORG"}],
    )
    assert strip_tags(str(out)) == "hello1"
    assert 'data-claim="2"' in out and 'data-claim="1"' not in out


def test_safe_url():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("http://x.y") == "http://x.y"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//x.y",
                "https:/nohost", None, "", "http://a b"):
        assert safe_url(bad) is None, bad
