"""What one document's re-ingest, removal and 20 new documents cost the writer, on large
databases (docs/scaling.md, "Re-ingesting and removing a document").

    python tests/bench/reingest.py SEED.pdf A.db [B.db ...] [--rounds 3] [--new 20]
                                   [--ops reingest,remove,new]

Each file is opened as it is (never upgraded: A may be a file of an older schema and B the
same file after `citetrace upgrade`), with foreign keys on as every writing command has them.
SEED.pdf is processed once (a document the files already hold: its write is a re-ingest);
then, round after round and file after file (so the files share the machine's load): the
seed written again (`write_document`, as `ingest --force` does after extracting), one
cloned document removed (`remove_document`; the same id in every file) and ``--new``
documents never seen written (clones of the seed under new names, as bench/scale.py makes
them). Wall clock and CPU (SQLite runs in this thread) per operation. The files are
changed: run it on copies.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).parent))
from benchkit import load_average  # noqa: E402
from scale import rename_document  # noqa: E402


def open_as_it_is(path: Path) -> sqlite_utils.Database:
    """The connection db.store gives a writing command, without the upgrade."""
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=Path)
    parser.add_argument("dbs", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new", type=int, default=20)
    parser.add_argument("--ops", default="reingest,remove,new",
                        help="which operations to time (comma-separated)")
    args = parser.parse_args(argv)
    ops = args.ops.split(",")

    from citetrace.db.store import remove_document, write_document
    from citetrace.ingest import EXTRACTOR_VERSION
    from citetrace.ingest.nlp import load_pipeline
    from citetrace.ingest.pipeline import Options, process
    from citetrace.ingest.sample import file_names, variant_name

    seed = process(args.seed, load_pipeline(), Options())
    seed_variant = int(args.seed.stem.rsplit("-v", 1)[1]) if "-v" in args.seed.stem else 0
    dbs = {path: open_as_it_is(path) for path in args.dbs}
    first = next(iter(dbs.values()))
    documents = first.execute("select count(*) from documents").fetchone()[0]
    # removed: documents from the middle of the collection, one per round, present in all files
    victims = [r[0] for r in first.execute(
        "select id from documents where sha256 != ? order by id limit ? offset ?",
        [seed.sha256, args.rounds, documents // 2])]
    times: dict = {path: {"reingest": [], "remove": [], "new": []} for path in dbs}
    print(f"{documents} documents; load {load_average()}", flush=True)
    for r in range(args.rounds):
        for path, db in dbs.items():
            t = times[path]
            if "reingest" in ops:
                t["reingest"].append(timed(write_document, db, seed, EXTRACTOR_VERSION))
            if "remove" in ops:
                t["remove"].append(timed(remove_document, db, victims[r]))
            per_doc = []
            for k in range(args.new if "new" in ops else 0):
                n = 100_000 + r * args.new + k  # names no file holds (variants 1-126,000)
                clone = rename_document(seed, variant_name(seed_variant), variant_name(n),
                                        hashlib.sha256(f"reingest-bench-{n}".encode()).hexdigest(),
                                        file_names(n)[0])
                per_doc.append(timed(write_document, db, clone, EXTRACTOR_VERSION))
            if per_doc:
                t["new"].append((sum(w for w, _ in per_doc), sum(c for _, c in per_doc)))
            print(f"round {r + 1} {path.name}: " + ", ".join(
                f"{op} {t[op][-1][0]:,.0f} ms / {t[op][-1][1]:,.0f} ms CPU" for op in ops),
                flush=True)
    print(f"\nload {load_average()}; ms, median of {args.rounds} rounds (wall / CPU)\n")
    print(f"| file | re-ingest one | remove one | {args.new} new documents |")
    print("|---|---:|---:|---:|")
    for path, t in times.items():
        cells = [f"{statistics.median(w for w, _ in t[k]):,.0f} / "
                 f"{statistics.median(c for _, c in t[k]):,.0f}" if t[k] else "-"
                 for k in ("reingest", "remove", "new")]
        print(f"| {path.name} | " + " | ".join(cells) + " |")
    for db in dbs.values():
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
