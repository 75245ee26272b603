"""Failing builds: one bad spec does not stop the others, and never costs a good output.

The errors of pandoc and typst reach the user as they wrote them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from buildkit import FIXTURE, SPECS_DIR, run_cli

from generator import build, convert

SPEC_ID = "mini-maria-2026"


def _fixture_copy(folder: Path, name: str = "spec.yaml", extra: str = "") -> Path:
    path = folder / name
    path.write_text(FIXTURE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _temp_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob(".*.tmp"))


def test_schema_error_fails_run_but_other_specs_build(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    bad = tmp_path / "trasig.yaml"
    bad.write_text(text.replace("kind: avtalssamverkan\n",
                                "kind: avtalssamverkan\nokant_falt: 1\n"), encoding="utf-8")
    good = _fixture_copy(tmp_path, "hel.yaml")
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md", "--out", out, bad, good)
    assert run.code == 1
    assert "1 av 2 specifikationer byggda" in run.stdout
    assert "1 misslyckades" in run.stdout
    assert f"{bad}: FEL" in run.stderr
    assert f"{good}: FEL" not in run.stderr
    problem = [line for line in run.stderr.splitlines() if line.startswith(f"{bad}:")
               and "okant_falt" in line]
    assert problem, run.stderr
    assert ":4:" in problem[0], "felet ska ha rad och kolumn"
    md = (out / SPEC_ID / "avtal.md").read_text(encoding="utf-8")
    assert "# § 1 Parter" in md
    assert "Region Stockholm" in md


def test_failed_pdf_keeps_previous_output(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _fixture_copy(tmp_path)
    out = tmp_path / "out"
    first = run_cli("build", "--format", "md,pdf", "--out", out, spec)
    assert first.code == 0, first.stderr
    pdf = out / SPEC_ID / "avtal.pdf"
    manifest = out / SPEC_ID / "manifest.json"
    old_pdf, old_manifest = pdf.read_bytes(), manifest.read_bytes()

    def broken(source: str, *, epoch: int, root: Path | None = None) -> Callable[[], bytes]:
        def answer() -> bytes:
            raise convert.ConversionError("typst: simulerat fel i sättningen")

        return answer

    monkeypatch.setattr(convert, "typst_started", broken)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "Parterna samråder minst en gång per kvartal.",
        "Parterna samråder minst en gång per månad."), encoding="utf-8")
    second = run_cli("build", "--format", "md,pdf", "--out", out, spec)
    assert second.code == 1
    assert "simulerat fel i sättningen" in second.stderr
    assert str(spec) in second.stderr
    assert pdf.read_bytes() == old_pdf, "den gamla PDF:en förstördes"
    assert _temp_files(out) == []
    # The manifest still describes what is on disk, so the next build redoes the PDF.
    assert manifest.read_bytes() == old_manifest
    record = json.loads(old_manifest)["outputs"][f"{SPEC_ID}/avtal.pdf"]
    assert record["sha256"] == build.sha256(pdf.read_bytes())

    monkeypatch.undo()
    third = run_cli("build", "--format", "md,pdf", "--out", out, spec)
    assert third.code == 0, third.stderr
    assert pdf.read_bytes() != old_pdf
    assert _temp_files(out) == []


def test_failed_write_leaves_old_file_and_no_temp_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "avtal.pdf"
    build.write_atomic(target, b"gammal")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        build.write_atomic(target, b"ny")
    assert target.read_bytes() == b"gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["avtal.pdf"]


def test_typst_error_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Typst source that typst refuses: its own message reaches the user."""
    real = convert.typst_started

    def with_error(source: str, **given: Any) -> Callable[[], bytes]:
        return real(source + '\n#panic("avtal-test-panik")\n', **given)

    monkeypatch.setattr(convert, "typst_started", with_error)
    spec = _fixture_copy(tmp_path)
    run = run_cli("build", "--format", "pdf", "--out", tmp_path / "out", spec)
    assert run.code == 1
    assert "typst" in run.stderr
    assert "avtal-test-panik" in run.stderr
    assert str(spec) in run.stderr
    assert not (tmp_path / "out" / SPEC_ID / "avtal.pdf").exists()
    assert _temp_files(tmp_path / "out") == []


BROKEN_METADATA = """\
additional_clauses:
  - id: trasig
    heading: Trasig metadata
    after: syfte
    text: |-
      Text före.

      ---
      nyckel: [
      ---

      Text efter.
"""


def test_pandoc_error_is_shown(tmp_path: Path) -> None:
    """A Markdown field that pandoc cannot read (a broken YAML block): pandoc's message."""
    spec = _fixture_copy(tmp_path, extra=BROKEN_METADATA)
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md,docx", "--out", out, spec)
    assert run.code == 1
    assert "pandoc" in run.stderr
    assert "YAML" in run.stderr
    assert str(spec) in run.stderr
    assert not (out / SPEC_ID / "avtal.docx").exists()
    assert _temp_files(out) == []



@pytest.mark.parametrize("command", [("textconv",), ("deadlines", "--format", "json")])
def test_reader_closing_the_pipe_stops_quietly(command: tuple[str, ...]) -> None:
    """`avtal … | head` closes the pipe early: no traceback, no disk-error message."""
    spec = SPECS_DIR / "roc-ingang.yaml"
    args = [sys.executable, "-m", "generator", *command, str(spec)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(1)
        proc.stdout.close()
        errors = proc.stderr.read().decode()
        proc.wait(timeout=120)
    assert "Traceback" not in errors
    assert "Broken pipe" not in errors and "BrokenPipe" not in errors
    assert proc.returncode in (0, 1)


def test_no_specs_folder_points_to_avtal_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("check", "build", "deadlines"):
        run = run_cli(command)
        assert run.code == 2
        assert "sökvägen finns inte: specs" in run.stderr and "avtal init" in run.stderr


def test_a_missing_file_is_told_in_swedish(tmp_path: Path) -> None:
    run = run_cli("textconv", tmp_path / "saknas.yaml")
    assert "filen kan inte läsas: sökvägen finns inte" in run.stderr
    assert "No such file" not in run.stderr
