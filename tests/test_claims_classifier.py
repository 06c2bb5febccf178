"""The trained check-worthiness classifier: shipped model, training script, combination with the rules."""

from __future__ import annotations

import json
import socket
from importlib import resources
from pathlib import Path

import pytest

from citetrace.ingest.claims.build import build_claims, plan_sentences
from citetrace.ingest.claims.classifier import MODEL_DIR, Combination, features, load_classifier, probabilities
from citetrace.ingest.claims.train import GRID, Labelled, main, read_labels, read_with_rules
from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import load_pipeline

HELDOUT = Path(__file__).parent / "data" / "claims_heldout"
HELDOUT2 = Path(__file__).parent / "data" / "claims_heldout2"
HELDOUT3 = Path(__file__).parent / "data" / "claims_heldout3"
HELDOUT4 = Path(__file__).parent / "data" / "claims_heldout4"
HELDOUT5 = Path(__file__).parent / "data" / "claims_heldout5"

# From the labelled training file (documents other than the claims gold files).
CHECK_WORTHY = [
    "In 2010, Live Nation and Ticketmaster merged to become Live Nation Entertainment.",
    "According to a 2026 FAS estimate, the United States has around 1,770 deployed nuclear warheads.",
]
NOT_CHECK_WORTHY = [
    "When governments raise it, voters notice at once; when governments hold it down, the costs are hidden "
    "in crumbling pipes, intermittent supply and transfers from the national budget that could have been "
    "spent on something else.",
    "Ideally, the trace reaches the loop header where it started with the same type map as on entry.",
]


@pytest.fixture()
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the classifier tried to open a network connection")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_model_ships_as_package_data_and_loads_offline(no_network):
    model = resources.files("citetrace.ingest.claims") / "model"
    assert (model / "config.cfg").is_file() and (model / "textcat" / "model").is_file()
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 3_000_000
    nlp = load_classifier()
    assert nlp.pipe_names == ["textcat"]
    assert load_classifier() is nlp  # loaded once per process


def test_classifier_decides_labelled_sentences_sensibly(no_network):
    rows = [Labelled("t.pdf", t, i < 2, "T1" if i < 2 else "F1") for i, t in enumerate(CHECK_WORTHY + NOT_CHECK_WORTHY)]
    read_with_rules(rows)  # it reads each sentence with the rules' verdict, as ingest hands it over
    assert [r.verdict.kind for r in rows] == ["factual", "attributed", "general", "general"]
    p = probabilities(load_classifier(), [r.text for r in rows], [r.verdict for r in rows])
    assert all(x > 0.7 for x in p[:2]), p
    assert all(x < 0.3 for x in p[2:]), p


def test_features_carry_the_rules_verdict_before_the_words():
    rows = [Labelled("t.pdf", "The FAA estimates that this proposed AD affects 73 airplanes.", True, "T3")]
    read_with_rules(rows)
    seen = features(rows[0].text, rows[0].verdict)
    assert seen.startswith("kind_attributed why_reports_an_identified_actor ")
    assert seen.endswith("affects 00 airplanes.")
    assert features(rows[0].text) == "the faa estimates that this proposed ad affects 00 airplanes."


def test_training_file_follows_the_guidelines_codes():
    rows = read_labels()
    assert len(rows) >= 400
    assert {r.rule[0] for r in rows} == {"T", "F"}
    assert all(r.check_worthy == r.rule.startswith("T") for r in rows)
    assert all(r.rule[1:] in {"1", "2", "3", "4", "5", "6", "7", "8"} for r in rows)
    gold_documents = {"crs_R48903.3.pdf", "report_replica_2col.pdf", "report_replica_1col.pdf"}
    assert not {r.document for r in rows} & gold_documents
    # nor the held-out check's documents: it measures the classifier too
    heldout = {json.loads(f.read_text())["file"] for f in HELDOUT.glob("*.claims.json")}
    assert len(heldout) == 5 and not {r.document for r in rows} & heldout
    # nor the second held-out set's (six documents; their 405 training sentences were removed)
    heldout2 = {json.loads(f.read_text())["file"] for f in HELDOUT2.glob("*.claims.json")}
    assert len(heldout2) == 6 and not {r.document for r in rows} & heldout2
    assert len({r.document for r in rows}) >= 8
    assert len({r.text for r in rows}) == len(rows)  # no sentence twice


def _training_fingerprints() -> dict[str, list[dict]]:
    from citetrace.ingest.quality.claims import fingerprint

    train: dict[str, list[dict]] = {}
    for r in read_labels():
        train.setdefault(r.document, []).append(fingerprint(r.text))
    return train


def _assert_skips_are_exactly_the_training_sentences(g: dict, seen: list[dict]) -> None:
    """No labelled sentence is a training sentence (same normalised text, or same first five and
    last three words), and every `skip` is one (a skip hides nothing else)."""
    hashes, ends = {t["sha1"] for t in seen}, {(t["anchor"], t["tail"]) for t in seen}
    for s in g["sentences"]:
        in_training = s["sha1"] in hashes or (s["anchor"], s["tail"]) in ends
        assert in_training == bool(s.get("skip")), (g["file"], s["id"])


def _files(*sets: Path) -> set[str]:
    return {json.loads(f.read_text())["file"] for d in sets for f in d.glob("*.claims.json")}


def test_third_held_out_set_shares_no_sentence_with_the_training_file():
    """Set 3 takes pages of documents that are also in the training file, so it is disjoint by
    sentence, not by document."""
    train = _training_fingerprints()
    golds = [json.loads(f.read_text()) for f in sorted(HELDOUT3.glob("*.claims.json"))]
    assert len(golds) == 5
    for g in golds:
        seen = train.get(g["file"], [])
        assert seen  # documents of the training file, other pages
        _assert_skips_are_exactly_the_training_sentences(g, seen)
    assert not {g["file"] for g in golds} & _files(HELDOUT, HELDOUT2)


def test_fourth_held_out_set_shares_no_sentence_with_the_training_file():
    """Set 4 takes other pages of documents of sets 1-2, which the training file leaves out; its
    sentences are checked against every training sentence, whatever its document (a label added
    later to the training file from these pages would turn the set into training data)."""
    train = _training_fingerprints()
    everything = [t for seen in train.values() for t in seen]
    golds = [json.loads(f.read_text()) for f in sorted(HELDOUT4.glob("*.claims.json"))]
    labelled = [s for g in golds for s in g["sentences"] if not s.get("skip")]
    assert len(golds) == 5 and len(labelled) == 133
    for g in golds:
        _assert_skips_are_exactly_the_training_sentences(g, everything)
    # not the documents of set 3 (whose pages it must not share), and no page of sets 1-3 again
    assert not {g["file"] for g in golds} & _files(HELDOUT3)
    pages = {}
    for d in (HELDOUT, HELDOUT2, HELDOUT3):
        for f in d.glob("*.claims.json"):
            e = json.loads(f.read_text())
            lo, hi = e["scope_pages"]
            pages.setdefault(e["file"], set()).update(range(lo, hi + 1))
    for g in golds:
        lo, hi = g["scope_pages"]
        assert not pages.get(g["file"], set()) & set(range(lo, hi + 1)), g["file"]


def test_fifth_held_out_set_shares_no_sentence_with_the_training_file():
    """Set 5 takes other pages of documents of sets 1-3. One of them (CRS R46991) is in the
    training file with rows that carry no page, three of which stand on set 5's pages: those are
    skips, and no labelled sentence is a training sentence of any document. Nor does it take a
    page of sets 1-4, or a sentence of sets 1, 2 or 4 (a sentence may run over a page break)."""
    from citetrace.ingest.quality.claims import fingerprint

    train = _training_fingerprints()
    everything = [t for seen in train.values() for t in seen]
    golds = [json.loads(f.read_text()) for f in sorted(HELDOUT5.glob("*.claims.json"))]
    labelled = [s for g in golds for s in g["sentences"] if not s.get("skip")]
    assert len(golds) == 6 and len(labelled) == 140
    assert sum(bool(s.get("skip")) for g in golds for s in g["sentences"]) == 3
    for g in golds:
        _assert_skips_are_exactly_the_training_sentences(g, everything)
    pages: dict[str, set[int]] = {}
    seen: dict[str, set] = {}
    for d in (HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4):
        for f in d.glob("*.claims.json"):
            e = json.loads(f.read_text())
            lo, hi = e["scope_pages"]
            pages.setdefault(e["file"], set()).update(range(lo, hi + 1))
            if d is not HELDOUT3:  # set 3 stays unread but for its pages
                for s in e["sentences"]:  # older sets may keep a sentence's text
                    fp = s if "sha1" in s else fingerprint(s["text"])
                    seen.setdefault(e["file"], set()).update({fp["sha1"], (fp["anchor"], fp["tail"])})
    for g in golds:
        lo, hi = g["scope_pages"]
        assert not pages.get(g["file"], set()) & set(range(lo, hi + 1)), g["file"]
        other = seen.get(g["file"], set())
        assert not [s["id"] for s in g["sentences"] if s["sha1"] in other or (s["anchor"], s["tail"]) in other]


def test_training_script_runs_on_a_small_subset(tmp_path, capsys):
    main(["--limit", "60", "--folds", "2", "--show", "40", "--out", str(tmp_path / "m")])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()[:-1]]
    rules, alone, *combined = lines
    assert rules["rules"] and alone["classifier"] and len(combined) == len(GRID)
    assert all(x["sentences"] == 60 and 0 <= x["accuracy"] <= 1 for x in lines)
    accuracies = [c["accuracy"] for c in combined]
    assert accuracies == sorted(accuracies, reverse=True)  # the best combination first
    # the rules' line is the rules' agreement with the labels, computed here again
    rows = read_labels()[:60]
    read_with_rules(rows)
    agree = sum(r.verdict.check_worthy == r.check_worthy for r in rows) / 60
    assert rules["accuracy"] == round(agree, 3)
    nlp = load_classifier(tmp_path / "m")
    assert "60 sentences" in nlp.meta["description"]
    (p,) = probabilities(nlp, ["Congress appropriated $5 million in FY2024."])
    assert 0.0 <= p <= 1.0


def test_bad_labels_file_names_the_line(tmp_path):
    bad = tmp_path / "labels.jsonl"
    bad.write_text('{"document": "a.pdf", "text": "x", "check_worthy": true, "rule": "T1"}\n{"text": 1}\n')
    with pytest.raises(ValueError, match=r"labels.jsonl:2: not a labelled sentence"):
        read_labels(bad)


def test_missing_model_is_one_clear_line(tmp_path):
    with pytest.raises(FileNotFoundError, match="no check-worthiness model"):
        load_classifier(tmp_path)


def test_combination_overrules_only_plain_statements_it_is_sure_about():
    c = Combination(reject=0.2, accept=0.8)
    assert c.decide(False, "general", 0.9) is True
    assert c.decide(True, "judgement", 0.1) is False
    assert c.decide(True, "factual", 0.5) is None  # unsure: the rules stand
    assert c.decide(False, "question", 0.99) is None  # clear cases stay with the rules
    assert c.decide(False, "recommendation", 0.99) is None


def test_build_claims_with_a_combination_takes_the_classifier_on_plain_statements():
    nlp = load_pipeline()
    doc = Document(path="c.pdf", sha256="c" * 64, filename="c.pdf")
    doc.passages.append(Passage(seq=0, page=1, kind="body", bbox=(0, 0, 100, 10), text=(
        "Background principles are a strong medicine. "
        "In 2010, Live Nation and Ticketmaster merged to become Live Nation Entertainment.")))
    plan = plan_sentences(doc)
    parsed = {}
    for i, p in enumerate(doc.passages):
        d = nlp.make_doc(p.text)
        d._.sentence_starts = plan.starts.get(i)
        parsed[i] = nlp(d)
    rules = {c.text: c for c in build_claims(plan, parsed)}
    # a combination that always overrules on plain statements shows whose decision it is
    both = {c.text: c for c in build_claims(plan, parsed, Combination(reject=0.5, accept=0.5))}
    medicine, merger = "Background principles are a strong medicine.", CHECK_WORTHY[0]
    # (since 0.4.7 the rules themselves call "medicine" a definition, F5; the classifier, at a
    # 0.5 threshold, reads it the other way: what matters here is that the decision is its own)
    assert both[medicine].check_worthy != rules[medicine].check_worthy and both[merger].check_worthy
    assert "trained classifier" in both[medicine].reasons[0]
    assert rules[merger].check_worthy
    changed = [t for t in both if both[t].check_worthy != rules[t].check_worthy]
    assert all("trained classifier" in both[t].reasons[0] for t in changed)


def test_whole_page_labels_stay_off_every_held_out_page():
    """The rows labelled as whole pages carry their page: none is a scope page of a held-out set
    or of the gold files, nor a page next to one (a sentence may run over a page break). Only each
    held-out file's `file` and `scope_pages` are read here."""
    paged = [r for r in read_labels() if r.page is not None]
    assert len(paged) >= 300
    assert all(r.rule[0] in "TF" and r.page >= 1 for r in paged)
    sets = [*HELDOUT.glob("*.json"), *HELDOUT2.glob("*.json"), *HELDOUT3.glob("*.json"),
            *HELDOUT4.glob("*.claims.json"), *HELDOUT5.glob("*.claims.json"),
            *(Path(__file__).parent.parent.parent / "shared" / "claims").glob("*.claims.json")]
    near: set[tuple[str, int]] = set()
    for f in sets:
        g = json.loads(f.read_text())
        first, last = g["scope_pages"]
        near |= {(g["file"], p) for p in range(first - 1, last + 2)}
    assert len(near) >= 5 * 16  # the five held-out sets at least
    assert not [(r.document, r.page) for r in paged if (r.document, r.page) in near]
