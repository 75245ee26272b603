"""The DOCX as the PDF: the whole title in the header, one typeface, tables ruled and
sized by what they hold, each document's own core properties, and no signature block
split across two pages. Asserted on the WordprocessingML itself, and on LibreOffice's
rendering where LibreOffice is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pypdf
import pytest
from buildkit import ROOT, SPECS_DIR, W, docx_part, norm, paragraph_text, read_yaml

from generator.convert import TYPST_TEMPLATE
from generator.render import TEMPLATES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
FONT = "Libertinus Serif"
TEXT_WIDTH = 11906 - 2 * 1417  # A4 less the reference document's margins, in twips


def _agreements(out: Path) -> list[Path]:
    return sorted(out.rglob("avtal.docx")) + sorted(out.rglob("overenskommelse.docx"))


def _reports(out: Path) -> list[Path]:
    return sorted(out.rglob("tjansteutlatande.docx"))


def _cells(row: ET.Element) -> list[str]:
    return ["".join(paragraph_text(p) for p in tc.iter(W + "p")) for tc in row.iter(W + "tc")]


def _registered(pattern: str) -> set[str]:
    """The values a pattern finds in the HVB spec and the party registry."""
    files = [SPECS_DIR / "hvb-ostergotland.yaml", *sorted((ROOT / "parties").glob("*.yaml"))]
    return {v for f in files for v in re.findall(pattern, f.read_text(encoding="utf-8"))}


def _core(docx: Path) -> ET.Element:
    return docx_part(docx, "docProps/core.xml")


def test_the_header_holds_the_whole_title_in_a_cell_of_its_own(out_dir: Path) -> None:
    docs = _agreements(out_dir)
    assert docs
    for docx in docs:
        title = norm(_core(docx).findtext(DC + "title") or "")
        row = docx_part(docx, "word/header1.xml").find(f"{W}tbl/{W}tr")
        assert row is not None, docx
        left, right = _cells(row)
        assert norm(left) == title and "…" not in left, docx
        assert right == "" or right.startswith("Dnr "), docx


def test_one_typeface_in_pdf_and_docx(out_dir: Path) -> None:
    """Libertinus Serif: shipped with its licence, set in the reference document and its
    font table, and the face typst sets and embeds."""
    fonts = TEMPLATES / "fonts"
    assert (fonts / "LibertinusSerif-Regular.otf").is_file()
    assert "SIL Open Font License" in (fonts / "Libertinus-OFL.txt").read_text(encoding="utf-8")
    assert f'font: ("{FONT}"' in TYPST_TEMPLATE.read_text(encoding="utf-8")
    docx = _agreements(out_dir)[0]
    styles = docx_part(docx, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert default is not None and default.get(W + "ascii") == FONT
    named = {f.get(W + "name"): f for f in docx_part(docx, "word/fontTable.xml")}
    assert named[FONT].find(W + "family").get(W + "val") == "roman"  # type: ignore[union-attr]
    faces = {
        str(font.get_object()["/BaseFont"])
        for page in pypdf.PdfReader(docx.with_suffix(".pdf")).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("LibertinusSerif" in face for face in faces), faces


def test_tables_are_ruled_and_the_signatures_are_not(out_dir: Path) -> None:
    docx = _agreements(out_dir)[0]
    styles = {s.get(W + "styleId"): s for s in docx_part(docx, "word/styles.xml")}
    ruled = styles["Table"].find(f"{W}tblPr/{W}tblBorders/{W}insideH")
    assert ruled is not None and ruled.get(W + "val") == "single"
    assert styles["Underskrifter"].find(f"{W}tblPr/{W}tblBorders") is None
    tables = list(docx_part(docx, "word/document.xml").iter(W + "tbl"))
    kinds = [t.find(f"{W}tblPr/{W}tblStyle").get(W + "val") for t in tables]  # type: ignore[union-attr]
    assert "Underskrifter" in kinds and "Table" in kinds


def test_tables_fill_the_text_width_and_fit_their_contents(out_dir: Path) -> None:
    """No fixed layout; the grid spans the text width; in the contact table of the HVB
    agreement the telephone and e-mail columns are wide enough for their longest entry
    (at about 80 twips a character of 9,5 pt text)."""
    for docx in _agreements(out_dir):
        body = docx_part(docx, "word/document.xml")
        for table in body.iter(W + "tbl"):
            layout = table.find(f"{W}tblPr/{W}tblLayout")
            assert layout is None or layout.get(W + "type") != "fixed", docx
            grid = [int(c.get(W + "w", 0)) for c in table.iter(W + "gridCol")]
            assert TEXT_WIDTH - len(grid) <= sum(grid) <= TEXT_WIDTH, (docx, grid)
    docx = out_dir / "hvb-ostergotland" / "avtal.docx"
    for table in docx_part(docx, "word/document.xml").iter(W + "tbl"):
        rows = [_cells(r) for r in table.iter(W + "tr")]
        if "Telefon" not in rows[0]:
            continue
        grid = [int(c.get(W + "w", 0)) for c in table.iter(W + "gridCol")]
        for name in ("Telefon", "E-post"):
            j = rows[0].index(name)
            longest = max(len(row[j]) for row in rows[1:])
            assert grid[j] >= 80 * longest, (name, grid, longest)
        break
    else:
        pytest.fail("ingen kontakttabell i HVB-avtalet")


def test_references_and_telephone_numbers_keep_together_in_every_format(out_dir: Path) -> None:
    """No ordinary space inside "9 kap. 37 §" or a telephone number: in the Markdown, in
    the DOCX text and in the PDF (typst keeps a no-break space as one)."""
    broken = re.compile(r"\d kap\.|kap\. \d|\d §|§ \d|\b0\d{1,3}-\d+ \d")
    md = (out_dir / "hvb-ostergotland" / "avtal.md").read_text(encoding="utf-8")
    body = md.split("\n---\n", 1)[1]
    text = "\n".join(line for line in body.splitlines() if not line.startswith("#"))
    text = re.sub(r"\\(.)", r"\1", text)  # punctuation from the spec is escaped
    assert "kap.\u00a0" in text and "\u00a0§" in text
    assert not broken.search(text), broken.search(text)
    docx = out_dir / "hvb-ostergotland" / "avtal.docx"
    words = "".join(t.text or "" for t in docx_part(docx, "word/document.xml").iter(W + "t"))
    phones = _registered(r"phone: (0[\d -]+\d)")
    assert any(phone.replace(" ", "\u00a0") in words for phone in phones)
    assert not any(phone in words for phone in phones)
    for report in _reports(out_dir / "hvb-ostergotland"):
        xml = docx_part(report, "word/document.xml")
        paragraphs = [paragraph_text(p) for p in xml.iter(W + "p")]
        assert not any(broken.search(p) for p in paragraphs if "§" in p or "kap" in p), report


def test_each_report_and_decision_has_its_own_core_properties(out_dir: Path) -> None:
    """A staff report's title is "Tjänsteutlåtande: …" and its date the report's own (the
    Datum row of its table); a decision's date is its meeting's (Sammanträdesdatum)."""
    reports = _reports(out_dir)
    assert reports
    for report in reports:
        core = _core(report)
        title = core.findtext(DC + "title") or ""
        assert title.startswith("Tjänsteutlåtande: "), report
        rows = [_cells(r) for r in docx_part(report, "word/document.xml").iter(W + "tr")]
        day = next(cells[1] for cells in rows if cells and cells[0] == "Datum")
        assert (core.findtext(DCTERMS + "created") or "").startswith(day), report
        decision = report.with_name("beslut.docx")
        core = _core(decision)
        assert (core.findtext(DC + "title") or "").startswith("Förslag till beslut: ")
        rows = [_cells(r) for r in docx_part(decision, "word/document.xml").iter(W + "tr")]
        meeting = next(cells[1] for cells in rows if cells and cells[0] == "Sammanträdesdatum")
        assert (core.findtext(DCTERMS + "created") or "").startswith(meeting), decision


def _libreoffice_pdf(docx: Path, folder: Path) -> list[str]:
    """The page texts of LibreOffice's PDF of a DOCX."""
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{folder}/profil",
         "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True, capture_output=True, timeout=300,
    )
    return [p.extract_text() for p in pypdf.PdfReader(folder / f"{docx.stem}.pdf").pages]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice är inte installerat")
def test_libreoffice_keeps_header_and_signature_blocks_whole(
    out_dir: Path, tmp_path: Path
) -> None:
    docx = out_dir / "familjeratt-sodra-roslagen" / "avtal.docx"
    spec = read_yaml(SPECS_DIR / "familjeratt-sodra-roslagen.yaml")  # parties inlined
    pages = _libreoffice_pdf(docx, tmp_path)
    dnr = f"Dnr {spec['diarienummer']}"
    for text in pages:
        top = norm(" ".join(text.splitlines()[:3]))
        assert dnr in top, top  # the title and the number at the top of every page
    for party in spec["parties"]:
        where = [i for i, text in enumerate(pages) if f"För {party['name']}" in text]
        assert len(where) == 1, party["name"]
        for signatory in party["signatories"]:
            assert signatory["name"] in pages[where[0]], (party["name"], signatory["name"])


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice är inte installerat")
def test_libreoffice_breaks_no_telephone_number_or_e_mail_address(
    out_dir: Path, tmp_path: Path
) -> None:
    docx = out_dir / "hvb-ostergotland" / "avtal.docx"
    lines = [norm(line) for page in _libreoffice_pdf(docx, tmp_path) for line in page.splitlines()]
    phones, emails = _registered(r"phone: (0[\d -]+\d)"), _registered(r"email: (\S+@\S+)")
    shown = "\n".join(lines)
    for token in phones | emails:
        if token in shown.replace("\n", " "):  # the document shows it: on one line
            assert token in shown, token


def test_the_docx_is_the_same_twice(tmp_path: Path) -> None:
    from buildkit import run_cli

    spec = SPECS_DIR / "hvb-ostergotland.yaml"
    for name in ("a", "b"):
        assert run_cli("build", "--format", "docx", "--out", tmp_path / name, spec).code == 0
    for first in sorted((tmp_path / "a").rglob("*.docx")):
        second = tmp_path / "b" / first.relative_to(tmp_path / "a")
        assert first.read_bytes() == second.read_bytes(), first
        with zipfile.ZipFile(first) as archive:
            assert archive.testzip() is None


def test_a_signature_line_only_where_the_parties_sign_on_paper(out_dir: Path) -> None:
    """Review X-19: an electronic signature has no line to sign on; a paper one has one per
    signatory. Read from the DOCX signature table of every example agreement."""
    methods = set()
    for spec_path in sorted(SPECS_DIR.glob("*.yaml")):
        spec = read_yaml(spec_path)
        method = spec["signing"]["method"]
        methods.add(method == "digital")
        for docx in _agreements(out_dir / spec["id"]):
            tables = [t for t in docx_part(docx, "word/document.xml").iter(W + "tbl")
                      if t.find(f"{W}tblPr/{W}tblStyle").get(W + "val") == "Underskrifter"]  # type: ignore[union-attr]
            assert len(tables) == 1, docx
            text = "".join(t.text or "" for t in tables[0].iter(W + "t"))
            if method == "digital":
                assert "Datum enligt elektronisk underskrift" in text and "___" not in text, docx
            else:
                assert "_" * 10 in text, docx
    assert methods == {True, False}, "exemplen ska signeras både elektroniskt och på papper"
