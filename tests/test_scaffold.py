"""`avtal init` makes a working spec repository; `avtal new` a skeleton that fails at
each marked line until it is filled, and then passes avtal check and builds."""

from __future__ import annotations

import json
import re
from importlib.metadata import distribution
from pathlib import Path

import pytest
import yaml
from buildkit import fill_skeleton, norm, run_cli

from generator import laws
from generator.config import read_config
from generator.origin import from_direct_url, requirement
from generator.resources import schema_path
from generator.scaffold import KINDS, SCHEMA_COPY


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
        SCHEMA_COPY,
    ):
        assert (repo / name).is_file(), name
    config = read_config(repo / "avtal.toml")
    assert config.specs == repo / "specs" and config.formats == ("md", "pdf", "docx")
    assert "specs/*.yaml diff=avtal" in (repo / ".gitattributes").read_text(encoding="utf-8")
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "avtal new avtalssamverkan" in readme and "FYLL I" in readme
    assert "avtal new samverkansoverenskommelse" in readme
    assert (repo / SCHEMA_COPY).read_bytes() == schema_path().read_bytes()


def test_requirements_name_the_source_avtal_was_installed_from(repo: Path) -> None:
    """Not a version no index has: the wheel, URL, commit or folder pip recorded."""
    lines = (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
    [wanted] = [line for line in lines if line and not line.startswith("#")]
    assert wanted == requirement()
    installed = distribution("avtal").read_text("direct_url.json")
    if installed:  # this checkout, installed with pip install -e .
        assert wanted == f"avtal @ {json.loads(installed)['url']}"


@pytest.mark.parametrize(
    ("recorded", "wanted"),
    [
        ({"url": "file:///srv/avtal-0.2.0-py3-none-any.whl",
          "archive_info": {"hashes": {"sha256": "ab12"}}},
         "avtal @ file:///srv/avtal-0.2.0-py3-none-any.whl#sha256=ab12"),
        ({"url": "https://example.se/avtal-0.2.0-py3-none-any.whl",
          "archive_info": {"hash": "sha256=cd34"}},
         "avtal @ https://example.se/avtal-0.2.0-py3-none-any.whl#sha256=cd34"),
        ({"url": "https://example.se/avtal.whl", "archive_info": {}},
         "avtal @ https://example.se/avtal.whl"),
        ({"url": "https://git.example.se/avtal.git",
          "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "v1"}},
         "avtal @ git+https://git.example.se/avtal.git@0123abc"),
        ({"url": "file:///home/a/avtal", "dir_info": {"editable": True}},
         "avtal @ file:///home/a/avtal"),
    ],
)
def test_a_recorded_install_source_becomes_a_requirement(
    recorded: dict[str, object], wanted: str
) -> None:
    assert from_direct_url(recorded) == wanted


def test_a_broken_install_record_is_refused() -> None:
    with pytest.raises(ValueError):
        from_direct_url({"archive_info": {}})


def test_init_s_workflow_installs_from_requirements_with_pinned_actions(repo: Path) -> None:
    flow = yaml.safe_load((repo / ".github/workflows/avtal.yml").read_text(encoding="utf-8"))
    assert flow["permissions"] == {}
    assert flow["jobs"]["avtal"]["permissions"] == {"contents": "read"}
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    for step in steps:
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    runs = " ".join(s.get("run", "") for s in steps)
    assert "pip install -q -r requirements.txt" in runs and "-e ." not in runs
    assert "${{" not in runs  # expressions only through env, never into a shell line
    assert '.venv/bin/avtal check --format github --git "origin/$BASE_REF"' in runs
    assert any("github-script@" in s.get("uses", "") for s in steps), "ingen PR-kommentar"


def test_init_s_pre_commit_hook_installs_avtal_itself(repo: Path) -> None:
    """language: python with avtal from requirements.txt's source: no avtal on PATH needed."""
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks["repos"][0]["hooks"]
    assert hook["entry"] == "avtal check" and re.search(hook["files"], "specs/a.yaml")
    assert re.search(hook["files"], "parties/solna.yaml")  # checks the specs using it
    assert hook["language"] == "python"
    assert hook["additional_dependencies"] == [requirement()]


def test_init_s_editor_settings_and_specs_name_the_schema_in_the_repository(
    repo: Path,
) -> None:
    settings = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert schema == f"./{SCHEMA_COPY}" and (repo / schema).is_file()
    assert "specs/*.yaml" in globs
    for kind in KINDS:
        assert run_cli("new", kind, f"nytt-{kind}").code == 0
        first = (repo / "specs" / f"nytt-{kind}.yaml").read_text(encoding="utf-8")
        assert first.startswith("$schema: ../schemas/agreement.schema.json\n")
        assert (repo / "specs" / "../schemas/agreement.schema.json").is_file()


def test_check_warns_when_the_repository_s_schema_is_stale(repo: Path) -> None:
    assert run_cli("new", "avtalssamverkan", "ett-avtal").code == 0
    assert "schemas/agreement.schema.json" not in run_cli("check").stdout
    copy = repo / SCHEMA_COPY
    copy.write_text(copy.read_text(encoding="utf-8").replace('"title"', '"titel"', 1),
                    encoding="utf-8")
    said = run_cli("check").stdout
    stale = r"^schemas/agreement\.schema\.json: varning: .*kör avtal init"
    assert re.search(stale, said, re.M), said
    again = run_cli("init", ".")
    assert f"uppdaterade {Path('.') / SCHEMA_COPY}" in again.stderr
    assert copy.read_bytes() == schema_path().read_bytes()


def test_init_into_an_existing_repository_adds_what_is_missing_and_keeps_the_rest(
    repo: Path,
) -> None:
    (repo / "README.md").write_text("vår egen\n", encoding="utf-8")
    (repo / ".gitignore").write_text("/tmp/\n", encoding="utf-8")
    (repo / "requirements.txt").unlink()
    run = run_cli("init", repo, "--ci", "github,gitlab")
    assert run.code == 0, run.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == "vår egen\n"
    assert f"behöll (fanns redan) {repo / 'README.md'}" in run.stderr
    assert f"lade till {repo / 'requirements.txt'}" in run.stderr
    assert f"lade till {repo / '.gitlab-ci.yml'}" in run.stderr
    assert f"kompletterade {repo / '.gitignore'}" in run.stderr
    assert (repo / ".gitignore").read_text(encoding="utf-8") == "/tmp/\n/build/\n/.venv/\n"
    twice = run_cli("init", repo, "--ci", "github,gitlab")
    assert "lade till" not in twice.stderr and "kompletterade" not in twice.stderr


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


def test_new_writes_through_no_link(repo: Path, tmp_path: Path) -> None:
    """A pull request commits specs/<id>.yaml as a link to a file not yet made; `avtal
    new <id>` wrote the skeleton wherever it pointed (exists() is False for it)."""
    outside = tmp_path / "utanfor.yaml"
    (repo / "specs" / "tillagg.yaml").symlink_to(outside)
    run = run_cli("new", "avtalssamverkan", "tillagg")
    assert run.code == 2 and "tillagg.yaml är en symbolisk länk" in run.stderr
    assert not outside.exists()
    (repo / "specs").rename(repo / "egna")
    (repo / "specs").symlink_to(tmp_path)  # the whole folder, too
    run = run_cli("new", "avtalssamverkan", "nytt")
    assert run.code != 0 and "symboliska länkar" in run.stderr  # avtal.toml's folder
    assert not (tmp_path / "nytt.yaml").exists()


def test_check_reads_no_schema_copy_through_a_linked_folder(repo: Path, tmp_path: Path) -> None:
    """schemas -> elsewhere: whether the file there equals the schema was told (an
    oracle about a file outside the repository)."""
    assert run_cli("new", "avtalssamverkan", "ett-avtal").code == 0
    elsewhere = tmp_path / "annat"
    (repo / "schemas").rename(elsewhere)
    (repo / "schemas").symlink_to(elsewhere)
    said = run_cli("check").stdout
    assert "kopian av schemat är ingen vanlig fil" in said


def test_new_skeleton_assesses_no_procurement_exception_for_the_user(repo: Path) -> None:
    # The staff report writes each Hamburg criterion as the administration's assessment:
    # the skeleton leaves all four for the user to answer.
    assert run_cli("new", "avtalssamverkan", "familjeratt").code == 0
    data = yaml.safe_load((repo / "specs" / "familjeratt.yaml").read_text(encoding="utf-8"))
    assert data["procurement"]["basis"] == "hamburg"
    criteria = {k: v for k, v in data["procurement"]["hamburg"].items() if k != "contributions"}
    assert set(criteria.values()) == {None}
    # and each paying party's own contribution (C-429/19 Remondis)
    assert [c["text"] for c in data["procurement"]["hamburg"]["contributions"]] == [None]
    assert data["delegation"]["nature"] is None  # insatser or myndighetsutövning: the user's


def test_new_samverkansoverenskommelse_with_a_region_and_two_municipalities(repo: Path) -> None:
    run = run_cli("new", "samverkansoverenskommelse", "sok-missbruk",
                  "--parter", "region-vasterdal,dalstad,bjorkfors")
    assert run.code == 0, run.stderr
    spec = repo / "specs" / "sok-missbruk.yaml"
    text = spec.read_text(encoding="utf-8")
    marked = [n for n, line in enumerate(text.splitlines(), 1) if "# FYLL I" in line]
    check = run_cli("check")
    assert check.code == 1
    lines = {int(m) for m in re.findall(r"^specs/sok-missbruk\.yaml:(\d+):", check.stdout, re.M)}
    assert lines == set(marked), check.stdout

    filled = fill_skeleton(text)
    # Each party its own name and organisation number (the skeleton asks the same).
    for old, new in (("Dalstads kommun", "Björkfors kommun"), ("212000-0142", "212000-9812"),
                     ("212000-0142", "212000-9804"), ("212000-0142", "232100-9801")):
        head, _, tail = filled.rpartition(f": {old}\n")
        filled = f"{head}: {new}\n{tail}"
    # What the target group calls for is the user's to add (avtal check names it).
    spec.write_text(filled, encoding="utf-8")
    check = run_cli("check")
    assert re.findall(r": /(\S+): \[SOK-", check.stdout) == [  # the errors
        "group_specific/missbruk/private_providers"], check.stdout
    filled += ("group_specific:\n  missbruk:\n    private_providers: Överenskommelsen gäller "
               "också den som vårdas hos en privat utförare.\n")
    spec.write_text(filled, encoding="utf-8")
    check = run_cli("check")
    assert check.code == 0, check.stdout
    data = yaml.safe_load(filled)
    assert [p["id"] for p in data["parties"]] == ["region-vasterdal", "dalstad", "bjorkfors"]
    # The grounds are the registered provisions, cited to the section.
    grounds = {(r["sfs"], r["chapter"], str(r["section"])) for r in data["legal_basis"]}
    assert grounds == {(p.sfs, int(str(p.chapter)), p.section) for p in (
        laws.provisions()["sol-overenskommelse"], laws.provisions()["overenskommelse-hsl"])}
    assert "LAGRUM-" not in check.stdout
    assert [p["type"] for p in data["parties"]] == ["region", "kommun", "kommun"]
    assert run_cli("build", "--format", "md").code == 0
    text = (repo / "build" / "sok-missbruk" / "overenskommelse.md").read_text(encoding="utf-8")
    assert "Region Västerdal" in text and "Björkfors kommun" in text


def test_new_avtalssamverkan_with_three_parties(repo: Path) -> None:
    run = run_cli("new", "avtalssamverkan", "tre", "--parter", "ett,tva,tre")
    assert run.code == 0, run.stderr
    data = yaml.safe_load((repo / "specs" / "tre.yaml").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["parties"]] == ["ett", "tva", "tre"]
    assert [p["roles"] for p in data["parties"]] == [
        ["uppdragstagare"], ["uppdragsgivare"], ["uppdragsgivare"]]
    with pytest.raises(SystemExit) as refused:
        run_cli("new", "avtalssamverkan", "fel", "--parter", "ett,ett")
    assert refused.value.code == 2


def test_new_references_the_parties_the_registry_has(repo: Path) -> None:
    """A party with a file in parties/ is referenced: its name, number, organs and
    signatories come from there (nothing of it is asked again), its decision goes to
    its own social services board; a party without one is written out to fill in."""
    source = Path(__file__).resolve().parent.parent / "parties" / "abrink.yaml"
    (repo / "parties" / "abrink.yaml").write_bytes(source.read_bytes())
    run = run_cli("new", "avtalssamverkan", "jour", "--parter", "abrink,grannby")
    assert run.code == 0, run.stderr
    spec = repo / "specs" / "jour.yaml"
    text = spec.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    performer, principal = data["parties"]
    assert performer["ref"] == "abrink" and "name" not in performer and "org_nr" not in performer
    assert performer["decision"]["organ"] == "socialnamnden"
    assert principal["id"] == "grannby" and "ref" not in principal
    marked = [n for n, line in enumerate(text.splitlines(), 1) if "# FYLL I" in line]
    check = run_cli("check")
    lines = {int(m) for m in re.findall(r"^specs/jour\.yaml:(\d+):", check.stdout, re.M)}
    assert lines == set(marked), check.stdout
    # the one who signs is the registry's signatory (the board's chair)
    filled = re.sub(r"signing_authority: .*", "signing_authority: ordföranden i socialnämnden",
                    fill_skeleton(text))
    spec.write_text(filled, encoding="utf-8")
    check = run_cli("check", "--strict")
    assert check.code == 0, check.stdout
    assert run_cli("build", "--format", "md").code == 0
    agreement = norm((repo / "build" / "jour" / "avtal.md").read_text(encoding="utf-8"))
    assert "Åbrinks kommun" in agreement and "212000" in agreement and "Jan Ek" in agreement


def test_new_samverkansoverenskommelse_takes_the_region_from_the_registry(repo: Path) -> None:
    region = {"id": "region-norr", "name": "Region Norr", "type": "region",
              "org_nr": "232100-0016",
              "organs": [{"id": "regionstyrelsen", "name": "Regionstyrelsen"}],
              "signatories": [{"name": "Eva Berg", "title": "Regionstyrelsens ordförande"}]}
    (repo / "parties" / "region-norr.yaml").write_text(
        yaml.safe_dump(region, allow_unicode=True), encoding="utf-8")
    run = run_cli("new", "samverkansoverenskommelse", "sok", "--parter", "region-norr,byn")
    assert run.code == 0, run.stderr
    data = yaml.safe_load((repo / "specs" / "sok.yaml").read_text(encoding="utf-8"))
    first, second = data["parties"]
    assert first == {"ref": "region-norr", "roles": ["huvudman"]}
    assert second["id"] == "byn" and second["type"] == "kommun"
