"""LibreOffice Writer producer: a flat ODF text document (.fodt) per variant, written here with
its own styles (sizes, note separator, note labels, columns), converted to PDF by one
``soffice --headless --convert-to pdf`` call for all files.

Writer lays out the notes itself: it splits long footnotes across columns and pages and sets
endnotes on pages of their own after the text. Two columns are page columns, so footnotes sit
at the foot of each column (the title too stands in the first column): Writer 7.4 crashed on
a two-column *section* holding tables and long footnotes.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from .content import Document, Figure, Heading, Paragraph, Table
from .style import Style

_NS = " ".join(f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"' for k, v in (
    ("office", "office:1.0"), ("style", "style:1.0"), ("text", "text:1.0"), ("table", "table:1.0"),
    ("fo", "xsl-fo-compatible:1.0"), ("svg", "svg-compatible:1.0")))
_SOFFICE_TIMEOUT = 600


def _paragraph_style(name: str, size: float, paragraph: str = "", text: str = "") -> str:
    return (f'<style:style style:name="{name}" style:family="paragraph">'
            f'<style:paragraph-properties {paragraph}/>'
            f'<style:text-properties fo:font-size="{size:g}pt" {text}/></style:style>')


def _styles(doc: Document, style: Style) -> str:
    body, note = style.body_size, style.note_size
    raised = 'style:text-position="super 58%"'
    separator = ("solid" if style.separator != "none" else "none")
    suffix = ' style:num-suffix="."' if style.label == "plain" else ""
    # letters a, b, c, or digits; footnotes counted through the document or afresh per page
    num = "a" if style.marker == "letter" else "1"
    restart = "page" if style.restart else "document"
    configs = "".join(
        f'<text:notes-configuration text:note-class="{cls}" text:citation-style-name="NoteLabel"'
        f' text:citation-body-style-name="NoteAnchor" text:default-style-name="{name}"'
        f' style:num-format="{num}"{suffix} text:start-value="0"'
        + (f' text:footnotes-position="page" text:start-numbering-at="{restart}"' if cls == "footnote" else "")
        + "/>"
        for cls, name in (("footnote", "Note"), ("endnote", "Note")))
    indent = {"hanging": 'fo:margin-left="0.5cm" fo:text-indent="-0.5cm"',
              "classic": 'fo:margin-left="0.5cm" fo:text-indent="-0.5cm"',
              "first-line": 'fo:margin-left="0cm" fo:text-indent="0.5cm"',
              "flush": 'fo:margin-left="0cm" fo:text-indent="0cm"'}[style.note_indent]
    # the page number at the head's right end (the classic Writer variants print none)
    folio = ('<text:tab/><text:page-number text:select-page="current">1</text:page-number>'
             if style.head_folio else "")
    return f"""<office:font-face-decls>
<style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
<style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Serif" fo:font-size="{body:g}pt" fo:language="en" fo:country="US" fo:hyphenate="false"/></style:default-style>
{_paragraph_style("Body", body, 'fo:text-align="justify" fo:margin-bottom="4pt"')}
{_paragraph_style("Title", 18, 'fo:margin-bottom="6pt"', 'fo:font-weight="bold"')}
{_paragraph_style("Byline", body + 1, 'fo:margin-bottom="14pt"')}
{_paragraph_style("Heading", body + 1.5, 'fo:margin-top="8pt" fo:margin-bottom="4pt" fo:keep-with-next="always"', 'fo:font-weight="bold" style:font-name="Liberation Sans"')}
{_paragraph_style("Note", note, indent + ' fo:margin-bottom="1pt" fo:text-align="justify"')}
{_paragraph_style("Small", note, 'fo:margin-top="2pt" fo:margin-bottom="2pt"')}
<style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="start"><style:tab-stops><style:tab-stop style:position="6.5in" style:type="right"/></style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="8pt" style:font-name="Liberation Sans"/></style:style>
<style:style style:name="NoteAnchor" style:family="text"><style:text-properties {raised}/></style:style>
<style:style style:name="NoteLabel" style:family="text"><style:text-properties/></style:style>
{configs}
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" fo:margin-top="0.6in" fo:margin-bottom="0.8in" fo:margin-left="1in" fo:margin-right="1in">
<style:columns fo:column-count="{style.columns}" fo:column-gap="0.25in"/>
<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm" style:distance-after-sep="0.1cm" style:line-style="{separator}" style:adjustment="left" style:rel-width="25%" style:color="#000000"/>
</style:page-layout-properties><style:header-style><style:header-footer-properties fo:min-height="0in" fo:margin-bottom="0.25in"/></style:header-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Header">{escape(doc.header)}{folio}</text:p></style:header>
</style:master-page></office:master-styles>"""


def _note_xml(doc: Document, style: Style, index: int) -> str:
    note = doc.notes[index]
    cls = "footnote" if style.notes == "footnotes" else "endnote"
    return (f'<text:note text:id="n{note.label}" text:note-class="{cls}">'
            f"<text:note-citation>{note.label}</text:note-citation><text:note-body>"
            f'<text:p text:style-name="Note">{escape(note.text)}</text:p></text:note-body></text:note>')


def _block(block, doc: Document, style: Style) -> str:
    if isinstance(block, Heading):
        return f'<text:p text:style-name="Heading">{escape(block.text)}</text:p>'
    if isinstance(block, Paragraph):
        text = block.render(escape, lambda index: _note_xml(doc, style, index), str,
                            style.marker_before_stop)
        return f'<text:p text:style-name="Body">{text}</text:p>'
    if isinstance(block, Table):
        def row(cells):
            return "<table:table-row>" + "".join(
                f'<table:table-cell office:value-type="string"><text:p text:style-name="Small">{escape(c)}</text:p></table:table-cell>'
                for c in cells) + "</table:table-row>"
        return (f'<text:p text:style-name="Small">{escape(block.caption)}</text:p>'
                f'<table:table table:name="{escape(block.caption.split(".")[0])}">'
                f'<table:table-column table:number-columns-repeated="{len(block.header)}"/>'
                + row(block.header) + "".join(row(r) for r in block.rows) + "</table:table>")
    if isinstance(block, Figure):
        # the figure's axis labels: a line of note-size numbers above its caption
        labels = "<text:tab/>".join(f"{label} ({value})" for label, value in block.bars)
        return (f'<text:p text:style-name="Small">{labels}</text:p>'
                f'<text:p text:style-name="Small">{escape(block.caption)}</text:p>')
    raise TypeError(f"unknown block {block!r}")


def source(doc: Document, style: Style) -> str:
    body = "\n".join(_block(b, doc, style) for b in doc.blocks)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {_NS} office:version="1.3"'
            f' office:mimetype="application/vnd.oasis.opendocument.text">\n{_styles(doc, style)}\n'
            f'<office:body><office:text>\n'
            f'<text:p text:style-name="Title">{escape(doc.title)}</text:p>\n'
            f'<text:p text:style-name="Byline">{escape(doc.byline)}</text:p>\n'
            f"{body}\n"
            f"</office:text></office:body></office:document>\n")


def render(sources: dict[str, str], out_dir: Path) -> dict[str, Path]:
    """Convert all sources (stem -> .fodt text) with one soffice run; return stem -> PDF."""
    if not sources:
        return {}
    with tempfile.TemporaryDirectory(prefix="citetrace-writer-") as tmp:
        tmp_path = Path(tmp)
        files = []
        for stem, xml in sources.items():
            path = tmp_path / f"{stem}.fodt"
            path.write_text(xml, encoding="utf-8")
            files.append(str(path))
        # a private profile: no clash with another soffice running on the machine
        profile = (tmp_path / "profile").as_uri()
        run = subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), *files],
            capture_output=True, text=True, errors="replace", timeout=_SOFFICE_TIMEOUT,
        )
    pdfs = {stem: out_dir / f"{stem}.pdf" for stem in sources}
    missing = [stem for stem, pdf in pdfs.items() if not pdf.is_file()]
    if missing:
        raise RuntimeError(f"soffice did not convert {', '.join(missing)}: {run.stderr.strip()[-500:]}")
    return pdfs
