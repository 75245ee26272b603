"""The layout filter's Typst code around blocks (templates/layout.lua).

Blocks kept together (a signature in the grid, a paragraph kept with what it leads into)
are not written one by one with the Typst writer, which costs about as much as writing a
short document each time: the code must still hold each block exactly as the writer
writes that block alone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import convert

EPOCH = 1_767_225_600  # 2026-01-01

# What the writer gives for Markdown alone: no filter of ours.
ALONE = """
local text = io.read("a")
io.write(pandoc.write(pandoc.read(text, arg[1]), "typst", { wrap_text = "none" }))
"""

CELLS = [
    "**För Exempelkommun**\n\n| Ort och datum\n| Namn",
    "",  # an empty signature block
    "Ett stycke med *kursiv* text, \\// avtal-fragment 1 och \ue0002\ue001.\n\nEtt stycke till",
    "En rad\\\nmed radbrytning",
]
LEAD_INS = [  # a paragraph, what it leads into, its indent in the Typst code
    ("Undertecknas:", "signatures", ""),  # the signing clause
    ("Parterna ska:", "list", ""),
    ("Kostnaderna fördelas så.", "table", ""),
    ("I en punkt:", "list in a list item", "  "),
]


def alone(markdown: str, tmp_path: Path) -> str:
    script = tmp_path / "alone.lua"
    script.write_text(ALONE, encoding="utf-8")
    done = subprocess.run([convert.pandoc_path(), "lua", str(script), convert.MARKDOWN],
                          input=markdown.encode(), capture_output=True, check=True)
    return done.stdout.decode()


def document(nested: bool) -> str:
    """A document with each kind of kept block; `nested`: the signatures inside a div
    (the grid is looked for among the document's own blocks first)."""
    signatures = "".join(f"::: signature\n{cell}\n:::\n" for cell in CELLS)
    signing = f"Undertecknas:\n\n::: signatures\n{signatures}:::\n"
    return (
        "# Avtal\n\nParterna ska:\n\n- samråda\n- rapportera\n\n"
        "Kostnaderna fördelas så.\n\n| Part | Andel |\n|---|---|\n| A | 1 |\n\n"
        "- en punkt\n\n    I en punkt:\n\n    - inre\n\n# Underskrifter\n\n"
        + (f"::: ram\n{signing}:::\n" if nested else signing)
    )


@pytest.fixture(scope="module", params=[False, True], ids=["top", "nested"])
def source(request: pytest.FixtureRequest) -> str:
    return convert.to_typst(document(request.param), epoch=EPOCH)


@pytest.mark.parametrize("cell", CELLS)
def test_each_signature_holds_its_blocks_as_written_alone(
    source: str, cell: str, tmp_path: Path
) -> None:
    assert f"block(breakable: false)[\n{alone(cell, tmp_path)}\n]" in source


@pytest.mark.parametrize(("paragraph", "before", "indent"), LEAD_INS)
def test_a_paragraph_kept_with_what_follows_is_written_as_alone(
    source: str, paragraph: str, before: str, indent: str, tmp_path: Path
) -> None:
    code = f"#block(sticky: true)[\n{alone(paragraph, tmp_path)}\n]"
    assert "\n".join(indent + line if line else line for line in code.split("\n")) in source


def test_no_placeholder_or_separator_is_left(source: str) -> None:
    assert source.count("\ue000") == 1  # the cell's own text, written as it is
    assert "\n// avtal-fragment" not in source
    assert source.count("\nblock(breakable: false)[\n") == len(CELLS)
