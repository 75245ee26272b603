"""`avtal textconv` as git runs it: a real repository whose specs refer to the party
registry (`ref:`), git's own textconv driver with and without `cachetextconv`, and
`git diff`, `git log -p` and `git show`.

The specs are committed as written, references and all: git hands textconv a
temporary copy of each version, far from parties/, and the agreement text must still
name the registry's parties.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildkit import ROOT, SPECS_DIR

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")

FAM = "familjebehandling-norrstrom-fjallviken.yaml"
SPEC = f"specs/{FAM}"
BEFORE = "Avtalet gäller från och med 1 september 2026"
AFTER = "Avtalet gäller från och med 1 oktober 2026"


def git(repo: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """git in the repository, with no system or user configuration of this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(repo.parent),
        LC_ALL="C.UTF-8",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    done = subprocess.run(
        ["git", "-c", "core.quotepath=false", *args],
        cwd=cwd or repo, capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two commits of an example spec as written (with `ref:`), the start date moved in
    the second; textconv set up as the README says, with this interpreter."""
    repo = tmp_path_factory.mktemp("textconv") / "repo"
    (repo / "specs").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Anna Jurist"), ("user.email", "anna@example.se"),
                       ("commit.gpgsign", "false")):
        git(repo, "config", key, value)
    shutil.copytree(SPECS_DIR.parent / "parties", repo / "parties")
    text = (SPECS_DIR / FAM).read_text(encoding="utf-8")
    assert "  - ref: norrstrom\n" in text  # the registry is used, not inlined
    (repo / SPEC).write_text(text, encoding="utf-8")
    (repo / ".gitattributes").write_text("specs/*.yaml diff=avtal\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Första versionen")
    (repo / SPEC).write_text(text.replace("  start: 2026-09-01\n", "  start: 2026-10-01\n"),
                             encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Senare start")
    git(repo, "config", "diff.avtal.textconv", f'"{sys.executable}" -m generator textconv')
    return repo


def assert_agreement_diff(out: str, stderr: str) -> None:
    """The diff is of the agreement's Swedish text, with the registry's parties named."""
    assert f"-{BEFORE}" in out and f"+{AFTER}" in out, out[-3000:]
    assert "partsregistret" not in stderr and "avtal textconv:" not in stderr, stderr
    assert not re.search(r"^[-+ ]\s*(start|ref): ", out, re.M), "git visar YAML, inte avtalet"


def agreement_shown(out: str) -> bool:
    """True when git showed a textconv'd version (the parties of § 1 from the registry)."""
    return "Norrströms kommun" in out and "===== familjebehandling-norrstrom-fjallviken/" in out


def test_git_diff_renders_specs_that_use_the_party_registry(repo: Path) -> None:
    done = git(repo, "diff", "--no-color", "HEAD~1", "HEAD", "--", SPEC)
    assert_agreement_diff(done.stdout, done.stderr)


def test_git_diff_from_a_subfolder_finds_the_same_registry(repo: Path) -> None:
    done = git(repo, "diff", "--no-color", "HEAD~1", "HEAD", "--", FAM, cwd=repo / "specs")
    assert_agreement_diff(done.stdout, done.stderr)


def test_git_show_and_log_renders_each_version(repo: Path) -> None:
    show = git(repo, "show", "--no-color", "HEAD", "--", SPEC)
    assert_agreement_diff(show.stdout, show.stderr)
    log = git(repo, "log", "-p", "--no-color", "--", SPEC)
    assert_agreement_diff(log.stdout, log.stderr)
    first = log.stdout.split("Första versionen", 1)[1]
    assert f"+{BEFORE}" in first  # the added file, rendered too


def test_cached_textconv_keeps_the_agreement_text_not_a_fallback(repo: Path) -> None:
    git(repo, "config", "diff.avtal.cachetextconv", "true")
    try:
        for _ in range(2):  # the second run reads git's cache
            log = git(repo, "log", "-p", "--no-color", "--", SPEC)
            assert_agreement_diff(log.stdout, log.stderr)
        notes = git(repo, "log", "-p", "--no-color", "refs/notes/textconv/avtal").stdout
        assert agreement_shown(notes) and "  - ref: norrstrom" not in notes
    finally:
        git(repo, "config", "--unset", "diff.avtal.cachetextconv")
