"""Train the check-worthiness classifier on the labelled sentences, reproducibly (seeded).

    python -m citetrace.ingest.claims.train                 # train, write ingest/claims/model
    python -m citetrace.ingest.claims.train --folds 5       # also cross-validate, by document
    python -m citetrace.ingest.claims.train --limit 40 --out /tmp/m   # a quick run

The labels (``training/sentences.jsonl``: document, text, check_worthy, rule) follow the
claims GUIDELINES.md (T1-T5 check-worthy, F1-F8 not) and come from documents other than the
gold files. Folds split by document, so a fold never sees sentences of its own test document.
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

from citetrace.ingest.claims.classifier import LABEL, MODEL_DIR, features, probabilities

TRAINING = Path(__file__).parent / "training" / "sentences.jsonl"
OTHER = "NOT_CHECK_WORTHY"
TEXTCAT = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 1,  # word pairs did no better in cross-validation
    "no_output_layer": False,
    "length": 2 ** 16,  # hashed features: keeps the shipped weights well under a megabyte
}


@dataclass
class Labelled:
    document: str
    text: str
    check_worthy: bool
    rule: str


def read_labels(path: Path = TRAINING) -> list[Labelled]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Labelled(row["document"], row["text"], bool(row["check_worthy"]), row["rule"]))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not a labelled sentence ({exc})") from exc
    return out


def train(rows: list[Labelled], seed: int = 0, epochs: int = 12) -> Language:
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": TEXTCAT})
    textcat.add_label(LABEL)
    textcat.add_label(OTHER)
    examples = [Example.from_dict(nlp.make_doc(features(r.text)), {"cats": {LABEL: float(r.check_worthy),
                                                                  OTHER: float(not r.check_worthy)}})
                for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(epochs):
        order.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def cross_validate(rows: list[Labelled], folds: int, seed: int = 0) -> dict[str, float]:
    """Accuracy, precision and recall of P >= 0.5, with folds split by document."""
    docs = sorted({r.document for r in rows})
    random.Random(seed).shuffle(docs)
    tp = fp = fn = tn = 0
    for k in range(folds):
        held = set(docs[k::folds])
        test = [r for r in rows if r.document in held]
        if not test:
            continue
        nlp = train([r for r in rows if r.document not in held], seed)
        for r, p in zip(test, probabilities(nlp, [r.text for r in test])):
            pred = p >= 0.5
            tp += pred and r.check_worthy
            fp += pred and not r.check_worthy
            fn += (not pred) and r.check_worthy
            tn += (not pred) and not r.check_worthy
    total = tp + fp + fn + tn
    return {"accuracy": (tp + tn) / total, "precision": tp / max(tp + fp, 1),
            "recall": tp / max(tp + fn, 1), "sentences": total}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=TRAINING)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=0, help="cross-validate by document first")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    args = ap.parse_args(argv)
    rows = read_labels(args.labels)
    if args.limit:
        rows = rows[: args.limit]
    if args.folds:
        print(json.dumps(cross_validate(rows, args.folds, args.seed)))
    nlp = train(rows, args.seed)
    nlp.meta["name"] = "citetrace_checkworthy"
    nlp.meta["description"] = f"bag-of-words check-worthiness, {len(rows)} sentences, seed {args.seed}"
    nlp.to_disk(args.out)
    print(f"wrote {args.out} ({len(rows)} sentences)")


if __name__ == "__main__":
    main()
