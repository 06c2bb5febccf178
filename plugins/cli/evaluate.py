"""``citetrace eval``: score a database against gold files, as a table or as JSON."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from citetrace.ingest.quality.claims import ClaimsGoldError, claims_report
from citetrace.ingest.quality import EvalReport, evaluate
from citetrace.ingest.quality.score import COLLAPSE_F1


@click.command("eval")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.argument("gold_dir", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="print the scores as JSON")
@click.option("--claims", "claims_gold", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="score claims against a <stem>.claims.json gold file (repeatable)")
def eval_(db_path, gold_dir, as_json, claims_gold):
    """Score a database against gold files (the corpus README's metrics), or its claims (--claims)."""
    from citetrace.db.errors import explained
    from citetrace.db.store import open_readonly

    open_readonly(db_path).close()  # not a citetrace database: one line, nothing written
    if claims_gold:
        try:
            with explained(db_path, ""):
                click.echo(claims_report(db_path, claims_gold, as_json))
        except ClaimsGoldError as e:  # a gold file unreadable, or its sentences not in the document
            raise click.ClickException(str(e)) from None
        return
    if gold_dir is None:
        raise click.UsageError("give a GOLD_DIR, or claims gold files with --claims")
    with explained(db_path, ""):
        report = evaluate(db_path, gold_dir)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render(report, Console(width=110))


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _marker_cell(f1: float | None, cover: float | None) -> str:
    # One column for both: gold has either marker positions or (CRS) none.
    # The trailing space keeps the decimals of F1 and "0.93c" cover values aligned.
    if f1 is not None:
        return _fmt(f1) + " "
    return f"{cover:.2f}c" if cover is not None else "— "


def _int(value: int | None) -> str:
    return "—" if value is None else str(value)


def _table() -> Table:
    # No box and no edge padding: twelve columns fit in 100 terminal columns.
    table = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("document", no_wrap=True, overflow="ellipsis", max_width=30)
    for name in ("gold", "pred", "P", "R", "F1", "text", "URL", "mark", "leak", "furn", "body"):
        table.add_column(name, justify="right", no_wrap=True)
    return table


def render(report: EvalReport, console: Console) -> None:
    """Print one row per gold file, an ``ALL`` row, and a legend."""
    table = _table()
    for r in report.documents:
        table.add_row(
            r.stem, str(r.notes_gold), "miss" if r.missing else str(r.notes_pred),
            _fmt(r.note_precision), _fmt(r.note_recall), _fmt(r.note_f1), _fmt(r.note_text),
            _fmt(r.url_f1) if r.urls_gold or r.urls_pred else "—",
            _marker_cell(r.marker_f1, r.marker_cover),
            _fmt(r.note_leak), _int(r.furniture_leak), _fmt(r.body_cover),
            style="red" if r.missing else None,
        )
    a = report.aggregate
    table.add_row(
        "ALL", str(a.notes_gold), str(a.notes_pred), _fmt(a.note_precision), _fmt(a.note_recall),
        _fmt(a.note_f1), _fmt(a.note_text), _fmt(a.url_f1),
        _marker_cell(a.marker_f1, a.marker_cover),
        _fmt(a.note_leak), _int(a.furniture_leak), _fmt(a.body_cover), style="bold",
    )
    console.print(table, crop=False)
    legend = (
        f"ALL: {a.documents} gold files, {a.missing} missing; note metrics note-weighted, "
        "URL micro, leak and body mean, furn sum",
        f"mark: marker F1 (ALL {_fmt(a.marker_f1)}), c = marker cover where gold has no markers "
        f"(ALL {_fmt(a.marker_cover)}); spurious notes: {a.spurious_notes}",
    )
    suspect = [r.stem for r in report.documents if r.verdict == "suspect"]
    legend += (
        f"self-check: {a.collapsed_suspect} of {a.collapsed} documents with note F1 < "
        f"{COLLAPSE_F1} suspect, {a.good_suspect} of {a.good} others suspect"
        + (f" ({', '.join(suspect)})" if suspect else ""),)
    if a.pullquotes or a.sidebars:
        legend += (f"layouts: {a.pullquotes} pull quotes, {a.pullquotes_doubled} read twice in the body, "
                   f"{a.pullquotes_split} splitting their paragraph; {a.sidebars_apart} of "
                   f"{a.sidebars} sidebars read apart",)
    for line in legend:
        console.print(line, highlight=False, markup=False)
    if report.missing:
        console.print("missing: " + ", ".join(report.missing), highlight=False, markup=False)
