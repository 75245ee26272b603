"""Held-out mutation sets: fresh agreements with seeded defects and lawful variants.

tests/mutations/<scenario>/base.yaml is a clean agreement; each file under defects/ and
lawful/ changes it with JSON-pointer edits:

    what: Strandås betalar för Hamnstads tjänst men har inget pris
    expect: [EKON-BETALARE]      # defects only: rule ids that must report it
    edits:
      - {set: /economics/model/payer, value: hamnstad}
      - {delete: /economics/reconciliation}
      - {append: /parties/0/roles, value: huvudman}

A defect is caught when check reports one of its expected ids as a warning or error. A
lawful variant is a false alarm when check reports any warning or error the base does
not. Run `python tests/mutationkit.py` for the table of recall and false alarms.
"""

from __future__ import annotations

import copy
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "mutations"


@dataclass(frozen=True)
class Variant:
    """One defect or lawful variant of a scenario."""

    scenario: str
    name: str
    lawful: bool
    what: str
    expect: tuple[str, ...]
    edits: tuple[dict[str, Any], ...]


def variants() -> Iterator[Variant]:
    """Every variant of every scenario, defects first, by name."""
    for base in sorted(SETS.glob("*/base.yaml")):
        for folder, lawful in (("defects", False), ("lawful", True)):
            for path in sorted((base.parent / folder).glob("*.yaml")):
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
                yield Variant(
                    base.parent.name,
                    path.stem,
                    lawful,
                    str(raw["what"]),
                    tuple(raw.get("expect", ())),
                    tuple(raw["edits"]),
                )


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _parent(data: Any, pointer: str) -> tuple[Any, str]:
    *path, last = _tokens(pointer)
    node = data
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, last


def apply(data: dict[str, Any], edits: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """A copy of the data with the edits applied in order."""
    out = copy.deepcopy(data)
    for edit in edits:
        if "set" in edit:
            node, last = _parent(out, edit["set"])
            if isinstance(node, list):
                node[int(last)] = edit["value"]
            else:
                node[last] = edit["value"]
        elif "delete" in edit:
            node, last = _parent(out, edit["delete"])
            del node[int(last) if isinstance(node, list) else last]
        elif "append" in edit:
            node, last = _parent(out, edit["append"])
            (node[int(last)] if isinstance(node, list) else node[last]).append(edit["value"])
        else:
            raise ValueError(f"okänd ändring: {edit}")
    return out


def base_data(scenario: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SETS / scenario / "base.yaml").read_text("utf-8"))
    return data


def findings(data: dict[str, Any], folder: Path) -> dict[str, str]:
    """Warning and error codes check reports for the data (code -> first message)."""
    from generator.errors import Severity
    from generator.pipeline import check

    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    _, issues, _ = check(path)
    found: dict[str, str] = {}
    for issue in issues:
        if issue.severity is not Severity.INFO:
            found.setdefault(issue.code, f"{issue.location.pointer}: {issue.message}")
    return found


@dataclass(frozen=True)
class Outcome:
    """What check said about one variant."""

    variant: Variant
    new: dict[str, str]  # codes the base does not have

    @property
    def ok(self) -> bool:
        """A defect caught by an expected id; a lawful variant with nothing new."""
        if self.variant.lawful:
            return not self.new
        return bool(set(self.variant.expect) & set(self.new))


def run(variant: Variant, folder: Path) -> Outcome:
    """Check a variant against its base."""
    base = base_data(variant.scenario)
    before = findings(base, folder)
    after = findings(apply(base, variant.edits), folder)
    return Outcome(variant, {c: m for c, m in after.items() if c not in before})


def main() -> int:
    """Print each variant's result and the recall and false alarms per scenario."""
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(v, Path(tmp)) for v in variants()]
    for r in results:
        kind = "lagligt" if r.variant.lawful else "fel"
        mark = "ok " if r.ok else "MISS" if not r.variant.lawful else "LARM"
        print(f"{mark} {r.variant.scenario}/{kind}/{r.variant.name}: {sorted(r.new)}")
    defects = [r for r in results if not r.variant.lawful]
    lawful = [r for r in results if r.variant.lawful]
    caught = sum(r.ok for r in defects)
    alarms = sum(not r.ok for r in lawful)
    print(f"fel: {caught}/{len(defects)} upptäckta ({100 * caught / max(1, len(defects)):.0f} %); "
          f"lagliga varianter: {alarms}/{len(lawful)} falsklarm")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
