"""A hostile repository, more of it: what a pull request can commit (avtal.toml, a Word
template, a logo, a team's templates, a tracked build/) ends in a located error or does
no harm, never in a traceback, a hang or a reference to something outside the files.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from test_git import avtal
from test_untrusted_repository import _team

from generator import config
from generator.reader import MAX_BYTES

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


# --------------------------------------------------------------------------- tracebacks


def _patched_zip(target: Path, how: str) -> None:
    """Our Word template stored anew, each entry flagged encrypted or said to be packed
    with Deflate64 (method 9), in the local headers and the central directory alike."""
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info.filename))
    data = bytearray(target.read_bytes())
    for signature, flags, method in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        while at >= 0:
            if how == "encrypted":
                bits = struct.unpack_from("<H", data, at + flags)[0]
                struct.pack_into("<H", data, at + flags, bits | 1)
            else:
                struct.pack_into("<H", data, at + method, 9)
            at = data.find(signature, at + 4)
    target.write_bytes(data)


@pytest.mark.parametrize(("how", "said"), [
    ("encrypted", "är krypterad (lösenordsskyddad); spara mallen i Word utan lösenord"),
    ("deflate64", "mallen är packad på ett sätt som avtal inte kan packa upp"),
])
def test_a_word_template_zipfile_cannot_open_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, said: str
) -> None:
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    _patched_zip(repo / "mallar" / "reference.docx", how)
    for command in ("check", "deadlines", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "avtal.toml:1:1: Word-mallen reference.docx: " in run.stderr
        assert said in run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("line", "said"), [
    ("x = " + "[" * 100_000 + "]" * 100_000, "listor eller tabeller är nästlade för djupt"),
    ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000, "listor eller tabeller är nästlade för djupt"),
    ("notice_days = 1" + "0" * 5_000, "ett tal har för många siffror"),
])
def test_avtal_toml_too_deep_or_too_long_a_number_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, said: str
) -> None:
    repo = _team(tmp_path, 'formats = ["md"]\n' + line + "\n")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert f"avtal.toml:2:1: avtal.toml kan inte läsas: {said}" in run.stderr


def test_a_png_logo_cut_off_after_its_header_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nlogo = "logo.png"\n')
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "avtal.toml:2:1: logon logo.png: PNG-bilden är avkortad" in run.stderr
    with pytest.raises(ValueError, match="avkortad"):
        config.png_size(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00")


# --------------------------------------------------------------------------- linear scans


def test_a_typst_template_line_of_a_mebibyte_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """”$” and ”()” half a million times on one line, the most the reader takes: no
    partial (no closing ”$”), found at once; the same line closed is refused."""
    pairs = (MAX_BYTES - 100) // 2
    assert config.partial_call("$" + "()" * pairs) is None
    assert config.partial_call("${" * pairs + "()") is None
    assert config.partial_call("$" + "()" * pairs + "$") == "$" + "()" * pairs + "$"
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    typst = repo / "mallar" / "avtal.typst"
    typst.write_text("// $" + "()" * pairs + "\n", encoding="utf-8")
    run = avtal(repo, monkeypatch, "validate")
    assert "delmall" not in run.stderr
    typst.write_text("// $" + "()" * pairs + "$\n", encoding="utf-8")
    run = avtal(repo, monkeypatch, "validate")
    assert run.code == 1
    assert "avtal.toml:1:1: avtal.typst anropar en delmall (”$()()" in run.stderr
