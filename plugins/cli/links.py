"""``citetrace check-links``: check every cited URL and look up archived copies."""

from __future__ import annotations

import sys

import click

from citetrace.db.links.archive import DEFAULT_API
from citetrace.db.links.fetch import USER_AGENT, FetchConfig
from citetrace.db.links.schema import VERDICTS
from citetrace.plugins.cli.terminal import printable


@click.command("check-links")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="citetrace database")
@click.option("--document", "document_id", type=int, default=None, help="only this document's URLs")
@click.option("--concurrency", type=click.IntRange(1, 500), default=20, show_default=True,
              help="requests in flight in all")
@click.option("--per-host", type=click.IntRange(1, 50), default=2, show_default=True,
              help="requests in flight to one host")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="seconds between two request starts to one host")
@click.option("--timeout", type=click.FloatRange(0.1), default=15.0, show_default=True,
              help="seconds per request, whole (headers and body)")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="retries of timeouts, 429 and 503")
@click.option("--budget", type=click.FloatRange(1), default=600.0, show_default=True,
              help="seconds for the whole run; URLs not reached stay unchecked")
@click.option("--since", "since_days", type=click.FloatRange(0), default=None, metavar="DAYS",
              help="only URLs not checked in the last DAYS days")
@click.option("--archive-api", default=DEFAULT_API, show_default=True,
              help="Wayback availability API asked for sources that are not ok")
@click.option("--no-archive", is_flag=True, help="do not look up archived copies")
@click.option("--user-agent", default=USER_AGENT, show_default=False, help="User-Agent header")
@click.option("--allow-private", is_flag=True,
              help="also check loopback and private addresses (refused by default: a PDF "
                   "could point the checker at your intranet)")
@click.option("--dry-run", is_flag=True, help="list what would be checked; send nothing")
@click.option("--quiet", is_flag=True, help="only the summary")
def check_links(db_path, document_id, concurrency, per_host, delay, timeout, retries, budget,
                since_days, archive_api, no_archive, user_agent, allow_private, dry_run, quiet):
    """Check that every cited URL still answers; store the history in link_checks.

    Verdicts per source (view source_health): ok, redirected, moved, soft-404, dead,
    unreachable. Sources that are not ok get the Wayback snapshot closest to the report's
    date (unless an archive link is printed in the note). Nothing is fetched by any other
    command.
    """
    from citetrace.db.links.run import RunOptions, make_plan, run
    from citetrace.db.store import open_existing

    db = open_existing(db_path)
    options = RunOptions(
        document_id=document_id, since_days=since_days, budget=budget,
        archive=not no_archive, archive_api=archive_api,
        fetch=FetchConfig(concurrency=concurrency, per_host=per_host, delay=delay,
                          timeout=timeout, retries=retries, user_agent=user_agent,
                          allow_private=allow_private),
    )
    if dry_run:
        plan = make_plan(db, options)
        for t in plan.to_check:
            cited = f"  (cited as {t.url})" if t.check_url != t.url else ""
            click.echo(printable(f"check {t.check_url}{cited}"))
        for t in plan.recent:
            click.echo(printable(f"recent {t.url}  (checked {t.last_checked_at})"))
        for t, reason in plan.skipped:
            click.echo(printable(f"skip {t.url}  ({reason})"))
        hosts = len({_host(t.check_url) for t in plan.to_check})
        click.echo(f"{len(plan.to_check)} URLs on {hosts} hosts would be checked, "
                   f"{len(plan.recent)} checked recently, {len(plan.skipped)} skipped; "
                   "nothing was sent")
        return

    def report(target, row):
        if quiet or row["verdict"] == "ok":
            return
        what = row["status"] if row["status"] is not None else row["error_kind"]
        extra = f" -> {row['final_url']}" if row["verdict"] in ("redirected", "moved") else ""
        # URLs come from PDFs, final URLs from servers' Location headers: no ESC / BEL out.
        click.echo(printable(f"{row['verdict']:<11} {what!s:<9} {target.url}{extra}"))

    from citetrace.db.errors import explained
    from citetrace.db.links.run import FLUSH_EVERY

    with explained(db_path, f"the checks not saved yet were lost (they are saved {FLUSH_EVERY} "
                            "at a time); run check-links again when there is room"):
        summary = run(db, options, report)
    counts = ", ".join(f"{summary.verdicts[v]} {v}" for v in VERDICTS if summary.verdicts[v])
    click.echo(
        f"checked {summary.checked} URLs ({counts or 'none'}) with {summary.requests} requests "
        f"in {summary.seconds:.1f}s; {len(summary.plan.recent)} checked recently, "
        f"{len(summary.plan.skipped)} skipped, {summary.out_of_budget} out of budget; "
        f"{summary.snapshots} of {summary.lookups} archive lookups found a snapshot"
    )
    sys.exit(0)


def _host(url: str) -> str:
    from citetrace.db.links.fetch import host_of

    return host_of(url)
