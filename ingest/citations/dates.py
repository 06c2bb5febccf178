"""The publication date of a citation: ISO form and the text as printed."""

from __future__ import annotations

import datetime as _dt

from .patterns import (
    BARE_YEAR_RE,
    DMY_DATE_RE,
    FULL_DATE_RE,
    ISO_DATE_RE,
    MAX_YEAR,
    MIN_YEAR,
    MONTH_NUMBERS,
    MONTH_YEAR_RE,
    PAREN_YEAR_RE,
)


def find_date(text: str, exclude: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, printed date) of the publication: the last full date, else the last
    month-year, else the last year in parentheses or closing a field.

    Dates inside the title ("... Address, September 2, 2019,") are used only if there is
    no other.
    """
    if exclude:
        outside = text.replace(exclude, " " * len(exclude))
        found = find_date(outside)
        if found[0]:
            return found
    for pattern in (FULL_DATE_RE, DMY_DATE_RE, ISO_DATE_RE):
        best = None
        for m in pattern.finditer(text):
            iso = _iso(m.group("y"), m.group("m"), m.group("d"))
            if iso and (best is None or m.start() > best[2]):
                best = (iso, m.group(), m.start())
        if best:
            return best[0], best[1]
    for m in reversed(list(MONTH_YEAR_RE.finditer(text))):
        iso = _iso(m.group("y"), m.group("m"))
        if iso:
            return iso, m.group()
    depth = 0
    years = []
    for m in PAREN_YEAR_RE.finditer(text):
        depth = text.count("(", 0, m.start()) - text.count(")", 0, m.start())
        if depth == 0 and _iso(m.group("y")):
            years.append(m)
    years = years or [m for m in BARE_YEAR_RE.finditer(text) if _iso(m.group("y"))]
    if years:
        return years[-1].group("y"), years[-1].group("y")
    return None, None


def _iso(year: str, month: str | None = None, day: str | None = None) -> str | None:
    y = int(year)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    if month is None:
        return f"{y:04d}"
    m = int(month) if month.isdigit() else MONTH_NUMBERS.get(month[:3].lower())
    if not m or not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return _dt.date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def normalize_date(text: str) -> str | None:
    """ISO form of a printed date ("Feb. 13, 2004" -> "2004-02-13"); None if there is none."""
    return find_date(text)[0]
