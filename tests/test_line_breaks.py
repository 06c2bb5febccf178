"""Words and URLs broken across lines, columns and pages, in PDFs made here with reportlab:
a URL broken at a hyphen inside its host name, a hyphenated word whose halves a running
head on the next page stands between."""

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from citetrace.ingest.extract import extract

URL = "https://www.brennock-institute.org/tariff-annex"
HEAD, TAIL = URL.split("brennock-")[0] + "brennock-", URL.split("brennock-")[1]


def _filler(k: int) -> list[str]:
    """A sentence of its own for paragraph k (a line repeated on two pages is furniture)."""
    return (f"In {1990 + k} the regulator set the first block price below cost so that each of "
            f"the {k + 3} towns could afford the water it needs for drinking, cooking and "
            "washing").split()


def _lines(c, x: float, y: float, width: float, words: list[str], size: float = 11,
           font: str = "Times-Roman") -> float:
    """Set `words` in lines of at most `width` points from (x, y) down; returns the next y."""
    line: list[str] = []
    for w in words:
        if line and c.stringWidth(" ".join(line + [w]), font, size) > width:
            c.setFont(font, size)
            c.drawString(x, y, " ".join(line))
            y, line = y - 1.25 * size, []
        line.append(w)
    if line:
        c.setFont(font, size)
        c.drawString(x, y, " ".join(line))
        y -= 1.25 * size
    return y


def _end_page(c, folio: int) -> None:
    c.setFont("Times-Roman", 10)
    c.drawCentredString(306, 40, str(folio))
    c.showPage()


def _marker(c, x: float, y: float, label: str, size: float = 11) -> None:
    c.setFont("Times-Roman", 0.6 * size)
    c.drawString(x + 1, y + 0.35 * size, label)


def _url_breaks(path, columns: int) -> None:
    """Page 1: a body paragraph whose URL breaks after "brennock-", a marker, and note 1 with
    the same break; note 2 starts at the foot and its URL breaks there, over the page break
    (page 2 carries it on under a separator). `columns`: 1, or 2 (the notes in the left
    column)."""
    c = canvas.Canvas(str(path), pagesize=letter)
    width = 440 if columns == 1 else 210
    c.setFont("Times-Bold", 16)
    c.drawString(72, 730, "Tariffs and the lifeline block")
    y = 700.0
    for k in range(2):
        y = _lines(c, 72, y, width, _filler(k) + ["in", "the", "year", "under", "review."])
        c.setFont("Times-Roman", 11)
        c.drawString(72, y, "The tables are at " + HEAD)
        c.drawString(72, y - 13.75, TAIL + " and in the annex.")
        _marker(c, 72 + c.stringWidth(TAIL + " and in the annex.", "Times-Roman", 11), y - 13.75,
                str(k + 1))
        y -= 2 * 13.75 + 6
    if columns == 2:
        _lines(c, 320, 700, width, _filler(5) + _filler(6) + _filler(7))
    c.line(72, 200, 216, 200)
    c.setFont("Times-Roman", 9)
    c.drawString(72, 186, "1 Brennock Institute, appendix tables, at " + HEAD)
    c.drawString(72, 175, TAIL + ".")
    c.drawString(72, 160, "2 Brennock Institute, the same tables as a workbook, at " + HEAD)
    _end_page(c, 1)
    y = _lines(c, 72, 720, width, _filler(8) + ["again."])
    c.line(72, 200, 540, 200)
    c.setFont("Times-Roman", 9)
    c.drawString(72, 186, TAIL + " (a spreadsheet).")
    _end_page(c, 2)
    c.save()


def _check_url_breaks(path) -> None:
    doc = extract(path)
    notes = {n.label: n for n in doc.footnotes}
    assert sorted(notes) == ["1", "2"]
    assert notes["1"].urls == [URL] and notes["1"].text.endswith(f"at {URL}.")
    assert notes["2"].urls == [URL] and notes["2"].text.endswith(f"at {URL} (a spreadsheet).")
    assert notes["2"].continues_on_page == 2
    body = " ".join(p.text for p in doc.passages)
    assert body.count(f"at {URL} and in the annex.") == 2
    assert "brennock- " not in body and "brennockinstitute" not in body


def test_a_url_broken_at_a_hyphen_in_its_host_name_is_rejoined_with_the_hyphen(tmp_path):
    path = tmp_path / "url_breaks.pdf"
    _url_breaks(path, columns=1)
    _check_url_breaks(path)


def test_a_host_name_broken_in_a_two_column_page_is_rejoined(tmp_path):
    path = tmp_path / "url_breaks_2col.pdf"
    _url_breaks(path, columns=2)
    _check_url_breaks(path)


TITLE = "Water tariffs in the northern towns"


def _running_head_in_a_word(path) -> None:
    """Two pages: page 1 (title, no running head) ends in "transpar-"; page 2 opens with the
    running head, which repeats the title (as LaTeX's myheadings sets it), then "ency …"."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 18)
    c.drawString(72, 720, TITLE)
    y, k = 680.0, 0
    while y > 120:
        y = _lines(c, 72, y, 440, _filler(k) + ["in", "each", "town."])
        y, k = y - 4, k + 1
    c.setFont("Times-Roman", 11)
    c.drawString(72, y, "The regulator published its reasons to improve the transpar-")
    _end_page(c, 1)
    c.setFont("Times-Italic", 10)
    c.drawString(72, 740, f"Lorvane Papers: {TITLE}")
    c.drawRightString(540, 740, "2")
    _lines(c, 72, 710, 440, ["ency", "of", "the", "tariff", "review."] + _filler(99) + ["today."])
    c.showPage()
    c.save()


def test_a_running_head_between_the_halves_of_a_hyphenated_word_is_furniture(tmp_path):
    _running_head_in_a_word(tmp_path / "head_in_word.pdf")
    doc = extract(tmp_path / "head_in_word.pdf")
    body = " ".join(p.text for p in doc.passages)
    assert "improve the transparency of the tariff review." in body
    assert "Lorvane Papers" not in body
    assert any(f.text.startswith("Lorvane Papers") and f.page == 2 for f in doc.furniture)
    assert doc.title == TITLE
