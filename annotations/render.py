"""Annotation bodies are Markdown written by reviewers: rendered with raw HTML disabled."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup


def _renderer() -> MarkdownIt:
    # commonmark with html=False: tags in a body are shown as text. markdown-it's own link
    # validation drops javascript:/vbscript:/file:/data: URLs; images are disabled so a
    # comment cannot make every reader's browser fetch a remote URL.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_inline", "html_block"])
    return md


def body_html(text: str | None) -> Markup:
    if not text or not text.strip():
        return Markup("")
    return Markup(_renderer().render(text))
