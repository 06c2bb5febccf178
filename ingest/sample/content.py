"""The sample report as structured data, read from ``report.toml`` (shipped beside this
module): an invented policy brief about an invented country, all of it fiction written for
citetrace.

Markup, kept deliberately small so the gold file can be derived from the same strings:

- ``[^key]`` in body text is a note marker; notes are numbered in order of first appearance.
- ``*...*`` toggles italic (in the abstract, which is italic, it toggles back to roman).
- ``{note:key}`` inside a note prints the number of another note (a cross-reference).
- A note whose text is ``Ibid.`` (or starts with ``Ibid.,``) repeats the note before it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bar:
    label: str  # group label under the bars, e.g. "10 m³"
    before: float
    after: float


@dataclass(frozen=True)
class Figure:
    caption: str
    legend: tuple[str, str]
    bars: tuple[Bar, ...]
    y_max: float
    y_step: float


@dataclass(frozen=True)
class PullQuote:
    text: str  # must repeat a sentence of the body verbatim


Block = Heading | Paragraph | Figure | PullQuote


@dataclass(frozen=True)
class Report:
    title: str
    authors: str
    abstract: str
    body: tuple[Block, ...]
    notes: dict[str, str]
    running_header: str
    running_footer: str
    # Words the body may hyphenate at a line end, with their break points shown by "-".
    # Only these are hyphenated, so the break hyphens in the PDF are known exactly.
    hyphenation: tuple[str, ...]


DATA_FILE = "report.toml"


def parse_report(data: dict) -> Report:
    """A :class:`Report` from the parsed TOML (see report.toml for its layout)."""
    return Report(
        title=data["title"],
        authors=data["authors"],
        abstract=data["abstract"],
        body=tuple(_block(raw) for raw in data["body"]),
        notes=dict(data["notes"]),
        running_header=data["running_header"],
        running_footer=data["running_footer"],
        hyphenation=tuple(data["hyphenation"]),
    )


def _block(raw: dict) -> Block:
    if "heading" in raw:
        return Heading(raw["heading"])
    if "paragraph" in raw:
        return Paragraph(raw["paragraph"])
    if "pull_quote" in raw:
        return PullQuote(raw["pull_quote"])
    if "figure" in raw:
        f = raw["figure"]
        return Figure(caption=f["caption"], legend=tuple(f["legend"]),
                      bars=tuple(Bar(b["label"], b["before"], b["after"]) for b in f["bars"]),
                      y_max=f["y_max"], y_step=f["y_step"])
    raise ValueError(f"{DATA_FILE}: a body block needs a heading, paragraph, pull_quote or figure: {raw}")


def load_report() -> Report:
    """The bundled report, read from the package's data file."""
    return parse_report(tomllib.loads(files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")))


REPORT = load_report()
