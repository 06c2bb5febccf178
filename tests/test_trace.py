"""`citetrace trace` on the ingested sample report, checked against the sample's gold file."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import ingest_sample

import shutil
import sqlite3

from citetrace.db.store import open_readonly
from citetrace.db.trace import load_trace, read_claim
from citetrace.plugins.cli import cli


@pytest.fixture(scope="module")
def ingested(sample, tmp_path_factory):
    pdf, gold_path = sample
    db = ingest_sample(pdf, tmp_path_factory.mktemp("trace"))
    return db, json.loads(gold_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def traced(ingested):
    db, gold = ingested
    result = CliRunner().invoke(cli, ["trace", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output), gold


def _gold_note(gold, label):
    return next(f for f in gold["footnotes"] if f["label"] == label)


def _gold_sentence(gold, label):
    return next(m["sentence"] for m in gold["markers"] if m["label"] == label)


def _claims_citing(trace, label):
    return [c for c in trace["claims"] if any(n["label"] == label for n in c["notes"])]


def _note(claim, label):
    return next(n for n in claim["notes"] if n["label"] == label)


def test_json_shape(traced):
    trace, gold = traced
    assert [d["filename"] for d in trace["documents"]] == ["citetrace-sample.pdf"]
    assert set(trace) == {"documents", "claims", "needs_source", "other"}
    for c in trace["claims"]:
        assert c["notes"] and c["kind"] and 0 <= c["score"] <= 1
        assert c["text"] in c["sentence"]
    # Every gold marker's note is traced from some claim.
    traced_labels = {n["label"] for c in trace["claims"] for n in c["notes"]}
    assert traced_labels == {m["label"] for m in gold["markers"]}


def test_claim_chain_marker_note_citation_source(traced):
    trace, gold = traced
    [claim] = _claims_citing(trace, "3")
    assert claim["sentence"] == _gold_sentence(gold, "3")
    assert claim["sentence"].startswith("In December 2021 the National Assembly passed the Water Services")
    assert claim["support"] == "marker" and claim["support_scope"] == "sentence"
    assert claim["score"] == 1.0 and not claim["needs_source"]
    note = _note(claim, "3")
    assert note["marker"] == "3"
    assert note["text"] == _gold_note(gold, "3")["text"]
    [cite] = note["citations"]
    assert (cite["date"], cite["date_text"]) == ("2021-12-17", "December 17, 2021")
    assert "Water Services Pricing Act" in cite["text"]
    assert cite["source"]["id"] and cite["source"]["citations"] >= 1


def test_urls_reach_the_source(traced):
    trace, gold = traced
    for label in ("2", "12"):
        [url] = _gold_note(gold, label)["urls"]
        [claim] = _claims_citing(trace, label)
        cites = _note(claim, label)["citations"]
        assert [c["url"] for c in cites] == [url]
        assert cites[0]["source"]["url"] == url
        assert cites[0]["source"]["key"] == "url:" + url.split("://", 1)[1].removeprefix("www.")


def test_ibid_resolves_to_the_previous_note_and_its_source(traced):
    trace, gold = traced
    assert _gold_note(gold, "7")["ibid_of"] == "6"
    [ibid] = _note(_claims_citing(trace, "7")[0], "7")["citations"]
    [full] = _note(_claims_citing(trace, "6")[0], "6")["citations"]
    assert (ibid["short_form"], ibid["refers_to_note"]) == ("ibid", "6")
    assert ibid["source"]["id"] == full["source"]["id"]
    assert ibid["title"] == full["title"] == "Baseline Study"


def test_claims_needing_a_source_are_apart(traced):
    trace, _gold = traced
    assert trace["needs_source"]
    for c in trace["needs_source"]:
        assert c["needs_source"] and not c["notes"] and not c["inline"]
        assert c["support"] == "none" and c["reasons"]
    for c in trace["other"]:
        assert not c["needs_source"] and not c["notes"]
    ids = [c["id"] for part in ("claims", "needs_source", "other") for c in trace[part]]
    assert len(ids) == len(set(ids))


def test_terminal_output_keeps_urls_whole(ingested):
    db, gold = ingested
    result = CliRunner().invoke(cli, ["trace", "--db", str(db), "--document", "1"])
    assert result.exit_code == 0, result.output
    out = result.output
    lines = out.splitlines()
    url = _gold_note(gold, "12")["urls"][0]  # longer than the 80 columns of the runner
    assert len(url) > 80
    assert any(line.strip() == f"url        {url}" for line in lines)
    assert "marker 3 → note 3" in out
    assert re.search(r"citation 1 · \w+ · 2021-12-17", out)
    assert "ibid → note 6" in out
    assert "Claims needing a source" in out


def test_search_and_document_filters(ingested):
    db, _gold = ingested
    found = load_trace(str(db), search="Pricing Act")
    assert found.claims
    for c in found.claims + found.needs_source + found.other:
        hay = c.text + " ".join(n.text + " ".join(x.title or "" for x in n.citations) for n in c.notes)
        assert "pricing act" in hay.lower()
    everything = load_trace(str(db))
    assert len(found.claims) < len(everything.claims)
    by_name = load_trace(str(db), document="citetrace-sample.pdf")
    assert [c.id for c in by_name.claims] == [c.id for c in everything.claims]
    result = CliRunner().invoke(cli, ["trace", "--db", str(db), "--document", "999"])
    assert result.exit_code != 0 and "no document '999'" in result.output


def test_the_sentence_is_the_stored_one(ingested, tmp_path):
    """CLI and web read a claim's sentence from `sentences` (claims.sentence_id), as ingest
    stored it: changed there, both show the change."""
    db = shutil.copy(ingested[0], tmp_path / "edited.db")
    conn = sqlite3.connect(db)
    claim_id, sentence_id = conn.execute(
        "select id, sentence_id from claims where sentence_id is not null order by id").fetchone()
    with conn:
        conn.execute("update sentences set text = 'Stored sentence, read back.' where id = ?",
                     [sentence_id])
    conn.close()
    trace = load_trace(str(db))
    [claim] = [c for c in trace.claims + trace.needs_source + trace.other if c.id == claim_id]
    assert claim.sentence == "Stored sentence, read back." and claim.text != claim.sentence
    conn = open_readonly(str(db))
    page = read_claim(conn, claim_id)
    conn.close()
    assert page.claim == claim  # one read model: the page's claim is the CLI's


def test_one_read_model_for_cli_and_web(ingested):
    """Each claim of the web trace page is the same ClaimTrace the CLI prints."""
    db, _gold = ingested
    trace = load_trace(str(db))
    conn = open_readonly(str(db))
    try:
        for claim in trace.claims[:25] + trace.needs_source[:5]:
            page = read_claim(conn, claim.id)
            assert page.claim == claim
            assert {n.id for n in page.claim.notes} <= {m.footnote_id for m in page.markers}
            cited = [c.source_id for n in claim.notes for c in n.citations if c.source_id]
            assert [s.id for s in page.sources] == list(dict.fromkeys(cited))
        assert read_claim(conn, 10**9) is None
    finally:
        conn.close()
