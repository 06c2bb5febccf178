"""What a directive or a rule sets out, referred back to in its own voice.

A memorandum that "requires agencies to achieve specific security goals", or a proposed rule in
which "the FAA proposes to add the Altitude Disagree checklist", goes on to describe the thing it
sets out: "These goals are organized using ...", "This checklist is used when ...", "The amended
Emergency Order will address ...". In the present or future tense that describes the content of
the document's own requirement, proposal or plan (the guidelines' F2, F4), not the world. The
things are read once per document from its parsed sentences (:func:`own_things`): the objects of
the issuing body's own verbs ("proposes to add X", "requires agencies to achieve X").

Left alone: a report's "these goals" or "this checklist" (no directive or rule voice: an agency's
goals described by a report are T2), a past event about the thing ("This checklist was revised
in 2017"), and a subject naming anyone or anything the document did not set out ("The checklist
that Boeing added ...", "CISA's model").
"""

from __future__ import annotations

import re

from citetrace.ingest.claims.inflection import verb_forms
from citetrace.ingest.claims.issuer import _bare, _subject, _tense, _words

# What the issuing body does when it sets something out ("proposes to add", "requires ... to achieve").
SETTING = verb_forms("propose", "require", "mandate", "plan", "intend", "establish", "adopt", "amend", "add",
                     "include", "direct", "set", "issue", "revise", "create", "introduce")
PROPOSING = verb_forms("propose", "plan", "intend")
# What a document can set out: aims, requirements and written instruments. Not the things they act
# on ("requires installing new software", "applies to 73 airplanes"), nor "changes" ("proposes to
# require changes to the wiring": a manufacturer's design changes, described as facts)
OWN_KINDS = {"goal", "objective", "target", "requirement", "action", "step", "milestone", "deadline", "priority",
             "checklist", "procedure", "instruction", "revision", "amendment", "order", "directive",
             "rule", "standard", "policy", "plan", "strategy", "guidance", "framework",
             "provision", "limitation", "restriction", "expectation", "principle"}
POINTING = {"this", "these", "those", "the", "such"}
# "Changing the wire routing, by ...", "Installing revised software ...": an item naming an action
GERUND_ITEM = re.compile(r"^[A-Z][a-z]+ing\b")
# "Identity: Agency staff use ...", "Applications and Workloads: Agencies treat ...": a labelled item
LABEL = re.compile(r"^(?:\d{1,2}[.)]\s+)?[A-Z][\w-]*(?: (?:and |& |of )?[A-Z][\w-]*){0,3}: (?=[A-Z])")


def _base(word: str) -> str:
    """'goals' -> 'goal', 'checklists' -> 'checklist' (enough to match a noun to itself). Not
    `token.lemma_`: the ingest pipeline runs without spaCy's lemmatizer, so it is empty there
    (verbs go through inflection.py for the same reason)."""
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _speaks(head, voice) -> bool:
    """Is the subject of `head` the issuing body or the document itself?"""
    subj = _subject(head)
    if subj is None:
        return False
    words = _words(subj)
    if voice.rule:
        if _bare(words) in voice.issuer.names:
            return True
        return words[:1] == ["this"] and (words[-1] in voice.issuer.self_nouns
                                          or " ".join(words[-2:]) in voice.issuer.self_nouns)
    return voice.directive and words[:1] == ["this"] and words[-1] in voice.self_names


def _objects(verb, voice, depth: int = 0):
    """The nouns a setting verb takes, through "to add", "adding" and "agencies to achieve"."""
    # "requires operators to inspect the spars": whom it requires ("operators") is no thing it sets out
    addressed = any(c.dep_ == "xcomp" for c in verb.children)
    for c in verb.children:
        if c.dep_ == "dobj" and c.tag_ in {"NN", "NNS", "NNP", "NNPS"} and c.lower_ not in voice.addressees \
                and not addressed:
            yield c
        elif depth < 2 and c.tag_.startswith("VB") and (c.dep_ == "xcomp" or (
                c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)) or (
                # "proposes adding X"; not "would require installing X", where X is the means
                c.dep_ == "dobj" and verb.lower_ in PROPOSING) or (
                c.dep_ == "ccomp" and (s := _subject(c)) is not None and s.lower_ in voice.addressees)):
            yield from _objects(c, voice, depth + 1)


def own_things(sentences: list[list], voice) -> frozenset[tuple[str, frozenset[str]]]:
    """What the document's issuing body sets out, as (noun, the words naming it), from the
    token lists of its sentences. Empty unless the document is a directive or a rule."""
    if not voice.sets_out:
        return frozenset()
    found = set()
    for tokens in sentences:
        for t in tokens:
            # (the tagger reads "plans" in "The FAA plans to amend" as a plural noun: a root with a subject)
            verb = t.tag_.startswith("VB") or (t.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in t.children))
            if t.lower_ in SETTING and verb and _tense(t) not in {"past", "other modal", "perfect"} \
                    and _speaks(t, voice):
                for obj in (o for o in _objects(t, voice) if _base(o.text) in OWN_KINDS):
                    found.add((_base(obj.text), frozenset(w.lower_ for w in obj.subtree if w.is_alpha)))
    return frozenset(found)


def refers_back(heads: list, voice) -> str | None:
    """Why a main clause describes something the document itself sets out, or None: its
    subject is "this/these/the" + one of :func:`own_things` (nothing named that the document did
    not name there), in the present, progressive or future tense."""
    if not voice.own:
        return None
    for head in heads:
        subj = _subject(head)
        if subj is None or not subj.tag_.startswith("NN") or _tense(head) not in {"present", "progressive", "modal"}:
            continue
        if not any(c.dep_ == "det" and c.lower_ in POINTING for c in subj.children):
            continue
        named = {t.lower_ for t in subj.subtree
                 if t.tag_ in {"NNP", "NNPS"} or (t.ent_type_ and t.tag_ in {"NN", "NNS", "CD"})}
        if any(t.dep_ in {"nsubj", "nsubjpass"} and t.i != subj.i for t in subj.subtree):
            continue  # "the checklist that Boeing added": another actor's
        for noun, naming in voice.own:
            if _base(subj.text) == noun and named <= naming:
                what = " ".join(t.text for t in subj.subtree if t.i <= subj.i)
                genre = "rule or notice" if voice.issuer is not None else "directive"
                return (f"describes what the {genre} itself sets out (“{what}”), in its own voice: the content "
                        "of its own requirement, proposal or plan, not a claim about the world (F2)")
    return None


def action_item(tokens: list, clean: str, voice) -> bool:
    """In a directive or a rule, an item naming an action with no subject or finite verb
    ("Changing the wire routing, by accomplishing ...", "Installing revised software"): one of
    the actions the document requires or proposes, announced by the sentence before it."""
    if not voice.sets_out:
        return False
    if not GERUND_ITEM.match(clean):
        return False
    root = next((t for t in tokens if t.dep_ == "ROOT"), None)
    first = next((t for t in tokens if t.is_alpha), None)
    if root is None or first is None or root.tag_ != "VBG" or root.i != first.i or any(
            c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in root.children):
        return False
    # no finite clause outside a relative or adverbial one: "Encrypting HTTP traffic HTTP is the core
    # protocol ..." is a heading run into a statement, not an item
    return not any(t.tag_ in {"VBZ", "VBP", "VBD", "MD"} and t.dep_ not in {"relcl", "advcl", "acl"}
                   and (t.head.dep_ not in {"relcl", "advcl", "acl"}) for t in tokens)


def labelled_units(texts: list[str], units: list[int], voice) -> list[bool]:
    """For each sentence (its text and its unit), whether it belongs to a directive's labelled
    item: it opens with a label ("Devices: The Federal Government has ...") or follows one in the
    same unit. A directive lists its goals and requirements under such labels."""
    if not voice.directive:
        return [False] * len(texts)
    out, labelled = [], set()
    for text, unit in zip(texts, units):
        if LABEL.match(text):
            labelled.add(unit)
        out.append(unit in labelled)
    return out


def goal_item(heads: list, clean: str) -> str | None:
    """In a directive's labelled item, a main clause in the present (or present perfect: the
    state reached) is the state the directive sets as its goal (F2); a simple past is an event."""
    if not heads or any(_tense(head) == "past" for head in heads):
        return None
    label = LABEL.match(clean)
    opening = label.group(0).strip() if label else " ".join(clean.split()[:3])
    return (f"in a labelled item of the directive's list (“{opening} …”), in the present tense: the state it "
            "sets as its goal or requirement, not a report (F2)")
