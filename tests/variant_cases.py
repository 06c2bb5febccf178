"""Build a few generated variants, ingest them with the public command, score them: the
fixture body of the tests that each name variants by (seed, index)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from citetrace.ingest.quality import evaluate
from citetrace.ingest.variants import build_variants, missing_programs
from citetrace.plugins.cli import cli


def ingest_variants(out: Path, variants: list, name: str = "cases.db") -> tuple[dict, Path]:
    """Typeset those of `variants` whose programs are installed into `out`, ingest them into
    one database there; returns (stem -> DocScore, the database's path)."""
    buildable = [v for v in variants if not missing_programs((v.style.producer,))]
    built = build_variants(out, buildable)
    db = out / name
    result = CliRunner().invoke(cli, ["ingest", *(str(b.pdf) for b in built), "--db", str(db),
                                      "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    return {r.stem: r for r in evaluate(db, out).documents}, db
