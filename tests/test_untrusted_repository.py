"""A pull request carries more than specs: build records, party files, avtal.toml,
templates, file names and symbolic links. Each test here is an attack that once
worked; none may end in a document, a skipped check or a misleading line."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import zipfile
from contextlib import chdir
from pathlib import Path

import cmarkgfm
import pytest
from buildkit import FIXTURE, ROOT, SPECS_DIR, dump, read_spec, read_yaml, run_cli, spec_paths
from cmarkgfm.cmark import Options as MarkdownOptions
from test_git import FAM, RATT, avtal, commit, git, load, make_repo, save
from test_untrusted import no_hang

from generator import build, transaction, trust
from generator.build import Options
from generator.documents import checklist_document, documents
from generator.errors import AvtalError
from generator.load import load_spec
from generator.render import TEMPLATES
from generator.rules import Outcome
from generator.theme import Theme

SPEC_ID = "mini-maria-2026"
BASE = FIXTURE.read_text(encoding="utf-8")
GOOD_ORG = "org_nr: 212000-0142"
BAD_ORG = "org_nr: 212000-0143"  # a wrong check digit: an error of form


def _built(tmp_path: Path) -> tuple[Path, Path]:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    spec.write_text(BASE, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    return spec, out


def _forge(out: Path, spec: Path, change: dict[str, object]) -> None:
    """What an attacker commits with `git add -f build`: the manifest an honest build
    would write for the spec as it is now, without errors, as plain JSON."""
    manifest = out / SPEC_ID / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data.pop("signature", None)
    sources = build._Sources(spec.read_bytes(), {})  # the fixture refers to no party file
    key = build._spec_key(str(spec), sources, Options(out=out, formats=("md",)))
    data["reuse"] = {**data["reuse"], "key": key, "issues": [], "silenced": []}
    data.update(change)
    manifest.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


# --------------------------------------------------------------------------- records


def test_a_forged_manifest_skips_no_check(tmp_path: Path) -> None:
    spec, out = _built(tmp_path)
    spec.write_text(BASE.replace(GOOD_ORG, BAD_ORG, 1), encoding="utf-8")
    _forge(out, spec, {})
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 1
    assert "212000-0143" in run.stderr and "kontrollsiffra" in run.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Inga fel" not in page


def test_a_forged_manifest_keeps_no_planted_document(tmp_path: Path) -> None:
    spec, out = _built(tmp_path)
    agreement = out / SPEC_ID / "avtal.md"
    planted = agreement.read_bytes().replace(b"Stockholms stad", b"Falska staden")
    agreement.write_bytes(planted)
    record = {"input": "x", "sha256": build.sha256(planted)}
    data = json.loads((out / SPEC_ID / "manifest.json").read_text(encoding="utf-8"))
    _forge(out, spec, {"outputs": {**data["outputs"], f"{SPEC_ID}/avtal.md": record}})
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert b"Falska staden" not in agreement.read_bytes()
    assert b"Stockholms stad" in agreement.read_bytes()


def test_a_forged_fields_record_skips_no_field_check(tmp_path: Path) -> None:
    spec, out = _built(tmp_path)
    hostile = BASE + (
        "additional_clauses:\n  - id: tillagg\n    heading: Tillägg\n    after: parter\n"
        "    text: Se ![x](/etc/passwd) här.\n"
    )
    spec.write_text(hostile, encoding="utf-8")
    from generator import fields

    fields.forget()
    _forge(out, spec, {"fields_checked": fields.fingerprint(load_spec(spec))})
    fields.forget()
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 1
    assert "bilden ”/etc/passwd” kan inte tas med" in run.stderr


def test_a_forged_output_path_is_no_link_on_the_overview_page(tmp_path: Path) -> None:
    spec, out = _built(tmp_path)
    data = json.loads((out / SPEC_ID / "manifest.json").read_text(encoding="utf-8"))
    outputs = data["outputs"]
    outputs["javascript:alert(1)//x/avtal.md"] = outputs[f"{SPEC_ID}/avtal.md"]
    _forge(out, spec, {"outputs": outputs})
    (out / "javascript:alert(1)").mkdir()
    (out / "javascript:alert(1)" / "x").mkdir()
    (out / "javascript:alert(1)" / "x" / "avtal.md").write_bytes(
        (out / SPEC_ID / "avtal.md").read_bytes()
    )
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert "javascript:" not in (out / "index.html").read_text(encoding="utf-8")


def test_only_links_to_build_outputs_reach_the_overview_page() -> None:
    from generator.overview import document_links

    links = document_links(
        [f"{SPEC_ID}/avtal.pdf", "javascript:x//a/avtal.pdf", "../../etc/avtal.pdf",
         "/abs/avtal.pdf", f"{SPEC_ID}/stockholm/beslut.docx"],
        {"stockholm": "Stockholms stad"},
    )
    hrefs = [link.href for doc in links for link in doc.links]
    assert hrefs == [f"{SPEC_ID}/avtal.pdf", f"{SPEC_ID}/stockholm/beslut.docx"]


def test_an_honest_rebuild_is_still_a_no_op(tmp_path: Path) -> None:
    spec, out = _built(tmp_path)
    manifest = (out / SPEC_ID / "manifest.json").read_bytes()
    assert trust.verified(manifest) is not None
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert "0 filer skrivna" in run.stdout
    assert (out / SPEC_ID / "manifest.json").read_bytes() == manifest


def test_the_key_is_kept_outside_the_repository_for_its_owner_alone() -> None:
    trust.machine_key()
    path = trust.key_path()
    info = path.stat()
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_size == trust.KEY_BYTES
    assert not path.resolve().is_relative_to(Path(__file__).resolve().parent.parent)


def test_a_record_signed_elsewhere_or_changed_is_not_trusted() -> None:
    body = b'{\n  "outputs": {}\n}\n'
    signed = trust.sign(body)
    assert trust.verified(signed) == body
    assert trust.verified(signed.replace(b"{}", b'{"a": 1}')) is None
    assert trust.verified(body) is None
    other = signed[:20] + (b"0" if signed[20:21] != b"0" else b"1") + signed[21:]
    assert trust.verified(other) is None


def test_a_key_others_can_read_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    trust.machine_key.cache_clear()
    try:
        key = tmp_path / "avtal" / "build.key"
        key.parent.mkdir()
        key.write_bytes(b"k" * trust.KEY_BYTES)
        os.chmod(key, 0o644)
        assert trust.machine_key() != b"k" * trust.KEY_BYTES
    finally:
        trust.machine_key.cache_clear()


def test_a_build_folder_git_tracks_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    first = avtal(repo, monkeypatch, "build", "--format", "md")
    assert first.code == 0, first.stderr
    git(repo, "add", "-f", "build")
    commit(repo, "Bygget följer med")
    again = avtal(repo, monkeypatch, "build", "--format", "md")
    assert again.code == 0, again.stderr
    assert "avtal: varning: git följer filer i build" in again.stderr
    assert "git rm -r --cached build" in again.stderr
    assert "0 filer skrivna" not in again.stdout  # checked and built again, not reused


def test_a_build_folder_git_tracks_carries_nothing_a_pull_request_planted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where git tracks build/, what lies there came with the pull request: a fake
    ”avtal.pdf” planted beside a Markdown-only build is not carried into the new folder
    (and so not into the uploaded artifact)."""
    repo = make_repo(tmp_path, FAM)
    assert avtal(repo, monkeypatch, "build", "--format", "md").code == 0
    spec_folder = next(p for p in (repo / "build").iterdir() if p.is_dir())
    (spec_folder / "avtal.pdf").write_bytes(b"%PDF-1.7 FALSKT AVTAL")
    git(repo, "add", "-f", "build")
    commit(repo, "Planterat")
    again = avtal(repo, monkeypatch, "build", "--format", "md")
    assert again.code == 0, again.stderr
    assert not (spec_folder / "avtal.pdf").exists()
    assert (spec_folder / "avtal.md").exists()


# --------------------------------------------------------------------------- output channels

RUNNER_LINES = re.compile(r"\r\n|\r|\n")  # how the runners (.NET ReadLine) split a log


def _commands(output: str) -> list[str]:
    """The lines of a log a CI runner would read as a command."""
    found = []
    for line in RUNNER_LINES.split(output):
        bare = line.strip()
        if bare.startswith("::") or "##[" in bare or "##vso[" in bare.lower():
            found.append(bare)
    return found


HOSTILE_VALUE = '"30 ##[error]falsk ##vso[task.setvariable variable=x]y\\r::error::cr"'
# The annotations we write ourselves.
OURS = {"github": ("::error file=", "::warning file="), "azure": ("##vso[task.logissue type=",)}


@pytest.mark.parametrize("fmt", ["text", "github", "gitlab", "azure", "json"])
def test_no_spec_value_becomes_a_ci_command_in_any_format(tmp_path: Path, fmt: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.replace("    payment_days: 30\n", f"    payment_days: {HOSTILE_VALUE}\n"),
                    encoding="utf-8")
    run = run_cli("check", "--format", fmt, spec)
    assert run.code == 1
    found = _commands(run.stdout + run.stderr)
    assert all(line.startswith(OURS.get(fmt, ("-",))) for line in found), found
    if fmt in ("text", "github", "azure"):
        assert "falsk" in run.stdout  # the value is still shown, inert


@pytest.mark.parametrize("fmt", ["text", "github", "azure"])
def test_a_file_name_with_a_line_break_starts_no_command(tmp_path: Path, fmt: str) -> None:
    spec = tmp_path / "x\n::error file=a.yaml::falsk\r##[error]falsk.yaml"
    spec.write_text(BASE.replace(GOOD_ORG, BAD_ORG, 1), encoding="utf-8")
    run = run_cli("check", "--format", fmt, spec)
    assert run.code == 1
    found = _commands(run.stdout + run.stderr)
    assert all(line.startswith(OURS.get(fmt, ("-",))) for line in found), found
    if fmt == "text":
        assert "x\\n::error file=a.yaml::falsk\\r#\u2060#[error]falsk.yaml:" in run.stdout


def test_a_file_name_cannot_break_out_of_a_pr_comment(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(BASE, encoding="utf-8")
    new = tmp_path / "x`\n\n<" / "details>\n\n### Inga ändringar kräver nytt beslut\n\n<b>`.yaml"
    new.parent.mkdir()
    new.write_text(BASE.replace("payment_days: 30", "payment_days: 45"), encoding="utf-8")
    run = run_cli("diff", "--format", "markdown", old, new)
    assert run.code == 0, run.stderr
    html = cmarkgfm.github_flavored_markdown_to_html(
        run.stdout, options=MarkdownOptions.CMARK_OPT_UNSAFE
    )
    assert "<h3>Inga ändringar" not in html
    assert html.count("<details>") == html.count("</details>") == 1
    assert "**Kräver nytt beslut**" in run.stdout
    assert "\\n\\n&lt;/details&gt;" in html or "\\n\\n</details>" in html.replace("&lt;", "<")


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c", "\u206e"])
def test_bidi_and_format_controls_are_refused_with_their_line(tmp_path: Path, char: str) -> None:
    line = BASE.splitlines().index("diarienummer: SN 2025/1187") + 1
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.replace("diarienummer: SN 2025/1187", f"diarienummer: SN {char}2025/1187",
                                 1), encoding="utf-8")
    run = run_cli("check", spec)
    assert run.code == 1
    assert f"spec.yaml:{line}:18: texten innehåller det osynliga tecknet U+{ord(char):04X}" in (
        run.stdout)


# --------------------------------------------------------------------------- git


def _changed_start(repo: Path, name: str) -> None:
    data = load(repo, name)
    data["term"]["start"] = "2026-10-01"
    save(repo, name, data)


def test_a_deleted_spec_is_no_unchanged_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM, RATT)
    (repo / "specs" / RATT).unlink()
    commit(repo, "Bort")
    text = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD")
    assert text.code == 0, text.stderr
    head = text.stdout.splitlines()[0]
    assert head.startswith(f"specs/{RATT} (") and head.endswith(": specifikationen är borttagen")
    assert "inga ändringar" not in text.stdout
    markdown = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "markdown")
    assert "Inga ändringar kräver nytt beslut" not in markdown.stdout
    assert "En specifikation är borttagen" in markdown.stdout


def test_a_renamed_spec_is_compared_with_its_old_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    git(repo, "mv", f"specs/{FAM}", "specs/flyttad.yaml")
    _changed_start(repo, "flyttad.yaml")
    commit(repo, "Nytt namn och senare start")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout)
    assert spec["spec"] == "specs/flyttad.yaml"
    assert spec["renamed_from"] == f"specs/{FAM}"
    assert [(c["pointer"], c["kind"]) for c in spec["changes"]] == [("/term/start", "ändrad")]
    text = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD")
    assert f"specs/flyttad.yaml (hette specs/{FAM})" in text.stdout


def test_a_binary_file_does_not_stop_the_diff_of_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    (repo / "specs" / "bild.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 10)
    _changed_start(repo, FAM)
    commit(repo, "En bild och en senare start")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "markdown")
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("<!-- avtal-diff -->")
    assert f"**`specs/{FAM}`**: Startdatum: 1 september 2026 → 1 oktober 2026" in run.stdout
    assert "**`specs/bild.yaml`**: kan inte jämföras: rad 1: filen är inte UTF-8" in run.stdout
    assert "**En specifikation kan inte jämföras**" in run.stdout
    assert "specs/bild.yaml" in run.stderr


@pytest.mark.parametrize("name", ["ny[1].yaml", "ny*.yaml", "ny?.yaml", "[a-z]*.yaml"])
def test_a_spec_named_with_glob_characters_is_read_as_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    repo = make_repo(tmp_path, FAM)
    (repo / "specs" / name).write_bytes((repo / "specs" / FAM).read_bytes())
    commit(repo, "Ny")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout)
    assert spec["spec"] == f"specs/{name}"
    assert spec["summary"].startswith("ny specifikation: ")
    _changed_start(repo, name)
    commit(repo, "Senare start")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    [spec] = json.loads(run.stdout)
    assert [(c["pointer"], c["kind"]) for c in spec["changes"]] == [("/term/start", "ändrad")]


def test_a_symlinked_spec_is_refused_by_build_and_diff_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    (repo / "docs").mkdir()
    (repo / "specs" / FAM).rename(repo / "docs" / FAM)
    (repo / "specs" / FAM).symlink_to(f"../docs/{FAM}")
    commit(repo, "Specen bor i docs")
    data = read_yaml(repo / "docs" / FAM)
    data["term"]["start"] = "2026-10-01"
    dump(data, repo / "docs" / FAM)
    commit(repo, "Senare start, bakom länken")
    diff = avtal(repo, monkeypatch, "diff", "--git", "HEAD~2..HEAD")
    assert diff.code == 0, diff.stderr
    assert f"specs/{FAM}" in diff.stdout and "symbolisk länk" in diff.stdout
    build = avtal(repo, monkeypatch, "build", "--format", "md")
    assert build.code == 1
    assert f"specs/{FAM}: är ingen vanlig fil utan en symbolisk länk" in build.stderr
    assert not (repo / "build" / "familjebehandling-norrstrom-fjallviken").exists()


# --------------------------------------------------------------------------- team templates


def _team_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "mallar"
    folder.mkdir()
    for path in TEMPLATES.glob("*.j2"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_team_templates_render_in_a_sandbox(tmp_path: Path) -> None:
    folder = _team_templates(tmp_path)
    marker = tmp_path / "utford"
    attack = f'{{{{ lipsum.__globals__["os"].system("touch {marker}") }}}}\n'
    agreement = folder / "avtal.md.j2"
    agreement.write_text(attack + agreement.read_text(encoding="utf-8"), encoding="utf-8")
    spec = load_spec(FIXTURE)
    with pytest.raises(AvtalError, match=r"mallfel i avtal\.md\.j2"):
        documents(spec, theme=Theme(custom_dir=folder))
    assert not marker.exists()


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ a.__dict__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ range.__self__ }}",
])
def test_the_sandbox_refuses_python_internals(tmp_path: Path, attack: str) -> None:
    folder = _team_templates(tmp_path)
    agreement = folder / "avtal.md.j2"
    agreement.write_text(attack + "\n" + agreement.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(AvtalError, match=r"mallfel i avtal\.md\.j2"):
        documents(load_spec(FIXTURE), theme=Theme(custom_dir=folder))


@pytest.mark.parametrize("attack", [
    '{{ "x" * 3000000000 }}',
    "{{ [0] * 2000000 }}",
    "{{ 2 * (\"ab\" * 600000) }}",
    "{{ 10 ** 100000000 }}",
])
def test_a_team_template_cannot_fill_the_memory_in_one_expression(
        tmp_path: Path, attack: str) -> None:
    """A product or a power a team's template writes is bounded: the check that renders
    the documents ends at once with a located template error, instead of growing until
    the machine runs out of memory."""
    folder = _team_templates(tmp_path)
    agreement = folder / "avtal.md.j2"
    agreement.write_text(attack + "\n" + agreement.read_text(encoding="utf-8"), encoding="utf-8")
    with no_hang(10), pytest.raises(AvtalError, match=r"mallfel i avtal\.md\.j2"):
        documents(load_spec(FIXTURE), theme=Theme(custom_dir=folder))


def test_the_sandbox_renders_our_templates_byte_for_byte(tmp_path: Path) -> None:
    """Copies of the built-in templates as a team's own render in the sandbox, with our
    filters and globals, exactly what the built-in ones render."""
    folder = _team_templates(tmp_path)
    team = Theme(custom_dir=folder)
    for path in [FIXTURE, *spec_paths()]:
        spec = read_spec(path)
        ours, _ = documents(spec)
        theirs, _ = documents(spec, theme=team)
        assert [d.markdown for d in theirs] == [d.markdown for d in ours], path
        outcome = Outcome((), ())
        assert (checklist_document(spec, outcome, theme=team).markdown
                == checklist_document(spec, outcome).markdown)


# --------------------------------------------------------------------------- the repository


def _team(tmp_path: Path, config: str = "") -> Path:
    """A team repository: avtal.toml, the example spec and its two party files."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "parties").mkdir()
    (repo / "specs" / FAM).write_bytes((SPECS_DIR / FAM).read_bytes())
    for party in ("norrstrom", "fjallviken"):
        (repo / "parties" / f"{party}.yaml").write_bytes(
            (ROOT / "parties" / f"{party}.yaml").read_bytes())
    (repo / "avtal.toml").write_text(config, encoding="utf-8")
    (tmp_path / "hemligt.yaml").write_text("name: HEMLIGT\n", encoding="utf-8")
    return repo


def test_check_scans_every_party_file_used_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path)
    unused = repo / "parties" / "oanvand.yaml"
    unused.write_text("id: oanvand\nname: Oanvänd kommun\n# handläggare 19121212-1212\n",
                      encoding="utf-8")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "parties/oanvand.yaml:3:15: kommentaren innehåller något som ser ut" in run.stdout


def test_check_scans_avtal_toml_and_the_team_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path, 'templates = "mallar"\n# kontakt: 121212-1212\n')
    (repo / "mallar").mkdir()
    (repo / "mallar" / "_egen.md.j2").write_text("Rad ett\nRing 19121212&#45;1212.\n", "utf-8")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "avtal.toml:2:12: filen innehåller något som ser ut som ett personnummer" in run.stdout
    assert "mallar/_egen.md.j2:2:6: filen innehåller något som ser ut som ett " in run.stdout


@pytest.mark.parametrize("kind", ["outside", "device", "folder"])
def test_a_party_file_that_cannot_be_read_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    repo = _team(tmp_path)
    party = repo / "parties" / "norrstrom.yaml"
    party.unlink()
    if kind == "folder":
        party.mkdir()
    else:
        party.symlink_to(tmp_path / "hemligt.yaml" if kind == "outside" else "/dev/zero")
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command, "--format", "md") if command == "build" else (
            avtal(repo, monkeypatch, command))
        out = run.stdout + run.stderr
        assert run.code == 1, out
        assert "parties/norrstrom.yaml: är ingen vanlig fil" in out
        assert "HEMLIGT" not in out
    assert not (repo / "build" / "familjebehandling-norrstrom-fjallviken").exists()


def test_a_huge_party_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path)
    party = repo / "parties" / "norrstrom.yaml"
    with party.open("r+b") as file:
        file.truncate(3 * 1024**3)  # sparse: 3 GB that would take 3 GB of memory to read
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "parties/norrstrom.yaml: filen är 3 221 225 472 byte" in run.stdout


@pytest.mark.parametrize(
    ("setting", "value"),
    [("templates", ".."), ("parties", "/etc"), ("specs", "../.."), ("out", "../ut"),
     ("templates", "lank"), ("parties", "lank")],
)
def test_a_configured_folder_outside_the_repository_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, value: str
) -> None:
    repo = _team(tmp_path, f'formats = ["md"]\n{setting} = "{value}"\n')
    (tmp_path / "ut").mkdir()
    (repo / "lank").symlink_to(tmp_path, target_is_directory=True)
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1
        assert f"avtal.toml:2:1: {setting} ska ligga i projektets mapp" in run.stderr
    assert not (tmp_path / "ut" / "familjebehandling-norrstrom-fjallviken").exists()
    assert not (repo / "build").exists()


@pytest.mark.parametrize("key", ["logo", "reference_docx"])
def test_a_letterhead_file_linked_out_of_the_repository_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    suffix = ".svg" if key == "logo" else ".docx"
    repo = _team(tmp_path, f'[organisations.norrstrom]\n{key} = "brev{suffix}"\n')
    (tmp_path / f"ute{suffix}").write_bytes(b"<svg/>")
    (repo / f"brev{suffix}").symlink_to(tmp_path / f"ute{suffix}")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert f"avtal.toml:2:1: {key} ska ligga i projektets mapp" in run.stderr


@pytest.mark.parametrize("fails", ["swap", "second document"])
def test_a_full_disk_without_an_earlier_build_leaves_no_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    spec.write_text(BASE, encoding="utf-8")
    full = OSError(errno.ENOSPC, "No space left on device")
    if fails == "swap":
        def swap(staging: Path, live: Path) -> None:
            raise full
        monkeypatch.setattr(transaction, "_swap", swap)
    else:
        real, written = build.write_output, []

        def write(path: Path, data: bytes) -> None:
            written.append(path)
            if len(written) == 2:
                raise full
            real(path, data)
        monkeypatch.setattr(build, "write_output", write)
    run = run_cli("build", "--format", "md,html", "--out", out, spec)
    assert run.code == 2
    assert "disken är full" in run.stderr
    left = [p.name for p in out.iterdir()] if out.exists() else []
    assert not [name for name in left if ".avtal-" in name], left
    assert SPEC_ID not in left


@pytest.mark.parametrize("name", ["avtal.md.j2", "_underskrifter.md.j2", "avtal.typst",
                                  "layout.lua"])
def test_a_team_template_linked_out_of_the_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    repo = _team(tmp_path, 'templates = "mallar"\nformats = ["md", "pdf"]\n')
    (repo / "mallar").mkdir()
    (tmp_path / "ute").write_text("HEMLIGT\n", encoding="utf-8")
    (repo / "mallar" / name).symlink_to(tmp_path / "ute")
    run = avtal(repo, monkeypatch, "build")
    assert run.code == 1
    assert f"mallar/{name}: " in run.stderr and "ingen vanlig fil" in run.stderr
    built = repo / "build" / "familjebehandling-norrstrom-fjallviken"
    assert not built.exists() or not any(
        b"HEMLIGT" in p.read_bytes() for p in built.rglob("*") if p.is_file())


def test_an_svg_logo_that_names_another_file_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nlogo = "logo.svg"\n')
    (repo / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image xlink:href="{tmp_path / "hemligt.yaml"}" width="9" height="9"/></svg>',
        encoding="utf-8")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "avtal.toml:2:1: logon logo.svg hänvisar till något utanför sig själv" in run.stderr


def test_typst_reads_no_file_of_the_repository_but_the_logos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's Typst template is code: it may #read, but only in a folder that holds
    the letterheads' logos, not the repository (whose links may point anywhere)."""
    repo = _team(tmp_path, 'templates = "mallar"\nformats = ["pdf"]\n'
                           '[organisations.norrstrom]\nlogo = "logo.svg"\n')
    (repo / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" '
                                   'height="9"/>', encoding="utf-8")
    (repo / "lank.txt").symlink_to(tmp_path / "hemligt.yaml")
    (repo / "mallar").mkdir()
    typst = (TEMPLATES / "avtal.typst").read_text(encoding="utf-8")
    (repo / "mallar" / "avtal.typst").write_text(
        typst.replace("$body$", '#read("/lank.txt")\n#read("/avtal.toml")\n$body$', 1), "utf-8")
    run = avtal(repo, monkeypatch, "build")
    assert run.code == 1
    assert "HEMLIGT" not in run.stderr + run.stdout
    assert "lank.txt" in run.stderr  # typst: the file is not there
    assert not (repo / "build" / "familjebehandling-norrstrom-fjallviken" / "avtal.pdf").exists()


def test_a_typst_error_in_the_team_s_template_is_put_at_the_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """typst's error came as the spec's (”specs/x.yaml: typst: unclosed delimiter”)."""
    repo = _team(tmp_path, 'templates = "mallar"\nformats = ["pdf"]\n')
    (repo / "mallar").mkdir()
    typst = (TEMPLATES / "avtal.typst").read_text(encoding="utf-8")
    (repo / "mallar" / "avtal.typst").write_text(typst.replace("$body$", "#let x = (\n$body$", 1),
                                                 "utf-8")
    run = avtal(repo, monkeypatch, "build")
    assert run.code == 1
    blamed = (r"^mallar/avtal\.typst: \[build\] .*avtal\.pdf: typst: .*; teamets egen fil "
              r"mallar/avtal\.typst används här, och felet kan stå där")
    assert re.search(blamed, run.stderr, re.M), run.stderr


def test_build_and_textconv_print_no_ci_command(tmp_path: Path) -> None:
    spec = tmp_path / "x\n::error file=a.yaml::falsk\n##[error]falsk.yaml"
    spec.write_text(BASE.replace("name: Stockholms stad", 'name: "##[error]Stockholms stad"', 1)
                    .replace("name: Region Stockholm", 'name: "::warning::Region"', 1), "utf-8")
    built = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    textconv = run_cli("textconv", spec)
    assert "#\u2060#[error]Stockholms stad" in textconv.stdout
    for run in (built, textconv):
        assert not _commands(run.stdout + run.stderr), run.stdout + run.stderr


def test_a_file_name_s_hidden_characters_are_shown_in_a_ci_annotation(tmp_path: Path) -> None:
    """A spec's file name is the pull request's too: tag characters (text a reader does
    not see, an AI reviewer does) and a soft hyphen reached the annotation as they were."""
    spec = tmp_path / "avtal\U000e0049\U000e0047\u00ad.yaml"
    spec.write_text(BASE, "utf-8")
    run = run_cli("check", "--format", "github", spec)
    assert run.stdout.startswith("::warning file="), run.stdout
    assert "avtal\\U000e0049\\U000e0047\\u00ad.yaml" in run.stdout
    assert not re.search("[\U000e0000-\U000e0fff\u00ad]", run.stdout + run.stderr)


def test_a_git_author_name_with_a_personnummer_reaches_no_redline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    git(repo, "config", "user.name", "Anna 19121212-1212")
    _changed_start(repo, FAM)
    commit(repo, "Senare start")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--redline")
    assert run.code == 0, run.stderr
    assert "ett författarnamn i git innehåller något som ser ut som ett personnummer" in (
        run.stderr)
    [docx] = (repo / "build").rglob("redline-*.docx")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    authors = set(re.findall(r'<w:(?:ins|del)\b[^>]*w:author="([^"]*)"', xml))
    assert authors == {"avtal"}
    assert "1212" not in run.stdout + run.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "outside"])
def test_a_manifest_linked_to_a_device_or_outside_is_no_record(
    tmp_path: Path, target: str
) -> None:
    spec, out = _built(tmp_path)
    manifest = out / SPEC_ID / "manifest.json"
    outside = tmp_path / "ute.json"
    outside.write_bytes(manifest.read_bytes())  # even one this machine signed
    manifest.unlink()
    manifest.symlink_to(target if target != "outside" else outside)
    with no_hang():
        run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert "0 filer skrivna" not in run.stdout  # built again, not reused
    assert not manifest.is_symlink()


def test_a_folder_linked_inside_the_team_templates_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link in any part of a template's path, not only the last: ”mallar/p -> /proc”
    with ”{% include "p/self/environ" %}” printed the environment in a check annotation."""
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    outside = tmp_path / "ute"
    outside.mkdir()
    (outside / "hemligt.txt").write_text("HEMLIGT\n", encoding="utf-8")
    (repo / "mallar" / "p").symlink_to(outside)
    (repo / "mallar" / "_brevhuvud.md.j2").write_text(
        '{% set x %}{% include "p/hemligt.txt" %}{% endset %}{{ lagrum(x) }}\n', "utf-8")
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "HEMLIGT" not in run.stdout + run.stderr, command
        said = run.stdout + run.stderr
        assert "mallar/p: " in said and "mappen är en symbolisk länk" in said, command


def test_redlines_are_not_written_through_a_linked_output_folder(tmp_path: Path) -> None:
    """`avtal diff --redline` writes where `avtal build` would: never through a committed
    ”build/<spec> -> elsewhere” (the CI's diff step runs even when the build failed)."""
    out, elsewhere = tmp_path / "build", tmp_path / "ute"
    out.mkdir()
    elsewhere.mkdir()
    (out / "spec").symlink_to(elsewhere)
    with pytest.raises(transaction.OutputRefused, match="symbolisk länk"):
        transaction.refuse_links_down(out, out / "spec" / "del")
    transaction.refuse_links_down(out, out / "annan" / "del")  # plain folders pass


def test_init_writes_nothing_through_a_committed_link(tmp_path: Path) -> None:
    repo, victim = tmp_path / "repo", tmp_path / "offer.txt"
    repo.mkdir()
    assert run_cli("init", repo).code == 0
    victim.write_text("ORIGINAL\n", encoding="utf-8")
    copy = repo / "schemas" / "agreement.schema.json"
    copy.unlink()
    copy.symlink_to(victim)
    run = run_cli("init", repo)
    assert run.code != 0 and "är en symbolisk länk; avtal init skriver inte" in run.stderr
    assert victim.read_text(encoding="utf-8") == "ORIGINAL\n"


def test_without_avtal_toml_a_default_folder_linked_outside_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "ute"
    repo.mkdir()
    outside.mkdir()
    (outside / "spec.yaml").write_text(BASE, encoding="utf-8")
    (repo / "specs").symlink_to(outside)
    monkeypatch.chdir(repo)
    run = run_cli("check")
    assert run.code == 1
    assert "specs: mappen är en symbolisk länk till" in run.stderr
    assert "mini-maria" not in run.stdout


@pytest.mark.parametrize("name", ["index.html", ".index.json"])
def test_an_overview_linked_to_a_device_is_not_read(tmp_path: Path, name: str) -> None:
    """`build/index.html -> /dev/zero` (a pull request can commit build/): the page is
    compared with what the build makes only when it is a regular file, so the build
    neither reads forever nor ends in a traceback; the link is replaced by the page."""
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    spec.write_text(BASE, encoding="utf-8")
    out.mkdir()
    (out / name).symlink_to("/dev/zero")
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert not (out / name).is_symlink()
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!")


@pytest.mark.parametrize(("config", "said"), [
    ('[organisations.norrstrom]\nname_lines = ["Norrströms \\u0001kommun"]\n',
     "avtal.toml:2:1: name_lines: texten innehåller det osynliga tecknet U+0001"),
    ('[organisations.norrstrom]\nname_lines = ["Norrströms kommun"]\naddress = "Box \\u202e1"\n',
     "avtal.toml:3:1: address: texten innehåller det osynliga tecknet U+202E"),
    ('out = ".git"\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    ('out = "."\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    ('out = "specs"\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    # the CI's virtual environment, made in the checkout before avtal runs (its python
    # links were lost in the swap, and every later step failed)
    ('out = ".venv"\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    ('out = ".github/workflows"\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    ('out = "schemas"\n', "avtal.toml:1:1: out ska vara en egen mapp"),
    ("notice_days = 10000000\n", "avtal.toml:1:1: notice_days ska vara ett antal dagar"),
    ("notice_days = 99999999999999999999\n",
     "avtal.toml:1:1: notice_days ska vara ett antal dagar"),
])
def test_avtal_toml_holds_to_what_the_documents_and_the_build_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, said: str
) -> None:
    """avtal.toml comes with the pull request too: its letterhead texts are held to the
    characters a spec may hold (a control character made a DOCX Word calls corrupt, a
    bidi override hid a figure), the output folder is one of its own (out = ".git" turned
    .git/config into a folder), and a warning time is a number of days (a huge one ended
    in a traceback)."""
    repo = _team(tmp_path, config)
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, (command, run.stdout, run.stderr)
        assert said in run.stdout + run.stderr, command
        assert "Traceback" not in run.stdout + run.stderr
    assert not (repo / ".git").exists()


def test_an_interrupted_command_ends_with_a_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator import cli

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "open_repository", interrupted)
    assert cli.main(["check"]) == 130
    said = capsys.readouterr().err
    assert said.startswith("avtal: avbrutet") and "Traceback" not in said


@pytest.mark.parametrize("package", ["@local/leak:0.1.0", "@preview/leak:0.1.0"])
def test_a_typst_template_imports_no_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str
) -> None:
    """typst reads a private folder only: no package from the user's data folder (@local)
    and none fetched from the internet (@preview) — a proxy that refuses stands in the
    way, so the test holds with a network too."""
    data = tmp_path / "data"
    for kind in ("local", "preview"):
        folder = data / "typst" / "packages" / kind / "leak" / "0.1.0"
        folder.mkdir(parents=True)
        (folder / "typst.toml").write_text('[package]\nname = "leak"\nversion = "0.1.0"\n'
                                           'entrypoint = "lib.typ"\n', encoding="utf-8")
        (folder / "lib.typ").write_text('#let secret = "HEMLIGT"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data))
    repo = _team(tmp_path, 'templates = "mallar"\nformats = ["pdf"]\n')
    (repo / "mallar").mkdir()
    typst = (TEMPLATES / "avtal.typst").read_text(encoding="utf-8")
    (repo / "mallar" / "avtal.typst").write_text(
        f'#import "{package}": secret\n#secret\n' + typst, encoding="utf-8")
    run = avtal(repo, monkeypatch, "build")
    assert run.code == 1
    assert "HEMLIGT" not in run.stdout + run.stderr
    assert "package not found" in run.stderr or "failed to download" in run.stderr
    assert not (repo / "build" / "familjebehandling-norrstrom-fjallviken" / "avtal.pdf").exists()


def test_a_word_template_that_unpacks_too_far_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small reference_docx whose styles unpack to more than a Word template needs
    is an error at its line in avtal.toml, before pandoc spends its time on it."""
    repo = _team(tmp_path, '[organisations.norrstrom]\nreference_docx = "mall.docx"\n')
    with zipfile.ZipFile(repo / "mall.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", b"<w:styles>" + b" " * (40 << 20) + b"</w:styles>")
    assert (repo / "mall.docx").stat().st_size < 1 << 20
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "avtal.toml:2:1: Word-mallen mall.docx: mallen packar upp till mer än 32 MB" \
        in run.stderr


@pytest.mark.parametrize(("styles", "said"), [
    # pandoc failed on it in every build, in Haskell (”Expected end element for: Name …”),
    # blaming the spec
    (b"<w:styles><unclosed></w:styles>", "delen word/styles.xml är ingen korrekt XML "
                                         "(mismatched tag, rad 1)"),
    # small, within the size caps, and held pandoc for its whole timeout
    (b"<w:styles>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</w:styles>",
     "delen word/styles.xml är nästlad djupare än 256 nivåer"),
])
def test_a_word_template_pandoc_cannot_read_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, styles: bytes, said: str
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nreference_docx = "mall.docx"\n')
    with zipfile.ZipFile(repo / "mall.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", styles)
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert f"avtal.toml:2:1: Word-mallen mall.docx: {said}; öppna mallen i Word" in run.stderr


@pytest.mark.parametrize("where", ["avtal", "mallar"])
def test_a_word_template_that_names_something_outside_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A Word template is copied into every document built with it: a remote attached
    template (Word fetches it, and a UNC path leaks the user's login) has no place there,
    whether avtal.toml names the template or it lies in the team's template folder."""
    config = ('[organisations.norrstrom]\nreference_docx = "mall.docx"\n' if where == "avtal"
              else 'templates = "mallar"\n')
    repo = _team(tmp_path, config)
    target = repo / ("mall.docx" if where == "avtal" else "mallar/reference.docx")
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/_rels/settings.xml.rels",
                         '<Relationships><Relationship Id="r1" Type="http://schemas.openxml'
                         'formats.org/officeDocument/2006/relationships/attachedTemplate" '
                         'Target="file://server/share/mall.dotm" TargetMode="External"/>'
                         "</Relationships>")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "mallen hänvisar till något utanför sig själv" in run.stderr


@pytest.mark.parametrize(("written", "line"), [
    ("{% if %}\n", 1),  # a syntax error
    ("Rad ett\n{{ 1 // 0 }}\n", 2),  # an error while rendering
])
def test_a_team_template_error_names_the_template_and_its_line(
        tmp_path: Path, written: str, line: int) -> None:
    folder = _team_templates(tmp_path)
    (folder / "_brevhuvud.md.j2").write_text(written, encoding="utf-8")
    with pytest.raises(AvtalError) as raised:
        documents(load_spec(FIXTURE), theme=Theme(custom_dir=folder))
    assert str(raised.value).startswith(f"{folder / '_brevhuvud.md.j2'}:{line}:1: mallfel i ")


@pytest.mark.parametrize("call", ["$../ute/hemligt.txt()$", "${ /etc/hostname() }"])
def test_a_typst_template_calls_no_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    """A pandoc partial in the team's Typst template reads a file from any path the job
    can read into the PDF: avtal.toml's templates setting is refused at once, naming it."""
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    (tmp_path / "ute").mkdir()
    (tmp_path / "ute" / "hemligt.txt").write_text("HEMLIGT\n", encoding="utf-8")
    typst = (TEMPLATES / "avtal.typst").read_text(encoding="utf-8")
    (repo / "mallar" / "avtal.typst").write_text(f"A[{call}]\n" + typst, encoding="utf-8")
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "avtal.toml:1:1: avtal.typst anropar en delmall" in run.stderr
        assert "HEMLIGT" not in run.stdout + run.stderr


def test_output_replaces_a_committed_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    """A pull request commits avtal-diff.md as a link to a file of the runner: the CI's
    report replaces the link, and the file it pointed at keeps its bytes."""
    victim = tmp_path / "outside.txt"
    victim.write_text("ORIGINAL", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "spec.yaml"
    spec.write_text(BASE.replace(GOOD_ORG, BAD_ORG), encoding="utf-8")
    (repo / "rapport.json").symlink_to(victim)
    with chdir(repo):
        run = run_cli("check", "--format", "gitlab", "--output", "rapport.json", "specs")
    assert run.code == 1 and run.stdout == "", run.stderr  # the spec's error, in the file
    assert victim.read_text(encoding="utf-8") == "ORIGINAL"
    report = repo / "rapport.json"
    assert not report.is_symlink()
    [entry] = [e for e in json.loads(report.read_text(encoding="utf-8"))
               if "kontrollsiffra" in e["description"]]  # fmt: skip
    assert entry["location"]["path"] == "specs/spec.yaml"
    assert [p.name for p in repo.iterdir() if p.name.startswith(".")] == []  # no temporary


def test_output_through_a_linked_folder_of_the_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs" / "spec.yaml").write_text(BASE, encoding="utf-8")
    (repo / "rapporter").symlink_to(outside, target_is_directory=True)
    with chdir(repo):
        run = run_cli("diff", "--output", "rapporter/avtal-diff.md", "specs/spec.yaml",
                      "specs/spec.yaml")  # fmt: skip
    assert run.code == 1
    assert list(outside.iterdir()) == []
    assert run.stderr.startswith("avtal: rapporter: mappen är en symbolisk länk i förrådet")
    assert "rapporter/avtal-diff.md" in run.stderr
    with chdir(repo):  # a folder of one's own outside the repository is the user's choice
        run = run_cli("deadlines", "--output", outside / "frister.txt", "specs")
    assert run.code == 0, run.stderr
    assert "Totalt 6 datum." in (outside / "frister.txt").read_text(encoding="utf-8")
