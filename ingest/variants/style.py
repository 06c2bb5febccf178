"""Seeded random styles: what a variant looks like, independent of which program sets it."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

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
        return "-".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


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
