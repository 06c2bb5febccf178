"""The bundled sample report: an invented policy brief typeset by citetrace with exact gold.

``build_sample(out_dir)`` writes ``citetrace-sample.pdf`` and ``citetrace-sample.gold.json``.
The PDF is laid out line by line by our own code (:mod:`.layout`), so the gold file records
where every note, marker and block really landed instead of guessing it from the PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import content, gold, layout, typeset

PDF_NAME = "citetrace-sample.pdf"
GOLD_NAME = "citetrace-sample.gold.json"


def build_sample(out_dir: Path) -> tuple[Path, Path]:
    """Typeset the sample report; return (pdf path, gold path).  Same bytes on every run."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = content.REPORT
    lay = layout.compose(report)
    pdf = typeset.render(report, lay)
    pdf_path, gold_path = out_dir / PDF_NAME, out_dir / GOLD_NAME
    pdf_path.write_bytes(pdf)
    record = gold.build_gold(report, lay, pdf, PDF_NAME)
    gold_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pdf_path, gold_path


__all__ = ["build_sample", "PDF_NAME", "GOLD_NAME"]
