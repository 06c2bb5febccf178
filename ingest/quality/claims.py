"""Score a database's claims against hand-labelled claims gold (``<stem>.claims.json``).

The definitions are those of the shared ``score_claims.py`` (claims GUIDELINES.md):

* texts are compared normalised (NFKC, straight quotes, lower case, whitespace collapsed);
  a pair matches when difflib's ratio >= 0.8, or one text contains the other and is at least
  0.7 as long; each gold sentence takes its best claim and each claim its best gold sentence,
  among claims on the sentence's page or a neighbour;
* a claim is in scope when it matches a gold sentence or lies on a labelled page (before the
  end of the last labelled sentence when the last page is partial);
* a gold sentence with ``"skip": "<why>"`` (e.g. it is in the classifier's training file) is
  matched like the others but counted nowhere, and neither is the claim it takes;
* claim recall = check-worthy gold sentences matched / check-worthy gold sentences; claim
  precision = in-scope claims whose best gold sentence is check-worthy / in-scope claims;
  needs-source P over flagged in-scope claims, R over gold needs-source sentences; link
  accuracy = gold sentences with markers whose claim links exactly those note labels.

It reads the database with :mod:`sqlite3` only (the public tables), so it scores any
citetrace database, whichever version wrote it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from citetrace.ingest.quality.predicted import connect

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                        "\u00ab": '"', "\u00bb": '"'})
COUNTS = ("gold_sentences", "gold_check_worthy", "gold_needs_source", "gold_with_markers",
          "claims_in_scope", "cw_matched", "claims_matching_cw", "pred_needs_source",
          "ns_tp_claims", "ns_tp_gold", "links_exact", "spurious")


class ClaimsGoldError(ValueError):
    """A claims gold file that cannot be read: the message names the file and the reason."""


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES)
    return re.sub(r"\s+", " ", text.lower()).strip()


def _norm_with_map(text: str) -> tuple[str, list[int]]:
    """norm() that also gives, per output character, its index in `text`."""
    out, idx, prev_space = [], [], True
    for i, ch in enumerate(text or ""):
        for c in unicodedata.normalize("NFKC", ch):
            c = c.translate(QUOTES).lower()
            if c.isspace():
                if prev_space:
                    continue
                c, prev_space = " ", True
            else:
                prev_space = False
            out.append(c)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def overlap(a: str, b: str) -> tuple[float, bool]:
    """(score, is_match) for two normalised texts."""
    if not a or not b:
        return 0.0, False
    short, long_ = sorted((a, b), key=len)
    contained = short in long_
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if not contained and (sm.real_quick_ratio() < 0.5 or sm.quick_ratio() < 0.5):
        return 0.0, False
    ratio = sm.ratio()
    share = len(short) / len(long_)
    return max(ratio, share if contained else 0.0), ratio >= 0.8 or (contained and share >= 0.7)


@dataclass
class Score:
    document: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: "Score") -> None:
        for k in COUNTS:
            self.counts[k] += other.counts[k]

    @property
    def metrics(self) -> dict[str, float]:
        c = self.counts

        def div(a, b):
            return a / b if b else float("nan")

        p, r = div(c["ns_tp_claims"], c["pred_needs_source"]), div(c["ns_tp_gold"], c["gold_needs_source"])
        f1 = 2 * p * r / (p + r) if p == p and r == r and p + r else float("nan")
        return {"claim_recall": div(c["cw_matched"], c["gold_check_worthy"]),
                "claim_precision": div(c["claims_matching_cw"], c["claims_in_scope"]),
                "ns_precision": p, "ns_recall": r, "ns_f1": f1,
                "link_accuracy": div(c["links_exact"], c["gold_with_markers"])}


def load_gold(path: str | Path) -> dict:
    path = Path(path)
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ClaimsGoldError(f"{path}: not a readable JSON file ({e})") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("sentences"), list) or "file" not in gold:
        raise ClaimsGoldError(f"{path}: not a claims gold file (needs 'file' and a 'sentences' list)")
    for i, s in enumerate(gold["sentences"]):
        # a sentence kept out of the count ("skip": why) is located, not labelled
        missing = ({"page"} if s.get("skip") else {"page", "check_worthy", "needs_source", "markers"}) - set(s)
        if "text" not in s and not {"anchor", "tail", "length"} <= set(s):
            missing.add("text")  # or the anchor, tail and length of a text kept out of the file
        if missing:
            raise ClaimsGoldError(f"{path}: sentence {i} lacks {', '.join(sorted(missing))}")
    return gold


def fingerprint(text: str, words: int = 5) -> dict:
    """What a gold file may store instead of a sentence's text (a document whose text may not
    be copied): its first and last words, its normalised length and a hash to confirm it."""
    n = norm(text)
    split = n.split(" ")
    return {"anchor": " ".join(split[:words]), "tail": " ".join(split[-3:]), "length": len(n),
            "sha1": hashlib.sha1(n.encode("utf-8")).hexdigest()[:12]}


def resolve_texts(conn: sqlite3.Connection, doc_id: int, gold: dict, path: str = "") -> None:
    """Fill in the text of every gold sentence stored as a fingerprint, from the document's
    passages (a sentence cut by a heading or page break takes the words between along)."""
    pending = [s for s in gold["sentences"] if "text" not in s]
    if not pending:
        return
    body = norm(" ".join(t for (t,) in conn.execute(
        "select text from passages where document_id = ? order by seq", (doc_id,))))
    for s in pending:
        best = None
        for m in re.finditer(re.escape(s["anchor"]), body):
            k = body.find(s["tail"], m.start() + max(len(s["anchor"]), len(s["tail"])) - len(s["tail"]))
            if k < 0:
                continue
            span = body[m.start():k + len(s["tail"])]
            exact = hashlib.sha1(span.encode("utf-8")).hexdigest()[:12] == s.get("sha1")
            off = abs(len(span) - s["length"])
            if exact or off <= max(0.3 * s["length"], 300):  # a heading or page break between
                rank = (not exact, off)
                if best is None or rank < best[0]:
                    best = (rank, span)
        if best is None:
            raise ClaimsGoldError(f"{path or gold['file']}: sentence {s.get('id')} ({s['anchor']!r} ... "
                                  f"{s['tail']!r}) not found in the document's text")
        s["text"] = best[1]


def _claims(conn: sqlite3.Connection, doc_id: int) -> list[dict]:
    # the page where the sentence starts; a database before 0.4.7 has only its passage's
    columns = {r[1] for r in conn.execute("PRAGMA table_info(claims)")}
    page = "coalesce(c.page, p.page)" if "page" in columns else "p.page"
    rows = conn.execute(
        f"select c.id, c.start, c.text, c.needs_source, {page}, p.seq from claims c "
        "left join passages p on p.id = c.passage_id where c.document_id = ? order by p.seq, c.start",
        (doc_id,)).fetchall()
    labels: dict[int, set[str]] = {}
    for claim_id, label in conn.execute(
            "select cf.claim_id, f.label from claim_footnotes cf join footnotes f on f.id = cf.footnote_id "
            "join claims c on c.id = cf.claim_id where c.document_id = ?", (doc_id,)):
        labels.setdefault(claim_id, set()).add(label)
    return [dict(id=r[0], start=r[1] or 0, text=r[2], n=norm(r[2]), needs_source=bool(r[3]), page=r[4],
                 seq=r[5], labels=labels.get(r[0], set())) for r in rows]


def _cutoff(conn: sqlite3.Connection, doc_id: int, last: dict, page: int) -> tuple[int, int] | None:
    """(passage seq, offset) just after the last labelled sentence on a partial last page."""
    tail = norm(last["text"])[-60:]
    best = None
    for seq, text in conn.execute("select seq, text from passages where document_id = ? and page in (?, ?) "
                                  "order by page desc, seq", (doc_id, page, page - 1)):
        nt, idx = _norm_with_map(text)
        k = nt.find(tail)
        if k >= 0:
            return seq, idx[k + len(tail) - 1] + 1
        m = difflib.SequenceMatcher(None, nt, tail, autojunk=False).find_longest_match(0, len(nt), 0, len(tail))
        if m.size >= 20 and (best is None or m.size > best[0]):
            end = min(m.a + m.size + (len(tail) - (m.b + m.size)), len(nt)) - 1
            best = (m.size, (seq, idx[end] + 1))
    return best[1] if best else None


def score_document(conn: sqlite3.Connection, doc_id: int, gold: dict, exclude_zones=frozenset()) -> Score:
    sents = gold["sentences"]
    gnorm = [norm(s["text"]) for s in sents]
    claims = _claims(conn, doc_id)
    g_best: dict[int, tuple[float, int]] = {}
    c_best: dict[int, tuple[float, int]] = {}
    for i, s in enumerate(sents):
        for j, c in enumerate(claims):
            if c["page"] is not None and abs(c["page"] - s["page"]) > 1:
                continue
            sc, ok = overlap(gnorm[i], c["n"])
            if ok and sc > g_best.get(i, (-1, 0))[0]:
                g_best[i] = (sc, j)
            if ok and sc > c_best.get(j, (-1, 0))[0]:
                c_best[j] = (sc, i)
    lo, hi = gold.get("scope_pages") or [min(s["page"] for s in sents), max(s["page"] for s in sents)]
    cut = None
    if gold.get("last_page_partial"):
        cut = _cutoff(conn, doc_id, max(sents, key=lambda s: (s["page"], s.get("id", 0))), hi)

    def in_scope(j: int, c: dict) -> bool:
        if j in c_best or c["page"] is None:
            return True
        if not lo <= c["page"] <= hi:
            return False
        return not (cut and c["page"] == hi and c["seq"] is not None and (c["seq"], c["start"]) >= cut)

    # A skipped sentence still takes its claim, so that claim is neither credited nor spurious: a
    # labelled page can hold a sentence the set must not judge (one the classifier trained on).
    excluded = {i for i, s in enumerate(sents) if s.get("skip") or s.get("zone", "body") in exclude_zones}
    scope = [j for j, c in enumerate(claims) if in_scope(j, c) and not (j in c_best and c_best[j][1] in excluded)]
    kept = [i for i in range(len(sents)) if i not in excluded]
    cw = [i for i in kept if sents[i]["check_worthy"]]
    ns_gold = [i for i in kept if sents[i]["needs_source"]]
    marked = [i for i in kept if sents[i]["markers"]]
    matched_cw = [j for j in scope if j in c_best and sents[c_best[j][1]]["check_worthy"]]
    flagged = [j for j in scope if claims[j]["needs_source"]]
    ns_ok = [j for j in flagged if j in c_best and sents[c_best[j][1]]["needs_source"]]
    ns_found = [i for i in ns_gold if i in g_best and claims[g_best[i][1]]["needs_source"]]
    links = [i for i in marked if i in g_best and claims[g_best[i][1]]["labels"] == set(sents[i]["markers"])]
    score = Score(Path(gold["file"]).name)
    score.counts.update(
        gold_sentences=len(kept), gold_check_worthy=len(cw), gold_needs_source=len(ns_gold),
        gold_with_markers=len(marked), claims_in_scope=len(scope),
        cw_matched=sum(i in g_best for i in cw), claims_matching_cw=len(matched_cw),
        pred_needs_source=len(flagged), ns_tp_claims=len(ns_ok), ns_tp_gold=len(ns_found),
        links_exact=len(links), spurious=len(scope) - len(matched_cw))
    score.errors = {
        "missed check-worthy": [sents[i]["text"] for i in cw if i not in g_best],
        "false needs-source": [claims[j]["text"] for j in flagged if j not in ns_ok],
        "missed needs-source": [sents[i]["text"] for i in ns_gold if i not in ns_found],
        "wrong links": [sents[i]["text"] for i in marked if i not in links],
        "spurious": [claims[j]["text"] for j in scope if j not in matched_cw],
    }
    return score


def score_claims(db_path: str | Path, gold_paths, exclude_zones=frozenset()) -> tuple[list[Score], Score, list[str]]:
    """Per-document scores, the pooled (micro) score, and warnings (gold files whose document
    is not in the database)."""
    golds = [load_gold(p) for p in gold_paths]
    conn = connect(db_path)
    try:
        docs: dict[str, int] = {}
        for doc_id, filename in conn.execute("select id, filename from documents order by id"):
            docs.setdefault(Path(filename).name, doc_id)
        scores, warnings, total = [], [], Score("ALL (micro)")
        for gold in golds:
            name = Path(gold["file"]).name
            if name not in docs:
                warnings.append(f"{name}: not in the database")
                continue
            resolve_texts(conn, docs[name], gold)
            s = score_document(conn, docs[name], gold, set(exclude_zones))
            scores.append(s)
            total.add(s)
    finally:
        conn.close()
    return scores, total, warnings


def table(scores: list[Score], total: Score) -> str:
    """The issue's table: claim recall / precision, needs-source P / R / F1, marker links."""
    def f(x: float) -> str:
        return "  n/a" if x != x else f"{x:5.3f}"

    head = (f"{'document':40s} {'gold':>4s} {'cw':>4s} {'ns':>4s} {'clm':>4s} | {'c.rec':>5s} {'c.prec':>6s} | "
            f"{'ns.P':>5s} {'ns.R':>5s} {'ns.F1':>5s} | {'links':>5s} ({'ok/n':>7s})")
    lines = [head, "-" * len(head)]
    for s in scores + [total]:
        c, m = s.counts, s.metrics
        if s is total:
            lines.append("-" * len(head))
        lines.append(f"{s.document[:40]:40s} {c['gold_sentences']:4d} {c['gold_check_worthy']:4d} "
                     f"{c['gold_needs_source']:4d} {c['claims_in_scope']:4d} | {f(m['claim_recall'])} "
                     f"{f(m['claim_precision']):>6s} | {f(m['ns_precision'])} {f(m['ns_recall'])} "
                     f"{f(m['ns_f1'])} | {f(m['link_accuracy'])} ({c['links_exact']:3d}/{c['gold_with_markers']:<3d})")
    return "\n".join(lines)


def claims_report(db_path: str | Path, gold_paths, as_json: bool = False) -> str:
    """What ``citetrace eval --claims`` prints: the table (or JSON), then any warnings."""
    scores, total, warnings = score_claims(db_path, gold_paths)
    if as_json:
        return json.dumps({s.document: {"counts": s.counts, "metrics": s.metrics, "errors": s.errors}
                           for s in scores + [total]}, indent=1, ensure_ascii=False)
    return "\n".join([table(scores, total)] + [f"warning: {w}" for w in warnings])
