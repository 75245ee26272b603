"""Markdown -> DOCX / PDF / HTML. The only module that runs pandoc or typst.

Each converter is a pure function of its inputs: the same Markdown and timestamp give
the same bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pypandoc
import typst

from .errors import AvtalError, EnvironmentProblem
from .render import TEMPLATES

LUA_FILTER = TEMPLATES / "layout.lua"
TYPST_TEMPLATE = TEMPLATES / "avtal.typst"
REFERENCE_DOCX = TEMPLATES / "reference.docx"
FONTS = TEMPLATES / "fonts"  # DejaVu Sans: fallback for Hebrew, Arabic and some emoji
# Pandoc Markdown without raw passthrough: a Markdown field in a spec cannot smuggle in
# Typst, OpenXML, HTML or TeX code. Only our own Lua filter writes raw output.
MARKDOWN = "markdown-raw_attribute-raw_html-raw_tex"
HEADER_FIELDS = ("header-left", "header-right", "footer-left", "footer-right")
DOCUMENT = "word/document.xml"
_REVISION = re.compile(r'(<w:(?:ins|del)\b)\s+w:id="\d+"')
_ESCAPED = re.compile(r"\\(.)")


class ConversionError(AvtalError):
    """pandoc or typst refused a document; the message is theirs."""


@cache
def pandoc_path() -> str:
    """The pandoc binary shipped by pypandoc-binary."""
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as err:
        raise EnvironmentProblem(f"pandoc hittades inte: {err}") from err


@cache
def tool_versions() -> dict[str, str]:
    """Versions of the converters, recorded in the manifest and the build hash."""
    return {
        "pandoc": str(pypandoc.get_pandoc_version()),
        "typst": version("typst"),
        "pypandoc-binary": version("pypandoc-binary"),
    }


def _pandoc(markdown: str, args: list[str], *, epoch: int) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    command = [pandoc_path(), f"--from={MARKDOWN}", "--wrap=none", *args]
    done = subprocess.run(command, input=markdown.encode(), capture_output=True, env=env)
    if done.returncode != 0:
        raise ConversionError(f"pandoc: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def to_typst(markdown: str, *, epoch: int) -> str:
    """Markdown -> Typst source through our template and the signature filter."""
    args = ["--to=typst", f"--template={TYPST_TEMPLATE}", f"--lua-filter={LUA_FILTER}"]
    return _pandoc(markdown, args, epoch=epoch).decode()


def to_pdf(markdown: str, *, epoch: int) -> bytes:
    """Markdown -> PDF/A-2b via Typst, with a fixed timestamp for reproducibility."""
    source = to_typst(markdown, epoch=epoch)
    return typst_pdf(source, epoch=epoch)


def typst_pdf(source: str, *, epoch: int) -> bytes:
    """Compile Typst source to PDF/A-2b with only the fonts typst embeds."""
    try:
        # typst's stubs tie font_paths to the type of the input (bytes here); str paths work.
        pdf = typst.compile(  # type: ignore[call-overload]
            source.encode(),
            format="pdf",
            pdf_standards="a-2b",
            timestamp=datetime.fromtimestamp(epoch, tz=UTC),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
        )
    except typst.TypstError as err:
        raise ConversionError(f"typst: {err}") from err
    assert isinstance(pdf, bytes)
    return pdf


def to_docx(markdown: str, *, epoch: int) -> bytes:
    """Markdown -> DOCX with the reference document's styles, header and footer."""
    args = [
        "--to=docx",
        "--standalone",  # without it pandoc drops the reference document's sectPr
        f"--reference-doc={REFERENCE_DOCX}",
        f"--lua-filter={LUA_FILTER}",
        "--output=-",
    ]
    return fill_header(_pandoc(markdown, args, epoch=epoch), front_matter(markdown))


def front_matter(markdown: str) -> dict[str, str]:
    """The header and footer texts from the Markdown's metadata block, unescaped.

    The templates write each as one JSON-quoted line of escaped Markdown.
    """
    values: dict[str, str] = {}
    block = markdown.split("\n---\n", 1)[0]
    for line in block.splitlines():
        key, _, raw = line.partition(": ")
        if key in HEADER_FIELDS:
            values[key] = _ESCAPED.sub(r"\1", json.loads(raw))
    return values


def unique_revision_ids(docx: bytes) -> bytes:
    """Give every w:ins and w:del its own id (pandoc numbers the two kinds separately)."""
    counter = iter(range(900_000, 10_000_000))

    def renumber(match: re.Match[str]) -> str:
        return f'{match.group(1)} w:id="{next(counter)}"'

    return _edit_parts(
        docx, lambda name: partial(_REVISION.sub, renumber) if name == DOCUMENT else None
    )


_TABLE = re.compile(r"(<w:tbl>.*?</w:tbl>)", re.S)
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)
_REVISED = re.compile(r"<w:(ins|del)\b([^>]*)>.*?</w:\1>", re.S)
_TEXT = re.compile(r"<w:t[ >]")


def revise_paragraph_marks(docx: bytes) -> bytes:
    """Mark the paragraph mark of a wholly inserted or deleted paragraph as such.

    Pandoc marks only the text, so accepting all changes would leave a deleted list
    item as an empty bullet (and rejecting them an inserted one). Paragraphs in table
    cells keep their marks: a cell always has a paragraph.
    """

    def paragraph(match: re.Match[str]) -> str:
        xml = match.group(0)
        revised = _REVISED.findall(xml)
        kinds = {kind for kind, _ in revised}
        if len(kinds) != 1 or _TEXT.search(_REVISED.sub("", xml)):
            return xml  # unchanged, partly changed, or both deleted and inserted
        kind, attrs = revised[0]
        mark = f"<w:{kind}{attrs}/>"  # its id is made unique by unique_revision_ids
        if "<w:pPr>" not in xml:
            open_tag = xml[: xml.index(">") + 1]
            return open_tag + f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>" + xml[len(open_tag) :]
        properties = xml[xml.index("<w:pPr>") : xml.index("</w:pPr>")]
        if "<w:rPr>" in properties:
            return xml.replace("<w:rPr>", f"<w:rPr>{mark}", 1)  # the first is the mark's
        return xml.replace("</w:pPr>", f"<w:rPr>{mark}</w:rPr></w:pPr>", 1)

    def body(xml: str) -> str:
        parts = _TABLE.split(xml)
        return "".join(
            part if part.startswith("<w:tbl>") else _PARAGRAPH.sub(paragraph, part)
            for part in parts
        )

    return _edit_parts(docx, lambda name: body if name == DOCUMENT else None)


def to_html(markdown: str, *, epoch: int) -> bytes:
    """Markdown -> a standalone HTML page."""
    args = ["--to=html5", "--standalone", f"--lua-filter={LUA_FILTER}"]
    return _pandoc(markdown, args, epoch=epoch)


def fill_header(docx: bytes, values: dict[str, str]) -> bytes:
    """Fill the header and footer placeholders, and keep every table row on one page."""

    def edit(name: str) -> Callable[[str], str] | None:
        if name.startswith(("word/header", "word/footer")):
            return partial(_replace_fields, values=values)
        return _unsplittable_rows if name == DOCUMENT else None

    return _edit_parts(docx, edit)


def _edit_parts(docx: bytes, edit: Callable[[str], Callable[[str], str] | None]) -> bytes:
    """A copy of a DOCX with some XML parts rewritten: `edit(name)` gives the rewrite
    for a part, or None to copy it as it is."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            rewrite = edit(info.filename)
            if rewrite is not None:
                data = rewrite(data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


def _unsplittable_rows(xml: str) -> str:
    """A signature block or a table row is never split across two pages."""
    xml = xml.replace("<w:tr><w:trPr>", "<w:tr><w:trPr><w:cantSplit />")
    return xml.replace("<w:tr><w:tc>", "<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>")


def _replace_fields(xml: str, values: dict[str, str]) -> str:
    for name in HEADER_FIELDS:
        xml = xml.replace(f"[[{name.upper()}]]", xml_escape(values.get(name, "")))
    return xml


def reference_exists() -> Path:
    """The reference DOCX, or an installation problem if it is missing."""
    if not REFERENCE_DOCX.exists():
        raise EnvironmentProblem(f"mallen {REFERENCE_DOCX} saknas")
    return REFERENCE_DOCX
