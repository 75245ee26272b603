"""Names that hold Markdown's own characters (a hyphen, as in ”Arbetsmarknads- och
socialnämnden” or ”Upplands-Bro kommun”) reach every document as written: escaped once
for Markdown, never twice, which prints a backslash in the signed text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from buildkit import PARTIES_DIR, dump, md_body, read_yaml, run_cli, spec_paths


def _hyphenated_organ(name: str) -> str:
    if "fullmäktige" in name.lower() or "styrelse" in name.lower():
        return name
    return f"Arbetsmarknads- och {name[:1].lower()}{name[1:]}"


def _hyphenated_party(name: str) -> str:
    first, _, rest = name.partition(" ")
    if first == "Region":
        return f"Region Norra-{rest}"
    return f"Upplands-{first} {rest}".strip()


def _renamed(party: dict[str, Any]) -> dict[str, Any]:
    if "name" in party:
        party["name"] = _hyphenated_party(str(party["name"]))
    for organ in party.get("organs", []):
        organ["name"] = _hyphenated_organ(str(organ["name"]))
    return party


@pytest.mark.parametrize("example", spec_paths(), ids=lambda p: p.stem)
def test_no_name_is_escaped_twice(tmp_path: Path, example: Path) -> None:
    registry = tmp_path / "parties"
    registry.mkdir()
    for path in PARTIES_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        dump(_renamed(data), registry / path.name)
    data = read_yaml(example)
    data["parties"] = [_renamed(p) for p in data["parties"]]
    (tmp_path / "specs").mkdir()
    spec = dump(data, tmp_path / "specs" / example.name)
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stdout + run.stderr
    built = sorted(out.rglob("*.md"))
    assert built
    for path in built:
        body = md_body(path.read_text(encoding="utf-8"))
        assert "\\\\" not in body, (path.relative_to(out), body[max(0, body.find("\\\\") - 80):
                                                                body.find("\\\\") + 40])
