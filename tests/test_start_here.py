"""The citetrace home's "start here" panel, the claims list behind its counts, the review
report and CSV downloads, canned-query ids linked to their pages, and --root's sign-in
landing on the citetrace home (issue 17, item 9). The real Datasette app, on the sample
report ingested by the pipeline."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3

import pytest
from annotations_support import copy_db, ingested
from datasette.app import Datasette

from citetrace.annotations import api, exchange
from citetrace.db.store import open_db


@pytest.fixture(scope="module")
def site(tmp_path_factory, sample):
    path = copy_db(ingested(tmp_path_factory, sample)[0], tmp_path_factory.mktemp("start"),
                   "sample.db")
    conn = open_db(str(path)).conn
    flagged = [r[0] for r in conn.execute(
        "select id from claims where needs_source order by id")]
    cited = conn.execute("select claim_id from claim_footnotes order by claim_id").fetchone()[0]
    a = api.add(conn, api.resolve_target(conn, claim_id=cited), body="Check *this*, =1+1",
                tags=["disputed"], author="ana")
    api.add(conn, api.resolve_target(conn, claim_id=flagged[0]), body="A well-known fact.",
            motivation="assessing", tags=["source-not-needed"], author="ana")
    api.set_state(conn, a.id, "in_review", "ben")
    conn.execute("insert into link_checks (url, checked_at, verdict, status) select url, "
                 "'2026-01-02T10:00:00+00:00', 'dead', 404 from sources where url like 'http%' "
                 "order by id limit 2")
    conn.execute("update extraction_checks set verdict = 'suspect'")  # the self-check's say
    conn.commit()
    conn.close()
    return {"path": path, "flagged": flagged, "cited": cited, "annotation": a.id}


def get(path, url, actor=None, **kwargs):
    async def go():
        ds = Datasette([str(path)], **kwargs)
        await ds.invoke_startup()
        cookies = {"ds_actor": ds.sign({"a": {"id": actor}}, "actor")} if actor else {}
        return await ds.client.get(url, cookies=cookies)

    return asyncio.run(go())


def _item(html: str, name: str) -> str:
    return re.search(rf'data-start="{name}">(.*?)</li>', html, re.S).group(1)


def test_start_here_counts_link_to_pages(site):
    r = get(site["path"], "/sample/-/citetrace")
    assert r.status_code == 200
    html = r.text
    needs = _item(html, "needs-source")
    # one flag dismissed by a reviewer: counted apart
    assert f"<strong>{len(site['flagged']) - 1}</strong> claims need a source" in needs
    assert "1 more dismissed" in needs
    assert 'href="/sample/-/citetrace/claims?needs_source=1"' in needs
    links = _item(html, "links")
    assert "<strong>2</strong> dead or unreachable links" in links
    assert 'href="/sample/-/citetrace/health?verdict=dead">2 dead' in links
    assert "not checked yet" in links
    notes = _item(html, "annotations")
    assert "<strong>1</strong> open annotation</a>" in notes  # the dismissal
    assert 'href="/sample/-/citetrace/review?state=in_review">1 in review' in notes
    suspect = _item(html, "suspect")
    assert "<strong>1</strong> suspect extraction:" in suspect
    assert 'href="/sample/-/citetrace/documents/1"' in suspect
    # per-document "need a source" goes to the claims list, not the raw table
    assert "/sample/claims?" not in html
    assert "/sample/-/citetrace/claims?needs_source=1&amp;document=1" in html
    for download in ("/sample/-/citetrace/review/report.md?document=1",
                     "/sample/-/citetrace/annotations.csv?document=1",
                     "/sample/-/citetrace/annotations.csv\"",
                     "/sample/-/citetrace/sources.bib?document=1",
                     "/sample/-/citetrace/sources.ris\""):
        assert download in html, download


def test_claims_list_links_each_claim_to_its_trace(site):
    html = get(site["path"], "/sample/-/citetrace/claims?needs_source=1&document=1").text
    ids = [int(i) for i in re.findall(r'class="ct-claim-item" data-claim="(\d+)"', html)]
    assert sorted(ids) == site["flagged"]
    for claim_id in ids:
        assert f'href="/sample/-/citetrace/claims/{claim_id}"' in html
    dismissed = re.search(rf'data-claim="{site["flagged"][0]}">(.*?)</li>', html, re.S).group(1)
    assert "flag dismissed by a reviewer" in dismissed
    every = get(site["path"], "/sample/-/citetrace/claims").text
    assert every.count('class="ct-claim-item"') > len(ids)  # all claims, not only flagged
    assert get(site["path"], "/sample/-/citetrace/claims?document=999").status_code == 404
    assert get(site["path"], "/sample/-/citetrace/claims?document=x").status_code == 404


def test_downloads_are_the_cli_exports(site):
    conn = sqlite3.connect(site["path"])
    report = get(site["path"], "/sample/-/citetrace/review/report.md?document=1")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/markdown")
    assert 'attachment; filename="review-document-1.md"' == report.headers["content-disposition"]
    assert report.text == exchange.markdown_report(conn, 1)  # one source: the CLI's code
    assert f"### Claim {site['cited']}" in report.text and "Check *this*" in report.text
    table = get(site["path"], "/sample/-/citetrace/annotations.csv")
    assert table.headers["content-type"].startswith("text/csv")
    assert table.text == exchange.export_csv(conn, api.Filters(include_deleted=True))
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {r["tags"] for r in rows} == {"disputed", "source-not-needed"}
    assert next(r for r in rows if r["tags"] == "disputed")["body"] == "Check *this*, =1+1"
    assert get(site["path"], "/sample/-/citetrace/review/report.md").status_code == 404
    assert get(site["path"], "/sample/-/citetrace/review/report.md?document=77").status_code == 404
    conn.close()


def test_canned_query_ids_link_to_their_pages(site):
    html = get(site["path"], "/sample/claims_needing_source").text
    for claim_id in site["flagged"][:3]:
        assert f'<a href="/sample/-/citetrace/claims/{claim_id}">{claim_id}</a>' in html
    assert '<a href="/sample/-/citetrace/documents/1">1</a>' in html
    sources = get(site["path"], "/sample/most_cited_sources").text
    first = re.search(r'<td class="col-id[^"]*"><a href="/sample/-/citetrace/sources/(\d+)">\1</a>',
                      sources)
    assert first, sources[:2000]
    # the JSON is unchanged: plain ids
    data = get(site["path"], "/sample/claims_needing_source.json?_shape=array").json()
    assert [r["id"] for r in data][:1] and isinstance(data[0]["id"], int)
    # a table page is left as Datasette renders it
    assert '/-/citetrace/claims/' not in get(site["path"], "/sample/claims").text


def test_root_sign_in_lands_on_the_citetrace_home(site):
    async def go():
        ds = Datasette([str(site["path"])])
        await ds.invoke_startup()
        token = ds._root_token
        wrong = await ds.client.get("/-/auth-token?token=nope")
        right = await ds.client.get(f"/-/auth-token?token={token}")
        again = await ds.client.get(f"/-/auth-token?token={token}")
        return wrong, right, again, ds

    wrong, right, again, ds = asyncio.run(go())
    assert wrong.status_code == 403 and again.status_code == 403  # Datasette's rules hold
    assert right.status_code == 302
    assert right.headers["location"] == "/sample/-/citetrace"
    actor = ds.unsign(right.cookies["ds_actor"], "actor")
    assert actor == {"a": {"id": "root"}}
