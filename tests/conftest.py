"""Session fixtures: the example specs are built once (all formats) and shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from buildkit import SPECS_DIR, Run, run_cli

# Deadline warnings depend on "today": the suite runs on a fixed day, so that it gives
# the same result next year (tests that need another day set it themselves).
os.environ["AVTAL_TODAY"] = "2026-09-01"
# The key that signs build records is the user's (~/.cache/avtal): the suite keeps its own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="avtal-cache-")


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
