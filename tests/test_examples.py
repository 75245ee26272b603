"""Every example spec under specs/ validates without a single issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import read_and_validate

SPECS = Path(__file__).resolve().parent.parent / "specs"
EXAMPLES = sorted(SPECS.glob("*.yaml"))


def test_there_are_at_least_four_examples() -> None:
    assert len(EXAMPLES) >= 4, f"specs/ ska ha minst fyra exempel, har {len(EXAMPLES)}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_valid(path: Path) -> None:
    spec, issues = read_and_validate(path)
    assert spec is not None
    assert [f"{i.location}: {i.location.pointer}: {i.message}" for i in issues] == []
