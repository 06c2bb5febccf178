"""Annotations: model, workflow, history, CLI, export/import (sample report, real SQLite)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from annotations_support import base, copy_db, db_path, ingested  # noqa: F401  (base, db_path: fixtures)
from click.testing import CliRunner

from citetrace.annotations import api
from citetrace.db.store import open_db
from citetrace.annotations.exchange import export_csv, export_jsonld, import_jsonld, markdown_report
from citetrace.annotations.model import AnnotationError
from citetrace.annotations.render import body_html
from citetrace.plugins.cli import cli




@pytest.fixture
def conn(db_path):
    c = open_db(str(db_path))
    yield c
    c.close()


def _claim(conn):
    return conn.execute("select id, passage_id, start, end, text from claims "
                        "where exists (select 1 from claim_footnotes where claim_id = claims.id) "
                        "order by id limit 1").fetchone()


def run(*args, ok=True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


# --- model and workflow -----------------------------------------------------------------


def test_targets_by_claim_passage_note_and_quote(conn):
    cid, pid, start, end, text = _claim(conn)
    t = api.resolve_target(conn, claim_id=cid)
    assert (t["passage_id"], t["start"], t["end"], t["claim_id"]) == (pid, start, end, cid)
    assert t["exact"] == text and t["source_id"] is not None  # the claim's cited source
    assert len(t["prefix"]) == 32 and len(t["suffix"]) == 32  # Hypothesis-sized context
    p = api.resolve_target(conn, passage_id=pid, quote=text[5:40])
    assert (p["start"], p["end"]) == (start + 5, start + 40)
    q = api.resolve_target(conn, document=1, quote=text[5:40])
    assert (q["passage_id"], q["start"]) == (pid, start + 5)
    note = conn.execute("select id, text from footnotes where text like '%http%' limit 1").fetchone()
    n = api.resolve_target(conn, footnote_id=note[0])
    assert n["target_kind"] == "note" and n["exact"] == note[1] and n["passage_id"] is None
    with pytest.raises(AnnotationError):
        api.resolve_target(conn, passage_id=pid, quote="not in this passage at all")
    with pytest.raises(AnnotationError):
        api.resolve_target(conn, passage_id=pid, start=0, end=10_000)
    with pytest.raises(AnnotationError):
        api.resolve_target(conn, document=1, quote="nowhere in the report, surely")


def test_vocabulary_is_checked(conn):
    t = api.resolve_target(conn, claim_id=_claim(conn)[0])
    with pytest.raises(AnnotationError, match="unknown tag"):
        api.add(conn, t, body="x", tags=["wrong"], author="ana")
    with pytest.raises(AnnotationError, match="unknown motivation"):
        api.add(conn, t, body="x", motivation="liking", author="ana")
    with pytest.raises(AnnotationError, match="body or a tag"):
        api.add(conn, t, author="ana")
    a = api.add(conn, t, tags=["needs-source", "misquoted", "needs-source"], author="ana")
    assert a.tags == ["needs-source", "misquoted"] and a.state == "open"


def test_workflow_transitions_and_history(conn):
    t = api.resolve_target(conn, claim_id=_claim(conn)[0])
    a = api.add(conn, t, body="Is *this* right?", motivation="questioning", author="ana")
    with pytest.raises(AnnotationError, match="cannot go from open to resolved"):
        api.set_state(conn, a.id, "resolved", "ben")
    a = api.set_state(conn, a.id, "in_review", "ben", assignee="ben")
    assert (a.state, a.assignee) == ("in_review", "ben")
    a = api.set_state(conn, a.id, "rejected", "ben")
    a = api.set_state(conn, a.id, "open", "ana")  # reopen
    a = api.update(conn, a.id, "ana", body="Is this right? See p. 4.", tags=["disputed"])
    a = api.set_state(conn, a.uuid, "deleted", "ana")  # by uuid too
    assert api.list_annotations(conn) == []  # deleted ones are hidden, not gone
    assert [x.id for x in api.list_annotations(conn, api.Filters(state="deleted"))] == [a.id]
    a = api.set_state(conn, a.id, "open", "ana")  # restored
    hist = api.history(conn, a.id)
    assert [h.action for h in hist] == ["create", "state", "state", "state", "update", "state", "state"]
    assert [h.actor for h in hist] == ["ana", "ben", "ben", "ana", "ana", "ana", "ana"]
    assert hist[1].changes == {"state": ["open", "in_review"], "assignee": [None, "ben"]}
    assert hist[4].changes["tags"] == [[], ["disputed"]]
    assert all(h.at for h in hist) and a.modified >= a.created


def test_nothing_is_hard_deleted(conn):
    a = api.add(conn, api.resolve_target(conn, claim_id=_claim(conn)[0]), body="x", author="ana")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("delete from annotations where id = ?", [a.id])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("delete from annotation_history")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("update annotation_history set actor = 'mallory'")


def test_filters(conn):
    cid = _claim(conn)[0]
    t = api.resolve_target(conn, claim_id=cid)
    a1 = api.add(conn, t, tags=["verified"], author="ana")
    a2 = api.add(conn, t, tags=["disputed"], author="ben", assignee="cy")
    api.set_state(conn, a2.id, "in_review", "cy")

    def ids(**kw):
        return [a.id for a in api.list_annotations(conn, api.Filters(**kw))]

    assert ids() == [a1.id, a2.id]
    assert ids(tag="disputed") == [a2.id]
    assert ids(author="ana") == [a1.id]
    assert ids(assignee="cy") == [a2.id]
    assert ids(state="in_review") == [a2.id]
    assert ids(document=1) == ids(document=t["document_sha256"][:12]) == [a1.id, a2.id]
    assert ids(anchor="orphaned") == []


def test_markdown_body_is_rendered_safely():
    html = str(body_html("**ok** <script>alert(1)</script> [x](javascript:alert(1)) "
                         "<img src=x onerror=alert(1)>"))
    assert "<strong>ok</strong>" in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


# --- export / import --------------------------------------------------------------------


def _some_annotations(conn):
    cid = _claim(conn)[0]
    a = api.add(conn, api.resolve_target(conn, claim_id=cid), body="Figure checked against **table 3**.",
                tags=["verified"], author="ana")
    api.set_state(conn, a.id, "in_review", "ben", assignee="ben")
    api.set_state(conn, a.id, "resolved", "ben")
    note = conn.execute("select id from footnotes order by seq limit 1 offset 4").fetchone()[0]
    b = api.add(conn, api.resolve_target(conn, footnote_id=note, start=0, end=20),
                body="Link is dead.", tags=["source-unavailable"], author="cy")
    c = api.add(conn, api.resolve_target(conn, claim_id=cid + 1), body="=cmd|' /C calc'!A0",
                motivation="questioning", author="ana")
    api.set_state(conn, c.id, "deleted", "ana")
    return a, b, c


def test_jsonld_round_trip(conn, base, tmp_path):
    _some_annotations(conn)
    exported = export_jsonld(conn)
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 3
    first = exported["first"]["items"][0]
    assert first["type"] == "Annotation" and first["id"].startswith("urn:uuid:")
    assert first["target"]["source"].startswith("urn:sha256:")
    kinds = [s["type"] for s in first["target"]["selector"]]
    assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
    assert {"type": "TextualBody", "value": "verified", "purpose": "tagging"} in first["body"]
    assert first["citetrace:state"] == "resolved" and len(first["citetrace:history"]) == 3

    # wipe: a fresh copy of the ingested database, then import -> the same export
    fresh = open_db(str(copy_db(base[0], tmp_path, "fresh.db")))
    assert import_jsonld(fresh, json.loads(json.dumps(exported)), "importer") == \
        {"imported": 3, "skipped": 0, "documents": 1}
    assert export_jsonld(fresh) == exported
    assert import_jsonld(fresh, exported, "importer")["skipped"] == 3  # idempotent
    assert export_jsonld(fresh) == exported
    fresh.close()


def test_import_of_foreign_annotation_and_unknown_document(conn):
    text = _claim(conn)[4]
    sha = conn.execute("select sha256 from documents").fetchone()[0]
    hypothesis_like = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
        "id": "https://hypothes.is/a/abc123", "motivation": "commenting",
        "creator": "acct:dana@hypothes.is",
        "body": [{"type": "TextualBody", "value": "Source?"},
                 {"type": "TextualBody", "purpose": "tagging", "value": "needs-source"}],
        "target": {"source": f"urn:sha256:{sha}", "selector": [
            {"type": "TextQuoteSelector", "exact": text[:40]},
            {"type": "TextPositionSelector", "start": 9999, "end": 10039}]},
    }
    elsewhere = dict(hypothesis_like, id="https://hypothes.is/a/def456",
                     target={"source": "urn:sha256:" + "0" * 64,
                             "selector": [{"type": "TextQuoteSelector", "exact": "elsewhere"}]})
    counts = import_jsonld(conn, [hypothesis_like, elsewhere], "importer")
    assert counts == {"imported": 2, "skipped": 0, "documents": 1}
    got = {a.author: a for a in api.list_annotations(conn)}
    a = got["acct:dana@hypothes.is"]
    assert a.anchor == "exact" and a.target.start != 9999 and a.tags == ["needs-source"]
    assert [h.action for h in api.history(conn, a.id)][0] == "import"
    waiting = [x for x in api.list_annotations(conn) if x.target.document_sha256 == "0" * 64]
    assert len(waiting) == 1 and waiting[0].orphaned  # kept until its document arrives


def test_csv_and_markdown_report(conn):
    a, b, c = _some_annotations(conn)
    rows = {r["uuid"]: r for r in csv.DictReader(io.StringIO(export_csv(conn)))}
    assert set(rows) == {a.uuid, b.uuid, c.uuid}
    assert rows[a.uuid]["tags"] == "verified" and rows[a.uuid]["state"] == "resolved"
    assert rows[c.uuid]["body"].startswith("'=")  # no formula injection into spreadsheets
    report = markdown_report(conn, 1)
    assert report.startswith("# Review: ")
    assert "## Claims" in report and "Note " in report
    assert "- **verified** (resolved) by ana, assigned to ben" in report
    assert "Figure checked against **table 3**." in report
    assert "## Other annotations" in report and "Link is dead." in report
    assert "=cmd" not in report  # deleted annotations stay out of the report


# --- CLI --------------------------------------------------------------------------------


def test_cli_add_list_show_status_export_import(db_path, base, tmp_path, monkeypatch):
    monkeypatch.setenv("CITETRACE_USER", "ana")
    conn = sqlite3.connect(db_path)
    cid, pid, start, end, text = _claim(conn)
    note = conn.execute("select id from footnotes order by seq limit 1").fetchone()[0]
    conn.close()
    out = run("annotate", "add", "--db", db_path, "--claim", cid, "-m", "Check the number.",
              "-t", "disputed")
    assert out.startswith("annotation 1 ") and f"claim {cid}" in out
    run("annotate", "add", "--db", db_path, "--note", note, "-t", "source-unavailable",
        "--author", "ben")
    run("annotate", "add", "--db", db_path, "--passage", pid, "--quote", text[:30], "-m", "quoted",
        "--assignee", "cy")
    run("annotate", "add", "--db", db_path, "--quote", text[10:50], "--document", 1, "-m", "by quote")
    err = run("annotate", "add", "--db", db_path, "--quote", "no such words here", "--document", 1,
              "-m", "x", ok=False)
    assert "quote not found" in err

    listing = run("annotate", "list", "--db", db_path)
    assert listing.strip().endswith("4 annotations")
    assert run("annotate", "list", "--db", db_path, "--author", "ben").strip().endswith("1 annotation")
    assert run("annotate", "list", "--db", db_path, "--tag", "disputed").count("disputed") == 1
    assert run("annotate", "list", "--db", db_path, "--state", "resolved").strip() == "0 annotations"

    assert "open -> in_review" in run("annotate", "status", "--db", db_path, "1", "in_review",
                                      "--assignee", "ben")
    refused = run("annotate", "status", "--db", db_path, "1", "in_review", ok=True)
    assert "in_review -> in_review" in refused  # no-op, not an error
    bad = run("annotate", "status", "--db", db_path, "2", "resolved", ok=False)
    assert "cannot go from open to resolved" in bad and "in_review, deleted" in bad
    run("annotate", "status", "--db", db_path, "1", "resolved", "--by", "ben")
    shown = run("annotate", "show", "--db", db_path, "1")
    assert "state     resolved" in shown and "history:" in shown
    assert shown.count(" state ") >= 2 and "ben" in shown

    assert json.loads(run("annotate", "list", "--db", db_path, "--json").splitlines()[0])["type"] == "Annotation"
    export_file = tmp_path / "review.jsonld"
    run("annotate", "export", "--db", db_path, "-o", export_file)
    csv_out = run("annotate", "export", "--db", db_path, "--format", "csv")
    assert csv_out.splitlines()[0].startswith("id,uuid,document_id")
    md = run("annotate", "export", "--db", db_path, "--format", "markdown", "--document", 1)
    assert md.startswith("# Review:") and "Check the number." in md

    fresh = copy_db(base[0], tmp_path, "fresh.db")
    out = run("annotate", "import", "--db", fresh, export_file)
    assert out.startswith("4 imported, 0 already present")
    again = tmp_path / "again.jsonld"
    run("annotate", "export", "--db", fresh, "-o", again)
    assert again.read_text() == export_file.read_text()
