"""Ingest and serving benchmarks (`make bench`, `make bench-quick`); results in docs/benchmarks.md.

Not a test (pytest collects test_*.py only). Run it by hand:

    .venv/bin/python tests/bench/bench_ingest.py            # full run, rewrites docs/benchmarks.md
    .venv/bin/python tests/bench/bench_ingest.py --quick    # a few files, 50 docs, 5 s of load

What is measured, on the same files in the same run (so that results are ratios that survive
a noisy, shared machine):

1. baselines: a bare pdfplumber pass over ``page.chars`` of every page (one process), and
   poppler's ``pdftotext`` (skipped, with a note, when it is not installed);
2. end-to-end ``citetrace ingest FILES --db X --workers 1`` and ``--workers 2`` (the real CLI,
   in a subprocess: wall clock, CPU of the whole process tree, peak RSS of each process);
3. the incremental run: the same command again on the unchanged files (skipped by sha256);
4. time per stage (PDF parsing, layout, notes/markers, passages, citations, NLP, database
   writes), in one process: the real ``extract()`` with its stages wrapped by timers (module
   attributes of ``ingest.extract`` are patched in this process only; the code is not copied,
   so the stages cannot drift from the pipeline's), then ``parse_citations``, ``annotate`` and
   ``write_document``;
5. peak RSS of one worker (model + ``process()``) on the largest corpus file;
6. scale: ``BENCH_DOCS`` (default 1,000) variants of the sample report in one database, then
   Datasette latency (p50/p95) of the reader, a trace and FTS search with 16 concurrent aiohttp
   clients (one connection each) against ``citetrace serve --workers 2`` on 127.0.0.1, first
   uncached (every document, then 1,500 queries, once), then 30 s per view.

Subprocess helpers (``_bare``, ``_stages``, ``_rss``) are this file run with a first argument.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import dataclasses
import hashlib
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one process, one core (as bench_nlp.py)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
CITETRACE = str(BIN / "citetrace")
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
DOCS_MD = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
# Files of the quick run: small and varied (2 columns, footnotes, endnotes).
QUICK_FILES = ("crs_R48903.3.pdf", "wna_recalibrating_risk_2021_endnotes.pdf",
               "grobid_footnotes_test_clef2008_p1.pdf")
# Above this estimate (seconds) the scale database is built by cloning (see build_scale_db).
FULL_BUILD_LIMIT = float(os.environ.get("BENCH_FULL_LIMIT", 25 * 60))
SEED_VARIANTS = 8  # variants ingested through the real pipeline on the clone path

TARGETS = {
    "w1_ratio": 1.4,  # end-to-end, 1 worker / bare pdfplumber char pass
    "w2_ratio": 0.8,  # end-to-end, 2 workers / bare pdfplumber char pass
    "worker_rss_mb": 600,
    "incremental_share": 0.03,
    "fts_p95_ms": 100,
    "reader_p95_ms": 300,
}


# ------------------------------------------------------------------ measuring subprocesses


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run `cmd`; wall clock, CPU (user+sys) of the process tree, peak RSS of the tree
    (wait4) and of each process (VmHWM sampled every 0.2 s), exit code, stdout/stderr."""
    out_f = open(_tmp("stdout.txt"), "w+")
    err_f = open(_tmp("stderr.txt"), "w+")
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, env=env)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            todo = [proc.pid]
            while todo:
                pid = todo.pop()
                hwm = _hwm_kb(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
                    todo += _children(pid)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    err_f.seek(0)
    stdout, stderr = out_f.read(), err_f.read()
    out_f.close()
    err_f.close()
    root_peak = peaks.pop(proc.pid, 0)
    return {
        "cmd": cmd, "code": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
        "maxrss_mb": ru.ru_maxrss / 1024, "main_rss_mb": root_peak / 1024,
        "child_rss_mb": sorted((v / 1024 for v in peaks.values()), reverse=True),
        "stdout": stdout, "stderr": stderr,
    }


def _json_of(run: dict) -> dict:
    if run["code"] != 0:
        raise SystemExit(f"{run['cmd'][:3]} failed ({run['code']}):\n{run['stderr'][-3000:]}")
    return json.loads(run["stdout"].strip().splitlines()[-1])


WORKDIR = Path("/tmp/citetrace-bench")


def _tmp(name: str) -> Path:
    return WORKDIR / name


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, IndexError, ValueError):
        pass
    import pdfplumber
    import pdfminer
    import spacy

    poppler = "-"
    if shutil.which("pdftotext"):
        r = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        poppler = (r.stderr or r.stdout).splitlines()[0].strip()
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "ram": mem, "python": platform.python_version(),
        "pdfplumber": pdfplumber.__version__, "pdfminer": getattr(pdfminer, "__version__", "?"),
        "spacy": spacy.__version__, "pdftotext": poppler,
    }


def pages_of(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


# ------------------------------------------------------------------ helpers run in subprocesses


def cmd_bare(files: list[str]) -> None:
    """The floor: pdfplumber's parse of every page's chars, nothing else."""
    import pdfplumber

    wall, cpu = time.perf_counter(), time.process_time()
    pages = chars = 0
    per_file = {}
    for f in files:
        t = time.process_time()
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages += 1
        per_file[Path(f).name] = time.process_time() - t
    print(json.dumps({"pages": pages, "chars": chars, "wall": time.perf_counter() - wall,
                      "cpu": time.process_time() - cpu, "per_file_cpu": per_file}))


def cmd_miner(files: list[str]) -> None:
    """pdfminer.six alone (what pdfplumber wraps): interpret every page, count LTChar objects.
    Not the target's baseline; it shows what pdfplumber's object dicts cost on top."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    wall, cpu = time.perf_counter(), time.process_time()
    pages = chars = 0
    for f in files:
        with open(f, "rb") as fp:
            document = PDFDocument(PDFParser(fp))
            manager = PDFResourceManager(caching=True)
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(document):
                interpreter.process_page(page)
                chars += sum(1 for o in device.get_result() if isinstance(o, LTChar))
                pages += 1
    print(json.dumps({"pages": pages, "chars": chars, "wall": time.perf_counter() - wall,
                      "cpu": time.process_time() - cpu}))


class StageClock:
    """Accumulates wall and CPU seconds per stage name; a stage run inside another counts
    only for itself (the outer stage's time excludes it)."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._inner: list[list[float]] = []  # per running stage: [wall, cpu] of its inner stages

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def run(self, name: str, fn, *args, **kwargs):
        w, c = time.perf_counter(), time.process_time()
        self._inner.append([0.0, 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            inner_w, inner_c = self._inner.pop()
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            self.add(name, wall - inner_w, cpu - inner_c)
            if self._inner:
                self._inner[-1][0] += wall
                self._inner[-1][1] += cpu

    def wrap(self, name: str, fn):
        def wrapped(*args, **kwargs):
            return self.run(name, fn, *args, **kwargs)

        return wrapped


# extract()'s helpers -> stage. Names missing from ingest.extract (it is being edited) are
# skipped; their time lands in "other extraction".
EXTRACT_STAGES = {
    "_open": "pdf open",
    "_links": "pdf parsing",  # link annotations
    "find_note_zones": "notes/markers",
    "find_endnotes": "notes/markers",
    "split_notes": "notes/markers",
    "_note": "notes/markers",
    "vocabulary": "passages/markers",
    "reading_blocks": "passages/markers",
    "_title": "passages/markers",
    "_passages": "passages/markers",  # text building and marker linking
}


def instrument_extract(clock: StageClock) -> list[str]:
    import citetrace.ingest.extract as ex

    missing = []
    for attr, stage in EXTRACT_STAGES.items():
        if hasattr(ex, attr):
            setattr(ex, attr, clock.wrap(stage, getattr(ex, attr)))
        else:
            missing.append(attr)
    check = getattr(ex, "TextCheck", None)
    if check is not None and hasattr(check, "see_page"):  # a method: wrapped on the class
        check.see_page = clock.wrap("checks", check.see_page)
    else:
        missing.append("TextCheck.see_page")
    import citetrace.ingest.layout as lay

    if hasattr(lay, "page_objects"):
        lay.page_objects = clock.wrap("pdf parsing", lay.page_objects)
    else:
        missing.append("page_objects")
    if hasattr(ex, "analyze"):
        analyze = ex.analyze

        def timed_analyze(pages, *args, **kwargs):
            # pdfminer parses a page's content stream inside ingest.layout.page_objects,
            # per page, within analyze: that call is timed as "pdf parsing" and subtracted
            # from "layout" (the clock's stages are exclusive).
            return clock.run("layout", analyze, pages, *args, **kwargs)

        ex.analyze = timed_analyze
    else:
        missing.append("analyze")
    return missing


def cmd_stages(files: list[str], db_path: str) -> None:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from citetrace.db.store import open_db, write_document
    from citetrace.ingest import EXTRACTOR_VERSION
    from citetrace.ingest.citations import parse_citations
    from citetrace.ingest.extract import extract
    from citetrace.ingest.nlp import annotate, load_pipeline

    clock = StageClock()
    missing = instrument_extract(clock)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    nlp = clock.run("model load", load_pipeline)
    db = open_db(db_path)
    pages = 0
    docs = []
    for f in files:
        before = dict(clock.wall), dict(clock.cpu)
        w, c = time.perf_counter(), time.process_time()
        doc = extract(f)
        ew, ec = time.perf_counter() - w, time.process_time() - c
        inner_w = sum(clock.wall.get(k, 0) - before[0].get(k, 0) for k in clock.wall)
        inner_c = sum(clock.cpu.get(k, 0) - before[1].get(k, 0) for k in clock.cpu)
        clock.add("other extraction", ew - inner_w, ec - inner_c)
        clock.run("citations", parse_citations, doc)
        clock.run("nlp", annotate, nlp, doc)
        clock.run("database writes", write_document, db, doc, EXTRACTOR_VERSION)
        pages += doc.page_count
        docs.append({"file": Path(f).name, "pages": doc.page_count, "passages": len(doc.passages),
                     "notes": len(doc.footnotes), "markers": len(doc.markers),
                     "claims": len(doc.claims), "entities": len(doc.entities)})
    db.conn.close()
    print(json.dumps({"wall": clock.wall, "cpu": clock.cpu, "pages": pages, "docs": docs,
                      "total_wall": time.perf_counter() - wall0,
                      "total_cpu": time.process_time() - cpu0, "missing": missing}))


def cmd_rss(path: str) -> None:
    """What one worker does for one file: load the model, process() it; peak RSS."""
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


# ------------------------------------------------------------------ ingest benchmarks


def bench_ingest(files: list[Path], results: dict) -> None:
    py = sys.executable
    me = str(Path(__file__).resolve())
    names = [str(f) for f in files]
    results["files"] = [{"file": f.name, "pages": pages_of(f), "bytes": f.stat().st_size}
                        for f in files]
    results["pages"] = sum(f["pages"] for f in results["files"])
    print(f"{len(files)} files, {results['pages']} pages; load {load_average()}", flush=True)

    results["bare"] = _json_of(measure([py, me, "_bare", *names]))
    results["bare"]["wall_total"] = results["bare"]["wall"]
    print(f"bare pdfplumber chars pass: {results['bare']['wall']:.1f}s wall, "
          f"{results['bare']['cpu']:.1f}s CPU", flush=True)

    results["miner"] = _json_of(measure([py, me, "_miner", *names]))
    if results["miner"]["chars"] != results["bare"]["chars"]:
        results["miner"]["note"] = f"{results['miner']['chars']} chars vs {results['bare']['chars']}"
    print(f"pdfminer.six alone: {results['miner']['wall']:.1f}s wall, {results['miner']['cpu']:.1f}s CPU",
          flush=True)

    if shutil.which("pdftotext"):
        wall = cpu = 0.0
        for f in names:
            r = measure(["pdftotext", "-q", f, str(_tmp("out.txt"))])
            wall += r["wall"]
            cpu += r["cpu"]
        results["pdftotext"] = {"wall": wall, "cpu": cpu}
        print(f"pdftotext: {wall:.1f}s wall, {cpu:.1f}s CPU", flush=True)
    else:
        results["pdftotext"] = None

    for workers in (1, 2):
        db = _tmp(f"ingest-w{workers}.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        load = load_average()
        r = measure([CITETRACE, "ingest", *names, "--db", str(db), "--workers", str(workers),
                     "--quiet"])
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
                             "--quiet"])
            summary = again["stdout"].strip().splitlines()[-1] if again["stdout"].strip() else ""
            results["incremental"] = {"wall": again["wall"], "cpu": again["cpu"], "summary": summary,
                                      "code": again["code"]}
            print(f"re-ingest unchanged: {again['wall']:.2f}s; {summary}", flush=True)

    for suffix in ("", "-wal", "-shm"):
        Path(f"{_tmp('stages.db')}{suffix}").unlink(missing_ok=True)
    r = measure([py, me, "_stages", *names, "--db", str(_tmp("stages.db"))])
    _tmp("stages.db").unlink(missing_ok=True)
    results["stages"] = _json_of(r)
    results["stages"]["maxrss_mb"] = r["maxrss_mb"]
    print("stages (CPU s): " + ", ".join(f"{k} {v:.1f}" for k, v in results["stages"]["cpu"].items()),
          flush=True)

    largest = max(files, key=lambda f: (pages_of(f), f.stat().st_size))
    r = measure([py, me, "_rss", str(largest)])
    results["rss"] = _json_of(r)
    print(f"one worker on {largest.name}: peak RSS {results['rss']['peak_rss_mb']:.0f} MB", flush=True)


# ------------------------------------------------------------------ scale: N sample variants


def _variant(args) -> str:
    out_dir, n = args
    from citetrace.ingest.sample import build_sample

    return str(build_sample(Path(out_dir), variant=n)[0])


def rename_document(doc, old: str, new: str, sha256: str, filename: str):
    """A copy of `doc` under another file identity, with `old` replaced by `new` (same length,
    so every offset stays valid) in every text: a stand-in for one more variant."""
    assert len(old) == len(new)
    pairs = ((old, new), (f"{old[0]}WRA", f"{new[0]}WRA"))

    def swap(value):
        if isinstance(value, str):
            for a, b in pairs:
                value = value.replace(a, b)
            return value
        if isinstance(value, list):
            return [swap(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: swap(getattr(value, f.name))
                                                 for f in dataclasses.fields(value)})
        return value

    clone = swap(copy.deepcopy(doc))
    clone.sha256, clone.filename = sha256, filename
    clone.path = doc.path  # the seed's PDF: page images show the "sha256 differs" placeholder
    return clone


def build_scale_db(n_docs: int, db_path: Path, results: dict) -> None:
    from citetrace.ingest.sample import file_names, variant_name

    out_dir = _tmp("variants")
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    # Per-document cost first: generate a few variants, ingest them with the real CLI.
    seeds = list(range(1, min(n_docs, SEED_VARIANTS) + 1))
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        seed_paths = list(pool.map(_variant, [(str(out_dir), n) for n in seeds]))
    gen_per_doc = (time.perf_counter() - t) * 2 / len(seeds)  # CPU-seconds-ish: 2 processes
    r = measure([CITETRACE, "ingest", *seed_paths, "--db", str(db_path), "--workers", "2", "--quiet"])
    if r["code"] != 0:
        raise SystemExit(r["stderr"][-2000:])
    ingest_per_doc = r["cpu"] / len(seeds)
    estimate = n_docs * (gen_per_doc + ingest_per_doc) / 2  # two cores
    scale = {"docs": n_docs, "gen_per_doc": gen_per_doc, "ingest_cpu_per_doc": ingest_per_doc,
             "seed_ingest_wall": r["wall"], "estimate_full_s": estimate, "seeds": len(seeds),
             "load_before": load_average()}
    print(f"scale: per document {gen_per_doc:.2f}s to generate, {ingest_per_doc:.2f}s CPU to "
          f"ingest; full path for {n_docs} docs ~{estimate / 60:.1f} min on 2 cores", flush=True)

    t = time.perf_counter()
    if estimate <= FULL_BUILD_LIMIT:
        scale["path"] = "full"
        rest = list(range(len(seeds) + 1, n_docs + 1))
        with ProcessPoolExecutor(2) as pool:
            paths = list(pool.map(_variant, [(str(out_dir), n) for n in rest], chunksize=4))
        scale["generate_s"] = time.perf_counter() - t
        r = measure([CITETRACE, "ingest", *paths, "--db", str(db_path), "--workers", "2", "--quiet"])
        if r["code"] != 0:
            raise SystemExit(r["stderr"][-2000:])
        scale["ingest_s"] = r["wall"]
    else:
        scale["path"] = "clone"
        from citetrace.db.store import open_db, write_document
        from citetrace.ingest import EXTRACTOR_VERSION
        from citetrace.ingest.nlp import load_pipeline
        from citetrace.ingest.pipeline import Options, process

        nlp = load_pipeline()
        seed_docs = [process(Path(p), nlp, Options()) for p in seed_paths]
        scale["seed_process_s"] = time.perf_counter() - t
        db = open_db(str(db_path))
        writes = []
        t = time.perf_counter()
        for n in range(len(seeds) + 1, n_docs + 1):
            k = (n - 1) % len(seeds)
            clone = rename_document(seed_docs[k], variant_name(seeds[k]), variant_name(n),
                                    hashlib.sha256(f"citetrace-bench-clone-{n}".encode()).hexdigest(),
                                    file_names(n)[0])
            w = time.perf_counter()
            write_document(db, clone, EXTRACTOR_VERSION)
            writes.append(time.perf_counter() - w)
        db.conn.close()
        scale["clone_s"] = time.perf_counter() - t
        if writes:
            head, tail = writes[:50], writes[-50:]
            scale["write_ms_first50"] = 1000 * statistics.mean(head)
            scale["write_ms_last50"] = 1000 * statistics.mean(tail)
            scale["write_ms_mean"] = 1000 * statistics.mean(writes)
        print(f"cloned {len(writes)} documents in {scale['clone_s']:.1f}s", flush=True)

    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("documents", "passages", "footnotes", "claims", "citations", "entities",
                        "sources", "entity_names")}
    conn.close()
    scale["counts"] = counts
    scale["db_mb"] = db_path.stat().st_size / 1e6
    scale["build_s"] = time.perf_counter() - t
    results["scale"] = scale
    print(f"scale database: {counts['documents']} documents, {scale['db_mb']:.1f} MB", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _load(urls: list[str], clients: int, seconds: float | None) -> dict:
    """Closed loop: each client sends its next request when the last one is answered.

    Each client has its own connection (its own aiohttp session, one connection). The load
    runs on the server's 2 CPUs, so the client must cost little: measured on the uncached
    search pass, httpx clients (one each) used 37% of a core and left the server p95 at
    ~90 ms; aiohttp clients 13% of a core, p95 65 ms (one shared httpx pool was worse
    still: it serialises the clients on its lock). ``seconds=None``: every URL exactly once,
    in order (the uncached pass). ``client_cpu``: the share of one core the load used.
    """
    import aiohttp

    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.perf_counter() + (seconds or 1e9)
    rng = random.Random(7)
    queue = iter(urls)

    def next_url():
        if seconds is None:
            return next(queue, None)
        return rng.choice(urls) if time.perf_counter() < stop else None

    async def worker():
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1),
                                         timeout=timeout) as client:
            while (url := next_url()) is not None:
                t = time.perf_counter()
                try:
                    async with client.get(url, allow_redirects=False) as r:
                        await r.read()
                        ok = r.status == 200
                        key = str(r.status)
                except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                    ok, key = False, type(e).__name__
                if ok:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors[key] = errors.get(key, 0) + 1

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu
    latencies.sort()

    def q(p):
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else None

    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": q(0.50), "p95_ms": q(0.95), "p99_ms": q(0.99),
            "max_ms": 1000 * latencies[-1] if latencies else None,
            "client_cpu": cpu / elapsed}


def search_terms(conn, n: int, rng: random.Random) -> list[str]:
    """The 10 fixed queries (common words to one country name) and ``n`` more drawn from the
    passages' own words: one word, two words, or a two-word phrase."""
    from citetrace.ingest.sample import variant_name

    docs = conn.execute("select count(*) from documents").fetchone()[0]
    fixed = ["tariff", "lifeline block", '"water tariff"', "rebate", "regulat*",
             "collection OR arrears", "household survey", "cost recovery",
             variant_name(min(docs, 500)), "Brennock Institute"]
    ids = [r[0] for r in conn.execute("select id from passages")]
    words: list[list[str]] = []
    for pid in rng.sample(ids, min(len(ids), 400)):
        text = conn.execute("select text from passages where id = ?", [pid]).fetchone()[0]
        found = re.findall(r"[A-Za-z]{4,}", text or "")
        if len(found) >= 2:
            words.append(found)
    terms = list(fixed)
    for _ in range(50 * n):
        if len(terms) >= len(fixed) + n or not words:
            break
        found = rng.choice(words)
        i = rng.randrange(len(found) - 1)
        shape = rng.random()
        term = (found[i] if shape < 0.6 else f"{found[i]} {rng.choice(found)}" if shape < 0.9
                else f'"{found[i]} {found[i + 1]}"')
        if term not in terms:
            terms.append(term)
    return terms


def bench_serve(db_path: Path, clients: int, seconds: float, results: dict,
                workers: int = 1) -> None:
    import sqlite3

    import httpx

    conn = sqlite3.connect(db_path)
    doc_ids = [r[0] for r in conn.execute("select id from documents")]
    claim_ids = [r[0] for r in conn.execute(
        "select distinct claim_id from claim_footnotes order by claim_id")]
    rng = random.Random(11)
    terms = search_terms(conn, 1790, rng)
    conn.close()
    name = db_path.stem
    port = _free_port()
    base = f"http://127.0.0.1:{port}/{name}/-/citetrace"
    # Every document and many distinct queries: the reader caches rendered passages per
    # database snapshot, so a few hot URLs would measure the cache, not the work.
    readers = [f"{base}/documents/{i}" for i in rng.sample(doc_ids, len(doc_ids))]
    plans = {
        "reader": readers,
        "trace": [f"{base}/claims/{i}" for i in rng.sample(claim_ids, min(200, len(claim_ids)))],
        "search": [str(httpx.URL(f"{base}/search", params={"q": t})) for t in terms[:300]],
    }
    # Search results are cached too: the uncached pass runs other queries, each once.
    cold_searches = [str(httpx.URL(f"{base}/search", params={"q": t})) for t in terms[300:]]
    log = open(_tmp("serve.log"), "w")
    cmd = [CITETRACE, "serve", str(db_path), "--port", str(port)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("citetrace serve did not start: see " + str(_tmp("serve.log")))
        out = {"clients": clients, "seconds": seconds, "workers": workers,
               "distinct_urls": {**{v: len(u) for v, u in plans.items()},
                                 "uncached search": len(cold_searches)},
               "load_before": load_average()}
        # Uncached first, before anything is cached (no warm-up): every document once, then
        # queries the timed search run does not use, each once; one client alone takes the
        # first sixth, the clients together the rest.
        for view, urls in (("reader_cold", readers), ("search_cold", cold_searches)):
            alone = len(urls) // 6
            if len(urls) - alone < 2 * clients:
                continue
            one = asyncio.run(_load(urls[:alone], 1, None))
            out[view] = asyncio.run(_load(urls[alone:], clients, None))
            out[view]["one_client"] = one
            out[view]["example"] = urls[alone].replace(f"http://127.0.0.1:{port}", "")
            print(f"{view}: p50 {out[view]['p50_ms']:.0f} ms, p95 {out[view]['p95_ms']:.0f} ms, "
                  f"{out[view]['rps']:.0f} req/s, {out[view]['requests']} requests", flush=True)
        for view, urls in plans.items():
            for u in urls[:3]:  # warm-up (and a check that the views answer)
                r = httpx.get(u, timeout=60)
                if r.status_code != 200:
                    raise SystemExit(f"{u}: HTTP {r.status_code}")
            out[view] = asyncio.run(_load(urls, clients, seconds))
            out[view]["example"] = urls[0].replace(f"http://127.0.0.1:{port}", "")
            out[view]["one_client"] = asyncio.run(_load(urls, 1, min(seconds, 5.0)))
            print(f"{view}: p50 {out[view]['p50_ms']:.0f} ms, p95 {out[view]['p95_ms']:.0f} ms, "
                  f"{out[view]['rps']:.0f} req/s, errors {out[view]['errors']}", flush=True)
        out["load_after"] = load_average()
        results["serve"] = out
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# ------------------------------------------------------------------ report


def _f(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: dict) -> str:
    m = results["machine"]
    L = []
    kind = "quick" if results["quick"] else "partial" if results.get("partial") else "full"
    L.append(f"Run {results['started']} ({kind} run, "
             f"{results['seconds'] / 60:.1f} min). Machine: {m['nproc']} CPUs ({m['cpu']}), "
             f"{m['ram']} RAM, Python {m['python']}, pdfplumber {m['pdfplumber']} "
             f"(pdfminer.six {m['pdfminer']}), spaCy {m['spacy']}, {m['pdftotext']}. "
             f"Load average (1/5/15 min) at start {results['load_start']}, at end {results['load_end']}.")
    L.append("")
    if "bare" in results:
        pages = results["pages"]
        bare, w1, w2, inc = results["bare"], results["w1"], results["w2"], results["incremental"]
        pt = results.get("pdftotext")
        r1, r2 = w1["wall"] / bare["wall"], w2["wall"] / bare["wall"]
        c1, c2 = w1["cpu"] / bare["cpu"], w2["cpu"] / bare["cpu"]
        worker_rss = max([results["rss"]["peak_rss_mb"]] + w1["child_rss_mb"][:1] + w2["child_rss_mb"][:2])
        share = inc["wall"] / w1["wall"]
        L.append(f"### Ingest: {len(results['files'])} files, {pages} pages")
        L.append("")
        L.append("Files: " + ", ".join(f"{f['file']} ({f['pages']})" for f in results["files"]) + ".")
        L.append("")
        L.append("| run | wall s | pages/s | CPU s (all processes) | wall / bare pass | CPU / bare pass | peak RSS |")
        L.append("|---|---:|---:|---:|---:|---:|---|")
        L.append(f"| bare pdfplumber `page.chars` pass (1 process) | {_f(bare['wall'])} | "
                 f"{_f(pages / bare['wall'])} | {_f(bare['cpu'])} | 1.00 | 1.00 | |")
        mi = results.get("miner")
        if mi:
            L.append(f"| (reference) pdfminer.six alone, no pdfplumber objects | {_f(mi['wall'])} | "
                     f"{_f(pages / mi['wall'])} | {_f(mi['cpu'])} | {_f(mi['wall'] / bare['wall'], 2)} | "
                     f"{_f(mi['cpu'] / bare['cpu'], 2)} | |")
        if pt:
            L.append(f"| `pdftotext` (poppler), file by file | {_f(pt['wall'])} | {_f(pages / pt['wall'], 0)} | "
                     f"{_f(pt['cpu'])} | {_f(pt['wall'] / bare['wall'], 3)} | {_f(pt['cpu'] / bare['cpu'], 3)} | |")
        else:
            L.append("| `pdftotext` | - | - | - | - | - | not installed (`apt-get install -y poppler-utils`) |")
        for key, label in (("w1", "`citetrace ingest --workers 1`"), ("w2", "`citetrace ingest --workers 2`")):
            r = results[key]
            workers = ", ".join(f"{x:.0f}" for x in r["child_rss_mb"][:int(key[1])])
            L.append(f"| {label} | {_f(r['wall'])} | {_f(pages / r['wall'])} | {_f(r['cpu'])} | "
                     f"{_f(r['wall'] / bare['wall'], 2)} | {_f(r['cpu'] / bare['cpu'], 2)} | "
                     f"main {r['main_rss_mb']:.0f} MB, worker(s) {workers} MB |")
        L.append(f"| re-ingest, unchanged (skipped by sha256) | {_f(inc['wall'], 2)} | | {_f(inc['cpu'], 2)} | "
                 f"{_f(inc['wall'] / bare['wall'], 3)} | | |")
        L.append("")
        L.append(f"Load average during `--workers 1`: {w1['load_before']} → {w1['load_after']}; "
                 f"`--workers 2`: {w2['load_before']} → {w2['load_after']}. CLI summaries: "
                 f"`{w1['summary']}` / `{w2['summary']}` / `{inc['summary']}`.")
        L.append("")
        st = results["stages"]
        total_cpu = sum(st["cpu"].values())
        L.append("#### Time per stage (one process, same files)")
        L.append("")
        L.append("| stage | CPU s | share | wall s | x bare pass (CPU) |")
        L.append("|---|---:|---:|---:|---:|")
        order = ["model load", "pdf open", "pdf parsing", "layout", "checks", "notes/markers",
                 "passages/markers", "other extraction", "citations", "nlp", "database writes"]
        for k in order + [k for k in st["cpu"] if k not in order]:
            if k in st["cpu"]:
                L.append(f"| {k} | {_f(st['cpu'][k], 2)} | {100 * st['cpu'][k] / total_cpu:.1f}% | "
                         f"{_f(st['wall'][k], 2)} | {_f(st['cpu'][k] / bare['cpu'], 2)} |")
        L.append(f"| **total** | {_f(total_cpu, 2)} | 100% | {_f(sum(st['wall'].values()), 2)} | "
                 f"{_f(total_cpu / bare['cpu'], 2)} |")
        L.append("")
        L.append("\"pdf parsing\" is pdfminer building each page's layout tree and "
                 "`ingest.lines.page_objects` reading its chars and rules from it, plus link annotations; \"layout\" is `ingest.layout.analyze` "
                 "on parsed pages (glyphs, rows, words, furniture, columns); \"notes/markers\" is "
                 "`find_note_zones`, `find_endnotes`, `split_notes` and the note texts; "
                 "\"passages/markers\" is `reading_blocks`, the title, passage texts and marker linking; "
                 "\"other extraction\" is the rest of `extract()` (sha256, page sizes, closing the PDF)."
                 + (f" Not instrumented (renamed in ingest/extract.py?): {', '.join(st['missing'])}."
                    if st.get("missing") else ""))
        L.append("")
        rss = results["rss"]
        L.append(f"One worker on the largest file, {rss['file']} ({rss['pages']} pages): model loaded "
                 f"{rss['model_rss_mb']:.0f} MB, peak {rss['peak_rss_mb']:.0f} MB "
                 f"(process() took {rss['seconds']:.1f}s).")
        L.append("")
    if "scale" in results and "path" in results["scale"]:
        s = results["scale"]
        L.append(f"### Scale: {s['counts']['documents']} documents")
        L.append("")
        how = (f"**full path**: {s['docs']} variants generated (`build_sample(out, variant=n)`) and "
               f"ingested with `citetrace ingest --workers 2`"
               if s["path"] == "full" else
               f"**clone path**: {s['seeds']} variants generated and run through the real pipeline "
               f"(`citetrace ingest --workers 2` for the cost estimate, then `ingest.pipeline.process`); "
               f"the other {s['docs'] - s['seeds']} documents are copies of those `Document` objects "
               f"re-keyed (sha256, filename) with the variant's country name swapped in every text "
               f"(same length, so offsets stay valid), written with `db.store.write_document`")
        L.append(f"Built by the {how}. Per-document cost measured first: {s['gen_per_doc']:.2f}s to "
                 f"generate a variant, {s['ingest_cpu_per_doc']:.2f}s CPU to ingest it; the full path "
                 f"would take ~{s['estimate_full_s'] / 60:.0f} min on 2 cores "
                 f"(limit {FULL_BUILD_LIMIT / 60:.0f} min, `BENCH_FULL_LIMIT`).")
        if s["path"] == "clone" and "write_ms_mean" in s:
            L.append(f" `write_document`: {s['write_ms_mean']:.0f} ms per document on average "
                     f"({s['write_ms_first50']:.0f} ms for the first 50, {s['write_ms_last50']:.0f} ms "
                     f"for the last 50); {s['clone_s']:.0f}s for all clones.")
        c = s["counts"]
        L.append("")
        L.append(f"Database: **{s['db_mb']:.0f} MB** (after a WAL checkpoint) with {c['documents']} documents, "
                 f"{c['passages']} passages, {c['footnotes']} notes, {c['claims']} claims, "
                 f"{c['citations']} citations, {c['sources']} sources, {c['entities']} entities "
                 f"({c['entity_names']} names).")
        L.append("")
    if "serve" in results:
        sv = results["serve"]
        L.append(f"#### Datasette latency, {sv['clients']} concurrent clients, {sv['seconds']:.0f}s per view")
        L.append("")
        L.append("| view | example | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
                 "client CPU | 1 client: p50 / p95 ms |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|")
        labels = {"reader_cold": "reader, uncached (each document once)",
                  "search_cold": "search, uncached (each query once)"}
        for view in ("reader_cold", "reader", "trace", "search_cold", "search"):
            if view not in sv:
                continue
            v = sv[view]
            one = v.get("one_client") or {}
            L.append(f"| {labels.get(view, view)} | `{v['example']}` | {v['requests']} | {_f(v['rps'])} | "
                     f"{_f(v['p50_ms'], 0)} | {_f(v['p95_ms'], 0)} | {_f(v['p99_ms'], 0)} | "
                     f"{_f(v['max_ms'], 0)} | {v['errors'] or 0} | "
                     f"{_f(100 * v['client_cpu'], 0) + '%' if 'client_cpu' in v else ''} | "
                     f"{_f(one.get('p50_ms'), 0)} / {_f(one.get('p95_ms'), 0)} |")
        L.append("")
        workers = sv.get("workers", 1)
        distinct = sv.get("distinct_urls") or {}
        L.append(f"Closed loop: each of the {sv['clients']} clients (one connection each) sends its next "
                 f"request when the last one is answered, so p50 ≈ clients / throughput. `citetrace serve` "
                 f"({'one Datasette process' if workers == 1 else f'{workers} worker processes'}) and the "
                 f"aiohttp clients share the machine's {m['nproc']} CPUs (client CPU: the share "
                 f"of one core the load generator used). Distinct URLs: "
                 + ", ".join(f"{k} {n}" for k, n in distinct.items())
                 + ". The server caches rendered reader passages and search results per database "
                 "snapshot (plugins/cache.py, 64 MB); the uncached rows fetch every document once, "
                 "then queries the timed search run does not use, each once, from a freshly started "
                 "server: every request is a miss (their last column: one client alone on the first "
                 f"sixth of those URLs). The "
                 f"last column is the same URLs from one client for 5 s (service time without queueing). "
                 f"Load average {sv['load_before']} → {sv['load_after']}.")
        L.append("")
    # targets
    L.append("### Targets")
    L.append("")
    L.append("| target | measured | |")
    L.append("|---|---|---|")
    if "bare" in results:
        L.append(f"| end-to-end, 1 worker ≤ {TARGETS['w1_ratio']}x bare char pass | {r1:.2f}x wall "
                 f"({c1:.2f}x CPU) | {_verdict(r1 <= TARGETS['w1_ratio'])} |")
        L.append(f"| end-to-end, 2 workers ≤ {TARGETS['w2_ratio']}x bare char pass | {r2:.2f}x wall "
                 f"({c2:.2f}x CPU) | {_verdict(r2 <= TARGETS['w2_ratio'])} |")
        L.append(f"| peak RSS per worker < {TARGETS['worker_rss_mb']} MB on the largest file | "
                 f"{worker_rss:.0f} MB | {_verdict(worker_rss < TARGETS['worker_rss_mb'])} |")
        L.append(f"| re-ingest unchanged < {100 * TARGETS['incremental_share']:.0f}% of full | "
                 f"{100 * share:.1f}% ({inc['wall']:.2f}s / {w1['wall']:.1f}s) | "
                 f"{_verdict(share < TARGETS['incremental_share'])} |")
    if "serve" in results:
        f95, r95 = sv["search"]["p95_ms"], sv["reader"]["p95_ms"]
        n = results["scale"]["counts"]["documents"]
        L.append(f"| {n}-doc database: FTS p95 < {TARGETS['fts_p95_ms']} ms | {f95:.0f} ms | "
                 f"{_verdict(f95 < TARGETS['fts_p95_ms'])} |")
        L.append(f"| {n}-doc database: reader p95 < {TARGETS['reader_p95_ms']} ms | {r95:.0f} ms | "
                 f"{_verdict(r95 < TARGETS['reader_p95_ms'])} |")
        if "reader_cold" in sv:
            c95 = sv["reader_cold"]["p95_ms"]
            L.append(f"| {n}-doc database: reader p95 < {TARGETS['reader_p95_ms']} ms, uncached | "
                     f"{c95:.0f} ms | {_verdict(c95 < TARGETS['reader_p95_ms'])} |")
        if "search_cold" in sv:
            c95 = sv["search_cold"]["p95_ms"]
            L.append(f"| {n}-doc database: FTS p95 < {TARGETS['fts_p95_ms']} ms, uncached | "
                     f"{c95:.0f} ms | {_verdict(c95 < TARGETS['fts_p95_ms'])} |")
        L.append(f"| (not a target) trace p95 | {sv['trace']['p95_ms']:.0f} ms | |")
    L.append("")
    return "\n".join(L)


def write_markdown(path: Path, body: str) -> None:
    block = f"{START}\n{body}\n{END}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START in text and END in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    else:
        text = f"# Benchmarks\n\n## Results\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ main


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_bare":
        cmd_bare(argv[1:])
        return 0
    if argv and argv[0] == "_miner":
        cmd_miner(argv[1:])
        return 0
    if argv and argv[0] == "_stages":
        i = argv.index("--db")
        cmd_stages(argv[1:i], argv[i + 1])
        return 0
    if argv and argv[0] == "_rss":
        cmd_rss(argv[1])
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 corpus files + the sample, 50 docs, 5 s of load per view")
    parser.add_argument("--out", type=Path, default=None,
                        help="markdown file to update (default: docs/benchmarks.md for a full run, "
                             "WORKDIR/benchmarks-partial.md for a quick or partial one)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citetrace-bench"))
    parser.add_argument("--docs", type=int, default=None, help="scale documents (env BENCH_DOCS)")
    parser.add_argument("--seconds", type=float, default=None, help="load per view (default 30, quick 5)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--serve-workers", type=int, default=2,
                        help="worker processes for `citetrace serve --workers` (default 2: "
                             "one Datasette process is bound to one core by the GIL)")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--serve-only", type=Path, default=None,
                        help="only measure the latency of this existing database")
    args = parser.parse_args(argv)

    global WORKDIR
    WORKDIR = args.workdir
    WORKDIR.mkdir(parents=True, exist_ok=True)
    n_docs = args.docs or int(os.environ.get("BENCH_DOCS", 50 if args.quick else 1000))
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    partial = args.quick or args.skip_ingest or args.skip_scale or args.serve_only
    out = args.out or (WORKDIR / "benchmarks-partial.md" if partial else DOCS_MD)

    started = time.perf_counter()
    results: dict = {"quick": args.quick, "partial": bool(partial),
                     "started": time.strftime("%Y-%m-%d %H:%M"),
                     "load_start": load_average(), "machine": machine()}
    print(f"machine: {results['machine']}; load {results['load_start']}", flush=True)

    if not args.skip_ingest:
        from citetrace.ingest.sample import build_sample

        sample_pdf = build_sample(WORKDIR / "sample")[0]
        if not CORPUS.is_dir():
            print(f"warning: {CORPUS} not found: the sample report only", file=sys.stderr)
        corpus = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
        if args.quick:
            corpus = [f for f in corpus if f.name in QUICK_FILES]
        bench_ingest(corpus + [sample_pdf], results)
    if args.serve_only:
        import sqlite3

        conn = sqlite3.connect(args.serve_only)
        n = conn.execute("select count(*) from documents").fetchone()[0]
        conn.close()
        results["scale"] = {"counts": {"documents": n}}
        bench_serve(args.serve_only, args.clients, seconds, results, args.serve_workers)
    elif not args.skip_scale:
        db_path = WORKDIR / "scale.db"
        build_scale_db(n_docs, db_path, results)
        bench_serve(db_path, args.clients, seconds, results, args.serve_workers)

    results["load_end"] = load_average()
    results["seconds"] = time.perf_counter() - started
    (WORKDIR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    body = render(results)
    write_markdown(out, body)
    print(body)
    print(f"wrote {out} (raw numbers: {WORKDIR / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
