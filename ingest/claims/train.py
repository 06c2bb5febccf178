"""Train the check-worthiness classifier on the labelled sentences, reproducibly (seeded).

    python -m citetrace.ingest.claims.train                 # train, write ingest/claims/model
    python -m citetrace.ingest.claims.train --folds 5       # also cross-validate, by document,
                                                            # the classifier and its combinations
    python -m citetrace.ingest.claims.train --limit 40 --out /tmp/m   # a quick run

The labels (``training/sentences.jsonl``: document, text, check_worthy, rule) follow the
claims GUIDELINES.md (T1-T5 check-worthy, F1-F8 not) and come from documents other than the
gold files, nor the held-out documents of ``tests/data/claims_heldout`` and ``claims_heldout2``.
The first 420 rows are single sentences picked for their difficulty; the 634 after them (with a
``page`` field) are every body sentence of whole pages (headings, table cells, citation-only lines
such as "RP 12." and garbled runs left out; a sentence already labelled among the first 420 is not
repeated): the sample report, pages 1-10; crs_R48179.10, pages 2, 4-11 and 16-18; crs_R46991.32,
pages 2, 12, 13, 18, 22, 40-48 and 54; sci_tracemonkey, pages 9-13; the Zamora brief, pages 32-37,
45, 46, 50-57; grobid clef2008, page 1. The 313 labelled in session 10 favour the authors' own
analysis written as plain statements (policy discussion, related work, legal argument), the rules'
weak spot. None is a scope page of a held-out set or a neighbour of one
(tests/test_claims_classifier.py checks the pages). The classifier reads
each sentence with the rules' verdict on it (``classifier.features``), so training parses the
labelled sentences with the ingest pipeline and applies the rules first: retrain when the rules
change. Folds split by document, so a fold never sees sentences of its own test document.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from citetrace.ingest.claims.classifier import LABEL, MODEL_DIR, Combination, features, probabilities
from citetrace.ingest.claims.support import inline_citations
from citetrace.ingest.claims.worthiness import Verdict, assess

TRAINING = Path(__file__).parent / "training" / "sentences.jsonl"
OTHER = "NOT_CHECK_WORTHY"
TEXTCAT = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 1,  # word pairs did no better in cross-validation
    "no_output_layer": False,
    "length": 2 ** 16,  # hashed features: keeps the shipped weights well under a megabyte
}
EPOCHS = 5  # cross-validation: 5 passes did as well as 12 on the combination, better alone


@dataclass
class Labelled:
    document: str
    text: str
    check_worthy: bool
    rule: str
    verdict: Verdict | None = None  # the rules' reading, filled in by read_with_rules
    page: int | None = None  # the physical page, on the rows labelled as whole pages


def read_labels(path: Path = TRAINING) -> list[Labelled]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Labelled(row["document"], row["text"], bool(row["check_worthy"]), row["rule"],
                                page=row.get("page")))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not a labelled sentence ({exc})") from exc
    return out


def read_with_rules(rows: list[Labelled]) -> None:
    """Fill in each row's rules verdict: the sentence parsed alone by the ingest pipeline and
    judged as ``build_claims`` judges a body sentence."""
    from citetrace.ingest.nlp import load_pipeline  # the full parser: only when training

    nlp = load_pipeline()

    def docs():
        for r in rows:
            doc = nlp.make_doc(r.text)
            doc._.sentence_starts = [0]  # one sentence, as ingest hands it to the parser
            yield doc

    for r, doc in zip(rows, nlp.pipe(docs(), batch_size=64)):
        r.verdict = assess(list(doc), r.text, legal_context=bool(inline_citations(r.text)))


def train(rows: list[Labelled], seed: int = 0, epochs: int = EPOCHS) -> Language:
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": TEXTCAT})
    textcat.add_label(LABEL)
    textcat.add_label(OTHER)
    examples = [Example.from_dict(nlp.make_doc(features(r.text, r.verdict)),
                                  {"cats": {LABEL: float(r.check_worthy), OTHER: float(not r.check_worthy)}})
                for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(epochs):
        order.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def out_of_fold(rows: list[Labelled], folds: int, seed: int = 0) -> list[float]:
    """P(check-worthy) of every row from a model that never saw its document."""
    docs = sorted({r.document for r in rows})
    random.Random(seed).shuffle(docs)
    p = [0.0] * len(rows)
    for k in range(folds):
        held = set(docs[k::folds])
        test = [i for i, r in enumerate(rows) if r.document in held]
        if not test:
            continue
        nlp = train([r for r in rows if r.document not in held], seed)
        for i, q in zip(test, probabilities(nlp, [rows[i].text for i in test], [rows[i].verdict for i in test])):
            p[i] = q
    return p


def agreement(rows: list[Labelled], decided: list[bool]) -> dict[str, float]:
    """Accuracy, precision and recall of check-worthy decisions against the labels."""
    tp = sum(d and r.check_worthy for r, d in zip(rows, decided))
    fp = sum(d and not r.check_worthy for r, d in zip(rows, decided))
    fn = sum((not d) and r.check_worthy for r, d in zip(rows, decided))
    correct = sum(d == r.check_worthy for r, d in zip(rows, decided))
    return {"accuracy": round(correct / len(rows), 3), "precision": round(tp / max(tp + fp, 1), 3),
            "recall": round(tp / max(tp + fn, 1), 3), "sentences": len(rows)}


# The combinations cross-validation compares: (reject, accept); 1.01 never accepts, -1 never rejects.
GRID = [Combination(reject, accept) for reject in (-1.0, 0.1, 0.2, 0.3, 0.4, 0.5)
        for accept in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01) if (reject, accept) != (-1.0, 1.01)]


def cross_validate(rows: list[Labelled], folds: int, seed: int = 0) -> list[dict]:
    """The rules alone, the classifier alone (P >= 0.5) and each combination of GRID, scored on
    out-of-fold probabilities (folds split by document); the combinations best first."""
    p = out_of_fold(rows, folds, seed)
    rules = [r.verdict.check_worthy for r in rows]
    combined = []
    for c in GRID:
        decided = [r.verdict.check_worthy if (d := c.decide(r.verdict.check_worthy, r.verdict.kind, q)) is None
                   else d for r, q in zip(rows, p)]
        combined.append({"reject": c.reject, "accept": c.accept, **agreement(rows, decided)})
    combined.sort(key=lambda x: (-x["accuracy"], -x["precision"]))
    return [{"rules": True, **agreement(rows, rules)},
            {"classifier": True, **agreement(rows, [q >= 0.5 for q in p])}, *combined]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=TRAINING)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=0, help="cross-validate by document first")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    ap.add_argument("--show", type=int, default=8, help="with --folds: print the rules, the classifier "
                    "and the best combinations, this many lines")
    args = ap.parse_args(argv)
    rows = read_labels(args.labels)
    if args.limit:
        rows = rows[: args.limit]
    read_with_rules(rows)
    if args.folds:
        for line in cross_validate(rows, args.folds, args.seed)[: args.show]:
            print(json.dumps(line))
    nlp = train(rows, args.seed)
    nlp.meta["name"] = "citetrace_checkworthy"
    nlp.meta["description"] = f"bag-of-words check-worthiness, {len(rows)} sentences, seed {args.seed}"
    nlp.to_disk(args.out)
    print(f"wrote {args.out} ({len(rows)} sentences)")


if __name__ == "__main__":
    main()
