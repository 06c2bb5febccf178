"""From the document's passages to its sentences and claims, around the spaCy pass.

``plan_sentences`` runs before the pass (it needs text only); the passage docs then carry the
sentence starts into the parser (``citetrace_sentence_bounds``); ``build_claims`` reads the
parsed tokens of each sentence's pieces and decides support and check-worthiness.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc

from citetrace.ingest.claims.classifier import PLAIN_KINDS, Combination, load_classifier, probabilities
from citetrace.ingest.claims.own import labelled_units, own_things
from citetrace.ingest.claims.sentences import Sentence, body_sentences
from citetrace.ingest.claims.support import inline_citations, support_of
from citetrace.ingest.claims.voice import Voice, document_voice
from citetrace.ingest.claims.worthiness import Verdict, assess, cites_authority
from citetrace.ingest.claims.zones import passage_zones
from citetrace.ingest.model import Claim, Document, Passage

if not Doc.has_extension("sentence_starts"):
    Doc.set_extension("sentence_starts", default=None)


@Language.component("citetrace_split_at_starts")
def split_at_starts(doc: Doc) -> Doc:
    """A sentence start inside a token ("etc.).This": a stop glued to the next word, which the
    tokenizer keeps whole) cannot start a sentence, and its sentence would be parsed as the end
    of the one before (no main clause of its own). Split the token there, before any layer
    reads the tokens (it runs first)."""
    starts = doc._.sentence_starts
    if not starts:
        return doc
    # each start finds its token by bisection (a scan of every token for every start was
    # quadratic in the passage's length)
    offsets = [t.idx for t in doc]
    cuts_at: dict[int, list[int]] = {}
    for start in sorted(set(starts)):
        i = bisect_right(offsets, start) - 1
        if i >= 0 and offsets[i] < start < offsets[i] + len(doc[i].text):
            cuts_at.setdefault(i, []).append(start - offsets[i])
    inside = [(doc[i], cuts) for i, cuts in sorted(cuts_at.items())]
    if inside:
        with doc.retokenize() as retokenizer:
            for token, cuts in inside:
                bounds = [0, *cuts, len(token.text)]
                orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))  # the parser sets heads
    return doc


@Language.component("citetrace_sentence_bounds")
def sentence_bounds(doc: Doc) -> Doc:
    """Our sentence starts, fixed before the parser runs (it keeps preset boundaries).

    Passages without body sentences (headings, captions) are left to the parser."""
    starts = doc._.sentence_starts
    if not starts:
        return doc
    wanted = sorted(set(starts))
    k = 0
    for token in doc:
        while k < len(wanted) and wanted[k] < token.idx:
            k += 1
        if token.i == 0:
            continue
        at_start = k < len(wanted) and wanted[k] == token.idx
        token.is_sent_start = at_start
        if at_start:
            k += 1
    return doc


@dataclass
class SentencePlan:
    sentences: list[Sentence]
    starts: dict[int, list[int]]  # passage -> offsets where one of its sentence pieces starts
    voice: Voice = field(default_factory=Voice)  # who speaks: a report, or a directive to its readers
    passages: list[Passage] = field(default_factory=list)  # the document's (for the sentences' pages)


def plan_sentences(doc: Document) -> SentencePlan:
    sentences = body_sentences(doc, passage_zones(doc))
    starts: dict[int, list[int]] = defaultdict(list)
    for s in sentences:
        for piece in s.pieces:
            starts[piece.passage].append(piece.start)
    other = [f.text for f in doc.furniture] + [p.text for p in doc.passages]
    return SentencePlan(sentences, dict(starts), document_voice([s.text for s in sentences], other),
                        doc.passages)


def _tokens(sentence: Sentence, docs: dict[int, Doc]) -> list:
    out = []
    for piece in sentence.pieces:
        span = docs[piece.passage].char_span(piece.start, piece.end, alignment_mode="expand")
        if span is not None:
            out.extend(span)
    return out


def _second_opinion(sentences: list[Sentence], verdicts: list[Verdict], combination: Combination) -> None:
    """Let the trained classifier overrule the rules on plain statements it is sure about."""
    plain = [i for i, v in enumerate(verdicts) if v.kind in PLAIN_KINDS]
    if not plain:
        return
    for i, p in zip(plain, probabilities(load_classifier(), [sentences[i].text for i in plain],
                                         [verdicts[i] for i in plain])):
        v = verdicts[i]
        decision = combination.decide(v.check_worthy, v.kind, p)
        if decision is None:
            continue
        if decision:
            verdicts[i] = Verdict(True, "factual", [f"the trained classifier reads a checkable statement "
                                                    f"(p={p:.2f}), where the rules said: {v.reasons[0]}"])
        else:
            verdicts[i] = Verdict(False, "judgement", [f"the trained classifier reads the authors' own "
                                                       f"analysis (p={p:.2f}), where the rules said: "
                                                       f"{v.reasons[0]}"])


def build_claims(plan: SentencePlan, docs: dict[int, Doc],
                 combination: Combination | None = None) -> list[Claim]:
    """Every body sentence as a :class:`Claim`; :attr:`Claim.is_claim` tells the claims apart.

    With a `combination`, the trained classifier gets a say on plain statements. It is off by
    default: on the claims gold files and held-out sets 1 and 2 it did not beat the rules
    (README, "Check-worthiness")."""
    noted_units = {s.unit for s in plan.sentences if s.last_in_unit and s.notes}
    inlines = [inline_citations(s.text, plan.voice.paper) for s in plan.sentences]
    # Legal writing states a proposition in one sentence and gives its authority in the next
    # ("... untenable grounds. State v. Rohrich, 149 Wn.2d 647 (2003).", "... RP 45."): such a
    # sentence states what the law or the record says, as specific as one citing it inline. Its
    # support is still its own (the guidelines: nothing is inherited from a neighbour).
    citing = [cites_authority(s.text) for s in plan.sentences]
    cited_after = [i + 1 < len(plan.sentences) and citing[i + 1] and not citing[i]
                   and plan.sentences[i + 1].unit == s.unit for i, s in enumerate(plan.sentences)]
    tokens = [_tokens(s, docs) for s in plan.sentences]
    # what a directive or rule sets out ("proposes to add the X checklist"), for its sentences
    # that describe it later ("This checklist is used when ..."): read from the whole parse first
    voice = replace(plan.voice, own=own_things(tokens, plan.voice))
    labelled = labelled_units([s.text for s in plan.sentences], [s.unit for s in plan.sentences], voice)
    verdicts = [assess(toks, s.text, legal_context=bool(inline), voice=voice, cited_after=after, labelled=lab)
                for toks, s, inline, after, lab in zip(tokens, plan.sentences, inlines, cited_after, labelled)]
    for verdict, inline, after in zip(verdicts, inlines, cited_after):
        if after and not inline and verdict.check_worthy:
            verdict.reasons.append("the next sentence cites authority for it (a legal citation sentence): "
                                   "a proposition of law or of the record; that sentence is not its support")
    if combination is not None:
        _second_opinion(plan.sentences, verdicts, combination)
    out = []
    for s, inline, verdict, after in zip(plan.sentences, inlines, verdicts, cited_after):
        support = support_of(bool(s.notes), inline)
        if s.notes and not verdict.check_worthy:
            # the author chose to support it: a claim to trace, whatever its content
            verdict.reasons.append("carries a note marker: the author supports it, so it is traced")
        if support != "none":
            scope = "sentence"
        elif after:  # shown, not counted: its authority is the citation sentence after it
            scope = "next sentence"
        elif s.unit in noted_units:
            scope = "paragraph"
        else:
            scope = None
        first, last = s.pieces[0], s.pieces[-1]
        passage = plan.passages[first.passage] if plan.passages else None
        out.append(Claim(
            passage=first.passage, start=first.start, end=last.end, text=s.text,
            kind=verdict.kind, score=1.0 if verdict.check_worthy else 0.0,
            reasons=verdict.reasons, notes=list(s.notes),
            needs_source=verdict.check_worthy and support == "none",
            end_passage=last.passage if last.passage != first.passage else None,
            check_worthy=verdict.check_worthy, zone=s.zone, support=support,
            support_scope=scope, inline=inline,
            page=passage.page_at(first.start) if passage is not None else None,
        ))
    return out
