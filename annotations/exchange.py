"""Export and import: W3C JSON-LD ``AnnotationCollection``, CSV, Markdown review report.

The JSON-LD export is the complete record (every state, deleted included, with the history
under ``citetrace:history``): exporting, wiping and importing it gives the same export back.
Annotations from elsewhere (Hypothesis) import too: their target ``source`` must then be
``urn:sha256:<hex>`` of a citetrace document, and they get one ``import`` history row.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import uuid as uuidlib
from dataclasses import dataclass, replace
from datetime import datetime

from citetrace.annotations.anchor import reanchor
from citetrace.annotations.api import Filters, _document, _history, _rows, list_annotations, replies
from citetrace.annotations.model import (
    ANCHORS,
    BODY_MAX,
    MOTIVATIONS,
    QUOTE_MAX,
    STATES,
    TARGET_KINDS,
    Annotation,
    AnnotationError,
    check_length,
    check_vocabulary,
)
from citetrace.annotations.tx import conn_of, now, transaction

NS = "urn:citetrace:ns:"
CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"citetrace": NS}]
# citetrace:<term> -> column, for the ids and review fields W3C has no term for.
TARGET_TERMS = {"documentId": "document_id", "passageId": "passage_id",
                "endPassageId": "end_passage_id", "footnoteId": "footnote_id",
                "claimId": "claim_id", "sourceId": "source_id", "targetKind": "target_kind"}
REVIEW_TERMS = {"state": "state", "assignee": "assignee", "anchor": "anchor",
                "anchorScore": "anchor_score"}


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def _history_rows(conn, annotation_id: int) -> list[dict]:
    return [{"at": r["at"], "actor": r["actor"], "action": r["action"],
             "changes": json.loads(r["changes"])}
            for r in _rows(conn, "select at, actor, action, changes from annotation_history "
                                 "where annotation_id = ? order by id", [annotation_id])]


def to_w3c(a: Annotation, history: list[dict] | None = None) -> dict:
    t = a.target
    selectors = [_drop_none({"type": "TextQuoteSelector", "exact": t.exact,
                             "prefix": t.prefix or None, "suffix": t.suffix or None})]
    if t.start is not None and t.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": t.start, "end": t.end})
    target = {"source": f"urn:sha256:{t.document_sha256}", "selector": selectors}
    values = {"document_id": t.document_id, "passage_id": t.passage_id,
              "end_passage_id": t.end_passage_id, "footnote_id": t.footnote_id,
              "claim_id": t.claim_id, "source_id": t.source_id, "target_kind": t.kind}
    target.update(_drop_none({f"citetrace:{k}": values[c] for k, c in TARGET_TERMS.items()}))
    bodies = []
    if a.body:
        bodies.append({"type": "TextualBody", "value": a.body, "format": "text/markdown",
                       "purpose": a.motivation if a.motivation != "tagging" else "commenting"})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags]
    out = {
        "id": f"urn:uuid:{a.uuid}",
        "type": "Annotation",
        "motivation": a.motivation,
        "created": a.created,
        "modified": a.modified,
        "creator": {"type": "Person", "name": a.author} if a.author else None,
        "body": bodies or None,
        "target": target,
    }
    review = {"state": a.state, "assignee": a.assignee, "anchor": a.anchor,
              "anchor_score": a.anchor_score}
    out.update(_drop_none({f"citetrace:{k}": review[c] for k, c in REVIEW_TERMS.items()}))
    if a.in_reply_to:
        out["citetrace:inReplyTo"] = f"urn:uuid:{a.in_reply_to}"
    if history is not None:
        out["citetrace:history"] = history
    return _drop_none(out)


def export_jsonld(db, filters: Filters | None = None) -> dict:
    conn = conn_of(db)
    f = replace(filters or Filters(include_deleted=True), include_replies=True)
    items = [to_w3c(a, _history_rows(conn, a.id))
             for a in sorted(list_annotations(conn, f), key=lambda a: (a.created, a.uuid))]
    return {
        "@context": CONTEXT,
        "id": "urn:citetrace:annotations",
        "type": "AnnotationCollection",
        "label": "citetrace review annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


# --- import -----------------------------------------------------------------------------


# The import reads files from other tools: every value is checked here, by its place in the
# file ("annotation 3: target.selector[1].start"), before anything is written. A file that
# does not fit is refused whole, in one line.
SHORT_MAX = 2_000  # characters of an id, a name, a date, a state
OFFSET_MAX = 2**31 - 1  # a text position; passages are far shorter
ID_MAX = 2**63 - 1  # SQLite's integers
NESTING_MAX = 64  # levels of a JSON value; W3C annotations need about 8


@dataclass(frozen=True)
class _Value:
    """One value of the imported JSON and where it sits, for the refusal's wording."""

    value: object
    where: str

    def _bad(self, wanted: str) -> AnnotationError:
        shown = json.dumps(self.value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        return AnnotationError(f"{self.where} must be {wanted}, not {shown}")

    def get(self, key: str) -> "_Value":
        return _Value(self.obj().get(key), f"{self.where}.{key}" if self.where else key)

    def obj(self) -> dict:
        if not isinstance(self.value, dict):
            raise self._bad("an object")
        return self.value

    def many(self) -> list["_Value"]:
        """A value or a list of them (JSON-LD allows either); None: none."""
        if self.value is None:
            return []
        if isinstance(self.value, list):
            return [_Value(v, f"{self.where}[{i}]") for i, v in enumerate(self.value)]
        return [self]

    def text(self, limit: int = SHORT_MAX, required: bool = False) -> str | None:
        if self.value is None and not required:
            return None
        if not isinstance(self.value, str) or (required and not self.value):
            raise self._bad("a string" if not required else "a non-empty string")
        check_length(self.where, self.value, limit)
        return self.value

    def choice(self, allowed: tuple[str, ...]) -> str | None:
        value = self.text()
        if value is not None and value not in allowed:
            raise self._bad(f"one of {', '.join(allowed)}")
        return value

    def whole(self, top: int) -> int | None:
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, int) \
                or not 0 <= self.value <= top:
            raise self._bad(f"a whole number from 0 to {top}")
        return self.value

    def number(self) -> float | None:
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)) \
                or not math.isfinite(self.value) or abs(self.value) > 1e6:
            raise self._bad("a number")
        return float(self.value)

    def when(self) -> str | None:
        value = self.text()
        if value is None:
            return None
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise self._bad("a date and time (xsd:dateTime, 2026-05-09T10:00:00Z)") from None
        return value


def parse_jsonld(raw: bytes | str, name: str):
    """The JSON of an annotation file, checked whole (:func:`import_jsonld` takes it); any
    fault is one :class:`AnnotationError` line starting with ``name``."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as e:
        raise AnnotationError(f"{name}: not UTF-8 text (byte {raw[e.start]:#04x} at offset "
                              f"{e.start})") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
        _depth_within(data, NESTING_MAX)
        _rows_of(data)
    except RecursionError:
        raise AnnotationError(f"{name}: nested more than {NESTING_MAX} levels deep") from None
    except json.JSONDecodeError as e:
        raise AnnotationError(f"{name}: not JSON ({e.msg} at line {e.lineno} column "
                              f"{e.colno})") from None
    except AnnotationError as e:
        raise AnnotationError(f"{name}: {e}") from None
    except ValueError as e:  # an integer of over 4,300 digits (Python's limit), NaN
        why = "a number of over 4,300 digits" if "digits" in str(e) else str(e)
        raise AnnotationError(f"{name}: not JSON citetrace can read ({why})") from None
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _depth_within(value, limit: int) -> None:
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > limit:
            raise RecursionError
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
        stack.extend((c, depth + 1) for c in children)


def _items(data) -> list[_Value]:
    top = _Value(data, "")
    if isinstance(data, list):
        return [_Value(v, f"annotation {i + 1}") for i, v in enumerate(data)]
    if not isinstance(data, dict):
        raise top._bad("an Annotation, AnnotationPage or AnnotationCollection object")
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = top.get("first")
        if first.value is None:
            return []
        found = first.get("items").value
    elif kind == "AnnotationPage":
        found = top.get("items").value
    elif kind == "Annotation":
        return [_Value(data, "annotation 1")]
    else:
        raise AnnotationError("not a W3C Annotation, AnnotationPage or AnnotationCollection")
    if found is None:
        return []
    if not isinstance(found, list):
        raise AnnotationError(f"items must be a list, not {type(found).__name__}")
    return [_Value(v, f"annotation {i + 1}") for i, v in enumerate(found)]


def _rows_of(data) -> list[tuple[dict, list[dict] | None]]:
    return [_from_w3c(item) for item in _items(data)]


def _from_w3c(item: _Value) -> tuple[dict, list[dict] | None]:
    item.obj()
    ident = item.get("id").text(required=True)
    if ident.startswith("urn:uuid:"):
        try:
            uid = str(uuidlib.UUID(ident[len("urn:uuid:"):]))
        except ValueError:
            raise item.get("id")._bad("urn:uuid:<a UUID>") from None
    else:
        uid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, ident))  # stable for a foreign id
    try:
        return _fields(_Value(item.value, ""), uid)
    except AnnotationError as e:
        raise AnnotationError(f"{ident[:200]}: {e}") from None


def _fields(item: _Value, uid: str) -> tuple[dict, list[dict] | None]:
    targets = item.get("target").many()
    if not targets:
        raise AnnotationError("a target is needed")
    target = targets[0]
    if isinstance(target.value, str):
        target = _Value({"source": target.value}, target.where)
    source = target.get("source").text(required=True)
    sha = source[len("urn:sha256:"):].lower()
    if not source.startswith("urn:sha256:") or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise AnnotationError(f"target source must be urn:sha256:<64 hex digits>, not {source[:80]!r}")
    selectors = target.get("selector").many()
    for s in selectors:
        s.obj()
    quote = next((s for s in selectors if s.value.get("type") == "TextQuoteSelector"), None)
    position = next((s for s in selectors if s.value.get("type") == "TextPositionSelector"),
                    _Value({}, "target.selector"))
    if quote is None:
        raise AnnotationError("a TextQuoteSelector is needed")
    start, end = position.get("start").whole(OFFSET_MAX), position.get("end").whole(OFFSET_MAX)
    if start is not None and end is not None and start > end:
        raise AnnotationError(f"{position.where}: start {start} is after end {end}")
    text, tags = [], []
    for b in item.get("body").many():
        b.obj()
        value = b.get("value").text(limit=BODY_MAX) or ""
        (tags if b.get("purpose").text() == "tagging" else text).append(value)
    motivations = item.get("motivation").many()
    motivation = motivations[0].choice(MOTIVATIONS) if motivations else "commenting"
    creator = item.get("creator")
    if isinstance(creator.value, dict):
        author = next((creator.get(k).text() for k in ("name", "nickname", "id")
                       if creator.get(k).text()), None)
    else:
        author = creator.text()
    stamp = now()
    row = {
        "uuid": uid,
        "document_sha256": sha,
        "target_kind": target.get("citetrace:targetKind").choice(TARGET_KINDS) or "passage",
        "exact": quote.get("exact").text(limit=QUOTE_MAX, required=True),
        "prefix": quote.get("prefix").text(limit=QUOTE_MAX) or "",
        "suffix": quote.get("suffix").text(limit=QUOTE_MAX) or "",
        "start": start, "end": end,
        "body": "\n\n".join(text), "motivation": motivation,
        "tags": json.dumps(check_vocabulary(motivation, tags)),
        "author": author or "unknown",
        "created": item.get("created").when() or stamp,
        "modified": item.get("modified").when() or stamp,
        "state": item.get("citetrace:state").choice(STATES) or "open",
        "anchor": item.get("citetrace:anchor").choice(ANCHORS) or "orphaned",
    }
    check_length("comment", row["body"], BODY_MAX)
    for term, col in TARGET_TERMS.items():
        if col != "target_kind":
            row[col] = target.get(f"citetrace:{term}").whole(ID_MAX)
    row["assignee"] = item.get("citetrace:assignee").text()
    parent = item.get("citetrace:inReplyTo").text() or ""
    row["in_reply_to"] = parent[len("urn:uuid:"):].lower() if parent.startswith("urn:uuid:") \
        else None
    row["anchor_score"] = item.get("citetrace:anchorScore").number()
    return row, _history_of(item.get("citetrace:history"))


def _history_of(value: _Value) -> list[dict] | None:
    if value.value is None:
        return None
    if not isinstance(value.value, list):
        raise value._bad("a list")
    out = []
    for h in value.many():
        h.obj()
        changes = h.get("changes")
        if changes.value is not None:
            changes.obj()
        out.append({"at": h.get("at").when() or now(), "actor": h.get("actor").text(),
                    "action": h.get("action").text(required=True),
                    "changes": changes.value or {}})
    return out


def import_jsonld(db, data, actor: str) -> dict[str, int]:
    """Import annotations, skipping uuids already present; re-anchor their documents.

    Returns counts: imported, skipped (already there), reanchored documents.
    """
    rows = _rows_of(data)  # every value checked before anything is written
    counts = {"imported": 0, "skipped": 0, "documents": 0}
    conn = conn_of(db)
    docs: dict[str, int | None] = {}
    with transaction(conn):
        for row, hist in rows:
            if conn.execute("select 1 from annotations where uuid = ?", [row["uuid"]]).fetchone():
                counts["skipped"] += 1
                continue
            found = conn.execute("select id from documents where sha256 = ?",
                                 [row["document_sha256"]]).fetchone()
            docs[row["document_sha256"]] = found[0] if found else None
            if not found:  # kept, waiting for its document: ingesting it re-anchors it
                row.update(document_id=None, passage_id=None, end_passage_id=None,
                           footnote_id=None, claim_id=None, source_id=None, start=None,
                           end=None, anchor="orphaned", anchor_score=None)
            cols = ", ".join(f'"{c}"' for c in row)
            new_id = conn.execute(
                f"insert into annotations ({cols}) values ({', '.join('?' for _ in row)})",
                list(row.values())).lastrowid
            if hist:  # the record travels with the annotation: restored, not rewritten
                for h in hist:
                    _history(conn, new_id, row["uuid"], h["at"], h.get("actor"), h["action"],
                             h.get("changes") or {})
            else:
                _history(conn, new_id, row["uuid"], now(), actor, "import",
                         {k: [None, v] for k, v in row.items() if v not in (None, "", "[]")})
            counts["imported"] += 1
        for doc_id in {d for d in docs.values() if d is not None}:
            reanchor(conn, doc_id)
            counts["documents"] += 1
    return counts


# --- CSV --------------------------------------------------------------------------------

CSV_COLUMNS = ["id", "uuid", "document_id", "document_sha256", "target_kind", "passage_id",
               "end_passage_id", "footnote_id", "claim_id", "source_id", "start", "end",
               "exact", "prefix", "suffix", "anchor", "anchor_score", "motivation", "tags",
               "body", "author", "assignee", "state", "created", "modified", "in_reply_to"]


def export_csv(db, filters: Filters | None = None) -> str:
    out = io.StringIO()
    # RFC 4180 line ends: the writer quotes a cell holding CR or LF only when the line end
    # has them, and a bare CR left unquoted starts a new row (formula first) in spreadsheets.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    f = replace(filters or Filters(include_deleted=True), include_replies=True)
    for a in list_annotations(db, f):
        t = a.target
        values = {**vars(t), **vars(a), "target_kind": t.kind, "tags": ";".join(a.tags)}
        values.pop("target")
        writer.writerow([_csv_cell(values.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def _csv_cell(value):
    # Spreadsheet formula injection: a quote from a PDF may start with = + - @, or with the
    # tab / CR that spreadsheets skip before reading one (OWASP's list).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# --- Markdown review report -------------------------------------------------------------


# Text from a PDF (title, claims, notes, quotes) or from another tool (authors) is shown as
# it reads: raw HTML and Markdown syntax in it are escaped, so a report rendered by any
# Markdown renderer runs nothing and links nowhere. Bodies stay Markdown (reviewers write
# them so), with raw HTML shown as text and script URLs unlinked, as on the web pages.
_MD_SYNTAX = re.compile(r"([\\`*\[\]!|])")
# inline links "[x](javascript:...)" and reference definitions "[x]: javascript:..."
_SCRIPT_LINK = re.compile(r"(\]\(|\]:)\s*(?:javascript|vbscript|data|file)\s*:", re.I)


def _md_text(text: str) -> str:
    # An entity, not a backslash: not every renderer takes "\\<" (Python-Markdown does not).
    text = (text or "").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SYNTAX.sub(r"\\\1", text)


def _md_body(text: str) -> str:
    return _SCRIPT_LINK.sub(r"\1#", (text or "").replace("<", "&lt;"))


def _md_quote(text: str) -> str:
    return "\n".join("> " + _md_text(line) for line in (text or "").splitlines() or [""])


def _md_inline(text: str) -> str:
    return _md_text(" ".join((text or "").split()))


def _ann_line(a: Annotation, thread: dict | None = None) -> str:
    verdict = ", ".join(a.tags) or a.motivation
    who = _md_inline(a.author + (f", assigned to {a.assignee}" if a.assignee else ""))
    head = f"- **{verdict}** ({a.state}) by {who}, {_md_inline(a.created[:10])}"
    body = "\n".join("  " + line for line in _md_body(a.body.strip()).splitlines())
    lines = [head + ("\n" + body if body else "")]
    for r in (thread or {}).get(a.uuid, ()):
        lines.append(f"  - reply by {_md_inline(r.author)}, {_md_inline(r.created[:10])}")
        lines += ["    " + line for line in _md_body(r.body.strip()).splitlines()]
    return "\n".join(lines)


def markdown_report(db, document) -> str:
    """Claims with their notes, verdicts and comments; other and orphaned annotations."""
    conn = conn_of(db)
    doc = _document(conn, document)
    anns = list_annotations(conn, Filters(document=doc["sha256"]))
    thread = replies(conn, anns)
    title = doc["title"] or f"Document {doc['id']}"
    states = {s: sum(a.state == s for a in anns) for s in STATES if s != "deleted"}
    lines = [f"# Review: {_md_inline(title)}", "",
             f"Document {doc['id']}, sha256 `{doc['sha256'][:12]}`: {len(anns)} annotations "
             "(" + ", ".join(f"{n} {s}" for s, n in states.items() if n) + ").", ""]
    by_claim: dict[int, list[Annotation]] = {}
    other, orphaned = [], []
    for a in anns:
        if a.orphaned:
            orphaned.append(a)
        elif a.target.claim_id is not None:
            by_claim.setdefault(a.target.claim_id, []).append(a)
        else:
            other.append(a)
    if by_claim:
        lines += ["## Claims", ""]
        claims = {r["id"]: r for r in _rows(
            conn, f"select c.id, c.text, c.kind, c.needs_source, p.page from claims c "
                  f"left join passages p on p.id = c.passage_id where c.id in "
                  f"({','.join('?' for _ in by_claim)})", list(by_claim))}
        for cid in sorted(by_claim, key=lambda c: (claims.get(c, {}).get("page") or 0, c)):
            c = claims.get(cid, {"text": "?", "kind": None, "page": None, "needs_source": 0})
            flag = ", needs a source" if c["needs_source"] else ""
            lines += [f"### Claim {cid} (p. {c['page']}, {_md_inline(c['kind'])}{flag})", "",
                      _md_quote(c["text"]), ""]
            notes = _rows(conn, "select f.label, f.text from claim_footnotes cf join footnotes f "
                                "on f.id = cf.footnote_id where cf.claim_id = ? order by f.seq",
                          [cid])
            for n in notes:
                lines.append(f"Note {_md_inline(n['label'])}: {_md_inline(n['text'])}")
            if notes:
                lines.append("")
            lines += [_ann_line(a, thread) for a in by_claim[cid]] + [""]
    if other:
        lines += ["## Other annotations", ""]
        for a in other:
            where = f"note {a.target.footnote_id}" if a.target.kind == "note" else f"passage {a.target.passage_id}"
            lines += [f"On {where}: “{_md_inline(a.target.exact)}”", "", _ann_line(a, thread), ""]
    if orphaned:
        lines += ["## Orphaned annotations", "",
                  "Their text was not found in the current extraction; kept with their quote.", ""]
        for a in orphaned:
            lines += [_md_quote(a.target.exact), "", _ann_line(a, thread), ""]
    return "\n".join(lines).rstrip() + "\n"
