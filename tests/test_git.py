"""`avtal diff --git` and `avtal textconv` in real git repositories built in tmp_path.

Each repository gets its own user name and e-mail (local config), a copy of an example
spec under specs/, and commits made by the test. Nothing runs git in the project itself.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from buildkit import ROOT, SPECS_DIR, Run, dump, pin, read_yaml, run_cli

from generator.consistency import luhn_ok

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git saknas")

FAM = "familjebehandling-norrstrom-fjallviken.yaml"
RATT = "familjeratt-sodra-roslagen.yaml"
AUTHOR = "Anna Jurist"


# --------------------------------------------------------------------------- helpers


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent), LC_ALL="C")
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def make_repo(tmp_path: Path, *names: str) -> Path:
    """A repository with the given example specs in specs/, committed once."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", AUTHOR)
    git(repo, "config", "user.email", "anna.jurist@example.se")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(SPECS_DIR.parent / "parties", repo / "parties")  # the party registry
    for name in names:
        shutil.copy(SPECS_DIR / name, repo / "specs" / name)
        if name == FAM:
            save(repo, name, pin(load(repo, name)))
    commit(repo, "Första versionen")
    return repo


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def load(repo: Path, name: str) -> dict[str, Any]:
    return read_yaml(repo / "specs" / name)


def save(repo: Path, name: str, data: dict[str, Any]) -> None:
    dump(data, repo / "specs" / name)


def org_nr(first_nine: str) -> str:
    digit = next(d for d in "0123456789" if luhn_ok(first_nine + d))
    return f"{first_nine[:6]}-{first_nine[6:]}{digit}"


def avtal(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Run:
    """`avtal ARGS` run in-process with the repository as working directory."""
    monkeypatch.chdir(repo)
    return run_cli(*args)


def the_second_commit(data: dict[str, Any]) -> dict[str, Any]:
    """A moved and reworded task, a new party (and its signed copy), a later start, an
    edited clause."""
    new = copy.deepcopy(data)
    tasks = new["tasks"]["included"]
    moved = next(t for t in tasks if t["id"] == "uppfoljning")
    tasks.remove(moved)
    moved["text"] = moved["text"].replace("sex månader", "tolv månader")
    tasks.insert(0, moved)
    party = copy.deepcopy(new["parties"][-1])
    party.update(id="lund", name="Lunds kommun", org_nr=org_nr("212000975"))
    new["parties"].append(party)
    new["signing"]["copies"] = 3  # every party signs its own paper copy
    new["term"]["start"] = "2026-10-01"
    clause = new["additional_clauses"][0]
    clause["text"] = clause["text"].replace("**Tolk** ingår inte.", "**Tolk** ingår aldrig.")
    return new


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits of one spec: HEAD~1 as in specs/, HEAD with the_second_commit."""
    repo = make_repo(tmp_path, FAM)
    save(repo, FAM, the_second_commit(load(repo, FAM)))
    commit(repo, "Lund ansluter, senare start")
    return repo


# --------------------------------------------------------------------------- diff --git


def test_diff_between_two_commits(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout)
    assert spec["spec"] == f"specs/{FAM}"
    assert "Lunds kommun tillagd som part" in spec["summary"]
    changes = {(c["pointer"], c["kind"]): c for c in spec["changes"]}
    assert set(changes) == {
        ("/parties/2", "tillagd"),
        ("/signing/copies", "ändrad"),
        ("/term/start", "ändrad"),
        ("/tasks/included/0/text", "ändrad"),
        ("/tasks/included", "flyttad"),
        ("/additional_clauses/0/text", "ändrad"),
    }
    start = changes[("/term/start", "ändrad")]
    assert (start["old"], start["new"]) == ("1 september 2026", "1 oktober 2026")
    assert start["section"] == "Avtalstid" and re.fullmatch(r"§ \d+", start["number"])
    reworded = changes[("/tasks/included/0/text", "ändrad")]
    assert "sex månader" in reworded["old"] and "tolv månader" in reworded["new"]
    clause = changes[("/additional_clauses/0/text", "ändrad")]
    assert "ingår inte" in clause["old"] and "ingår aldrig" in clause["new"]
    assert clause["section"] == "Resor, lokaler och tolk"
    assert all(c["needs_approval"] for c in spec["changes"])


def test_diff_between_two_commits_as_text(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--text")
    assert run.code == 0, run.stderr
    out = run.stdout
    assert out.startswith(
        f"specs/{FAM} (Avtal om avtalssamverkan kring strukturerad familjebehandling): "
        "6 ändringar, 6 kräver nytt beslut"
    )
    assert "Lunds kommun tillagd som part" in out
    assert re.search(r"^  § \d+ Avtalstid\n    ändrad: ", out, re.M)
    assert "1 september 2026 → 1 oktober 2026  [kräver nytt beslut]" in out
    assert "1 [-september-] {+oktober+} 2026" in out
    assert "flyttad:" in out


def test_a_range_without_an_end_means_head(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    both = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json").stdout
    short = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..", "--format", "json").stdout
    assert json.loads(both) == json.loads(short)


def test_working_tree_against_a_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = load(repo, FAM)
    data["termination"]["notice_months"] = 9
    data["parties"][0]["contacts"][0]["phone"] = "0611-34 82 99"
    save(repo, FAM, data)  # not committed
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout)
    approval = {c["pointer"]: c["needs_approval"] for c in spec["changes"]}
    assert approval == {"/termination/notice_months": True, "/parties/0/contacts/0/phone": False}

    # Against the first commit, the committed and the uncommitted changes together.
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1", "--format", "json")
    pointers = {c["pointer"] for c in json.loads(run.stdout)[0]["changes"]}
    assert {"/termination/notice_months", "/term/start", "/parties/2"} <= pointers


def test_a_clean_working_tree_has_nothing_to_report(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD", "--format", "json")
    assert (run.code, json.loads(run.stdout)) == (0, [])


def test_paths_limit_the_specs_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path, FAM, RATT)
    for name in (FAM, RATT):
        data = load(repo, name)
        data["term"]["start"] = "2026-10-01"
        save(repo, name, data)
    commit(repo, "Senare start")
    every = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    assert [s["spec"] for s in json.loads(every.stdout)] == [f"specs/{FAM}", f"specs/{RATT}"]
    one = avtal(
        repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", f"specs/{RATT}", "--format", "json"
    )
    assert [s["spec"] for s in json.loads(one.stdout)] == [f"specs/{RATT}"]
    # From a subdirectory, paths are relative to it.
    inside = avtal(repo / "specs", monkeypatch, "diff", "--git", "HEAD~1..HEAD", FAM)
    assert inside.code == 0, inside.stderr
    assert inside.stdout.startswith(f"{FAM} (Avtal om avtalssamverkan kring ")


def test_a_new_spec_is_a_new_agreement_that_needs_decisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    shutil.copy(SPECS_DIR / RATT, repo / "specs" / RATT)
    commit(repo, "Nytt avtal")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "markdown")
    assert run.code == 0, run.stderr
    assert f"**`specs/{RATT}`**: ny specifikation" in run.stdout
    assert "Inga ändringar kräver nytt beslut" not in run.stdout
    assert "**Kräver nytt beslut**" in run.stdout


def test_a_removed_spec_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path, FAM, RATT)
    (repo / "specs" / RATT).unlink()
    commit(repo, "Avtalet har upphört")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD")
    assert run.code == 0, run.stderr
    assert f"specs/{RATT}" in run.stdout
    assert "specifikationen är borttagen" in run.stdout


def test_an_unknown_revision_is_an_error_with_git_s_message(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(repo, monkeypatch, "diff", "--git", "finnsinte")
    assert run.code != 0
    assert "finnsinte" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("rev", ["finnsinte", "HEAD~9", "HEAD~1..finnsinte"])
def test_an_unknown_revision_is_told_in_swedish_with_what_to_write(
    repo: Path, monkeypatch: pytest.MonkeyPatch, rev: str
) -> None:
    for command in (("diff", "--git", rev), ("check", "--git", rev)):
        run = avtal(repo, monkeypatch, *command)
        assert run.code != 0
        assert "finns inte i git" in run.stderr and "HEAD~1" in run.stderr, run.stderr
        assert "fatal" not in run.stderr and "bad revision" not in run.stderr


def test_diff_outside_a_git_repository_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "specs").mkdir()
    run = avtal(tmp_path, monkeypatch, "diff", "--git", "HEAD")
    assert run.code != 0
    assert "inget git-förråd" in run.stderr and "avtal diff GAMMAL NY" in run.stderr
    assert "usage" not in run.stderr and "warning" not in run.stderr


def test_redline_from_git_uses_the_commit_author_and_revisions(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--redline", "--format", "json")
    assert run.code == 0, run.stderr
    old, new = (git(repo, "rev-parse", "--short", r).strip() for r in ("HEAD~1", "HEAD"))
    folder = repo / "build" / "familjebehandling-norrstrom-fjallviken"
    docx = folder / f"redline-{old}-{new}.docx"  # same version: revisions name the files
    assert docx.exists(), sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert (folder / f"redline-{old}-{new}.pdf").exists()
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    authors = set(re.findall(r'<w:(?:ins|del)\b[^>]*w:author="([^"]*)"', xml))
    assert authors == {AUTHOR}
    day = git(repo, "log", "-1", "--format=%aI", "HEAD").strip()[:10]
    dates = {d[:10] for d in re.findall(r'<w:(?:ins|del)\b[^>]*w:date="([^"]*)"', xml)}
    assert dates == {day}


def test_redline_of_the_working_tree_is_named_after_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = load(repo, FAM)
    data["termination"]["notice_months"] = 9
    save(repo, FAM, data)
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD", "--redline", "--out", "ut")
    assert run.code == 0, run.stderr
    head = git(repo, "rev-parse", "--short", "HEAD").strip()
    names = sorted(p.name for p in (repo / "ut").rglob("redline-*"))
    assert names == [f"redline-{head}-arbetskopia.{ext}" for ext in ("docx", "md", "pdf")]


# --------------------------------------------------------------------------- textconv


def test_textconv_prints_the_agreement_as_plain_text(tmp_path: Path) -> None:
    spec = tmp_path / FAM
    data = pin(yaml.safe_load((SPECS_DIR / FAM).read_text(encoding="utf-8")))
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = run_cli("textconv", spec)
    assert run.code == 0, run.stderr
    out = run.stdout
    assert out.startswith(f"===== {data['id']}/avtal =====\n")
    assert re.search(r"^# § \d+ Avtalstid$", out, re.M)
    assert "Avtalet gäller från och med 1 september 2026" in out
    assert "start: 2026-09-01" not in out and "notice_months" not in out
    assert f"Version 1.0 · {data['date']}" in out
    for line in out.splitlines():
        stripped = line.rstrip("\\")  # a hard line break is not an escape
        assert not re.search(r"\\[^\s]", stripped), f"Markdown-escape kvar: {line!r}"


def test_textconv_of_an_invalid_spec_prints_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "trasig.yaml"
    broken.write_text("id: trasig\nparties: [\n", encoding="utf-8")
    run = run_cli("textconv", broken)
    assert run.code == 0
    assert run.stdout == "id: trasig\nparties: [\n"
    assert "textconv" in run.stderr

    invalid = tmp_path / "ogiltig.yaml"
    invalid.write_text("kind: avtalssamverkan\nid: x\n", encoding="utf-8")
    run = run_cli("textconv", invalid)
    assert (run.code, run.stdout) == (0, "kind: avtalssamverkan\nid: x\n")


def test_git_diff_shows_agreement_prose(repo: Path) -> None:
    (repo / ".gitattributes").write_text("specs/*.yaml diff=avtal\n", encoding="utf-8")
    git(repo, "config", "diff.avtal.textconv", f'"{sys.executable}" -m generator textconv')
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(repo.parent),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    done = subprocess.run(
        ["git", "diff", "--no-color", "HEAD~1", "HEAD", "--", f"specs/{FAM}"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "-Avtalet gäller från och med 1 september 2026" in out
    assert "+Avtalet gäller från och med 1 oktober 2026" in out
    assert "+- **Lunds kommun**, organisationsnummer" in out
    assert not re.search(r"^[-+]\s*start: ", out, re.M), "git diff visar YAML, inte avtalet"
    assert not re.search(r"^[-+]\s*- id: ", out, re.M)


def test_readme_textconv_setup_names_a_real_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [line] = re.findall(r'^git config diff\.avtal\.textconv "(.+)"$', readme, re.M)
    assert line == ".venv/bin/avtal textconv"
    # git keeps each version's text instead of rendering it again at every git log -p.
    assert re.search(r"^git config diff\.avtal\.cachetextconv true$", readme, re.M)
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert re.search(r"^specs/\*\.yaml\s+diff=avtal$", attributes, re.M)


# --------------------------------------------------------------------------- a review


def six_commits(repo: Path) -> None:
    """The familjerätt agreement changed as a branch would change it, one commit each."""
    data = load(repo, RATT)
    shares = {"taby": 40, "danderyd": 20, "lidingo": 30, "vaxholm": 10}
    data["economics"]["model"] = {
        "type": "fasta_andelar",
        "total_cost": 14200000,
        "shares": [{"parties": [p], "percent": v} for p, v in shares.items()],
    }
    save(repo, RATT, data)
    commit(repo, "Fasta andelar i stället för invånarantal")
    data["term"]["end"] = "2030-08-31"
    save(repo, RATT, data)
    commit(repo, "Längre avtalstid")
    data["parties"][1]["signatories"].append({"name": "Eva Berg", "title": "Socialchef"})
    save(repo, RATT, data)
    commit(repo, "Ny undertecknare i Danderyd")
    data["purpose"] = data["purpose"].replace("mer effektivt", "effektivare")
    save(repo, RATT, data)
    commit(repo, "Språket i syftet")
    party = copy.deepcopy(data["parties"][3])
    del party["decision"]
    party.update(id="osteraker", name="Österåkers kommun", org_nr=org_nr("212000974"))
    data["parties"].append(party)
    model = data["economics"]["model"]
    model["shares"][0]["percent"] = 35
    model["shares"].append({"parties": ["osteraker"], "percent": 5})
    data["signing"]["copies"] = 5
    save(repo, RATT, data)
    commit(repo, "Österåker ansluter")
    data["additional_clauses"] = [
        {"id": "lokaler", "heading": "Lokaler", "after": "kostnader",
         "text": "Täby står för lokalerna."}
    ]
    save(repo, RATT, data)
    commit(repo, "Klausul om lokaler")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path, RATT)
    six_commits(repo)
    return repo


def by_pointer(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["pointer"]: c for c in spec["changes"]}


def test_a_review_reads_in_the_agreement_s_words(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(review, monkeypatch, "diff", "--git", "HEAD~6..HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout.replace("\xa0", " "))
    changes = by_pointer(spec)
    model = changes["/economics/model/type"]
    assert (model["label"], model["old"], model["new"]) == (
        "Modell", "Efter invånarantal", "Fasta andelar"
    )
    shares = changes["/economics/model/shares"]
    assert shares["new"].startswith("Täby kommun: 35 %; Danderyds kommun: 20 %")
    assert "taby" not in shares["new"] and "percent" not in shares["new"]
    populations = changes["/economics/model/populations"]
    assert "Täby kommun: invånare 75 912" in populations["old"], populations["old"]
    amounts = {a["who"]: (a["old"], a["new"]) for a in spec["amounts"]}
    assert amounts["Täby kommun"] == ("6 325 814 kronor (44,5 %)", "4 970 000 kronor (35 %)")
    assert amounts["Österåkers kommun"] == ("–", "710 000 kronor (5 %)")
    assert set(amounts) == {
        "Täby kommun", "Danderyds kommun", "Lidingö stad", "Vaxholms stad", "Österåkers kommun"
    }  # fmt: skip
    assert "Socialnämnden (Österåkers kommun)" in spec["organs"]
    assert "Socialnämnden (Täby kommun)" in spec["organs"]
    clause = changes["/additional_clauses"]
    assert (clause["kind"], clause["new"], clause["section"]) == ("tillagd", "Lokaler", "Lokaler")
    assert re.fullmatch(r"§ \d+", clause["number"]), clause  # its own numbered section


def test_a_reworded_purpose_is_editorial_and_shown_as_words(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(review, monkeypatch, "diff", "--git", "HEAD~6..HEAD", "--format", "json")
    changes = by_pointer(json.loads(run.stdout.replace("\xa0", " "))[0])
    purpose = changes["/purpose"]
    assert purpose["editorial"] is True
    assert "[-mer effektivt.-] {+effektivare.+}" in purpose["words"]
    assert purpose["needs_approval"] is True  # the agreement has no rule for editorial changes
    assert changes["/term/end"]["editorial"] is False
    assert changes["/economics/model/type"]["editorial"] is False
    text = avtal(review, monkeypatch, "diff", "--git", "HEAD~6..HEAD").stdout
    assert re.search(r"ändrad \(redaktionell\): Syfte: .*\[-mer effektivt\.-\]", text)


def test_an_editorial_change_needs_no_decision_when_the_agreement_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, RATT)
    data = load(repo, RATT)
    data["amendments"]["editorial"] = True
    save(repo, RATT, data)
    commit(repo, "Redaktionella ändringar utan beslut")
    data["purpose"] = data["purpose"].replace("mer effektivt", "effektivare")
    data["background"] = data["background"].replace("De fyra", "De tre")  # a number
    data["insurance"] = data["insurance"].replace("Varje part svarar", "Varje part ska svara")
    save(repo, RATT, data)
    commit(repo, "Språket")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    changes = by_pointer(json.loads(run.stdout.replace("\xa0", " "))[0])
    assert (changes["/purpose"]["editorial"], changes["/purpose"]["needs_approval"]) == (
        True, False
    )
    for material in ("/background", "/insurance"):  # a number, a modal verb
        assert (changes[material]["editorial"], changes[material]["needs_approval"]) == (
            False, True
        ), material
    # The agreement itself says so, in § Ändringar och tillägg.
    built = avtal(repo, monkeypatch, "build", "--format", "md")
    assert built.code == 0, built.stderr
    agreement = (repo / "build" / "familjeratt-sodra-roslagen" / "avtal.md").read_text()
    assert "Redaktionella ändringar" in agreement and "kräver inte nya beslut" in agreement


def test_a_review_warns_where_the_new_version_does_not_fit_its_change(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = avtal(review, monkeypatch, "diff", "--git", "HEAD~6..HEAD", "--format", "json")
    warnings = json.loads(run.stdout.replace("\xa0", " "))[0]["warnings"]
    assert any("versionen är fortfarande 1.0" in w for w in warnings), warnings
    assert any("status är ”Beslutad”" in w for w in warnings), warnings
    assert any("Österåkers kommun är ny part men saknar beslutsuppgifter" in w for w in warnings)
    markdown = avtal(review, monkeypatch, "diff", "--git", "HEAD~6..HEAD", "--format", "markdown")
    body = markdown.stdout.replace("\xa0", " ")
    head = body[: body.index("<details>")]
    assert ":warning: versionen är fortfarande 1.0" in head
    assert "| Österåkers kommun | – | 710 000 kronor (5 %) |" in head
    assert "Beslutas på nytt av: Socialnämnden (Täby kommun)" in head
    # A new version with a new status: no warnings left but the party's.
    data = load(review, RATT)
    data.update(version="2.0", status="remiss")
    save(review, RATT, data)
    run = avtal(review, monkeypatch, "diff", "--git", "HEAD~6", "--format", "json")
    [left] = json.loads(run.stdout.replace("\xa0", " "))[0]["warnings"]
    assert left.startswith("Österåkers kommun är ny part")
    # Fewer signed copies than parties is an error of form, in check and diff alike.
    data["signing"]["copies"] = 4
    save(review, RATT, data)
    checked = avtal(review, monkeypatch, "check", f"specs/{RATT}")
    assert "avtalet har 5 parter men skrivs ut i 4 exemplar" in checked.stdout
    # The diff names it and still compares the others (the check fails the pull request).
    refused = avtal(review, monkeypatch, "diff", "--git", "HEAD~6")
    assert refused.code == 0 and "4 exemplar" in refused.stderr
    assert f"specs/{RATT}: kan inte jämföras: rad " in refused.stdout
    assert "avtalet har 5 parter men skrivs ut i 4 exemplar" in refused.stdout


def test_a_new_spec_is_summarised_not_listed_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    shutil.copy(SPECS_DIR / RATT, repo / "specs" / RATT)
    commit(repo, "Nytt avtal")
    run = avtal(
        repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "markdown", "--text"
    )
    out = run.stdout.replace("\xa0", " ")
    assert (
        f"**`specs/{RATT}`**: ny specifikation: Avtalssamverkan mellan Täby kommun, "
        "Danderyds kommun, Lidingö stad och Vaxholms stad, från 1 september 2026 till "
        "31 augusti 2029" in out
    )
    assert "| Kostnad, Täby kommun | 6 325 814 kronor (44,5 %) |" in out
    assert "| Beslutas av | Socialnämnden (Täby kommun), " in out
    assert "Textändringar" not in out  # the whole agreement is in the artifact
    assert len(out) < 5000


def test_the_comment_fits_github_s_limit_with_the_summary_first(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("diff", "--git", "HEAD~6..HEAD", "--format", "markdown", "--text")
    whole = avtal(review, monkeypatch, *args, "--limit", "0").stdout
    url = "https://example.se/run/1"
    cut = avtal(review, monkeypatch, *args, "--limit", "3000", "--details-url", url).stdout
    assert len(whole) > 3000 and len(cut) <= 3000
    head = whole[: whole.index("<details>")]
    assert cut.startswith(head)  # summary, warnings and amounts are kept whole
    assert cut.count("<details>") == cut.count("</details>") >= 1
    assert cut.rstrip().endswith(
        f"Hela jämförelsen finns i [jobbets sammanfattning]({url}) och i artefakten "
        "avtal-build (med redlines)._"
    )
    default = avtal(review, monkeypatch, *args).stdout
    assert default == whole  # under the default limit nothing is cut


def test_a_redline_of_a_range_names_the_commit_behind_each_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    data = load(repo, FAM)
    steps = (
        ("Bo Berg", "2026-03-02T10:00:00+01:00", ("term", "start"), "2026-10-01"),
        ("Cilla Ek", "2026-04-03T11:00:00+02:00", ("termination", "notice_months"), 9),
        ("Dan Lind", "2026-05-04T12:00:00+02:00", ("title",), data["title"] + " och tolkning"),
    )
    for name, when, (*path, key), value in steps:
        node = data
        for part in path:
            node = node[part]
        node[key] = value
        save(repo, FAM, data)
        git(repo, "add", "-A")
        git(repo, "-c", f"user.name={name}", "commit", "-q", "--date", when, "-m", name)
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~3..HEAD", "--redline")
    assert run.code == 0, run.stderr
    [docx] = (repo / "build").rglob("redline-*.docx")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    marks = re.findall(
        r'<w:(ins|del)\b[^>]*w:author="([^"]*)" w:date="([^"]*)"[^/]*?>(.*?)</w:\1>', xml, re.S
    )
    by_author: dict[str, set[str]] = {}
    for _, author, date, body in marks:
        words = "".join(re.findall(r"<w:(?:t|delText)[^>]*>([^<]*)<", body))
        by_author.setdefault(f"{author} {date[:10]}", set()).add(words.strip())
    assert set(by_author) == {"Bo Berg 2026-03-02", "Cilla Ek 2026-04-03", "Dan Lind 2026-05-04"}
    assert {"september", "oktober"} <= by_author["Bo Berg 2026-03-02"]
    assert any("nio" in w or "9" in w for w in by_author["Cilla Ek 2026-04-03"])
    assert "och tolkning" in by_author["Dan Lind 2026-05-04"]
    # With --author, one name for all, as before.
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~3..HEAD", "--redline", "--author", "X")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert set(re.findall(r'<w:(?:ins|del)\b[^>]*w:author="([^"]*)"', xml)) == {"X"}


def test_check_since_a_revision_warns_where_a_spec_does_not_fit_its_change(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = git(review, "rev-parse", "HEAD~6").strip()
    run = avtal(review, monkeypatch, "check", "--git", base, f"specs/{RATT}")
    text = (review / "specs" / RATT).read_text(encoding="utf-8").splitlines()
    line_of = {key: text.index(line) + 1 for key, line in (
        ("version", "version: '1.0'"), ("status", "status: beslutad"),
    )}  # fmt: skip
    lines = run.stdout.splitlines()
    [version] = [x for x in lines if "[ANDRING-VERSION]" in x]
    assert version.startswith(f"specs/{RATT}:{line_of['version']}:")
    assert " /version: varning: [ANDRING-VERSION] versionen är fortfarande 1.0" in version
    [status] = [x for x in lines if "[ANDRING-STATUS]" in x]
    assert status.startswith(f"specs/{RATT}:{line_of['status']}:")
    [party] = [x for x in lines if "[ANDRING-NY-PART]" in x]
    assert " /parties/4: varning: [ANDRING-NY-PART] Österåkers kommun är ny part" in party
    assert run.code == 0  # warnings, not errors; --strict makes them fail
    strict = avtal(review, monkeypatch, "check", "--git", base, "--strict", f"specs/{RATT}")
    assert strict.code == 1
    # Without --git, or against the last commit (no change), none of them.
    plain = avtal(review, monkeypatch, "check", f"specs/{RATT}").stdout
    same = avtal(review, monkeypatch, "check", "--git", "HEAD", f"specs/{RATT}").stdout
    assert "ANDRING-" not in plain and "ANDRING-" not in same
    # In GitHub's annotations too, at the line of the version.
    github = avtal(review, monkeypatch, "check", "--git", base, "--format", "github").stdout
    assert f"::warning file=specs/{RATT},line={line_of['version']}," in github
