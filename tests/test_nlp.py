"""ingest.nlp with the real spaCy pipeline: entities, claims, claim -> note links."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from citetrace.ingest.model import CLAIM_KINDS, Document, Footnote, Marker, Passage
from citetrace.ingest.nlp import annotate, canonical_names, load_pipeline

REPORT = Path(__file__).resolve().parents[2] / "shared" / "report" / "report.json"
MARKER_RE = re.compile(r"\[\^(\d+|\?)\]")  # "[^3]" -> note 3, "[^?]" -> a marker with no note


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _add_passage(doc: Document, kind: str, marked_text: str) -> None:
    """Add a passage written with inline markers; they are removed and kept as offsets."""
    index = len(doc.passages)
    clean, pos = [], 0
    for m in MARKER_RE.finditer(marked_text):
        clean.append(marked_text[pos:m.start()])
        pos = m.end()
        offset = sum(map(len, clean))
        note = None if m.group(1) == "?" else int(m.group(1))
        doc.markers.append(Marker(passage=index, label=m.group(1), page=1, start=offset,
                                  end=offset, note=note))
    clean.append(marked_text[pos:])
    doc.passages.append(Passage(seq=index, page=1, kind=kind, text="".join(clean),
                                bbox=(0, 0, 100, 10)))


NOTES = [
    "Kassym-Jomart Tokayev, “State of the Nation Address,” Akorda.kz, March 16, 2022. "
    "(https://www.akorda.kz/en/state-of-the-nation-address)",
    "Svante E. Cornell, “Learning from Kazakhstan’s January Crisis,” Central Asia-Caucasus "
    "Analyst, April 18, 2022.",
    "Central Election Commission of Kazakhstan, turnout statistics, 2021.",
    "Ibid.",
]


@pytest.fixture(scope="module")
def doc(nlp):
    d = Document(path="t.pdf", sha256="0" * 64, filename="t.pdf",
                 title="Kazakhstan’s June Referendum: Accelerating Reform")
    d.footnotes = [Footnote(label=str(i + 1), page=1, kind="footnote", text=t, bbox=(0, 0, 1, 1))
                   for i, t in enumerate(NOTES)]
    _add_passage(d, "heading", "Kazakhstan’s Reform Agenda")
    _add_passage(d, "paragraph",
                 "On March 16, 2022, Kazakhstan’s President Kassym-Jomart Tokayev addressed the "
                 "nation. Mr. Tokayev announced that the number of signatures needed to register "
                 "a party would fall from 20,000 to 5,000.[^0] What comes next? This matters.")
    _add_passage(d, "paragraph",
                 "Nazarbayev stated his intent to develop “economy first, then politics.”[^1] "
                 "President Tokayev’s reforms raised turnout by 12 percent in 2021,[^2] while "
                 "critics argued that the changes were merely cosmetic.[^3] Kazakhstan’s GDP grew "
                 "by 4.1 percent in 2021. The reform package is ambitious, but its implementation "
                 "remains doubtful. Kazakhstan’s parliament approved the new election law in June 2022.[^?]")
    _add_passage(d, "paragraph",
                 "In May 2022, Tokayev met officials from the United States in Astana.")
    annotate(nlp, d)
    return d


def _claim(doc, start_of_text):
    found = [c for c in doc.claims if c.text.startswith(start_of_text)]
    assert len(found) == 1, (start_of_text, [c.text for c in doc.claims])
    return found[0]


# ---------------------------------------------------------------- pipeline


def test_pipeline_components_and_extensions(nlp):
    from spacy.tokens import Doc, Span

    assert "lemmatizer" not in nlp.pipe_names
    for name in ("citetrace_sentence_bounds", "citetrace_entities"):
        assert name in nlp.pipe_names
    assert nlp.pipe_names.index("citetrace_sentence_bounds") < nlp.pipe_names.index("parser")
    for ext in ("sentence_starts", "passage_kind", "report_title"):
        assert Doc.has_extension(ext)
    assert Span.has_extension("base_name")


def test_sentence_starts_set_on_the_doc_bind_the_parser(nlp):
    text = "Sanctions were imposed by the U.S. Kazakhstan objected strongly to the measures."
    spacy_doc = nlp.make_doc(text)
    spacy_doc._.sentence_starts = [0, text.index("Kazakhstan")]
    spacy_doc = nlp(spacy_doc)
    assert [s.text for s in spacy_doc.sents] == [
        "Sanctions were imposed by the U.S.", "Kazakhstan objected strongly to the measures."]


def test_layers_multiply_on_numpy_blas_in_one_thread_with_blis_results(nlp, sample):
    """The speed-up of load_pipeline (numpy's BLAS for the layers' matrix products, one
    thread) leaves the sample report's entities and claims as the blis kernel gives them."""
    import dataclasses

    from threadpoolctl import threadpool_info
    from thinc.api import NumpyOps

    from citetrace.ingest.extract import extract

    layers = [node for _name, pipe in nlp.pipeline if hasattr(pipe, "model") for node in pipe.model.walk()]
    on_numpy = [node for node in layers if not getattr(node.ops, "use_blis", True)]
    assert len(on_numpy) > 100
    assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}

    def annotated(pipeline):
        doc = extract(sample[0])
        annotate(pipeline, doc)
        return ([dataclasses.astuple(e) for e in doc.entities], [dataclasses.astuple(c) for c in doc.sentences])

    ours = annotated(nlp)
    on_blis = load_pipeline()
    blis_ops = NumpyOps(use_blis=True)
    for _name, pipe in on_blis.pipeline:
        for node in pipe.model.walk() if hasattr(pipe, "model") else ():
            node.ops = blis_ops
    assert len(ours[0]) > 300 and len(ours[1]) > 150
    assert annotated(on_blis) == ours


# ---------------------------------------------------------------- claims


def test_claims_are_well_formed(doc):
    assert doc.claims and len(doc.sentences) > len(doc.claims)
    for c in doc.sentences:
        assert 0.0 <= c.score <= 1.0
        assert doc.passages[c.passage].text[c.start:c.end] == c.text
        assert c.reasons and all(isinstance(r, str) and " " in r for r in c.reasons)  # in words
        assert c.needs_source == (c.check_worthy and c.support == "none")
    assert all(c.check_worthy or c.notes for c in doc.claims)


def test_cited_claim_with_marker_at_sentence_end(doc):
    c = _claim(doc, "Mr. Tokayev announced")
    assert c.text.endswith("from 20,000 to 5,000.")
    assert (c.notes, c.support, c.support_scope, c.needs_source) == ([0], "marker", "sentence", False)
    assert any("T3" in r for r in c.reasons)


def test_marker_after_closing_quote_belongs_to_the_sentence(doc):
    c = _claim(doc, "Nazarbayev stated")
    assert c.text == "Nazarbayev stated his intent to develop “economy first, then politics.”"
    assert c.notes == [1]


def test_sentence_with_two_markers_is_one_claim_with_both(doc):
    c = _claim(doc, "President Tokayev’s reforms raised turnout")
    assert c.text == ("President Tokayev’s reforms raised turnout by 12 percent in 2021, while "
                      "critics argued that the changes were merely cosmetic.")
    assert c.notes == [2, 3] and c.support == "marker"


def test_uncited_factual_claims_need_a_source(doc):
    gdp = _claim(doc, "Kazakhstan’s GDP grew")
    assert gdp.kind == "quantitative" and gdp.needs_source and not gdp.notes
    assert gdp.support_scope is None  # its paragraph ends in a marker that has no note
    met = _claim(doc, "In May 2022, Tokayev met")
    assert met.needs_source and met.support_scope is None


def test_judgement_and_question_are_sentences_not_claims(doc):
    texts = [c.text for c in doc.claims]
    judged = [s for s in doc.sentences if s.text.startswith("The reform package is ambitious")]
    assert judged and not judged[0].check_worthy and not judged[0].needs_source
    assert "What comes next?" not in texts and "This matters." not in texts
    question = next(s for s in doc.sentences if s.text == "What comes next?")
    assert question.kind == "question" and "F6" in question.reasons[0]


def test_marker_without_note_is_ignored(doc):
    c = _claim(doc, "Kazakhstan’s parliament approved")
    assert c.notes == [] and c.needs_source


def test_headings_are_not_sentences(doc):
    assert not any(s.passage == 0 for s in doc.sentences)


def test_every_linked_note_comes_from_a_marker(doc):
    linked = sorted(n for c in doc.claims for n in c.notes)
    assert linked == sorted(m.note for m in doc.markers if m.note is not None)


# ---------------------------------------------------------------- entities


def test_entities_have_offsets_and_no_counts(doc):
    assert doc.entities
    for e in doc.entities:
        source = doc.passages[e.passage].text if e.passage is not None else doc.footnotes[e.note].text
        assert source[e.start:e.end] == e.text
        assert e.label not in {"CARDINAL", "ORDINAL"}
        assert any(ch.isalpha() for ch in e.text) or e.label in {"DATE", "PERCENT", "MONEY"}
        assert not e.text.startswith("-") and not e.text.endswith("-")


def test_tokayev_mentions_share_one_canonical_name(doc):
    mentions = [e for e in doc.entities if "Tokayev" in e.text and e.label == "PERSON"]
    assert len(mentions) >= 4  # passages and the note
    assert {e.canonical for e in mentions} == {"Kassym-Jomart Tokayev"}
    texts = {e.text for e in mentions}
    assert "Kassym-Jomart Tokayev" in texts and "Tokayev" in texts


def test_possessive_and_leading_the_are_not_part_of_the_name(doc):
    kazakhstan = [e for e in doc.entities if e.text.startswith("Kazakhstan") and e.passage is not None]
    assert kazakhstan and {e.canonical for e in kazakhstan} == {"Kazakhstan"}
    assert all("’" not in e.text for e in kazakhstan)
    us = [e for e in doc.entities if "United States" in e.text]
    assert us and {e.canonical for e in us} == {"United States"}


def test_note_entities_point_at_their_note(doc):
    in_notes = [e for e in doc.entities if e.note is not None]
    assert in_notes and all(e.passage is None for e in in_notes)
    assert any(e.note == 1 and e.canonical == "Svante E. Cornell" for e in in_notes)
    assert not any("akorda.kz/" in e.text or "https" in e.text for e in in_notes)


def test_report_title_and_whole_headings_are_not_entities(nlp):
    d = Document(path="t.pdf", sha256="1" * 64, filename="t.pdf",
                 title="Kazakhstan’s June Referendum: Accelerating Reform")
    _add_passage(d, "heading", "The Kazakhstan Development Strategy")
    _add_passage(d, "caption", "Kazakhstan’s June Referendum: Accelerating Reform")
    annotate(nlp, d)
    assert d.entities == []


def test_odd_passages_do_not_break_annotation(nlp):
    d = Document(path="t.pdf", sha256="3" * 64, filename="t.pdf")
    d.footnotes = [Footnote(label="1", page=1, kind="footnote", text="", bbox=(0, 0, 1, 1))]
    _add_passage(d, "paragraph", "")
    _add_passage(d, "paragraph", "[^0]Exports rose by 40 percent in 2021.")
    _add_passage(d, "list_item", "Imports fell by 12 percent in 2020[^0]")
    annotate(nlp, d)
    assert [(c.passage, c.notes) for c in d.claims] == [(1, [0]), (2, [0])]
    assert d.claims[1].text == "Imports fell by 12 percent in 2020"


def test_canonical_names_rules():
    mentions = [
        ("Kassym-Jomart Tokayev", "PERSON"), ("Tokayev", "ORG"), ("Tokayev", "PERSON"),
        ("N.Nazarbayev", "ORG"), ("Nursultan Nazarbayev", "PERSON"), ("Nazarbayev", "ORG"),
        ("Kazakhstan", "GPE"), ("kazakhstan", "GPE"), ("Kazakhstan", "PERSON"), ("Kazakhstan", "GPE"),
    ]
    assert canonical_names(mentions) == [
        ("Kassym-Jomart Tokayev", "PERSON"), ("Kassym-Jomart Tokayev", "PERSON"),
        ("Kassym-Jomart Tokayev", "PERSON"), ("Nursultan Nazarbayev", "PERSON"),
        ("Nursultan Nazarbayev", "PERSON"), ("Nursultan Nazarbayev", "PERSON"),
        ("Kazakhstan", "GPE"), ("Kazakhstan", "GPE"), ("Kazakhstan", "GPE"), ("Kazakhstan", "GPE"),
    ]
    # A place run into the name ("President of Kazakhstan Kassym-Jomart Tokayev’s ...").
    assert canonical_names([("Kassym-Jomart Tokayev", "PERSON"),
                            ("Kazakhstan Kassym-Jomart Tokayev", "ORG")]) == [
        ("Kassym-Jomart Tokayev", "PERSON"), ("Kassym-Jomart Tokayev", "PERSON")]
    # Different given names stay different people; a bare surname takes the longest full name.
    names = canonical_names([("Heydar Aliyev", "PERSON"), ("Ilham Aliyev", "PERSON"),
                             ("Aliyev", "PERSON")])
    assert [n for n, _l in names] == ["Heydar Aliyev", "Ilham Aliyev", "Heydar Aliyev"]


# ---------------------------------------------------------------- the annotated report


@pytest.fixture(scope="module")
def report(nlp):
    if not REPORT.exists():
        pytest.skip(f"{REPORT} is absent")
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    doc = Document(path=str(REPORT), sha256="2" * 64, filename=REPORT.name, title=data["title"])
    doc.footnotes = [Footnote(label=f["label"], page=f["page"], kind=f.get("kind", "footnote"),
                              text=f["text"], bbox=(0, 0, 1, 1)) for f in data["footnotes"]]
    for i, block in enumerate(data["blocks"]):
        text = re.sub(r"\[\^\d+\]", "", block["text"])  # the blocks print markers as [^n]
        doc.passages.append(Passage(seq=i, page=block["page"], kind=block["type"], text=text,
                                    bbox=(0, 0, 1, 1)))
    labels = {f["label"]: i for i, f in enumerate(data["footnotes"])}
    for m in data["markers"]:
        text = doc.passages[m["block_index"]].text
        end = text.index(m["sentence"]) + len(m["sentence"])
        doc.markers.append(Marker(passage=m["block_index"], label=m["label"], page=m["page"],
                                  start=end, end=end, note=labels[m["label"]]))
    annotate(nlp, doc)
    return data, doc


@pytest.mark.corpus
def test_report_marker_sentences_link_to_their_notes(report):
    data, doc = report
    assert data["markers"]
    linked = 0
    for m in data["markers"]:
        note = next(i for i, f in enumerate(data["footnotes"]) if f["label"] == m["label"])
        claims = [c for c in doc.claims if note in c.notes]
        if (len(claims) == 1 and claims[0].text == m["sentence"]
                and claims[0].passage == m["block_index"] and claims[0].notes == [note]):
            linked += 1
    assert linked == len(data["markers"])


@pytest.mark.corpus
def test_report_people_collapse_to_one_canonical_each(report):
    _data, doc = report
    for surname in ("Tokayev", "Nazarbayev"):
        # Every mention that names the man: "Tokayev", "President Tokayev", "N.Nazarbayev", ...
        mentions = [e for e in doc.entities
                    if re.fullmatch(rf"(?:[\w.-]+[\s.])*{surname}", e.text)]
        assert len(mentions) > 5
        assert len({(e.canonical, e.label) for e in mentions}) == 1, {
            (e.text, e.canonical, e.label) for e in mentions}
    assert {e.canonical for e in doc.entities if e.text == "Tokayev"} == {"Kassym-Jomart Tokayev"}


@pytest.mark.corpus
def test_report_claims_are_triaged(report):
    _data, doc = report
    assert {c.kind for c in doc.claims} >= {"attributed", "quantitative", "factual"}
    assert {s.kind for s in doc.sentences if not s.check_worthy} >= {"judgement", "speculation"}
    assert len(doc.claims) < len(doc.sentences)  # check-worthy sentences, not every sentence
    assert not any(doc.passages[c.passage].kind == "heading" for c in doc.claims)


def test_possessive_inside_a_name_ends_it(nlp):
    d = Document(path="t.pdf", sha256="4" * 64, filename="t.pdf")
    d.footnotes = [Footnote(label="1", page=1, kind="footnote", bbox=(0, 0, 1, 1),
                            text="“The President of Kazakhstan Nursultan Nazarbayev’s Address to the "
                                 "Nation of Kazakhstan,” Akorda.kz, January 31, 2017.")]
    _add_passage(d, "paragraph", "Nazarbayev stated his intent to develop the economy first.")
    annotate(nlp, d)
    names = {(e.text, e.canonical, e.label) for e in d.entities if "Nazarbayev" in e.text}
    assert ("Nursultan Nazarbayev", "Nursultan Nazarbayev", "PERSON") in names
    assert {c for _t, c, _l in names} == {"Nursultan Nazarbayev"}
