"""Acceptance cases for `avtal validate`: one folder per class of bad input.

tests/cases/invalid/<case>/spec.yaml is the valid fixture with one defect, and
expected.txt holds the exact text output without the summary line, with the file
path written as {spec}. tests/cases/valid/<case>/spec.yaml must pass.

After an intended change of a message, regenerate the expected files with
`AVTAL_UPDATE_EXPECTED=1 python -m pytest tests/test_cases.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.load import MAX_BYTES

CASES = Path(__file__).parent / "cases"
FIXTURE = Path(__file__).parent / "fixtures" / "valid.yaml"
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
UPDATE = os.environ.get("AVTAL_UPDATE_EXPECTED") == "1"

# `{spec}:LINE:COL: /pointer: message`; the pointer is absent when the file cannot be
# parsed at all (tabs, syntax), because then there is no tree to point into.
ISSUE_LINE = re.compile(r"^\{spec\}:[1-9][0-9]*:[1-9][0-9]*:( /[^ ]*:)? \S")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_fixture_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, str(FIXTURE))
    assert (code, lines, err) == (0, ["1 fil kontrollerad: inga fel."], "")


def test_there_is_a_case_for_every_class_of_bad_input() -> None:
    names = {p.name for p in INVALID}
    assert len(names) >= 25
    for case in INVALID:
        assert sorted(p.name for p in case.iterdir()) == ["expected.txt", "spec.yaml"], case


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = case / "spec.yaml"
    code, lines, err = _run(capsys, str(spec))
    *issues, summary = lines
    actual = [line.replace(str(spec), "{spec}") for line in issues]
    expected_file = case / "expected.txt"
    if UPDATE:
        expected_file.write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert actual == expected
    assert code == 1
    assert err == ""
    assert summary == f"1 fil kontrollerad: {len(expected)} fel i 1 fil, 0 varningar."
    for line in expected:
        assert ISSUE_LINE.match(line), f"the message does not name line and column: {line}"


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, str(case / "spec.yaml"))
    assert (code, lines, err) == (0, ["1 fil kontrollerad: inga fel."], "")


def test_file_over_one_mebibyte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "stor.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    padding = "# utfyllnad för att göra filen för stor\n" * (MAX_BYTES // 40 + 1)
    spec.write_text(text + padding, encoding="utf-8")
    size = spec.stat().st_size
    assert size > MAX_BYTES

    code, lines, err = _run(capsys, str(spec))
    grouped = f"{size:,}".replace(",", " ")
    assert lines == [
        f"{spec}: filen är {grouped} byte; en avtalsspecifikation får vara högst 1 048 576 "
        "byte. Dela upp texten eller flytta långa bilagor till egna filer.",
        "1 fil kontrollerad: 1 fel i 1 fil, 0 varningar.",
    ]
    assert (code, err) == (1, "")


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "precis.yaml"
    text = FIXTURE.read_bytes()
    spec.write_bytes(text + b"#" * (MAX_BYTES - len(text) - 1) + b"\n")
    assert spec.stat().st_size == MAX_BYTES
    assert main(["validate", str(spec)]) == 0


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    spec = tmp_path / "tagg.yaml"
    text = (CASES / "invalid" / "python-tag" / "spec.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("echo pwned", f"touch {marker}"), encoding="utf-8")
    assert main(["validate", str(spec)]) == 1
    assert not marker.exists()
