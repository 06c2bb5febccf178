"""Draw a computed :class:`~ingest.sample.compose.Layout` with the reportlab canvas."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

from . import compose, content
from .compose import FigureOp, RuleOp, TextOp

FURNITURE_FONT = ("Helvetica", 7.8)
INK = colors.Color(0.12, 0.12, 0.12)
BAR_BEFORE = colors.Color(0.72, 0.76, 0.80)
BAR_AFTER = colors.Color(0.16, 0.33, 0.52)


def render(report: content.Report, lay: compose.Layout) -> bytes:
    """The PDF bytes; `invariant=1` fixes the creation date and document ID so the output
    is byte-for-byte reproducible."""
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=(compose.PAGE_W, compose.PAGE_H), invariant=1)
    canvas.setTitle(report.title)
    canvas.setAuthor(report.authors.split(" · ")[0])
    canvas.setSubject("Policy brief (fictional sample typeset by citetrace)")
    canvas.setCreator("citetrace ingest.sample")
    for number, ops in enumerate(lay.pages, start=1):
        if number > 1:
            _furniture(canvas, report, number)
        for op in ops:
            if isinstance(op, TextOp):
                _text(canvas, op)
            elif isinstance(op, RuleOp):
                _rule(canvas, op)
            elif isinstance(op, FigureOp):
                _figure(canvas, op)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _y(top: float) -> float:
    return compose.PAGE_H - top


def _text(canvas, op: TextOp) -> None:
    text = canvas.beginText(op.x, _y(op.baseline))
    text.setFillColor(INK)
    # Justification through the PDF word-spacing operator keeps real space characters in the
    # content stream, so extractors see word boundaries exactly as they would in print.
    text.setWordSpace(op.line.word_space())
    for chunk, font, size, rise in op.line.runs():
        text.setFont(font, size)
        text.setRise(rise)
        text.textOut(chunk)
    canvas.drawText(text)


def _rule(canvas, op: RuleOp) -> None:
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(op.width)
    canvas.line(op.x0, _y(op.y), op.x1, _y(op.y))


def _furniture(canvas, report: content.Report, number: int) -> None:
    font, size = FURNITURE_FONT
    left, right = compose.MARGIN_X, compose.PAGE_W - compose.MARGIN_X
    canvas.setFillColor(INK)
    canvas.setFont(font, size)
    canvas.drawString(left, _y(compose.HEADER_BASELINE), report.running_header)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.4)
    canvas.line(left, _y(compose.HEADER_BASELINE + 5), right, _y(compose.HEADER_BASELINE + 5))
    canvas.line(left, _y(compose.FOOTER_BASELINE - 10), right, _y(compose.FOOTER_BASELINE - 10))
    canvas.drawString(left, _y(compose.FOOTER_BASELINE), report.running_footer)
    canvas.setFont("Helvetica-Bold", size)
    canvas.drawRightString(right, _y(compose.FOOTER_BASELINE), str(number))


def _figure(canvas, op: FigureOp) -> None:
    """A framed bar chart: two bars per consumption level, y axis with round ticks."""
    fig = op.figure
    canvas.saveState()
    canvas.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
    canvas.setLineWidth(0.6)
    canvas.rect(op.x, _y(op.top + op.height), op.width, op.height, stroke=1, fill=0)

    # Legend along the top of the box.
    canvas.setFont("Helvetica", 6.8)
    lx, ly = op.x + 34, op.top + 14
    for name, fill in zip(fig.legend, (BAR_BEFORE, BAR_AFTER)):
        canvas.setFillColor(fill)
        canvas.rect(lx, _y(ly), 7, 6, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.drawString(lx + 10, _y(ly), name)
        lx += 14 + stringWidth(name, "Helvetica", 6.8) + 12

    # Plot area.
    left, right = op.x + 30, op.x + op.width - 10
    top, bottom = op.top + 26, op.top + op.height - 20
    scale = (bottom - top) / fig.y_max
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.5)
    canvas.line(left, _y(bottom), right, _y(bottom))
    canvas.setFont("Helvetica", 6.5)
    tick = 0.0
    while tick <= fig.y_max:
        y = bottom - tick * scale
        canvas.setStrokeColor(colors.Color(0.85, 0.85, 0.85))
        if tick:
            canvas.line(left, _y(y), right, _y(y))
        canvas.setFillColor(INK)
        canvas.drawRightString(left - 4, _y(y + 2.2), f"{tick:g}")
        tick += fig.y_step

    group = (right - left) / len(fig.bars)
    bar_w = group * 0.3
    for n, bar in enumerate(fig.bars):
        gx = left + n * group + group * 0.2
        for k, (value, fill) in enumerate(((bar.before, BAR_BEFORE), (bar.after, BAR_AFTER))):
            canvas.setFillColor(fill)
            height = value * scale
            canvas.rect(gx + k * bar_w, _y(bottom), bar_w - 1, height, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.drawCentredString(gx + bar_w, _y(bottom + 9), bar.label)
    canvas.restoreState()
