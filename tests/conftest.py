"""Shared fixtures: the ../shared material (optional), the sample report, a page builder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The ingest's spaCy pipeline, loaded once for the whole run."""
    from citetrace.ingest.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared (corpus and report replicas) is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled sample report, built once per session: (pdf, gold)."""
    from citetrace.ingest.sample import build_sample

    return build_sample(tmp_path_factory.mktemp("sample"))


class FakePage:
    """The slice of a pdfplumber page that ingest reads: chars, rules, links."""

    def __init__(self, chars, width=612.0, height=792.0, lines=(), rects=()):
        self.chars = chars
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)
        self.lines, self.rects, self.annots = list(lines), list(rects), []

    def close(self):
        pass


def text_chars(text: str, x: float, top: float, size: float = 10.0, font: str = "Times-Roman",
               raised: float = 0.0, upright: bool = True) -> list[dict]:
    """Chars of `text` set from (x, top): 0.5 em per glyph, 0.3 em per space."""
    out = []
    for ch in text:
        if ch == " ":
            x += 0.3 * size
            continue
        w = 0.5 * size
        out.append({"text": ch, "x0": x, "x1": x + w, "top": top - raised, "bottom": top - raised + size,
                    "size": size, "fontname": font, "upright": upright})
        x += w
    return out


def end_x(chars: list[dict]) -> float:
    return chars[-1]["x1"]


def ingest_sample(pdf: Path, folder: Path) -> Path:
    """``citetrace ingest`` of ``pdf`` into a new database in ``folder``; its path."""
    from click.testing import CliRunner

    from citetrace.plugins.cli import cli

    db = folder / "sample.db"
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db
