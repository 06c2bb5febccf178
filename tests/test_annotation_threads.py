"""Replies to an annotation and editing of its comment and verdicts (issue 17, item 3):
from the review queue (CSRF-protected POSTs needing citetrace-annotate, as the other writes)
and from ``citetrace annotate reply`` / ``edit``; the previous text stays in the append-only
history, and replies travel with the exports."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from test_annotations_web import _token, actor_cookie, base, call, site  # noqa: F401  (fixtures)

from citetrace.annotations import api, exchange
from citetrace.db.store import open_db
from citetrace.plugins.cli import cli


def test_edit_from_the_review_queue_keeps_the_old_text(site):
    ds = site["ds"]
    queue = f"/{site['db']}/-/citetrace/review"
    url = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/edit"
    page = call(ds.client.get(queue, cookies=actor_cookie(ds, "root"))).text
    assert f'action="{url}"' in page  # the edit form is offered to who may write
    assert f'action="{url}"' not in call(ds.client.get(queue)).text  # not to anonymous
    old = api.get(open_db(str(site["path"])).conn, site["a"].id)
    token, cookie = call(_token(ds, queue, actor_cookie(ds, "root")))
    jar = {**actor_cookie(ds, "root"), "ds_csrftoken": cookie}
    r = call(ds.client.post(url, data={"csrftoken": token, "body": "Rewritten", "tags": "1",
                                       "tag": ["verified"], "next": queue}, cookies=jar))
    assert r.status_code == 303 and r.headers["location"] == queue
    conn = open_db(str(site["path"])).conn
    a = api.get(conn, site["a"].id)
    assert (a.body, a.tags) == ("Rewritten", ["verified"])
    last = api.history(conn, a.id)[-1]
    assert last.action == "update" and last.actor == "root"
    assert last.changes["body"] == [old.body, "Rewritten"]
    assert last.changes["tags"] == [["disputed"], ["verified"]]
    # refusals: no CSRF token, an actor without the permission, anonymous
    assert call(ds.client.post(url, data={"body": "x"}, cookies=jar)).status_code == 403
    bob = actor_cookie(ds, "bob")
    token_b, cookie_b = call(_token(ds, queue, bob))
    r = call(ds.client.post(url, data={"csrftoken": token_b, "body": "x"},
                            cookies={**bob, "ds_csrftoken": cookie_b}))
    assert r.status_code == 403
    assert api.get(open_db(str(site["path"])).conn, a.id).body == "Rewritten"


def test_edit_from_the_command_line(site):
    path, ident = str(site["path"]), str(site["a"].id)
    runner = CliRunner()
    result = runner.invoke(cli, ["annotate", "edit", "--db", path, ident, "-m", "Second take",
                                 "-t", "misquoted", "--by", "cy"])
    assert result.exit_code == 0, result.output
    assert "misquoted" in result.output and "Second take" in result.output
    shown = runner.invoke(cli, ["annotate", "show", "--db", path, ident]).output
    assert "Second take" in shown and "update" in shown and "cy" in shown
    conn = open_db(path).conn
    first_body = api.history(conn, ident)[0].changes["body"][1]
    assert api.history(conn, ident)[-1].changes["body"] == [first_body, "Second take"]
    result = runner.invoke(cli, ["annotate", "edit", "--db", path, ident])
    assert result.exit_code == 1 and "nothing to change" in result.output


def test_reply_from_the_review_queue(site):
    ds = site["ds"]
    queue = f"/{site['db']}/-/citetrace/review"
    url = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/reply"
    token, cookie = call(_token(ds, queue, actor_cookie(ds, "root")))
    jar = {**actor_cookie(ds, "root"), "ds_csrftoken": cookie}
    before = call(ds.client.get(queue)).text.count('class="ct-anno ')
    r = call(ds.client.post(url, data={"csrftoken": token, "body": "Agreed, see **p. 4**",
                                       "next": queue}, cookies=jar))
    assert r.status_code == 303
    conn = open_db(str(site["path"])).conn
    thread = api.replies(conn, [site["a"]])[site["a"].uuid]
    assert [(x.author, x.body, x.motivation) for x in thread] == [
        ("root", "Agreed, see **p. 4**", "replying")]
    assert thread[0].target.claim_id == site["a"].target.claim_id  # the same target
    assert api.history(conn, thread[0].id)[0].action == "create"
    page = call(ds.client.get(queue)).text
    assert page.count('class="ct-anno ') == before  # a reply is no new item in the queue
    item = page[page.index(f'id="annotation-{site["a"].id}"'):]
    item = item[:item.index("</tr>")]
    assert "<strong>p. 4</strong>" in item and 'class="ct-reply"' in item
    # counts and the queue's "open" leave replies out; the exports keep them
    assert api.counts_by_state(conn).get("open", 0) == len(api.list_annotations(
        conn, api.Filters(state="open")))
    data = exchange.export_jsonld(conn)
    reply = next(i for i in data["first"]["items"] if i.get("motivation") == "replying")
    assert reply["citetrace:inReplyTo"] == f"urn:uuid:{site['a'].uuid}"
    rows = list(csv.DictReader(io.StringIO(exchange.export_csv(conn))))
    assert [r["in_reply_to"] for r in rows if r["motivation"] == "replying"] == [site["a"].uuid]
    report = exchange.markdown_report(conn, 1)
    assert "  - reply by root" in report and "Agreed, see **p. 4**" in report
    # an empty reply is refused; so is a reply without the permission
    r = call(ds.client.post(url, data={"csrftoken": token, "body": "  "}, cookies=jar))
    assert r.status_code == 400
    assert call(ds.client.post(url, data={"body": "x"})).status_code == 403
    missing = f"/{site['db']}/-/citetrace/annotations/999999/reply"
    r = call(ds.client.post(missing, data={"csrftoken": token, "body": "x"}, cookies=jar))
    assert r.status_code == 404


def test_reply_from_the_command_line_and_round_trip(site, tmp_path):
    path, ident = str(site["path"]), str(site["a"].id)
    runner = CliRunner()
    result = runner.invoke(cli, ["annotate", "reply", "--db", path, ident, "-m", "Why?",
                                 "--author", "dee"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["annotate", "show", "--db", path, ident]).output
    assert "dee" in shown and "Why?" in shown
    listed = runner.invoke(cli, ["annotate", "list", "--db", path]).output
    assert "Why?" not in listed and "replying" not in listed  # under its annotation only
    out = tmp_path / "all.jsonld"
    assert runner.invoke(cli, ["annotate", "export", "--db", path, "-o", str(out)]).exit_code == 0
    conn = open_db(path).conn
    conn.execute("drop trigger annotations_never_deleted")
    conn.execute("delete from annotations")
    conn.commit()
    conn.close()
    result = runner.invoke(cli, ["annotate", "import", "--db", path, str(out)])
    assert result.exit_code == 0, result.output
    conn = open_db(path).conn
    a = api.get(conn, site["a"].uuid)
    assert [r.body for r in api.replies(conn, [a])[a.uuid]] == ["Why?"]
    assert json.loads(out.read_text())["total"] == exchange.export_jsonld(conn)["total"]


def test_the_reader_offers_edit_and_reply_where_the_queue_does(site):
    """The margin lists each annotation's replies, and its edit and reply forms (posting to
    the queue's endpoints) to who may annotate; a script asking for JSON gets the comment
    back rendered as the page renders it: Markdown, raw HTML escaped."""
    ds = site["ds"]
    reader = f"/{site['db']}/-/citetrace/documents/1"
    edit = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/edit"
    reply = f"/{site['db']}/-/citetrace/annotations/{site['a'].id}/reply"
    root = actor_cookie(ds, "root")
    page = call(ds.client.get(reader, cookies=root)).text
    margin = page[page.index('<section class="ct-annotations"'):]
    margin = margin[:margin.index("</section>")]
    assert f'action="{edit}"' in margin and f'action="{reply}"' in margin
    assert 'id="ct-thread-template"' in page  # the forms of what the page will save
    anonymous = call(ds.client.get(reader)).text
    assert f'action="{edit}"' not in anonymous and 'id="ct-thread-template"' not in anonymous
    token, cookie = call(_token(ds, reader, root))
    jar = {**root, "ds_csrftoken": cookie}
    json_please = {"Accept": "application/json"}
    r = call(ds.client.post(reply, data={"csrftoken": token, "body": "See **p. 4** <img src=x>"},
                            cookies=jar, headers=json_please))
    assert r.status_code == 201
    answer = r.json()
    assert (answer["author"], answer["body"]) == ("root", "See **p. 4** <img src=x>")
    assert answer["body_html"] == "<p>See <strong>p. 4</strong> &lt;img src=x&gt;</p>\n"
    r = call(ds.client.post(edit, data={"csrftoken": token, "body": "*Recounted*", "tags": "1",
                                        "tag": ["misquoted"]}, cookies=jar, headers=json_please))
    assert r.status_code == 200
    assert (r.json()["tags"], r.json()["body_html"]) == (["misquoted"],
                                                         "<p><em>Recounted</em></p>\n")
    page = call(ds.client.get(reader)).text  # the reply under its annotation, for everyone
    item = page[page.index(f'id="annotation-{site["a"].id}"'):]
    assert 'class="ct-reply"' in item[:item.index('class="ct-anno-meta')]
    conn = open_db(str(site["path"]))
    last = api.history(conn, site["a"].id)[-1]
    assert (last.action, last.actor, last.changes["tags"]) == ("update", "root",
                                                               [["disputed"], ["misquoted"]])


def test_a_verdict_saved_by_script_comes_back_with_its_edit_and_reply_urls(site):
    ds = site["ds"]
    reader = f"/{site['db']}/-/citetrace/documents/1"
    root = actor_cookie(ds, "root")
    token, cookie = call(_token(ds, reader, root))
    note = open_db(str(site["path"])).conn.execute(
        "select id from footnotes order by id limit 1").fetchone()[0]
    r = call(ds.client.post(f"/{site['db']}/-/citetrace/annotations",
                            data={"csrftoken": token, "footnote_id": str(note), "tag": "verified",
                                  "motivation": "assessing"},
                            cookies={**root, "ds_csrftoken": cookie},
                            headers={"Accept": "application/json"}))
    assert r.status_code == 201
    new = r.json()["citetrace:annotationId"]
    assert r.json()["citetrace:editUrl"] == f"/{site['db']}/-/citetrace/annotations/{new}/edit"
    assert r.json()["citetrace:replyUrl"] == f"/{site['db']}/-/citetrace/annotations/{new}/reply"
