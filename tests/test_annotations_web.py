"""Annotations in Datasette: margin, review queue, POSTs with and without CSRF token and actor.

Datasette's test client skips the CSRF check when a request carries no cookies, so the
refusals are tested with cookies (an actor cookie and no token: refused by asgi-csrf).
"""

from __future__ import annotations

import asyncio
import re

import pytest
from annotations_support import (annotation_count, copy_db, drop_passages, ingested, load_doc,
                                 post_as_root)
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.annotations import api
from citetrace.db.store import open_db, write_document

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def base(tmp_path_factory, sample):
    return ingested(tmp_path_factory, sample)


@pytest.fixture
def site(base, tmp_path):
    """A database copy with two annotations (one orphaned), served by a fresh Datasette."""
    path = copy_db(base[0], tmp_path, "reports.db")
    conn = open_db(str(path))
    claim = conn.execute("select id from claims order by id limit 1 offset 3").fetchone()[0]
    a = api.add(conn, api.resolve_target(conn, claim_id=claim),
                body=f"**Check** {XSS} [x](javascript:alert(1))", tags=["disputed"], author="ana")
    passage = conn.execute("select id from passages where kind = 'paragraph' "
                           "order by seq limit 1").fetchone()[0]
    o = api.add(conn, api.resolve_target(conn, passage_id=passage, start=0, end=40),
                body="lost one", author="ben")
    conn.close()
    # A re-ingest whose extraction lost that passage orphans the second annotation.
    lost = o.target.exact
    database = open_db(str(path))
    write_document(database, drop_passages(load_doc(base[1]), lambda p: lost in p.text), "test")
    database.conn.close()
    ds = Datasette([str(path)], metadata={"plugins": {"citetrace": {"annotate": {"id": "alice"}}}})
    return {"ds": ds, "path": path, "db": "reports", "claim": claim, "a": a, "orphan": o,
            "passage": passage}


def call(coro):
    return asyncio.run(coro)


def actor_cookie(ds, actor_id):
    return {"ds_actor": ds.sign({"a": {"id": actor_id}}, "actor")}


async def _token(ds, url, cookies):
    """The CSRF token pair a browser would have: cookie and the form's hidden field."""
    r = await ds.client.get(url, cookies=cookies)
    assert r.status_code == 200
    form_token = re.search(r'name="csrftoken" value="([^"]+)"', r.text)
    cookie = r.cookies.get("ds_csrftoken")
    return (form_token.group(1) if form_token else None), cookie


def _reader_url(site):
    return f"/{site['db']}/-/citetrace/documents/1"


def _create_form(site, token=None, **extra):
    form = {"passage_id": str(site["passage"]), "start": "0", "end": "30", "body": "From the web",
            "tag": ["verified", "needs-source"], "motivation": "commenting",
            "next": _reader_url(site)}
    if token:
        form["csrftoken"] = token
    form.update(extra)
    return form


def test_reader_shows_margin_annotations_escaped(site):
    r = call(site["ds"].client.get(_reader_url(site)))
    assert r.status_code == 200
    page = r.text
    margin = re.search(r'<section class="ct-annotations".*?</section>', page, re.S).group(0)
    assert f'id="annotation-{site["a"].id}"' in margin
    assert "ct-state-open" in margin and "ct-tag-disputed" in margin
    assert "<strong>Check</strong>" in margin
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in margin
    assert 'href="javascript' not in page
    assert "1 orphaned" in margin and "lost one" in margin
    assert "Read only" in margin
    assert 'id="ct-annotate-form"' not in page  # anonymous: no form
    data = re.search(r'<script type="application/json" id="ct-annotations-data">(.*?)</script>',
                     page, re.S).group(1)
    assert "<script" not in data  # tojson escapes < in the embedded data
    assert "citetrace-review.js" in page


def test_root_gets_the_annotate_form_with_a_csrf_token(site):
    ds = site["ds"]
    form_token, cookie = call(_token(ds, _reader_url(site), actor_cookie(ds, "root")))
    assert form_token and form_token == cookie
    page = call(ds.client.get(_reader_url(site), cookies=actor_cookie(ds, "root"))).text
    assert 'id="ct-annotate-form"' in page and "start review" in page


def test_post_with_token_and_root_creates(site):
    ds = site["ds"]
    cookies = actor_cookie(ds, "root")
    token, cookie = call(_token(ds, _reader_url(site), cookies))
    before = annotation_count(site["path"])
    r = call(ds.client.post(f"/{site['db']}/-/citetrace/annotations", data=_create_form(site, token),
                            cookies={**cookies, "ds_csrftoken": cookie}))
    assert r.status_code == 303, r.text
    assert r.headers["location"] == _reader_url(site)
    assert annotation_count(site["path"]) == before + 1
    conn = open_db(str(site["path"]))
    a = api.list_annotations(conn, api.Filters(author="root"))[0]
    assert a.tags == ["verified", "needs-source"] and a.body == "From the web"
    assert a.target.passage_id == site["passage"] and (a.target.start, a.target.end) == (0, 30)
    assert api.history(conn, a.id)[0].actor == "root"
    conn.close()


def test_post_without_token_is_refused(site):
    ds = site["ds"]
    before = annotation_count(site["path"])
    r = call(ds.client.post(f"/{site['db']}/-/citetrace/annotations", data=_create_form(site),
                            cookies=actor_cookie(ds, "root")))
    assert r.status_code == 403
    token, cookie = call(_token(ds, _reader_url(site), actor_cookie(ds, "root")))
    r = call(ds.client.post(f"/{site['db']}/-/citetrace/annotations",
                            data=_create_form(site, "forged" + token[6:]),
                            cookies={**actor_cookie(ds, "root"), "ds_csrftoken": cookie}))
    assert r.status_code == 403
    assert annotation_count(site["path"]) == before


def test_anonymous_and_unpermitted_actors_are_refused(site):
    ds = site["ds"]
    before = annotation_count(site["path"])
    url = f"/{site['db']}/-/citetrace/annotations"
    # anonymous, no cookies at all (CSRF skipped by asgi-csrf): our permission check refuses
    assert call(ds.client.post(url, data=_create_form(site))).status_code == 403
    # anonymous with a valid CSRF pair
    token, cookie = call(_token(ds, _reader_url(site), {}))
    r = call(ds.client.post(url, data=_create_form(site, token) if token else
                            {**_create_form(site), "csrftoken": cookie},
                            cookies={"ds_csrftoken": cookie}))
    assert r.status_code == 403
    # a signed-in actor without the permission, valid CSRF pair
    bob = actor_cookie(ds, "bob")
    token, cookie = call(_token(ds, _reader_url(site), bob))
    page = call(ds.client.get(_reader_url(site), cookies=bob)).text
    assert 'id="ct-annotate-form"' not in page and "Read only" in page  # no write forms for bob
    r = call(ds.client.post(url, data=_create_form(site, token), cookies={**bob, "ds_csrftoken": cookie}))
    assert r.status_code == 403
    state_url = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/state"
    assert call(ds.client.post(state_url, data={"state": "in_review"})).status_code == 403
    assert annotation_count(site["path"]) == before
    conn = open_db(str(site["path"]))
    assert api.get(conn, site["a"].id).state == "open"
    conn.close()


def test_actor_allowed_by_plugin_config_can_write(site):
    ds = site["ds"]
    alice = actor_cookie(ds, "alice")  # plugins.citetrace.annotate allows {"id": "alice"}
    token, cookie = call(_token(ds, _reader_url(site), alice))
    assert token
    r = call(ds.client.post(f"/{site['db']}/-/citetrace/annotations",
                            data=_create_form(site, token, body="alice was here"),
                            cookies={**alice, "ds_csrftoken": cookie},
                            headers={"accept": "application/json"}))
    assert r.status_code == 201, r.text
    assert r.json()["type"] == "Annotation" and r.json()["creator"]["name"] == "alice"


def test_state_change_buttons(site):
    ds = site["ds"]
    cookies = actor_cookie(ds, "root")
    queue = f"/{site['db']}/-/citetrace/review"
    token, cookie = call(_token(ds, queue, cookies))
    jar = {**cookies, "ds_csrftoken": cookie}
    url = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/state"
    r = call(ds.client.post(url, data={"csrftoken": token, "state": "in_review", "assignee": "cy",
                                       "next": queue + "?state=open"}, cookies=jar))
    assert r.status_code == 303 and r.headers["location"] == queue + "?state=open"
    r = call(ds.client.post(url, data={"csrftoken": token, "state": "open", "next": "//evil.example"},
                            cookies=jar))
    assert r.status_code == 303 and r.headers["location"] == queue  # no open redirect
    r = call(ds.client.post(url, data={"csrftoken": token, "state": "resolved"}, cookies=jar))
    assert r.status_code == 409 and "cannot go from open to resolved" in r.text
    r = call(ds.client.post(url, data={"csrftoken": token, "state": "", "assignee": "dee"},
                            cookies=jar))
    assert r.status_code == 303
    conn = open_db(str(site["path"]))
    a = api.get(conn, site["a"].id)
    assert (a.state, a.assignee) == ("open", "dee")
    reviewed = [(h.action, h.actor) for h in api.history(conn, a.id) if h.action != "reanchor"]
    assert reviewed == [("create", "ana"), ("state", "root"), ("state", "root"), ("assign", "root")]
    conn.close()


def test_review_queue_filters(site):
    ds = site["ds"]
    queue = f"/{site['db']}/-/citetrace/review"

    def rows(query=""):
        page = call(ds.client.get(queue + query)).text
        return re.findall(r'<tr class="ct-anno[^"]*" id="annotation-(\d+)"', page), page

    ids, page = rows()
    assert ids == [str(site["a"].id), str(site["orphan"].id)]
    assert "Read only" in page and 'name="csrftoken"' not in page
    assert rows("?tag=disputed")[0] == [str(site["a"].id)]
    assert rows("?author=ben")[0] == [str(site["orphan"].id)]
    assert rows("?state=resolved")[0] == []
    assert rows("?document=1")[0] == ids
    orphans, page = rows("?anchor=orphaned")
    assert orphans == [str(site["orphan"].id)]
    assert "orphaned" in page and "lost one" in page
    root_page = call(ds.client.get(queue, cookies=actor_cookie(ds, "root"))).text
    assert 'value="in_review">start review</button>' in root_page


def test_export_endpoint(site):
    r = call(site["ds"].client.get(f"/{site['db']}/-/citetrace/annotations.jsonld?tag=disputed"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    data = r.json()
    assert data["type"] == "AnnotationCollection" and data["total"] == 1


def test_flag_link_opens_a_prefilled_source_unavailable_form(site):
    ds, path = site["ds"], site["path"]
    conn = open_db(str(path))
    source, note = conn.execute(
        "select c.source_id, c.footnote_id from citations c where c.source_id is not null "
        "order by c.id limit 1").fetchone()
    conn.close()
    url = f"/{site['db']}/-/citetrace/review/new?source_id={source}&tag=source-unavailable"

    async def go():
        anonymous = await ds.client.get(url)
        cookies = actor_cookie(ds, "alice")
        token, csrf = await _token(ds, url, cookies)
        form = (await ds.client.get(url, cookies=cookies)).text
        posted = await ds.client.post(
            f"/{site['db']}/-/citetrace/annotations",
            data={"csrftoken": token, "footnote_id": str(note), "tag": "source-unavailable",
                  "motivation": "questioning", "body": "gone"},
            cookies={**cookies, "ds_csrftoken": csrf})
        missing = await ds.client.get(f"/{site['db']}/-/citetrace/review/new?source_id=999999")
        return anonymous, form, posted, missing

    anonymous, form, posted, missing = call(go())
    assert anonymous.status_code == 200 and "Read only" in anonymous.text
    assert 'name="csrftoken"' not in anonymous.text
    assert f'<option value="{note}">' in form and 'value="source-unavailable"' in form
    assert posted.status_code == 303
    assert missing.status_code == 404
    conn = open_db(str(path))
    tags, footnote = conn.execute(
        "select tags, footnote_id from annotations order by id desc limit 1").fetchone()
    conn.close()
    assert "source-unavailable" in tags and footnote == note


def _root_post(site, url, form, accept="text/html"):
    return call(post_as_root(site["ds"], url, form, accept, reader=_reader_url(site)))


@pytest.mark.parametrize("next_url", ["/\t/evil.example", "/\n/evil.example",
                                      "/x\r\nSet-Cookie: ds_actor=x", "//evil.example",
                                      "/\\evil.example", "https://evil.example/", "/a b",
                                      "/caf\u00e9"])
def test_next_off_the_site_goes_to_the_default(site, next_url):
    """A browser drops tabs and newlines from a Location: "/\t/evil" would be "//evil"; a
    newline in a header was a 500 after the annotation was stored. Decided before writing."""
    before = annotation_count(site["path"])
    url = f"/{site['db']}/-/citetrace/annotations"
    r = _root_post(site, url, _create_form(site, next=next_url))
    assert r.status_code == 303, (r.status_code, r.text[:200])
    assert re.fullmatch(rf"{_reader_url(site)}#annotation-\d+", r.headers["location"])
    assert annotation_count(site["path"]) == before + 1
    r = _root_post(site, f"{url}/{site['a'].id}/state", {"state": "in_review", "next": next_url})
    assert r.status_code == 303 and r.headers["location"] == f"/{site['db']}/-/citetrace/review"


def test_a_comment_over_the_limit_is_refused_and_kept(site):
    from citetrace.annotations.model import BODY_MAX

    before = annotation_count(site["path"])
    url = f"/{site['db']}/-/citetrace/annotations"
    text = "<b>long</b> " + "x" * BODY_MAX
    r = _root_post(site, url, _create_form(site, body=text))
    assert r.status_code == 400
    message = re.search(r'id="ct-refused-message">(.*?)</p>', r.text).group(1)
    assert message == (f"Not saved: comment too long: {len(text):,} characters "
                       "(at most 20,000). Your text is below.")
    kept = re.search(r'id="ct-refused-body"[^>]*>(.*?)</textarea>', r.text, re.S).group(1)
    assert kept == "&lt;b&gt;long&lt;/b&gt; " + "x" * BODY_MAX
    assert f'href="{_reader_url(site)}"' in r.text  # back to the reader
    r = _root_post(site, url, _create_form(site, body=text), "application/json")
    assert r.status_code == 400 and r.json()["body"] == text and not r.json()["saved"]
    assert annotation_count(site["path"]) == before
    # the limit itself is accepted
    r = _root_post(site, url, _create_form(site, body="y" * BODY_MAX))
    assert r.status_code == 303 and annotation_count(site["path"]) == before + 1


def test_a_form_over_the_size_limit_is_not_read(site):
    from citetrace.plugins.review import MAX_FORM_BYTES

    before = annotation_count(site["path"])
    r = _root_post(site, f"/{site['db']}/-/citetrace/annotations",
                   _create_form(site, body="z" * (MAX_FORM_BYTES + 1)))
    assert r.status_code == 413
    assert r.text == ("Error: the form is over 512 KiB (a comment may have at most 20,000 "
                      "characters): nothing was saved")
    assert annotation_count(site["path"]) == before


def test_ids_past_sqlite_in_a_form_are_refused(site):
    before = annotation_count(site["path"])
    r = _root_post(site, f"/{site['db']}/-/citetrace/annotations",
                   _create_form(site, passage_id="9" * 5000))
    assert r.status_code == 400 and "not a whole number from 0 to" in r.text
    r = _root_post(site, f"/{site['db']}/-/citetrace/annotations",
                   _create_form(site, passage_id=str(2**64)))
    assert r.status_code == 400
    assert annotation_count(site["path"]) == before


def test_a_long_comment_stored_before_the_limit_is_shortened_on_pages(site):
    from citetrace.annotations.model import BODY_MAX

    conn = open_db(str(site["path"])).conn
    long = api.add(conn, api.resolve_target(conn, claim_id=site["claim"]), body="short",
                   author="imp")
    with conn:  # as a database written before the limit holds it
        conn.execute("update annotations set body = ? where id = ?",
                      ["w " * (5 * BODY_MAX), long.id])  # 200,000 characters
    conn.close()
    for url in (_reader_url(site), f"/{site['db']}/-/citetrace/review"):
        page = call(site["ds"].client.get(url)).text
        item = re.search(rf'id="annotation-{long.id}".*?</li>|id="annotation-{long.id}".*?</tr>',
                         page, re.S).group(0)
        assert "… shortened here: 200,000 characters in all" in item
        assert BODY_MAX // 2 - 1 <= len(re.findall(r"\bw\b", item)) <= BODY_MAX // 2
    export = call(site["ds"].client.get(f"/{site['db']}/-/citetrace/annotations.jsonld")).json()
    bodies = [b.get("value", "") for item in export["first"]["items"]
              for b in (item.get("body") or []) if isinstance(b, dict)]
    assert any(len(b) == 200_000 for b in bodies)
