"""Turn extracted text plus offset annotations into safe HTML.

Everything that came from a PDF (passage and note text, labels, entity labels, claim kinds)
is escaped piece by piece: markup is only ever produced with ``Markup.format``, which escapes
its arguments, and text is sliced *before* escaping so offsets stay exact.

Offsets are Python ``str`` indexes into the stored text (``footnote_refs.start``,
``claims.start/end``, ``entities.start/end``); out-of-range values are clamped and empty or
inverted spans are dropped, so bad extraction output can never break the page.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from markupsafe import Markup, escape

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


def marker_html(marker: Mapping, anchor_id: bool = True) -> Markup:
    """A note marker: ``<sup class="fn"><a class="marker" href="#note-ID">label</a></sup>``.

    ``anchor_id``: give it ``id="ref-<footnote_refs.id>"`` (the target of the notes'
    back-links); turn it off when the same marker is rendered twice on a page.
    """
    label = marker.get("label") or "?"
    note_id = marker.get("footnote_id")
    ident = Markup(' id="ref-{}"').format(marker.get("id", "")) if anchor_id else Markup("")
    if note_id is None:
        return Markup(
            '<sup class="fn"><span class="marker marker-orphan"{} '
            'title="No note was found for this marker">{}</span></sup>'
        ).format(ident, label)
    return Markup(
        '<sup class="fn"><a class="marker"{} href="#note-{}" data-note="{}" '
        'aria-label="Note {}">{}</a></sup>'
    ).format(ident, note_id, note_id, label, label)


def claim_classes(claim: Mapping) -> str:
    classes = ["claim", "claim-" + css_token(claim.get("kind"))]
    if claim.get("needs_source"):
        classes.append("needs-source")
    elif claim.get("cited") or claim.get("kind") == "cited":
        classes.append("is-cited")
    return " ".join(classes)


def claim_title(claim: Mapping) -> str:
    kind = claim.get("kind") or "claim"
    if claim.get("needs_source"):
        return f"{kind} claim: needs a source"
    if claim.get("cited") or kind == "cited":
        return f"{kind} claim: cited"
    return f"{kind} claim"


def render_text(
    text: str | None,
    *,
    markers: Iterable[Mapping] = (),
    claims: Iterable[Mapping] = (),
    entities: Iterable[Mapping] = (),
    claim_url: Callable[[Mapping], str] | None = None,
    anchor_ids: bool = True,
) -> Markup:
    """Escape ``text`` and weave in note markers, claim highlights and entity spans.

    * markers: dicts with ``start`` (offset), ``label``, ``footnote_id``, ``id``
    * claims: dicts with ``start``, ``end``, ``id``, ``kind``, ``needs_source`` (``cited``)
    * entities: dicts with ``start``, ``end``, ``id``, ``label``
    * claim_url: when given, a small link to the claim's trace follows each claim
    * anchor_ids: give markers their ``id="ref-N"`` anchors

    Overlapping spans are handled by splitting the text at every boundary and wrapping each
    piece in the spans active over it (claims outside, entities inside).
    """
    text = text or ""
    n = len(text)
    claim_spans = _spans(claims, n)
    entity_spans = _spans(entities, n)

    markers_at: dict[int, list[Mapping]] = {}
    for m in markers or ():
        pos = _clamp(m.get("start"), n)
        if pos is None:
            continue
        markers_at.setdefault(pos, []).append(m)
    claims_ending: dict[int, list[Mapping]] = {}
    if claim_url is not None:
        for start, end, c in claim_spans:
            claims_ending.setdefault(end, []).append(c)

    points = {0, n}
    points.update(markers_at)
    for start, end, _ in claim_spans + entity_spans:
        points.add(start)
        points.add(end)
    points = sorted(points)

    # (start, end, layer, item): claims (layer 0) nest outside entities (layer 1).
    spans = [(s, e, 0, c) for s, e, c in claim_spans] + [(s, e, 1, x) for s, e, x in entity_spans]
    starting: dict[int, list[tuple]] = {}
    for span in spans:
        starting.setdefault(span[0], []).append(span)

    out: list[Markup] = []
    stack: list[tuple] = []
    for i, pos in enumerate(points):
        # 1. close spans ending here (closing and reopening any opened inside them)
        if any(span[1] == pos for span in stack):
            reopen = []
            while any(span[1] == pos for span in stack):
                top = stack.pop()
                out.append(_close(top))
                if top[1] != pos:
                    reopen.append(top)
            for span in reversed(reopen):
                out.append(_open(span))
                stack.append(span)
        # 2. markers standing here, then the trace link of claims ending here
        for m in sorted(markers_at.get(pos, ()), key=lambda m: (m.get("id") or 0)):
            out.append(marker_html(m, anchor_ids))
        for c in claims_ending.get(pos, ()):
            out.append(
                Markup(
                    '<a class="claim-trace" href="{}" data-claim="{}" '
                    'title="Trace this claim to its sources">&#8599;</a>'
                ).format(claim_url(c), c.get("id", ""))
            )
        if i + 1 >= len(points):
            break
        # 3. open spans starting here: outer layers and longer spans first
        for span in sorted(starting.get(pos, ()), key=lambda s: (s[2], -s[1])):
            out.append(_open(span))
            stack.append(span)
        # 4. the text up to the next boundary
        out.append(escape(text[pos:points[i + 1]]))
    for span in reversed(stack):
        out.append(_close(span))
    return Markup("").join(out)


def _open(span) -> Markup:
    # f-strings over escape(): same output as Markup.format, several times faster (the reader
    # of a long report opens thousands of spans).
    _, _, layer, item = span
    if layer == 0:
        return Markup(
            f'<mark class="{escape(claim_classes(item))}" data-claim="{escape(item.get("id", ""))}" '
            f'title="{escape(claim_title(item))}">'
        )
    label = escape(item.get("label") or "")
    return Markup(
        f'<span class="ent" data-label="{label}" data-entity="{escape(item.get("id", ""))}" '
        f'title="{label}">'
    )


_CLOSE = (Markup("</mark>"), Markup("</span>"))


def _close(span) -> Markup:
    return _CLOSE[0] if span[2] == 0 else _CLOSE[1]
