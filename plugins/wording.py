"""Model codes in words, for readers: spaCy entity labels, claim kinds, claim reasons.

One mapping each, used by the reader's toggles and tooltips and by the trace page, so a
reviewer never sees "NORP", "WORK_OF_ART" or "(T1)". The codes themselves stay in the
database (``entities.label``, ``claims.kind``, ``claims.reasons``) and in ``data-`` attributes.
"""

from __future__ import annotations

import re

# spaCy's OntoNotes labels (en_core_web_*), as its own glossary explains them.
ENTITY_TYPES = {
    "PERSON": "Person",
    "NORP": "Nationality or group",
    "FAC": "Building or facility",
    "ORG": "Organisation",
    "GPE": "Country, city or state",
    "LOC": "Place",
    "PRODUCT": "Product",
    "EVENT": "Event",
    "WORK_OF_ART": "Title of a work",
    "LAW": "Law or document",
    "LANGUAGE": "Language",
    "DATE": "Date",
    "TIME": "Time",
    "PERCENT": "Percentage",
    "MONEY": "Money",
    "QUANTITY": "Quantity",
    "ORDINAL": "Ordinal",
    "CARDINAL": "Number",
}

# claims.kind (ingest/claims): what the sentence does, in a few words.
CLAIM_KINDS = {
    "quantitative": "A number or trend",
    "factual": "A fact",
    "legal": "About a law or institution",
    "attributed": "What someone said",
    "general": "A general statement",
    "reasoning": "The authors' inference",
    "speculation": "Speculation",
    "vague": "A vague statement",
    "cited": "A claim",
}

# The rule or entity code a reason ends with ("dated (T1)", "about named places (GPE)").
_REASON_CODE = re.compile(r"\s*\([A-Z][A-Z0-9_/,\s]*\)$")


def entity_type(label: str | None) -> str:
    """"Organisation" for ORG; an unknown label in lower case words ("SOME_THING" ->
    "Some thing"), never empty."""
    label = (label or "").strip()
    if label in ENTITY_TYPES:
        return ENTITY_TYPES[label]
    words = label.replace("_", " ").strip().lower()
    return words.capitalize() if words else "Other"


def claim_kind(kind: str | None) -> str:
    kind = (kind or "").strip().lower()
    return CLAIM_KINDS.get(kind) or (kind.capitalize() if kind else "A claim")


def claim_status(claim) -> str:
    """The claim's tooltip: its kind and whether a note supports it, in words."""
    words = claim_kind(claim.get("kind"))
    if claim.get("needs_source"):
        return f"{words}: needs a source"
    if claim.get("cited") or claim.get("kind") == "cited":
        return f"{words}: supported by a note"
    return words


def plain_reasons(reasons) -> list[str]:
    """The extractor's reasons without their rule codes, empty ones dropped."""
    return [_REASON_CODE.sub("", r) for r in reasons or () if r and _REASON_CODE.sub("", r)]
