"""Tables and views of cited-source health. Public interface: only ever add columns.

``link_checks`` is a history (one row per check, never updated), so "when did this source
die?" has an answer; ``source_health`` reads the latest check of each source's URL.
"""

from __future__ import annotations

from citetrace.db.ddl import Index, Schema, Table, View

# Verdicts, best first. ``unchecked`` is what the view says before any check.
VERDICTS = ("ok", "redirected", "moved", "soft-404", "dead", "unreachable")
ALIVE = ("ok", "redirected")
# Answered and said the page is gone: what "dead source" means in queries and rankings.
DEAD = ("dead", "soft-404")
ERROR_KINDS = ("dns", "timeout", "tls", "refused", "private", "http", "redirects", "invalid",
               "other")

_ROW_ID = "INTEGER PRIMARY KEY"
_URL = ("TEXT NOT NULL", "URL as cited (sources.url or citations.url): the join key")

LINK_TABLES = (
    Table("link_checks", "Every check of a cited URL (a history: one row per check, never "
          "updated). Written only by `citetrace check-links`.", {
              "id": (_ROW_ID, "Check id"),
              "url": _URL,
              "checked_url": ("TEXT", "URL requested, when it differs (the live URL behind a "
                              "Wayback link)"),
              "checked_at": ("TEXT", "When (UTC, ISO, seconds)"),
              "verdict": ("TEXT", "ok, redirected, moved, soft-404, dead or unreachable "
                          "(this check alone)"),
              "status": ("INTEGER", "Final HTTP status (empty: no answer)"),
              "final_url": ("TEXT", "Address after redirects"),
              "redirects": ("TEXT", "JSON list of the 3xx hops: {url, status}"),
              "content_type": ("TEXT", "Content-Type of the final answer"),
              "title": ("TEXT", "Title of an HTML page"),
              "error_kind": ("TEXT", "dns, timeout, tls, refused, private, http, redirects, "
                             "invalid or other (empty when the page answered 2xx/3xx)"),
              "error": ("TEXT", "Error message, for humans"),
              "method": ("TEXT", "HEAD or GET (the request that decided)"),
              "attempts": ("INTEGER", "Requests for the last hop, retries included"),
              "elapsed_ms": ("INTEGER", "Time the check took, in milliseconds"),
          }),
    Table("link_archives", "Wayback Machine availability API answers for sources that are "
          "not ok.", {
              "id": (_ROW_ID, "Lookup id"),
              "url": _URL,
              "looked_up_at": ("TEXT", "When (UTC)"),
              "api": ("TEXT", "Availability API asked"),
              "target_date": ("TEXT", "Date asked for (YYYYMMDD): the report's publication or "
                              "ingest date"),
              "archive_url": ("TEXT", "Closest snapshot (empty: none)"),
              "archive_timestamp": ("TEXT", "Snapshot time, YYYYMMDDhhmmss"),
              "archive_status": ("TEXT", "HTTP status the archive recorded for the snapshot"),
              "error": ("TEXT", "Lookup failure (empty on an answer, even \"no snapshot\")"),
          }),
)

_INDEXES = (
    Index("link_checks", ("url", "checked_at")),
    Index("link_archives", ("url", "looked_up_at")),
)

# SQL LIKE patterns of archive copies (kept in step with db.links.archive.ARCHIVE_PREFIXES).
_ARCHIVE_LIKE = " or ".join(
    f"{{col}} like '{p}%'"
    for p in (
        "http://perma.cc/", "https://perma.cc/", "http://www.perma.cc/", "https://www.perma.cc/",
        "http://web.archive.org/web/", "https://web.archive.org/web/",
        "http://archive.org/web/", "https://archive.org/web/",
        "http://archive.today/", "https://archive.today/", "http://archive.ph/",
        "https://archive.ph/", "http://archive.is/", "https://archive.is/",
    )
)

SOURCE_HEALTH_SQL = f"""
with su as (
  select s.id as source_id,
    coalesce(s.url, (select min(c.url) from citations c
                     where c.source_id = s.id and c.url is not null)) as url
  from sources s
),
latest as (
  select su.source_id, su.url,
    (select lc.id from link_checks lc where lc.url = su.url
     order by lc.checked_at desc, lc.id desc limit 1) as check_id,
    (select max(lc.checked_at) from link_checks lc where lc.url = su.url
       and lc.verdict in ('ok', 'redirected')) as last_alive_at,
    (select count(*) from link_checks lc where lc.url = su.url) as checks
  from su
)
select
  latest.source_id,
  latest.url,
  coalesce(lc.verdict, 'unchecked') as verdict,
  lc.status,
  lc.final_url,
  lc.error_kind,
  lc.title,
  lc.checked_at,
  latest.checks,
  latest.last_alive_at,
  case when lc.verdict is not null and lc.verdict not in ('ok', 'redirected') then
    (select min(f.checked_at) from link_checks f where f.url = latest.url
       and f.verdict not in ('ok', 'redirected')
       and f.checked_at > coalesce(latest.last_alive_at, ''))
  end as failing_since,
  coalesce(
    case when {_ARCHIVE_LIKE.format(col="latest.url")} then latest.url end,
    (select min(c.archive_url) from citations c
     where c.source_id = latest.source_id and c.archive_url is not null)
  ) as printed_archive_url,
  la.archive_url as wayback_url,
  la.archive_timestamp as wayback_timestamp,
  coalesce(
    case when {_ARCHIVE_LIKE.format(col="latest.url")} then latest.url end,
    (select min(c.archive_url) from citations c
     where c.source_id = latest.source_id and c.archive_url is not null),
    la.archive_url
  ) as archive_url
from latest
left join link_checks lc on lc.id = latest.check_id
left join link_archives la on la.id = (
  select a.id from link_archives a where a.url = latest.url and a.archive_url is not null
  order by a.looked_up_at desc, a.id desc limit 1)
"""

LINK_SCHEMA = Schema(tables=LINK_TABLES, indexes=_INDEXES, views=(
    View("source_health", "Latest verdict per source, from link_checks; archived copy (printed "
         "in a note, else Wayback).", SOURCE_HEALTH_SQL, {
             "source_id": "The source",
             "url": "URL checked: the source's, else the first URL cited for it",
             "verdict": "Latest check: ok, redirected, moved, soft-404, dead, unreachable "
             "(unchecked: never checked)",
             "status": "HTTP status of the latest check",
             "final_url": "Address after redirects, at the latest check",
             "error_kind": "Kind of error of the latest check",
             "title": "Page title at the latest check",
             "checked_at": "When it was last checked",
             "checks": "Number of checks so far",
             "last_alive_at": "Last check that found it ok or redirected",
             "failing_since": "First failing check since then",
             "printed_archive_url": "Archive link printed in a note (perma.cc, Wayback...)",
             "wayback_url": "Snapshot found by the availability API",
             "wayback_timestamp": "Time of that snapshot, YYYYMMDDhhmmss",
             "archive_url": "The archived copy to read: printed, else Wayback",
         }),
))
