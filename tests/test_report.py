"""`avtal validate` output formats (text, json, github) and exit codes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator import report
from generator.cli import main
from generator.errors import Issue, Location, Severity

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "valid.yaml"
INVALID = TESTS / "cases" / "invalid"
DUPLICATE_IDS = INVALID / "duplicate-ids" / "spec.yaml"
TABS = INVALID / "tab-indentation" / "spec.yaml"
DUPLICATE_ID_MESSAGE = "id ”bedomning” används flera gånger i samma lista; varje id ska vara unikt"

ANNOTATION = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>[0-9]+),"
    r"col=(?P<col>[0-9]+),title=(?P<title>[^:]+)::(?P<message>.+)$"
)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _unescape(text: str) -> str:
    """Undo the workflow-command escapes (%25 last, since it makes the others)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


# JSON


def test_json_has_every_field_of_every_issue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--format", "json", str(DUPLICATE_IDS))
    assert (code, err) == (1, "")
    payload = json.loads(out)
    assert payload["files"] == 1
    assert payload["errors"] == 2
    assert payload["warnings"] == 0
    assert [
        {k: issue[k] for k in ("file", "line", "column", "pointer", "severity")}
        for issue in payload["issues"]
    ] == [
        {"file": str(DUPLICATE_IDS), "line": 78, "column": 11,
         "pointer": "/tasks/included/0/id", "severity": "error"},
        {"file": str(DUPLICATE_IDS), "line": 80, "column": 11,
         "pointer": "/tasks/included/1/id", "severity": "error"},
    ]  # fmt: skip
    for issue in payload["issues"]:
        assert issue["message"] == DUPLICATE_ID_MESSAGE


def test_json_matches_the_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    spec = INVALID / "unknown-field-typo" / "spec.yaml"
    _, text, _ = _run(capsys, str(spec))
    _, out, _ = _run(capsys, "--format", "json", str(spec))
    [issue] = json.loads(out)["issues"]
    line = f"{issue['file']}:{issue['line']}:{issue['column']}: {issue['pointer']}: "
    assert text.splitlines()[0] == line + issue["message"]


def test_json_for_a_file_that_cannot_be_parsed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--format", "json", str(TABS))
    assert code == 1
    [issue] = json.loads(out)["issues"]
    assert issue["file"] == str(TABS)
    assert (issue["line"], issue["column"], issue["pointer"]) == (146, 1, "")
    assert issue["severity"] == "error"
    assert issue["message"].startswith("tabbtecken")


def test_json_for_valid_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--format", "json", str(FIXTURE), str(FIXTURE))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"files": 2, "errors": 0, "warnings": 0, "issues": []}


def test_json_keeps_swedish_letters(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "--format", "json", str(DUPLICATE_IDS))
    assert "används" in out
    assert "\\u" not in out


# GitHub workflow commands


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--format", "github", str(DUPLICATE_IDS))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines == [
        f"::error file={DUPLICATE_IDS},line={line},col=11,title=/tasks/included/{index}/id"
        f"::{DUPLICATE_ID_MESSAGE}"
        for index, line in ((0, 78), (1, 80))
    ]
    for line in lines:
        assert ANNOTATION.match(line)


def test_github_annotation_for_a_file_that_cannot_be_parsed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = _run(capsys, "--format", "github", str(TABS))
    assert out.splitlines() == [
        f"::error file={TABS},line=146,col=1,title=load"
        "::tabbtecken kan inte användas för indrag i YAML; använd mellanslag"
    ]


def test_github_annotation_for_a_file_too_big(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "stor.yaml"
    spec.write_bytes(b"#" * 1_100_000)
    _, out, _ = _run(capsys, "--format", "github", str(spec))
    [line] = out.splitlines()
    assert line.startswith(f"::error file={spec},title=load::filen är 1 100 000 byte;")


@pytest.mark.parametrize("case", sorted(p.name for p in INVALID.iterdir()))
def test_github_and_text_agree(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    spec = INVALID / case / "spec.yaml"
    _, text, _ = _run(capsys, str(spec))
    _, github, _ = _run(capsys, "--format", "github", str(spec))
    annotations = [ANNOTATION.match(line) for line in github.splitlines()]
    rebuilt = []
    for match in annotations:
        assert match is not None
        pointer = "" if match["title"] == "load" else f" {_unescape(match['title'])}:"
        place = f"{_unescape(match['file'])}:{match['line']}:{match['col']}"
        rebuilt.append(f"{place}:{pointer} {_unescape(match['message'])}")
    assert rebuilt == text.splitlines()[:-1]


def test_github_escapes_properties_and_data() -> None:
    issue = Issue(
        Location("specs/a,b:c%d.yaml", 3, 7, "/parties/0/name"),
        "100 % fel\nandra raden\r\nslut: a,b",
    )
    assert report.as_github([issue]) == (
        "::error file=specs/a%2Cb%3Ac%25d.yaml,line=3,col=7,title=/parties/0/name"
        "::100 %25 fel%0Aandra raden%0D%0Aslut: a,b"
    )


def test_github_escapes_the_title() -> None:
    issue = Issue(Location("a.yaml", 1, 1, "/x:y,z%"), "m")
    assert report.as_github([issue]) == "::error file=a.yaml,line=1,col=1,title=/x%3Ay%2Cz%25::m"


def test_github_levels_and_source() -> None:
    issues = [
        Issue(Location("a.yaml", 1, 2, "/a"), "varning", severity=Severity.WARNING),
        Issue(Location("a.yaml", 3, 4, "/b"), "info", severity=Severity.INFO, source="SoL"),
    ]
    assert report.as_github(issues).splitlines() == [
        "::warning file=a.yaml,line=1,col=2,title=/a::varning",
        "::notice file=a.yaml,line=3,col=4,title=/b::info (källa: SoL)",
    ]


# Text


def test_text_line_and_summary() -> None:
    issues = [
        Issue(Location("a.yaml", 2, 5, "/id"), "fel ett"),
        Issue(Location("b.yaml", 1, 1, ""), "fel två", code="load"),
        Issue(Location("b.yaml", 4, 1, "/x"), "se upp", severity=Severity.WARNING),
    ]
    assert report.as_text(issues, files=3).splitlines() == [
        "a.yaml:2:5: /id: fel ett",
        "b.yaml:1:1: fel två",
        "b.yaml:4:1: /x: varning: se upp",
        "3 filer kontrollerade: 2 fel i 2 filer, 1 varning.",
    ]


# Exit codes


def test_exit_0_for_a_valid_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, str(FIXTURE)) == (0, "1 fil kontrollerad: inga fel.\n", "")


def test_exit_1_for_an_invalid_spec(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(DUPLICATE_IDS))
    assert (code, err) == (1, "")
    assert out.splitlines()[-1] == "1 fil kontrollerad: 2 fel i 1 fil, 0 varningar."


def test_exit_1_when_one_of_several_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURE, tmp_path / "a.yaml")
    shutil.copy(DUPLICATE_IDS, tmp_path / "b.yaml")
    code, out, _ = _run(capsys, str(tmp_path))
    assert code == 1
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [str(tmp_path / "b.yaml")] * 2
    assert lines[-1] == "2 filer kontrollerade: 2 fel i 1 fil, 0 varningar."


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_exit_2_for_a_path_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    missing = tmp_path / "finns-inte.yaml"
    code, out, err = _run(capsys, "--format", fmt, str(missing))
    assert (code, out) == (2, "")
    assert err == f"avtal: sökvägen finns inte: {missing}\n"


@pytest.mark.parametrize("content", [[], ["noter.txt", "README.md"]])
def test_exit_2_for_a_folder_with_no_specs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: list[str]
) -> None:
    for name in content:
        (tmp_path / name).write_text("text\n", encoding="utf-8")
    code, out, err = _run(capsys, str(tmp_path))
    assert (code, out) == (2, "")
    assert err == "avtal: inga specifikationer (*.yaml) hittades\n"


def test_exit_2_for_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml", str(FIXTURE)])
    assert info.value.code == 2
    assert "--format" in capsys.readouterr().err
