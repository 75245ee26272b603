"""Make templates/reference.docx from pandoc's default reference document.

Run after changing the Word styles: `python scripts/make_reference_docx.py`.
It sets Swedish language, fonts and sizes, A4 with margins, and a header and footer
whose [[PLACEHOLDERS]] the build fills in (generator.convert.fill_header).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pypandoc

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
FONT = '<w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:eastAsia="Georgia" w:cs="Georgia" />'
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
HEADER_TABS = (
    '<w:tabs><w:tab w:val="clear" w:pos="4536" /><w:tab w:val="clear" w:pos="4680" />'
    '<w:tab w:val="clear" w:pos="9360" /><w:tab w:val="right" w:pos="9072" /></w:tabs>'
)
HEADER = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W} {R}>'
    f'<w:p><w:pPr><w:pStyle w:val="Header" />{HEADER_TABS}'
    '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="888888" /></w:pBdr>'
    f"</w:pPr>{_run('[[HEADER-LEFT]]')}<w:r><w:tab /></w:r>"
    f"{_run('[[HEADER-RIGHT]]')}</w:p></w:hdr>"
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


def styles_xml(styles: str) -> str:
    """Swedish, Georgia 11 pt, black bold headings, a left-aligned title."""
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
    return styles.replace(
        '<w:spacing w:before="180" w:after="180" />', '<w:spacing w:before="0" w:after="160" />', 1
    )


def build(default: bytes) -> bytes:
    """The reference document: pandoc's default with our styles, header and footer."""
    source = zipfile.ZipFile(io.BytesIO(default))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            data = source.read(info).decode()
            if info.filename == "word/styles.xml":
                data = styles_xml(data)
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
