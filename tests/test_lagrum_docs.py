"""docs/lagrum.md and the README's legal-facts section are what the law data gives:
regenerating them (scripts/lagrum_docs.py) changes nothing, and they show the data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from generator import laws

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    path = ROOT / "scripts" / "lagrum_docs.py"
    spec = importlib.util.spec_from_file_location("lagrum_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lagrum_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_the_generated_texts_are_current() -> None:
    assert _script().main(["--check"]) == 0, "kör: python scripts/lagrum_docs.py"


def test_the_docs_show_every_provision_with_its_quote() -> None:
    text = (ROOT / "docs" / "lagrum.md").read_text(encoding="utf-8")
    for found in laws.provisions().values():
        assert laws.cite(found.id) in text
        if found.quote:
            assert f"”{found.quote}”" in text


def test_the_readme_section_names_the_limits_from_the_data() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- lagrum:", 1)[1].split("<!-- /lagrum -->", 1)[0]
    assert "700 000 kronor for goods and ordinary services from 1 februari 2022" in section
    assert "750 000 euro, whose amount in kronor is not entered" in section
    assert "7 kap. 2 § socialtjänstlagen (2025:400)" in section
