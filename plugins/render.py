"""Turn extracted text plus offset annotations into safe HTML.

Everything that came from a PDF (passage and note text, labels, entity labels, claim kinds)
is escaped piece by piece: markup is built from constant tags with every interpolated value
passed through ``escape()``, and text is sliced *before* escaping so offsets stay exact.

Offsets are Python ``str`` indexes into the stored text (``footnote_refs.start``,
``claims.start/end``, ``entities.start/end``); out-of-range values are clamped and empty or
inverted spans are dropped, so bad extraction output can never break the page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from citetrace.plugins.wording import claim_status, entity_type

_CLASS_RE = re.compile(r"[^a-z0-9_-]+")

SAFE_URL_SCHEMES = ("http", "https")


def css_token(value, default: str = "other") -> str:
    """A value (claim kind, passage kind, entity label) reduced to a CSS class token."""
    token = _CLASS_RE.sub("-", str(value or "").lower()).strip("-")
    return token or default


def safe_url(url) -> str | None:
    """``url`` if it is an http(s) URL, else None (no ``javascript:``, ``data:`` …)."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if any(ch in url for ch in "\x00\r\n\t") or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_URL_SCHEMES or not parts.netloc:
        return None
    return url


def _clamp(value, n: int) -> int | None:
    if type(value) is int:  # what SQLite returns: the hot path
        return 0 if value < 0 else n if value > n else value
    if value is None:
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return max(0, min(n, value))


def _spans(items: Iterable[Mapping], n: int) -> list[tuple[int, int, Mapping]]:
    out = []
    for item in items or ():
        start, end = _clamp(item.get("start"), n), _clamp(item.get("end"), n)
        if start is None or end is None or start >= end:
            continue
        out.append((start, end, item))
    return out


def _attr(value) -> str:
    # escape() of a row id: the same text; an int (every id SQLite returns) needs none
    return str(value) if type(value) is int else str(escape(value))


def _marker(marker: Mapping, anchor_id: bool) -> str:
    # f-strings over escape(): what Markup.format gives, several times faster (see _open)
    label = escape(marker.get("label") or "?")
    note_id = marker.get("footnote_id")
    ident = f' id="ref-{_attr(marker.get("id", ""))}"' if anchor_id else ""
    if note_id is None:
        return (f'<sup class="fn"><span class="marker marker-orphan"{ident} '
                f'title="No note was found for this marker">{label}</span></sup>')
    note_id = _attr(note_id)
    return (f'<sup class="fn"><a class="marker"{ident} href="#note-{note_id}" '
            f'data-note="{note_id}" aria-label="Note {label}">{label}</a></sup>')


def claim_classes(claim: Mapping) -> str:
    classes = ["claim", "claim-" + css_token(claim.get("kind"))]
    if claim.get("needs_source"):
        classes.append("needs-source")
    elif claim.get("cited") or claim.get("kind") == "cited":
        classes.append("is-cited")
    return " ".join(classes)


def render_text(
    text: str | None,
    *,
    markers: Iterable[Mapping] = (),
    claims: Iterable[Mapping] = (),
    entities: Iterable[Mapping] = (),
    anchor_ids: bool = True,
) -> Markup:
    """Escape ``text`` and weave in note markers, claim highlights and entity spans.

    * markers: dicts with ``start`` (offset), ``label``, ``footnote_id``, ``id``
    * claims: dicts with ``start``, ``end``, ``id``, ``kind``, ``needs_source`` (``cited``)
    * entities: dicts with ``start``, ``end``, ``id``, ``label``
    * anchor_ids: give markers their ``id="ref-N"`` anchors

    Overlapping spans are handled by splitting the text at every boundary and wrapping each
    piece in the spans active over it (claims outside, entities inside).
    """
    text = str(text or "")
    n = len(text)
    # (start, end, layer, opening tag): claims (layer 0) nest outside entities (layer 1).
    spans = [(s, e, 0, _open_claim(c)) for s, e, c in _spans(claims, n)]
    spans += [(s, e, 1, _open_entity(x)) for s, e, x in _spans(entities, n)]

    markers_at: dict[int, list[Mapping]] = {}
    for m in markers or ():
        pos = _clamp(m.get("start"), n)
        if pos is None:
            continue
        markers_at.setdefault(pos, []).append(m)

    # most reports' texts have no character to escape: their pieces are then copied as are
    escape_text = _escape_text if _SPECIAL.search(text) else str
    if not spans and not markers_at:  # most notes: the text alone
        return Markup(escape_text(text))

    points = {0, n}
    points.update(markers_at)
    starting: dict[int, list[tuple]] = {}
    ends = set()
    for span in spans:
        starting.setdefault(span[0], []).append(span)
        ends.add(span[1])
    points.update(starting)
    points.update(ends)
    points = sorted(points)

    # Plain strings (text escaped piece by piece, tags built by _open_*/_marker), joined once.
    out: list[str] = []
    stack: list[tuple] = []
    last = len(points) - 1
    for i, pos in enumerate(points):
        # 1. close spans ending here (closing and reopening any opened inside them)
        if stack and pos in ends:
            reopen = []
            while any(span[1] == pos for span in stack):
                top = stack.pop()
                out.append(_CLOSE[top[2]])
                if top[1] != pos:
                    reopen.append(top)
            for span in reversed(reopen):
                out.append(span[3])
                stack.append(span)
        # 2. markers standing here (a passage's trace links are in its link cluster)
        here = markers_at.get(pos)
        if here:
            for m in sorted(here, key=lambda m: (m.get("id") or 0)):
                out.append(_marker(m, anchor_ids))
        if i == last:
            break
        # 3. open spans starting here: outer layers and longer spans first
        opening = starting.get(pos)
        if opening:
            for span in sorted(opening, key=lambda s: (s[2], -s[1])):
                out.append(span[3])
                stack.append(span)
        # 4. the text up to the next boundary
        out.append(escape_text(text[pos:points[i + 1]]))
    for span in reversed(stack):
        out.append(_CLOSE[span[2]])
    return Markup("".join(out))


_SPECIAL = re.compile("[&<>'\"]")


def _escape_text(s: str) -> str:
    # markupsafe.escape() of a plain str, without making a Markup per piece (the hot path)
    return (s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


# The opening tags: f-strings over escape(), same output as Markup.format, several times
# faster; what depends on the kind or label alone is escaped once per process (a long
# report's reader opens thousands of spans, of a few dozen kinds and labels).
def _open_claim(item: Mapping) -> str:
    kind = item.get("kind")
    classes, title = _claim_attrs(kind, bool(item.get("needs_source")),
                                  bool(item.get("cited") or kind == "cited"))
    return f'<mark class="{classes}" data-claim="{_attr(item.get("id", ""))}" title="{title}">'


def _open_entity(item: Mapping) -> str:
    # data-label keeps the model's code (the toggles match on it), the tooltip says it in words
    label, title = _entity_attrs(item.get("label") or "")
    return f'<span class="ent" data-label="{label}" data-entity="{_attr(item.get("id", ""))}" title="{title}">'


@lru_cache(maxsize=1024)
def _claim_attrs(kind, needs_source: bool, cited: bool) -> tuple[str, str]:
    claim = {"kind": kind, "needs_source": needs_source, "cited": cited}
    return str(escape(claim_classes(claim))), str(escape(claim_status(claim)))


@lru_cache(maxsize=1024)
def _entity_attrs(label) -> tuple[str, str]:
    return str(escape(label)), str(escape(entity_type(label)))


_CLOSE = ("</mark>", "</span>")  # by layer
