"""Make templates/reference.docx from pandoc's default reference document.

Run after changing the Word styles: `python scripts/make_reference_docx.py`.
It sets Swedish language, the PDF's typeface (Libertinus Serif, shipped in
templates/fonts and named in the font table so that Word can pick a like serif where it
is not installed), sizes, A4 with margins, tables ruled as in the PDF, and a header and
footer whose [[PLACEHOLDERS]] the build fills in (generator.convert._header_edit).
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zipfile
from pathlib import Path

import pypandoc

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OUT = TEMPLATES / "reference.docx"
FONT_NAME = "Libertinus Serif"
FONT_FILE = TEMPLATES / "fonts" / "LibertinusSerif-Regular.otf"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FONT = (
    f'<w:rFonts w:ascii="{FONT_NAME}" w:hAnsi="{FONT_NAME}" w:eastAsia="{FONT_NAME}" '
    f'w:cs="{FONT_NAME}" />'
)
SMALL = '<w:rPr><w:sz w:val="17" /><w:szCs w:val="17" /><w:color w:val="444444" /></w:rPr>'


def _run(text: str) -> str:
    return f'<w:r>{SMALL}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(code: str) -> str:
    return (
        f'<w:r>{SMALL}<w:fldChar w:fldCharType="begin" /></w:r>'
        f'<w:r>{SMALL}<w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        f'<w:r>{SMALL}<w:fldChar w:fldCharType="separate" /></w:r>'
        f'{_run("1")}<w:r>{SMALL}<w:fldChar w:fldCharType="end" /></w:r>'
    )


TABS = (
    '<w:tabs><w:tab w:val="center" w:pos="4536" />'
    '<w:tab w:val="right" w:pos="9072" /></w:tabs>'
)
# The running header: the title (whole, wrapping in its cell) on the left, the
# diarienummer on the right, a rule below, as in the PDF. A header ends with a paragraph;
# this one takes no room.
HEADER_CELL = '<w:tcPr><w:tcW w:w="{}" w:type="pct" />{}</w:tcPr>'
HEADER_TABLE = (
    '<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct" />'
    '<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="888888" />'
    "</w:tblBorders>"
    '<w:tblCellMar><w:top w:w="0" w:type="dxa" /><w:left w:w="0" w:type="dxa" />'
    '<w:bottom w:w="60" w:type="dxa" /><w:right w:w="0" w:type="dxa" /></w:tblCellMar>'
    '<w:tblLook w:val="0000" /></w:tblPr>'
    '<w:tblGrid><w:gridCol w:w="6804" /><w:gridCol w:w="2268" /></w:tblGrid><w:tr>'
    f'<w:tc>{HEADER_CELL.format(3750, "")}<w:p><w:pPr><w:spacing w:after="0" />'
    f"<w:ind w:right=\"170\" /></w:pPr>{_run('[[HEADER-LEFT]]')}</w:p></w:tc>"
    f'<w:tc>{HEADER_CELL.format(1250, "<w:noWrap />")}<w:p><w:pPr><w:spacing w:after="0" />'
    f'<w:jc w:val="right" /></w:pPr>{_run("[[HEADER-RIGHT]]")}</w:p></w:tc>'
    "</w:tr></w:tbl>"
)
HEADER_END = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact" />'
    '<w:rPr><w:sz w:val="4" /></w:rPr></w:pPr></w:p>'
)
HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W} {R}>'
    f"{HEADER_TABLE}{HEADER_END}</w:hdr>"
)
FOOTER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}>'
    f'<w:p><w:pPr><w:pStyle w:val="Footer" />{TABS}</w:pPr>'
    f"{_run('[[FOOTER-LEFT]]')}<w:r><w:tab /></w:r>"
    f"{_run('Sida ')}{_field('PAGE')}{_run(' av ')}{_field('NUMPAGES')}"
    f"<w:r><w:tab /></w:r>{_run('[[FOOTER-RIGHT]]')}</w:p></w:ftr>"
)
SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdAvtalHeader" />'
    '<w:footerReference w:type="default" r:id="rIdAvtalFooter" />'
    '<w:footnotePr><w:numRestart w:val="eachSect" /></w:footnotePr>'
    '<w:pgSz w:w="11906" w:h="16838" />'
    '<w:pgMar w:top="1701" w:right="1417" w:bottom="1417" w:left="1417" '
    'w:header="709" w:footer="567" w:gutter="0" /></w:sectPr>'
)


def _style(styles: str, style_id: str, rpr: str, ppr: str = "") -> str:
    pattern = re.compile(
        rf'(<w:style [^>]*w:styleId="{style_id}".*?)(<w:rPr>.*?</w:rPr>)?'
        r"(\s*</w:style>)",
        re.S,
    )
    match = pattern.search(styles)
    if match is None:
        raise SystemExit(f"style {style_id} not found")
    body = re.sub(r"<w:pPr>.*?</w:pPr>", ppr, match.group(1), flags=re.S) if ppr else match.group(1)
    return styles[: match.start()] + body + rpr + match.group(3) + styles[match.end() :]


# Tables as in the PDF: a thin grey rule under every row, a black one under the header
# row, 9,5 pt text. The signature blocks (layout.lua) are a table without rules.
RULE = '<w:{} w:val="single" w:sz="{}" w:space="0" w:color="{}" />'
TABLE = (
    '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table" />'
    '<w:basedOn w:val="TableNormal" /><w:qFormat /><w:rPr><w:sz w:val="19" />'
    '<w:szCs w:val="19" /></w:rPr><w:tblPr><w:tblInd w:w="0" w:type="dxa" />'
    f'<w:tblBorders>{RULE.format("bottom", 2, "999999")}{RULE.format("insideH", 2, "999999")}'
    "</w:tblBorders><w:tblCellMar>"
    '<w:top w:w="40" w:type="dxa" /><w:left w:w="100" w:type="dxa" />'
    '<w:bottom w:w="40" w:type="dxa" /><w:right w:w="100" w:type="dxa" />'
    '</w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b /></w:rPr>'
    f'<w:tcPr><w:tcBorders>{RULE.format("bottom", 6, "000000")}</w:tcBorders>'
    '<w:vAlign w:val="bottom" /></w:tcPr></w:tblStylePr></w:style>'
    '<w:style w:type="table" w:customStyle="1" w:styleId="Underskrifter">'
    '<w:name w:val="Underskrifter" /><w:basedOn w:val="TableNormal" /><w:qFormat />'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa" /><w:tblCellMar>'
    '<w:left w:w="0" w:type="dxa" /><w:right w:w="284" w:type="dxa" /></w:tblCellMar>'
    "</w:tblPr></w:style>"
)


def styles_xml(styles: str) -> str:
    """Swedish, Libertinus Serif 11 pt justified, black bold headings, a left-aligned
    title, ruled tables."""
    styles = styles.replace('w:val="en-US" w:eastAsia="zh-CN"', 'w:val="sv-SE" w:eastAsia="sv-SE"')
    styles = re.sub(r'<w:rFonts w:asciiTheme="minorHAnsi"[^>]*/>', FONT, styles, count=1)
    styles = styles.replace(
        '<w:sz w:val="24" />\n        <w:szCs w:val="24" />',
        '<w:sz w:val="22" />\n        <w:szCs w:val="22" />',
        1,
    )
    heading = f'<w:rPr>{FONT}<w:b /><w:color w:val="000000" /><w:sz w:val="{{}}" /></w:rPr>'
    styles = _style(
        styles,
        "Heading1",
        heading.format(25),
        '<w:pPr><w:keepNext /><w:keepLines /><w:spacing w:before="320" w:after="100" />'
        '<w:outlineLvl w:val="0" /></w:pPr>',
    )
    styles = _style(styles, "Heading2", heading.format(22))
    styles = _style(
        styles, "Title", heading.format(34), '<w:pPr><w:spacing w:after="80" /></w:pPr>'
    )
    styles = _style(
        styles,
        "Subtitle",
        f'<w:rPr>{FONT}<w:sz w:val="25" /></w:rPr>',
        '<w:pPr><w:spacing w:after="240" /></w:pPr>',
    )
    styles = styles.replace(
        '<w:spacing w:before="180" w:after="180" />',
        '<w:spacing w:before="0" w:after="160" /><w:jc w:val="both" />',
        1,
    )
    table = re.compile(r'<w:style w:type="table" w:default="1" w:styleId="Table">.*?</w:style>',
                       re.S)
    if table.search(styles) is None:
        raise SystemExit("style Table not found")
    return table.sub(TABLE, styles, count=1)


def font_xml(fonts: str) -> str:
    """The font table names the typeface with its family, pitch and Unicode ranges (read
    from the font file), so that Word can pick a like serif where it is not installed."""
    usb, csb = _font_ranges(FONT_FILE.read_bytes())
    sig = "".join(f' w:usb{i}="{v:08X}"' for i, v in enumerate(usb))
    sig += "".join(f' w:csb{i}="{v:08X}"' for i, v in enumerate(csb))
    entry = (
        f'<w:font w:name="{FONT_NAME}"><w:altName w:val="Linux Libertine" />'
        '<w:charset w:val="00" /><w:family w:val="roman" /><w:pitch w:val="variable" />'
        f"<w:sig{sig} /></w:font>"
    )
    return fonts.replace("</w:fonts>", entry + "</w:fonts>")


def _font_ranges(font: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """ulUnicodeRange1-4 and ulCodePageRange1-2 of an OpenType font's OS/2 table."""
    (count,) = struct.unpack(">H", font[4:6])
    for i in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", font[12 + 16 * i : 28 + 16 * i])
        if tag == b"OS/2":
            table = font[offset:]
            return struct.unpack(">4I", table[42:58]), struct.unpack(">2I", table[78:86])
    raise SystemExit(f"{FONT_FILE} has no OS/2 table")


def settings_xml(settings: str) -> str:
    """Hyphenate, as the PDF does (Swedish compounds leave gaps in justified lines), and
    leave a justified line that ends in a line break as it is, not spread out."""
    tab = '<w:defaultTabStop w:val="720" />'
    if tab not in settings or "<w:rsids>" not in settings:
        raise SystemExit("defaultTabStop or rsids not found in settings.xml")
    settings = settings.replace(tab, tab + "\n  <w:autoHyphenation />", 1)
    compat = "<w:compat><w:doNotExpandShiftReturn /></w:compat>\n  "
    return settings.replace("<w:rsids>", compat + "<w:rsids>", 1)


def build(default: bytes) -> bytes:
    """The reference document: pandoc's default with our styles, header and footer."""
    source = zipfile.ZipFile(io.BytesIO(default))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info).decode()
            if info.filename == "word/styles.xml":
                data = styles_xml(data)
            elif info.filename == "word/fontTable.xml":
                data = font_xml(data)
            elif info.filename == "word/settings.xml":
                data = settings_xml(data)
            elif info.filename == "word/document.xml":
                data = re.sub(r"<w:sectPr>.*?</w:sectPr>", SECTION, data, flags=re.S)
            elif info.filename == "word/_rels/document.xml.rels":
                rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Type="{rel}/header" Id="rIdAvtalHeader" '
                    'Target="header1.xml" />'
                    f'<Relationship Type="{rel}/footer" Id="rIdAvtalFooter" '
                    'Target="footer1.xml" /></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                kind = "application/vnd.openxmlformats-officedocument.wordprocessingml"
                data = data.replace(
                    "</Types>",
                    f'<Override PartName="/word/header1.xml" ContentType="{kind}.header+xml" />'
                    f'<Override PartName="/word/footer1.xml" ContentType="{kind}.footer+xml" />'
                    "</Types>",
                )
            target.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data)
        target.writestr(zipfile.ZipInfo("word/header1.xml", (1980, 1, 1, 0, 0, 0)), HEADER)
        target.writestr(zipfile.ZipInfo("word/footer1.xml", (1980, 1, 1, 0, 0, 0)), FOOTER)
    return out.getvalue()


def main() -> None:
    """Write templates/reference.docx."""
    pandoc = pypandoc.get_pandoc_path()
    default = subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    OUT.write_bytes(build(default))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
