"""Unbounded input on the web side (issue 19, item 6): ids past what SQLite holds, searches
made of long OR chains of prefixes, non-finite page boxes. Real SQLite file, the real
Datasette app and its test client."""

from __future__ import annotations

import asyncio
import json
import math
import re

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, Footnote, PageInfo, Passage, Region
from citetrace.plugins import search

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (72.0, 100.0, 300.0, 140.0)
HUGE = "9" * 5000  # int() of over 4,300 digits raises ValueError


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bounds")
    path = root / "reports.db"
    database = open_db(str(path))
    texts = ["Tariffs in Alder rose sharply.", "Tariffs in Birch fell.", "Unrelated text here."]
    doc_id = write_document(database, Document(
        path=str(root / "gone.pdf"), sha256="a" * 64, filename="a.pdf", title="Report",
        page_count=2,
        # a MediaBox of 400 digits is stored as Infinity (ingest's part: it should not be)
        pages=[PageInfo(1, 612, 792), PageInfo(2, math.inf, 792)],
        passages=[Passage(i, 1, "paragraph", t, BOX) for i, t in enumerate(texts)]
        + [Passage(3, 2, "paragraph", "Huge page.", (0.0, 0.0, math.inf, math.inf),
                   regions=[Region(2, (0.0, 0.0, math.inf, 10.0)), Region(1, BOX)])],
        footnotes=[Footnote("1", 1, "footnote", "A note.", (72.0, 700.0, math.inf, 720.0))],
    ), "test")
    database.conn.close()
    return {"path": path, "doc": doc_id}


def get(site, url):
    async def go():
        return await Datasette([str(site["path"])]).client.get(url)

    return asyncio.run(go())


def _get_urls_with_ids() -> list[str]:
    """Every GET route of the plugin that takes a row id, with a 5,000-digit id."""
    urls = []
    for pattern, _ in plugin_module.register_routes(None):
        if "(?P<id>" not in pattern or re.search(r"/(state|edit|reply)", pattern):  # POSTs
            continue
        url = (pattern.strip("^$").replace("(?P<database>[^/]+)", "reports")
               .replace(r"(?P<id>\d+)", HUGE).replace(r"(?P<page>\d+)", "1")
               .replace(r"\.", ".").replace("/?", ""))
        urls.append(url)
    return urls


def test_every_id_route_is_covered():
    kinds = {re.sub(r"9{5000}", "N", u) for u in _get_urls_with_ids()}
    assert kinds >= {"/reports/-/citetrace/documents/N", "/reports/-/citetrace/claims/N",
                     "/reports/-/citetrace/sources/N",
                     "/reports/-/citetrace/documents/N/pages/1.png",
                     "/reports/-/citetrace/documents/N/pages.json"}


@pytest.mark.parametrize("url", _get_urls_with_ids() + [
    f"/reports/-/citetrace/review/new?source_id={HUGE}",
    f"/reports/-/citetrace/documents/1/pages/{HUGE}.png",
])
def test_ids_too_long_for_sqlite_are_not_found(site, url):
    r = get(site, url)
    assert r.status_code == 404, (url[:80], r.status_code, r.text[:300])


@pytest.mark.parametrize("tail", [f"document={HUGE}", "document=99999999999999999999"])
def test_search_in_an_impossible_document_is_a_plain_search(site, tail):
    r = get(site, f"/reports/-/citetrace/search?q=tariffs&{tail}")
    assert r.status_code == 200
    assert re.search(r'id="ct-search-summary">2 results', r.text)


def test_long_or_chains_of_prefixes_are_bounded(site):
    chain = " OR ".join(f"{a}{b}*" for a in "tabcdefgh" for b in "aeiou")
    query = search.parse_query(chain)
    assert query.match == '"ta"* OR "te"* OR "ti"*'
    assert query.left_out[:3] == ("to*", "tu*", "aa*") and len(query.left_out) > 30
    words = search.parse_query(" OR ".join(f"w{i}" for i in range(40)))
    assert words.match.count('"w') == search.MAX_TERMS and words.left_out[0] == "w16"
    assert search.parse_query("t* OR tariffs").match == '"tariffs"'  # 1 letter: too short

    r = get(site, "/reports/-/citetrace/search?q=" + chain.replace(" ", "+"))
    assert r.status_code == 200
    notice = re.search(r'<p class="ct-warn" id="ct-search-left-out">(.*?)</p>', r.text, re.S)
    assert notice, r.text[:2000]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", notice.group(1))).strip()
    assert text.startswith("Not searched for: to* tu* aa* ae* ")
    assert text.endswith("A search takes at most 16 words (each side of an OR counts), of which "
                         "3 prefixes (tarif*) of 2 letters or more.")
    # ta*, te*, ti* searched: "Tariffs" twice, "text" once
    assert re.search(r'id="ct-search-summary">3 results', r.text)


def test_pages_json_never_sends_non_finite_numbers(site):
    r = get(site, f"/reports/-/citetrace/documents/{site['doc']}/pages.json")
    assert r.status_code == 200

    def refuse(name):
        raise AssertionError(f"non-finite JSON: {name}")

    data = json.loads(r.text, parse_constant=refuse)
    assert [(p["page"], p["width"], p["height"]) for p in data["pages"]] == [
        (1, 612, 792), (2, None, 792)]
    regions = list(data["passages"].values())
    assert [[72.0, 100.0, 300.0, 140.0]] in [[x["bbox"] for x in rs] for rs in regions]
    huge = [rs for rs in regions if any(x["page"] == 1 for x in rs) and len(rs) == 1
            and rs[0]["bbox"] == list(BOX)]
    assert len(huge) == 4  # three on page 1, and the huge page's passage keeps its finite region
    assert list(data["notes"].values()) == [[]]
