"""Score a citetrace database against gold files.

The scoring follows the corpus README (``corpus/README.md``, "How quality is scored"):

* **note P/R/F1** - a predicted note (a ``footnotes`` row of the document) matches a gold note
  with the same label, and the same page where the gold note gives one; each gold note and
  each predicted note matches at most once. When several predicted notes qualify, the one
  whose text is most similar is taken. F1 is ``2·tp / (pred + gold)``; P (R) is None when
  nothing was predicted (nothing is in the gold); F1 is 1.0 when both are empty.
* **note text** - share of *gold* notes whose matched note text has similarity >= 0.95:
  ``difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()`` of the texts after
  :func:`normalize`. ``autojunk`` is off because its speed heuristic treats every common
  letter of a text over 200 characters as junk, which makes the ratio of long notes erratic.
* **URL F1** - the set of ``citations.url`` and ``citations.archive_url`` of the document's notes against the set of gold
  note URLs, both after :func:`normalize_url`.
* **marker F1** (gold ``markers`` is a list) - (label, page) multisets of gold markers against
  linked refs: ``footnote_refs`` rows whose ``footnote_id`` is set and points to a footnote
  with the ref's own label.
  **marker cover** (gold ``markers`` is null, CRS files) - share of gold notes that at least
  one such linked ref points to (same label, and same page where the gold note has one).
* **note leak** - share of gold notes with >= 90 normalized letters whose normalized text
  ``[5:85]`` occurs in the concatenated normalized passages (must be 0). None when no gold
  note is long enough. Where the gold has body paragraphs, notes whose letters 5-85 occur in
  that gold body are left out (the body legitimately repeats them; see :func:`note_leak`).
* **furniture leak** - number of gold furniture entries found in the passages (must be 0);
  see :func:`furniture_fragments` and :func:`furniture_leaked` for how descriptive entries are
  read. None when the gold lists no furniture.
* **body cover** (gold has ``body_paragraphs``) - share of paragraphs found in the
  concatenated normalized passages: at least 3 of 5 evenly spaced 30-letter windows occur.

"Letters" means characters of the normalized text (which has no white space).

A gold file ``<stem>.gold.json`` belongs to the document whose ``filename`` or any name in its
``filenames`` list has that stem (:func:`match_documents`); documents without gold are ignored.

Aggregation over a set (:class:`Aggregate`):

* note P, R, F1, note text, marker F1 and marker cover: note-weighted means of the per-document
  values (weight = number of gold notes; documents where the value is None are left out, so
  documents without gold notes weigh nothing - their spurious notes are counted separately in
  ``spurious_notes``). Note-weighted recall equals micro recall.
* URL P/R/F1: micro-averaged over URL counts (sums of matched, predicted and gold URLs).
* note leak and body cover: plain mean over the documents that have a value.
* furniture leak: summed over the documents that have a value.

A gold file without a matching document is *missing*: it is scored as if the document had been
ingested with nothing extracted (recall 0, F1 0, text 0, marker F1/cover 0, body cover 0, its
gold URLs unmatched), except that note and furniture leak are None, since nothing that was not
extracted can leak and a 0 would flatter the set.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from rich.console import Console
from rich.table import Table

GOLD_SUFFIX = ".gold.json"
TEXT_THRESHOLD = 0.95
LEAK_MIN_LETTERS = 90
LEAK_START, LEAK_END = 5, 85
WINDOW = 30
BODY_WINDOWS = 5
BODY_MIN_FOUND = 3
ORDER_MIN_LETTERS = 40
# Furniture fragments shorter than this (page numbers, "Syllabus", "IN FOCUS") occur in
# ordinary prose too, so they only count when they make up a whole passage.
FURNITURE_MIN_SUBSTRING = 20

# ---------------------------------------------------------------------------- normalization

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u0060"}
_QUOTES.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"})
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
           "\u2e3a\u2e3b\ufe58\ufe63\uff0d"}
_TRANSLATE = str.maketrans({**_QUOTES, **_DASHES})
_SPACE = re.compile(r"\s+")


def normalize(text: str | None, fold_case: bool = True) -> str:
    """README normalization: NFKC, straight quotes, plain dashes, lower case, no white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub("", text.lower() if fold_case else text)


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_WWW = re.compile(r"^www\.", re.IGNORECASE)
# Punctuation that ends a sentence or closes a bracket/quote around a printed URL.
_URL_TRAILING = "/.,;:!?)]}>'\"\u2019\u201d"


def normalize_url(url: str | None) -> str:
    """Compare form of a URL: no scheme, no ``www.``, no trailing slash or punctuation.

    Nothing else changes (case included): the README names exactly these differences.
    """
    if not url:
        return ""
    url = _SCHEME.sub("", url.strip())
    url = _WWW.sub("", url)
    return url.rstrip(_URL_TRAILING)


def similarity(a: str, b: str) -> float:
    """difflib ratio of two already normalized texts."""
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# ---------------------------------------------------------------------------- gold files


class GoldError(ValueError):
    """A gold file that does not follow the README format."""


@dataclass(frozen=True)
class GoldNote:
    label: str
    page: int | None
    text: str
    urls: tuple[str, ...] = ()
    kind: str | None = None


@dataclass(frozen=True)
class GoldMarker:
    label: str
    page: int | None


@dataclass
class Gold:
    stem: str  # file name without ".gold.json": the PDF stem it belongs to
    path: str
    file: str | None
    sha256: str | None
    notes: list[GoldNote]
    markers: list[GoldMarker] | None  # None: the gold has no marker positions (CRS)
    furniture: list[str] = field(default_factory=list)
    body_paragraphs: list[str] | None = None
    blocks: list[str] | None = None  # reading-order blocks, where the gold has them


def gold_stem(path: str | Path) -> str:
    name = Path(path).name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else Path(name).stem


def _fail(path: Path, message: str) -> GoldError:
    return GoldError(f"{path}: {message}")


def _label(value, path: Path, where: str) -> str:
    # Labels are strings in the format; integers are accepted because JSON writers emit them.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _fail(path, f"{where}: label must be a string, got {value!r}")
    return str(value).strip()


def _page(value, path: Path, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, f"{where}: page must be an integer or null, got {value!r}")
    return value


def _strings(value, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{where} must be a list of strings")
    return list(value)


def _gold_note(raw, path: Path, i: int) -> GoldNote:
    where = f"footnotes[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where} must be an object")
    if "label" not in raw or not isinstance(raw.get("text"), str):
        raise _fail(path, f"{where} needs a label and a text")
    return GoldNote(
        label=_label(raw["label"], path, where),
        page=_page(raw.get("page"), path, where),
        text=raw["text"],
        urls=tuple(_strings(raw.get("urls"), path, f"{where}.urls")),
        kind=raw.get("kind"),
    )


def _gold_marker(raw, path: Path, i: int) -> GoldMarker:
    where = f"markers[{i}]"
    if not isinstance(raw, dict) or "label" not in raw:
        raise _fail(path, f"{where} must be an object with a label")
    return GoldMarker(_label(raw["label"], path, where), _page(raw.get("page"), path, where))


def _blocks(value, path: Path) -> list[str] | None:
    # report.json style: a list of {"type", "text", "page"}; plain strings are accepted too.
    if value is None:
        return None
    if not isinstance(value, list):
        raise _fail(path, "blocks must be a list")
    texts = [b.get("text") if isinstance(b, dict) else b for b in value]
    if not all(isinstance(t, str) for t in texts):
        raise _fail(path, "every block needs a text")
    return texts


def parse_gold(data: dict, path: str | Path) -> Gold:
    """Validate one gold JSON object; raises :class:`GoldError` naming the file and field."""
    path = Path(path)
    if not isinstance(data, dict):
        raise _fail(path, "gold must be a JSON object")
    notes = data.get("footnotes")
    if not isinstance(notes, list):
        raise _fail(path, "footnotes must be a list")
    markers = data.get("markers")
    if markers is not None and not isinstance(markers, list):
        raise _fail(path, "markers must be a list or null")
    body = data.get("body_paragraphs")
    return Gold(
        stem=gold_stem(path),
        path=str(path),
        file=data.get("file"),
        sha256=data.get("sha256"),
        notes=[_gold_note(n, path, i) for i, n in enumerate(notes)],
        markers=None if markers is None
        else [_gold_marker(m, path, i) for i, m in enumerate(markers)],
        furniture=_strings(data.get("furniture"), path, "furniture"),
        body_paragraphs=None if body is None else _strings(body, path, "body_paragraphs"),
        blocks=_blocks(data.get("blocks"), path),
    )


def load_gold(path: str | Path) -> Gold:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON: {exc}") from exc
    return parse_gold(data, path)


def load_gold_dir(gold_dir: str | Path) -> list[Gold]:
    """Every ``*.gold.json`` in ``gold_dir`` (not recursive), sorted by stem."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    return [load_gold(p) for p in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}"))]


# ---------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class PredNote:
    id: int
    label: str
    page: int | None
    text: str


@dataclass(frozen=True)
class PredRef:
    label: str
    page: int | None
    footnote_id: int | None


@dataclass(frozen=True)
class PredPassage:
    kind: str | None
    text: str


@dataclass
class Predicted:
    """What the database holds for one document, as far as scoring needs it."""

    notes: list[PredNote] = field(default_factory=list)
    refs: list[PredRef] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)  # normalized
    passages: list[PredPassage] = field(default_factory=list)  # in reading order


def _connect(db_path: str | Path) -> sqlite3.Connection:
    # sqlite3.connect would create an empty database for a wrong path; fail loudly instead.
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"database not found: {db_path}")
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    return conn


def _names(row: sqlite3.Row) -> list[str]:
    names = [row["filename"]]
    raw = row["filenames"] if "filenames" in row.keys() else None
    if raw:
        try:
            names += [n for n in json.loads(raw) if isinstance(n, str)]
        except (json.JSONDecodeError, TypeError):
            pass  # a malformed alias list must not hide the main filename
    return names


def _stem(filename: str) -> str:
    # Filenames are stored as given; accept Windows separators too.
    return PurePosixPath(filename.replace("\\", "/")).stem


def match_documents(conn: sqlite3.Connection, golds: list[Gold]) -> dict[str, int]:
    """Gold stem -> document id, by the stem of ``filename`` or any name in ``filenames``.

    When several documents share a stem (different versions of a file), the one whose sha256
    equals the gold's wins, then the most recently ingested one.
    """
    candidates: dict[str, list[sqlite3.Row]] = {}
    for row in conn.execute("select * from documents"):
        for stem in {_stem(n) for n in _names(row) if n}:
            candidates.setdefault(stem, []).append(row)
    matched = {}
    for gold in golds:
        rows = candidates.get(gold.stem)
        if rows:
            best = max(rows, key=lambda r: (r["sha256"] == gold.sha256,
                                            r["ingested_at"] or "", r["id"]))
            matched[gold.stem] = best["id"]
    return matched


def load_predicted(conn: sqlite3.Connection, document_id: int) -> Predicted:
    notes = [
        PredNote(r["id"], str(r["label"]).strip(), r["page"], r["text"] or "")
        for r in conn.execute(
            "select id, label, page, text from footnotes where document_id = ? order by seq, id",
            [document_id],
        )
    ]
    refs = [
        PredRef(str(r["label"]).strip(), r["page"], r["footnote_id"])
        for r in conn.execute(
            "select label, page, footnote_id from footnote_refs where document_id = ? order by id",
            [document_id],
        )
    ]
    # a citation's URLs: the one it cites and the archived copy printed beside it
    urls = {
        normalize_url(url)
        for r in conn.execute(
            "select citations.url, citations.archive_url from citations"
            " join footnotes on footnotes.id = citations.footnote_id"
            " where footnotes.document_id = ?",
            [document_id],
        )
        for url in (r["url"], r["archive_url"]) if url
    }
    passages = [
        PredPassage(r["kind"], r["text"] or "")
        for r in conn.execute(
            "select kind, text from passages where document_id = ? order by seq, id", [document_id]
        )
    ]
    return Predicted(notes, refs, urls - {""}, passages)


# ---------------------------------------------------------------------------- metrics


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float | None, float | None, float]:
    """Precision, recall, F1; P (R) is None without predictions (gold), F1 is 1.0 if both empty."""
    precision = tp / n_pred if n_pred else None
    recall = tp / n_gold if n_gold else None
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 1.0
    return precision, recall, f1


def match_notes(
    gold: list[GoldNote], pred: list[PredNote]
) -> list[tuple[GoldNote, PredNote | None, float]]:
    """Pair each gold note with at most one unused predicted note: (gold, pred, similarity)."""
    unused = list(pred)
    pairs = []
    for g in gold:
        g_norm = normalize(g.text)
        candidates = [p for p in unused
                      if p.label == g.label and (g.page is None or p.page == g.page)]
        scored = [(similarity(g_norm, normalize(p.text)), p) for p in candidates]
        if not scored:
            pairs.append((g, None, 0.0))
            continue
        # max() keeps the first of equal scores: the earlier note in reading order.
        sim, best = max(scored, key=lambda s: s[0])
        unused.remove(best)
        pairs.append((g, best, sim))
    return pairs


def linked_refs(pred: Predicted) -> list[PredRef]:
    """Refs linked to a note carrying their own label (a link elsewhere does not count)."""
    label_of = {n.id: n.label for n in pred.notes}
    return [r for r in pred.refs
            if r.footnote_id is not None and label_of.get(r.footnote_id) == r.label]


def marker_counts(gold: list[GoldMarker], pred: Predicted) -> tuple[int, int, int]:
    """(matched, predicted, gold) for the (label, page) multisets."""
    gold_bag = Counter((m.label, m.page) for m in gold)
    pred_bag = Counter((r.label, r.page) for r in linked_refs(pred))
    return sum((gold_bag & pred_bag).values()), sum(pred_bag.values()), sum(gold_bag.values())


def marker_cover(gold: list[GoldNote], pred: Predicted) -> float | None:
    notes = {n.id: n for n in pred.notes}
    targets = {(notes[r.footnote_id].label, notes[r.footnote_id].page) for r in linked_refs(pred)}
    covered = [
        g for g in gold
        if any(label == g.label and (g.page is None or page == g.page) for label, page in targets)
    ]
    return len(covered) / len(gold) if gold else None


def note_leak(
    gold: list[GoldNote], haystack: str, body: str = ""
) -> tuple[float | None, list[str]]:
    """(share of long gold notes found in the passages, labels of the leaked notes).

    ``body`` is the gold's own normalized body text, where it has one (CRS). A note whose
    letters 5-85 occur there is left out: the body really repeats it (crs_R46991.32 cites
    act names and a URL title word for word in the body and in notes 19, 24 and 128), so
    finding it in the passages is no leak.
    """
    eligible = [(g, normalize(g.text)) for g in gold]
    eligible = [(g, t) for g, t in eligible if len(t) >= LEAK_MIN_LETTERS]
    if body:
        eligible = [(g, t) for g, t in eligible if t[LEAK_START:LEAK_END] not in body]
    leaked = [g.label for g, t in eligible if t[LEAK_START:LEAK_END] in haystack]
    return (len(leaked) / len(eligible) if eligible else None), leaked


_QUOTED = re.compile(r'"([^"]+)"')
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")


def _fragment_sources(entry: str) -> list[list[str]]:
    """The printed strings of one entry: per fragment, its variants as printed."""
    sources = _QUOTED.findall(entry) or [entry]
    return [[part, part.replace(" / ", " ")]
            for source in sources for part in _ELLIPSIS.split(source) if normalize(part)]


def furniture_fragments(entry: str) -> list[tuple[str, ...]]:
    """Normalized search strings for one gold furniture entry.

    Some entries are the printed text itself ("Kazakhstan's June Referendum: ..."), others
    describe it in prose and quote the printed text in straight double quotes
    ('Running header on pages 2-3: "Russia's Nuclear Weapons"'). Rules:

    * an entry with straight-quoted strings stands for those strings only (the prose around
      them is description); an entry without is searched as a whole;
    * an ellipsis ("..." or "…") marks omitted text: the parts around it are separate fragments;
    * " / " is a line break in some entries (CRS masthead) and printed text in others (Federal
      Register running head), so each fragment has two variants, with and without the slash.

    Returns one tuple of alternative variants per fragment.
    """
    return [tuple(sorted({normalize(v) for v in variants})) for variants in _fragment_sources(entry)]


def furniture_leaked(entry: str, passages: list[tuple[str | None, str]]) -> bool:
    """Whether any fragment of ``entry`` leaked into ``passages`` ((kind, text)).

    A fragment of 20+ letters leaks when it starts or ends a passage (any case), or occurs
    inside one as printed (capitals kept: a running head glued into a paragraph keeps its
    print, while the same words in prose - "Russia's nuclear weapons" under the running head
    "Russia's Nuclear Weapons" - are not furniture); a shorter one only when it is a passage's
    whole text (any case). One occurrence that is a whole ``heading`` passage is tolerated:
    running heads often repeat the title or a section heading (the report replicas print the
    title as title and as running head), and that heading is body text. Passages are searched
    one by one so that the end of one and the start of the next cannot form a false match.
    """
    texts = [(kind, normalize(text), normalize(text, fold_case=False)) for kind, text in passages]
    for variants in _fragment_sources(entry):
        for raw in variants:
            folded, printed = normalize(raw), normalize(raw, fold_case=False)
            whole = sum(t == folded for _, t, _ in texts)
            tolerated = any(kind == "heading" and t == folded for kind, t, _ in texts)
            if len(folded) < FURNITURE_MIN_SUBSTRING:
                found = whole
            else:
                found = sum(max(p.count(printed), t.startswith(folded) or t.endswith(folded))
                            for _, t, p in texts)
            if found > int(tolerated):
                return True
    return False


def _windows(text: str, count: int = BODY_WINDOWS, size: int = WINDOW) -> list[str]:
    """``count`` evenly spaced windows from start to end (the whole text if shorter)."""
    if len(text) <= size:
        return [text]
    span = len(text) - size
    return [text[round(i * span / (count - 1)) :][:size] for i in range(count)]


def paragraph_found(paragraph: str, haystack: str) -> bool:
    """At least 3 of 5 evenly spaced 30-letter windows occur (a paragraph of 30 letters or
    fewer must occur whole)."""
    text = normalize(paragraph)
    windows = _windows(text)
    if len(windows) == 1:
        return windows[0] in haystack
    return sum(w in haystack for w in windows) >= BODY_MIN_FOUND


def body_cover(paragraphs: list[str], haystack: str) -> float | None:
    paragraphs = [p for p in paragraphs if normalize(p)]
    if not paragraphs:
        return None
    return sum(paragraph_found(p, haystack) for p in paragraphs) / len(paragraphs)


def reading_order_agreement(passage_texts: list[str], block_texts: list[str]) -> float:
    """Share of consecutive located gold blocks that the passages read in the same order.

    Both sides are normalized; each gold block of 40+ letters is located in the concatenated
    passages by the 30-letter window from its middle. Blocks that are shorter, not found, or
    whose window occurs more than once (a quotation repeated in the text: its place is
    ambiguous) are skipped. Of the located blocks, taken in gold order, each consecutive pair
    counts as agreeing when the second is found after the first. Returns 0.0 when fewer than
    two blocks are located (no evidence of agreement).
    """
    haystack = "".join(normalize(t) for t in passage_texts)
    positions = []
    for block in block_texts:
        text = normalize(block)
        if len(text) < ORDER_MIN_LETTERS:
            continue
        middle = (len(text) - WINDOW) // 2
        window = text[middle : middle + WINDOW]
        position = haystack.find(window)
        if position >= 0 and haystack.find(window, position + 1) < 0:
            positions.append(position)
    pairs = list(zip(positions, positions[1:]))
    return sum(b > a for a, b in pairs) / len(pairs) if pairs else 0.0


# ---------------------------------------------------------------------------- scoring


@dataclass
class DocScore:
    """One gold file scored against its document (see the module docstring)."""

    stem: str
    document_id: int | None  # None: missing from the database
    notes_gold: int
    notes_pred: int
    notes_matched: int
    note_precision: float | None
    note_recall: float | None
    note_f1: float
    note_text: float | None  # share of gold notes with text similarity >= 0.95
    urls_gold: int
    urls_pred: int
    urls_matched: int
    url_f1: float
    markers_gold: int | None = None  # None: gold has no markers (cover is scored instead)
    markers_pred: int | None = None
    markers_matched: int | None = None
    marker_f1: float | None = None
    marker_cover: float | None = None
    note_leak: float | None = None
    leaked_notes: list[str] = field(default_factory=list)
    furniture_leak: int | None = None
    leaked_furniture: list[str] = field(default_factory=list)
    body_paragraphs: int | None = None
    body_cover: float | None = None
    unmatched_notes: list[str] = field(default_factory=list)  # gold labels without a match

    @property
    def missing(self) -> bool:
        return self.document_id is None


def _note_scores(gold: Gold, pred: Predicted) -> dict:
    pairs = match_notes(gold.notes, pred.notes)
    matched = sum(p is not None for _, p, _ in pairs)
    good_text = sum(p is not None and sim >= TEXT_THRESHOLD for _, p, sim in pairs)
    precision, recall, f1 = prf(matched, len(pred.notes), len(gold.notes))
    return dict(
        notes_gold=len(gold.notes), notes_pred=len(pred.notes), notes_matched=matched,
        note_precision=precision, note_recall=recall, note_f1=f1,
        note_text=good_text / len(gold.notes) if gold.notes else None,
        unmatched_notes=[g.label for g, p, _ in pairs if p is None],
    )


def _url_scores(gold: Gold, pred: Predicted) -> dict:
    gold_urls = {normalize_url(u) for n in gold.notes for u in n.urls} - {""}
    tp = len(gold_urls & pred.urls)
    return dict(urls_gold=len(gold_urls), urls_pred=len(pred.urls), urls_matched=tp,
                url_f1=prf(tp, len(pred.urls), len(gold_urls))[2])


def _marker_scores(gold: Gold, pred: Predicted) -> dict:
    if gold.markers is None:
        return dict(marker_cover=marker_cover(gold.notes, pred))
    tp, n_pred, n_gold = marker_counts(gold.markers, pred)
    return dict(markers_gold=n_gold, markers_pred=n_pred, markers_matched=tp,
                marker_f1=prf(tp, n_pred, n_gold)[2])


def _passage_scores(gold: Gold, pred: Predicted) -> dict:
    normalized = [(p.kind, normalize(p.text)) for p in pred.passages]
    haystack = "".join(text for _, text in normalized)
    gold_body = "".join(normalize(p) for p in gold.body_paragraphs or [])
    leak, leaked = note_leak(gold.notes, haystack, gold_body)
    scores = dict(note_leak=leak, leaked_notes=leaked)
    if gold.furniture:
        texts = [(p.kind, p.text) for p in pred.passages]
        found = [f for f in gold.furniture if furniture_leaked(f, texts)]
        scores.update(furniture_leak=len(found), leaked_furniture=found)
    if gold.body_paragraphs is not None:
        scores.update(body_paragraphs=sum(bool(normalize(p)) for p in gold.body_paragraphs),
                      body_cover=body_cover(gold.body_paragraphs, haystack))
    return scores


def score_document(gold: Gold, pred: Predicted | None, document_id: int | None = None) -> DocScore:
    """Score one gold file; ``pred=None`` scores a missing document (see module docstring)."""
    data = pred or Predicted()
    scores = {**_note_scores(gold, data), **_url_scores(gold, data),
              **_marker_scores(gold, data), **_passage_scores(gold, data)}
    if pred is None:
        # Leaks of a document that is not there are unknown, not zero.
        scores.update(note_leak=None, leaked_notes=[], furniture_leak=None, leaked_furniture=[])
    return DocScore(stem=gold.stem, document_id=document_id, **scores)


@dataclass
class Aggregate:
    """The set's scores; how each is aggregated is given in the module docstring."""

    documents: int = 0
    missing: int = 0
    notes_gold: int = 0
    notes_pred: int = 0
    notes_matched: int = 0
    spurious_notes: int = 0  # predicted notes in documents whose gold has none
    note_precision: float | None = None
    note_recall: float | None = None
    note_f1: float | None = None
    note_text: float | None = None
    urls_gold: int = 0
    urls_pred: int = 0
    urls_matched: int = 0
    url_precision: float | None = None
    url_recall: float | None = None
    url_f1: float | None = None
    marker_f1: float | None = None
    marker_cover: float | None = None
    note_leak: float | None = None
    furniture_leak: int | None = None
    body_cover: float | None = None


def _weighted(rows: list[DocScore], attr: str) -> float | None:
    values = [(getattr(r, attr), r.notes_gold) for r in rows]
    values = [(v, w) for v, w in values if v is not None and w > 0]
    total = sum(w for _, w in values)
    return sum(v * w for v, w in values) / total if total else None


def _mean(rows: list[DocScore], attr: str) -> float | None:
    values = [getattr(r, attr) for r in rows if getattr(r, attr) is not None]
    return sum(values) / len(values) if values else None


def aggregate(rows: list[DocScore]) -> Aggregate:
    furniture = [r.furniture_leak for r in rows if r.furniture_leak is not None]
    urls = (sum(r.urls_matched for r in rows), sum(r.urls_pred for r in rows),
            sum(r.urls_gold for r in rows))
    url_p, url_r, url_f1 = prf(*urls)
    return Aggregate(
        documents=len(rows),
        missing=sum(r.missing for r in rows),
        notes_gold=sum(r.notes_gold for r in rows),
        notes_pred=sum(r.notes_pred for r in rows),
        notes_matched=sum(r.notes_matched for r in rows),
        spurious_notes=sum(r.notes_pred for r in rows if r.notes_gold == 0),
        note_precision=_weighted(rows, "note_precision"),
        note_recall=_weighted(rows, "note_recall"),
        note_f1=_weighted(rows, "note_f1"),
        note_text=_weighted(rows, "note_text"),
        urls_matched=urls[0], urls_pred=urls[1], urls_gold=urls[2],
        url_precision=url_p, url_recall=url_r,
        url_f1=url_f1 if rows and (urls[1] or urls[2]) else None,
        marker_f1=_weighted(rows, "marker_f1"),
        marker_cover=_weighted(rows, "marker_cover"),
        note_leak=_mean(rows, "note_leak"),
        furniture_leak=sum(furniture) if furniture else None,
        body_cover=_mean(rows, "body_cover"),
    )


@dataclass
class EvalReport:
    db_path: str
    gold_dir: str
    documents: list[DocScore]
    aggregate: Aggregate

    @property
    def missing(self) -> list[str]:
        return [r.stem for r in self.documents if r.missing]

    def to_dict(self) -> dict:
        """Plain JSON-serializable form."""
        return {
            "db": self.db_path,
            "gold_dir": self.gold_dir,
            "documents": [{**asdict(r), "missing": r.missing} for r in self.documents],
            "missing": self.missing,
            "aggregate": asdict(self.aggregate),
        }


def evaluate(db_path: str | Path, gold_dir: str | Path) -> EvalReport:
    """Score every gold file in ``gold_dir`` against the database at ``db_path``."""
    golds = load_gold_dir(gold_dir)
    conn = _connect(db_path)
    try:
        doc_ids = match_documents(conn, golds)
        rows = []
        for gold in golds:
            doc_id = doc_ids.get(gold.stem)
            pred = load_predicted(conn, doc_id) if doc_id is not None else None
            rows.append(score_document(gold, pred, doc_id))
    finally:
        conn.close()
    return EvalReport(str(db_path), str(gold_dir), rows, aggregate(rows))


# ---------------------------------------------------------------------------- rendering


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
    for line in legend:
        console.print(line, highlight=False, markup=False)
    if report.missing:
        console.print("missing: " + ", ".join(report.missing), highlight=False, markup=False)
