"""The trace page's review panel: "needs a source" in words, its dismissal (an annotation
tagged source-not-needed) counted on the home page, verdict forms, and who may use them."""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3

import pytest
from annotations_support import copy_db, ingested, post_as_root
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")


@pytest.fixture
def site(tmp_path_factory, sample, tmp_path):
    # the sample ingested once per session (annotations_support caches it)
    path = copy_db(ingested(tmp_path_factory, sample)[0], tmp_path, "reports.db")
    conn = sqlite3.connect(path)
    flagged, reasons = conn.execute(
        "select id, reasons from claims where needs_source = 1 and document_id = 1 "
        "order by id limit 1").fetchone()
    supported = conn.execute("select id from claims where needs_source = 0 and support != 'none' "
                             "order by id limit 1").fetchone()[0]
    conn.close()
    return {"ds": Datasette([str(path)]), "path": path, "flagged": flagged,
            "reasons": json.loads(reasons), "supported": supported}


def call(coro):
    return asyncio.run(coro)


def trace_url(claim_id):
    return f"/reports/-/citetrace/claims/{claim_id}"


def root_get(ds, url):
    return call(ds.client.get(url, cookies={"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}))


def home_counts(ds, cookies=None):
    page = call(ds.client.get("/reports/-/citetrace", cookies=cookies or {})).text
    cell = re.search(r'<tr class="ct-doc" data-document="1">.*?data-label="Need a source">(.*?)</td>',
                     page, re.S).group(1)
    shown = int(re.search(r">(\d+)</a>", cell).group(1))
    dismissed = re.search(r"\+(\d+) dismissed", cell)
    return shown, int(dismissed.group(1)) if dismissed else 0


def test_needs_source_is_explained_in_words(site):
    page = call(site["ds"].client.get(trace_url(site["flagged"]))).text
    why = html.unescape(re.search(r'<p class="ct-why">(.*?)</p>', page, re.S).group(1))
    assert why.startswith("Check-worthy: ")
    # the reasons in words, without their rule codes ("dated (T1)" reads "dated")
    words = [re.sub(r"\s*\([A-Z0-9_/, ]+\)$", "", r) for r in site["reasons"]]
    assert words and all(w and w in why for w in words)
    assert not re.search(r"\((T\d|GPE|ORG|NORP)\)", why)
    assert "Unsupported: no note marker and no inline citation" in why
    # anonymous: the explanation, no forms
    assert "ct-dismiss-form" not in page and "ct-verdict-form" not in page
    assert "Read only" in page
    supported = call(site["ds"].client.get(trace_url(site["supported"]))).text
    assert 'class="ct-why"' not in supported


def test_root_gets_verdict_buttons_and_the_dismiss_form(site):
    page = root_get(site["ds"], trace_url(site["flagged"])).text
    verdicts = re.search(r'<form class="ct-verdict-form ct-verdicts".*?</form>', page, re.S).group(0)
    assert re.findall(r'name="tag" value="([^"]+)"', verdicts) == [
        "verified", "disputed", "needs-source", "misquoted"]
    assert 'name="csrftoken" value="' in verdicts
    assert f'name="claim_id" value="{site["flagged"]}"' in verdicts
    dismiss = re.search(r'<form class="ct-verdict-form ct-dismiss-form".*?</form>', page, re.S).group(0)
    assert 'value="source-not-needed"' in dismiss and "required" in dismiss
    assert "citetrace-verdicts.js" in page
    # a claim that is not flagged has verdicts but nothing to dismiss
    other = root_get(site["ds"], trace_url(site["supported"])).text
    assert "ct-verdicts" in other and "ct-dismiss-form" not in other


def test_dismissal_is_shown_and_counted(site):
    ds, flagged = site["ds"], site["flagged"]
    root = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}
    before = home_counts(ds, root)
    assert before[1] == 0 and before[0] >= 1
    r = call(post_as_root(ds, "/reports/-/citetrace/annotations",
                          {"claim_id": str(flagged), "motivation": "assessing",
                           "tag": "source-not-needed", "body": "A definition, not a *fact*."},
                          accept="application/json", reader=trace_url(flagged)))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["citetrace:stateUrl"].endswith(f"/annotations/{created['citetrace:annotationId']}/state")
    page = root_get(ds, trace_url(flagged)).text
    section = re.search(r'<section class="ct-needs-source is-dismissed".*?</section>', page, re.S).group(0)
    assert "Dismissed by root" in section and "<em>fact</em>" in section
    assert "ct-dismiss-form" not in section  # dismissed once is enough
    assert home_counts(ds, root) == (before[0] - 1, 1)
    reader = root_get(ds, "/reports/-/citetrace/documents/1").text
    assert f"{before[0] - 1} need" in reader and "1 flag dismissed" in reader
    # the dismissal is an annotation like any other: in the queue under its tag
    queue = call(ds.client.get("/reports/-/citetrace/review?tag=source-not-needed")).text
    assert "A definition, not a" in queue
    # deleting it (the page's undo) restores the flag and the count
    r = call(post_as_root(ds, created["citetrace:stateUrl"], {"state": "deleted"},
                          accept="application/json", reader=trace_url(flagged)))
    assert r.status_code == 200 and r.json()["state"] == "deleted"
    assert home_counts(ds, root) == before
    assert "ct-dismiss-form" in root_get(ds, trace_url(flagged)).text


def test_anonymous_cannot_dismiss(site):
    ds = site["ds"]
    r = call(ds.client.post("/reports/-/citetrace/annotations",
                            data={"claim_id": str(site["flagged"]), "tag": "source-not-needed",
                                  "body": "no"}))
    assert r.status_code == 403
    conn = sqlite3.connect(site["path"])
    assert conn.execute("select count(*) from annotations").fetchone()[0] == 0
    conn.close()
