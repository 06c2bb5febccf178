"""Stages 2, 3 and 5: the real CLI end to end with 1 and 2 workers, the incremental re-run on
unchanged files, and the peak RSS of one worker on the largest file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchkit import CITETRACE, ENTRY, clear_db, json_of, load_average, measure, pages_of


def run(names: list[str], work: Path, results: dict) -> None:
    """Fill results["w1"], ["w2"] and ["incremental"]."""
    for workers in (1, 2):
        db = work / f"ingest-w{workers}.db"
        clear_db(db)
        load = load_average()
        r = measure([CITETRACE, "ingest", *names, "--db", str(db), "--workers", str(workers),
                     "--quiet"], work)
        if r["code"] != 0:
            print(r["stderr"][-2000:], file=sys.stderr)
        r["load_before"], r["load_after"] = load, load_average()
        r["summary"] = r["stdout"].strip().splitlines()[-1] if r["stdout"].strip() else ""
        results[f"w{workers}"] = {k: v for k, v in r.items() if k not in ("stdout", "stderr", "cmd")}
        print(f"ingest --workers {workers}: {r['wall']:.1f}s wall, {r['cpu']:.1f}s CPU, "
              f"peak RSS main {r['main_rss_mb']:.0f} MB, workers "
              f"{', '.join(f'{x:.0f}' for x in r['child_rss_mb'])} MB; {r['summary']}", flush=True)
        if workers == 1:
            again = measure([CITETRACE, "ingest", *names, "--db", str(db), "--workers", "1",
                             "--quiet"], work)
            summary = again["stdout"].strip().splitlines()[-1] if again["stdout"].strip() else ""
            results["incremental"] = {"wall": again["wall"], "cpu": again["cpu"], "summary": summary,
                                      "code": again["code"]}
            print(f"re-ingest unchanged: {again['wall']:.2f}s; {summary}", flush=True)


def run_rss(files: list[Path], work: Path, results: dict) -> None:
    """Fill results["rss"]: one fresh worker process on the largest file."""
    largest = max(files, key=lambda f: (pages_of(f), f.stat().st_size))
    r = measure([sys.executable, ENTRY, "_rss", str(largest)], work)
    results["rss"] = json_of(r)
    print(f"one worker on {largest.name}: peak RSS {results['rss']['peak_rss_mb']:.0f} MB", flush=True)


def cmd_rss(argv: list[str]) -> None:
    """PATH: what one worker does for one file: load the model, process() it; peak RSS."""
    path = argv[0]
    import resource

    from citetrace.ingest.pipeline import Options, process
    from citetrace.ingest.nlp import load_pipeline

    nlp = load_pipeline()
    after_model = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    doc = process(Path(path), nlp, Options())
    print(json.dumps({"file": Path(path).name, "pages": doc.page_count,
                      "seconds": time.perf_counter() - t, "model_rss_mb": after_model,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
