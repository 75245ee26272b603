"""The pull-request workflow and the pre-commit hooks: valid, and only documented commands.

Every `run:` step of .github/workflows/avtal.yml must be a command README.md shows:
the quickstart's install line, or `.venv/bin/avtal <subcommand>` with a subcommand from
README's command table and options that row documents. The command lines are also
parsed by the real `avtal` argument parser.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from buildkit import ROOT, SPECS_DIR, run_cli

from generator.cli import _parser

WORKFLOW = ROOT / ".github" / "workflows" / "avtal.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
README = ROOT / "README.md"
MARKER = "<!-- avtal-diff -->"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    jobs = workflow["jobs"]
    assert len(jobs) == 1
    [job] = jobs.values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def readme() -> str:
    return README.read_text(encoding="utf-8")


def command_rows() -> dict[str, list[str]]:
    """Subcommand -> the rows of README's command table that document it."""
    rows: dict[str, list[str]] = {}
    for line in readme().splitlines():
        match = re.match(r"^\| `avtal (\w+)[^`]*` \|(.*)\|$", line)
        if match:
            rows.setdefault(match[1], []).append(line)
    return rows


def quickstart_commands() -> set[str]:
    """The single commands of the shell blocks in README (split at &&)."""
    blocks = re.findall(r"```sh\n(.*?)```", readme(), re.S)
    return {part.strip() for block in blocks for part in block.split("&&") if part.strip()}


def commands(run: str) -> list[list[str]]:
    """A `run:` script as commands (split at && and newlines), without `> file`."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", run)
    out = []
    for part in re.split(r"&&|\n", text):
        words = shlex.split(part)
        if ">" in words:
            words = words[: words.index(">")]
        if words:
            out.append(words)
    return out


def documented_formats(rows: list[str]) -> set[str]:
    choices: set[str] = set()
    for row in rows:
        for listed in re.findall(r"--format ([a-z,|\\]+)", row):
            choices |= set(re.split(r"\\\||,", listed))
        if "same formats" in row:
            choices |= documented_formats(command_rows()["validate"])
    return choices


# --------------------------------------------------------------------------- workflow


def test_workflow_runs_on_pull_requests(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    assert isinstance(triggers, dict) and "pull_request" in triggers
    paths = triggers["pull_request"].get("paths", [])
    assert not paths or "specs/**" in paths
    assert workflow["permissions"].get("pull-requests") == "write"


def test_every_run_step_is_a_documented_command(steps: list[dict[str, Any]]) -> None:
    rows = command_rows()
    assert set(rows) == {"validate", "check", "build", "diff", "textconv", "deadlines"}
    allowed = quickstart_commands()
    runs = [step["run"] for step in steps if "run" in step]
    assert runs, "arbetsflödet kör inga kommandon"
    for run in runs:
        for words in commands(run):
            line = " ".join(words)
            if words[0] != ".venv/bin/avtal":
                assert line in allowed, f"{line!r} står inte i README"
                continue
            sub = words[1]
            assert sub in rows, f"avtal {sub} finns inte i README:s kommandotabell"
            documented = " ".join(rows[sub])
            if "same formats" in documented:  # `check`: the formats of `validate`
                documented += " --format"
            for word in words[2:]:
                if word.startswith("--"):
                    assert f"`{word}" in documented or f" {word}" in documented, (
                        f"{word} för avtal {sub} är inte dokumenterat"
                    )
            if "--format" in words:
                value = words[words.index("--format") + 1]
                assert value in documented_formats(rows[sub]), f"--format {value} för {sub}"
            _parser().parse_args(words[1:])  # the real parser accepts it (exits if not)


def test_install_line_is_the_quickstart_s(steps: list[dict[str, Any]]) -> None:
    install = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert install == ["python3 -m venv .venv && .venv/bin/pip install -q -e ."]
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e ." in readme()


def test_history_is_fetched_for_the_base_branch(steps: list[dict[str, Any]]) -> None:
    [checkout] = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout.get("with", {}).get("fetch-depth") == 0
    diff = [s["run"] for s in steps if "avtal diff" in s.get("run", "")]
    assert diff and "--git" in diff[0] and "github.base_ref" in diff[0]


def test_build_folder_is_uploaded(steps: list[dict[str, Any]]) -> None:
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    assert str(uploads[0]["with"]["path"]).rstrip("/") == "build"
    assert uploads[0].get("if") == "always()", "build/ ska laddas upp också när något fel"
    # The redlines are written under build/ (the default --out) before the upload.
    index = steps.index(uploads[0])
    diff = next(i for i, s in enumerate(steps) if "avtal diff" in s.get("run", ""))
    assert diff < index and "--redline" in steps[diff]["run"]
    assert "--out" not in steps[diff]["run"]


def test_one_comment_is_created_or_updated_by_its_marker(steps: list[dict[str, Any]]) -> None:
    [comment] = [s for s in steps if str(s.get("uses", "")).startswith("actions/github-script@")]
    script = comment["with"]["script"]
    assert f'"{MARKER}"' in script
    assert "startsWith(marker)" in script
    assert "updateComment" in script and "createComment" in script
    assert "paginate" in script, "alla kommentarer ska sökas igenom, inte bara första sidan"
    # It posts what the diff step wrote.
    [diff] = [s["run"] for s in steps if "avtal diff" in s.get("run", "")]
    target = re.search(r">\s*(\S+)\s*$", diff.strip())
    assert target, "diff-steget ska skriva till en fil"
    assert f'readFileSync("{target[1]}"' in script
    assert "--format markdown" in diff


def test_the_comment_body_starts_with_the_marker(tmp_path: Path) -> None:
    """The script finds its old comment with startsWith(marker): the output must begin
    with it, with the progress lines (`skrev ...`) on stderr, not in the file."""
    spec = SPECS_DIR / "familjebehandling-norrstrom-fjallviken.yaml"
    text = spec.read_text(encoding="utf-8")
    changed = tmp_path / "ny.yaml"
    changed.write_text(text.replace("notice_months: 6", "notice_months: 9"), encoding="utf-8")
    run = run_cli(
        "diff", spec, changed, "--format", "markdown", "--text", "--redline", "--out",
        tmp_path / "build",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert run.stdout.startswith(MARKER)
    assert "skrev " not in run.stdout
    assert "skrev " in run.stderr


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_runs_avtal_check() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    assert len(by_id) == len(hooks), "varje krok ska ha ett eget id"
    hook = by_id["avtal-check"]
    assert hook["entry"] == "avtal check"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("specs/familjeratt-sodra-roslagen.yaml")
    assert files.search("specs/x.yml")
    assert not files.search("README.md")
    assert not files.search("schemas/agreement.schema.json")
    for entry in (h["entry"] for h in hooks):
        program, sub = entry.split()[:2]
        assert program == "avtal" and sub in command_rows()


def test_the_hook_s_program_is_installed_by_the_package() -> None:
    """language: python installs the repository; its console script must be `avtal`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["avtal"] == "generator.cli:main"
