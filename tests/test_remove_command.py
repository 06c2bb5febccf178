"""`citetrace remove`: documents named by id, file name, path or sha256, each removed in one
transaction with a summary of what went; `--dry-run` says the same and changes nothing; a
name that names no document (or several) removes nothing; the sources shared with the
documents that stay keep right counts; annotations are kept, orphaned, never shown on the
rows of a document ingested later, and anchored again when the file comes back.

Real parts: the sample report and its variant 1 typeset and ingested with `citetrace ingest`
into a SQLite file, the command run with click's CliRunner, pages from Datasette's client."""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from datasette.plugins import pm
from test_source_stats import assert_stored_is_computed

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.annotations import api
from citetrace.annotations.anchor import anchored_text
from citetrace.db.store import DOCUMENT_TABLES
from citetrace.plugins.cli import cli
from citetrace.plugins.sources_pages import verdict_tally

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

SUMMARY = re.compile(
    r"^(removed|would remove) document (\d+) (\S+) \(sha256 ([0-9a-f]{12})\): (\d+) pages?, "
    r"(\d+) passages?, (\d+) notes?, (\d+) markers?, (\d+) citations?, (\d+) claims?, "
    r"(\d+) entit(?:y|ies); (no annotations|(\d+) annotations? kept, orphaned until the file is "
    r"ingested again)(?:; (?P<uncited>\d+) sources? no longer cited by any document \(kept\))?$")


def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, sample) -> dict[str, Path]:
    from citetrace.ingest.sample import build_sample

    folder = tmp_path_factory.mktemp("pdfs")
    return {"v1": build_sample(folder, variant=1)[0], "v2": build_sample(folder, variant=2)[0],
            "sample": Path(shutil.copy(sample[0], folder))}


@pytest.fixture(scope="module")
def built(tmp_path_factory, pdfs) -> Path:
    """Variant 1 (document 1), then the sample (document 2: the highest ids), ingested."""
    path = tmp_path_factory.mktemp("built") / "reports.db"
    for name in ("v1", "sample"):
        result = run("ingest", pdfs[name], "--db", path, "--quiet", "--workers", 1)
        assert result.exit_code == 0, result.stdout + result.stderr
    return path


@pytest.fixture
def db_path(built, tmp_path) -> Path:
    return Path(shutil.copy(built, tmp_path / "reports.db"))


def counts(path: Path, doc_id: int) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"select count(*) from {t} where {w}", [doc_id]).fetchone()[0]
                for t, w in DOCUMENT_TABLES.items()}
    finally:
        conn.close()


def documents(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select id, filename, sha256 from documents order by id").fetchall()
    finally:
        conn.close()


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_remove_by_file_name_says_what_went_and_keeps_shared_counts_right(db_path, built):
    before = counts(db_path, 2)
    result = run("remove", "--db", db_path, "citetrace-sample.pdf")
    assert result.exit_code == 0, result.stderr
    [line] = result.stdout.splitlines()
    m = SUMMARY.match(line)
    assert m, line
    assert m.group(1, 2, 3) == ("removed", "2", "citetrace-sample.pdf")
    shown = [int(g) for g in m.group(5, 6, 7, 8, 9, 10, 11)]
    assert shown == [before[t] for t in ("pages", "passages", "footnotes", "footnote_refs",
                                         "citations", "claims", "entities")]
    assert min(shown) > 0 and m.group(12) == "no annotations"
    # nothing of it is left, the other document is whole
    assert [d[0] for d in documents(db_path)] == [1]
    assert set(counts(db_path, 2).values()) == {0}
    assert counts(db_path, 1) == counts(built, 1)
    conn = sqlite3.connect(db_path)
    # the sources both cited are still cited once, and what the list of sources shows is what
    # reading every citation gives
    assert conn.execute("select count(*) from sources where citing_documents > 1").fetchone() == (0,)
    assert_stored_is_computed(conn)
    uncited = conn.execute("select count(*) from sources where citing_documents = 0").fetchone()[0]
    assert uncited == int(m['uncited']) > 0
    conn.close()


def test_names_are_ids_paths_and_sha256_prefixes(db_path, pdfs):
    (_, _, sha1), (_, _, sha2) = documents(db_path)
    # the path the file was ingested from, from another folder than the one it was read in
    assert run("remove", "--db", db_path, "--dry-run", pdfs["v1"]).stdout.startswith(
        "would remove document 1 ")
    assert run("remove", "--db", db_path, "--dry-run", sha2[:8].upper()).stdout.startswith(
        "would remove document 2 ")
    # too short a prefix names nothing (a collection would have many)
    short = run("remove", "--db", db_path, sha2[:7])
    assert short.exit_code == 1 and f"no document '{sha2[:7]}'" in short.stderr
    result = run("remove", "--db", db_path, sha1, "2", "1")  # the same document twice: once
    assert result.exit_code == 0, result.stderr
    assert [SUMMARY.match(x).group(2) for x in result.stdout.splitlines()[:2]] == ["1", "2"]
    assert result.stdout.splitlines()[2].startswith("2 documents removed: 20 pages, 108 passages")
    assert documents(db_path) == []


def test_a_name_that_names_nothing_or_several_removes_nothing(db_path, pdfs, tmp_path):
    # variant 1's bytes seen again under the sample's name: that name now names both
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(pdfs["v1"], other / "citetrace-sample.pdf")
    assert run("ingest", other / "citetrace-sample.pdf", "--db", db_path, "--quiet").exit_code == 0
    data = db_path.read_bytes()
    result = run("remove", "--db", db_path, "1", "missing.pdf", "citetrace-sample.pdf")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (f"error: no document 'missing.pdf' in {db_path} (give its id, a file "
                        "name or path it was ingested from, or 8+ hex digits of its sha256): "
                        "nothing was removed")
    assert re.fullmatch(r"error: 'citetrace-sample.pdf' names 2 documents in \S+: "
                        r"1 citetrace-sample-v0001.pdf \(sha256 [0-9a-f]{12}\), "
                        r"2 citetrace-sample.pdf \(sha256 [0-9a-f]{12}\); give the id or the "
                        r"sha256: nothing was removed", lines[1]), lines[1]
    assert len(lines) == 2
    assert db_path.read_bytes() == data  # not even document 1, named rightly


def test_dry_run_says_what_the_removal_does_and_changes_nothing(db_path):
    data = file_sha(db_path)
    dry = run("remove", "--db", db_path, "--dry-run", "2", "1")
    assert dry.exit_code == 0, dry.stderr
    assert file_sha(db_path) == data
    assert dry.stdout.splitlines()[-1] == f"dry run: nothing was removed from {db_path}"
    real = run("remove", "--db", db_path, "2", "1")
    assert real.exit_code == 0, real.stderr
    # line for line the same figures, sources both cited counted with the second
    assert dry.stdout.splitlines()[:-1] == [
        line.replace("removed document", "would remove document")
            .replace("2 documents removed", "2 documents would be removed")
        for line in real.stdout.splitlines()]
    first, second = (SUMMARY.match(x) for x in real.stdout.splitlines()[:2])
    conn = sqlite3.connect(db_path)
    assert int(first['uncited'] or 0) + int(second['uncited']) == conn.execute(
        "select count(*) from sources where citing_documents = 0").fetchone()[0]
    conn.close()


def _annotate(db_path: Path) -> tuple[int, int]:
    """A verdict on a cited claim of the sample (document 2) and one on a note; their ids."""
    conn = sqlite3.connect(db_path)
    claim, footnote = conn.execute(
        "select cf.claim_id, cf.footnote_id from claim_footnotes cf join claims c "
        "on c.id = cf.claim_id join note_sources ns on ns.footnote_id = cf.footnote_id "
        "where c.document_id = 2 order by c.id limit 1").fetchone()
    a = api.add(conn, api.resolve_target(conn, claim_id=claim), body="Checked: the audit "
                "says otherwise.", tags=["disputed"], author="ana")
    b = api.add(conn, api.resolve_target(conn, footnote_id=footnote), body="Dead link.",
                tags=["source-unavailable"], author="ben")
    assert a.target.source_id and verdict_tally(conn)[a.target.source_id]["disputed"] == 1
    conn.close()
    return a.id, b.id


def test_annotations_are_kept_orphaned_and_never_shown_on_another_documents_rows(
        db_path, pdfs):
    ids = _annotate(db_path)
    conn = sqlite3.connect(db_path)
    before = {i: api.get(conn, i) for i in ids}
    claim_id = before[ids[0]].target.claim_id
    conn.close()
    result = run("remove", "--db", db_path, "2")
    assert result.exit_code == 0, result.stderr
    assert "; 2 annotations kept, orphaned until the file is ingested again;" in result.stdout
    conn = sqlite3.connect(db_path)
    for i in ids:
        a = api.get(conn, i)
        # every word of it kept, tied to the file's sha256; no row id left pointing anywhere
        assert (a.uuid, a.body, a.tags, a.state, a.target.exact, a.target.document_sha256) == (
            before[i].uuid, before[i].body, before[i].tags, before[i].state,
            before[i].target.exact, before[i].target.document_sha256)
        assert a.orphaned and (a.target.document_id, a.target.passage_id, a.target.claim_id,
                               a.target.footnote_id, a.target.source_id) == (None,) * 5
        last = api.history(conn, i)[-1]
        assert (last.actor, last.action) == ("citetrace:remove", "orphan")
        assert last.changes["document_id"] == [2, None]
    # the source's verdicts no longer count a document that is gone
    assert verdict_tally(conn) == {}
    conn.close()
    assert run("annotate", "list", "--db", db_path, "--orphaned").stdout.count("orphaned") == 2

    # Another document ingested now is given the removed one's ids (max(id) + 1): its claim's
    # page must not show the removed document's verdict.
    assert run("ingest", pdfs["v2"], "--db", db_path, "--quiet").exit_code == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("select d.filename from claims c join documents d on d.id = c.document_id "
                        "where c.id = ?", [claim_id]).fetchone() == ("citetrace-sample-v0002.pdf",)
    conn.close()
    page = asyncio.run(Datasette([str(db_path)]).client.get(
        f"/reports/-/citetrace/claims/{claim_id}"))
    assert page.status_code == 200
    assert "the audit says otherwise" not in page.text

    # The file ingested again: both are anchored again, on its new rows, quotes intact.
    assert run("ingest", pdfs["sample"], "--db", db_path, "--quiet").exit_code == 0
    conn = sqlite3.connect(db_path)
    new_id = conn.execute("select id from documents where filename = 'citetrace-sample.pdf'"
                          ).fetchone()[0]
    for i in ids:
        a = api.get(conn, i)
        assert a.anchor == "exact" and a.target.document_id == new_id
        assert anchored_text(conn, {"anchor": a.anchor, "start": a.target.start,
                                    "end": a.target.end, "passage_id": a.target.passage_id,
                                    "footnote_id": a.target.footnote_id}) == a.target.exact
    assert verdict_tally(conn)[api.get(conn, ids[0]).target.source_id]["disputed"] == 1
    conn.close()
