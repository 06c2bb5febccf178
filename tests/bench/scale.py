"""Stage 6a: the scale database, BENCH_DOCS variants of the sample report, built through the
real CLI or, when that would take too long, by cloning a few really ingested documents."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import shutil
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchkit import CITETRACE, clear_db, load_average, measure

# Above this estimate (seconds) the scale database is built by cloning (see build_scale_db).
FULL_BUILD_LIMIT = float(os.environ.get("BENCH_FULL_LIMIT", 25 * 60))
SEED_VARIANTS = 8  # variants ingested through the real pipeline on the clone path


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


def build_scale_db(n_docs: int, db_path: Path, work: Path, results: dict) -> None:
    from citetrace.ingest.sample import file_names, variant_name

    out_dir = work / "variants"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    clear_db(db_path)

    # Per-document cost first: generate a few variants, ingest them with the real CLI.
    seeds = list(range(1, min(n_docs, SEED_VARIANTS) + 1))
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        seed_paths = list(pool.map(_variant, [(str(out_dir), n) for n in seeds]))
    gen_per_doc = (time.perf_counter() - t) * 2 / len(seeds)  # CPU-seconds-ish: 2 processes
    r = measure([CITETRACE, "ingest", *seed_paths, "--db", str(db_path), "--workers", "2", "--quiet"], work)
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
        r = measure([CITETRACE, "ingest", *paths, "--db", str(db_path), "--workers", "2", "--quiet"], work)
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
