"""Layout tolerances of the extractor, in one place, each with why it has its value.

Sizes are shares of a font size ("em") unless the name says points or pages. Changing one
changes extraction: bump ``ingest.EXTRACTOR_VERSION`` with it.
"""

# ---------------------------------------------------------------- page bands and body size
MARGIN = 0.08  # share of the text's height where running heads and footers live
MARGIN_ROWS = 3  # rows at each end of a page that may be running heads or footers
BODY_ZONE = 0.6  # body size is measured above this share of the page: notes live below
BODY_LINE_LETTERS = 30  # a row with this many letters is running text, not a table or label
# rows carrying markers set the body size when at least this many of them agree on a size
# and fewer than this share of that many are in the size the letters point to
MARKED_ROWS = 5
MARKED_SHARE = 0.5
RAISED_LIFT = 0.15  # ems of its host: a marker's foot sits at least this far above the host's
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
MONO_SPACE = 0.5  # glyph cells: in a typewriter font a narrower gap is stretch, not a space
URL_STRETCH = 0.98  # glyph cells: …and beside a URL's punctuation, where the stretch is wider
# glyph cells: a wider gap beside a URL's punctuation is still stretch when a gap beside another
# mark of the row matches it this closely (the url package's glue, spread evenly over the line;
# a typewriter space is one fixed cell), up to this many cells
URL_GLUE_SAME = 0.1
URL_GLUE_CELLS = 2.5
RAISED_SIZE = 0.9  # a raised word is set at most this share of its line's size
SPLIT_BASELINE = 0.15  # ems: two pieces of one column's line whose baselines differ less are one

# ---------------------------------------------------------------- notes
MIN_ENDNOTES = 3  # an unheaded list at the end is endnotes only with this many labels 1..N
BRACKETED_MARKERS = 3  # words ending in a glued "[3]": this many make them markers
MIN_LETTER_MARKERS = 3  # raised letters after words (a and b among them): the markers are letters
SMALL = 0.92  # notes are set at most this share of the body size
SEPARATOR_WIDTH = 0.45  # a note separator is at most this share of the text width
SAME_SIZE_NOTE_LINES = 8  # lines of one body-size note without a label before it is body
SEPARATOR_REACH = 2  # points: a separator lies between the line above and this past the note
SEPARATOR_INDENT = 12  # points: a separator starts this close to the column's left edge
RULE_ROW = 1.5  # points: rules this close in height are one row (a table border)
RULE_TOUCH = 2  # points: rules this close end to end touch (a table border)
ENDNOTES_TAIL = 0.5  # share of the document: an endnotes heading stands in its second half
RAISED_LABELS = 0.5  # share of an endnote list's labels some raised marker in the text has
UNHEADED_RAISED = 0.8  # the same share for an unheaded list (nothing else says it is notes)
ENDNOTES_END_GAP = 2.5  # ems: a wider gap ends an endnote list (a credits line, a back cover)
RAISED_FOOT_NOTES = 3  # footnotes needed before their labels' style decides how to read them
RAISED_FOOT_SHARE = 0.8  # share of those with a raised label: then only raised labels start notes
NOTE_GAP = 1.3  # line pitches: the space that sets a body-size note zone off the text above
RUNNING_LINES = 3  # lines of running text above a small-type section that may be notes

# ---------------------------------------------------------------- superior digits
# A superior digit is at most this share of the width of the same font's lining digit
# (superiors are ~0.6-0.7 of it; lining figures of one font differ by far less).
SUPERIOR_WIDTH = 0.8
# Lining samples of a digit needed before its width is trusted as the reference.
LINING_SAMPLES = 2
# Letters the word must have before the digits: "accurately.1", not "19.2" or "4.14".
WORD_LETTERS = 2

# ---------------------------------------------------------------- blocks and passages
PITCH_SAME_SIZE = 0.5  # points: lines this close in size measure the line pitch together
PITCH_MAX_STEP = 3  # ems: a larger step between two lines is a gap, not the pitch
LEADING = 1.2  # ems: the pitch of a lone line (the usual leading of body type)
LONE_PITCH = 12  # points: the pitch when there is no line to measure
EDGE_SNAP = 1.5  # points: a line starting this close to the column's left starts at its edge
HANGING_INSET = 2  # body ems: paragraphs hang from a common edge at most this far inside…
HANGING_MAJORITY = 3  # …when this many times more lines start there than at the column's edge
SIZE_STEP = 0.08  # a size change beyond this share starts a block (and stops a run-on)
INDENT = 0.8  # ems: a first line set in (or out) this far starts a paragraph
INDENT_COLUMN = 20  # ems: a narrower column sets no paragraph indents (a centred title block)
INDENT_MAX_SIZE = 1.1  # a line this much larger than the body is a title, not an indent
ITEM_ALIGN = 0.6  # ems: a list item's next line starts this close under its text
LINE_NEIGHBOURS = 3  # lines either side that show where the column's lines end
WORD_SPACE = 0.3  # ems: the space before a word that would have fitted on the line
FIT_SLACK = 0.5  # ems: a short last line leaves room for the next first word and this much
BLOCK_GAP = 1.3  # pitches (or 1.25 ems, if larger): a wider gap between lines starts a block
BLOCK_GAP_EMS = 1.25
DROP_CAP = 2.0  # a lone capital set this many times the body size or more may be a drop cap
CAPTION_SIZE = 1.02  # a caption is set at most this share of the body size
HEADING = 1.12  # a heading is set at least this share of the body size
PULLQUOTE_LINES = 2  # a larger italic block of this many lines or more is a pull quote
QUOTE_ECHO_LETTERS = 30  # a larger block repeating this many letters or more of its page's body is a pull quote
HEADING_LINES = 3  # a bold or centred heading runs over at most this many lines
CAPITALS = 0.8  # share of capital letters that makes a line an all-capitals heading
CENTRED_HEADING_CHARS = 120  # a centred line of its own is a heading below this length
SHORT_HEADING_LINES = 2  # a title-case line without a stop is a heading over this many lines…
SHORT_HEADING_CHARS = 80  # …and below this length…
SHORT_HEADING_SIZE = 0.98  # …set at least this share of the body size
CENTRED_SLACK = 0.03  # of the column width (or an em): a centred line's margins differ less
CENTRED_INSET = 3  # ems: one line of a centred heading sits this far inside its column
IMPRINT_SIZE = 0.95  # an imprint under a copyright line is set below this share of the body
BOILERPLATE_PAGES = 2  # publisher boilerplate stands on the first or last this many pages

# ---------------------------------------------------------------- cover sheets and stamps
# A heading of a later page repeating page 1's title makes page 1 a cover sheet, when it is
# within this many pages.
COVER_ECHO_PAGES = 4
ECHO_LETTERS = 12  # letters two headings must share to be the same title
# A stamp sits at least this many body ems above the top every other page's text starts at.
STAMP_CLEARANCE = 1.0
STAMP_SIZE = 0.03  # …and differs from the body size by more than this share
# An appended sheet's text starts this many body ems left of the document's text column.
SHEET_OVERHANG = 4.0
EDGE_SHARE = 0.15  # a left edge at least this share of the lines start at is a column's
STRAY_CHARS = 6  # a block of at most this many characters and no letter: a chart's number
PROSE_WORDS = 15  # words: a shorter block is no running text (a cover line, an address)

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
# …and at least this many times the word space of the rows it splits: a justified line over a
# URL too long for it spreads its words as wide apart as a narrow gutter (or a table's)
SPACE_GUTTER = 1.5
# A row of this many words or more whose spaces differ by at most PROSE_EVEN ems and are
# under PROSE_SPACE ems is one justified line of prose: a run of rows with gutters (a table)
# does not end in it, even where its stretched spaces line up with the gutters
PROSE_WORDS = 6
PROSE_EVEN = 0.1
PROSE_SPACE = 1.0
LABEL_SLAB = 3.5  # ems: a narrow slab of labels left of a gap is a hanging list, not a column
LABEL_CHARS = 5  # characters: the longest label of such a slab ("(iii)")
EDGE = 0.5  # points: a gap touching the text's outer edge is margin, not gutter
SIDEBAR_SHARE = 0.5  # a column narrower than this share of its main column, beside it, may be a sidebar

# ---------------------------------------------------------------- title
TITLE_LARGER = 1.15  # the title is set at least this much larger than page 1's smallest text
TITLE_BELOW = 1.5  # ems: a same-size block at most this far under the title goes on with it
# (a Word cover sets its title lines a blank line apart: one line of the title's size)
TITLE_TOP = 0.4  # of the page height: a title set in the body's size starts above this
TITLE_CHARS = 200  # characters: a longer block is no title
TITLE_PRINTED = 0.6  # share of the metadata Title's words the first pages must print
TITLE_FULLER = 2  # words: the metadata is the fuller form of the printed title when it adds this many
CONVENTION_TOP = 0.6  # of the page height: a subject line or a caption starts above this
