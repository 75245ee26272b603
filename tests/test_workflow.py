"""The pull-request workflow and the pre-commit hooks: valid, and only documented commands.

Every `run:` step of .github/workflows/avtal.yml must be a command README.md shows:
the quickstart's install line, or `.venv/bin/avtal <subcommand>` with a subcommand from
README's command table and options that row documents. The command lines are also
parsed by the real `avtal` argument parser.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
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
GITLAB = ROOT / ".gitlab-ci.yml"
AZURE = ROOT / "azure-pipelines.yml"
BIN = str(Path(sys.executable).parent)  # zizmor comes with the dev extras


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    """The steps of every job, in order: the checks, then the comment."""
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


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
        for redirect in (">", ">>"):
            if redirect in words:
                words = words[: words.index(redirect)]
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


def test_permissions_are_per_job_and_least(workflow: dict[Any, Any]) -> None:
    """Nothing at workflow level; only the job that runs no pull-request code may write."""
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    writers = [name for name, job in jobs.items() if "write" in job["permissions"].values()]
    assert writers == ["comment"]
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    assert not any("run" in step for step in jobs["comment"]["steps"])
    assert jobs["avtal"]["permissions"] == {"contents": "read"}
    assert all("timeout-minutes" in job for job in jobs.values())
    group = workflow["concurrency"]["group"]
    assert "github.event.pull_request.number" in group
    assert workflow["concurrency"]["cancel-in-progress"] is True


def test_actions_are_pinned_by_commit_and_checkout_keeps_no_token(
    steps: list[dict[str, Any]],
) -> None:
    uses = [str(s["uses"]) for s in steps if "uses" in s]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), use
    [checkout] = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    [python] = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert python["with"]["cache"] == "pip"


def test_no_expression_is_expanded_inside_a_script(steps: list[dict[str, Any]]) -> None:
    """Values from the event reach a shell only through env (no template injection)."""
    for step in steps:
        assert "${{" not in step.get("run", ""), step["run"]
        assert "${{" not in step.get("with", {}).get("script", "")


def test_the_full_diff_goes_to_the_job_summary(steps: list[dict[str, Any]]) -> None:
    """Pull requests from forks cannot comment: the job summary has the diff for them."""
    [summary] = [s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert summary.get("if") == "always()"
    words = commands(summary["run"])[0]
    assert words[:3] == [".venv/bin/avtal", "diff", "--git"]
    assert "--redline" in words and "--text" in words


def assert_documented(
    script: str, *, skip: Callable[[list[str]], bool] = lambda words: False
) -> None:
    """Every command of a CI script is the quickstart's, or an avtal command whose
    options and formats the README's command table documents (and the parser accepts)."""
    rows = command_rows()
    for words in commands(script):
        if skip(words):
            continue
        line = " ".join(words)
        if words[0] != ".venv/bin/avtal":
            assert line in quickstart_commands(), f"{line!r} står inte i README"
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


def test_every_run_step_is_a_documented_command(steps: list[dict[str, Any]]) -> None:
    assert set(command_rows()) == {
        "validate", "check", "build", "diff", "textconv", "deadlines", "init", "new", "explain"
    }
    runs = [step["run"] for step in steps if "run" in step]
    assert runs, "arbetsflödet kör inga kommandon"
    for run in runs:
        assert_documented(run)


def test_install_line_is_the_quickstart_s(steps: list[dict[str, Any]]) -> None:
    install = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert install == ["python3 -m venv .venv && .venv/bin/pip install -q -e ."]
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e ." in readme()


def test_history_is_fetched_for_the_base_branch(steps: list[dict[str, Any]]) -> None:
    [checkout] = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkout.get("with", {}).get("fetch-depth") == 0
    diffs = [s for s in steps if "avtal diff" in s.get("run", "")]
    assert diffs
    for step in diffs:
        assert '--git "origin/$BASE_REF"' in step["run"]
        assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_build_folder_is_uploaded(steps: list[dict[str, Any]]) -> None:
    uploads = [
        s
        for s in steps
        if str(s.get("uses", "")).startswith("actions/upload-artifact@")
        and str(s["with"]["path"]).rstrip("/") == "build"
    ]
    assert len(uploads) == 1
    assert uploads[0]["with"]["name"] == "avtal-build"  # the comment names it
    assert uploads[0].get("if") == "always()", "build/ ska laddas upp också när något fel"
    # The redlines are written under build/ (the default --out) before the upload.
    index = steps.index(uploads[0])
    diff = next(i for i, s in enumerate(steps) if "--redline" in s.get("run", ""))
    assert diff < index
    assert "--out" not in steps[diff]["run"]


def test_one_comment_is_created_or_updated_by_its_marker(steps: list[dict[str, Any]]) -> None:
    [comment] = [s for s in steps if str(s.get("uses", "")).startswith("actions/github-script@")]
    script = comment["with"]["script"]
    assert f'"{MARKER}"' in script
    assert "startsWith(marker)" in script
    assert 'c.user.login === "github-actions[bot]"' in script, "kommentaren hittas på författaren"
    assert "updateComment" in script and "createComment" in script
    assert "paginate" in script, "alla kommentarer ska sökas igenom, inte bara första sidan"
    # It posts what the comment step wrote, passed on as an artifact.
    [diff] = [s for s in steps if s.get("id") == "comment"]
    target = re.search(r"--output (\S+)", diff["run"])
    assert target, "diff-steget ska skriva till en fil"
    assert f'readFileSync("{target[1]}"' in script
    assert "--format markdown" in diff["run"]
    assert "--limit" not in diff["run"], "kommentaren ska hålla GitHubs gräns (standard)"
    [upload] = [s for s in steps if s.get("with", {}).get("path") == target[1]]
    [download] = [s for s in steps if "download-artifact@" in str(s.get("uses", ""))]
    assert download["with"]["name"] == upload["with"]["name"]


def test_the_comment_body_starts_with_the_marker(tmp_path: Path) -> None:
    """The script finds its old comment with startsWith(marker): the output must begin
    with it, with the progress lines (`skrev ...`) on stderr, not in the file."""
    spec = SPECS_DIR / "familjebehandling-norrstrom-fjallviken.yaml"
    text = spec.read_text(encoding="utf-8")
    changed = tmp_path / "ny.yaml"
    changed.write_text(text.replace("notice_months: 6", "notice_months: 9"), encoding="utf-8")
    report = tmp_path / "avtal-diff.md"
    run = run_cli(
        "diff", spec, changed, "--format", "markdown", "--text", "--redline", "--out",
        tmp_path / "build", "--output", report,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    written = report.read_text(encoding="utf-8")
    assert written.startswith(MARKER) and "Uppsägningstid" in written, written[:300]
    assert "skrev " not in written
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


# --------------------------------------------------------------------------- zizmor


def shipped_workflows() -> list[Path]:
    """Every GitHub workflow the project ships: those it runs itself, and any workflow
    file in the package (e.g. one that `avtal init` writes into a new repository)."""
    found = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    for folder in ("generator", "templates"):
        for path in sorted((ROOT / folder).rglob("*.y*ml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "jobs" in data and ("on" in data or True in data):
                found.append(path)
    return found


def zizmor(path: Path, tmp_path: Path) -> None:
    """zizmor's strictest persona, offline (the online audits need a GitHub token),
    must find nothing in the workflow file."""
    # zizmor reads a workflow file by its place: give it one under .github/workflows.
    copy = tmp_path / "granskas" / ".github" / "workflows" / path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(path.read_bytes())
    done = subprocess.run(
        [shutil.which("zizmor", path=BIN) or "zizmor", "--offline", "--persona", "auditor",
         "--no-progress", str(copy)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr
    copy.unlink()


@pytest.mark.parametrize("path", shipped_workflows(), ids=lambda p: p.name)
def test_zizmor_finds_nothing(path: Path, tmp_path: Path) -> None:
    zizmor(path, tmp_path)


def subcommands() -> set[str]:
    actions = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return {name for action in actions for name in action.choices}


def test_zizmor_finds_nothing_in_what_avtal_init_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository started with `avtal init` gets workflows as safe as the project's."""
    if "init" not in subcommands():
        pytest.skip("avtal init finns inte ännu")
    monkeypatch.chdir(tmp_path)
    run = run_cli("init", tmp_path / "nytt")
    if run.code != 0:
        run = run_cli("init")  # in the current directory
    if run.code != 0:
        pytest.skip(f"avtal init behöver andra argument: {run.stderr}")
    written = [p for p in sorted(tmp_path.rglob("*.y*ml")) if ".github/workflows" in p.as_posix()]
    assert written, "avtal init skriver inget arbetsflöde"
    for path in written:
        zizmor(path, tmp_path)


def test_zizmor_is_pinned_in_the_dev_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "zizmor==1.32.0" in project["project"]["optional-dependencies"]["dev"]


# --------------------------------------------------------------------------- GitLab


def gitlab_scripts() -> list[str]:
    data = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    jobs = [job for job in data.values() if isinstance(job, dict)]
    return [line for job in jobs for line in job.get("script", [])]


def test_gitlab_runs_only_documented_commands() -> None:
    scripts = gitlab_scripts()
    assert any("--format gitlab" in line for line in scripts)
    for script in scripts:
        # git fetch: the target branch, for --git
        assert_documented(script, skip=lambda words: words[:2] == ["git", "fetch"])


def test_gitlab_keeps_the_code_quality_report() -> None:
    data = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    [check] = [job for job in data.values() if isinstance(job, dict)
               and any("--format gitlab" in s for s in job.get("script", []))]  # fmt: skip
    [line] = [s for s in check["script"] if "--format gitlab" in s]
    words = shlex.split(line)
    report_file = words[words.index("--output") + 1]
    assert check["artifacts"]["reports"]["codequality"] == report_file
    assert check["artifacts"]["when"] == "always"
    assert "gitlab" in readme() and ".gitlab-ci.yml" in readme()


def test_check_as_a_gitlab_code_quality_report(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    text = (SPECS_DIR / "familjeratt-sodra-roslagen.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("copies: 4", "copies: 2"), encoding="utf-8")
    run = run_cli("check", spec, "--format", "gitlab")
    report = json.loads(run.stdout)
    assert isinstance(report, list) and report
    for entry in report:
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert entry["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert entry["location"]["path"] == str(spec)
        assert entry["location"]["lines"]["begin"] >= 1
    assert len({e["fingerprint"] for e in report}) == len(report)
    [copies] = [e for e in report if "exemplar" in e["description"]]
    assert copies["severity"] == "major" and copies["check_name"] == "form"
    assert copies["description"].startswith("/signing/copies: ")
    assert copies["location"]["lines"]["begin"] == text.splitlines().index("  copies: 4") + 1
    warnings = [e for e in report if e["severity"] == "minor"]
    assert all(e["check_name"] != "form" for e in warnings)
    again = json.loads(run_cli("check", spec, "--format", "gitlab").stdout)
    assert again == report  # the same fingerprints: GitLab sees nothing new


# --------------------------------------------------------------------------- Azure DevOps


def azure_steps() -> list[dict[str, Any]]:
    data = yaml.safe_load(AZURE.read_text(encoding="utf-8"))
    return [step for job in data["jobs"] for step in job["steps"]]


def test_azure_runs_only_documented_commands() -> None:
    scripts = [step["script"] for step in azure_steps() if "script" in step]
    assert any("--format azure" in s for s in scripts)
    for script in scripts:
        # echo ##vso[task.uploadsummary]: attaches the diff to the run's summary
        assert_documented(script, skip=lambda words: (
            words[0] == "echo" and words[1].startswith("##vso[task.uploadsummary]")
        ))


def test_azure_keeps_no_token_and_passes_the_branch_through_env() -> None:
    steps = azure_steps()
    [checkout] = [s for s in steps if "checkout" in s]
    assert checkout["persistCredentials"] is False and checkout["fetchDepth"] == 0
    for step in steps:
        if "--git" in step.get("script", ""):
            assert "$(" not in step["script"].split("--git", 1)[1].split()[0]
            assert step["env"]["TARGET"] == "$(System.PullRequest.TargetBranch)"
    [publish] = [s for s in steps if "publish" in s]
    assert (publish["publish"], publish["artifact"]) == ("build", "avtal-build")
    assert "azure-pipelines.yml" in readme()


def test_check_as_azure_logging_commands(tmp_path: Path) -> None:
    spec = tmp_path / "spec;]%.yaml"
    text = (SPECS_DIR / "familjeratt-sodra-roslagen.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("copies: 4", "copies: 2"), encoding="utf-8")
    run = run_cli("check", spec, "--format", "azure")
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith("##vso[task.logissue type=") for line in lines)
    [copies] = [line for line in lines if "exemplar" in line]
    line = text.splitlines().index("  copies: 4") + 1
    path = str(spec).replace("%", "%AZP25").replace("]", "%5D").replace(";", "%3B")
    assert copies.startswith(
        f"##vso[task.logissue type=error;sourcepath={path};linenumber={line};columnnumber="
    )
    assert ";code=form]/signing/copies: avtalet har 4 parter" in copies


# --------------------------------------------------------------------------- path filters

INIT = ROOT / "templates" / "init"
PARTY_ONLY = ("parties/exempelby.yaml", "avtal.toml")  # changes with no spec among them


def _glob(pattern: str) -> re.Pattern[str]:
    """A GitHub or GitLab path pattern: ** any path, * any name within a folder."""
    parts = re.split(r"(\*\*/?|\*)", pattern)
    table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*"}
    return re.compile("".join(table.get(p, re.escape(p)) for p in parts) + "$")


def github_triggered(path: Path, changed: str) -> bool:
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    paths = flow.get("on", flow.get(True))["pull_request"].get("paths")
    return paths is None or any(_glob(p).match(changed) for p in paths)


def gitlab_triggered(path: Path, changed: str) -> bool:
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))["workflow"]["rules"]
    merge = [r for r in rules if "merge_request_event" in r.get("if", "")]
    return any("changes" not in r or any(_glob(p).match(changed) for p in r["changes"])
               for r in merge)  # fmt: skip


def azure_triggered(path: Path, changed: str) -> bool:
    include = yaml.safe_load(path.read_text(encoding="utf-8"))["pr"]["paths"]["include"]
    return any(changed == p or changed.startswith(p.rstrip("/") + "/") for p in include)


CI_TEMPLATES = [
    (INIT / "github-workflow.yml", github_triggered),
    (INIT / "gitlab-ci.yml", gitlab_triggered),
    (INIT / "azure-pipelines.yml", azure_triggered),
    (WORKFLOW, github_triggered),
    (GITLAB, gitlab_triggered),
    (AZURE, azure_triggered),
]


def test_the_path_matcher_matches_as_the_services_do() -> None:
    assert _glob("specs/**").match("specs/a/b.yaml")
    assert _glob("parties/**/*").match("parties/x.yaml")
    assert not _glob("specs/*").match("specs/a/b.yaml")
    assert not _glob("avtal.toml").match("avtal.tomlx")
    assert not github_triggered(INIT / "github-workflow.yml", "docs/readme.md")
    assert not azure_triggered(INIT / "azure-pipelines.yml", "partiesx/a.yaml")


@pytest.mark.parametrize(("path", "triggered"), CI_TEMPLATES, ids=lambda v: getattr(v, "name", ""))
def test_a_change_to_a_party_file_or_avtal_toml_alone_runs_the_check(
    path: Path, triggered: Callable[[Path, str], bool]
) -> None:
    for changed in (*PARTY_ONLY, "specs/ett-avtal.yaml"):
        assert triggered(path, changed), f"{path.name} körs inte när {changed} ändras"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"avtal check --format \w+ --git ", text), "ingen check --git"


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml", "azure-pipelines.yml"])
def test_shipped_ci_installs_the_way_the_team_does(name: str) -> None:
    text = (INIT / name).read_text(encoding="utf-8")
    assert "pip install -q -r requirements.txt" in text and "-e ." not in text
    diffs = [words for script in _strings(yaml.safe_load(text)) for words in commands(script)
             if words[:2] == [".venv/bin/avtal", "diff"]]
    assert diffs
    for words in diffs:  # not every YAML file changed: CI files are no specs
        assert words[-1] == "specs", f"diff utan specs-mappen: {words}"


def _strings(data: object) -> list[str]:
    """Every string in a YAML document (the scripts among them)."""
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [text for value in values for text in _strings(value)]


CI_FILES = [WORKFLOW, GITLAB, AZURE, *(INIT / name for name in (
    "github-workflow.yml", "gitlab-ci.yml", "azure-pipelines.yml"))]


@pytest.mark.parametrize("path", CI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ci_writes_no_file_by_shell_redirection(path: Path) -> None:
    """The shell's `>` follows a link a pull request committed at the file (or at a
    folder on its way) and writes wherever it points: the shipped CI files write their
    reports with --output, which replaces such a link. Only the runner's own summary
    file, outside the checkout, is appended to."""
    text = path.read_text(encoding="utf-8")
    scripts = _shell_scripts(yaml.safe_load(text))
    assert scripts
    for script in scripts:
        for target in re.findall(r">>?\s*(\S+)", script):
            assert target == '"$GITHUB_STEP_SUMMARY"', f"{path.name}: {script}"
    assert "--output avtal-diff.md" in text


def _shell_scripts(data: object) -> list[str]:
    """The shell scripts of a CI file: GitHub's `run`, GitLab's and Azure's `script`
    (not a GitHub action's `with: script`, which is JavaScript)."""
    if isinstance(data, list):
        return [text for item in data for text in _shell_scripts(item)]
    if not isinstance(data, dict):
        return []
    found: list[str] = []
    for key, value in data.items():
        if key in ("run", "script"):
            found += _strings(value)
        elif key != "with":
            found += _shell_scripts(value)
    return found


def test_help_names_the_exit_codes() -> None:
    text = _parser().format_help()
    assert "Slutkoder: 0" in text and "; 1 " in text and "; 2 " in text
