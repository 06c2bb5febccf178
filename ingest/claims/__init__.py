"""Claims: the body's sentences, whole, with their support and check-worthiness.

``sentences`` stitches the body text back together across breaks and cuts it into
sentences; ``support`` finds what supports each (note markers, inline citations);
``worthiness`` decides from the parse whether it states something checkable. The spaCy side
is one component, ``citetrace_sentence_bounds``, which hands the parser our sentence starts
(``Doc._.sentence_starts``) so that each sentence is parsed as one.
"""

from __future__ import annotations

from citetrace.ingest.claims.build import build_claims, plan_sentences

__all__ = ["build_claims", "plan_sentences"]
