"""`avtal check` and the checklist are one source: an item is ✗ exactly when check has a
warning or an error for it, and every warning or error of a rule belongs to an item.

Run over every example, every fixture and every variant of the mutation sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import REGISTRY

from generator.checklist import evaluate
from generator.errors import Issue, Severity
from generator.load import Spec
from generator.parties import PartySource, folder_source
from generator.pipeline import check
from generator.rules import FORM_CODES, RULES, Outcome
from generator.rules.checklista import ITEMS, SOK_ITEMS, _group_items, item_for

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(
    [
        *(ROOT / "specs").glob("*.yaml"),
        *(ROOT / "tests" / "fixtures").glob("*.yaml"),
        *(ROOT / "tests" / "cases" / "valid").glob("*/*.yaml"),
        *(ROOT / "examples").glob("*/specs/*.yaml"),
        *(ROOT / "tests" / "mutations").glob("*/base.yaml"),
    ]
)
KINDS = {
    "avtalssamverkan": ITEMS,
    "samverkansoverenskommelse": SOK_ITEMS + _group_items(),
}


def _check(path: Path) -> tuple[Spec | None, list[Issue], Outcome]:
    """Check a spec with the party registry of its repository (beside its specs folder)."""
    folder = path.parent.parent / "parties"
    parties: PartySource = folder_source(folder) if folder.is_dir() else REGISTRY
    return check(path, parties=parties)


def _ruled(issue: Issue) -> bool:
    """A warning or error of a legal rule or a sourced form check (not schema or form)."""
    return issue.severity is not Severity.INFO and (
        issue.code in RULES or issue.code in FORM_CODES
    )


def _state(spec: Spec, issues: list[Issue], outcome: Outcome) -> tuple[set[str], set[str]]:
    """(items the checklist fails, items check has a warning or error for)."""
    results = evaluate(spec, Outcome(tuple(issues), outcome.silenced))
    failed = {r.item.id for r in results if r.status == "✗"}
    found = {i.id for issue in issues if _ruled(issue)
             for i in item_for(spec, issue.code, issue.location.pointer)}
    return failed, found


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_failed_item_is_a_finding_and_the_reverse(path: Path) -> None:
    spec, issues, outcome = _check(path)
    assert spec is not None
    failed, found = _state(spec, issues, outcome)
    assert failed == found
    homeless = [i.code for i in issues if _ruled(i)
                and not item_for(spec, i.code, i.location.pointer)]
    assert homeless == [], "en varning eller ett fel som ingen punkt i checklistan visar"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_rule_that_can_fail_belongs_to_an_item_of_its_kind(kind: str) -> None:
    listed = {r for item in KINDS[kind] for r in item.rules} | {"LISTA-SAKNAS"}
    missing = sorted(
        r.id for r in RULES.values()
        if kind in r.kinds and r.severity is not Severity.INFO and r.id not in listed
    )
    assert missing == [], f"regler som checklistan inte visar: {missing}"


def test_a_spec_check_calls_clean_has_no_failed_item() -> None:
    for path in SPECS:
        spec, issues, outcome = _check(path)
        assert spec is not None
        if not any(_ruled(i) for i in issues):
            failed, _ = _state(spec, issues, outcome)
            assert failed == set(), path


def test_a_rule_of_several_items_goes_to_the_item_of_its_place() -> None:
    """SOK-RUTIN belongs to the three items on areas of responsibility; a finding on a
    regional area fails the regional item only."""
    from buildkit import SPECS_DIR, read_spec

    from generator.rules.checklista import item_for

    spec = read_spec(SPECS_DIR / "sok-missbruk.yaml")
    assert [i.id for i in item_for(spec, "SOK-RUTIN", "/regional_responsibility/1")] == [
        "sok-region"]
    assert [i.id for i in item_for(spec, "SOK-RUTIN", "/shared_responsibility/0")] == [
        "sok-gemensamt"]
