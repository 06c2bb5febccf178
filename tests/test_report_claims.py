"""Issue 4 done-when on the source report: both replicas through the real pipeline.

Both replicas (../shared/report/report_replica_{1col,2col}.pdf) are ingested into one
database; claims, note links, Ibid., URLs, dates, titles, entities and cross-document source
dedup are checked against the gold files.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT_DIR = ROOT.parent / "shared" / "report"
REPLICAS = ("report_replica_1col", "report_replica_2col")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not all((REPORT_DIR / f"{r}.pdf").exists() for r in REPLICAS),
        reason=f"{REPORT_DIR} (the report replicas and their gold files) is absent",
    ),
]

# The title of each note's first citation (note 6 is "Ibid.": note 5's title).
# "…" at the end: the printed title goes on; the rest must match exactly.
TITLES = {
    "1": "Address by the President of the Republic of Kazakhstan, Leader of the Nation, N.Nazarbayev …",
    "2": "The President of Kazakhstan Nursultan Nazarbayev's Address to the Nation of Kazakhstan…",
    "3": "Development of agricultural sector for 2021 and plans for coming period …",
    "4": "State of the Nation Address by President of the Republic of Kazakhstan Kassym-Jomart Tokayev",
    "5": "President of Kazakhstan Kassym-Jomart Tokayev's State of the Nation Address, September 2, 2019",
    "6": "President of Kazakhstan Kassym-Jomart Tokayev's State of the Nation Address, September 2, 2019",
    "7": "Learning from Kazakhstan's January Crisis",
    "8": "State-of-the-Nation Address by President of the Republic of Kazakhstan Kassym-Jomart Tokayev, "
         "New Kazakhstan: the Path of Renewal and Modernisation",
    "9": "Political and Economic Reforms in Kazakhstan Under President Tokayev",
    "10": "Between Bandits and Bureaucrats: 30 Years of Parliamentary Development in Kyrgyzstan",
    "11": "Russia's Southern Neighbors Take a Stand",
    "12": "Finding Balance: The Foreign Policies of Central Asian States",
    "13": "Kazakhstan Summons U.K. Ambassador Over Lawmaker's Call for Sanctions",
    "14": "The New Eastern Europe: Challenges and Opportunities for the EU",
    "15": "Security Services: Moscow's Fifth Column Across Eurasia",
    "16": "Uzbekistan's New Face",
    "17": "Media Matrix: Kazakhstan",
}
# ISO date of every citation, per note, in order: every note prints one (Ibid. inherits).
DATES = {
    "1": ["2012-12-14"], "2": ["2017-01-31"], "3": ["2022-02-17"], "4": ["2021-09-01"],
    "5": ["2019-09-02"], "6": ["2019-09-02"], "7": ["2022-04-18"], "8": ["2022-03-16"],
    "9": ["2021-11"], "10": ["2022-01"], "11": ["2022-05-06"], "12": ["2007"],
    "13": ["2022-03-02"], "14": ["2009"], "15": ["2020-01-17"], "16": ["2018", "2019-10-17"],
    "17": ["2019"],
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Both replicas ingested, with the real pipeline, into one database."""
    from citetrace.db.load import ingest

    path = tmp_path_factory.mktemp("report") / "report.db"
    summary = ingest([str(REPORT_DIR / f"{r}.pdf") for r in REPLICAS], str(path))
    assert [o.status for o in summary.outcomes] == ["ingested", "ingested"], summary.outcomes
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def gold():
    return {r: json.loads((REPORT_DIR / f"{r}.gold.json").read_text(encoding="utf-8")) for r in REPLICAS}


def _doc_id(db, replica: str) -> int:
    return db.execute("select id from documents where filename = ?", [f"{replica}.pdf"]).fetchone()[0]


def _notes(db, replica: str) -> dict[str, sqlite3.Row]:
    rows = db.execute("select * from footnotes where document_id = ?", [_doc_id(db, replica)])
    return {r["label"]: r for r in rows}


def _citations(db, note_id: int) -> list[sqlite3.Row]:
    return db.execute("select c.*, s.key as source_key from citations c "
                      "left join sources s on s.id = c.source_id "
                      "where c.footnote_id = ? order by c.seq", [note_id]).fetchall()


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def _title_ok(title: str | None, expected: str) -> bool:
    if expected.endswith("…"):
        return _norm(title).startswith(_norm(expected[:-1]))
    return _norm(title) == _norm(expected)


@pytest.mark.parametrize("replica", REPLICAS)
def test_every_marker_sentence_is_a_claim_linked_to_its_note(db, gold, replica):
    notes = _notes(db, replica)
    linked, wrong = 0, []
    for m in gold[replica]["markers"]:
        note_id = notes[m["label"]]["id"]
        claims = db.execute("select c.* from claims c join claim_footnotes cf on cf.claim_id = c.id "
                            "where cf.footnote_id = ?", [note_id]).fetchall()
        ok = len(claims) == 1 and claims[0]["text"] == m["sentence"] and [
            r[0] for r in db.execute("select footnote_id from claim_footnotes where claim_id = ?",
                                     [claims[0]["id"]])] == [note_id]
        linked += ok
        if not ok:
            wrong.append((m["label"], [c["text"] for c in claims]))
        else:
            assert claims[0]["support"] in {"marker", "both"} and not claims[0]["needs_source"]
    assert (linked, wrong) == (17, [])


@pytest.mark.parametrize("replica", REPLICAS)
def test_ibid_resolves_to_note_5_and_its_source(db, replica):
    notes = _notes(db, replica)
    [ibid] = _citations(db, notes["6"]["id"])
    [full] = _citations(db, notes["5"]["id"])
    assert ibid["short_form"] == "ibid"
    assert ibid["refers_to_footnote_id"] == notes["5"]["id"]
    assert ibid["source_id"] == full["source_id"] is not None


@pytest.mark.parametrize("replica", REPLICAS)
def test_urls_exact_against_gold(db, gold, replica):
    notes = _notes(db, replica)
    exact, wrong = 0, []
    for f in gold[replica]["footnotes"]:
        cites = _citations(db, notes[f["label"]]["id"])
        urls = [c["url"] for c in cites if c["url"] and not c["short_form"]]
        exact += urls == f["urls"]
        if urls != f["urls"]:
            wrong.append((f["label"], urls, f["urls"]))
    assert (exact, wrong) == (17, [])


@pytest.mark.parametrize("replica", REPLICAS)
def test_dates_parsed_for_every_note(db, replica):
    notes = _notes(db, replica)
    found = {label: [c["date"] for c in _citations(db, n["id"])] for label, n in notes.items()}
    assert found == DATES


@pytest.mark.parametrize("replica", REPLICAS)
def test_titles(db, replica):
    notes = _notes(db, replica)
    wrong = []
    for label, expected in TITLES.items():
        title = _citations(db, notes[label]["id"])[0]["title"]
        if not _title_ok(title, expected):
            wrong.append((label, title))
    assert len(TITLES) - len(wrong) >= 15, wrong


def test_tokayev_and_nazarbayev_are_one_entity_each(db):
    for surname, canonical in (("Tokayev", "Kassym-Jomart Tokayev"),
                               ("Nazarbayev", "Nursultan Nazarbayev")):
        names = db.execute(
            "select distinct n.name, n.label from entities e "
            "join entity_names n on n.id = e.entity_name_id where e.text like ?",
            [f"%{surname}"]).fetchall()
        assert [tuple(r) for r in names] == [(canonical, "PERSON")]
        mentions = db.execute(
            "select count(*), count(distinct e.document_id), count(distinct e.text) from entities e "
            "join entity_names n on n.id = e.entity_name_id where n.name = ?", [canonical]).fetchone()
        assert mentions[0] > 10 and mentions[1] == 2 and mentions[2] >= 2  # "Tokayev", "N.Nazarbayev"…
        assert db.execute("select count(*) from entity_names where name like ?",
                          [f"%{surname}%"]).fetchone()[0] == 1


def test_sources_shared_by_both_replicas_are_one_row(db, gold):
    one, two = (_notes(db, r) for r in REPLICAS)
    for f in gold[REPLICAS[0]]["footnotes"]:
        a = _citations(db, one[f["label"]]["id"])
        b = _citations(db, two[f["label"]]["id"])
        assert [c["source_key"] for c in a] == [c["source_key"] for c in b], f["label"]
        assert [c["source_id"] for c in a] == [c["source_id"] for c in b], f["label"]
        for c in a:
            assert db.execute("select count(*) from sources where key = ?",
                              [c["source_key"]]).fetchone()[0] == 1
    # Cornell's "Learning from Kazakhstan's January Crisis" (note 7): one source, two documents.
    rows = db.execute("select distinct document_id, note_label from source_citations "
                      "where source_url = ?", [gold[REPLICAS[0]]["footnotes"][6]["urls"][0]]).fetchall()
    assert sorted(tuple(r) for r in rows) == [(_doc_id(db, REPLICAS[0]), "7"), (_doc_id(db, REPLICAS[1]), "7")]
    shared = db.execute("select count(*) from (select source_id from source_citations "
                        "group by source_id having count(distinct document_id) = 2)").fetchone()[0]
    # every source of the report is cited by both replicas: as many as the gold's distinct URLs
    urls = {u for n in gold[REPLICAS[0]]["footnotes"] for u in n["urls"]}
    assert shared == db.execute("select count(*) from sources").fetchone()[0] >= len(urls)


def test_claim_trace_view_returns_the_chain(db, gold):
    doc = _doc_id(db, REPLICAS[0])
    sentence = next(m["sentence"] for m in gold[REPLICAS[0]]["markers"] if m["label"] == "6")
    rows = db.execute("select * from claim_trace where document_id = ? and claim = ?",
                      [doc, sentence]).fetchall()
    assert len(rows) == 1
    row = rows[0]
    assert (row["note_label"], row["note_text"], row["needs_source"]) == ("6", "Ibid.", 0)
    assert _title_ok(row["citation_title"], TITLES["5"])
    assert row["citation_date"] == "2019-09-02"
    assert row["citation_url"] == gold[REPLICAS[0]]["footnotes"][4]["urls"][0]
    note5 = _citations(db, _notes(db, REPLICAS[0])["5"]["id"])[0]
    assert (row["source_id"], row["source_key"]) == (note5["source_id"], note5["source_key"])
    assert row["document_title"] == "Kazakhstan’s June Referendum: Accelerating Reform"
