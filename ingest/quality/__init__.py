"""Extraction quality: score a citetrace database against gold files (`citetrace eval`).

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
  that gold body are left out (the body legitimately repeats them; see :func:`note_leak`), and
  so are letters that the document's own note with the same label holds, unless the
  passages hold the note's last 30 letters too (the body quotes the start of a note that was
  extracted; a leaked note leaks to its end).
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
* self-check agreement: of the documents with gold notes and note F1 < ``COLLAPSE_F1``, how
  many the extraction's own check (``extraction_checks.verdict``) calls ``suspect`` (all
  should be); of the others, how many it calls suspect (at most 1 in 10 should be).

A gold file without a matching document is *missing*: it is scored as if the document had been
ingested with nothing extracted (recall 0, F1 0, text 0, marker F1/cover 0, body cover 0, its
gold URLs unmatched), except that note and furniture leak are None, since nothing that was not
extracted can leak and a 0 would flatter the set.

Modules: :mod:`.gold` (the gold file format), :mod:`.predicted` (what a database holds for a
document), :mod:`.normalize` (the README's compare forms), :mod:`.metrics` (one function per
measure), :mod:`.score` (per document and over the set: :func:`evaluate`). This package reads
a database with plain sqlite3 and imports nothing from ``db``: it measures extraction.
"""

from .gold import Gold, GoldError, GoldMarker, GoldNote, gold_stem, load_gold, load_gold_dir, parse_gold
from .metrics import (
    body_cover,
    furniture_fragments,
    furniture_leaked,
    linked_refs,
    marker_counts,
    marker_cover,
    match_notes,
    note_leak,
    paragraph_found,
    prf,
    reading_order_agreement,
)
from .normalize import normalize, normalize_url, similarity
from .predicted import PredNote, PredPassage, PredRef, Predicted, load_predicted, match_documents
from .score import Aggregate, DocScore, EvalReport, aggregate, evaluate, score_document

__all__ = [
    "Aggregate", "DocScore", "EvalReport", "Gold", "GoldError", "GoldMarker", "GoldNote",
    "PredNote", "PredPassage", "PredRef", "Predicted", "aggregate", "body_cover", "evaluate",
    "furniture_fragments", "furniture_leaked", "gold_stem", "linked_refs", "load_gold",
    "load_gold_dir", "load_predicted", "marker_counts", "marker_cover", "match_documents",
    "match_notes", "normalize", "normalize_url", "note_leak", "paragraph_found", "parse_gold",
    "prf", "reading_order_agreement", "score_document", "similarity",
]
