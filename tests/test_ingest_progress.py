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


def test_a_worker_loads_the_model_out_of_the_collectors_way_on_one_blas_thread():
    """What a worker process holds after its model load (a fresh interpreter, as a worker)."""
    import json
    import os
    import subprocess
    import sys

    code = ("import gc, json; from threadpoolctl import threadpool_info; "
            "from citetrace.ingest.pipeline import _Loader; _Loader(None)(); "
            "print(json.dumps([gc.get_threshold(), gc.get_freeze_count(), "
            "[p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas']]))")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout
    thresholds, frozen, blas_threads = json.loads(out)
    from citetrace.ingest.pipeline import WORKER_GC_THRESHOLDS

    assert tuple(thresholds) == WORKER_GC_THRESHOLDS
    assert frozen > 50_000  # the model's objects
    assert blas_threads and set(blas_threads) == {1}
