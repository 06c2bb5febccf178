"""Note styles that word processors produce and the corpus samples only thinly, in PDFs made
here with reportlab: notes set in the body's own size, no separator, only raised labels."""

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

import citetrace.ingest.notes as notes_module
from citetrace.ingest.extract import extract

WORDS = ("The committee reviewed the water tariff schedule and found that the rate for the first "
         "block had not changed since the previous review, while the cost of treatment rose each "
         "year and the utility drew on its reserves to cover the gap").split()
PAGES, PER_PAGE = 3, 4


def _note_text(k: int) -> str:
    return f"Lorvane Water Authority, Annual Tariff Report {2010 + k} (Lorvane: LWA, {2011 + k}), p. {3 * k}."


def _paragraph(c, y: float, label: int, size: float, number: str = "") -> float:
    """Set WORDS at `size` (after `number`, a paragraph number), a raised marker after the
    last word; returns the next y."""
    line: list[str] = [number] if number else []
    for w in WORDS:
        if c.stringWidth(" ".join(line + [w]), "Times-Roman", size) > 440:
            c.setFont("Times-Roman", size)
            c.drawString(72, y, " ".join(line))
            y, line = y - 1.3 * size, []
        line.append(w)
    c.setFont("Times-Roman", size)
    c.drawString(72, y, " ".join(line))
    end = 72 + c.stringWidth(" ".join(line), "Times-Roman", size)
    c.setFont("Times-Roman", 0.6 * size)
    c.drawString(end + 1, y + 0.35 * size, str(label))
    return y - 2 * size


def _document(path, set_notes, end=None) -> None:
    """PAGES pages of PER_PAGE paragraphs, each ending in a raised marker; set_notes(c, labels)
    sets the page's notes; the page's lowest line is its folio. end(c, notes) sets a last page."""
    c = canvas.Canvas(str(path), pagesize=letter)
    label = 1
    for page in range(PAGES):
        y = 720.0
        for _ in range(PER_PAGE):
            y = _paragraph(c, y, label, 11)
            label += 1
        set_notes(c, range(label - PER_PAGE, label))
        c.setFont("Times-Roman", 10)
        c.drawCentredString(306, 40, str(page + 1))
        c.showPage()
    if end is not None:
        end(c, label - 1)
        c.showPage()
    c.save()


@pytest.fixture(scope="module")
def same_size_pdf(tmp_path_factory):
    """Body and notes both 11 pt; a note is only told by its raised label at the foot."""
    path = tmp_path_factory.mktemp("styles") / "same_size.pdf"

    def set_notes(c, labels):
        for i, k in enumerate(labels):
            c.setFont("Times-Roman", 6.6)
            c.drawString(72, 174 - 15 * i, str(k))
            c.setFont("Times-Roman", 11)
            c.drawString(80, 170 - 15 * i, _note_text(k))
    _document(path, set_notes)
    return path


def test_notes_in_the_body_size_are_found_by_their_labels_and_markers(same_size_pdf):
    doc = extract(same_size_pdf)
    assert [(n.label, n.page, n.text) for n in doc.footnotes] == [
        (str(k), (k - 1) // PER_PAGE + 1, _note_text(k)) for k in range(1, PAGES * PER_PAGE + 1)]
    linked = sorted((m.label, m.page) for m in doc.markers if m.note is not None
                    and doc.footnotes[m.note].label == m.label)
    assert linked == sorted((str(k), (k - 1) // PER_PAGE + 1) for k in range(1, PAGES * PER_PAGE + 1))
    assert not any("Lorvane Water Authority" in p.text for p in doc.passages)
    assert doc.check.verdict == "ok", doc.check.reasons


def test_without_the_same_size_rule_the_self_check_says_suspect(same_size_pdf, monkeypatch):
    monkeypatch.setattr(notes_module, "_same_size_zone", lambda *args: None)
    doc = extract(same_size_pdf)
    assert doc.footnotes == []
    assert doc.check.verdict == "suspect"
    assert doc.check.markers_without_note == PAGES * PER_PAGE
    assert any("raised numbers in the text match no note" in r for r in doc.check.reasons)


@pytest.fixture(scope="module")
def glued_stop_pdf(tmp_path_factory):
    """9 pt notes under a rule with plain labels "7. Text"; from 10 on the label fills the
    hanging indent and the text layer loses the space: "10.Lorvane…" (as LibreOffice sets it)."""
    path = tmp_path_factory.mktemp("styles") / "glued_stop.pdf"

    def set_notes(c, labels):
        c.line(72, 190, 216, 190)
        c.setFont("Times-Roman", 9)
        for i, k in enumerate(labels):
            c.drawString(72, 176 - 12 * i, f"{k}." if k >= 10 else f"{k}. ")
            c.drawString(72 + c.stringWidth(f"{k}.", "Times-Roman", 9) + (0 if k >= 10 else 4),
                         176 - 12 * i, _note_text(k))
    _document(path, set_notes)
    return path


def test_plain_labels_glued_to_their_text_by_the_stop_are_read(glued_stop_pdf):
    doc = extract(glued_stop_pdf)
    assert [(n.label, n.text) for n in doc.footnotes] == [
        (str(k), _note_text(k)) for k in range(1, PAGES * PER_PAGE + 1)]
    assert not any("Lorvane Water Authority" in p.text for p in doc.passages)


@pytest.fixture(scope="module")
def unheaded_endnotes_pdf(tmp_path_factory):
    """Endnotes on a last page of their own, plain labels "1.", no "Notes" heading over them."""
    path = tmp_path_factory.mktemp("styles") / "unheaded_endnotes.pdf"
    _document(path, lambda c, labels: None, end=_endnote_page)
    return path


def _endnote_page(c, count: int) -> None:
    c.setFont("Times-Roman", 9)
    for k in range(1, count + 1):
        c.drawString(72, 720 - 12 * k, f"{k}. {_note_text(k)}")


def test_endnotes_opening_a_last_page_without_a_heading_are_read(unheaded_endnotes_pdf):
    doc = extract(unheaded_endnotes_pdf)
    assert [(n.label, n.kind, n.text) for n in doc.footnotes] == [
        (str(k), "endnote", _note_text(k)) for k in range(1, PAGES * PER_PAGE + 1)]
    assert all(m.note is not None for m in doc.markers)
    assert not any("Lorvane Water Authority" in p.text for p in doc.passages)


def _endnotes_under_a_heading(c, count: int) -> None:
    """A "Notes" heading near the foot of a page, its first notes under it (small type at a
    column foot: a footnote zone to look at), the rest on the next page under a running head."""
    y = _paragraph(c, 720, count + 1, 11)
    c.setFont("Times-Bold", 12)
    c.drawString(72, 200, "Notes")
    c.setFont("Times-Roman", 9)
    for k in (1, 2):
        c.drawString(72, 200 - 14 * k, f"{k}. {_note_text(k)}")
    c.showPage()
    c.setFont("Times-Roman", 7)
    c.drawString(72, 760, "Lorvane Water Papers: tariffs")
    c.setFont("Times-Roman", 9)
    for k in range(3, count + 1):
        c.drawString(72, 720 - 12 * k, f"{k}. {_note_text(k)}")


def test_endnotes_under_a_heading_at_a_page_foot_running_on_are_read(tmp_path):
    path = tmp_path / "endnotes_at_foot.pdf"
    _document(path, lambda c, labels: None, end=_endnotes_under_a_heading)
    doc = extract(path)
    assert [(n.label, n.kind, n.text) for n in doc.footnotes] == [
        (str(k), "endnote", _note_text(k)) for k in range(1, PAGES * PER_PAGE + 1)]
    assert not any("Lorvane Water Authority" in p.text for p in doc.passages)


def _short_last_page(c, count: int) -> None:
    """A last page of one short line and its note under the usual 144 pt rule: the page's
    own text is narrower than the rule is long."""
    c.setFont("Times-Roman", 11)
    c.drawString(72, 720, "The tariff rose again.")
    c.setFont("Times-Roman", 6.6)
    end = 72 + c.stringWidth("The tariff rose again.", "Times-Roman", 11)
    c.drawString(end + 1, 724, str(count + 1))
    c.line(72, 190, 216, 190)
    c.setFont("Times-Roman", 9)
    c.drawString(72, 176, f"{count + 1}. See LWA, 2020.")


def test_a_separator_longer_than_a_short_last_page_is_still_a_separator(tmp_path):
    path = tmp_path / "short_last_page.pdf"

    def set_notes(c, labels):
        c.line(72, 190, 216, 190)
        c.setFont("Times-Roman", 9)
        for i, k in enumerate(labels):
            c.drawString(72, 176 - 12 * i, f"{k}. {_note_text(k)}")
    _document(path, set_notes, end=_short_last_page)
    doc = extract(path)
    last = PAGES * PER_PAGE + 1
    assert [(n.label, n.page) for n in doc.footnotes][-2:] == [
        (str(last - 1), PAGES), (str(last), PAGES + 1)]
    assert doc.footnotes[-1].text == "See LWA, 2020."
    assert not any("See LWA" in p.text for p in doc.passages)


def _numbered_same_size(path) -> None:
    """Numbered paragraphs ("5. The committee…") and notes in the same 11 pt with plain
    labels ("5. Lorvane…"), no separator, only a gap over the notes: the paragraph numbers
    count on across pages like the note labels. Page 1's last note runs on at the top of
    page 2's notes; a line of page 2's second note starts with a page number ("115.")."""
    c = canvas.Canvas(str(path), pagesize=letter)
    for page in range(PAGES):
        y = 720.0
        labels = range(page * PER_PAGE + 1, (page + 1) * PER_PAGE + 1)
        for k in labels:  # (page 1's first row must not read as a running head: a word differs)
            y = _paragraph(c, y, k, 11, number=f"{k}. {('First,', 'Then', 'Later,')[page]}")
        c.setFont("Times-Roman", 11)
        y = 250.0
        if page == 1:
            c.drawString(72, y, "the tariff schedule of the same year.")
            y -= 14
        for k in labels:
            if page == 0 and k == labels[-1]:
                c.drawString(72, y, f"{k}. Lorvane Water Authority, Annual Tariff Report {2010 + k}, a review of")
                break
            c.drawString(72, y, f"{k}. {_note_text(k)}")
            y -= 14
            if page == 1 and k == labels[1]:
                c.drawString(72, y, "115. Available from the authority's library.")
                y -= 14
        c.setFont("Times-Roman", 10)
        c.drawCentredString(306, 40, str(page + 1))
        c.showPage()
    c.save()


def test_same_size_notes_under_numbered_paragraphs_are_told_apart(tmp_path):
    path = tmp_path / "numbered_same_size.pdf"
    _numbered_same_size(path)
    doc = extract(path)
    count = PAGES * PER_PAGE
    assert [(n.label, n.page) for n in doc.footnotes] == [
        (str(k), (k - 1) // PER_PAGE + 1) for k in range(1, count + 1)]
    notes = {n.label: n.text for n in doc.footnotes}
    assert notes["4"] == ("Lorvane Water Authority, Annual Tariff Report 2014, a review of the "
                          "tariff schedule of the same year.")
    assert notes["6"] == _note_text(6) + " 115. Available from the authority's library."
    assert all(m.note is not None and doc.footnotes[m.note].label == m.label for m in doc.markers)
    assert len(doc.markers) == count
    assert not any("Lorvane" in p.text or "tariff schedule of the same" in p.text
                   for p in doc.passages)
    # the numbered paragraphs stay body text, numbers and all
    assert [p.text.split(" ")[0] for p in doc.passages if "The committee" in p.text] == [
        f"{k}." for k in range(1, count + 1)]
    assert doc.check.verdict == "ok", doc.check.reasons


def _long_endnotes(c, count: int) -> None:
    """Endnotes in 9 pt on pages of their own, long enough to outweigh the 11 pt body."""
    c.setFont("Times-Bold", 12)
    c.drawString(72, 740, "Notes")
    c.setFont("Times-Roman", 9)
    y = 720.0
    for k in range(1, count + 1):
        for i in range(6):
            if y < 80:
                c.showPage()
                c.setFont("Times-Roman", 9)
                y = 740.0
            # (every line differs: repeated lines at one height would read as running heads)
            words = WORDS[(5 * k + 3 * i) % 20:][:12]
            c.drawString(72, y, f"{k}. {_note_text(k)}" if i == 0 else f"{' '.join(words)} ({k}.{i})")
            y -= 11


def test_body_size_is_read_from_the_lines_that_carry_markers(tmp_path):
    """Pages of 9 pt endnotes hold more letters than the 11 pt body: the body lines are
    still paragraphs (not a stream of headings), the endnotes all found."""
    path = tmp_path / "long_endnotes.pdf"
    _document(path, lambda c, labels: None, end=_long_endnotes)
    doc = extract(path)
    assert [n.label for n in doc.footnotes] == [str(k) for k in range(1, PAGES * PER_PAGE + 1)]
    assert all(n.kind == "endnote" for n in doc.footnotes)
    kinds = {p.kind for p in doc.passages if p.text.startswith("The committee")}
    assert kinds == {"paragraph"}
    assert doc.check.verdict == "ok", doc.check.reasons
