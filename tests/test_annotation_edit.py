"""Editing an annotation's comment and verdicts (issue 17, item 3): from the review queue
(a CSRF-protected POST needing citetrace-annotate, as the other writes) and from
``citetrace annotate edit``; the previous text stays in the append-only history."""

from __future__ import annotations

from click.testing import CliRunner
from test_annotations_web import _token, actor_cookie, base, call, site  # noqa: F401  (fixtures)

from citetrace.annotations import api
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
