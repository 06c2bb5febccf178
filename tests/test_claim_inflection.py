"""The claims code's shared inflection (ingest/claims/inflection.py): the forms issuer's word
lists are made of and the bases worthiness.lemma_in undoes words to agree both ways."""

from citetrace.ingest.claims import issuer
from citetrace.ingest.claims.inflection import base_candidates, verb_forms
from citetrace.ingest.claims.worthiness import lemma_in
from citetrace.ingest.nlp import load_pipeline

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
