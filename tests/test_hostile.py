"""Hostile strings: spec text that looks like markup stays text in every format.

A copy of the fixture gets a party name full of Markdown, HTML, LaTeX, Jinja and Typst
syntax, emoji and right-to-left script, and a 10 000-character field. The documents must
show all of it literally and otherwise be the same as the unmodified fixture's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from buildkit import (
    FIXTURE,
    W,
    docx_headings,
    docx_paragraphs,
    docx_part,
    md_headings,
    norm,
    paragraph_text,
    pdf_has,
    pdf_nfkc,
    read_pdf,
    run_cli,
)

from generator.render import escape

PLAIN_NAME = "Stockholms stad"
LTR = r"Täby *fet* #rubrik <b>x</b> $x$ \textbf{y} {{ namn }} #set page(width: 1cm) 😀"
HEBREW, ARABIC = "שלום", "مرحبا"
NAME = f"{LTR} {HEBREW} {ARABIC}"
PLAIN_LONG = "Varje part har arbetsmiljöansvar för sin egen personal."
# 1250 numbered words: easy to find in order in the PDF, whatever the line breaks.
LONG = " ".join(f"ord{i:04d}" for i in range(1, 1251)) + "."
SPEC_ID = "mini-maria-2026"
FORMATS = "md,pdf,docx"


def _hostile_text() -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(f"name: {PLAIN_NAME}\n") == 1
    assert text.count(f"work_environment: {PLAIN_LONG}\n") == 1
    text = text.replace(f"name: {PLAIN_NAME}\n", f"name: {json.dumps(NAME, ensure_ascii=False)}\n")
    return text.replace(f"work_environment: {PLAIN_LONG}\n",
                        f"work_environment: {json.dumps(LONG)}\n")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile spec and the unmodified fixture, each built in md, pdf and docx."""
    base = tmp_path_factory.mktemp("hostile")
    spec = base / "hostile.yaml"
    spec.write_text(_hostile_text(), encoding="utf-8")
    folders = []
    for name, path in (("hostile", spec), ("plain", FIXTURE)):
        run = run_cli("build", "--format", FORMATS, "--out", base / name, path)
        assert run.code == 0, run.stderr
        folders.append(base / name / SPEC_ID)
    return folders[0], folders[1]


def test_long_field_is_long() -> None:
    assert len(LONG) == 10_000
    assert len(NAME) > len(LTR) + 8


def test_markdown_differs_only_in_the_two_fields(outputs: tuple[Path, Path]) -> None:
    hostile, plain = (d / "avtal.md" for d in outputs)
    text = hostile.read_text(encoding="utf-8")
    assert escape(NAME) in text and escape(LONG) in text
    back = text.replace(escape(NAME), escape(PLAIN_NAME)).replace(escape(LONG), escape(PLAIN_LONG))
    assert back == plain.read_text(encoding="utf-8")


def test_pdf_shows_the_name_literally(outputs: tuple[Path, Path]) -> None:
    text = read_pdf(outputs[0] / "avtal.pdf").text
    assert pdf_has(text, LTR), "namnet står inte ordagrant i PDF:en"
    folded = pdf_nfkc(text)
    for word in (HEBREW, ARABIC):  # extraction order of right-to-left text may differ
        assert set(word) <= set(folded), word
    assert "{{" in text and "\\textbf" in text and "<b>" in text


def test_pdf_markup_has_no_effect(outputs: tuple[Path, Path]) -> None:
    hostile, plain = read_pdf(outputs[0] / "avtal.pdf"), read_pdf(outputs[1] / "avtal.pdf")
    assert hostile.outline == plain.outline, "en rubrik tillkom eller försvann"
    assert not any("rubrik" in title for title in hostile.outline)
    assert all(abs(w - 595.28) < 1 for w in hostile.widths), "#set page fick verkan"
    # The long field adds a page or two, not the hundreds a 1 cm page would.
    assert len(plain.pages) <= len(hostile.pages) <= len(plain.pages) + 3


def test_pdf_shows_the_long_field_whole(outputs: tuple[Path, Path]) -> None:
    text = read_pdf(outputs[0] / "avtal.pdf").text
    words = re.findall(r"ord(\d{4})", text)
    assert [int(w) for w in words] == list(range(1, 1251))


def test_docx_shows_both_fields_literally(outputs: tuple[Path, Path]) -> None:
    paragraphs = [text for _, text in docx_paragraphs(outputs[0] / "avtal.docx")]
    body = "\n".join(paragraphs)
    assert f"{NAME}, organisationsnummer" in body
    assert f"{NAME} är uppdragstagare" in body
    assert LONG in paragraphs


def test_docx_markup_has_no_effect(outputs: tuple[Path, Path]) -> None:
    hostile, plain = (d / "avtal.docx" for d in outputs)
    assert docx_headings(hostile) == docx_headings(plain)
    for style in ("Heading2", "Heading3"):
        assert docx_headings(hostile, style) == docx_headings(plain, style)
    # Outside the bold party list the name is plain text: no run of it is bold or italic.
    body = docx_part(hostile, "word/document.xml")
    found = 0
    for p in body.iter(W + "p"):
        if not paragraph_text(p).startswith(f"{NAME} är"):
            continue
        for run in p.iter(W + "r"):
            text = "".join(t.text or "" for t in run.iter(W + "t"))
            if text and text in NAME:
                found += 1
                props = run.find(W + "rPr")
                marks = [] if props is None else [c.tag for c in props]
                assert W + "b" not in marks and W + "i" not in marks, (text, marks)
    assert found
    assert "[[" not in norm("".join(t.text or "" for t in
                                    docx_part(hostile, "word/header1.xml").iter(W + "t")))


def test_heading_counts_match_the_unmodified_spec(outputs: tuple[Path, Path]) -> None:
    hostile, plain = (md_headings((d / "avtal.md").read_text(encoding="utf-8"))
                      for d in outputs)
    assert hostile == plain
