"""Ingest progress (issue 17 item 10): a local worker reports each page of the current file
and the language-model steps, so a long file or the model load never looks stuck."""

from __future__ import annotations

from pathlib import Path

from briefs import write_briefs

from citetrace.db.load import ingest


def test_local_workers_report_pages_and_the_model_load(sample, tmp_path):
    pdf, _ = sample
    brief = write_briefs(tmp_path, 1)[0]
    steps: list[tuple] = []
    summary = ingest([str(pdf), str(brief)], str(tmp_path / "p.db"), workers=1,
                     progress=lambda path, step, done, total: steps.append(
                         (Path(path).name if path else None, step, done, total)))
    assert summary.count("ingested") == 2
    sample_steps = [s for s in steps if s[0] == pdf.name]
    # every page of the sample in order, then the model is loaded (once: first file), then used
    assert sample_steps == ([(pdf.name, "pages", n, 10) for n in range(1, 11)]
                            + [(pdf.name, "loading language model", 0, 0),
                               (pdf.name, "language model", 0, 0)])
    assert [s for s in steps if s[0] == brief.name] == [
        (brief.name, "pages", 1, 1), (brief.name, "language model", 0, 0)]
