"""entity_names.mentions is kept by increments at each write (a recount would read every
mention of a common name at each document): it must always equal a full recount, through new
documents, re-ingests that change a document's entities, and names a document stops using."""

from __future__ import annotations

from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, Entity, PageInfo, Passage

BOX = (50.0, 100.0, 500.0, 140.0)


def _doc(sha: str, names: list[tuple[str, str]]) -> Document:
    text = " ".join(n for n, _ in names) or "Nothing named."
    entities, at = [], 0
    for name, label in names:
        entities.append(Entity(passage=0, note=None, start=at, end=at + len(name), text=name,
                               label=label, canonical=name))
        at += len(name) + 1
    return Document(path=f"/x/{sha}.pdf", sha256=sha * 64, filename=f"{sha}.pdf", title=sha,
                    page_count=1, pages=[PageInfo(1, 612, 792)],
                    passages=[Passage(0, 1, "paragraph", text, BOX)], entities=entities)


def _counts(conn) -> tuple[dict, dict]:
    stored = dict(conn.execute("select name, mentions from entity_names"))
    recount = {name: 0 for name in stored} | dict(conn.execute(
        "select n.name, count(*) from entities e join entity_names n on n.id = e.entity_name_id "
        "group by n.name"))
    return stored, recount


def test_mentions_follow_writes_and_rewrites(tmp_path):
    db = open_db(str(tmp_path / "c.db"))
    steps = [
        ("a", [("Ruritania", "GPE"), ("Ruritania", "GPE"), ("Brennock Institute", "ORG")]),
        ("b", [("Ruritania", "GPE"), ("Jane Roe", "PERSON")]),
        ("a", [("Brennock Institute", "ORG"), ("Jane Roe", "PERSON"), ("Jane Roe", "PERSON")]),
        ("b", []),  # a re-ingest that names nobody any more
    ]
    for sha, names in steps:
        write_document(db, _doc(sha, names), "test")
        stored, recount = _counts(db.conn)
        assert stored == recount, (sha, names)
    assert _counts(db.conn)[0] == {"Ruritania": 0, "Brennock Institute": 1, "Jane Roe": 2}
