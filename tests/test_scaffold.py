"""`avtal init` makes a working spec repository; `avtal new` a skeleton that fails at
each marked line until it is filled, and then passes avtal check and builds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from buildkit import fill_skeleton, run_cli

from generator.config import read_config
from generator.resources import schema_path


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository made by `avtal init`, as the working directory."""
    run = run_cli("init", tmp_path / "avtal")
    assert run.code == 0, run.stderr
    monkeypatch.chdir(tmp_path / "avtal")
    return tmp_path / "avtal"


def test_init_writes_a_complete_repository(repo: Path) -> None:
    for name in (
        "specs/.gitkeep",
        "parties/.gitkeep",
        "README.md",
        ".gitattributes",
        "requirements.txt",
        ".gitignore",
    ):
        assert (repo / name).is_file(), name
    config = read_config(repo / "avtal.toml")
    assert config.specs == repo / "specs" and config.formats == ("md", "pdf", "docx")
    assert "specs/*.yaml diff=avtal" in (repo / ".gitattributes").read_text(encoding="utf-8")
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "avtal new avtalssamverkan" in readme and "FYLL I" in readme
    assert re.search(r"^avtal==\d", (repo / "requirements.txt").read_text(encoding="utf-8"), re.M)


def test_init_s_workflow_installs_the_package_with_pinned_actions(repo: Path) -> None:
    flow = yaml.safe_load((repo / ".github/workflows/avtal.yml").read_text(encoding="utf-8"))
    assert flow["permissions"] == {"contents": "read"}
    steps = flow["jobs"]["avtal"]["steps"]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    runs = " ".join(s.get("run", "") for s in steps)
    assert "pip install -q -r requirements.txt" in runs and "-e ." not in runs
    assert "${{" not in runs  # expressions only through env, never into a shell line


def test_init_s_pre_commit_and_editor_settings(repo: Path) -> None:
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks["repos"][0]["hooks"]
    assert hook["entry"] == "avtal check" and re.search(hook["files"], "specs/a.yaml")
    assert re.search(hook["files"], "parties/solna.yaml")  # checks the specs using it
    settings = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert Path(repo, schema).resolve() == schema_path().resolve()
    assert "specs/*.yaml" in globs


def test_init_overwrites_nothing(repo: Path) -> None:
    (repo / "README.md").write_text("vår egen\n", encoding="utf-8")
    run = run_cli("init", repo)
    assert run.code == 2 and "skriver inte över" in run.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == "vår egen\n"


def test_new_skeleton_fails_at_each_marked_line_until_filled(repo: Path) -> None:
    run = run_cli("new", "avtalssamverkan", "familjeratt", "--parter", "exempelby,grannby")
    assert run.code == 0, run.stderr
    spec = repo / "specs" / "familjeratt.yaml"
    text = spec.read_text(encoding="utf-8")
    marked = [n for n, line in enumerate(text.splitlines(), 1) if "# FYLL I" in line]
    assert len(marked) >= 10
    check = run_cli("check")
    assert check.code == 1
    lines = {int(m) for m in re.findall(r"^specs/familjeratt\.yaml:(\d+):", check.stdout, re.M)}
    assert lines == set(marked), check.stdout

    spec.write_text(fill_skeleton(text), encoding="utf-8")
    check = run_cli("check", "--strict")
    assert check.code == 0, check.stdout
    assert run_cli("build", "--format", "md").code == 0
    agreement = (repo / "build" / "familjeratt" / "avtal.md").read_text(encoding="utf-8")
    assert "Exempelby kommun" in agreement and "Grannby kommun" in agreement


def test_new_refuses_an_existing_spec_and_a_bad_id(repo: Path) -> None:
    assert run_cli("new", "avtalssamverkan", "ett-avtal").code == 0
    again = run_cli("new", "avtalssamverkan", "ett-avtal")
    assert again.code == 2 and "finns redan" in again.stderr
    bad = run_cli("new", "avtalssamverkan", "Ett avtal")
    assert bad.code == 2 and "kan inte vara ett id" in bad.stderr
    assert sorted(p.name for p in (repo / "specs").glob("*.yaml")) == ["ett-avtal.yaml"]


def test_new_skeleton_assesses_no_procurement_exception_for_the_user(repo: Path) -> None:
    # The staff report writes each Hamburg criterion as the administration's assessment:
    # the skeleton leaves all four for the user to answer.
    assert run_cli("new", "avtalssamverkan", "familjeratt").code == 0
    data = yaml.safe_load((repo / "specs" / "familjeratt.yaml").read_text(encoding="utf-8"))
    assert data["procurement"]["basis"] == "hamburg"
    assert set(data["procurement"]["hamburg"].values()) == {None}
    assert data["delegation"]["nature"] is None  # insatser or myndighetsutövning: the user's
