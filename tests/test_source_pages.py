"""Readable sources (issue 17, item 7), the health page's fixes (item 8), and the sources as
CSL-JSON, BibTeX and RIS (the "Interoperability" bullet): on the real Datasette app and the
real command line, with the sample report ingested by the pipeline."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3

import pytest
from annotations_support import copy_db, ingested
from click.testing import CliRunner
from datasette.app import Datasette

from citetrace.annotations import api
from citetrace.db import bibliography
from citetrace.db.source_titles import SourceInfo, best_title, case_name, title_from_url
from citetrace.db.store import open_db
from citetrace.plugins.cli import cli

HOSTILE = 'Evil} @misc{pwn, title={x}\r\nER  - \nTY  - JOUR\n\\end{document} 100% & $5 #1 _a ^b ~c'


@pytest.fixture(scope="module")
def site(tmp_path_factory, sample):
    path = copy_db(ingested(tmp_path_factory, sample)[0], tmp_path_factory.mktemp("sources"),
                   "sample.db")
    conn = open_db(str(path)).conn
    ids = dict(conn.execute("select title, id from sources where title is not null"))
    untitled = conn.execute("select id, url from sources where title is null and url like "
                            "'%brennock-institute.org/research/water-tariff-household%'").fetchone()
    full = ids["Baseline Study of the Municipal Water Utilities, 2016–2020"]
    short = conn.execute("select id from sources where key = 'title:baseline study|lwra'"
                         ).fetchone()[0]
    claim = conn.execute(
        "select cf.claim_id from claim_footnotes cf join citations c on c.footnote_id = "
        "cf.footnote_id where c.source_id = ?", [full]).fetchone()[0]
    api.add(conn, api.resolve_target(conn, claim_id=claim), tags=["verified"], author="ana")
    api.add(conn, api.resolve_target(conn, claim_id=claim), tags=["disputed"], author="ben")
    rejected = api.add(conn, api.resolve_target(conn, claim_id=claim), tags=["misquoted"],
                       author="cy")
    api.set_state(conn, rejected.id, "in_review", "cy")
    api.set_state(conn, rejected.id, "rejected", "cy")
    hostile = ids["Water Services Pricing Act"]
    conn.execute("update sources set title = ? where id = ?", [HOSTILE, hostile])
    # health: a soft 404 answering at its own address, a moved one, an unchecked one
    urls = [r[0] for r in conn.execute(
        "select url from sources where url like 'http%' order by id limit 3")]
    conn.execute("insert into link_checks (url, checked_at, verdict, status, final_url, title) "
                 "values (?, '2026-01-02T10:05:00+00:00', 'soft-404', 200, ?, 'Page not found')",
                 [urls[0], urls[0] + "/"])
    conn.execute("insert into link_checks (url, checked_at, verdict, status, final_url, title) "
                 "values (?, '2026-01-03T08:00:00+00:00', 'moved', 301, "
                 "'https://elsewhere.example/new', 'New home')", [urls[1]])
    conn.commit()
    conn.close()
    return {"path": path, "full": full, "short": short, "claim": claim, "hostile": hostile,
            "untitled": untitled, "urls": urls}


def get(path, url):
    async def go():
        ds = Datasette([str(path)])
        await ds.invoke_startup()
        return await ds.client.get(url)

    return asyncio.run(go())


# --- titles ------------------------------------------------------------------------------

def test_best_title_spells_out_cases_and_urls():
    case = SourceInfo(1, "case:505 u.s. 1003", None, None, "legal_case", None, citations=[
        {"text": "See Lucas v. South Carolina Coastal Council, 505 U.S. 1003, 1015 (1992).",
         "title": None}])
    assert best_title(case) == "Lucas v. South Carolina Coastal Council, 505 U.S. 1003"
    assert case_name("Id. at 1019.") is None
    url = "https://www.brennock-institute.org/research/water-tariff-household-survey-2024/summary-tables"
    web = SourceInfo(2, "url:brennock-institute.org/x", url, None, "web", None)
    assert best_title(web) == ("Water Tariff Household Survey 2024: Summary Tables "
                               "(brennock-institute.org)")
    web.page_title = "Summary tables | Brennock Institute"
    assert best_title(web) == "Summary tables | Brennock Institute"  # the page's own title
    assert title_from_url("https://example.org/") == "example.org"
    assert best_title(SourceInfo(3, None, None, None, None, None)) == "Source 3"


def test_sources_list_readable_titles_and_short_forms(site):
    r = get(site["path"], "/sample/-/citetrace/sources")
    assert r.status_code == 200
    html = r.text
    assert "url:brennock" not in html and "case:" not in html
    sid, _ = site["untitled"]
    assert re.search(rf'data-source="{sid}">\s*<a class="ct-source-title" href="[^"]+">'
                     r"Water Tariff Household Survey 2024: Summary Tables", html)
    # the short form sits under its full citation, not as an entry of its own
    full = re.search(rf'<li class="ct-source-item" data-source="{site["full"]}">(.*?)</li>\s*'
                     r'(?=<li class="ct-source-item"|</ol>)', html, re.S).group(1)
    assert f'class="ct-short-form" data-source="{site["short"]}"' in full
    assert f'class="ct-source-item" data-source="{site["short"]}"' not in html
    assert 'class="ct-tag ct-tag-verified">1 verified' in full
    assert "misquoted" not in full  # a rejected verdict does not count
    assert '/sample/-/citetrace/sources.bib"' in html


def test_source_page_pairs_each_claim_with_its_note(site):
    html = get(site["path"], f"/sample/-/citetrace/sources/{site['full']}").text
    pairs = re.findall(r'<tr class="ct-pair" data-note="(\d+)" data-claim="(\d+)">', html)
    conn = sqlite3.connect(site["path"])
    expected = conn.execute(
        "select distinct cf.footnote_id, cf.claim_id from citations c join claim_footnotes cf "
        "on cf.footnote_id = c.footnote_id where c.source_id = ?", [site["full"]]).fetchall()
    assert sorted((int(n), int(c)) for n, c in pairs) == sorted(expected)
    assert "Also cited in short form as" in html and f"/sources/{site['short']}" in html
    tally = re.search(r'<p class="ct-tally-line">(.*?)</p>', html, re.S).group(1)
    assert "1 verified" in tally and "1 disputed" in tally and "misquoted" not in tally
    short = get(site["path"], f"/sample/-/citetrace/sources/{site['short']}").text
    assert "A short form of" in short and f"/sources/{site['full']}" in short
    sid, _ = site["untitled"]
    untitled = get(site["path"], f"/sample/-/citetrace/sources/{sid}").text
    assert "<h1>Water Tariff Household Survey 2024: Summary Tables" in untitled
    conn.close()


# --- health ------------------------------------------------------------------------------

def test_health_page_fixes(site):
    html = get(site["path"], "/sample/-/citetrace/health").text
    rows = re.findall(r'<tr class="ct-health-row".*?</tr>', html, re.S)
    by_verdict = {}
    for row in rows:
        by_verdict.setdefault(re.search(r'data-verdict="([^"]+)"', row).group(1), []).append(row)
    soft, = by_verdict["soft-404"]
    assert "now at" not in soft  # it answered at its own address
    assert 'page title: “Page not found”' in soft
    assert '<time datetime="2026-01-02T10:05:00+00:00" title="2026-01-02T10:05:00+00:00">' \
           "2 Jan 2026, 10:05 UTC</time>" in soft
    moved, = by_verdict["moved"]
    assert "now at" in moved and "elsewhere.example/new" in moved
    for row in by_verdict["unchecked"]:
        answer = re.search(r'data-label="Answer">(.*?)</td>', row, re.S).group(1)
        assert "not checked yet" in answer and "page title" not in answer
        assert 'class="ct-health ct-health-unchecked"' in row
    # the Answer column never repeats the source's title
    for row in rows:
        title = re.search(r'<a href="[^"]*/sources/\d+">(.*?)</a>', row).group(1)
        answer = re.search(r'data-label="Answer">(.*?)</td>', row, re.S).group(1)
        assert title not in answer
    bad = get(site["path"], "/sample/-/citetrace/health?verdict=bogus")
    assert bad.status_code == 400
    assert "There is no verdict “bogus”" in bad.text and 'class="ct-health-row"' not in bad.text
    for verdict in ("dead", "soft-404", "moved", "unchecked"):
        assert f"?verdict={verdict}" in bad.text


# --- exports -----------------------------------------------------------------------------

def parse_bibtex(text: str) -> list[dict]:
    """Entries of a BibTeX file: braces counted (backslash-escaped ones skipped), so an
    unbalanced field would show as a wrong entry count or a field missing."""
    entries, i = [], 0
    while (at := text.find("@", i)) >= 0:
        m = re.match(r"@(\w+)\{([^,]+),", text[at:])
        assert m, text[at:at + 80]
        i, fields = at + m.end(), {}
        while True:
            f = re.match(r"\s*(\w+) = \{", text[i:])
            if not f:
                break
            start = j = i + f.end()
            depth = 1
            while depth:
                ch = text[j]
                if ch == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(ch, 0)
                j += 1
            fields[f.group(1)] = text[start:j - 1]
            i = j + 1 if text[j:j + 1] == "," else j
        assert re.match(r"\s*\}", text[i:]), text[i:i + 80]
        i = text.index("}", i) + 1
        entries.append({"type": m.group(1), "key": m.group(2), **fields})
    return entries


def unbib(value: str) -> str:
    value = value.replace(r"\textbackslash{}", "\\").replace(r"\textasciicircum{}", "^")
    value = value.replace(r"\textasciitilde{}", "~")
    return re.sub(r"\\([{}%&$#_])", r"\1", value)


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records, current = [], []
    for line in re.split(r"\r?\n", text):  # CRLF as written; a text stream may make it LF
        if not line:
            continue
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert m, line  # every line a tag line: nothing broke out of its field
        current.append(m.groups())
        if m.group(1) == "ER":
            records.append(current)
            current = []
    assert current == []
    return records


def _cli(site, *args) -> str:
    result = CliRunner().invoke(cli, ["sources", "export", "--db", str(site["path"]), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_exports_parse_and_match_the_citations(site):
    conn = sqlite3.connect(site["path"])
    cited = {r[0] for r in conn.execute(
        "select distinct c.source_id from citations c join footnotes f on f.id = c.footnote_id "
        "where f.document_id = 1 and c.source_id is not null")}
    web = get(site["path"], "/sample/-/citetrace/sources.bib?document=1")
    assert web.headers["content-type"].startswith("application/x-bibtex")
    assert web.text == _cli(site, "--document", "1")  # one code path
    entries = {e["key"]: e for e in parse_bibtex(web.text)}
    assert set(entries) == {f"citetrace{i}" for i in cited}
    full = entries[f"citetrace{site['full']}"]
    assert full["type"] == "techreport"
    assert unbib(full["title"]) == "Baseline Study of the Municipal Water Utilities, 2016–2020"
    assert full["author"] == "{Lorvane Water Regulatory Authority}"
    assert full["year"] == "2022" and full["month"] == "3"
    url, = conn.execute("select url from sources where id = ?", [site["full"]]).fetchone()
    assert full["url"] == url

    web_ris = get(site["path"], "/sample/-/citetrace/sources.ris?document=1").text
    assert web_ris.count("\r\nER  - \r\n") == len(cited)  # RIS wants CRLF
    ris = parse_ris(_cli(site, "--document", "1", "--format", "ris"))
    assert len(ris) == len(cited)
    by_id = {dict(r)["ID"]: r for r in ris}
    record = by_id[f"citetrace{site['full']}"]
    assert record[0] == ("TY", "RPRT") and ("DA", "2022/03/03") in record
    assert ("T2", "Technical Report TR-2022-01") in record and ("UR", url) in record

    csl = json.loads(get(site["path"], "/sample/-/citetrace/sources.csl.json?document=1").text)
    assert {item["id"] for item in csl} == {f"citetrace{i}" for i in cited}
    item = next(i for i in csl if i["id"] == f"citetrace{site['full']}")
    assert item["type"] == "report" and item["issued"] == {"date-parts": [[2022, 3, 3]]}
    assert item["URL"] == url and item["container-title"] == "Technical Report TR-2022-01"
    valid = set(bibliography.CSL_TYPES.values())
    assert all(i["type"] in valid and i["title"] for i in csl)
    one = parse_bibtex(get(site["path"], f"/sample/-/citetrace/sources.bib?source={site['short']}").text)
    assert [e["key"] for e in one] == [f"citetrace{site['short']}"]
    conn.close()


def test_hostile_titles_stay_in_their_field(site):
    key = f"citetrace{site['hostile']}"
    entries = parse_bibtex(_cli(site))
    entry = next(e for e in entries if e["key"] == key)
    assert unbib(entry["title"]) == " ".join(HOSTILE.split())
    assert not any(e["key"] == "pwn" for e in entries)
    records = parse_ris(_cli(site, "--format", "ris"))
    record = next(r for r in records if ("ID", key) in r)
    assert ("TI", " ".join(HOSTILE.split())) in record
    assert sum(1 for r in records for tag, _ in r if tag == "TY") == len(records)
    csl = json.loads(_cli(site, "--format", "csl-json"))
    assert next(i for i in csl if i["id"] == key)["title"] == " ".join(HOSTILE.split())


def test_export_refusals(site):
    result = CliRunner().invoke(cli, ["sources", "export", "--db", str(site["path"]),
                                      "--document", "99"])
    assert result.exit_code == 1 and "no document 99" in result.output
    assert get(site["path"], "/sample/-/citetrace/sources.ris?document=99").status_code == 404
    assert get(site["path"], "/sample/-/citetrace/sources.ris?source=abc").status_code == 404
