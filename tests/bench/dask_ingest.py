"""Stage 7: ingest on Dask (``--executor dask://``) against a distributed.LocalCluster of 2
worker processes (one thread each, started here on 127.0.0.1, dashboard off).

1. overhead: the same files through the cluster and through ``--workers 2`` (the real CLI,
   alternating, ``rounds`` times each; the best wall clock of each is compared);
2. client memory: ``docs`` one-page reports (tests/briefs.py) through the cluster, the client's
   peak RSS (target < 500 MB: in-flight work is bounded, so it must not grow with the batch).

Run alone: ``bench_ingest.py --only dask [--quick]``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchkit import CITETRACE, ROOT, clear_db, load_average, measure

sys.path.insert(0, str(ROOT / "tests"))
from briefs import write_briefs  # noqa: E402  (tests/briefs.py: the tests' small reports)

# Worker processes of the cluster: single-threaded numpy, as in the local workers' benchmark.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _cluster():
    from distributed import LocalCluster

    return LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                        worker_dashboard_address=None)


def _ingest(names: list[str], db: Path, work: Path, executor: str) -> dict:
    clear_db(db)
    load = load_average()
    r = measure([CITETRACE, "ingest", *names, "--db", str(db), "--executor", executor, "--quiet"], work)
    if r["code"] not in (0, 1):  # 1: a file failed, reported like any run
        raise SystemExit(f"{executor}: exit {r['code']}:\n{r['stderr'][-2000:]}")
    r["summary"] = r["stdout"].strip().splitlines()[0] if r["stdout"].strip() else ""
    r["load_before"], r["load_after"] = load, load_average()
    return {k: v for k, v in r.items() if k not in ("stdout", "stderr", "cmd")}


def run(names: list[str], work: Path, results: dict, rounds: int = 2) -> None:
    """Fill results["dask"]["overhead"]: best of `rounds` runs each, alternating."""
    runs: dict[str, list[dict]] = {"dask": [], "local": []}
    with _cluster() as cluster:
        address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        for n in range(rounds):
            for key, executor in (("dask", address), ("local", "local:2")):
                r = _ingest(names, work / f"overhead-{key}.db", work, executor)
                runs[key].append(r)
                print(f"round {n + 1}: {executor}: {r['wall']:.1f}s wall; load {r['load_before']}; "
                      f"{r['summary']}", flush=True)
    best = {k: min(v, key=lambda r: r["wall"]) for k, v in runs.items()}
    results.setdefault("dask", {})["overhead"] = {
        "rounds": rounds, "files": len(names), "dask": best["dask"], "local": best["local"],
        "walls": {k: [r["wall"] for r in v] for k, v in runs.items()},
        "ratio": best["dask"]["wall"] / best["local"]["wall"]}
    print(f"dask / local (2 workers each), best of {rounds}: "
          f"{best['dask']['wall']:.1f}s / {best['local']['wall']:.1f}s = "
          f"{best['dask']['wall'] / best['local']['wall']:.2f}", flush=True)


def run_scale(n_docs: int, work: Path, results: dict) -> None:
    """Fill results["dask"]["scale"]: `n_docs` small reports through the cluster."""
    names = [str(p) for p in write_briefs(work / "briefs", n_docs)]
    with _cluster() as cluster:
        address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        r = _ingest(names, work / "dask-scale.db", work, address)
    results.setdefault("dask", {})["scale"] = {"docs": n_docs, **r}
    print(f"{n_docs} documents on Dask: {r['wall']:.1f}s wall, client peak RSS "
          f"{r['main_rss_mb']:.0f} MB; {r['summary']}", flush=True)


def render(results: dict) -> list[str]:
    """The Markdown rows of this stage."""
    d = results.get("dask")
    if not d:
        return []
    L = ["### Ingest on Dask (LocalCluster, 2 worker processes, 1 thread each)", ""]
    if "overhead" in d:
        o = d["overhead"]
        L += ["| run | best wall s | walls s | CPU s (client tree) | load before |", "|---|---:|---|---:|---|"]
        for key, label in (("dask", "`--executor dask://` (LocalCluster)"), ("local", "`--executor local:2`")):
            r = o[key]
            L.append(f"| {label} | {r['wall']:.1f} | {', '.join(f'{w:.1f}' for w in o['walls'][key])} | "
                     f"{r['cpu']:.1f} | {r['load_before']} |")
        L += ["", f"Overhead of Dask over local workers ({o['files']} files, best of {o['rounds']}): "
              f"{o['ratio']:.2f}x (target <= 1.15). CLI summary on Dask: `{o['dask']['summary']}`.", ""]
    if "scale" in d:
        s = d["scale"]
        L += [f"{s['docs']} one-page documents on Dask: {s['wall']:.1f}s wall, client peak RSS "
              f"{s['main_rss_mb']:.0f} MB (target < 500 MB); load {s['load_before']} → {s['load_after']}. "
              f"`{s['summary']}`", ""]
    return L
