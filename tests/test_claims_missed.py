"""Check-worthy sentences the rules used to miss (issue #16, claim recall): a fact beside the
authors' own words, a verdict held by a named actor, what is reported as established, a
glued sentence start. Each rule with a look-alike it must leave alone (the authors' own
judgement, forecast or roadmap stays not check-worthy)."""

from __future__ import annotations

import pytest

from claims_support import assert_readings, sentences


@pytest.mark.parametrize("caught, look_alike", [
    # "we" beside a main clause of someone else's with a number: the fact wins (T1); the authors'
    # own clause, with only a figure number in brackets, stays theirs (F1)
    (("The poorest 2 billion households use a mere 4% of the country's water, and we need to find ways "
      "of sharing it fairly.", True, "T1"),
     ("We therefore must not judge the costs of a single dam in isolation, but the costs of the whole "
      "basin (Figure 3).", False, "F1")),
    # "we all" with a number is everyone, not the authors
    (("Indeed, we are all exposed to traffic noise every day, on average hearing 55 decibels in a city "
      "street.", True, "T1"),
     ("We all agree that this is a hard problem.", False, "F1")),
    # "it was clear to <actor>": what the actor saw (T3); without the actor, the authors' verdict (F1)
    (("At the time, it was clear to Orban that the coalition needed a second partner.", True, "T3"),
     ("At the time, it was clear that the coalition needed a second partner.", False, "F1")),
    # what is reported as established or the consensus: a finding to check (T5)
    (("It is well established that smoking causes most cases of lung cancer.", True, "T5"),
     ("It is clear that smoking is a hard habit to break.", False, "F1")),
    (("In fact, scientific consensus is that wind power kills fewer birds than coal power.", True, "T5"),
     ("In fact, the lesson is that wind power deserves a second look.", False, "F1")),
    # others' reaction to "this" (passive, past): an event (T1), unlike a verdict on "this" (F1)
    (("This has been widely criticized as cosmetic since the ministry can still veto appointments.",
      True, "T1"),
     ("This has been a significant setback for the ministry.", False, "F1")),
    # a hedge on the ranking before it ("Most important, perhaps,") leaves the event; alone it hedges it
    (("Most important, perhaps, the minister spoke out publicly against the new tariffs.", True, "T1"),
     ("Perhaps the minister spoke out publicly against the new tariffs.", False, "F3")),
    # "there will be" a law or rule: a decided measure (T2); "there will be" anything else: a forecast
    (("There will be new statutory rules written to define the duties of the ombudsman.", True, "T2"),
     ("There will be some learning and adjustment along the way.", False, "F3")),
    # a name given in passing, in brackets, does not make the sentence a definition
    (("Section 4 of the Transport Act 1990 requires the minister to publish codes of practice (what are "
      "known as the road codes).", True, "T2"),
     ("Codes of practice published under the Act are known as the road codes.", False, "F5")),
    # "As noted above," before a dated fact: the fact is judged; before a restated reading, a pointer back
    (("As noted above, in March 2021 the council approved the agency's reorganization plan.", True, "T1"),
     ("As noted above, the reform package focused largely on the balance of power.", False, "F4")),
])
def test_missed_facts_and_their_look_alikes(nlp, caught, look_alike):
    assert_readings(nlp, caught, look_alike)


def test_a_sentence_glued_to_a_bracket_and_stop_is_parsed_as_its_own(nlp):
    """"… etc.).This campaign ran …": the tokenizer keeps "etc.).This" whole, so the sentence
    started inside a token and was parsed as the tail of the one before (no main clause)."""
    parsed = sentences(nlp, "The team classified the parts of each record (author, title, year, archive, "
                            "etc.).This campaign ran from 2015 until 2017 and ended when the taxonomy "
                            "stopped changing.")
    assert [s.text[:18] for s in parsed] == ["The team classifie", "This campaign ran "]
    glued = parsed[1]
    assert glued.check_worthy is True, glued.reasons
    assert not any("no main clause" in r for r in glued.reasons)
