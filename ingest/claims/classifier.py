"""A trained check-worthiness classifier: a spaCy bag-of-words textcat shipped as package data.

It was trained (``python -m citetrace.ingest.claims.train``) on sentences labelled by the
claims guidelines from documents other than the two gold files and the held-out ones. It reads
the rules' verdict (kind, reasons) and the words, so it costs about 0.3 ms a sentence next to the
parser. Combined with the rules (:class:`Combination`), the rules decide the clear cases and the
classifier may overrule them on plain statements; that combination is off by default: no setting
raised precision on the gold files and both held-out sets without costing recall or needs-source
F1 on the held-out sets (README, "Check-worthiness").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from citetrace.ingest.claims.worthiness import Verdict

MODEL_DIR = Path(__file__).parent / "model"
LABEL = "CHECK_WORTHY"


@lru_cache(maxsize=4)  # one load per process and model directory: it is read-only afterwards
def load_classifier(path: str | Path = MODEL_DIR) -> Language:
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"{path}: no check-worthiness model (config.cfg missing); "
                                "run python -m citetrace.ingest.claims.train")
    return spacy.load(path)


# A bag of words needs no more: a "sentence" past this (a PDF with no full stops) would also
# meet spaCy's max_length (E088).
FEATURE_CHARS = 10_000


def features(text: str, verdict: Verdict | None = None) -> str:
    """What the classifier reads: the rules' verdict as tokens (its kind, and each reason by its
    first words: "why_reports_a_past_event"), then the words, lower case, every digit a 0 (a
    number is a number). The rules' reading is what the bag of words alone cannot see (the
    parse: who speaks, which verb governs), and the words are what the rules do not weigh."""
    words = re.sub(r"\d", "0", text[:FEATURE_CHARS].lower())
    if verdict is None:
        return words
    why = ["why_" + "_".join(re.findall(r"[a-z]+", reason.lower())[:4]) for reason in verdict.reasons]
    return " ".join([f"kind_{verdict.kind}", *why, words])


def probabilities(nlp: Language, texts: list[str], verdicts: list[Verdict] | None = None,
                  batch_size: int = 256) -> list[float]:
    """P(check-worthy) for each text, read with the rules' verdict on it when given."""
    inputs = [features(t, v) for t, v in zip(texts, verdicts or [None] * len(texts))]
    return [doc.cats[LABEL] for doc in nlp.pipe(inputs, batch_size=batch_size)]


# The rules' verdicts on plain statements (no question, roadmap, modal, hypothetical, quote...):
# the kinds where the classifier may overrule them when it is confident.
PLAIN_KINDS = frozenset({"factual", "quantitative", "legal", "judgement", "vague", "general", "reasoning"})


@dataclass(frozen=True)
class Combination:
    """How the classifier's probability combines with the rules' verdict on a plain statement:
    at or above `accept` it is check-worthy, below `reject` it is not; between, the rules stand.
    The defaults are the setting document-wise cross-validation picked on the 825 labels of 0.4.6
    (train.py); on the 1,054 of 0.4.9 it picks 0.3/0.5 (0.732 against the rules' 0.711 on 0.4.9's
    rules), its gain on the accept side; reject-only barely acts."""
    reject: float = 0.5
    accept: float = 0.8

    def decide(self, rules_say: bool, kind: str, p: float) -> bool | None:
        """The classifier's overruling decision, or None when the rules' verdict stands."""
        if kind not in PLAIN_KINDS:
            return None
        if p >= self.accept and not rules_say:
            return True
        if p < self.reject and rules_say:
            return False
        return None
