"""The bundled sample report: deterministic build, and a gold file that matches the PDF."""

from __future__ import annotations

import hashlib
import json
import re

import pdfplumber
import pytest

from citetrace.ingest.sample import GOLD_NAME, PDF_NAME, build_sample, compose, content, markup, variant_name

BODY_MIN_SIZE = 10.0  # body, headings, title, abstract, pull-quote; not notes, markers, captions


def squash(text: str) -> str:
    """Compare texts modulo line breaks: no white space, no hyphens (break or real)."""
    return re.sub(r"[\s\-\u00ad]+", "", text).lower()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pdf_path, gold_path = build_sample(tmp_path_factory.mktemp("sample"))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    with pdfplumber.open(pdf_path) as pdf:
        pages = [_page_view(page) for page in pdf.pages]
    return pdf_path, gold, pages


def _page_view(page) -> dict:
    """Text of a page by region: full-width top (page 1 only), left column, right column."""
    rules = [ln for ln in page.lines if ln["x1"] - ln["x0"] > 400]
    columns_top = rules[0]["top"] if page.page_number == 1 else 0.0
    mid = compose.MARGIN_X + compose.COL_W + compose.COL_GAP / 2
    regions = []
    if columns_top:
        regions.append((0, 0, page.width, columns_top))
    regions += [(0, columns_top, mid, page.height), (mid, columns_top, page.width, page.height)]

    def is_body(obj):
        return obj.get("object_type") != "char" or obj["size"] >= BODY_MIN_SIZE

    return {
        "number": page.page_number,
        "text": page.extract_text(),
        "regions": [page.crop(r).extract_text() for r in regions],
        "body": [page.crop(r).filter(is_body).extract_text() for r in regions],
        "words": page.extract_words(extra_attrs=["size"]),
    }


def test_build_is_deterministic(tmp_path):
    first = build_sample(tmp_path / "a")
    second = build_sample(tmp_path / "b")
    assert [p.name for p in first] == [PDF_NAME, GOLD_NAME]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()


def test_variants_are_deterministic_and_differ(built, tmp_path):
    """Benchmark variants (`build_sample(out, variant=n)`): other bytes, same every time."""
    first = build_sample(tmp_path / "a", variant=3)
    second = build_sample(tmp_path / "b", variant=3)
    assert [p.name for p in first] == ["citetrace-sample-v0003.pdf", "citetrace-sample-v0003.gold.json"]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()
    assert first[0].read_bytes() != built[0].read_bytes()
    name = variant_name(3)
    assert len(name) == len("Lorvane") and name != "Lorvane" and name != variant_name(4)
    assert len({variant_name(n) for n in range(1, 1001)}) == 1000
    gold = json.loads(first[1].read_text(encoding="utf-8"))
    assert name in gold["furniture"][0] and "Lorvane" not in json.dumps(gold, ensure_ascii=False)
    assert len(gold["footnotes"]) == len(content.REPORT.notes)


def test_gold_format(built):
    pdf_path, gold, pages = built
    assert list(gold) == [
        "file", "sha256", "source", "pages", "columns", "note_system",
        "footnotes", "markers", "furniture", "traps", "blocks",
    ]
    assert gold["file"] == PDF_NAME
    assert gold["sha256"] == hashlib.sha256(pdf_path.read_bytes()).hexdigest()
    assert gold["source"] == "typeset by citetrace (ingest/sample)"
    assert gold["pages"] == len(pages) and 10 <= gold["pages"] <= 14
    assert (gold["columns"], gold["note_system"]) == (2, "footnotes")
    notes = gold["footnotes"]
    assert [n["label"] for n in notes] == [str(i) for i in range(1, len(notes) + 1)]
    assert len(notes) >= 25
    for note in notes:
        assert set(note) == {"label", "page", "kind", "text", "urls", "continues_on_page", "ibid_of"}
        assert note["kind"] == "footnote" and 1 <= note["page"] <= gold["pages"]
        assert "*" not in note["text"] and "[^" not in note["text"] and "{note:" not in note["text"]
        for url in note["urls"]:
            assert url in note["text"] and " " not in url and not url.endswith(".")
    assert sorted(m["label"] for m in gold["markers"]) == sorted(n["label"] for n in notes)
    assert {b["type"] for b in gold["blocks"]} == {"heading", "paragraph", "caption", "pullquote"}
    assert all(b["page"] for b in gold["blocks"])
    assert gold["furniture"] == [content.REPORT.running_header, content.REPORT.running_footer]


def test_required_features_are_present(built):
    _, gold, _ = built
    notes = {n["label"]: n for n in gold["footnotes"]}
    ibids = [n for n in notes.values() if n["text"] == "Ibid."]
    assert ibids and all(n["ibid_of"] == str(int(n["label"]) - 1) for n in ibids)
    continued = [n for n in notes.values() if n["continues_on_page"]]
    assert continued and all(n["continues_on_page"] == n["page"] + 1 for n in continued)
    assert sum(1 for n in notes.values() if n["text"].count(";") >= 1) >= 3
    assert re.search(r"\b(January|March|November) \d{1,2}, 20\d\d", " ".join(n["text"] for n in notes.values()))

    traps = " ".join(gold["traps"])
    assert re.search(r"at a hyphen that belongs to the URL: notes \d", traps)
    assert re.search(r"mid-word with no hyphen: notes \d", traps)
    hyphenated = next(t for t in gold["traps"] if t.startswith("body line-end break hyphens"))
    assert hyphenated.count("(page") >= 2
    compounds = next(t for t in gold["traps"] if t.startswith("real compounds broken"))
    assert compounds.count("(page") >= 1

    # A marker glued to a closing quote (…,”³) and one right after a full stop.
    befores = [m["before"] for m in gold["markers"]]
    assert any(b.endswith(",”") for b in befores)
    assert any(b.endswith(".") for b in befores)
    assert all(5 <= len(m["before"].split()) <= 8 for m in gold["markers"])

    words = sum(len(b["text"].split()) for b in gold["blocks"])
    assert 3000 <= words <= 5000


def test_notes_are_printed_on_their_pages(built):
    _, gold, pages = built
    for note in gold["footnotes"]:
        here = squash("".join(pages[note["page"] - 1]["regions"]))
        text = squash(note["text"])
        if note["continues_on_page"] is None:
            assert text in here, note["label"]
            continue
        # A continued note: the longest prefix found on its page, the rest on the next page.
        cut = max(i for i in range(len(text) + 1) if text[:i] in here)
        assert 20 < cut < len(text), note["label"]
        rest = squash("".join(pages[note["continues_on_page"] - 1]["regions"]))
        assert text[cut:] in rest, note["label"]


def test_urls_are_broken_over_lines(built):
    """URLs are printed over several lines: some cut after a hyphen of the URL, some mid-word."""
    _, gold, pages = built
    kinds = set()
    for note in gold["footnotes"]:
        pages_text = "".join(pages[note["page"] - 1]["regions"])
        if note["continues_on_page"]:
            pages_text += "".join(pages[note["continues_on_page"] - 1]["regions"])
        for url in note["urls"]:
            pattern = "\n?".join(re.escape(c) for c in url)
            match = re.search(pattern, pages_text)
            assert match, url
            printed = match.group(0)
            for i, char in enumerate(printed):
                if char == "\n":
                    before, after = printed[i - 1], printed[i + 1]
                    if before == "-":
                        kinds.add("hyphen")
                    elif before.isalnum() and after.isalnum():
                        kinds.add("mid-word")
    assert kinds == {"hyphen", "mid-word"}


def test_body_line_end_hyphens_are_printed(built):
    """The break hyphens and the compounds cut at their own hyphen, as listed in the traps."""
    _, gold, pages = built
    # Body text only, in reading order: a cut at the foot of a column continues in the next.
    stream = "\n".join("\n".join(page["body"]) for page in pages)
    for prefix in ("body line-end break hyphens", "real compounds broken"):
        trap = next(t for t in gold["traps"] if t.startswith(prefix))
        cuts = re.findall(r"(\S+-)/(\S+) \(page (\d+)\)", trap)
        assert cuts, prefix
        for before, after, page in cuts:
            assert before in "".join(pages[int(page) - 1]["body"]), (before, page)
            assert re.search(re.escape(before) + r"\n" + re.escape(after), stream), (before, after)


def test_markers_are_small_raised_numbers_on_their_pages(built):
    _, gold, pages = built
    marker_size = compose.BODY.marker_size
    for marker in gold["markers"]:
        words = pages[marker["page"] - 1]["words"]
        small = [w for w in words if w["text"] == marker["label"] and abs(w["size"] - marker_size) < 0.01]
        assert small, marker
        raised = False
        for word in small:
            body = [
                w
                for w in words
                if w["size"] >= BODY_MIN_SIZE
                and abs(w["x1"] - word["x0"]) < 1.0  # the word the marker is glued to
                and abs(w["top"] - word["top"]) < 8
            ]
            raised |= any(w["bottom"] - word["bottom"] > 2.5 for w in body)
        assert raised, marker


def test_furniture_on_every_page_but_the_first(built):
    _, gold, pages = built
    header, footer = gold["furniture"]
    assert header not in pages[0]["text"] and footer not in pages[0]["text"]
    for page in pages[1:]:
        lines = page["text"].splitlines()
        assert lines[0] == header
        assert lines[-1] == f"{footer} {page['number']}"


def test_blocks_read_in_order(built):
    """Every gold block is found, in gold order, in the body text read column by column."""
    _, gold, pages = built
    stream = squash("".join("".join(page["body"]) for page in pages))
    position = 0
    for block in gold["blocks"]:
        if block["type"] == "caption":
            assert squash(block["text"]) in squash("".join(pages[block["page"] - 1]["regions"]))
            continue
        found = stream.find(squash(block["text"]), position)
        assert found >= 0, block["text"][:60]
        position = found + 1
        page_body = squash("".join(pages[block["page"] - 1]["body"]))
        assert squash(block["text"])[:40] in page_body, block["text"][:60]


def test_pull_quote_repeats_a_body_sentence(built):
    _, gold, _ = built
    quote = next(b["text"] for b in gold["blocks"] if b["type"] == "pullquote")
    assert any(quote in b["text"] for b in gold["blocks"] if b["type"] == "paragraph")


def test_marker_sentences_come_from_the_body(built):
    _, gold, _ = built
    paragraphs = [b["text"] for b in gold["blocks"] if b["type"] == "paragraph"]
    for marker in gold["markers"]:
        assert any(marker["sentence"] in p for p in paragraphs), marker
        # `before` may reach back into the previous sentence, but it ends inside this one.
        assert marker["before"].split()[-1] in marker["sentence"]


def test_every_note_has_one_marker():
    keys = markup.note_order([b.text for b in content.REPORT.body if isinstance(b, content.Paragraph)])
    assert sorted(keys) == sorted(content.REPORT.notes)
    counts = {k: 0 for k in keys}
    for block in content.REPORT.body:
        if isinstance(block, content.Paragraph):
            for m in markup.parse(block.text).markers:
                counts[m.key] += 1
    assert set(counts.values()) == {1}
