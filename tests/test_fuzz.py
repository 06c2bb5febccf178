"""Fuzzing: generated pages through layout, notes, markers and passages (hypothesis), and
mutated copies of the sample report through the whole ingest (a fixed seed).

`make fuzz` runs the same tests longer: CITETRACE_FUZZ_FILES mutated PDFs (default 30 here)
and the `fuzz` hypothesis profile.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FakePage, end_x, text_chars
from citetrace.ingest import extract as extract_module
from citetrace.ingest.extract import ExtractError, extract
from citetrace.db.load import ingest
from citetrace.ingest.pipeline import Options

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("CITETRACE_FUZZ_PROFILE", "ci")
MUTATED_FILES = int(os.environ.get("CITETRACE_FUZZ_FILES", "30"))
SEED = int(os.environ.get("CITETRACE_FUZZ_SEED", "8"))

# Body and note words never overlap, so a note's text found in a passage is a leak.
BODY_WORDS = ("tariff", "reform", "water", "district", "assembly", "ministry", "budget",
              "households", "utility", "subsidy", "pricing", "council", "rural", "supply")
NOTE_WORDS = ("Gazette", "Report", "Bank", "Ibid.", "https://example.org/a-b", "pp.", "2019",
              "Press", "Annex", "Vol.", "Decree", "Review", "Journal", "Proceedings")


class FakePdf:
    def __init__(self, pages):
        self.pages = pages

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextmanager
def fake_pdf(pages):
    with mock.patch.object(extract_module, "_open", lambda path, password, max_pages=None, data=None: FakePdf(pages)):
        yield


@pytest.fixture(scope="module")
def dummy(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("fuzz") / "generated.pdf"
    p.write_bytes(b"%PDF-1.7 generated pages\n%%EOF\n")
    return p


def run_extract(path, pages):
    """extract() on constructed pages: a Document, or None for a clean ExtractError."""
    with fake_pdf(pages):
        try:
            return extract(path)
        except ExtractError as e:
            assert str(e).startswith(f"{path}: ") and "\n" not in str(e)
            return None


def check_invariants(doc) -> None:
    for m in doc.markers:
        text = doc.passages[m.passage].text
        assert 0 <= m.start == m.end <= len(text), (m, text)
        if m.note is not None:
            note = doc.footnotes[m.note]
            assert note.label == m.label
            if note.kind != "endnote":  # a footnote is printed on its marker's page or the next
                assert m.page <= note.page <= m.page + 1, (m, note.page)
    body = "\n".join(" ".join(p.text.split()) for p in doc.passages)
    for n in doc.footnotes:
        text = " ".join(n.text.split())
        if len(text.split()) >= 4:
            assert text not in body, text
    for p in doc.passages:
        assert p.text.strip() and 1 <= p.page <= doc.page_count
    for n in doc.footnotes:
        assert 1 <= n.page <= doc.page_count


# --- generated pages --------------------------------------------------------------------------

@st.composite
def report_page(draw, number: int):
    """A page like a report's: maybe a running head, one or two columns of body lines with
    raised markers, a note zone of smaller lines (labels raised or plain, maybe under a rule),
    maybe a page number."""
    size = draw(st.sampled_from([9.0, 10.0, 11.0]))
    note_size = draw(st.sampled_from([6.5, 7.0, 8.0]))
    columns = draw(st.sampled_from([1, 2]))
    width = 540.0 if columns == 1 else 250.0
    chars, rules = [], []
    if draw(st.booleans()):
        chars += text_chars("Water Tariff Reform Brief", 72, 36, size=8)
    labels = iter(range(1 + 10 * number, 11 + 10 * number))
    markers = []
    n_lines = draw(st.integers(1, 30))
    for c in range(columns):
        x = 36 + c * 290
        top = 90.0
        for i in range(n_lines):
            words = draw(st.lists(st.sampled_from(BODY_WORDS), min_size=1, max_size=int(width // (4 * size))))
            line = text_chars(" ".join(words), x, top, size=size)
            chars += line
            if draw(st.integers(0, 5)) == 0:
                label = str(next(labels, 99))
                markers.append(label)
                chars += text_chars(label, end_x(line), top, size=size * 0.6, raised=size * 0.35)
            top += size * draw(st.sampled_from([1.2, 1.25, 1.5, 2.5]))
        if markers and c == columns - 1 or draw(st.booleans()):
            zone = max(top + size, 560.0)
            if draw(st.booleans()):
                rules.append({"x0": x, "x1": x + 80, "top": zone - 4, "bottom": zone - 4})
            for label in markers or ["1"]:
                # a unique first word: two notes never print the same text
                words = [f"Source{number}x{label}"] + draw(st.lists(st.sampled_from(NOTE_WORDS), max_size=12))
                raised = draw(st.booleans())
                lab = text_chars(label, x, zone, size=note_size * (0.7 if raised else 1),
                                 raised=note_size * 0.3 if raised else 0)
                chars += lab + text_chars(" ".join(words), end_x(lab) + 2, zone, size=note_size)
                zone += note_size * 1.2
                if zone > 760:
                    break
            markers = []
    if draw(st.booleans()):
        chars += text_chars(str(number + 1), 300, 770, size=8)
    return FakePage(chars, lines=rules)


@st.composite
def report_pages(draw):
    n = draw(st.integers(1, 4))
    return [draw(report_page(i)) for i in range(n)]


GLYPHS = st.one_of(st.sampled_from(list("abcXYZ0123456789.,;*†‡()[]-–—_ ")),
                   st.sampled_from(["(cid:12)", "\ue000", "\x00", "\ufffd", "ﬁ", "\u0301", "𝔸"]),
                   st.characters())


@st.composite
def char_soup(draw):
    """Arbitrary char boxes: overlapping, zero-size, off-page, rotated, odd text."""
    pages = []
    for _ in range(draw(st.integers(1, 3))):
        chars = []
        for _ in range(draw(st.integers(0, 120))):
            x = draw(st.floats(-50, 700, allow_nan=False))
            top = draw(st.floats(-50, 850, allow_nan=False))
            size = draw(st.sampled_from([0.0, 0.5, 4.0, 7.0, 10.0, 10.0, 10.0, 24.0, 300.0]))
            w = draw(st.sampled_from([0.0, 0.5 * size, 0.5 * size, 2.0 * size]))
            chars.append({"text": draw(GLYPHS), "x0": x, "x1": x + w, "top": top,
                          "bottom": top + max(size, draw(st.sampled_from([0.0, size]))),
                          "size": size, "fontname": draw(st.sampled_from(["Times-Roman", "Times-Italic",
                                                                          "ABCDEF+Helvetica-Bold", ""])),
                          "upright": draw(st.booleans()) or draw(st.booleans())})
        if draw(st.booleans()):  # runs of real text so there are rows, columns and notes
            top = draw(st.floats(50, 700))
            for i in range(draw(st.integers(1, 20))):
                chars += text_chars(" ".join(draw(st.lists(st.sampled_from(BODY_WORDS), min_size=1, max_size=9))),
                                    draw(st.sampled_from([36.0, 50.0, 320.0])), top + 12 * i,
                                    size=draw(st.sampled_from([7.0, 10.0])))
        rules = [{"x0": draw(st.floats(0, 600)), "x1": draw(st.floats(0, 600)),
                  "top": y, "bottom": y + draw(st.sampled_from([0.0, 0.5, 3.0]))}
                 for y in draw(st.lists(st.floats(0, 800), max_size=3))]
        pages.append(FakePage(chars, lines=rules))
    return pages


@settings(settings.get_profile(PROFILE))
@given(pages=report_pages())
def test_generated_report_pages_keep_the_invariants(dummy, pages):
    _extract_keeps_invariants(dummy, pages)


@settings(settings.get_profile(PROFILE))
@given(pages=char_soup())
def test_char_soup_never_crashes_the_layout(dummy, pages):
    _extract_keeps_invariants(dummy, pages)


def _extract_keeps_invariants(dummy, pages) -> None:
    doc = run_extract(dummy, pages)
    if doc is not None:
        check_invariants(doc)


# --- mutated sample PDFs ----------------------------------------------------------------------

def small_sample(compress: bool) -> bytes:
    """The sample report's first two pages (title, abstract, columns, markers, notes), with
    its streams compressed as shipped or plain (so mutations hit the text operators)."""
    from reportlab import rl_config

    from citetrace.ingest.sample import compose, content, typeset

    lay = compose.compose(content.REPORT)
    lay.pages = lay.pages[:2]
    saved = rl_config.pageCompression
    rl_config.pageCompression = int(compress)
    try:
        return typeset.render(content.REPORT, lay)
    finally:
        rl_config.pageCompression = saved


NUMBER = re.compile(rb"\b\d+\b")
NAME = re.compile(rb"/[A-Za-z][A-Za-z0-9]*")


def mutate(data: bytes, rnd: random.Random) -> tuple[str, bytes]:
    """One random damage of a PDF: what a bad disk, a bad download or a hostile author does."""
    b = bytearray(data)
    kind = rnd.choice(["flip", "truncate", "cut", "duplicate", "number", "name", "nest", "xref",
                       "zero", "swap"])
    if kind == "flip":
        for _ in range(rnd.randint(1, 20)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == "truncate":
        b = b[: rnd.randrange(len(b))] + (b"\n%%EOF\n" if rnd.random() < 0.7 else b"")
    elif kind in ("cut", "zero"):
        i = rnd.randrange(len(b))
        n = rnd.randint(1, 2000)
        b[i:i + n] = b"" if kind == "cut" else bytes(min(n, len(b) - i))
    elif kind == "duplicate":
        i, j = rnd.randrange(len(b)), rnd.randrange(len(b))
        b[j:j] = b[i:i + rnd.randint(1, 3000)]
    elif kind == "number":
        for _ in range(rnd.randint(1, 5)):
            ms = list(NUMBER.finditer(b))
            m = rnd.choice(ms)
            b[m.start():m.end()] = rnd.choice([b"0", b"-1", b"99999999999999999999", b"4294967296",
                                               b"1e308", b"3.5", str(rnd.randrange(10000)).encode()])
    elif kind == "name":
        ms = list(NAME.finditer(b))
        for _ in range(rnd.randint(1, 5)):
            m, other = rnd.choice(ms), rnd.choice(ms)
            b[m.start():m.end()] = data[other.start():other.end()]
    elif kind == "nest":
        i = rnd.randrange(len(b))
        depth = rnd.choice([100, 2000, 20000])
        b[i:i] = rnd.choice([b"[", b"<< /A "]) * depth
    elif kind == "xref":
        i = b.rfind(b"startxref")
        b[i:] = b"startxref\n%d\n%%%%EOF\n" % rnd.randrange(len(b))
    elif kind == "swap":
        lines = bytes(b).split(b"\n")
        for _ in range(rnd.randint(1, 10)):
            i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        b = bytearray(b"\n".join(lines))
    return kind, bytes(b)


def test_mutated_sample_pdfs_fail_cleanly_or_land_whole(tmp_path):
    rnd = random.Random(SEED)
    originals = [small_sample(compress=False), small_sample(compress=True)]
    files, kinds = [], {}
    for i in range(MUTATED_FILES):
        kind, data = mutate(originals[i % 2], rnd)
        p = tmp_path / f"mutant-{i:04d}-{kind}.pdf"
        p.write_bytes(data)
        files.append(str(p))
        kinds[str(p)] = kind
    db = tmp_path / "fuzz.db"
    summary = ingest(files, str(db), workers=2, options=Options(timeout=120))
    statuses = {o.path: o.status for o in summary.outcomes}
    assert set(statuses) == set(files)
    for o in summary.outcomes:
        assert o.status in ("ingested", "failed", "duplicate"), o
        if o.status == "failed":
            assert o.message.startswith(f"{o.path}: ") and "\n" not in o.message, o.message
            assert "internal error" not in o.message, (kinds[o.path], o.message)
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma foreign_key_check").fetchall() == []
    docs = {path: (doc_id, pages) for doc_id, path, pages in con.execute(
        "select id, path, page_count from documents")}
    assert set(docs) == {p for p, s in statuses.items() if s == "ingested"}
    for doc_id, page_count in docs.values():  # whole documents only
        assert con.execute("select count(*) from pages where document_id = ?", [doc_id]).fetchone()[0] == page_count
        assert con.execute("select count(*) from footnote_refs r join passages p on p.id = r.passage_id "
                           "where r.document_id = ? and p.document_id != r.document_id",
                           [doc_id]).fetchone()[0] == 0
    # the damage must not all be of one outcome: both paths are exercised
    assert summary.count("ingested") and summary.count("failed")
