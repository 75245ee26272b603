"""Every block a template means stays a block: a heading, a list item or a table row
written on the line after a paragraph, with no blank line between, is read by pandoc as
more words of that paragraph (”… invånarna ## Syfte och målgrupp” in every staff report
once). Each built document of the examples and of the fresh agreements is parsed as the
converter parses it, and no paragraph may hold a line that starts like a block."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypandoc
import pytest
from buildkit import run_cli

from generator.convert import MARKDOWN
from generator.render import blocks_apart

FIXTURES = Path(__file__).parent / "fixtures"
FRESH = [*sorted(FIXTURES.glob("fresh-*.yaml")), FIXTURES / "valid.yaml"]
# A line that starts a block of its own: a heading, a list item, a table row.
BLOCK_START = re.compile(r"^(?:#{1,6}|[-*+]|\d+[.)]|\|.*)$")


def _swallowed(inlines: list[dict[str, Any]]) -> Iterator[str]:
    """The words after each soft break of a paragraph that begin a block."""
    for before, token in itertools.pairwise(inlines):
        if before["t"] == "SoftBreak" and token["t"] == "Str" and BLOCK_START.match(token["c"]):
            yield token["c"]


def _paragraphs(node: Any) -> Iterator[list[dict[str, Any]]]:
    """The inlines of every paragraph of a pandoc AST, at any depth."""
    if isinstance(node, dict):
        if node.get("t") in ("Para", "Plain"):
            yield node["c"]
        for value in node.values():
            yield from _paragraphs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _paragraphs(item)


def merged_blocks(markdown: str) -> list[str]:
    """What of the Markdown pandoc read as paragraph words though it starts a block."""
    ast = json.loads(pypandoc.convert_text(markdown, "json", format=MARKDOWN))
    return [word for inlines in _paragraphs(ast["blocks"]) for word in _swallowed(inlines)]


def _documents(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.md"))}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blocks")
    run = run_cli("build", "--format", "md", "--out", out, *FRESH)
    assert run.code == 0, run.stderr
    return out


def test_the_detector_finds_a_heading_a_list_and_a_table_run_into_a_paragraph() -> None:
    assert merged_blocks("Text.\n## Rubrik\n\nText.\n- punkt\n\nText.\n| a | b |\n") == \
        ["##", "-", "|"]
    assert merged_blocks("Text.\n\n## Rubrik\n\nText.\n\n- punkt\n- punkt\n") == []


@pytest.mark.parametrize("where", ["examples", "fresh"])
def test_no_block_of_a_built_document_runs_into_a_paragraph(
    where: str, out_dir: Path, fresh: Path
) -> None:
    documents = _documents(out_dir if where == "examples" else fresh)
    assert len(documents) > 20
    found = {name: words for name, text in documents.items() if (words := merged_blocks(text))}
    assert found == {}


def test_render_sets_a_heading_apart_from_the_paragraph_before_it() -> None:
    text = "Första stycket.\n## Rubrik\nText under.\n\n```\nkod\n# ingen rubrik\n```\n"
    assert blocks_apart(text) == (
        "Första stycket.\n\n## Rubrik\nText under.\n\n```\nkod\n# ingen rubrik\n```\n")
    assert merged_blocks(blocks_apart("Text.\n## Rubrik\n")) == []
