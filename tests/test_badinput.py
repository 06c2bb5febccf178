"""Broken and hostile PDFs: each fails alone, with one line naming the file and the reason,
exit code 1, no rows for it, and the good files of the same run still ingested. Also the
per-document time limit and a crashing worker. Every bad PDF is generated here at test time."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from citetrace.db.load import ingest
from citetrace.ingest import pipeline
from citetrace.plugins.cli import cli

DOCUMENT_TABLES = ("pages", "passages", "footnotes", "footnote_refs", "claims", "entities")


# --- PDFs written byte by byte --------------------------------------------------------------

def make_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of `objects` (object n is objects[n - 1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(lines: list[bytes], page_extra: bytes = b"", extra: tuple[bytes, ...] = (),
             font: bytes = HELVETICA, pages: int = 1, mediabox: bytes = b"0 0 612 792") -> bytes:
    """`pages` pages of `lines` in Helvetica; objects 6.. are `extra` (annotations...)."""
    content = b"BT /F1 11 Tf 72 640 Td 14 TL\n" + b"".join(b"(%s) Tj T*\n" % ln for ln in lines) + b"ET"
    kids = b" ".join(b"%d 0 R" % (6 + len(extra) + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources << /Font << /F1 4 0 R >> >> " % mediabox
            + b"/Contents 3 0 R " + page_extra + b" >>")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            stream(content), font, b"<< /Producer (citetrace tests) >>", *extra] + [page] * pages
    return make_pdf(objs)


BODY = [b"The commission reviewed the water tariff reform in %d districts." % i for i in range(12)]


def good_pdf() -> bytes:
    return text_pdf(BODY)


def zero_pages() -> bytes:
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def many_pages(n: int) -> bytes:
    """n pages sharing one content stream: a small file with a huge page count."""
    return text_pdf([b"page"], pages=n)


def no_tounicode() -> bytes:
    """Text in a CID font with Identity encoding and no ToUnicode: pdfminer reads (cid:NN)."""
    type0 = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Garbled /Encoding /Identity-H "
             b"/DescendantFonts [6 0 R] >>")
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Garbled /CIDSystemInfo "
           b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>")
    content = b"BT /F1 11 Tf 72 720 Td 14 TL\n" + b"<0012003400560078001A> Tj T*\n" * 30 + b"ET"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 3 0 R >>")
    return make_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
                     stream(content), type0, page, cid])


def malformed_links() -> bytes:
    """Link annotations with a non-numeric /Rect, /A not a dictionary, a short /Rect, a
    number as URI, a dangling reference and a string in /Annots."""
    return text_pdf(BODY, page_extra=b"/Annots [6 0 R 7 0 R 8 0 R 99 0 R (junk)]", extra=(
        b"<< /Type /Annot /Subtype /Link /Rect [/a /b] /A << /S /URI /URI 5 >> >>",
        b"<< /Type /Annot /Subtype /Link /A (not a dictionary) >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10] /A << /S /URI /URI (http://x.org) >> >>",
    ))


def deep_annotation() -> bytes:
    """An annotation whose /Rect nests 5000 arrays deep (recursion in pdfplumber's resolve)."""
    deep = b"[" * 5000 + b"]" * 5000
    return text_pdf(BODY, page_extra=b"/Annots [6 0 R] /Deep " + b"<< /A " * 50 + b"1" + b" >>" * 50,
                    extra=(b"<< /Type /Annot /Subtype /Link /Rect " + deep + b" >>",))


def deep_page_tree(depth: int = 3000) -> bytes:
    """A page tree nested `depth` levels deep (pdfminer walks it recursively)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for i in range(depth):
        objs.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (i + 3))
    objs.append(b"<< /Type /Page /MediaBox [0 0 612 792] /Contents %d 0 R >>" % (len(objs) + 2))
    objs.append(stream(b"BT ET"))
    return make_pdf(objs)


def encrypted(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption(
        user_password, ownerPassword="owner-secret", strength=128))
    t = c.beginText(72, 720)
    for line in BODY:
        t.textLine(line.decode() + " (encrypted copy)")
    c.drawText(t)
    c.showPage()
    c.save()
    return buf.getvalue()


def image_only(stamp: str = "") -> bytes:
    """A "scan": a picture of a page and drawn shapes, at most a tiny stamp of real text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    im = Image.new("L", (300, 400), 255)
    draw = ImageDraw.Draw(im)
    for y in range(20, 380, 14):
        draw.text((15, y), "scanned words that are only pixels", fill=0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(im), 60, 150, 480, 640)
    c.rect(60, 60, 200, 50, fill=1)
    if stamp:
        c.setFont("Helvetica", 6)
        c.drawString(60, 30, stamp)
    c.showPage()
    c.save()
    return buf.getvalue()


def html_pdf() -> bytes:
    """Body text that is HTML and JavaScript: stored as text, never markup."""
    return text_pdf([b"<script>alert(document.cookie)</script> The tariff rose by 40 percent in 2021.",
                     b"<img src=x onerror=alert(1)> and a javascript:alert(2) link text."] + BODY)


# --- the batch ------------------------------------------------------------------------------

def _write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def _rows_by_document(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    names = {i: n for i, n in con.execute("select id, filename from documents")}
    for table in DOCUMENT_TABLES:
        orphans = con.execute(f"select count(*) from {table} where document_id not in "
                              "(select id from documents)").fetchone()[0]
        assert orphans == 0, table
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    return {names[i]: n for i, n in con.execute(
        "select document_id, count(*) from passages group by document_id")}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    good = good_pdf()
    files = {
        "empty.pdf": b"",
        "notes.txt.pdf": b"hello, I am a text file with a .pdf name\n",
        "truncated.pdf": good[: len(good) // 2],
        "zero-pages.pdf": zero_pages(),
        "huge.pdf": many_pages(2500),
        "garbled.pdf": no_tounicode(),
        "scan.pdf": image_only(),
        "scan-stamped.pdf": image_only("Scanned by ScanApp 3.1"),
        "locked.pdf": encrypted("s3cret"),
        "deep-tree.pdf": deep_page_tree(),
        "links.pdf": malformed_links(),
        "deep-annot.pdf": deep_annotation(),
        # a 400-digit width reads as Inf: it would store Inf / NaN boxes
        "inf-mediabox.pdf": text_pdf(BODY, mediabox=b"0 0 " + b"9" * 400 + b".5 792"),
        "wide-mediabox.pdf": text_pdf(BODY, mediabox=b"0 0 612 " + b"9" * 12),
        "good.pdf": good,
    }
    paths = {name: _write(tmp, name, data) for name, data in files.items()}
    db = tmp / "bad.db"
    result = CliRunner().invoke(cli, ["ingest", *map(str, paths.values()), "--db", str(db),
                                      "--workers", "2", "--quiet"])
    return paths, db, result


EXPECTED = {
    "empty.pdf": "empty file (0 bytes)",
    "notes.txt.pdf": "not a PDF (no %PDF header)",
    "truncated.pdf": "truncated PDF (no %%EOF at the end): copy or download it again",
    "zero-pages.pdf": "the PDF has no pages",
    "huge.pdf": "2500 pages, more than --max-pages 2000",
    "garbled.pdf": "text is garbled: 100% of the characters have no Unicode mapping",
    "scan.pdf": "no text layer: run OCR first (1 of 1 pages are images without text)",
    "scan-stamped.pdf": "no text layer: run OCR first (1 of 1 pages are images without text)",
    "locked.pdf": "encrypted: give --password",
    "deep-tree.pdf": "objects nested too deeply to parse",
    "inf-mediabox.pdf": "page 1 has an impossible size (its MediaBox has a number too large to read)",
    "wide-mediabox.pdf": "page 1 has an impossible size (612 x 1e+12 pt)",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_one_line_naming_it_and_the_reason(batch, name):
    paths, db, result = batch
    lines = [ln for ln in result.output.splitlines() if ln.startswith(f"error: {paths[name]}: ")]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {paths[name]}: {EXPECTED[name]}"), lines[0]


def test_bad_files_leave_no_rows_and_the_good_ones_land(batch):
    paths, db, result = batch
    assert result.exit_code == 1
    assert f"3 ingested, 0 unchanged, 0 duplicates, {len(EXPECTED)} failed" in result.output
    # malformed and absurdly nested link annotations are skipped, not fatal
    assert set(_rows_by_document(db)) == {"good.pdf", "links.pdf", "deep-annot.pdf"}
    con = sqlite3.connect(db)
    assert {n for (n,) in con.execute("select filename from documents")} == {
        "good.pdf", "links.pdf", "deep-annot.pdf"}
    # the error lines are the only stderr output: no pdfminer warnings, no tracebacks
    assert "Traceback" not in result.output and "WARNING" not in result.output


def test_encrypted_pdf_with_its_password_and_a_wrong_one(tmp_path):
    locked = _write(tmp_path, "locked.pdf", encrypted("s3cret"))
    owner_only = _write(tmp_path, "owner-only.pdf", encrypted(""))  # opens without a password
    db = tmp_path / "enc.db"
    runner = CliRunner()
    wrong = runner.invoke(cli, ["ingest", str(locked), "--db", str(db), "--password", "nope", "--quiet"])
    assert wrong.exit_code == 1
    assert f"error: {locked}: wrong password (--password)" in wrong.output
    right = runner.invoke(cli, ["ingest", str(locked), str(owner_only), "--db", str(db),
                                "--password", "s3cret", "--quiet"])
    assert right.exit_code == 0, right.output
    con = sqlite3.connect(db)
    texts = [t for (t,) in con.execute("select text from passages")]
    assert len(texts) == 2 and all("(encrypted copy)" in t for t in texts)


def test_max_pages_guard(tmp_path):
    seven = _write(tmp_path, "seven.pdf", text_pdf(BODY, pages=7))
    db = tmp_path / "pages.db"
    refused = CliRunner().invoke(cli, ["ingest", str(seven), "--db", str(db), "--max-pages", "5", "--quiet"])
    assert refused.exit_code == 1
    assert f"error: {seven}: 7 pages, more than --max-pages 5" in refused.output
    allowed = CliRunner().invoke(cli, ["ingest", str(seven), "--db", str(db), "--max-pages", "7", "--quiet"])
    assert allowed.exit_code == 0, allowed.output


def test_declared_page_count_is_checked_before_the_page_tree_is_built(tmp_path, monkeypatch):
    import pdfplumber

    from citetrace.ingest.extract import ExtractError, extract

    def built(_pdf):  # pdfplumber builds every page object on first access to .pages
        raise AssertionError("the page tree was built before the declared count was checked")

    monkeypatch.setattr(pdfplumber.PDF, "pages", property(built))
    huge = _write(tmp_path, "huge.pdf", many_pages(20000))
    with pytest.raises(ExtractError, match="20000 pages, more than --max-pages 2000"):
        extract(huge, max_pages=2000)


def test_html_and_script_text_is_plain_text_in_the_database(tmp_path):
    pdf = _write(tmp_path, "html.pdf", html_pdf())
    db = tmp_path / "html.db"
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    (text,) = sqlite3.connect(db).execute("select text from passages").fetchone()
    assert "<script>alert(document.cookie)</script>" in text  # stored as printed; escaped when served


# --- time limit and crashing workers ----------------------------------------------------------

def _fake_process(path, nlp, options, sha256=None, **_):
    """Extraction only (no model), with misbehaviour chosen by the file name."""
    from citetrace.ingest.extract import extract

    name = Path(path).name
    if name.startswith("slow"):
        time.sleep(60)  # interruptible: the worker's timer stops it
    if name.startswith("stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck in C code
        time.sleep(60)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return extract(path, password=options.password, max_pages=options.max_pages, sha256=sha256)


@pytest.fixture
def fake_work(monkeypatch):
    monkeypatch.setattr(pipeline, "process", _fake_process)  # inherited by forked workers
    monkeypatch.setattr(pipeline, "HARD_KILL_GRACE", 1.0)


def _batch(tmp: Path, names: list[str]) -> list[str]:
    data = good_pdf()
    out = []
    for i, name in enumerate(names):
        p = tmp / name
        p.write_bytes(data + b"%% copy %d\n%%%%EOF\n" % i)  # distinct bytes, still a PDF
        out.append(str(p))
    return out


def test_timeout_stops_one_document_and_the_batch_goes_on(tmp_path, fake_work):
    files = _batch(tmp_path, ["a.pdf", "slow.pdf", "b.pdf", "stuck.pdf", "c.pdf"])
    t = time.perf_counter()
    summary = ingest(files, str(tmp_path / "t.db"), workers=2,
                     options=pipeline.Options(timeout=1.0))
    elapsed = time.perf_counter() - t
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert {n for n, o in by_name.items() if o.status == "ingested"} == {"a.pdf", "b.pdf", "c.pdf"}
    assert by_name["slow.pdf"].message == f"{files[1]}: timed out after 1s (--timeout)"
    # the stuck worker ignores its timer: killed after the grace period and replaced
    assert by_name["stuck.pdf"].message == f"{files[3]}: timed out after 1s (--timeout)"
    assert elapsed < 20
    assert set(_rows_by_document(tmp_path / "t.db")) == {"a.pdf", "b.pdf", "c.pdf"}


def test_a_crashing_worker_fails_its_document_only(tmp_path, fake_work):
    files = _batch(tmp_path, ["crash.pdf", "a.pdf", "b.pdf"])
    summary = ingest(files, str(tmp_path / "c.db"), workers=1)
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert by_name["crash.pdf"].status == "failed"
    assert by_name["crash.pdf"].message == (
        f"{files[0]}: the worker process was killed by SIGKILL (a crash, or out of memory)")
    assert by_name["a.pdf"].status == by_name["b.pdf"].status == "ingested"


def test_timeout_option_of_the_cli(sample, tmp_path):
    pdf, _ = sample
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db), "--timeout", "0.2", "--quiet"])
    assert result.exit_code == 1
    assert f"error: {pdf}: timed out after 0.2s (--timeout)" in result.output
    assert sqlite3.connect(db).execute("select count(*) from documents").fetchone()[0] == 0


def test_unexpected_errors_say_whose_fault_in_one_line():
    from citetrace.ingest.pipeline import _describe

    def raise_in(module_file):
        code = compile("raise KeyError('Kids')", module_file, "exec")
        try:
            exec(code, {})
        except KeyError as e:
            return e

    parser = raise_in(os.path.join("site-packages", "pdfminer", "pdfpage.py"))
    ours = raise_in(os.path.join("ingest", "layout.py"))
    assert _describe(parser) == "damaged PDF: the parser failed (KeyError: 'Kids')"
    assert _describe(ours) == "internal error (KeyError: 'Kids'): please report it"
    assert _describe(RecursionError("deep")) == "objects nested too deeply to parse"


def test_the_innermost_parser_or_project_frame_decides_whose_fault():
    # pdfminer decoding a stream with the standard library: the PDF's fault; pdfminer
    # calling our own device (ingest/lines.py), which fails: ours.
    from citetrace.ingest import lines
    from citetrace.ingest.pipeline import _describe

    def call_chain(*files):
        """Raise ValueError in a chain of functions, the first file outermost."""
        namespace: dict = {}
        inner = "raise ValueError('bad digit')"
        for i, filename in enumerate(reversed(files)):
            body = inner if i == 0 else f"f{i - 1}()"
            exec(compile(f"def f{i}():\n    {body}\n", filename, "exec"), namespace)
        try:
            namespace[f"f{len(files) - 1}"]()
        except ValueError as e:
            return e

    pdfminer = os.path.join("site-packages", "pdfminer", "pdfinterp.py")
    stdlib = os.path.join("lib", "python3.11", "base64.py")
    assert _describe(call_chain(pdfminer, stdlib)).startswith("damaged PDF")
    assert _describe(call_chain(pdfminer, lines.__file__, stdlib)).startswith(
        "internal error")
