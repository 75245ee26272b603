"""The team's letterhead in the DOCX, as in the PDF: every example repository whose
avtal.toml gives organisations is built, and each DOCX's first-page header is read from
its XML and relationships (and, where LibreOffice is installed, from its rendering)."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pypdf
import pytest
from buildkit import ROOT, W, norm, run_cli

from generator import convert

EXAMPLES = sorted(
    p.parent for p in (ROOT / "examples").glob("*/avtal.toml")
    if tomllib.loads(p.read_text(encoding="utf-8")).get("organisations")
)
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _built(example: Path, tmp: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of an example repository, built from its own folder into build/."""
    repo = tmp / example.name
    shutil.copytree(example, repo, ignore=shutil.ignore_patterns("build"))
    config = tomllib.loads((repo / "avtal.toml").read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        run = run_cli("build", "--out", repo / "build")
    assert run.code == 0, run.stdout + run.stderr
    return repo, config


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, _, name = part.rpartition("/")
    rels = ET.fromstring(archive.read(f"{folder}/_rels/{name}.rels"))
    return {r.get("Id", ""): f"{folder}/{r.get('Target')}" for r in rels.iter(PKG + "Relationship")}


def _first_header(docx: Path) -> tuple[zipfile.ZipFile, str, ET.Element] | None:
    """The first page's header part of a DOCX (its name and XML), if it has one."""
    archive = zipfile.ZipFile(docx)
    body = ET.fromstring(archive.read("word/document.xml"))
    section = list(body.iter(W + "sectPr"))[-1]
    firsts = [h for h in section.iter(W + "headerReference") if h.get(W + "type") == "first"]
    if not firsts:
        return None
    assert section.find(W + "titlePg") is not None, docx
    part = _relationships(archive, "word/document.xml")[firsts[0].get(R + "id", "")]
    return archive, part, ET.fromstring(archive.read(part))


def _pictures(archive: zipfile.ZipFile, part: str, header: ET.Element) -> list[dict[str, Any]]:
    """Each picture of a header: its PNG and SVG bytes (through the part's relationships)
    and its size in EMU."""
    rels = _relationships(archive, part)
    pictures = []
    for inline in header.iter(WP + "inline"):
        extent = inline.find(WP + "extent")
        blip = next(inline.iter(A + "blip"))
        svg = next(inline.iter(SVG + "svgBlip"), None)
        pictures.append({
            "png": archive.read(rels[blip.get(R + "embed", "")]),
            "svg": archive.read(rels[svg.get(R + "embed", "")]) if svg is not None else None,
            "size": (int(extent.get("cx", 0)), int(extent.get("cy", 0))),  # type: ignore[union-attr]
        })
    return pictures


def _text(header: ET.Element) -> str:
    return norm(" ".join(t.text or "" for t in header.iter(W + "t")))


def _check_logo(picture: dict[str, Any], logo: Path) -> None:
    width, height = convert.png_size(picture["png"])
    cx, cy = picture["size"]
    assert abs(cx / cy - width / height) < 0.02  # drawn in the logo's proportions
    if logo.suffix == ".svg":
        assert picture["svg"] == logo.read_bytes()
    else:
        assert picture["png"] == logo.read_bytes()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_party_s_documents_carry_its_letterhead(example: Path, tmp_path: Path) -> None:
    repo, config = _built(example, tmp_path)
    organisations = config["organisations"]
    checked = 0
    for docx in sorted((repo / "build").rglob("*.docx")):
        party = docx.parent.name
        if docx.stem in ("avtal", "overenskommelse"):
            continue
        found = _first_header(docx)
        if party not in organisations:
            assert found is None, docx  # no letterhead of another party's
            continue
        assert found is not None, f"{docx} har inget brevhuvud"
        archive, part, header = found
        head = organisations[party]
        text = _text(header)
        for line in head.get("name_lines", []):
            assert norm(line) in text, (docx, line)
        assert norm(head.get("address", "")) in text, docx
        assert "Dnr " in text  # the running header is there too
        pictures = _pictures(archive, part, header)
        if "logo" in head:
            assert len(pictures) == 1, docx
            _check_logo(pictures[0], repo / head["logo"])
        checked += 1
    assert checked, "inga partsdokument med brevhuvud byggdes"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_agreement_shows_each_party_s_logo(example: Path, tmp_path: Path) -> None:
    repo, config = _built(example, tmp_path)
    logos = [repo / org["logo"] for _, org in sorted(config["organisations"].items())
             if "logo" in org]
    agreements = sorted((repo / "build").rglob("avtal.docx"))
    agreements += sorted((repo / "build").rglob("overenskommelse.docx"))
    assert agreements
    for docx in agreements:
        found = _first_header(docx)
        assert found is not None, docx
        archive, part, header = found
        pictures = _pictures(archive, part, header)
        assert pictures, docx
        files = {logo.read_bytes() for logo in logos}
        for picture in pictures:
            assert (picture["svg"] or picture["png"]) in files
        assert not any(line in _text(header) for org in config["organisations"].values()
                       for line in org.get("name_lines", [])[1:])  # no one party's letterhead


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_letterhead_docx_is_the_same_twice(example: Path, tmp_path: Path) -> None:
    first, _ = _built(example, tmp_path / "a")
    second, _ = _built(example, tmp_path / "b")
    docs = sorted((first / "build").rglob("*.docx"))
    assert docs
    for docx in docs:
        twin = second / "build" / docx.relative_to(first / "build")
        assert docx.read_bytes() == twin.read_bytes(), docx


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice är inte installerat")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_libreoffice_shows_the_letterhead_on_the_first_page_only(
    example: Path, tmp_path: Path
) -> None:
    repo, config = _built(example, tmp_path)
    party, head = sorted(config["organisations"].items())[0]
    docx = next((repo / "build").rglob(f"{party}/tjansteutlatande.docx"))
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/profil",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=300,
    )
    pages = pypdf.PdfReader(tmp_path / "tjansteutlatande.pdf").pages
    first = norm(pages[0].extract_text())
    assert norm(head["address"]) in first
    if "logo" in head:  # (LibreOffice lists the first page's images on every page)
        assert len(pages[0].images) == 1
    assert all(norm(head["address"]) not in norm(p.extract_text()) for p in pages[1:])


def _markdown(front: str) -> str:
    return f"---\n{front}\ntitle: \"x\"\n---\n\nText\n"


@pytest.mark.parametrize("path", ['"\\\\/..\\\\/etc\\\\/passwd\\\\.png"', '"\\\\/saknas\\\\.svg"',
                                  '"\\\\/brevhuvud\\\\/logo\\\\.gif"'])
def test_a_logo_outside_the_project_or_missing_is_an_error(tmp_path: Path, path: str) -> None:
    with pytest.raises(convert.ConversionError, match="logotypen"):
        convert.letterhead(_markdown(f"letterhead-logo: {path}"), tmp_path)


def test_a_document_without_a_letterhead_gets_none(tmp_path: Path) -> None:
    assert not convert.letterhead(_markdown('header-left: "x"'), tmp_path)
