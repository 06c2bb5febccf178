"""Archive copies: links printed in notes (perma.cc, Wayback, archive.today) and the
Wayback Machine availability API, asked for the snapshot closest to the report's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_API = "https://archive.org/wayback/available"

# Kept in step with the SQL patterns of db.links.schema (the view recognizes the same).
ARCHIVE_PREFIXES = (
    "perma.cc/", "www.perma.cc/", "web.archive.org/web/", "archive.org/web/",
    "archive.today/", "archive.ph/", "archive.is/",
)

# web.archive.org/web/20200101000000id_/https://example.org/x -> the URL that was archived.
_WAYBACK_RE = re.compile(r"^https?://(?:web\.)?archive\.org/web/(\d{1,14})[a-z_]*/(.+)$", re.I)


def is_archive_url(url: str | None) -> bool:
    if not url:
        return False
    rest = re.sub(r"^https?://", "", url.strip(), flags=re.I).lower()
    return rest.startswith(ARCHIVE_PREFIXES)


def original_of(url: str) -> str | None:
    """The live URL inside a Wayback link (None for perma.cc and others: it is not in the URL)."""
    m = _WAYBACK_RE.match(url.strip())
    if not m:
        return None
    original = m.group(2)
    return original if re.match(r"^https?://", original, re.I) else "http://" + original


def wayback_timestamp(date: str | None) -> str | None:
    """YYYYMMDD (as the API wants) from an ISO date or datetime; partial dates padded."""
    if not date:
        return None
    digits = re.sub(r"\D", "", date[:10])
    if len(digits) < 4:
        return None
    return (digits + "0101")[:8] if len(digits) < 8 else digits[:8]


@dataclass
class Snapshot:
    archive_url: str | None  # None: the archive has no copy
    timestamp: str | None
    status: str | None


def parse_availability(payload) -> Snapshot:
    """The ``archived_snapshots.closest`` of an availability API answer."""
    closest = {}
    if isinstance(payload, dict):
        snaps = payload.get("archived_snapshots") or {}
        closest = snaps.get("closest") or {} if isinstance(snaps, dict) else {}
    if not isinstance(closest, dict) or not closest.get("url") or closest.get("available") is False:
        return Snapshot(None, None, None)
    url = str(closest["url"])
    # The API answers http:// snapshot links; the archive serves them over https.
    if url.startswith("http://web.archive.org/"):
        url = "https://" + url[len("http://"):]
    status = closest.get("status")
    return Snapshot(url, closest.get("timestamp"), None if status is None else str(status))
