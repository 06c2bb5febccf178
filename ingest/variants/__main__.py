"""``python -m citetrace.ingest.variants build --out DIR --count N --seed S``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .builder import build
from .style import PRODUCERS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m citetrace.ingest.variants")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("build", help="typeset N style-varied PDFs with gold files")
    cmd.add_argument("--out", type=Path, required=True, help="folder for the PDFs and gold files")
    cmd.add_argument("--count", type=int, default=30)
    cmd.add_argument("--seed", type=int, default=0)
    cmd.add_argument("--producers", default=",".join(PRODUCERS),
                     help=f"comma-separated, taken in turn (default: {','.join(PRODUCERS)})")
    cmd.add_argument("--wide", action="store_true",
                     help="the wider generator: marker forms, per-page numbering, Ibid. notes, …")
    cmd.add_argument("--layouts", action="store_true",
                     help="two-column footnotes, pull quotes and sidebar boxes (reportlab variants)")
    cmd.add_argument("--keep-sources", action="store_true", help="also write the .tex and .fodt files")
    args = parser.parse_args(argv)
    producers = tuple(p.strip() for p in args.producers.split(",") if p.strip())
    unknown = [p for p in producers if p not in PRODUCERS]
    if unknown or not producers:
        parser.error(f"--producers: unknown {', '.join(unknown) or '(none given)'}; "
                     f"choose from {', '.join(PRODUCERS)}")
    started = time.perf_counter()
    try:
        built = build(args.out, args.count, args.seed, producers, args.keep_sources, args.wide,
                      args.layouts)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for b in built:
        print(f"{b.pdf.name}")
    print(f"{len(built)} variants in {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
