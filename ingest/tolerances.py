"""Layout tolerances of the extractor, in one place, each with why it has its value.

Sizes are shares of a font size ("em") unless the name says points or pages. Changing one
changes extraction: bump ``ingest.EXTRACTOR_VERSION`` with it.
"""

# ---------------------------------------------------------------- page bands and body size
MARGIN = 0.08  # share of the text's height where running heads and footers live
MARGIN_ROWS = 3  # rows at each end of a page that may be running heads or footers
BODY_ZONE = 0.6  # body size is measured above this share of the page: notes live below
BODY_LINE_LETTERS = 30  # a row with this many letters is running text, not a table or label
FALLBACK_BODY_SIZE = 10.0  # points: a page without text still needs a size to compare with
# points: the longest page side read (the PDF spec allows 14,400; wall maps with /UserUnit go
# beyond); a larger box is a damaged or hostile MediaBox whose Inf / NaN would reach the bboxes
MAX_PAGE_SIDE = 1e6

# ---------------------------------------------------------------- raised words (markers)
# a word with more glyphs is no marker (markers are at most "123" or "1,2,3")
MARKER_GLYPHS = 8
MARKER_SMALLER = 0.85  # a marker is set at most this share of its row's largest word
HOST_LARGER = 1.15  # the word a marker hangs on is at least this much larger than it
HOST_GAP = 0.6  # ems of the row's largest size: a marker touches its host word
HANGING_BELOW = 0.1  # ems: a smaller word hanging this far below its neighbours is no marker
GLUE_OVERLAP = 0.5  # points: glyph boxes of glued words may overlap this much
GLUE_AFTER = 0.3  # ems of the host: a marker starts at most this far after the host ends
SAME_SIZE = 0.1  # ems: two markers of one list ("16, 17") share size and top this closely
RAISED_TOP = 0.5  # ems of the host: a marker's top may sit this far above the host's top

# ---------------------------------------------------------------- words and lines
WORD_GAP = 0.12  # ems: a wider gap separates words (kerning stays below ~0.05)
RAISED_SIZE = 0.9  # a raised word is set at most this share of its line's size

# ---------------------------------------------------------------- notes
MIN_ENDNOTES = 3  # an unheaded list at the end is endnotes only with this many labels 1..N
SMALL = 0.92  # notes are set at most this share of the body size
SEPARATOR_WIDTH = 0.45  # a note separator is at most this share of the text width
SAME_SIZE_NOTE_LINES = 8  # lines of one body-size note without a label before it is body

# ---------------------------------------------------------------- rules (separators, borders)
RULE_THICKNESS = 2.5  # points: a drawn line or filled rectangle at most this thick is a rule
RULE_MIN_LENGTH = 20  # points: shorter strokes are underlines of a word or bullets

# ---------------------------------------------------------------- furniture
SMALL_LABEL = 0.9  # a margin row starting with a label this much smaller is a note, not a foot
FEW_PAGES = 8  # documents shorter than this confirm a running head on 2 pages, others on 3
SAME_HEIGHT_SHARE = 0.02  # of the page height (+ SAME_HEIGHT_POINTS): rows at one height
SAME_HEIGHT_POINTS = 4  # points
KNOWN_HEAD_LARGER = 1.2  # a known head set larger than this is the title it repeats
VARIANT_PREFIX = 12  # letters a running foot's variant shares with it ("… · VERSION 3")
FOLIO_SIZE = 0.5  # points: a folio head matches the running heads' size this closely
ECHO_LARGER = 1.5  # a margin row repeating a heading this much larger is a running head
MIN_REPEATED = 8  # characters: shorter repeated rows may be content (a label, a number)
REPEATED_LARGER = 1.25  # a repeated line set larger than this times the body is a heading

# ---------------------------------------------------------------- columns
GUTTER_MIN = 0.45  # ems: the narrowest gap that can be a gutter (…)
GUTTER_MIN_POINTS = 3.5  # (…and never under this many points)
STRONG_ROWS = 4  # rows a gutter must run through to be trusted on its own…
STRONG_SIDE = 3  # …with text on each side on this many of them
# A gutter seen on only a few rows must be at least this many body ems wide: a justified
# line's word space can line up with a gutter seen elsewhere in the document.
WEAK_GUTTER = 0.9
KNOWN_GUTTER = 6  # points: a short run's gap at most this far from a known gutter's middle
LABEL_SLAB = 3.5  # ems: a narrow slab of labels left of a gap is a hanging list, not a column
LABEL_CHARS = 5  # characters: the longest label of such a slab ("(iii)")
EDGE = 0.5  # points: a gap touching the text's outer edge is margin, not gutter

# ---------------------------------------------------------------- title
TITLE_LARGER = 1.15  # the title is set at least this much larger than page 1's smallest text
