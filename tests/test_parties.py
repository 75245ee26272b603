"""The party registry: parties/<id>.yaml written once, referenced from specs by id with
per-agreement additions; errors at the right file and line; the build and the diff see
through the references."""

from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from buildkit import FIXTURE, dump, read_yaml, run_cli
from jsonschema import Draft202012Validator

from generator.load import load_spec
from generator.parties import as_id, folder_source
from generator.schema import load_schema

PER_AGREEMENT = ("roles", "decision")  # what each agreement says itself about Stockholm


def registry_repo(root: Path, *, specs: int = 1) -> Path:
    """A repository whose specs refer to parties/stockholm.yaml (from the fixture)."""
    data = read_yaml(FIXTURE)
    party = data["parties"][0]
    (root / "parties").mkdir(parents=True)
    (root / "specs").mkdir()
    dump({k: v for k, v in party.items() if k not in PER_AGREEMENT}, root / "parties" /
         "stockholm.yaml")
    for number in range(specs):
        spec = copy.deepcopy(data)
        spec["id"] = f"mini-{number}"
        spec["parties"][0] = {"ref": "stockholm", **{k: party[k] for k in PER_AGREEMENT}}
        dump(spec, root / "specs" / f"mini-{number}.yaml")
    return root


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return registry_repo(tmp_path)


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_a_reference_gives_the_registry_party_with_the_spec_s_additions(repo: Path) -> None:
    spec = load_spec(Path("specs/mini-0.yaml"), parties=folder_source(Path("parties")))
    party = spec.data["parties"][0]
    assert party["id"] == "stockholm" and party["name"] == "Stockholms stad"
    assert party["org_nr"] == "212000-0142" and "decision" in party
    assert "ref" not in party
    assert str(spec.locate("/parties/0/org_nr")).startswith(
        f"parties/stockholm.yaml:{line_of(repo / 'parties/stockholm.yaml', 'org_nr')}:"
    )
    assert str(spec.locate("/parties/0/decision/organ")).startswith("specs/mini-0.yaml:")
    assert run_cli("check").code == 0


def test_the_agreement_names_the_registry_party(repo: Path) -> None:
    assert run_cli("build", "--format", "md").code == 0
    text = (repo / "build" / "mini-0" / "avtal.md").read_text(encoding="utf-8")
    assert "Stockholms stad" in text and "212000\\-0142" in text


def test_an_error_in_a_party_file_is_located_there(repo: Path) -> None:
    party = repo / "parties" / "stockholm.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("212000-0142", "212000-0143"),
                     encoding="utf-8")
    run = run_cli("validate")
    assert run.code == 1
    line = line_of(party, "org_nr")
    assert f"parties/stockholm.yaml:{line}:9: /parties/0/org_nr:" in run.stdout


def test_an_unknown_reference_is_located_at_the_ref(repo: Path) -> None:
    spec = repo / "specs" / "mini-0.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("ref: stockholm", "ref: stokholm"),
                    encoding="utf-8")
    run = run_cli("validate")
    assert run.code == 1
    line = line_of(spec, "ref: stokholm")
    assert f"specs/mini-0.yaml:{line}:" in run.stdout
    assert "parten ”stokholm” finns inte i partsregistret; skapa parties/stokholm.yaml" in (
        run.stdout
    )
    registry = sorted(p.stem for p in (repo / "parties").glob("*.yaml"))
    assert f"Menade du ”stockholm”? Registret har {', '.join(registry)}." in run.stdout


@pytest.mark.parametrize(("written", "meant"), [("Stockholm", "stockholm"),
                                                 ("region stockholm", "region-stockholm")])
def test_an_id_written_as_a_name_gets_the_id_it_means(
    repo: Path, written: str, meant: str
) -> None:
    """A party's name, or an id with capitals, å/ä/ö or spaces, where an id belongs: the
    message says which id to write, in a ref and in any other field that names a party."""
    spec = repo / "specs" / "mini-0.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("ref: stockholm", f"ref: {written}"), encoding="utf-8")
    run = run_cli("validate")
    assert run.code == 1
    assert f"här troligen ref: {as_id(written)}" in run.stdout
    data = read_yaml_raw(spec)
    data["parties"][0]["ref"] = "stockholm"
    data.setdefault("information", {}).setdefault("records", {})["archive_responsible"] = written
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = run_cli("validate")
    assert f"”{written}” har fel form: ett id skrivs med små bokstäver" in run.stdout
    assert f"skriv troligen ”{meant}”" in run.stdout


def test_as_id_folds_swedish_letters() -> None:
    assert as_id("Stensjö") == "stensjo"
    assert as_id("Ålgården") == "algarden"
    assert as_id("Region Väst – Norr") == "region-vast-norr"


def test_the_spec_s_own_key_wins_over_the_registry(repo: Path) -> None:
    spec = repo / "specs" / "mini-0.yaml"
    data = read_yaml_raw(spec)
    assert data["parties"][0]["ref"] == "stockholm"
    data["parties"][0]["signatories"] = [{"name": "Eva Holm", "title": "Ordförande",
                                          "organ": "socialnamnden"}]
    dump(data, spec)
    loaded = load_spec(Path("specs/mini-0.yaml"), parties=folder_source(Path("parties")))
    assert loaded.data["parties"][0]["signatories"][0]["name"] == "Eva Holm"
    assert str(loaded.locate("/parties/0/signatories/0/name")).startswith("specs/mini-0.yaml:")


def test_a_party_file_with_another_id_is_refused_in_that_file(repo: Path) -> None:
    party = repo / "parties" / "stockholm.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("id: stockholm", "id: sthlm"),
                     encoding="utf-8")
    run = run_cli("validate")
    assert run.code == 1
    assert f"parties/stockholm.yaml:{line_of(party, 'id: sthlm')}:" in run.stdout


def test_a_changed_party_file_rebuilds_the_agreement(repo: Path) -> None:
    assert run_cli("build", "--format", "md").code == 0
    party = repo / "parties" / "stockholm.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("name: Stockholms stad",
                                                               "name: Stockholms kommun"),
                     encoding="utf-8")
    run = run_cli("build", "--format", "md")
    assert run.code == 0
    agreement = (repo / "build" / "mini-0" / "avtal.md").read_text(encoding="utf-8")
    assert "Stockholms kommun" in agreement


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@e.se",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@e.se"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_a_changed_party_file_lists_every_agreement_that_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = registry_repo(tmp_path, specs=2)
    other: dict[str, Any] = read_yaml(FIXTURE)
    other["id"] = "utan-stockholm"
    other["parties"][0]["id"] = "solna"
    other["parties"][0]["name"] = "Solna stad"
    dump(other, repo / "specs" / "utan-stockholm.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    party = repo / "parties" / "stockholm.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("Stockholms stad",
                                                               "Stockholms kommun"),
                     encoding="utf-8")
    monkeypatch.chdir(repo)
    run = run_cli("diff", "--git", "HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    assert "specs/mini-0.yaml" in run.stdout and "specs/mini-1.yaml" in run.stdout
    assert "utan-stockholm" not in run.stdout
    assert "Stockholms kommun" in run.stdout


def test_organs_are_named_in_the_registry_and_given_their_tasks_in_the_agreement(
    repo: Path,
) -> None:
    spec = repo / "specs" / "mini-0.yaml"
    data = read_yaml_raw(spec)
    assert data["parties"][0]["ref"] == "stockholm"
    data["parties"][0]["organs"] = [{"id": "socialnamnden", "responsibility": "Bara här."}]
    dump(data, spec)
    loaded = load_spec(Path("specs/mini-0.yaml"), parties=folder_source(Path("parties")))
    (organ,) = loaded.data["parties"][0]["organs"]
    assert organ == {"id": "socialnamnden", "name": "Socialnämnden",
                     "responsibility": "Bara här."}
    party_file = repo / "parties" / "stockholm.yaml"
    name_line = line_of(party_file, "name: Socialnämnden")
    assert str(loaded.locate("/parties/0/organs/0/name")).startswith(
        f"parties/stockholm.yaml:{name_line}:"
    )
    assert str(loaded.locate("/parties/0/organs/0/responsibility")).startswith(
        "specs/mini-0.yaml:"
    )
    assert run_cli("check").code == 0


def test_the_sok_examples_write_each_party_once() -> None:
    """No value of a party file is repeated in a spec that refers to it."""
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "specs").glob("*.yaml")):
        raw = read_yaml_raw(path)
        for party in raw["parties"]:
            assert "ref" in party, f"{path.name}: {party.get('id')} står inte i registret"
            registry = read_yaml_raw(root / "parties" / f"{party['ref']}.yaml")
            for key, value in party.items():
                if key in registry and key != "organs":
                    assert value != registry[key], (path.name, party["ref"], key)
            for organ in party.get("organs", []):
                assert set(organ) & {"name"} == set(), (path.name, party["ref"], organ)


def read_yaml_raw(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("content", "expected"), [
    ("", "partsfilen är tom; börja med id:, name: och type:"),
    ("- stockholm\n", "partsfilen ska vara en samling fält (id:, name:, type: …)"),
])
def test_an_empty_or_list_party_file_is_named_as_a_party_file(
    repo: Path, content: str, expected: str
) -> None:
    (repo / "parties" / "stockholm.yaml").write_text(content, encoding="utf-8")
    run = run_cli("validate")
    assert run.code == 1
    assert f"parties/stockholm.yaml:1:1: {expected}" in run.stdout
    assert "title:" not in run.stdout and "avtalet" not in run.stdout


def test_check_of_a_party_file_checks_the_specs_that_use_it(repo: Path) -> None:
    """The pre-commit hook names a changed party file: check reads the specs that refer
    to it, and locates an error in the party file itself."""
    run = run_cli("check", "parties/stockholm.yaml")
    assert run.code == 0, run.stdout
    assert "1 fil kontrollerad" in run.stdout
    party = repo / "parties" / "stockholm.yaml"
    party.write_text(party.read_text(encoding="utf-8").replace("212000-0142", "212000-0143"),
                     encoding="utf-8")
    run = run_cli("check", "parties/stockholm.yaml")
    assert run.code == 1
    assert f"parties/stockholm.yaml:{line_of(party, 'org_nr')}:9: /parties/0/org_nr:" in run.stdout


def test_check_of_a_party_file_no_spec_uses_passes(repo: Path) -> None:
    dump({"id": "solna", "name": "Solna stad", "type": "kommun"}, repo / "parties" / "solna.yaml")
    run = run_cli("check", "parties/solna.yaml")
    assert run.code == 0
    assert "ingen specifikation använder parties/solna.yaml" in run.stdout


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's schema check reads it: dates stay strings."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("path", sorted(Path("specs").resolve().glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_the_schema_accepts_a_spec_as_written_with_references(path: Path) -> None:
    """Editors check the spec as written (avtal init points VS Code at the schema): a
    party given by `ref:` is valid there, without the registry's fields beside it."""
    written = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft202012Validator(load_schema()).iter_errors(written)]
    assert errors == []


def test_the_schema_still_wants_a_whole_party_without_ref() -> None:
    party = {"ref": "stockholm", "roles": ["huvudman"]}
    validator = Draft202012Validator(load_schema()["$defs"]["party"] | {
        "$defs": load_schema()["$defs"]})
    assert not list(validator.iter_errors(party))
    missing = [e.message for e in validator.iter_errors({"roles": ["huvudman"]})]
    assert any("'name' is a required property" in m for m in missing)
