"""`avtal check` (schema, form and rules) against `avtal validate` (schema and form only):
findings, output formats, --strict and exit codes.

Expected lines are found by searching the fixture text, never written out by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from buildkit import SPECS_DIR, Run, run_cli, spec_paths

import generator.rules.catalogue  # noqa: F401  (registers the rules)
from generator.cli import main
from generator.errors import Severity
from generator.pipeline import check_files, validate_files
from generator.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid.yaml"
FLAWED = ROOT / "tests" / "fixtures" / "flawed.yaml"
VALID_TEXT = VALID.read_text(encoding="utf-8")
FLAWED_TEXT = FLAWED.read_text(encoding="utf-8")
INFO_SPEC = SPECS_DIR / "roc-ingang.yaml"  # myndighetsutövning: one info finding, nothing else

# The errors of flawed.yaml: code -> (pointer, text on the line the error points at).
FLAWED_ERRORS = {
    "KL-9-37-PART": ("/parties/1/type", "type: foretag"),
    "EKON-ANDELAR": ("/economics/model/shares", "- parties: [region-stockholm]"),
    "LOU-DIREKT-GRANS": ("/procurement/value_per_party", "value_per_party: 12000000"),
    "GDPR-PUB": ("/information/personal_data", "processed: true"),
}
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, f"{needle!r} står {text.count(needle)} gånger i texten"
    return text[: text.index(needle)].count("\n") + 1


def as_json(run: Run) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def errors_of(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The error issues of a JSON report by code (each code must occur once)."""
    errors = [i for i in payload["issues"] if i["severity"] == "error"]
    by_code = {i["code"]: i for i in errors}
    assert len(by_code) == len(errors), f"en felkod förekommer flera gånger: {errors}"
    return by_code


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- flawed.yaml


def test_check_reports_exactly_the_four_errors_of_the_flawed_spec() -> None:
    run = run_cli("check", "--format", "json", FLAWED)
    assert run.code == EXIT_INVALID
    payload = as_json(run)
    errors = errors_of(payload)
    assert set(errors) == set(FLAWED_ERRORS)
    assert payload["errors"] == 4
    for code, (pointer, anchor) in FLAWED_ERRORS.items():
        issue = errors[code]
        assert issue["pointer"] == pointer, code
        assert issue["line"] == line_of(FLAWED_TEXT, anchor), code
        assert issue["column"] >= 1
        assert issue["file"] == str(FLAWED)
        assert issue["source"].strip(), f"{code} saknar källa"
        assert issue["message"].strip()


def test_flawed_sources_name_the_law_they_rest_on() -> None:
    errors = errors_of(as_json(run_cli("check", "--format", "json", FLAWED)))
    assert "9 kap. 37 § kommunallagen" in errors["KL-9-37-PART"]["source"]
    assert "2016:1145" in errors["LOU-DIREKT-GRANS"]["source"]
    assert "2016/679" in errors["GDPR-PUB"]["source"]
    assert "SKR" in errors["EKON-ANDELAR"]["source"]
    for code in ("KL-9-37-PART", "LOU-DIREKT-GRANS", "GDPR-PUB"):
        assert errors[code]["source"] == RULES[code].source


def test_flawed_messages_say_what_is_wrong() -> None:
    errors = errors_of(as_json(run_cli("check", "--format", "json", FLAWED)))
    text = {code: " ".join(issue["message"].split()) for code, issue in errors.items()}
    assert "Omsorgspartner i Stockholm AB är ett företag" in text["KL-9-37-PART"]
    assert "90 %" in text["EKON-ANDELAR"]
    assert "12 000 000 kronor" in text["LOU-DIREKT-GRANS"]
    assert "8 109 450 kronor" in text["LOU-DIREKT-GRANS"]
    assert "personuppgiftsbiträdesavtal" in text["GDPR-PUB"]


def test_check_files_matches_the_cli() -> None:
    issues = check_files([FLAWED])
    errors = {i.code: i for i in issues if i.severity is Severity.ERROR}
    assert set(errors) == set(FLAWED_ERRORS)
    assert len([i for i in issues if i.severity is Severity.ERROR]) == 4
    for code, (pointer, anchor) in FLAWED_ERRORS.items():
        assert errors[code].location.pointer == pointer
        assert errors[code].location.line == line_of(FLAWED_TEXT, anchor)
        assert errors[code].source


def test_validate_reports_only_the_form_error_of_the_flawed_spec() -> None:
    run = run_cli("validate", "--format", "json", FLAWED)
    assert run.code == EXIT_INVALID
    payload = as_json(run)
    assert [i["code"] for i in payload["issues"]] == ["EKON-ANDELAR"]
    issue = payload["issues"][0]
    assert issue["pointer"] == "/economics/model/shares"
    assert issue["line"] == line_of(FLAWED_TEXT, "- parties: [region-stockholm]")
    assert not {i["code"] for i in payload["issues"]} & set(RULES)


def test_validate_files_runs_no_rules() -> None:
    assert [i.code for i in validate_files([FLAWED])] == ["EKON-ANDELAR"]
    assert validate_files([VALID]) == []


def test_check_text_output() -> None:
    run = run_cli("check", FLAWED)
    assert run.code == EXIT_INVALID
    lines = run.stdout.splitlines()
    for code, (pointer, anchor) in FLAWED_ERRORS.items():
        line = next(x for x in lines if f"[{code}]" in x)
        assert line.startswith(f"{FLAWED}:{line_of(FLAWED_TEXT, anchor)}:")
        assert f" {pointer}: " in line
        assert "(källa: " in line
    assert "varning: [BARN-ANALYS]" in run.stdout
    assert lines[-1] == "1 fil kontrollerad: 4 fel i 1 fil, 1 varning."


def test_check_github_output() -> None:
    run = run_cli("check", "--format", "github", FLAWED)
    assert run.code == EXIT_INVALID
    lines = run.stdout.splitlines()
    errors = [x for x in lines if x.startswith("::error ")]
    assert len(errors) == 4
    assert [x for x in lines if x.startswith("::warning ")] and all(
        x.startswith(("::error ", "::warning ", "::notice ")) for x in lines)
    for code, (_, anchor) in FLAWED_ERRORS.items():
        line = next(x for x in errors if f"[{code}]" in x)
        assert f"file={FLAWED}," in line
        assert f",line={line_of(FLAWED_TEXT, anchor)}," in line
        assert "källa" in line.split("::", 2)[2]


def test_github_output_uses_notice_for_info() -> None:
    run = run_cli("check", "--format", "github", INFO_SPEC)
    assert run.code == EXIT_OK
    assert run.stdout.startswith("::notice ")
    assert "[LOU-MYNDIGHETSUTOVNING]" in run.stdout
    assert "::error" not in run.stdout and "::warning" not in run.stdout


def test_json_report_has_code_severity_source_and_line_for_every_issue() -> None:
    payload = as_json(run_cli("check", "--format", "json", FLAWED, VALID))
    assert payload["files"] == 2
    assert payload["errors"] == 4 and payload["warnings"] == 2
    for issue in payload["issues"]:
        assert {"file", "line", "column", "pointer", "severity", "code", "message",
                "source"} <= set(issue)
        assert issue["severity"] in ("error", "warning", "info")
        assert isinstance(issue["line"], int) and issue["line"] >= 1
        if issue["code"] in RULES:
            assert issue["source"] == RULES[issue["code"]].source
            assert issue["severity"] == RULES[issue["code"]].severity.value
    assert {i["file"] for i in payload["issues"] if i["severity"] == "error"} == {str(FLAWED)}


# --------------------------------------------------------------------------- strict, exit codes


def test_warning_fails_only_with_strict() -> None:
    plain = run_cli("check", "--format", "json", VALID)
    assert plain.code == EXIT_OK
    assert [(i["code"], i["severity"]) for i in as_json(plain)["issues"]] == [
        ("BARN-ANALYS", "warning")]
    assert run_cli("check", "--strict", VALID).code == EXIT_INVALID


def test_strict_does_not_fail_on_info() -> None:
    run = run_cli("check", "--strict", INFO_SPEC)
    assert run.code == EXIT_OK
    assert "info: [LOU-MYNDIGHETSUTOVNING]" in run.stdout


def test_validate_ignores_rule_warnings() -> None:
    run = run_cli("validate", VALID)
    assert run.code == EXIT_OK
    assert "BARN-ANALYS" not in run.stdout
    assert run.stdout.strip() == "1 fil kontrollerad: inga fel."


def test_strict_flawed_still_exit_1() -> None:
    assert run_cli("check", "--strict", FLAWED).code == EXIT_INVALID


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("check", tmp_path / "finns-inte.yaml")
    assert run.code == EXIT_USAGE
    assert "finns inte" in run.stderr


def test_folder_without_specs_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("check", tmp_path)
    assert run.code == EXIT_USAGE
    assert run.stdout == ""


def test_unknown_output_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["check", "--format", "xml", str(VALID)])
    assert raised.value.code == EXIT_USAGE
    assert "xml" in capsys.readouterr().err


def test_schema_error_stops_the_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", VALID_TEXT.replace("    type: region\n",
                                                           "    type: landsting\n"))
    run = run_cli("check", "--format", "json", path)
    assert run.code == EXIT_INVALID
    issues = as_json(run)["issues"]
    assert [(i["code"], i["pointer"]) for i in issues] == [("schema", "/parties/1/type")]
    assert issues[0]["line"] == line_of(path.read_text(encoding="utf-8"), "type: landsting")


def test_unreadable_spec_is_exit_1(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", "kind: [avtalssamverkan\n")
    run = run_cli("check", "--format", "json", path)
    assert run.code == EXIT_INVALID
    assert [i["code"] for i in as_json(run)["issues"]] == ["load"]


# --------------------------------------------------------------------------- rule_exceptions

SILENCE_PUB = ('rule_exceptions:\n  - rule: GDPR-PUB\n'
               '    justification: "PUB-avtalet tecknas i ett separat ärende i mars 2026."\n')
PROCESSOR = ("    roles: separata\n",
             "    roles: bitrade\n    controller: region-stockholm\n    processor: stockholm\n")


def test_rule_exception_turns_an_error_into_exit_0(tmp_path: Path) -> None:
    broken = VALID_TEXT.replace(*PROCESSOR)
    assert broken != VALID_TEXT
    without = run_cli("check", "--format", "json", write(tmp_path, "a.yaml", broken))
    assert without.code == EXIT_INVALID
    assert set(errors_of(as_json(without))) == {"GDPR-PUB"}

    silenced = run_cli("check", "--format", "json", write(tmp_path, "b.yaml", broken + SILENCE_PUB))
    assert silenced.code == EXIT_OK
    assert "GDPR-PUB" not in {i["code"] for i in as_json(silenced)["issues"]}


def test_unknown_rule_exception_fails_check_at_its_line(tmp_path: Path) -> None:
    text = VALID_TEXT + ('rule_exceptions:\n  - rule: LOU-PARAGRAF-99\n'
                         '    justification: "En regel som inte finns i katalogen alls."\n')
    run = run_cli("check", "--format", "json", write(tmp_path, "spec.yaml", text))
    assert run.code == EXIT_INVALID
    errors = errors_of(as_json(run))
    assert set(errors) == {"rule_exceptions"}
    issue = errors["rule_exceptions"]
    assert issue["line"] == line_of(text, "- rule: LOU-PARAGRAF-99")
    assert issue["pointer"] == "/rule_exceptions/0/rule"
    assert "LOU-PARAGRAF-99" in issue["message"]
    text_run = run_cli("check", write(tmp_path, "spec.yaml", text))
    assert f"spec.yaml:{line_of(text, '- rule: LOU-PARAGRAF-99')}:" in text_run.stdout


def test_short_justification_fails_validate_and_check(tmp_path: Path) -> None:
    text = VALID_TEXT + ('rule_exceptions:\n  - rule: BARN-ANALYS\n'
                         '    justification: "Görs senare."\n')
    path = write(tmp_path, "spec.yaml", text)
    for command in ("validate", "check"):
        run = run_cli(command, "--format", "json", path)
        assert run.code == EXIT_INVALID, command
        issues = as_json(run)["issues"]
        assert [(i["code"], i["pointer"]) for i in issues] == [
            ("schema", "/rule_exceptions/0/justification")], command
        assert issues[0]["line"] == line_of(text, "justification:")


# --------------------------------------------------------------------------- example specs


def test_examples_are_found() -> None:
    assert len(spec_paths()) >= 4


@pytest.mark.parametrize("path", spec_paths(), ids=lambda p: p.stem)
def test_example_spec_passes_check_strict(path: Path) -> None:
    run = run_cli("check", "--strict", "--format", "json", path)
    assert run.code == EXIT_OK, run.stdout
    payload = as_json(run)
    assert payload["errors"] == 0 and payload["warnings"] == 0


def test_all_examples_pass_check_strict_together() -> None:
    run = run_cli("check", "--strict", SPECS_DIR)
    assert run.code == EXIT_OK, run.stdout
    assert re.search(rf"^{len(spec_paths())} filer kontrollerade: inga fel\.$", run.stdout, re.M)


def test_strict_says_which_warnings_made_it_fail() -> None:
    run = run_cli("check", "--strict", VALID)
    assert run.code == 1
    assert "--strict: 1 varning(ar) räknas som fel:" in run.stderr
    assert re.search(r"^  \S+valid\.yaml:\d+:\d+: \[BARN-ANALYS\] ", run.stderr, re.M), run.stderr
    assert run_cli("check", VALID).code == 0
