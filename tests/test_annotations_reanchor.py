"""Annotations are never lost: re-ingesting a document re-attaches every annotation.

The sample report is ingested by the pipeline; 20 spans are annotated; the document is then
re-written with its passages split and merged differently (what a newer extractor does) and
every annotation must still point at the same text, with the new passage / note ids.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from annotations_support import copy_db, drop_passages, ingested, load_doc, resplit

from citetrace.annotations import api
from citetrace.annotations.anchor import anchored_text, norm
from citetrace.db.store import open_db, write_document


@pytest.fixture(scope="module")
def base(tmp_path_factory, sample):
    return ingested(tmp_path_factory, sample)


@pytest.fixture
def db(base, tmp_path):
    db_path = copy_db(base[0], tmp_path)
    database = open_db(str(db_path))
    yield database
    database.conn.close()


def _paragraphs(conn) -> list[tuple[int, str]]:
    return conn.execute(
        "select id, text from passages where kind = 'paragraph' and length(text) > 300 "
        "order by seq").fetchall()


def annotate_twenty(conn) -> list[api.Annotation]:
    """20 spans of different shapes: mid-passage quotes, spans over the sentence break the
    re-split will cut at, whole claims, notes (some repeated, like "Ibid."), a span over two
    passages, and quotes found by text."""
    out = []
    paras = _paragraphs(conn)
    for pid, text in paras[:6]:  # mid-passage quotes
        out.append(api.add(conn, api.resolve_target(conn, passage_id=pid, start=20, end=75),
                           body="check", author="ana"))
    cuttable = [(pid, text) for pid, text in paras[6:] if text.find(". ", len(text) // 2) > 0]
    for pid, text in cuttable[:4]:  # straddling the break resplit() makes
        cut = text.find(". ", len(text) // 2)
        out.append(api.add(conn, api.resolve_target(conn, passage_id=pid, start=cut - 25, end=cut + 30),
                           tags=["disputed"], author="ben"))
    for (cid,) in conn.execute("select id from claims order by score desc, id limit 4"):
        out.append(api.add(conn, api.resolve_target(conn, claim_id=cid), tags=["verified"],
                           author="ana"))
    ibids = conn.execute("select id from footnotes where text like 'Ibid%' order by seq").fetchall()
    others = conn.execute("select id, text from footnotes where text not like 'Ibid%' "
                          "and length(text) > 60 order by seq").fetchall()
    for (fid,) in ibids[:2]:  # "Ibid." is in both: only the context tells them apart
        out.append(api.add(conn, api.resolve_target(conn, footnote_id=fid, start=0, end=5),
                           tags=["source-unavailable"], author="cy"))
    for fid, text in others[2:4]:
        out.append(api.add(conn, api.resolve_target(conn, footnote_id=fid, start=5, end=50),
                           body="dead link?", motivation="questioning", author="cy"))
    # Over a passage break: the end of one paragraph and the start of the next.
    (p1, t1), (p2, t2) = conn.execute(
        "select id, text from passages where kind = 'paragraph' order by seq limit 2 offset 3"
    ).fetchall()
    out.append(api.add(conn, api.resolve_target(conn, passage_id=p1, start=len(t1) - 30,
                                                end_passage_id=p2, end=25),
                       body="two paragraphs", author="ana"))
    # By quoting text (the CLI's --quote): somewhere in the document.
    quote = paras[10][1][100:160]
    out.append(api.add(conn, api.resolve_target(conn, document=1, quote=quote), body="quoted",
                       author="ben"))
    assert len(out) == 20
    return out


def pointed(conn, a: api.Annotation) -> str | None:
    """The text an annotation points at now."""
    return anchored_text(conn, {**vars(a.target), "anchor": a.anchor})


def _current(conn) -> list[api.Annotation]:
    return api.list_annotations(conn, api.Filters(include_deleted=True))


def _note_label(conn, fid):
    return conn.execute("select label from footnotes where id = ?", [fid]).fetchone()[0]


def test_twenty_annotations_survive_a_resplit_reingest(db, base):
    conn = db.conn
    anns = annotate_twenty(conn)
    before = {a.uuid: a for a in anns}
    texts = {a.uuid: pointed(conn, a) for a in anns}
    labels = {a.uuid: _note_label(conn, a.target.footnote_id) for a in anns if a.target.kind == "note"}
    for a in anns:
        assert norm(texts[a.uuid]) == norm(a.target.exact)
    old_passages = {r[0] for r in conn.execute("select id from passages")}
    doc = load_doc(base[1])
    changed = resplit(doc)
    assert len(changed.passages) != len(doc.passages)

    write_document(db, changed, "test-resplit")

    after = {a.uuid: a for a in _current(conn)}
    assert set(after) == set(before)
    new_passages = {r[0]: r[1] for r in conn.execute("select id, document_id from passages")}
    for uuid, a in after.items():
        t = a.target
        assert a.anchor == "exact", (a.anchor, t.exact)
        assert t.exact == before[uuid].target.exact  # the quote itself is never rewritten
        assert norm(pointed(conn, a)) == norm(t.exact)
        if t.kind == "passage":
            assert new_passages[t.passage_id] == t.document_id
            assert t.passage_id not in old_passages or t.passage_id in new_passages
        else:
            assert _note_label(conn, t.footnote_id) == labels[uuid]  # the same "Ibid."
    # The quotes over a new break now span two passages; merged ones start mid-passage.
    assert any(a.target.end_passage_id != a.target.passage_id for a in after.values()
               if a.target.kind == "passage")
    # Every move is in the append-only history. (Re-inserted rows may get their old ids back:
    # SQLite reuses the highest rowids, which is why a stale id must never be trusted.)
    keys = ("passage_id", "end_passage_id", "footnote_id", "start", "end", "claim_id", "source_id")
    changed = {a.id for u, a in after.items()
               if any(getattr(a.target, k) != getattr(before[u].target, k) for k in keys)}
    moved = {r[0] for r in conn.execute(
        "select annotation_id from annotation_history where action = 'reanchor'")}
    assert moved == changed and len(changed) >= 10


def test_reingest_with_force_keeps_annotations(base, sample, tmp_path):
    from citetrace.db.load import ingest

    path = copy_db(base[0], tmp_path, "force.db")
    conn = open_db(str(path))
    before = {a.uuid: a.target.exact for a in annotate_twenty(conn)}
    conn.close()
    summary = ingest([str(sample[0])], str(path), force=True)  # citetrace ingest --force
    assert summary.count("ingested") == 1
    conn = open_db(str(path))
    found = _current(conn)
    assert {a.uuid: a.target.exact for a in found} == before
    assert all(a.anchor == "exact" and norm(pointed(conn, a)) == norm(a.target.exact) for a in found)
    conn.close()


def test_changed_text_is_matched_fuzzily_and_lost_text_is_orphaned(db, base):
    conn = db.conn
    paras = _paragraphs(conn)
    (pid_typo, _), (pid_gone, _) = paras[0], paras[1]
    typo = api.add(conn, api.resolve_target(conn, passage_id=pid_typo, start=10, end=90),
                   body="fuzzy", author="ana")
    gone = api.add(conn, api.resolve_target(conn, passage_id=pid_gone, start=10, end=90),
                   body="orphan", author="ana")
    api.set_state(conn, gone.id, "in_review", "ben")
    doc = load_doc(base[1])
    # A newer extractor reads a few characters differently in one passage, loses another.
    changed = resplit(doc)
    for i, p in enumerate(changed.passages):
        if typo.target.exact[20:40] in p.text:
            swapped = p.text.replace(typo.target.exact[30:34], typo.target.exact[30:34][::-1], 1)
            changed.passages[i] = replace(p, text=swapped)
    passages = len(changed.passages)
    changed = drop_passages(changed, lambda p: gone.target.exact[:40] in p.text)
    assert len(changed.passages) < passages

    write_document(db, changed, "test-changed")

    t = api.get(conn, typo.id)
    assert t.anchor == "fuzzy" and t.anchor_score >= 85
    assert t.target.passage_id is not None
    found = pointed(conn, t)
    want = norm(typo.target.exact)
    assert norm(found)[:20] == want[:20] and norm(found)[-20:] == want[-20:], (found, want)

    g = api.get(conn, gone.id)
    assert g.anchor == "orphaned" and g.state == "in_review"
    assert g.target.passage_id is None and g.target.start is None  # old ids are stale
    assert g.target.exact == gone.target.exact  # the quote is kept
    assert [a.id for a in api.list_annotations(conn, api.Filters(anchor="orphaned"))] == [gone.id]
    assert api.history(conn, gone.id)[-1].action == "orphan"

    # The text comes back (the original extraction again): re-attached, not lost.
    write_document(db, load_doc(base[1]), "test-original")
    g = api.get(conn, gone.id)
    assert g.anchor == "exact" and norm(pointed(conn, g)) == norm(g.target.exact)
