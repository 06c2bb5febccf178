"""Extraction rules on small constructed pages (chars built here, no PDF)."""

from collections import Counter

import pytest

from conftest import FakePage, end_x, text_chars
from citetrace.ingest.layout import DATE_LINE, analyze, mark_furniture, read_page
from citetrace.ingest.lines import rows, words, Glyph
from citetrace.ingest.notes import find_note_zones, label_kind, split_notes
from citetrace.ingest.text import join_break, vocabulary
from citetrace.ingest.urls import find_urls


def _glyphs(chars):
    return [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"])
            for c in chars]


def test_word_gaps_are_relative_to_font_size():
    # 0.3 em spaces: at 10 pt a 3 pt gap separates words; kerning-size gaps do not
    chars = text_chars("tight justified words", 50, 100, size=10)
    ws = words(rows(_glyphs(chars))[0])
    assert [w.text for w in ws] == ["tight", "justified", "words"]
    small = text_chars("tight justified words", 50, 200, size=6)
    assert [w.text for w in words(rows(_glyphs(small))[0])] == ["tight", "justified", "words"]


def test_raised_marker_is_its_own_glued_word():
    line = text_chars("as stated.", 50, 100)
    marker = text_chars("12", end_x(line), 100, size=6, raised=3.5)
    page = FakePage(line + marker)
    layout = read_page(page, 1)
    (row,) = layout.rows
    last = row.words[-1]
    assert last.text == "12" and not last.space_before


def test_marker_caught_by_neighbouring_column_row_is_reattached():
    # right column's line sits 5 pt higher, so the left marker's centre falls in its row
    left = text_chars("been limited.", 50, 305)
    marker = text_chars("6", end_x(left), 305, size=7, raised=1.2)
    right = text_chars("conducted in the country.", 320, 299)
    layout = read_page(FakePage(left + marker + right), 1)
    host = [r for r in layout.rows if any(w.text == "limited." for w in r.words)][0]
    assert [w.text for w in host.words][-1] == "6"


def _two_column_page(n_rows=12, gutter=300.0, top=100.0):
    chars = []
    for i in range(n_rows):
        y = top + i * 12
        chars += text_chars(f"left column line {i} has some words", 50, y)
        chars += text_chars(f"right column line {i} more words here", gutter + 12, y)
    return chars


def test_two_columns_read_left_then_right_under_a_full_width_title():
    chars = text_chars("A Title That Spans The Whole Page Width Of The Report Here", 50, 60, size=10)
    chars += _two_column_page()
    pages, size = analyze([FakePage(chars)])
    texts = [ln.text for ln in pages[0].lines]
    assert texts[0].startswith("A Title")
    lefts = [i for i, t in enumerate(texts) if t.startswith("left")]
    rights = [i for i, t in enumerate(texts) if t.startswith("right")]
    assert len(lefts) == 12 and len(rights) == 12
    assert max(lefts) < min(rights)


def test_single_column_with_aligned_word_gaps_is_not_split():
    chars = []
    for i in range(10):
        chars += text_chars("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk", 50, 100 + 12 * i)
    pages, _ = analyze([FakePage(chars)])
    assert len(pages[0].columns) == 1
    assert all(ln.text.startswith("aaaa") for ln in pages[0].lines)


def test_running_heads_and_page_numbers_are_furniture():
    pages = []
    for n in range(1, 5):
        chars = text_chars("Water Tariff Reform in Veldoria", 50, 30, size=8)
        chars += text_chars(f"Body text of page {n} that says something new.", 50, 200)
        chars += text_chars(str(n), 300, 760, size=8)
        pages.append(read_page(FakePage(chars), n))
    mark_furniture(pages)
    for p in pages:
        assert [r.text for r in p.rows] == [f"Body text of page {p.page} that says something new."]
        assert "Water Tariff Reform in Veldoria" in [f.text for f in p.furniture]


def test_note_zone_split_by_labels_and_continued_over_a_page():
    def page(n, body, notes):
        chars = []
        for i, t in enumerate(body):
            chars += text_chars(t, 50, 100 + 12 * i)
        y = 600
        for label, text in notes:
            if label:
                chars += text_chars(label, 50, y, size=5, raised=2)
            chars += text_chars(text, 56, y, size=8)
            y += 10
        rule = {"x0": 50, "x1": 150, "top": 590, "bottom": 590.5}
        return FakePage(chars, lines=[rule])

    body = [f"Body line {i} of the report with enough words to be body." for i in range(20)]
    p1 = page(1, body, [("1", "First note text."), ("2", "Second note starts here and"), ("", "goes on.")])
    p2 = page(2, body, [("", "continued on the next"), ("", "page."), ("3", "Third note.")])
    pages, size = analyze([p1, p2])
    find_note_zones(pages, size)
    notes = split_notes(pages)
    assert [(n.label, n.page, n.continues_on_page) for n in notes] == [
        ("1", 1, None), ("2", 1, 2), ("3", 2, None)]
    assert [ln.text for ln in notes[1].lines] == [
        "2 Second note starts here and", "goes on.", "continued on the next", "page."]
    assert all(ln.kind == "body" for p in pages for ln in p.lines if "Body" in ln.text)


def test_plain_numbers_at_note_line_starts_are_text_when_labels_are_raised():
    chars = []
    for i in range(20):
        chars += text_chars(f"Body line {i} of the report with enough words to be body.", 50, 100 + 12 * i)
    y = 600
    for label, text in [("1", "See the compact, art. 5 at"), ("", "5 and 40 percent of water."),
                        ("2", "Second."), ("3", "Third.")]:
        if label:
            chars += text_chars(label, 50, y, size=5, raised=2)
        chars += text_chars(text, 56, y, size=8)
        y += 10
    pages, size = analyze([FakePage(chars, lines=[{"x0": 50, "x1": 150, "top": 590, "bottom": 590.5}])])
    find_note_zones(pages, size)
    assert [n.label for n in split_notes(pages)] == ["1", "2", "3"]


def test_label_kinds():
    assert label_kind("12") == "numeric"
    assert label_kind("iv") == "roman"
    assert label_kind("†") == "symbol"
    assert label_kind("2022.") is None and label_kind("word") is None


def test_line_end_hyphens_use_document_evidence():
    vocab = vocabulary(["the infrastructure plan", "a cost-recovery tariff and cost-recovery"])
    assert join_break("new infra-", "structure is", vocab) == "-"  # break hyphen removed
    assert join_break("the cost-", "recovery model", vocab) == ""  # real compound kept
    assert join_break("Central Asia-", "Caucasus Institute", vocab) == ""
    assert join_break("from 2015-", "2018 onward", vocab) == ""
    assert join_break("a sentence.", "Next one", vocab) == " "


def test_urls_are_never_dehyphenated_and_join_without_space():
    vocab = Counter()
    assert join_break("(https://example.org/water-", "tariff-reform)", vocab) == ""
    assert join_break("(https://example.org/wat", "ertariff/2023)", vocab) == ""
    assert join_break("at https://example.org/report.pdf.", "Accessed May 2", vocab) == " "
    # a citation list goes on after the URL's semicolon
    assert join_break("https://example.org/map/vessel-search;", "see also", vocab) == " "


def test_find_urls_strips_trailing_punctuation_but_keeps_balanced_brackets():
    text = "See (https://ex.org/a_(b)), and https://ex.org/x.pdf. Also www.ex.org/y;"
    assert [u for _, _, u in find_urls(text)] == [
        "https://ex.org/a_(b)", "https://ex.org/x.pdf", "www.ex.org/y"]


def _body(n=20, top=100.0):
    chars = []
    for i in range(n):
        chars += text_chars(f"Body line {i} of the report with enough words to be body.", 50, top + 12 * i)
    return chars


def test_table_cell_rules_are_not_note_separators():
    # a row of rules (a table border) above small type is not a footnote separator
    chars = _body(10)
    for i in range(4):
        chars += text_chars(f"cell {i} small table text", 50, 260 + 10 * i, size=8)
    chars += text_chars("More body text after the table closes the page here.", 50, 320)
    rules = [{"x0": 50, "x1": 150, "top": 255, "bottom": 255.5},
             {"x0": 150, "x1": 300, "top": 255, "bottom": 255.5}]
    pages, size = analyze([FakePage(chars, lines=rules)])
    find_note_zones(pages, size)
    assert all(ln.kind == "body" for ln in pages[0].lines)


def test_small_type_with_body_text_below_is_not_a_note_zone():
    chars = _body(10)
    chars += text_chars("1 A small labelled line inside a box.", 50, 250, size=8)
    for i in range(5):
        chars += text_chars(f"Body continues below the box, line {i} of the page.", 50, 280 + 12 * i)
    pages, size = analyze([FakePage(chars)])
    find_note_zones(pages, size)
    assert [ln.kind for ln in pages[0].lines].count("note") == 0


def test_endnotes_after_a_notes_heading_when_the_body_marks_them():
    pages = []
    for n in range(1, 4):
        chars = []
        for i in range(20):
            chars += text_chars(f"Page {n} body line {i} with enough words in it here", 50, 100 + 12 * i)
        if n == 1:
            chars += text_chars("i", end_x(text_chars("Page 1 body line 0 with enough words in it here", 50, 100)),
                                100, size=6, raised=3)
            chars += text_chars("ii", end_x(text_chars("Page 1 body line 3 with enough words in it here", 50, 136)),
                                136, size=6, raised=3)
        if n == 3:
            chars = text_chars("Notes", 50, 60, size=14)
            chars += text_chars("i", 50, 100, size=9) + text_chars("First endnote text.", 62, 100, size=9)
            chars += text_chars("ii", 50, 112, size=9) + text_chars("Second endnote text.", 62, 112, size=9)
        pages.append(FakePage(chars))
    layouts, size = analyze(pages)
    find_note_zones(layouts, size)
    from citetrace.ingest.notes import find_endnotes
    find_endnotes(layouts)
    notes = split_notes(layouts)
    assert [(n.label, n.kind, n.page) for n in notes] == [("i", "endnote", 3), ("ii", "endnote", 3)]


def test_unlabelled_small_type_pages_later_does_not_continue_a_note():
    def page(small_text):
        chars = _body(20)
        if small_text is None:
            chars += text_chars("1", 50, 600, size=5, raised=2) + text_chars("Only note, which", 56, 600, size=8)
        else:
            chars += text_chars(small_text, 56, 600, size=8)
        return FakePage(chars, lines=[{"x0": 50, "x1": 150, "top": 590, "bottom": 590.5}])
    pages, size = analyze([page(None), page("goes on here."), page("A source line, two pages on.")])
    find_note_zones(pages, size)
    notes = split_notes(pages)
    assert len(notes) == 1
    assert [ln.text for ln in notes[0].lines] == ["1 Only note, which", "goes on here."]
    assert notes[0].continues_on_page == 2  # the next page's zone carries on the note
    assert any(ln.text == "A source line, two pages on." and ln.kind == "body" for ln in pages[2].lines)


def test_a_huge_glyph_does_not_merge_two_lines():
    chars = text_chars("first line of text", 50, 108) + text_chars("second line of text", 50, 121)
    chars += text_chars("W", 300, 77, size=51)  # a decorative letter spanning both lines
    got = [[g.text for g in r] for r in rows(_glyphs(chars))]
    assert ["f", "i", "r", "s", "t", "l", "i", "n", "e", "o", "f", "t", "e", "x", "t"] in got
    assert ["s", "e", "c", "o", "n", "d", "l", "i", "n", "e", "o", "f", "t", "e", "x", "t"] in got


def test_narrow_label_column_is_not_a_gutter():
    chars = []
    for i, lab in enumerate(["i", "ii", "iii", "iv", "v", "vi"]):
        chars += text_chars(lab, 50, 100 + 12 * i) + text_chars(f"Reference entry number {i} text", 80, 100 + 12 * i)
    pages, _ = analyze([FakePage(chars)])
    assert len(pages[0].columns) == 1
    assert pages[0].lines[1].text.startswith("ii Reference entry")


def test_a_first_page_head_with_a_folio_at_the_running_heads_height_is_furniture():
    pages = []
    for n in range(1, 5):
        head = "(Draft Opinion) TERM OF 2024 1" if n == 1 else f"{n} SMITH v. JONES"
        chars = text_chars(head, 50, 30, size=8)
        chars += text_chars(["Held: the statute", "Facts of the case", "Opinion begins here",
                             "Dissent follows"][n - 1], 50, 200)
        pages.append(read_page(FakePage(chars), n))
    mark_furniture(pages)
    assert [r.text for r in pages[0].rows] == ["Held: the statute"]
    assert "(Draft Opinion) TERM OF 2024 1" in [f.text for f in pages[0].furniture]


def _body_lines(n: int, top: float = 200) -> list[dict]:
    chars = []
    for i, y in enumerate((top, top + 12, top + 24, 600)):  # body from 200 to 600 pt
        word = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()[n]
        chars += text_chars(f"The {word} page body line {i} has enough words to be prose.", 50, y)
    return chars


def _removed(pages) -> dict[str, set[tuple[int, str]]]:
    out: dict[str, set] = {}
    for p in pages:
        for f in p.furniture:
            out.setdefault(f.reason, set()).add((p.page, f.text))
    return out


def test_cover_furniture_at_different_heights_report_numbers_and_date_lines():
    pages = []
    for n in range(1, 10):
        chars = _body_lines(n)
        if n == 1:  # cover: agency line on top, report number at the foot, a date line
            chars = text_chars("Updated April 22, 2026", 400, 40) + \
                text_chars("Widget Accountability Office", 50, 60, size=9) + chars + \
                text_chars("WR-21-0042", 50, 760, size=9)
        elif n in (2, 5):  # the same agency line as a letterhead and as a back-page foot
            y = 60 if n == 5 else 760
            chars += text_chars("Widget Accountability Office", 50, y, size=9)
        if n > 1:  # the running foot prints the report number
            chars += text_chars(f"Page {n} WR-21-0042 Widget Report", 300, 770, size=8)
        pages.append(read_page(FakePage(chars), n))
    mark_furniture(pages)
    removed = _removed(pages)
    assert removed["repeated line"] == {(n, "Widget Accountability Office") for n in (1, 2, 5)}
    assert removed["report number"] == {(1, "WR-21-0042")}
    assert removed["date line"] == {(1, "Updated April 22, 2026")}
    assert [[r.text for r in p.rows if "body line" not in r.text] for p in pages] == [[]] * 9


def test_a_running_head_echoing_a_large_heading_is_furniture_there_and_after():
    pages = []
    for n in range(1, 10):
        chars = _body_lines(n)
        if n == 7:  # the appendix starts: large heading and the small running head above it
            chars = text_chars("Appendix I: Scope and Method", 50, 30, size=8) + \
                text_chars("Appendix I: Scope and Method", 50, 50, size=24) + chars
        elif n == 8:
            chars = text_chars("Appendix I: Scope and Method", 50, 30, size=8) + chars
        pages.append(read_page(FakePage(chars), n))
    mark_furniture(pages)
    assert _removed(pages)["running head"] == {(7, "Appendix I: Scope and Method"),
                                               (8, "Appendix I: Scope and Method")}
    assert [r.text for r in pages[6].rows][0] == "Appendix I: Scope and Method"  # the heading


def test_a_date_in_the_body_or_a_title_word_in_the_running_foot_stays():
    pages = []
    for n in range(1, 10):
        chars = _body_lines(n)
        if n == 1:
            chars = text_chars("Widget Report", 50, 40, size=20) + chars
        if n == 4:
            chars += text_chars("March 2021", 50, 240)  # a date line inside the page
        chars += text_chars(f"Widget Report {n}", 300, 770, size=8)
        pages.append(read_page(FakePage(chars), n))
    mark_furniture(pages)
    assert [r.text for r in pages[0].rows][0] == "Widget Report"  # the title, set large
    assert "March 2021" in [r.text for r in pages[3].rows]


@pytest.mark.parametrize("line, is_date", [
    ("Updated April 22, 2026", True), ("Sept. 2019", True), ("6 August 2020", True),
    ("Decision 2024", False), ("Marine 2020", False), ("Mayor 2021", False),
])
def test_a_date_line_names_a_month(line, is_date):
    assert bool(DATE_LINE.match(line)) is is_date


def _blocks(page_chars):
    from citetrace.ingest.passages import reading_blocks
    pages, size = analyze([FakePage(c) for c in page_chars])
    return reading_blocks(pages, size), len(pages)


def test_publisher_boilerplate_is_not_body():
    from citetrace.ingest.passages import boilerplate
    prose = "Tariffs rose by a tenth in the year to May, the ministry said in its report."
    front = text_chars("© 2021 Widget Institute", 50, 100) + \
        text_chars("Registered in Veldoria, company number 0042.", 50, 130, size=8)
    body = [text_chars(prose.replace("May", month), 50, 300) for month in ("May", "June", "July")]
    back = text_chars("Disclaimer", 50, 100, size=12, font="Times-Bold") + \
        text_chars("This document was prepared by the Widget Institute for its members.", 50, 120) + \
        text_chars("Methods", 50, 200, size=12, font="Times-Bold") + \
        text_chars("We read every tariff schedule published since 2001.", 50, 220)
    blocks, n = _blocks([front + body[0], body[1], body[2], back])
    removed = [" ".join(b.text.split()) for b in boilerplate(blocks, n, 10.0)]
    assert removed == ["© 2021 Widget Institute", "Registered in Veldoria, company number 0042.",
                       "Disclaimer", "This document was prepared by the Widget Institute for its members."]
    kept = [b.text for b in blocks if " ".join(b.text.split()) not in removed]
    assert sum(t.startswith("Tariffs rose") for t in kept) == 3 and kept[-2:] == ["Methods", "We read every tariff schedule published since 2001."]


def test_a_centred_line_of_its_own_is_a_heading():
    prose = [text_chars("The compact allocates the water of the basin among the four states "
                        "and sets rules", 50, 100 + 12 * i) for i in range(4)]
    centred = text_chars("Syllabus", 280, 170)
    blocks, _ = _blocks([[c for line in prose[:2] for c in line] + centred +
                         [c for line in prose[2:] for c in line]])
    kinds = {" ".join(b.text.split()): b.kind for b in blocks}
    assert kinds["Syllabus"] == "heading"


def test_hanging_indent_paragraphs_and_bullets():
    words = "the compact allocates water among the four states of the basin and sets rules"
    hanging, y = [], 100
    # two paragraphs whose first line hangs one em left of the others (a court syllabus)
    for first in ("First ruling:", "Second ruling:"):
        hanging += text_chars(f"{first} {words}", 50, y)
        for _ in range(4):
            y += 12
            hanging += text_chars(f"and {words}", 60, y)
        y += 12
    bullets, y = [], 100
    # two bullet items, the second right under the first's last line
    for item in ("Alpha", "Beta"):
        bullets += text_chars(f"• {item} {words}", 50, y)
        y += 12
        bullets += text_chars(f"and {words}.", 58, y)
        y += 12
    blocks, _ = _blocks([hanging, bullets])
    starts = [" ".join(b.text.split()[:2]) for b in blocks]
    assert starts == ["First ruling:", "Second ruling:", "• Alpha", "• Beta"]
    assert [len(b.lines) for b in blocks] == [5, 5, 2, 2]


def test_a_paragraph_ends_where_the_next_word_would_have_fitted():
    line = "ragged text sets each line as long as its words allow it"
    chars = text_chars(f"Firms sold many widgets to the {line} U.S.", 50, 100)
    # ragged right: "Treasury," would not have fitted after "U.S." (the line above is longer)
    chars += text_chars(f"Treasury, which bought the {line}, gladly.", 50, 112)
    chars += text_chars(f"and the {line} to the end.", 50, 124)
    chars += text_chars("A new paragraph starts.", 50, 136)  # "A" would have fitted above
    chars += text_chars(f"It goes on with the {line} and ends here.", 50, 148)
    # an inset quotation whose lines end sentences but fill its measure
    for i, sentence in enumerate(["The widget is sold.", "The widget is bought."]):
        chars += text_chars(f"{line} {sentence}", 80, 172 + 12 * i)
    blocks, _ = _blocks([chars])
    texts = [" ".join(b.text.split()) for b in blocks]
    assert texts[0].startswith("Firms sold") and texts[0].endswith("to the end.")
    assert texts[1] == "A new paragraph starts."  # "It" would have fitted after it
    assert texts[2].startswith("It goes on")
    (quote,) = [t for t in texts if "The widget is sold." in t]
    assert quote.endswith("The widget is sold. " + line + " The widget is bought.")
