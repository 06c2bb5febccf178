"""Parse footnote text into citations and resolve short forms (Ibid., Id., supra, hereinafter).

Per note: cut the note into citation segments (:mod:`.split`), keep the segments that cite
something (:mod:`.classify`), pull fields out of each (:mod:`.fields`, dates in :mod:`.dates`),
key its source (:mod:`.keys`) and give every URL the extractor found a citation
(:mod:`.extra_urls`). Then, over the whole document in note order, short forms are resolved to
the note holding the full citation and inherit its source (:mod:`.resolve`). :mod:`.parse`
runs these steps; every pattern and threshold is in :mod:`.patterns`, the small text scans
they share in :mod:`.scan`.

Everything is regex and small heuristics tuned on CRS reports, a law review, a Supreme Court
slip opinion, GAO and think-tank reports; nothing here needs a model.
"""

from .dates import normalize_date
from .extra_urls import cited_urls
from .keys import case_cite, source_key
from .parse import parse_citations, parse_note
from .split import split_note

__all__ = ["case_cite", "cited_urls", "normalize_date", "parse_citations", "parse_note",
           "source_key", "split_note"]
