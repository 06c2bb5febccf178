"""The gold file format (``<stem>.gold.json``): parsed and validated into :class:`Gold`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

GOLD_SUFFIX = ".gold.json"


class GoldError(ValueError):
    """A gold file that does not follow the README format."""


@dataclass(frozen=True)
class GoldNote:
    label: str
    page: int | None
    text: str
    urls: tuple[str, ...] = ()
    kind: str | None = None


@dataclass(frozen=True)
class GoldMarker:
    label: str
    page: int | None


@dataclass
class Gold:
    stem: str  # file name without ".gold.json": the PDF stem it belongs to
    path: str
    file: str | None
    sha256: str | None
    notes: list[GoldNote]
    markers: list[GoldMarker] | None  # None: the gold has no marker positions (CRS)
    furniture: list[str] = field(default_factory=list)
    body_paragraphs: list[str] | None = None
    blocks: list[str] | None = None  # reading-order blocks, where the gold has them
    # generated layouts (ingest/variants --layouts): a pull quote's sentence and the paragraph
    # it stands in; a sidebar's heading and text
    pullquotes: list[dict] = field(default_factory=list)
    sidebars: list[dict] = field(default_factory=list)


def gold_stem(path: str | Path) -> str:
    name = Path(path).name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else Path(name).stem


def _fail(path: Path, message: str) -> GoldError:
    return GoldError(f"{path}: {message}")


def _label(value, path: Path, where: str) -> str:
    # Labels are strings in the format; integers are accepted because JSON writers emit them.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _fail(path, f"{where}: label must be a string, got {value!r}")
    return str(value).strip()


def _page(value, path: Path, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, f"{where}: page must be an integer or null, got {value!r}")
    return value


def _strings(value, path: Path, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{where} must be a list of strings")
    return list(value)


def _gold_note(raw, path: Path, i: int) -> GoldNote:
    where = f"footnotes[{i}]"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where} must be an object")
    if "label" not in raw or not isinstance(raw.get("text"), str):
        raise _fail(path, f"{where} needs a label and a text")
    return GoldNote(
        label=_label(raw["label"], path, where),
        page=_page(raw.get("page"), path, where),
        text=raw["text"],
        urls=tuple(_strings(raw.get("urls"), path, f"{where}.urls")),
        kind=raw.get("kind"),
    )


def _gold_marker(raw, path: Path, i: int) -> GoldMarker:
    where = f"markers[{i}]"
    if not isinstance(raw, dict) or "label" not in raw:
        raise _fail(path, f"{where} must be an object with a label")
    return GoldMarker(_label(raw["label"], path, where), _page(raw.get("page"), path, where))


def _blocks(value, path: Path) -> list[str] | None:
    # report.json style: a list of {"type", "text", "page"}; plain strings are accepted too.
    if value is None:
        return None
    if not isinstance(value, list):
        raise _fail(path, "blocks must be a list")
    texts = [b.get("text") if isinstance(b, dict) else b for b in value]
    if not all(isinstance(t, str) for t in texts):
        raise _fail(path, "every block needs a text")
    return texts


def parse_gold(data: dict, path: str | Path) -> Gold:
    """Validate one gold JSON object; raises :class:`GoldError` naming the file and field."""
    path = Path(path)
    if not isinstance(data, dict):
        raise _fail(path, "gold must be a JSON object")
    notes = data.get("footnotes")
    if not isinstance(notes, list):
        raise _fail(path, "footnotes must be a list")
    markers = data.get("markers")
    if markers is not None and not isinstance(markers, list):
        raise _fail(path, "markers must be a list or null")
    body = data.get("body_paragraphs")
    return Gold(
        stem=gold_stem(path),
        path=str(path),
        file=data.get("file"),
        sha256=data.get("sha256"),
        notes=[_gold_note(n, path, i) for i, n in enumerate(notes)],
        markers=None if markers is None
        else [_gold_marker(m, path, i) for i, m in enumerate(markers)],
        furniture=_strings(data.get("furniture"), path, "furniture"),
        body_paragraphs=None if body is None else _strings(body, path, "body_paragraphs"),
        blocks=_blocks(data.get("blocks"), path),
        pullquotes=_records(data.get("pullquotes"), ("text", "paragraph"), path, "pullquotes"),
        sidebars=_records(data.get("sidebars"), ("heading", "text"), path, "sidebars"),
    )


def _records(value, keys: tuple[str, ...], path: Path, where: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
            isinstance(v, dict) and all(isinstance(v.get(k), str) for k in keys) for v in value):
        raise _fail(path, f"{where} must be a list of objects with {', '.join(keys)}")
    return [{k: v[k] for k in keys} for v in value]


def load_gold(path: str | Path) -> Gold:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON: {exc}") from exc
    return parse_gold(data, path)


def load_gold_dir(gold_dir: str | Path) -> list[Gold]:
    """Every ``*.gold.json`` in ``gold_dir`` (not recursive), sorted by stem."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    return [load_gold(p) for p in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}"))]
