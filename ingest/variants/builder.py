"""Plan, typeset and score-ready: variants with seeded styles, their PDFs and gold files."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import content, gold, latex, reportlab_pdf, writer
from .style import PRODUCERS, Style, random_style, widen, with_layouts

# producer -> (module with source(doc, style) and render({stem: source}, out_dir), programs it runs)
BACKENDS = {
    "reportlab": (reportlab_pdf, ()),
    "writer": (writer, ("soffice",)),
    "latex": (latex, ("pdflatex",)),
}


@dataclass(frozen=True)
class Variant:
    index: int
    style: Style
    doc: content.Document

    @property
    def stem(self) -> str:
        return f"variant-{self.index:03d}-{self.style.slug()}"


@dataclass(frozen=True)
class Built:
    variant: Variant
    pdf: Path
    gold: Path


def missing_programs(producers=PRODUCERS) -> list[str]:
    """The external programs the producers need that are not on PATH."""
    return sorted({p for name in producers for p in BACKENDS[name][1] if shutil.which(p) is None})


def plan_for(style: Style) -> content.Plan:
    return content.Plan(
        sections=5 if style.columns == 2 else 4,
        long_notes=style.long_notes,
        long_urls=style.long_urls,
        numbered_paragraphs=style.numbered_paragraphs,
        tables=1 if style.tables else 0,
        figures=1 if style.tables else 0,
    )


def make_variants(count: int, seed: int, producers=PRODUCERS, wide: bool = False,
                  layouts: bool = False) -> list[Variant]:
    """`count` variants, producers in turn; each variant's style and text come from its own
    random stream, so variant i is the same whatever `count` is. wide: add the wider
    generator's dimensions (style.widen, content.shorten), drawn from a second stream, so
    the seed's styles and texts are otherwise the ones it has without them. layouts: add
    two-column footnotes, pull quotes and sidebar boxes (style.with_layouts,
    content.add_layouts) from a third stream, in the same way."""
    variants = []
    for index in range(count):
        rng = random.Random(f"citetrace-variants:{seed}:{index}")
        style = random_style(rng, producers[index % len(producers)])
        doc = content.generate(rng, plan_for(style))
        if wide:
            more = random.Random(f"citetrace-variants-wide:{seed}:{index}")
            style = widen(style, more)
            doc = content.shorten(doc, more) if style.short_notes else doc
        if layouts:
            third = random.Random(f"citetrace-variants-layouts:{seed}:{index}")
            style = with_layouts(style, third)
            if style.layouts:
                doc = content.add_layouts(doc, third, style.pullquote, style.sidebar,
                                          style.marker != "bracket" and not style.marker_before_stop)
        variants.append(Variant(index, style, doc))
    return variants


def build(out_dir: Path, count: int, seed: int, producers=PRODUCERS,
          keep_sources: bool = False, wide: bool = False, layouts: bool = False) -> list[Built]:
    """Typeset `count` variants into `out_dir` (PDF + ``.gold.json`` each)."""
    return build_variants(out_dir, make_variants(count, seed, producers, wide, layouts), keep_sources)


def build_variants(out_dir: Path, variants: list[Variant], keep_sources: bool = False) -> list[Built]:
    """Typeset the given variants into `out_dir`; all of one producer in one batch."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    missing = missing_programs({v.style.producer for v in variants})
    if missing:
        raise RuntimeError(f"cannot build variants: {', '.join(missing)} not found on PATH")
    built = []
    for name, (backend, _) in BACKENDS.items():
        mine = [v for v in variants if v.style.producer == name]
        sources = {v.stem: backend.source(v.doc, v.style) for v in mine}
        if keep_sources and name != "reportlab":
            suffix = ".tex" if name == "latex" else ".fodt"
            for stem, text in sources.items():
                (out_dir / f"{stem}{suffix}").write_text(text, encoding="utf-8")
        pdfs = backend.render(sources, out_dir)
        for v in mine:
            record = gold.build_gold(v.doc, v.style, pdfs[v.stem])
            gold_path = out_dir / f"{v.stem}.gold.json"
            gold_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            built.append(Built(v, pdfs[v.stem], gold_path))
    return sorted(built, key=lambda b: b.variant.index)
