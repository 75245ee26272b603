"""Every field a spec fills reaches a sentence of its documents, or is listed with a
reason in tests/unread_fields.txt: a fact the spec states and the documents drop
(target_group.age_min in an avtalssamverkan, a contact person's name, the case
officer's e-mail) is found by what the documents read, not by a template's wording."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from buildkit import FIXTURE, ROOT, SPECS_DIR

from generator.documents import documents
from generator.load import walk
from generator.parties import folder_source
from generator.pipeline import read_and_validate

LISTED = ROOT / "tests" / "unread_fields.txt"
SPECS_READ = [*sorted(SPECS_DIR.glob("*.yaml")), FIXTURE]


def _listed() -> dict[str, str]:
    rows = [line.split(" | ", 1) for line in LISTED.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {path.strip(): why.strip() for path, why in rows}


def _leaves(data: Any) -> Iterator[tuple[str, Any]]:
    """Every value of the spec that is no mapping or list, with its pointer."""
    return ((p, v) for p, v in walk(data) if not isinstance(v, (dict, list)))


def _value(data: Any, pointer: str) -> Any:
    for key in pointer.split("/")[1:]:
        data = data[int(key)] if isinstance(data, list) else data.get(key)
    return data


def unread(path: Path) -> set[str]:
    """The spec's filled fields (as paths with * for indexes) no sentence reads. A list
    of plain values read whole counts for its items; a false flag says there is none."""
    spec, issues = read_and_validate(path, parties=folder_source(path.parent.parent / "parties"))
    assert spec is not None, issues
    read = {p for doc in documents(spec)[0] for s in doc.sentences for p in s.pointers}
    lists = {r for r in read if isinstance(v := _value(spec.data, r), list)
             and not any(isinstance(x, (dict, list)) for x in v)}
    return {
        re.sub(r"/\d+", "/*", leaf)
        for leaf, value in _leaves(spec.data)
        if value is not False and leaf not in read
        and not any(leaf.startswith(r + "/") for r in lists)
    }


@pytest.mark.parametrize("path", SPECS_READ, ids=lambda p: p.stem)
def test_every_filled_field_reaches_a_sentence(path: Path) -> None:
    dropped = sorted(unread(path) - set(_listed()))
    assert not dropped, (
        "fält som specifikationen fyller i men som ingen mening i dokumenten bygger på; "
        f"skriv ut dem, eller lägg till dem med skäl i {LISTED.name}: {dropped}")


def test_the_list_names_only_fields_some_spec_leaves_unread() -> None:
    seen = set().union(*(unread(p) for p in SPECS_READ))
    stale = sorted(set(_listed()) - seen)
    assert not stale, f"ta bort ur {LISTED.name}, dokumenten läser dem nu: {stale}"
