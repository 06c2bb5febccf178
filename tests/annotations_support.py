"""Helpers for the annotation tests: the sample report ingested once per session (cached in
pytest's session temp dir, so every test_annotations* module shares one ingest), copies of
that database, and a Document with its passages split and merged differently."""

from __future__ import annotations

import copy
import pickle
import re
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

BASE_NAME = "annotations-sample"


def ingested(tmp_path_factory, sample) -> tuple[Path, Path]:
    """(database with the sample ingested by the pipeline, pickled Document of it)."""
    base = tmp_path_factory.getbasetemp() / BASE_NAME
    db_path, doc_path = base / "sample.db", base / "document.pickle"
    if doc_path.exists():
        return db_path, doc_path
    from citetrace.db.load import ingest
    from citetrace.ingest import pipeline

    base.mkdir(exist_ok=True)
    pdf, _ = sample
    summary = ingest([str(pdf)], str(db_path))
    assert summary.count("ingested") == 1, summary.outcomes
    # The same extraction as a Document, to re-write it changed.
    from citetrace.ingest.nlp import load_pipeline

    doc = pipeline.process(Path(pdf), load_pipeline(), pipeline.Options())
    doc_path.write_bytes(pickle.dumps(doc))
    return db_path, doc_path


def copy_db(src: Path, dest_dir: Path, name: str = "review.db") -> Path:
    dest = dest_dir / name
    shutil.copy(src, dest)
    return dest



# Shared fixtures (import them by name): the sample ingested once per module, and a fresh
# copy of that database for each test.
@pytest.fixture(scope="module")
def base(tmp_path_factory, sample):
    return ingested(tmp_path_factory, sample)


@pytest.fixture
def db_path(base, tmp_path):
    return copy_db(base[0], tmp_path)


def load_doc(doc_path: Path):
    return pickle.loads(doc_path.read_bytes())


def resplit(doc, cuts_at=". "):
    """A copy of ``doc`` whose passages are split and merged differently, as a newer extractor
    might: long paragraphs are cut at the sentence break nearest their middle; runs of two
    short paragraphs are merged. Markers, claims and entities are moved with their text (the
    few straddling a new break are dropped, as a new extractor would not produce them)."""
    new = copy.deepcopy(doc)
    old = doc.passages
    passages, moves = [], {}  # old index -> [(new index, old start, old end, shift)]
    i = 0
    while i < len(old):
        p = old[i]
        nxt = old[i + 1] if i + 1 < len(old) else None
        if p.kind == "paragraph" and len(p.text) > 300:
            cut = p.text.find(cuts_at, len(p.text) // 2)
            if cut > 0:
                cut += 1  # keep the full stop in the first part
                moves[i] = [(len(passages), 0, cut, 0),
                            (len(passages) + 1, cut + 1, len(p.text), -(cut + 1))]
                passages += [replace(p, text=p.text[:cut]), replace(p, text=p.text[cut + 1:])]
                i += 1
                continue
        if (p.kind == "paragraph" and nxt is not None and nxt.kind == "paragraph"
                and len(p.text) + len(nxt.text) < 600):
            moves[i] = [(len(passages), 0, len(p.text), 0)]
            moves[i + 1] = [(len(passages), 0, len(nxt.text), len(p.text) + 1)]
            passages.append(replace(p, text=p.text + " " + nxt.text))
            i += 2
            continue
        moves[i] = [(len(passages), 0, len(p.text), 0)]
        passages.append(p)
        i += 1
    new.passages = [replace(p, seq=n) for n, p in enumerate(passages)]

    def move(index, start, end):
        for new_index, lo, hi, shift in moves[index]:
            if lo <= start and end <= hi:
                return new_index, start + shift, end + shift
        return None

    new.markers = []
    for m in doc.markers:
        moved = move(m.passage, m.start, m.end)
        if moved:
            new.markers.append(replace(m, passage=moved[0], start=moved[1], end=moved[2]))
    new.claims = []
    for c in doc.claims:
        moved = move(c.passage, c.start, c.end) if c.end_passage is None else None
        if moved:
            new.claims.append(replace(c, passage=moved[0], start=moved[1], end=moved[2]))
    new.sentences = list(new.claims)  # the other body sentences are not what these tests move
    new.entities = []
    for e in doc.entities:
        if e.passage is None:
            new.entities.append(e)
            continue
        moved = move(e.passage, e.start, e.end)
        if moved:
            new.entities.append(replace(e, passage=moved[0], start=moved[1], end=moved[2]))
    return new


def concurrent_writer(args) -> int:
    """One reviewer process / thread: ``count`` annotations, each then taken into review."""
    db_path, worker, count, passage_ids = args
    from citetrace.annotations import api
    from citetrace.db.store import open_db

    conn = open_db(str(db_path))
    try:
        for n in range(count):
            pid = passage_ids[(worker * count + n) % len(passage_ids)]
            target = api.resolve_target(conn, passage_id=pid, start=0, end=10)
            a = api.add(conn, target, body=f"worker {worker} note {n}", author=f"w{worker}",
                        tags=["verified"] if n % 2 else [])
            api.set_state(conn, a.id, "in_review", f"w{worker}")
    finally:
        conn.close()
    return count


def drop_passages(doc, gone):
    """A copy of ``doc`` without the passages ``gone(passage)`` is true for (text lost)."""
    new = copy.deepcopy(doc)
    keep = [i for i, p in enumerate(doc.passages) if not gone(p)]
    index = {old: n for n, old in enumerate(keep)}
    new.passages = [replace(doc.passages[i], seq=n) for n, i in enumerate(keep)]
    new.markers = [replace(m, passage=index[m.passage]) for m in doc.markers if m.passage in index]
    new.claims = [replace(c, passage=index[c.passage]) for c in doc.claims
                  if c.passage in index and c.end_passage is None]
    new.sentences = list(new.claims)
    new.entities = [replace(e, passage=index.get(e.passage)) for e in doc.entities
                    if e.passage is None or e.passage in index]
    return new


def _one_value(db_path, sql: str):
    """The first value ``sql`` answers, on a connection of its own (no schema work, no wait)."""
    conn = sqlite3.connect(str(db_path))
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def annotation_count(db_path) -> int:
    return _one_value(db_path, "select count(*) from annotations")


def long_passage(db_path) -> int:
    """The first passage with text enough for a 40-character span."""
    return _one_value(db_path, "select id from passages where length(text) > 80 order by seq")


async def post_as_root(ds, url: str, form: dict, accept: str = "text/html", reader: str = ""):
    """POST ``form`` to ``url`` as root with the CSRF token a browser would have, taken from
    the page ``reader`` (a citetrace page that carries the annotate form)."""
    cookies = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}
    page = await ds.client.get(reader, cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return await ds.client.post(
        url, data={**form, "csrftoken": token}, headers={"accept": accept},
        cookies={**cookies, "ds_csrftoken": page.cookies.get("ds_csrftoken")})
