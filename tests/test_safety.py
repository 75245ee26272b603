"""What a spec must not be able to do: smuggle raw output code in through a Markdown
field, or overwrite another spec's documents by sharing its id."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "valid.yaml"

RAW_CLAUSE = """additional_clauses:
  - id: ra
    heading: Rå kod
    after: parter
    text: |-
      Inledning `#set page(width: 3cm)`{=typst} mitt.

      ```{=typst}
      #set text(fill: red)
      #place(dx: 0pt)[SMUGGLAT]
      ```

      ```{=openxml}
      <w:p><w:r><w:t>SMUGGLAT</w:t></w:r></w:p>
      ```

      Avslutning <b>fet</b>.
"""


@pytest.fixture(scope="module")
def raw_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    spec = folder / "raw.yaml"
    spec.write_text(FIXTURE.read_text(encoding="utf-8") + RAW_CLAUSE, encoding="utf-8")
    out = folder / "build"
    assert main(["build", "--format", "pdf,docx,md", "--out", str(out), str(spec)]) == 0
    return out / "mini-maria-2026"


def test_raw_typst_in_a_markdown_field_is_shown_not_run(raw_build: Path) -> None:
    reader = PdfReader(raw_build / "avtal.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "#set page(width: 3cm)" in text  # printed literally …
    widths = {round(float(page.mediabox.width)) for page in reader.pages}
    assert widths == {595}  # … and every page is still A4
    assert "#place(dx: 0pt)[SMUGGLAT]" in " ".join(text.split())


def test_raw_openxml_in_a_markdown_field_is_shown_not_inserted(raw_build: Path) -> None:
    xml = zipfile.ZipFile(raw_build / "avtal.docx").read("word/document.xml").decode()
    assert "&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;SMUGGLAT" in xml  # escaped text, not markup
    assert "<w:t>SMUGGLAT</w:t>" not in xml
    assert "&lt;b&gt;fet&lt;/b&gt;" in xml


def test_a_second_spec_with_the_same_id_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    second.write_text(
        FIXTURE.read_text(encoding="utf-8").replace(
            "title: Avtal om", "title: Ett annat avtal om", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "build"
    assert main(["build", "--format", "md", "--out", str(out), str(first), str(second)]) == 1
    err = capsys.readouterr().err
    line = next(
        n for n, text in enumerate(second.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("id:")
    )
    assert f"{second}:{line}:5: /id: [id] id ”mini-maria-2026” används redan av {first}" in err
    built = (out / "mini-maria-2026" / "avtal.md").read_text(encoding="utf-8")
    assert "Ett annat avtal" not in built  # the first spec's documents are intact
    # check says it too: a pre-commit hook or a CI step that runs check alone
    assert main(["check", str(first), str(second)]) == 1
    said = capsys.readouterr().out
    assert f"{second}:{line}:5: /id: [id] id ”mini-maria-2026” används redan av {first}" in said
