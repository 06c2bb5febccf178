"""Seeded random styles: what a variant looks like, independent of which program sets it."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace

PRODUCERS = ("reportlab", "writer", "latex")
# LibreOffice draws its note separator as a thin filled rectangle (Word does too) or none;
# it has no stroked-line separator.
SEPARATORS = {"reportlab": ("line", "rect", "none"), "writer": ("rect", "none"),
              "latex": ("line", "rect", "none")}
# pdfLaTeX's article class knows these body sizes; the others take any.
# Note labels at the foot: "raised" (superscript), "plain" ("1."), "bare" ("1" on the baseline,
# no stop). Writer 7.4 ignored every character style we gave its note-area numbers: no raised.
LABELS = {"reportlab": ("raised", "plain", "bare"), "writer": ("plain", "bare"),
          "latex": ("raised", "plain", "bare")}
BODY_SIZES = {"reportlab": (10.0, 10.5, 11.0, 12.0), "writer": (10.0, 10.5, 11.0, 12.0),
              "latex": (10.0, 11.0, 12.0)}

# The wider generator (``make_variants(..., wide=True)``): dimensions real reports have that the
# first generator lacked. Each producer gets those it sets naturally. Markers: "super" (raised
# digits, the classic form), "bracket" ("[3]" on the baseline, body size), "paren" (raised
# "(3)"), "symbol" (raised *, †, ‡, §, ¶, **, …, restarting on each page), "letter" (raised
# a, b, c, restarting on each page). Writer's note anchors take a raised character style but
# no brackets, and its per-note symbols would not restart by page; LaTeX's article class has
# no per-page reset without packages outside texlive-latex-base.
MARKERS = {"reportlab": ("super", "bracket", "paren", "symbol", "letter"),
           "writer": ("super", "letter"), "latex": ("super", "bracket", "paren")}
RESTART = {"reportlab": True, "writer": True, "latex": False}  # can number notes per page
NOTE_INDENTS = ("hanging", "first-line", "flush")
NOTES_HEADINGS = ("Notes", "Endnotes", "NOTES", "End Notes")


@dataclass(frozen=True)
class Style:
    producer: str
    body_size: float
    note_size: float  # equal to the body size or up to 3 pt smaller
    separator: str  # "line" (stroked), "rect" (thin filled rectangle) or "none"
    columns: int
    notes: str  # "footnotes" or "endnotes"
    label: str  # note labels at the foot: see LABELS
    numbered_paragraphs: bool
    long_notes: bool  # some notes run onto the next page (footnotes only)
    long_urls: bool
    tables: bool  # tables and figure labels in note-size type
    # the wider generator's dimensions; the defaults are the first generator's styles
    marker: str = "super"  # see MARKERS
    restart: bool = False  # note numbering restarts on each page
    marker_before_stop: bool = False  # "…by Name¹." rather than "…by Name.¹"
    head_folio: bool = False  # the page number in the running head at the top, none at the foot
    notes_heading: str = "Notes"  # the endnotes' heading
    note_indent: str = "classic"  # see NOTE_INDENTS; "classic": Writer's hang, the others' are flush
    short_notes: bool = False  # some notes are just "Ibid." or "Id. at 4."
    wide: bool = False  # drawn by the wider generator: its file names say the extra dimensions
    # the layouts generator's dimensions (``make_variants(..., layouts=True)``, reportlab)
    foot_columns: int = 1  # footnotes set in two columns under a one-column body
    pullquote: bool = False  # a sentence repeated in large italic type inside its paragraph
    sidebar: bool = False  # a boxed block of its own between two paragraphs
    sidebar_beside: bool = False  # the box floats beside the next paragraph's first lines
    layouts: bool = False  # drawn by the layouts generator: its file names say them

    def slug(self) -> str:
        """A short readable name: producer, columns, note system, sizes and the rest."""
        parts = [
            self.producer,
            f"{self.columns}col",
            "fn" if self.notes == "footnotes" else "en",
            f"{self.note_size:g}on{self.body_size:g}",
            f"sep-{self.separator}",
            self.label,
        ]
        parts += [name for name, on in (("numpar", self.numbered_paragraphs), ("cont", self.long_notes),
                                         ("urls", self.long_urls), ("tables", self.tables)) if on]
        if self.wide:
            parts += [f"mk-{self.marker}"] + [name for name, on in (
                ("perpage", self.restart), ("prestop", self.marker_before_stop),
                ("headfolio", self.head_folio), ("ibid", self.short_notes)) if on]
            parts.append(f"ind-{self.note_indent}")
            if self.notes == "endnotes" and self.notes_heading != "Notes":
                parts.append(self.notes_heading.lower().replace(" ", ""))
        if self.layouts:
            parts += [name for name, on in (("fn2col", self.foot_columns == 2),
                                            ("pullq", self.pullquote), ("box", self.sidebar),
                                            ("beside", self.sidebar_beside)) if on]
        return "-".join(parts)

    def to_dict(self) -> dict:
        record = asdict(self)
        if not self.layouts:  # the gold of the other generators stays what it was
            for name in LAYOUT_FIELDS:
                del record[name]
        return record


LAYOUT_FIELDS = ("foot_columns", "pullquote", "sidebar", "sidebar_beside", "layouts")
# producers that set the layouts generator's dimensions (Writer has no footnote columns,
# LaTeX's base packages neither them nor floats that wrap text)
LAYOUT_PRODUCERS = ("reportlab",)


def with_layouts(style: Style, rng: random.Random) -> Style:
    """The style with the layouts generator's dimensions drawn from `rng` (a stream of its
    own), at least one of them; unchanged for a producer that does not set them."""
    if style.producer not in LAYOUT_PRODUCERS:
        return style
    two = style.columns == 1 and style.notes == "footnotes"
    chosen = {"foot_columns": two and rng.random() < 0.6, "pullquote": rng.random() < 0.6,
              "sidebar": rng.random() < 0.6}
    if not any(chosen.values()):
        chosen[rng.choice(["foot_columns"] * two + ["pullquote", "sidebar"])] = True
    # beside the text in a one-column body (a column of a two-column page is too narrow)
    beside = chosen["sidebar"] and style.columns == 1 and rng.random() < 0.5
    return replace(style, layouts=True, foot_columns=2 if chosen["foot_columns"] else 1,
                   pullquote=chosen["pullquote"], sidebar=chosen["sidebar"], sidebar_beside=beside)


def random_style(rng: random.Random, producer: str) -> Style:
    body = rng.choice(BODY_SIZES[producer])
    # same size as the body in one of four documents: only the rule and the label set notes apart
    note = body if rng.random() < 0.25 else body - rng.choice((1.0, 2.0, 3.0))
    notes = "endnotes" if rng.random() < 0.2 else "footnotes"
    return Style(
        producer=producer,
        body_size=body,
        note_size=max(note, 7.0),
        separator=rng.choice(SEPARATORS[producer]),
        columns=rng.choice((1, 1, 2)),
        notes=notes,
        label=rng.choice(LABELS[producer]),
        numbered_paragraphs=rng.random() < 0.3,
        long_notes=notes == "footnotes" and rng.random() < 0.4,
        long_urls=rng.random() < 0.5,
        tables=rng.random() < 0.6,
    )


def widen(style: Style, rng: random.Random) -> Style:
    """The style with the wider generator's dimensions drawn from `rng` (a stream of their own:
    the seed's first-generator style and text stay what they were)."""
    footnotes = style.notes == "footnotes"
    # endnotes count through the document: no symbols or letters that restart on each page
    marker = rng.choice([m for m in MARKERS[style.producer]
                         if footnotes or m not in ("symbol", "letter")])
    per_page = marker in ("symbol", "letter") or (
        footnotes and RESTART[style.producer] and rng.random() < 0.25)
    return replace(
        style,
        wide=True,
        marker=marker,
        restart=per_page,
        marker_before_stop=rng.random() < 0.4,
        head_folio=style.producer != "latex" and rng.random() < 0.5,  # LaTeX's heads carry it already
        notes_heading=rng.choice(NOTES_HEADINGS) if style.producer != "writer" else "Notes",
        note_indent=rng.choice(NOTE_INDENTS),
        short_notes=rng.random() < 0.5,
    )


SYMBOLS = "*†‡§¶"


def printed_label(marker: str, n: int) -> str:
    """The label of the n-th note (1-based; per page where numbering restarts) in a marker form:
    symbols double after the fifth (**, ††), letters after the 26th (aa, bb)."""
    if marker == "symbol":
        return SYMBOLS[(n - 1) % len(SYMBOLS)] * ((n - 1) // len(SYMBOLS) + 1)
    if marker == "letter":
        return "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
    return str(n)


def marker_text(marker: str, label: str) -> str:
    """What stands in the text for a marker (raised or not is the producer's business)."""
    return f"[{label}]" if marker == "bracket" else f"({label})" if marker == "paren" else label
