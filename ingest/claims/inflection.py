"""Regular English inflection, both ways, since the pipeline runs without a lemmatizer
(speed): a verb's forms from its base (issuer's word lists) and the bases an inflected word
may come from (worthiness.lemma_in). What one makes, the other undoes (tests)."""

from __future__ import annotations

import re

# the irregular forms the lexicons need, to their base
IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write",
             "thought": "think", "sought": "seek", "found": "find", "shown": "show",
             "made": "make", "led": "lead", "is": "be", "are": "be", "was": "be", "were": "be",
             "been": "be", "'s": "be", "am": "be", "became": "become", "saw": "see"}


def verb_forms(*bases: str) -> frozenset[str]:
    """A verb's forms (base, -s, -ing, -ed)."""
    out = set()
    for b in bases:
        stem = b[:-1] if b.endswith("e") else b
        double = b + b[-1] if re.search(r"[^aeiou][aeiou][pnt]$", b) else stem  # plan: planned
        third = b[:-1] + "ies" if re.search(r"[^aeiou]y$", b) else b + ("es" if re.search(r"(?:s|sh|ch|x)$", b) else "s")
        past = b[:-1] + "ied" if re.search(r"[^aeiou]y$", b) else (b + "d" if b.endswith("e") else double + "ed")
        out |= {b, third, double + "ing" if double != stem else stem + "ing", past}
    return frozenset(out)


def base_candidates(word: str) -> set[str]:
    """The bases a lower-cased word may inflect: the word with one, two or three letters cut
    off, "-ied"/"-ies" back to "-y", a dropped "e" put back before "-ing" or "-d" ("provide" is
    no form of "prove"), and a doubled consonant before "-ing" undone ("planning": "plan";
    "planned" loses three letters already). Loose on purpose: only a base in the caller's word
    list counts."""
    w = word
    out = {w[:-1], w[:-2], w[:-3]}
    if w.endswith("ing"):  # "making": "make"; but "provide" is no form of "prove"
        out.add(w[:-3] + "e")
    if w.endswith("d"):
        out.add(w[:-1] + "e")
    if w.endswith(("ied", "ies")):
        out.add(w[:-3] + "y")
    if w.endswith("ing") and len(w) > 5 and w[-4] == w[-5] and w[-4] not in "aeiou":
        out.add(w[:-4])
    return out
