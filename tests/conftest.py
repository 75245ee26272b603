"""Session fixtures: the example specs are built once (all formats) and shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from buildkit import SPECS_DIR, Run, run_cli

# Deadline warnings depend on "today": the suite runs on a fixed day, so that it gives
# the same result next year (tests that need another day set it themselves).
os.environ["AVTAL_TODAY"] = "2026-09-01"


@pytest.fixture(scope="session", autouse=True)
def example_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples' party registry, seen from every test's temp folder.

    A spec written to tmp_path/x.yaml finds its party files in the folder parties/
    beside its own folder, which is the session's base temp folder: link the examples'
    registry there, so that a copy of an example spec refers to the same parties.
    """
    link = tmp_path_factory.getbasetemp() / "parties"
    if not link.exists():
        link.symlink_to(SPECS_DIR.parent / "parties", target_is_directory=True)
    return link


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """`avtal build --out TMP specs` once per session: the output dir and the run."""
    out = tmp_path_factory.mktemp("built")
    return out, run_cli("build", "--out", out, SPECS_DIR)


@pytest.fixture(scope="session")
def out_dir(built: tuple[Path, Run]) -> Path:
    """The session build's output dir; fails the test if the build did not succeed."""
    out, run = built
    assert run.code == 0, f"bygget misslyckades:\n{run.stdout}\n{run.stderr}"
    return out
