"""DOCX layout in Word and LibreOffice: the header stays on one line and no signature
block is split across two pages (the PDF from Typst keeps them whole by itself)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from buildkit import SPECS_DIR, read_yaml

from generator.convert import HEADER_LINE, fit_header

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LONG = ("Avtal om avtalssamverkan kring en gemensam familjerätt för Danderyd, Lidingö, Täby "
        "och Vaxholm")


def header_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/header1.xml").decode()
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_a_long_header_is_cut_at_a_word_with_an_ellipsis() -> None:
    values = fit_header({"header-left": LONG, "header-right": "Dnr SON 2026/0088"})
    left = values["header-left"]
    assert left.endswith("…") and LONG.startswith(left[:-1])
    assert LONG[len(left) - 1] == " " or LONG[len(left) - 1] in ","  # cut between words
    assert len(left) + len("Dnr SON 2026/0088") <= HEADER_LINE


def test_a_short_header_is_left_as_it_is() -> None:
    values = {"header-left": "Avtal om familjebehandling", "header-right": "Dnr 1"}
    assert fit_header(values) == values


def _agreements(out: Path) -> list[Path]:
    return sorted(out.rglob("avtal.docx")) + sorted(out.rglob("overenskommelse.docx"))


def test_every_built_header_fits_on_one_line(out_dir: Path) -> None:
    docs = _agreements(out_dir)
    assert docs
    for docx in docs:
        assert len(header_text(docx)) <= HEADER_LINE, docx


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice är inte installerat")
def test_libreoffice_keeps_header_and_signature_blocks_whole(
    out_dir: Path, tmp_path: Path
) -> None:
    docx = out_dir / "familjeratt-sodra-roslagen" / "avtal.docx"
    spec = read_yaml(SPECS_DIR / "familjeratt-sodra-roslagen.yaml")  # parties inlined
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/profil",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=300,
    )
    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "avtal.pdf").pages]
    dnr = f"Dnr {spec['diarienummer']}"
    for text in pages:
        first = text.splitlines()[0]
        assert dnr in first, first  # the title and the number on one line
    for party in spec["parties"]:
        where = [i for i, text in enumerate(pages) if f"För {party['name']}" in text]
        assert len(where) == 1, party["name"]
        for signatory in party["signatories"]:
            assert signatory["name"] in pages[where[0]], (party["name"], signatory["name"])
