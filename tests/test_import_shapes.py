"""`annotate import` on malformed JSON-LD (issue 19 item 7): every shape of a wrong file is
refused in one line naming the file and the reason, exit 1, and the database is untouched.

The shapes are made from a real export (one annotation on the sample report), changed at
every level: wrong types, lists for objects, missing keys, out-of-range numbers, bad dates,
deep nesting, bytes that are not UTF-8, a 10 MB string."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from click.testing import CliRunner

from citetrace.annotations import api
from citetrace.annotations.exchange import export_jsonld
from citetrace.db.store import open_db
from citetrace.plugins.cli import cli
from tests.annotations_support import base, copy_db, long_passage  # noqa: F401 (fixtures)

HUGE = "x" * 10_000_000


def _set(path: str, value):
    """A change: set the key at a dotted path ("target.selector.0.start") of the item."""
    def change(item):
        *parents, last = path.split(".")
        node = item
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is _DROP:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return item
    return change


_DROP = object()

ITEM_SHAPES = {  # name: change of a valid item (the item is one of a collection)
    "item is a list": lambda item: [item],
    "item is a string": lambda item: "an annotation",
    "item is null": lambda item: None,
    "no id": _set("id", _DROP),
    "id a number": _set("id", 7),
    "id an object": _set("id", {"id": "x"}),
    "id not a uuid": _set("id", "urn:uuid:not-a-uuid"),
    "id of 10 MB": _set("id", HUGE),
    "no target": _set("target", _DROP),
    "target a number": _set("target", 12),
    "target an empty list": _set("target", []),
    "target a list of numbers": _set("target", [5]),
    "no source": _set("target.source", _DROP),
    "source a number": _set("target.source", 1),
    "source not a sha256": _set("target.source", "urn:sha256:xyz"),
    "source a list": _set("target.source", ["urn:sha256:" + "0" * 64]),
    "selector a string": _set("target.selector", "TextQuoteSelector"),
    "selector a list of numbers": _set("target.selector", [1, 2]),
    "no quote selector": _set("target.selector", [{"type": "TextPositionSelector", "start": 0, "end": 3}]),
    "exact a number": _set("target.selector.0.exact", 42),
    "exact empty": _set("target.selector.0.exact", ""),
    "exact of 10 MB": _set("target.selector.0.exact", HUGE),
    "prefix a list": _set("target.selector.0.prefix", ["a"]),
    "start negative": _set("target.selector.1.start", -5),
    "start enormous": _set("target.selector.1.start", 10**30),
    "start a string": _set("target.selector.1.start", "3"),
    "start a boolean": _set("target.selector.1.start", True),
    "end a float": _set("target.selector.1.end", 3.5),
    "start after end": _set("target.selector.1.start", 10**6),
    "passage id negative": _set("target.citetrace:passageId", -1),
    "passage id over SQLite's integers": _set("target.citetrace:passageId", 2**70),
    "passage id a string": _set("target.citetrace:passageId", "3"),
    "target kind unknown": _set("target.citetrace:targetKind", "page"),
    "body a number": _set("body", 3),
    "body a list of numbers": _set("body", [1]),
    "body value an object": _set("body.0.value", {"text": "hi"}),
    "body value of 10 MB": _set("body.0.value", HUGE),
    "body purpose a list": _set("body.0.purpose", ["tagging"]),
    "unknown tag": _set("body", [{"type": "TextualBody", "purpose": "tagging", "value": "great"}]),
    "motivation a number": _set("motivation", 5),
    "motivation unknown": _set("motivation", "liking"),
    "motivation an object": _set("motivation", {"a": 1}),
    "creator a list": _set("creator", ["ana"]),
    "creator name a number": _set("creator", {"type": "Person", "name": 5}),
    "created not a date": _set("created", "yesterday"),
    "created a number": _set("created", 20260509),
    "modified month 13": _set("modified", "2026-13-45T10:00:00Z"),
    "state unknown": _set("citetrace:state", "done"),
    "state a list": _set("citetrace:state", ["open"]),
    "anchor unknown": _set("citetrace:anchor", "maybe"),
    "assignee an object": _set("citetrace:assignee", {"name": "bo"}),
    "anchor score a string": _set("citetrace:anchorScore", "high"),
    "anchor score enormous": _set("citetrace:anchorScore", 1e308),
    "history an object": _set("citetrace:history", {"at": "2026-05-09T10:00:00Z"}),
    "history of numbers": _set("citetrace:history", [1]),
    "history entry without action": _set("citetrace:history", [{"at": "2026-05-09T10:00:00Z"}]),
    "history date bad": _set("citetrace:history", [{"at": "noon", "action": "create"}]),
    "history changes a list": _set("citetrace:history", [{"action": "create", "changes": [1]}]),
    "nested 100 levels in a body": _set("body.0.value", json.loads("[" * 100 + "]" * 100)),
}

RAW_SHAPES = {  # name: the whole file
    "not UTF-8": b'{"type": "Annotation", "id": "\xff\xfe"}',
    "empty file": b"",
    "truncated JSON": b'{"type": "AnnotationCollection", "first": {"items": [{"id": ',
    "NaN": b'{"type": "Annotation", "id": "x", "citetrace:anchorScore": NaN}',
    "integer of 5,000 digits": b'{"type": "Annotation", "id": "x", "citetrace:passageId": '
                               + b"9" * 5000 + b"}",
    "nested 100,000 levels": b"[" * 100_000 + b"]" * 100_000,
    "a number": b"42",
    "a 10 MB string": json.dumps(HUGE).encode(),
    "unknown type": b'{"type": "Thing"}',
    "collection whose first is a list": b'{"type": "AnnotationCollection", "first": []}',
    "collection whose items is an object": b'{"type": "AnnotationCollection", "first": {"items": {}}}',
    "page whose items is a string": b'{"type": "AnnotationPage", "items": "abc"}',
    "a list of numbers": b"[1, 2, 3]",
}


@pytest.fixture(scope="module")
def exported(base, tmp_path_factory):
    """(database with one annotation, its export as a collection)."""
    path = copy_db(base[0], tmp_path_factory.mktemp("import-shapes"))
    db = open_db(str(path))
    api.add(db, api.resolve_target(db, passage_id=long_passage(path), start=0, end=30),
            body="Source?", tags=["needs-source"], author="ana")
    data = export_jsonld(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    assert len(data["first"]["items"][0]["target"]["selector"]) == 2  # quote and position
    return path, data


def _digest(path) -> str:
    return "".join(hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in sorted(path.parent.glob(path.name + "*")))


def _refused(path, data_file):
    before = _digest(path)
    result = CliRunner().invoke(cli, ["annotate", "import", "--db", str(path), str(data_file)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (AttributeError, KeyError, TypeError, RecursionError,
                                             OverflowError)), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines[:3]
    assert lines[0].startswith(f"error: {data_file}: "), lines[0][:200]
    assert len(lines[0]) < 400  # a 10 MB value is named, not printed
    assert _digest(path) == before  # nothing written
    return lines[0]


@pytest.mark.parametrize("shape", ITEM_SHAPES)
def test_malformed_annotation_is_refused_in_one_line(exported, tmp_path, shape):
    path, data = exported
    data = copy.deepcopy(data)
    data["first"]["items"][0] = ITEM_SHAPES[shape](data["first"]["items"][0])
    data["first"]["items"].append(copy.deepcopy(exported[1]["first"]["items"][0]))  # a good one too
    data["first"]["items"][-1]["id"] = "https://example.org/good"
    data_file = tmp_path / "bad.jsonld"
    data_file.write_text(json.dumps(data))
    _refused(path, data_file)


@pytest.mark.parametrize("shape", RAW_SHAPES)
def test_malformed_file_is_refused_in_one_line(exported, tmp_path, shape):
    data_file = tmp_path / "bad.jsonld"
    data_file.write_bytes(RAW_SHAPES[shape])
    _refused(exported[0], data_file)


def test_reasons_name_the_place_and_the_fault(exported, tmp_path):
    path, data = exported
    cases = {
        "start negative": "target.selector[1].start must be a whole number from 0 to 2147483647, not -5",
        "created not a date": 'created must be a date and time (xsd:dateTime, 2026-05-09T10:00:00Z), not "yesterday"',
        "body value an object": 'body[0].value must be a string, not {"text": "hi"}',
        "motivation unknown": 'motivation must be one of commenting, questioning, assessing, highlighting, tagging, replying, not "liking"',
    }
    ident = data["first"]["items"][0]["id"]
    for shape, reason in cases.items():
        bad = copy.deepcopy(data)
        bad["first"]["items"][0] = ITEM_SHAPES[shape](bad["first"]["items"][0])
        data_file = tmp_path / f"{shape}.jsonld"
        data_file.write_text(json.dumps(bad))
        assert _refused(path, data_file) == f"error: {data_file}: {ident}: {reason}"
    raw = tmp_path / "latin1.jsonld"
    raw.write_bytes(RAW_SHAPES["not UTF-8"])
    assert _refused(path, raw) == f"error: {raw}: not UTF-8 text (byte 0xff at offset 30)"


def test_the_good_export_still_imports(base, exported, tmp_path):
    data = exported[1]
    fresh = copy_db(base[0], tmp_path, "fresh.db")  # the sample with no annotation
    data_file = tmp_path / "good.jsonld"
    data_file.write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["annotate", "import", "--db", str(fresh), str(data_file)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 imported, 0 already present")
