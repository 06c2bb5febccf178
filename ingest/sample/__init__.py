"""The bundled sample report: an invented policy brief typeset by citetrace with exact gold.

``build_sample(out_dir)`` writes ``citetrace-sample.pdf`` and ``citetrace-sample.gold.json``.
The PDF is laid out line by line by our own code (:mod:`.compose`), so the gold file records
where every note, marker and block really landed instead of guessing it from the PDF.

``build_sample(out_dir, variant=n)`` (n >= 1) typesets a variant of the same report for
benchmarks: another invented country name (as long as "Lorvane"), brief number and month,
hence other bytes, written as ``citetrace-sample-v<n>.pdf`` (and its gold file). Variants are
deterministic too; variant 0 is the bundled report itself.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from . import compose, content, gold, typeset

PDF_NAME = "citetrace-sample.pdf"
GOLD_NAME = "citetrace-sample.gold.json"

COUNTRY = "Lorvane"
# Variant names: consonant-vowel patterns like "Lorvane", always 7 letters, never "Lorvane".
_PARTS = (
    "BDFGHKMNPRSTVZ",  # no L: a variant never spells the original name
    "aeiou",
    "lmnrs",
    "bdgktv",
    "aeio",
    "dlnrs",
    "aeo",
)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def variant_name(variant: int) -> str:
    """The invented country of a variant: 0 -> "Lorvane", n -> a distinct 7-letter name."""
    if variant == 0:
        return COUNTRY
    total = 1
    for part in _PARTS:
        total *= len(part)
    if not 0 < variant < total:
        raise ValueError(f"variant must be in 0..{total - 1}")
    index = (variant * 7919) % total  # 7919 is prime and does not divide `total`: a bijection
    letters = []
    for part in _PARTS:
        index, i = divmod(index, len(part))
        letters.append(part[i])
    return "".join(letters)


def variant_report(variant: int) -> content.Report:
    """The report of a variant (0: the bundled report, unchanged)."""
    report = content.REPORT
    if variant == 0:
        return report
    name = variant_name(variant)
    month = _MONTHS[variant % 12]
    pairs = (
        (COUNTRY, name),
        ("LWRA", f"{name[0]}WRA"),
        ("Policy Brief No. 17", f"Policy Brief No. {17 + variant}"),
        ("October 2024", f"{month} 2024"),
    )

    def swap(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    def swap_block(block):
        if isinstance(block, content.Figure):
            return dataclasses.replace(block, caption=swap(block.caption))
        if isinstance(block, (content.Heading, content.Paragraph, content.PullQuote)):
            return dataclasses.replace(block, text=swap(block.text))
        return block

    return dataclasses.replace(
        report,
        title=swap(report.title),
        authors=swap(report.authors),
        abstract=swap(report.abstract),
        body=tuple(swap_block(b) for b in report.body),
        notes={key: swap(text) for key, text in report.notes.items()},
        running_header=swap(report.running_header),
        running_footer=swap(report.running_footer),
    )


def file_names(variant: int = 0) -> tuple[str, str]:
    """(pdf name, gold name) of a variant."""
    if variant == 0:
        return PDF_NAME, GOLD_NAME
    stem = f"citetrace-sample-v{variant:04d}"
    return f"{stem}.pdf", f"{stem}.gold.json"


def build_sample(out_dir: Path, variant: int = 0) -> tuple[Path, Path]:
    """Typeset the sample report (or one of its variants); return (pdf path, gold path).
    Same bytes on every run."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = variant_report(variant)
    lay = compose.compose(report)
    pdf = typeset.render(report, lay)
    pdf_name, gold_name = file_names(variant)
    pdf_path, gold_path = out_dir / pdf_name, out_dir / gold_name
    pdf_path.write_bytes(pdf)
    record = gold.build_gold(report, lay, pdf, pdf_name)
    gold_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pdf_path, gold_path


__all__ = ["build_sample", "variant_name", "variant_report", "file_names", "PDF_NAME", "GOLD_NAME"]
