"""avtal installed as a team would install it: from a wheel, into a fresh venv, outside the
checkout; and the pre-commit hook as pre-commit itself installs it from a hook repository.

Slow (a wheel build, one venv, one pre-commit environment), so everything is module-scoped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pypdf
import pytest
import yaml
from buildkit import FIXTURE, ROOT, fill_skeleton, image_sizes, norm, png

FLAWED = ROOT / "tests" / "fixtures" / "flawed.yaml"
BIN = Path(sys.executable).parent
# What the wheel is built from: the project as a user checks it out, not local clutter.
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".nox"
)


def run(args: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a program; fail the test with its output when it fails."""
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args} gav {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python back at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {
        **env,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        **extra,
    }


def git_commit(folder: Path, message: str) -> str:
    """Commit everything in a folder (a new repository if needed); return the commit id."""
    if not (folder / ".git").exists():
        run(["git", "init", "-q", "-b", "main"], cwd=folder)
    run(["git", "add", "-A"], cwd=folder)
    run(["git", "commit", "-q", "-m", message], cwd=folder, env=clean_env())
    return run(["git", "rev-parse", "HEAD"], cwd=folder).strip()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the project committed into its own repository: the hooks' repository."""
    copy = tmp_path_factory.mktemp("source") / "avtal"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    yield copy, git_commit(copy, "avtal")


@pytest.fixture(scope="module")
def wheel(source: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `python -m build --wheel` makes from the project."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", out, source[0]], cwd=out)
    (built,) = out.glob("avtal-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with the wheel installed; returns its bin/."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    run([sys.executable, "-m", "venv", venv], cwd=venv.parent)
    run([venv / "bin" / "pip", "install", "-q", wheel], cwd=venv.parent, env=clean_env())
    return venv / "bin"


def test_the_wheel_holds_every_schema_and_template_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("schemas", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                inside = f"generator/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
                assert inside in names, f"{inside} saknas i hjulet"
    assert "generator/cli.py" in names and "generator/rules/__init__.py" in names


def test_installed_avtal_works_in_a_team_repository_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "avtalsrepo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "mini.yaml"
    shutil.copy(FIXTURE, spec)
    git_commit(repo, "första versionen")
    env = clean_env()
    where = run(
        [installed / "python", "-c", "import generator; print(generator.__file__)"],
        cwd=repo,
        env=env,
    )
    assert str(installed.parent) in where and str(ROOT) not in where

    assert "inga fel" in run([installed / "avtal", "validate"], cwd=repo, env=env)
    assert "0 fel" in run([installed / "avtal", "check"], cwd=repo, env=env)
    run([installed / "avtal", "build", "--format", "md,pdf,docx"], cwd=repo, env=env)
    pdf = repo / "build" / "mini-maria-2026" / "avtal.pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Stockholms stad" in text and "212000-0142" in text
    explained = json.loads(
        run([installed / "avtal", "explain", spec, "--format", "json"], cwd=repo, env=env)
    )
    parties = next(r for r in explained if "212000-0142" in r["sentence"])
    assert any(s["file"] == str(spec) and s["pointer"].endswith("/org_nr")
               for s in parties["sources"])  # fmt: skip
    assert (repo / "build" / "mini-maria-2026" / "avtal.provenance.json").is_file()

    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "name: Stockholms stad", "name: Stockholms kommun", 1
        ),
        encoding="utf-8",
    )
    diff = run([installed / "avtal", "diff", "--git", "HEAD", "specs"], cwd=repo, env=env)
    assert "Stockholms stad" in diff and "Stockholms kommun" in diff


def test_the_pre_commit_hook_passes_a_good_spec_and_locates_a_bad_one(
    source: tuple[Path, str], tmp_path: Path
) -> None:
    hooks, rev = source
    repo = tmp_path / "team"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(FIXTURE, repo / "specs" / "mini.yaml")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: avtal-check\n",
        encoding="utf-8",
    )
    git_commit(repo, "en giltig specifikation")
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    passed = run([BIN / "pre-commit", "run", "--all-files"], cwd=repo, env=env)
    assert "avtal check" in passed and "Passed" in passed

    shutil.copy(FLAWED, repo / "specs" / "mini.yaml")
    failed = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    line = FLAWED.read_text(encoding="utf-8").split("\n").index("    type: foretag") + 1
    assert f"specs/mini.yaml:{line}:11: /parties/1/type: [KL-9-37-PART]" in failed.stdout


def test_from_an_empty_folder_init_new_fill_and_build_with_letterhead(
    installed: Path, tmp_path: Path
) -> None:
    """The issue's end-to-end case: pip install <wheel>, avtal init, avtal new, fill the
    fields, avtal build gives documents with the configured letterhead and logo."""
    repo = tmp_path / "familjeratt"
    env = clean_env(SOURCE_DATE_EPOCH="1790000000")
    run([installed / "avtal", "init", repo], cwd=tmp_path, env=env)
    new = [installed / "avtal", "new", "avtalssamverkan", "familjeratt-norr"]
    run([*new, "--parter", "exempelby,grannby"], cwd=repo, env=env)
    spec = repo / "specs" / "familjeratt-norr.yaml"
    spec.write_text(fill_skeleton(spec.read_text(encoding="utf-8")), encoding="utf-8")
    (repo / "brevhuvud").mkdir()
    (repo / "brevhuvud" / "exempelby.png").write_bytes(png(12, 6))
    with (repo / "avtal.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[organisations.exempelby]\n"
            'name_lines = ["Exempelby kommun", "Socialförvaltningen i Exempelby"]\n'
            'address = "Box 12, 123 45 Exempelby"\n'
            'logo = "brevhuvud/exempelby.png"\n'
        )
    assert "inga fel" in run([installed / "avtal", "check"], cwd=repo, env=env)
    run([installed / "avtal", "build"], cwd=repo, env=env)

    own = repo / "build" / "familjeratt-norr" / "exempelby"
    for name in ("tjansteutlatande", "beslut"):
        first = pypdf.PdfReader(own / f"{name}.pdf").pages[0]
        assert image_sizes(first) == [(12, 6)], f"{name} saknar logotypen"
        head = norm(first.extract_text())  # the postcode keeps its no-break space
        assert "Socialförvaltningen i Exempelby" in head and "Box 12, 123 45 Exempelby" in head

    agreement = pypdf.PdfReader(repo / "build" / "familjeratt-norr" / "avtal.pdf").pages[0]
    assert image_sizes(agreement) == [(12, 6)], "avtalet ska visa Exempelbys logotyp"
    text = agreement.extract_text()
    assert "Exempelby kommun" in text and "Grannby kommun" in text
    assert (repo / "build" / "familjeratt-norr" / "avtal.docx").is_file()


# --------------------------------------------------------------------------- a team's repository

SODRA = "familjeratt-sodra-roslagen.yaml"  # an example whose parties are all `ref:`


def without_avtal() -> str:
    """A PATH with git and python3 but no avtal (nor pre-commit) on it."""
    folders = [str(Path(p).parent) for p in (shutil.which("git"), shutil.which("python3")) if p]
    path = os.pathsep.join(dict.fromkeys(f for f in folders if not Path(f, "avtal").exists()))
    assert shutil.which("avtal", path=path) is None
    return path


def test_a_repository_from_the_wheel_works_from_the_first_commit(
    installed: Path, wheel: Path, tmp_path: Path
) -> None:
    """The issue's "done when", from a wheel in a folder outside the checkout."""
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    repo = tmp_path / "team"
    run([installed / "avtal", "init", repo], cwd=tmp_path, env=env)

    # requirements.txt installs the very wheel, in a venv of its own.
    requirement = (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement.startswith(f"avtal @ {wheel.as_uri()}#sha256="), requirement
    venv = repo / ".venv"
    run([sys.executable, "-m", "venv", venv], cwd=repo, env=env)
    run([venv / "bin" / "pip", "install", "-q", "-r", "requirements.txt"], cwd=repo, env=env)
    avtal = venv / "bin" / "avtal"

    # avtal new for both kinds, and a spec that refers to the party registry.
    run([avtal, "new", "avtalssamverkan", "nytt", "--parter", "a,b,c"], cwd=repo, env=env)
    run([avtal, "new", "samverkansoverenskommelse", "sok", "--parter", "r,k"], cwd=repo, env=env)
    for name in ("nytt", "sok"):
        assert (repo / "specs" / f"{name}.yaml").read_text(encoding="utf-8").startswith(
            "$schema: ../schemas/agreement.schema.json\n")
        (repo / "specs" / f"{name}.yaml").unlink()  # skeletons fail until filled in
    shutil.copytree(ROOT / "parties", repo / "parties", dirs_exist_ok=True)
    spec = repo / "specs" / SODRA
    shutil.copy(ROOT / "specs" / SODRA, spec)
    assert "  - ref: " in spec.read_text(encoding="utf-8")

    # The hook, installed by pre-commit from PyPI, runs at git commit with no avtal on PATH.
    run(["git", "init", "-q", "-b", "main"], cwd=repo)
    run([BIN / "pre-commit", "install"], cwd=repo, env=env)
    for key, value in (("diff.avtal.textconv", f"{avtal} textconv"),
                       ("diff.avtal.cachetextconv", "true")):
        run(["git", "config", key, value], cwd=repo)
    bare = {**env, "PATH": without_avtal()}
    run(["git", "add", "-A"], cwd=repo, env=bare)
    first = run(["git", "commit", "-m", "Första versionen"], cwd=repo, env=bare)
    assert re.search(r"avtal check\.+Passed", first), first

    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("copies: 4", "copies: 2", 1), encoding="utf-8")
    refused = subprocess.run(["git", "commit", "-qam", "Fel antal exemplar"], cwd=repo,
                             env=bare, capture_output=True, text=True, check=False)
    said = refused.stdout + refused.stderr  # git commit shows the hook's output on stderr
    assert refused.returncode != 0 and f"specs/{SODRA}:" in said and "copies" in said, said
    spec.write_text(text.replace("  start: 2026-09-01\n", "  start: 2026-10-01\n", 1),
                    encoding="utf-8")
    assert spec.read_text(encoding="utf-8") != text
    run(["git", "commit", "-qam", "Senare start"], cwd=repo, env=bare)

    # git diff and git log -p show the agreement's Swedish text, parties from the registry.
    for args in (["diff", "HEAD~1", "HEAD"], ["log", "-p"], ["log", "-p"]):  # then cached
        shown = subprocess.run(["git", *args, "--", f"specs/{SODRA}"], cwd=repo, env=bare,
                               capture_output=True, text=True, check=True)
        assert "-Avtalet gäller från och med 1 september 2026" in shown.stdout, shown.stdout[-2000:]
        assert "+Avtalet gäller från och med 1 oktober 2026" in shown.stdout
        assert "partsregistret" not in shown.stderr and "ref:" not in shown.stdout

    # A pull request that changes a party file alone runs the workflow's check.
    flow = yaml.safe_load((repo / ".github/workflows/avtal.yml").read_text(encoding="utf-8"))
    paths = flow.get("on", flow.get(True))["pull_request"]["paths"]
    assert "parties/**" in paths and "avtal.toml" in paths
    steps = " ".join(s.get("run", "") for s in flow["jobs"]["avtal"]["steps"])
    assert '.venv/bin/avtal check --format github --git "origin/$BASE_REF"' in steps
