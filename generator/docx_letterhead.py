"""The letterhead in a DOCX: a first-page header with the running header, and below it a
party's logo, name lines and address (its own documents) or each party's logo (the
agreement), as the PDF shows them on its first page.

Pure package editing: the logos come in as image files already read (convert.py reads
them from the team's repository and has typst draw an SVG's PNG fallback). An SVG is
embedded as Word 2016 and later show it, with the PNG for Word before that and for
LibreOffice, which shows the PNG.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from .reader import png_size

DOCUMENT = "word/document.xml"
RELATIONSHIPS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
# The running header and footer of the reference document (scripts/make_reference_docx.py).
RUNNING_HEADER = "rIdAvtalHeader"
RUNNING_FOOTER = "rIdAvtalFooter"
FIRST_HEADER = "rIdAvtalBrevhuvud"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
NAMESPACES = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
)
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word's svgBlip extension
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
EMU_PER_MM = 36_000
EMU_PER_TWIP = 635
# The reference document's text width (A4 less its margins), in twips.
TEXT_WIDTH = 11906 - 2 * 1417
# The PDF's sizes (templates/avtal.typst): a letterhead logo 16 mm high, the agreement's
# party logos 14 mm, 10 mm apart; name lines 9 pt.
LETTERHEAD_MM = 16
PARTY_LOGO_MM = 14
LOGO_GAP_TWIPS = 567
LINE_SIZE = 18  # half-points


@dataclass(frozen=True)
class Logo:
    """A logo to embed: its PNG (the SVG's drawing, or the file itself), its SVG if it is
    one, and a description for screen readers."""

    png: bytes
    svg: bytes | None = None
    description: str = ""

    def size(self, height_mm: float) -> tuple[int, int]:
        """Width and height in EMU at the given height, in the PNG's proportions."""
        width_px, height_px = png_size(self.png)
        height = round(height_mm * EMU_PER_MM)
        return round(height * width_px / height_px), height


@dataclass(frozen=True)
class Letterhead:
    """What the first page's header shows besides the running header."""

    logos: tuple[Logo, ...] = ()
    lines: tuple[str, ...] = ()
    address: str = ""
    own: bool = True  # a party's own document (logo left, lines right) or the agreement

    def __bool__(self) -> bool:
        return bool(self.logos or self.lines or self.address)


def letterhead_parts(
    read: Callable[[str], str], names: list[str], letterhead: Letterhead
) -> tuple[dict[str, str], dict[str, bytes]] | None:
    """The parts a DOCX's letterhead replaces (name -> its new XML) and adds (its first
    header, that header's relationships, the logos), given how to `read` a part's XML;
    None when the DOCX gets none: the document does not use the reference document's
    running header (a team's own Word template keeps its own headers), or the
    letterhead has nothing to show."""
    document = read(DOCUMENT)
    relationships = read(RELATIONSHIPS)
    running = _target(relationships, RUNNING_HEADER)
    if not letterhead or running is None or f'r:id="{RUNNING_HEADER}"' not in document:
        return None
    header_name = _free_name(names, "word/header", ".xml")
    media = _media(names, letterhead.logos)
    header = _first_header(read(f"word/{running}"), letterhead, media)
    parts = {
        DOCUMENT: _first_page(document),
        RELATIONSHIPS: relationships.replace(
            "</Relationships>",
            f'<Relationship Id="{FIRST_HEADER}" Type="{REL}/header" '
            f'Target="{header_name.removeprefix("word/")}" /></Relationships>',
        ),
        CONTENT_TYPES: _content_types(read(CONTENT_TYPES), header_name),
    }
    added = {header_name: header.encode(), _rels_name(header_name): _header_rels(media)}
    for name, data, _ in media:
        added[name] = data
    return parts, added


def repack(
    source: zipfile.ZipFile, replaced: Mapping[str, bytes], added: Mapping[str, bytes]
) -> bytes:
    """A copy of the package with some parts' bytes `replaced` and new parts `added` at
    its end (dated as its document part)."""
    stamp = source.getinfo(DOCUMENT).date_time if added else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = replaced.get(info.filename)
            target.writestr(info, source.read(info) if data is None else data)
        for name, data in added.items():
            assert stamp is not None
            target.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _target(relationships: str, rel_id: str) -> str | None:
    match = re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*/>', relationships)
    if match is None:
        return None
    target = re.search(r'Target="([^"]+)"', match.group(0))
    return target.group(1) if target else None


def _free_name(names: list[str], stem: str, suffix: str) -> str:
    number = 1
    while f"{stem}{number}{suffix}" in names:
        number += 1
    return f"{stem}{number}{suffix}"


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


# (part name, bytes, relationship id) of each image; a logo's SVG follows its PNG.
Media = list[tuple[str, bytes, str]]


def _media(names: list[str], logos: tuple[Logo, ...]) -> Media:
    media: Media = []
    for number, logo in enumerate(logos, start=1):
        png = _free_name(names + [name for name, _, _ in media], "word/media/brevhuvud", ".png")
        media.append((png, logo.png, f"rIdLogo{number}"))
        if logo.svg is not None:
            media.append((png.removesuffix(".png") + ".svg", logo.svg, f"rIdLogo{number}svg"))
    return media


def _header_rels(media: Media) -> bytes:
    rels = "".join(
        f'<Relationship Id="{rel_id}" Type="{REL}/image" '
        f'Target="{name.removeprefix("word/")}" />'
        for name, _, rel_id in media
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>"
    ).encode()


def _content_types(types: str, header: str) -> str:
    extra = ""
    for extension, kind in (("png", "image/png"), ("svg", "image/svg+xml")):
        if f'Extension="{extension}"' not in types:
            extra += f'<Default Extension="{extension}" ContentType="{kind}" />'
    extra += f'<Override PartName="/{header}" ContentType="{WORDML}.header+xml" />'
    return types.replace("</Types>", extra + "</Types>")


_SECTION = re.compile(r"<w:sectPr\b[^>]*>.*?</w:sectPr>", re.S)
# Elements of a section that come after w:titlePg (ECMA-376, CT_SectPr).
_AFTER_TITLE_PAGE = re.compile(r"<w:(?:textDirection|bidi|rtlGutter|docGrid|printerSettings|"
                               r"sectPrChange)\b")


def _first_page(document: str) -> str:
    """The last section (pandoc writes one) gets a first page of its own: the letterhead
    header and the running footer."""
    sections = list(_SECTION.finditer(document))
    if not sections:
        return document
    last = sections[-1]
    section = last.group(0)
    references = (
        f'<w:headerReference w:type="first" r:id="{FIRST_HEADER}" />'
        f'<w:footerReference w:type="first" r:id="{RUNNING_FOOTER}" />'
    )
    opening = section[: section.index(">") + 1]
    section = opening + references + section[len(opening) :]
    if "<w:titlePg" not in section:
        after = _AFTER_TITLE_PAGE.search(section)
        at = after.start() if after else section.rindex("</w:sectPr>")
        section = section[:at] + "<w:titlePg />" + section[at:]
    return document[: last.start()] + section + document[last.end() :]


def _first_header(running: str, letterhead: Letterhead, media: Media) -> str:
    """The running header with the letterhead after it, before its closing paragraph."""
    block = _letterhead_table(letterhead, media)
    end = running.rindex("<w:p>") if "<w:p>" in running else running.rindex("</w:hdr>")
    header = running[:end] + block + running[end:]
    return header.replace("<w:hdr ", f"<w:hdr {NAMESPACES}", 1)


_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{side} w:val="nil" />' for side in ("top", "left", "bottom", "right",
                                                        "insideH", "insideV"))
    + "</w:tblBorders>"
)


def _letterhead_table(letterhead: Letterhead, media: Media) -> str:
    height = LETTERHEAD_MM if letterhead.own else PARTY_LOGO_MM
    pngs = [rel_id for name, _, rel_id in media if name.endswith(".png")]
    drawings = [
        _drawing(logo, rel_id, number, height)
        for number, (logo, rel_id) in enumerate(zip(letterhead.logos, pngs, strict=True), 1)
    ]
    widths = [logo.size(height)[0] // EMU_PER_TWIP + 1 for logo in letterhead.logos]
    spacer = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" /></w:pPr></w:p>'
    plain = '<w:p><w:pPr><w:spacing w:after="0" /></w:pPr>{}</w:p>'
    if not letterhead.own:  # the agreement: the parties' logos side by side
        columns = [width + LOGO_GAP_TWIPS for width in widths]
        cells = "".join(_cell(plain.format(d), w, margin=LOGO_GAP_TWIPS)
                        for d, w in zip(drawings, columns, strict=True))
        return spacer + _table(cells, columns)
    lines = [_line(text, bold=i == 0) for i, text in enumerate(letterhead.lines)]
    if letterhead.address:
        lines.append(_line(letterhead.address, color="444444"))
    left = min(sum(widths) or 1, TEXT_WIDTH // 2)
    columns = [left, TEXT_WIDTH - left]
    cells = _cell(plain.format("".join(drawings)), columns[0])
    cells += _cell("".join(lines) or plain.format(""), columns[1])
    return spacer + _table(cells, columns)


def _table(cells: str, columns: list[int]) -> str:
    """A table without borders or cell margins, autofit from the given widths (twips)."""
    grid = "".join(f'<w:gridCol w:w="{width}" />' for width in columns)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(columns)}" w:type="dxa" />{_NO_BORDERS}'
        '<w:tblLayout w:type="autofit" /><w:tblCellMar><w:left w:w="0" w:type="dxa" />'
        '<w:right w:w="0" w:type="dxa" /></w:tblCellMar><w:tblLook w:val="0000" />'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid><w:tr>{cells}</w:tr></w:tbl>"
    )


def _cell(content: str, width: int, *, margin: int = 0) -> str:
    right = f'<w:tcMar><w:right w:w="{margin}" w:type="dxa" /></w:tcMar>' if margin else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa" />{right}'
        f'<w:vAlign w:val="center" /></w:tcPr>{content}</w:tc>'
    )


def _line(text: str, *, bold: bool = False, color: str = "") -> str:
    props = f'<w:sz w:val="{LINE_SIZE}" /><w:szCs w:val="{LINE_SIZE}" />'
    props = ("<w:b />" if bold else "") + (f'<w:color w:val="{color}" />' if color else "") + props
    return (
        '<w:p><w:pPr><w:spacing w:before="0" w:after="0" /><w:jc w:val="right" /></w:pPr>'
        f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'
        "</w:p>"
    )


def _drawing(logo: Logo, rel_id: str, number: int, height_mm: float) -> str:
    """An inline picture: the PNG, with the SVG as Word's extension where there is one."""
    cx, cy = logo.size(height_mm)
    svg = (
        f'<a:extLst><a:ext uri="{SVG_EXTENSION}"><asvg:svgBlip xmlns:asvg="{SVG_NS}" '
        f'r:embed="{rel_id}svg" /></a:ext></a:extLst>'
        if logo.svg is not None
        else ""
    )
    name = f"Logotyp {number}"
    description = xml_escape(logo.description, {'"': "&quot;"})
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}" /><wp:effectExtent l="0" t="0" r="0" b="0" />'
        f'<wp:docPr id="{9000 + number}" name="{name}" descr="{description}" />'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1" /></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="{name}" /><pic:cNvPicPr />'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel_id}">{svg}</a:blip>'
        "<a:stretch><a:fillRect /></a:stretch></pic:blipFill>"
        f'<pic:spPr><a:xfrm><a:off x="0" y="0" /><a:ext cx="{cx}" cy="{cy}" /></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst /></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
