"""Every field of the schema is printed by a template, or listed with a reason in
tests/unprinted_fields.txt: a field the documents silently drop (economics.price_adjustment
was one) cannot come back unnoticed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from buildkit import ROOT

LISTED = ROOT / "tests" / "unprinted_fields.txt"


def _names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            yield from _names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _names(item)


def _listed() -> dict[str, str]:
    rows = [line.split("|", 1) for line in LISTED.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return {name.strip(): why.strip() for name, why in rows}


def _templates() -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((ROOT / "templates").rglob("*.j2")))


def _unprinted() -> set[str]:
    schema = json.loads((ROOT / "schemas" / "agreement.schema.json").read_text("utf-8"))
    text = _templates()
    return {n for n in _names(schema) if not re.search(rf"(?<![\w$]){re.escape(n)}\b", text)}


def test_every_field_is_printed_or_listed_with_a_reason() -> None:
    missing = sorted(_unprinted() - set(_listed()))
    assert not missing, (
        f"fält som ingen mall skriver ut; skriv ut dem eller lägg till dem i {LISTED.name}: "
        f"{missing}")


def test_the_list_names_only_fields_no_template_prints() -> None:
    stale = sorted(set(_listed()) - _unprinted())
    assert not stale, f"ta bort ur {LISTED.name}, mallarna skriver ut dem: {stale}"
    assert all(_listed().values())


def test_the_listed_fields_are_read_by_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted(Path(ROOT / "generator").rglob("*.py")))
    unread = [n for n in _listed() if not re.search(rf"\b{re.escape(n)}\b", code)]
    assert not unread, f"fält som ingen kod läser: {unread}"
