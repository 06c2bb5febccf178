"""Style-varied documents with exact gold, to test extraction on styles nobody has seen.

``python -m citetrace.ingest.variants build --out DIR --count N --seed S`` writes N variants:
invented prose with footnotes or endnotes (:mod:`.content`), each in a seeded random style
(:mod:`.style`: note size equal to or below the body, separator stroked / filled rectangle /
absent, note-size tables and figure labels, 1 or 2 columns, numbered paragraphs, raised or
plain labels, notes continued across pages, long URLs), typeset in turn by reportlab
(:mod:`.reportlab_pdf`), LibreOffice Writer (:mod:`.writer`) and pdfLaTeX (:mod:`.latex`).
Each ``<stem>.pdf`` gets a ``<stem>.gold.json`` in the corpus gold format, read back from the
produced PDF (:mod:`.gold`), so ``citetrace eval --db X DIR`` scores them like the corpus.
"""

from .builder import Built, Variant, build, build_variants, make_variants, missing_programs
from .style import PRODUCERS, Style

__all__ = ["Built", "Variant", "build", "build_variants", "make_variants", "missing_programs",
           "PRODUCERS", "Style"]
