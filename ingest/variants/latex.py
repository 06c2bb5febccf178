"""LaTeX producer: a .tex source per variant, set by pdflatex (article class, texlive-latex-base).

Footnotes are LaTeX's own, so LaTeX decides where each lands and splits long ones across
pages; endnotes are a "Notes" section written out here (endnotes.sty is not in the base set).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from .content import Document, Figure, Heading, Note, Paragraph, Table
from .style import Style, marker_text

_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
# Separators: pdfTeX strokes a thin \hrule as a line; a filled rectangle is drawn directly.
_RULES = {
    "line": r"\kern-3pt\hrule width 0.4\columnwidth height 0.4pt\kern 2.6pt",
    "rect": r"\kern-3pt\hbox{\pdfliteral{q 0 g 0 0 144 0.5 re f Q}}\kern 2.6pt",
    "none": "",
}


def escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


def _note_text(note: Note) -> str:
    """Note text with its URLs as \\url (breakable, typewriter)."""
    out, rest = [], note.text
    for url in note.urls:
        head, _, rest = rest.partition(url)
        out.append(escape(head) + r"\url{" + url + "}")
    return "".join(out) + escape(rest)


def source(doc: Document, style: Style) -> str:
    size = f"{style.body_size:g}pt"
    note_size = style.note_size
    lines = [
        r"\RequirePackage{fix-cm}",
        rf"\documentclass[{size},letterpaper{',twocolumn' if style.columns == 2 else ''}]{{article}}",
        r"\usepackage[margin=1in]{geometry}",
        r"\usepackage{url}",
        r"\def\UrlBreaks{\do\/\do.\do-\do=\do&\do?}\Urlmuskip=0mu plus 1mu",
        r"\uchyph=0 \sloppy",  # no hyphen inside capitalized names: the gold searches them
        rf"\renewcommand\footnotesize{{\fontsize{{{note_size:g}}}{{{note_size * 1.2:.1f}}}\selectfont}}",
        r"\makeatletter",
        rf"\renewcommand\footnoterule{{{_RULES[style.separator]}}}",
    ]
    # the marker in the text: raised digits (LaTeX's own), "[3]" on the baseline, raised "(3)"
    if style.marker == "bracket":
        lines.append(r"\renewcommand\@makefnmark{\hbox{\normalfont[\@thefnmark]}}")
    elif style.marker == "paren":
        lines.append(r"\renewcommand\@makefnmark{\hbox{\@textsuperscript{\normalfont(\@thefnmark)}}}")
    label = _foot_label(style, r"\@thefnmark")
    if style.note_indent != "classic" or style.marker != "super":
        lines.append(rf"\renewcommand\@makefntext[1]{{{_indented(style, label)}#1}}")
    elif style.label != "raised":
        lines.append(rf"\renewcommand\@makefntext[1]{{\parindent 1em\noindent {label}#1}}")
    lines += [
        r"\makeatother",
        r"\pagestyle{myheadings}",
        rf"\markright{{{escape(doc.header)}}}",
        r"\begin{document}",
        r"\thispagestyle{plain}",
    ]
    title = (rf"{{\LARGE\bfseries {escape(doc.title)}\par}}\vspace{{6pt}}"
             rf"{{\large {escape(doc.byline)}\par}}\vspace{{12pt}}")
    lines.append(rf"\twocolumn[{title}]" if style.columns == 2 else title)
    for block in doc.blocks:
        lines.append(_block(block, doc, style))
    if style.notes == "endnotes":
        lines.append(rf"\section*{{{escape(style.notes_heading)}}}")
        lines.append(r"\footnotesize")
        for note in doc.notes:
            lines.append(_indented(style, _foot_label(style, note.label)) + _note_text(note)
                         + r"\par\smallskip")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _foot_label(style: Style, label: str) -> str:
    """A note's label at the foot (or in the endnotes): raised, "3." or bare "3"."""
    if style.label == "raised":
        return rf"\textsuperscript{{{label}}}"
    return f"{label}{'.' if style.label == 'plain' else ''}\\ "


def _indented(style: Style, label: str) -> str:
    """A note's opening: its label, hanging out of the text, after a first-line indent, or
    flush with the text's edge."""
    if style.note_indent == "hanging":
        return rf"\noindent\hangindent=1.5em\hangafter=1 {label}"
    if style.note_indent == "first-line":
        return rf"\noindent\hspace*{{1.5em}}{label}"
    return rf"\noindent {label}"


def _block(block, doc: Document, style: Style) -> str:
    if isinstance(block, Heading):
        return rf"\section*{{{escape(block.text)}}}"
    if isinstance(block, Paragraph):
        def marker(index: int) -> str:
            note = doc.notes[index]
            if style.notes == "footnotes":
                return rf"\footnote{{{_note_text(note)}}}"
            text = marker_text(style.marker, note.label)
            return text if style.marker == "bracket" else rf"\textsuperscript{{{text}}}"

        return block.render(escape, marker, lambda number: rf"\noindent {number}\enspace",
                            style.marker_before_stop) + "\n"
    if isinstance(block, Table):
        spec = "l" + "r" * (len(block.header) - 1)
        rows = [" & ".join(escape(c) for c in block.header) + r" \\ \hline"]
        rows += [" & ".join(escape(c) for c in row) + r" \\" for row in block.rows]
        return (rf"\begin{{center}}\footnotesize {escape(block.caption)}\\[3pt]"
                rf"\begin{{tabular}}{{{spec}}}\hline " + "\n".join(rows)
                + r"\hline\end{tabular}\end{center}")
    if isinstance(block, Figure):
        bars = []
        for i, (label, value) in enumerate(block.bars):
            x = 10 + i * 28
            bars.append(rf"\put({x},12){{\rule{{14pt}}{{{value * 0.6:.0f}pt}}}}\put({x},0){{{label}}}")
        width = 20 + len(block.bars) * 28
        return (rf"\begin{{center}}\footnotesize\setlength{{\unitlength}}{{1pt}}"
                rf"\begin{{picture}}({width},75)\put(0,12){{\line(1,0){{{width}}}}}"
                + "".join(bars) + rf"\end{{picture}}\\[3pt]{escape(block.caption)}\end{{center}}")
    raise TypeError(f"unknown block {block!r}")


def render(sources: dict[str, str], out_dir: Path) -> dict[str, Path]:
    """Run pdflatex on each source (stem -> .tex text); return stem -> PDF in `out_dir`."""
    pdfs = {}
    with tempfile.TemporaryDirectory(prefix="citetrace-latex-") as tmp:
        for stem, tex in sources.items():
            (Path(tmp) / f"{stem}.tex").write_text(tex, encoding="utf-8")
            run = subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{stem}.tex"],
                cwd=tmp, capture_output=True, text=True, errors="replace", timeout=120,
                env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "FORCE_SOURCE_DATE": "1"},
            )
            built = Path(tmp) / f"{stem}.pdf"
            if run.returncode != 0 or not built.is_file():
                tail = "\n".join(run.stdout.splitlines()[-15:])
                raise RuntimeError(f"{stem}.tex: pdflatex failed:\n{tail}")
            target = out_dir / f"{stem}.pdf"
            target.write_bytes(built.read_bytes())
            pdfs[stem] = target
    return pdfs
