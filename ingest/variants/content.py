"""Invented prose for the variants: seeded sentences from a small vocabulary, with notes.

Every note starts with an invented surname used nowhere else, and every marker follows an
invented name (the *anchor*) used nowhere else, so :mod:`.gold` can find both in the produced
PDF without guessing. All names, titles, hosts and numbers are made up here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

# ------------------------------------------------------------------------------ the model


@dataclass(frozen=True)
class Sentence:
    text: str
    note: int | None = None  # index into Document.notes; the marker follows the final stop
    anchor: str | None = None  # the invented word right before the marker


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    number: str | None = None  # numbered paragraphs ("12."), printed before the text

    @property
    def text(self) -> str:
        return self.render(str, lambda note: "", str)

    def render(self, text: Callable[[str], str], marker: Callable[[int], str],
               number: Callable[[str], str], before_stop: bool = False) -> str:
        """The paragraph in a producer's markup: each sentence's text, a marker after the
        sentences that carry a note (called with the note's index), the number first.
        before_stop: the marker goes before the sentence's closing stop ("…by Name¹.")."""
        parts = [number(self.number)] if self.number else []
        for s in self.sentences:
            if s.note is None:
                parts.append(text(s.text))
            elif before_stop:
                parts.append(text(s.text[:-1]) + marker(s.note) + text(s.text[-1]))
            else:
                parts.append(text(s.text) + marker(s.note))
        return " ".join(parts)


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str  # "Table 2. ..." set in note-size type, like the cells
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    caption: str  # "Figure 1. ..."
    bars: tuple[tuple[str, int], ...]  # (label under the bar, value 0..100), labels in note size


@dataclass(frozen=True)
class PullQuote:
    """A sentence of a paragraph repeated in large type inside that paragraph (the layouts
    generator): the body must read it once, and the paragraph must not be split by it."""

    text: str
    paragraph: int  # index in Document.blocks of the paragraph it is set inside


@dataclass(frozen=True)
class Sidebar:
    """A boxed block of its own (the layouts generator): a heading and a few sentences."""

    heading: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


Block = Heading | Paragraph | Table | Figure | PullQuote | Sidebar


@dataclass(frozen=True)
class Note:
    label: str
    text: str
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    byline: str
    header: str  # running head printed on every page after the first: furniture
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]

    def markers(self) -> list[tuple[Note, Sentence, str]]:
        """(note, sentence, the paragraph text up to the marker) in reading order."""
        out = []
        for block in self.blocks:
            if not isinstance(block, Paragraph):
                continue
            before = f"{block.number} " if block.number else ""
            for sentence in block.sentences:
                before += sentence.text
                if sentence.note is not None:
                    out.append((self.notes[sentence.note], sentence, before))
                before += " "
        return out


# ------------------------------------------------------------------------------ vocabulary

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
           "gr", "kr", "tr", "st", "th", "sh")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "", "n", "r", "l", "s", "m", "th", "nd", "rk")

SUBJECTS = ("the regional council", "the transport board", "the housing office", "the audit panel",
            "the district authority", "the planning committee", "the water agency",
            "the ministry", "the rail operator", "the school trust", "the health service")
OBJECTS = ("bus fares", "rent arrears", "water tariffs", "school meals", "rail freight",
           "clinic waiting times", "road repairs", "flood defences", "library hours",
           "street lighting", "waste collection", "ferry timetables")
VERBS = ("reviewed", "revised", "postponed", "extended", "questioned", "funded", "measured",
         "published", "reduced", "doubled", "audited", "simplified")
ADVERBS = ("slowly", "twice", "again", "quietly", "in stages", "without delay", "in part")
PLACES = ("in the northern towns", "along the coast", "in the valley districts",
          "across the old harbour", "in the eastern suburbs", "on the island routes")
CLAIMS = ("costs rose faster than wages", "demand fell after the change",
          "the backlog was cleared within a year", "few households noticed the difference",
          "the pilot was not repeated", "complaints halved over two winters",
          "the budget was spent early", "most schemes met their targets")
FINDING_TEMPLATES = (
    "{Subj} {verb} {obj} {adv} {place}.",
    "In {year}, {subj} {verb} {obj} {place}.",
    "By {year} it was clear that {claim}.",
    "The record shows that {claim}, although {subj} {verb} {obj} {adv}.",
    "Officials argued that {claim}; {subj} {verb} {obj} {place}.",
    "{Subj} reported that {claim} and that {obj} were {verb} {adv}.",
)
ANCHORED_TEMPLATES = (  # each ends with the anchor: the marker follows it
    "{Subj} {verb} {obj} {place}, as noted by {anchor}.",
    "This finding matches the survey led by {anchor}.",
    "That {claim} is shown in the accounts kept by {anchor}.",
    "In {year}, {claim}, a point later made by {anchor}.",
    "The figures for {obj} come from {anchor}.",
    "{Subj} {verb} {obj} after the review by {anchor}.",
)
HEADINGS = ("Background", "Method", "Findings", "Costs and charges", "Service levels",
            "Governance", "Risks", "Options", "Recommendations", "Outlook", "Context",
            "Evidence from the districts")
TITLE_WORDS = ("Review", "Assessment", "Note", "Study", "Evaluation", "Brief")
PUBLISHERS = ("Institute for Local Affairs", "Office of Public Accounts", "Council Press",
              "Centre for Transport Studies", "Housing Research Unit", "Statistics Bureau")
COMMENTS = (
    "The estimate excludes the smaller towns, where records were kept on paper until {year}.",
    "Figures before {year} were revised twice and are not strictly comparable.",
    "The authors note that the sample was small and drawn from two districts only.",
    "A later edition corrects the totals for {obj} but leaves the conclusions unchanged.",
    "Other sources give a lower figure because they count households rather than persons.",
    "The same series was used by {subj} in its annual statement of {year2}.",
    "The appendix lists the {num} schemes that were examined and the dates of each visit.",
    "Readers should note that the survey asked about {obj} and not about {obj2}.",
)
# Continuation prose for long notes: several sentences without names.
LONG_COMMENTS = COMMENTS + (
    "The discussion in the second chapter sets out why the index was rebased in {year}.",
    "Where the districts reported late, the missing months were filled from the previous year.",
)


@dataclass
class Names:
    """Invented capitalized words, each handed out once per document."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def new(self, syllables: int = 3) -> str:
        while True:
            word = "".join(self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS)
                           for _ in range(syllables)) + self.rng.choice(_CODAS)
            # unique also as a prefix of another name, so a search for one never hits another
            if len(word) >= 6 and not any(word in u or u in word for u in self.used):
                self.used.add(word)
                return word.capitalize()


# ------------------------------------------------------------------------------ generation


@dataclass(frozen=True)
class Plan:
    """How much of what to write; set from the style by the builder."""

    sections: int = 4
    paragraphs: tuple[int, int] = (2, 4)  # per section
    note_share: float = 0.35  # share of sentences that carry a marker
    long_notes: bool = False  # some notes long enough to run onto the next page
    long_urls: bool = False
    numbered_paragraphs: bool = False
    tables: int = 1
    figures: int = 1


def _fill(rng: random.Random, template: str, **extra) -> str:
    subj = rng.choice(SUBJECTS)
    year = rng.randint(1994, 2023)
    values = dict(
        subj=subj, Subj=subj[0].upper() + subj[1:], verb=rng.choice(VERBS),
        obj=rng.choice(OBJECTS), obj2=rng.choice(OBJECTS), adv=rng.choice(ADVERBS),
        place=rng.choice(PLACES), claim=rng.choice(CLAIMS), year=year, year2=year + 2,
        num=rng.randint(12, 90),
    )
    values.update(extra)
    return template.format(**values)


def _title(rng: random.Random) -> str:
    obj = rng.choice(OBJECTS)
    return f"{rng.choice(TITLE_WORDS)} of {obj} {rng.choice(PLACES)}"


def _url(rng: random.Random, author: str, title: str, long: bool) -> str:
    host = f"www.{author.lower()}-{rng.choice(('institute', 'archive', 'council', 'data'))}.org"
    slug = "-".join(w for w in title.lower().split() if w.isalpha())
    year = rng.randint(2005, 2023)
    if not long:
        return f"https://{host}/{year}/{slug[:24].rstrip('-')}"
    return (f"https://{host}/publications/{year}/reports/{slug}-final-edition-"
            f"{rng.randint(100, 999)}.pdf?download=true&section={rng.randint(1, 40)}")


def _note_text(rng: random.Random, names: Names, plan: Plan, long: bool) -> tuple[str, tuple[str, ...]]:
    author = names.new()
    initial = rng.choice("ABCDEFGHJKLMNPRSTW")
    title = _title(rng)
    year = rng.randint(1995, 2024)
    kind = rng.randrange(4)
    if kind == 0:
        text = f"{author}, {initial}. ({year}). {title}. {rng.choice(PUBLISHERS)}, p. {rng.randint(2, 240)}."
    elif kind == 1:
        publisher = rng.choice(PUBLISHERS)
        text = f"See {author}, {title} ({publisher}, {year}), pp. {rng.randint(2, 90)}-{rng.randint(91, 180)}."
    elif kind == 2:
        text = f"{author} and {names.new()}, {title}, {year}."
    else:
        text = f"On the {author} series, see {rng.choice(PUBLISHERS)}, {title}, {year}."
    urls: tuple[str, ...] = ()
    if rng.random() < (0.6 if plan.long_urls else 0.3):
        url = _url(rng, author, title, plan.long_urls and rng.random() < 0.7)
        text += f" Available at {url}"
        urls = (url,)
    if rng.random() < 0.35:
        text += " " + _fill(rng, rng.choice(COMMENTS))
    if long:
        text += " " + " ".join(_fill(rng, c) for c in rng.sample(LONG_COMMENTS, 7))
    return text, urls


def generate(rng: random.Random, plan: Plan) -> Document:
    names = Names(rng)
    notes: list[Note] = []
    blocks: list[Block] = []
    paragraph_no = 0
    tables = figures = 0
    long_budget = 2 if plan.long_notes else 0
    for s in range(plan.sections):
        blocks.append(Heading(f"{s + 1}. {HEADINGS[(s * 5 + rng.randrange(3)) % len(HEADINGS)]}"))
        for _ in range(rng.randint(*plan.paragraphs)):
            sentences = []
            for _ in range(rng.randint(3, 6)):
                if rng.random() < plan.note_share:
                    anchor = names.new()
                    # the long notes go near the foot of a body-filled page: not the first ones
                    long = long_budget > 0 and len(notes) >= 3 and rng.random() < 0.3
                    long_budget -= long
                    text, urls = _note_text(rng, names, plan, long)
                    notes.append(Note(str(len(notes) + 1), text, urls))
                    sentences.append(Sentence(_fill(rng, rng.choice(ANCHORED_TEMPLATES), anchor=anchor),
                                              len(notes) - 1, anchor))
                else:
                    sentences.append(Sentence(_fill(rng, rng.choice(FINDING_TEMPLATES))))
            paragraph_no += 1
            number = f"{paragraph_no}." if plan.numbered_paragraphs else None
            blocks.append(Paragraph(tuple(sentences), number))
        if tables < plan.tables and s % 2 == 0:
            tables += 1
            blocks.append(_table(rng, tables))
        elif figures < plan.figures:
            figures += 1
            blocks.append(_figure(rng, figures))
    place = rng.choice(PLACES).split()[-1].capitalize()
    title = _title(rng)
    return Document(
        title=title,
        byline=(f"{names.new()} {names.new()} and {names.new()} {names.new()}, "
                f"{place} Papers {rng.randint(2, 60)}"),
        header=f"{place} Papers: {title}",
        blocks=tuple(blocks),
        notes=tuple(notes),
    )


SHORT_NOTES = ("Ibid.", "Ibid., p. {page}.", "Id. at {page}.", "Ibid., pp. {page}-{page2}.")


def shorten(doc: Document, rng: random.Random, share: float = 0.2) -> Document:
    """The document with some notes cut to a back-reference to the note before ("Ibid.",
    "Id. at 4."): a note of one or two words, as legal and policy writing has many. Never the
    first note, nor a long one (it is there to run onto the next page)."""
    notes = list(doc.notes)
    for i, note in enumerate(notes[1:], start=1):
        if len(note.text) < 400 and rng.random() < share:
            page = rng.randint(2, 240)
            text = rng.choice(SHORT_NOTES).format(page=page, page2=page + rng.randint(1, 9))
            notes[i] = Note(note.label, text)
    return replace(doc, notes=tuple(notes))


def _table(rng: random.Random, number: int) -> Table:
    years = sorted(rng.sample(range(2010, 2024), 3))
    rows = tuple(
        (obj.capitalize(), *(f"{rng.randint(1, 99)}.{rng.randint(0, 9)}" for _ in years))
        for obj in rng.sample(OBJECTS, 5)
    )
    return Table(f"Table {number}. Spending on services, {years[0]}-{years[-1]} (per cent of budget)",
                 ("Service", *map(str, years)), rows)


def _figure(rng: random.Random, number: int) -> Figure:
    bars = tuple((str(year), rng.randint(10, 100)) for year in range(2016, 2016 + rng.randint(4, 6)))
    return Figure(f"Figure {number}. Share of {rng.choice(OBJECTS)} delivered on time, by year", bars)


SIDEBAR_TEMPLATES = (  # the box's sentences; the first names an invented programme (unique)
    "The {name} programme {verb} {obj} {place}.",
    "Under its rules, {claim}.",
    "Its staff {verb} {obj} {adv} and kept a register of every change.",
    "By {year} the scheme covered {num} districts and two island routes.",
    "Users were asked twice a year whether {obj} had improved.",
)


def add_layouts(doc: Document, rng: random.Random, pullquote: bool, sidebar: bool,
                markers_apart: bool = True) -> Document:
    """The document with a pull quote (a sentence of a note-free paragraph, repeated inside
    that paragraph) and/or a sidebar box (after a paragraph in the middle of the text). The
    quoted sentence occurs once in the text; the box's first sentence names an invented
    programme, so both are found in the PDF without guessing. markers_apart: the markers are
    raised words after the stop, which the body text leaves out, so the quoted paragraph may
    carry notes and still be compared letter for letter."""
    blocks = list(doc.blocks)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    if sidebar:
        # between two paragraphs (a box set beside the text floats by the second one's start)
        paragraphs = [i for i, b in enumerate(blocks[:-1]) if isinstance(b, Paragraph)
                      and isinstance(blocks[i + 1], Paragraph)]
        after = paragraphs[len(paragraphs) // 3 + rng.randrange(max(1, len(paragraphs) // 3))]
        names = Names(rng, {w.lower().strip(".,;:()") for t in texts for w in t.split()
                            if len(w) >= 6})
        name = names.new()
        sentences = tuple(_fill(rng, t, name=name) for t in SIDEBAR_TEMPLATES[:rng.randint(3, 5)])
        blocks.insert(after + 1, Sidebar(f"Box 1. The {name} programme", sentences))
    if pullquote:
        candidates = [
            (i, s.text) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and i > 1
            and len(b.sentences) >= 3 and (markers_apart or all(s.note is None for s in b.sentences))
            for s in b.sentences if s.note is None and len(s.text) > 50
            and sum(t.count(s.text) for t in texts) == 1]
        if candidates:
            index, text = rng.choice(candidates)
            blocks.insert(index + 1, PullQuote(text, index))
    return replace(doc, blocks=tuple(blocks))
