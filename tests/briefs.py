"""Small real reports for batch tests and benchmarks: one page, a title, a paragraph ending in a
raised note marker, the note at the foot citing a source of its own (no two briefs share a
source, so a batch lands the same in any order)."""

from __future__ import annotations

from pathlib import Path


def write_briefs(folder: Path, n: int, start: int = 0) -> list[Path]:
    """`n` distinct one-page reports ``brief-NNNNN.pdf`` in `folder`."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        path = folder / f"brief-{i:05d}.pdf"
        c = canvas.Canvas(str(path), pagesize=letter)
        c.setFont("Times-Bold", 16)
        c.drawString(72, 720, f"Water Board Brief No. {i}")
        c.setFont("Times-Roman", 11)
        lines = [f"In {2000 + i % 25} the district spent {i * 7 % 900 + 100} million dollars on new pipes,",
                 "more than in any year before, according to the auditor's annual report."]
        for k, line in enumerate(lines):
            c.drawString(72, 680 - 14 * k, line)
        end = 72 + c.stringWidth(lines[-1], "Times-Roman", 11)
        c.setFont("Times-Roman", 7)
        c.drawString(end + 1, 670, "1")
        c.line(72, 120, 216, 120)
        c.drawString(72, 104, "1")
        c.setFont("Times-Roman", 9)
        c.drawString(78, 100, f"Office of the District Auditor No. {i}, Annual Report on Water Spending "
                              f"({2001 + i % 25}), https://auditor.example.org/reports/{i}.pdf.")
        c.showPage()
        c.save()
        out.append(path)
    return out
