"""The claims code's shared inflection (ingest/claims/inflection.py): the forms issuer's word
lists are made of and the bases worthiness.lemma_in undoes words to agree both ways; and the
stitching's test for an unfinished last sentence reads only the text's tail, with the same
answers as reading all of it."""

import json
from pathlib import Path

import pytest

from citetrace.ingest.claims import issuer, sentences
from citetrace.ingest.claims.inflection import base_candidates, verb_forms
from citetrace.ingest.claims.worthiness import lemma_in
from citetrace.ingest.nlp import load_pipeline

TRAINING = Path(sentences.__file__).parent / "training" / "sentences.jsonl"
BASES = ("propose", "require", "plan", "admit", "deny", "issue", "finalize", "establish", "hold",
         "agree", "withdraw", "reach", "stop", "permit", "supersede")


def test_every_form_made_is_undone_to_its_base():
    for base in BASES:
        for form in verb_forms(base):
            assert form == base or base in base_candidates(form), (base, form)


def test_doubled_consonants_both_ways():
    assert {"plans", "planning", "planned"} <= verb_forms("plan")
    assert {"admits", "admitting", "admitted"} <= verb_forms("admit")
    for form, base in (("planning", "plan"), ("planned", "plan"), ("stopping", "stop"),
                       ("travelling", "travel"), ("deciding", "decide"), ("denies", "deny")):
        assert base in base_candidates(form), form
    assert {"plans", "planning", "planned", "proposes", "proposing", "proposed", "denies",
            "denied", "sought", "found"} <= issuer.ISSUING_VERBS


def test_lemma_in_reads_a_doubled_consonant():
    doc = load_pipeline()("The agency is planning a review and has stopped the grants.")
    tokens = {t.lower_: t for t in doc}
    assert lemma_in(tokens["planning"], {"plan"}) and lemma_in(tokens["stopped"], {"stop"})
    assert lemma_in(tokens["is"], {"be"}) and not lemma_in(tokens["review"], {"plan"})


def _whole_text_answer(tail: str) -> bool:
    """_unfinished_prose as it read the whole text before."""
    cuts = sentences.boundaries(tail)
    last = tail[cuts[-2]:].strip() if len(cuts) > 1 else ""
    return len(last.split()) >= 4 and not last.endswith((":", ";"))


@pytest.mark.parametrize("cut_words", [0, 3, 9])
def test_unfinished_prose_reads_the_tail_alike(cut_words):
    """Long texts of the training sentences, the last one cut short by `cut_words` words (0:
    finished): the tail-only reading answers as the whole-text one did."""
    texts = [json.loads(line)["text"] for line in TRAINING.read_text().splitlines()]
    assert len(" ".join(texts[:40])) > 3 * sentences.TAIL_WINDOW
    for start in range(0, 200, 20):
        run = texts[start:start + 40]
        last = run[-1].split()
        tail = " ".join(run[:-1] + [" ".join(last[:len(last) - cut_words] if cut_words else last)])
        assert sentences._unfinished_prose(tail) == _whole_text_answer(tail), (start, tail[-80:])
    # a single sentence longer than the window: the whole text is read after all
    long = " ".join(texts[:12]).replace(". ", ", ") + " and so the"
    assert sentences._unfinished_prose("Done. " + long) == _whole_text_answer("Done. " + long)
