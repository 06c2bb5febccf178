"""A trained check-worthiness classifier: a spaCy bag-of-words textcat shipped as package data.

It was trained (``python -m citetrace.ingest.claims.train``) on sentences labelled by the
claims guidelines from documents other than the two gold files. It reads words only (lower-cased, digits as 0), so it is
cheap next to the parser (about 0.3 ms a sentence). Combined with the rules
(:class:`Combination`), the rules decide the clear cases and the classifier may overrule them on
plain statements; that combination is off by default, since it did not beat the rules on the
claims gold files (README, "Check-worthiness").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

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


def features(text: str) -> str:
    """What the classifier reads: lower case, every digit a 0 (a number is a number)."""
    return re.sub(r"\d", "0", text[:FEATURE_CHARS].lower())


def probabilities(nlp: Language, texts: list[str], batch_size: int = 256) -> list[float]:
    """P(check-worthy) for each text."""
    return [doc.cats[LABEL] for doc in nlp.pipe(map(features, texts), batch_size=batch_size)]


# The rules' verdicts on plain statements (no question, roadmap, modal, hypothetical, quote...):
# the kinds where the classifier may overrule them when it is confident.
PLAIN_KINDS = frozenset({"factual", "quantitative", "legal", "judgement", "vague", "general", "reasoning"})


@dataclass(frozen=True)
class Combination:
    """How the classifier's probability combines with the rules' verdict on a plain statement:
    at or above `accept` it is check-worthy, below `reject` it is not; between, the rules stand."""
    reject: float = 0.1
    accept: float = 0.9

    def decide(self, rules_say: bool, kind: str, p: float) -> bool | None:
        """The classifier's overruling decision, or None when the rules' verdict stands."""
        if kind not in PLAIN_KINDS:
            return None
        if p >= self.accept and not rules_say:
            return True
        if p < self.reject and rules_say:
            return False
        return None
