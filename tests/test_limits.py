"""Every converter call is bounded: a pandoc job or a typst compile that runs away in
time or memory is stopped and reported, the spec fails with its old documents kept, no
converter outlives a killed avtal, and no Markdown makes a converter read a file."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from buildkit import FIXTURE, ROOT, run_cli, tree

from generator import convert
from generator.errors import EnvironmentProblem
from generator.render import TEMPLATES

PROC = Path("/proc/self/stat").exists()
# The data limit that stops a greedy converter is enforced by Linux; other systems take
# it as advice.
LINUX = sys.platform.startswith("linux")
SPEC_ID = "mini-maria-2026"
# Typst that computes for hours in little memory, and Typst that asks for gigabytes.
SLOW_TYPST = "#for i in range(100000) { for j in range(100000) { } }\n"
GREEDY_TYPST = "#let many = range(100000000)\n#many.len()\n"
# A team's Lua filter that never ends on the document that names `månad`.
SLOW_FILTER = """
function Pandoc(doc)
  if pandoc.utils.stringify(doc.blocks):find("månad", 1, true) then
    while true do end
  end
end
"""
# CPU seconds after which a converter of the fixture is surely in one of the loops above.
BUSY_SECONDS = 3
GREEDY_FILTER = "function Pandoc(doc) local t = {} for i = 1, 1e9 do t[i] = tostring(i) end end\n"


# --------------------------------------------------------------------------- typst


def test_a_typst_compile_that_runs_away_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "TIMEOUT", 2)
    converter = convert.Converter()
    try:
        with pytest.raises(convert.ConversionError) as caught:
            converter.typst(SLOW_TYPST, epoch=0)
        assert str(caught.value).startswith(
            "typst svarade inte inom 2 sekunder och stoppades; dokumentet blev för stort "
            "eller invecklat. Korta eller dela upp texterna i specifikationen"
        )
        assert converter._typst.process is None  # killed; the next job starts a new one
        assert converter.typst("Hej", epoch=0).startswith(b"%PDF")
    finally:
        converter.close()


@pytest.mark.skipif(not LINUX, reason="the data limit is Linux's")
def test_a_typst_compile_past_its_memory_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "MEMORY", 512 << 20)
    converter = convert.Converter()
    try:
        with pytest.raises(convert.ConversionError, match="typst behövde mer än 512 MB minne"):
            converter.typst(GREEDY_TYPST, epoch=0)
        assert converter.typst("Hej", epoch=0).startswith(b"%PDF")
    finally:
        converter.close()


@pytest.mark.skipif(not LINUX, reason="the data limit is Linux's")
def test_a_typst_stopped_in_a_compile_left_running_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker starts its next job while the PDF before is still out in typst: when
    typst died in that compile, its own reason reaches the user, not only that it
    stopped before it answered."""
    monkeypatch.setattr(convert, "MEMORY", 512 << 20)
    converter = convert.Converter()
    try:
        compiling = converter.typst_started(GREEDY_TYPST, epoch=0)
        process = converter._typst.process
        assert process is not None
        process.wait(timeout=60)  # dead before the next job starts
        converter.start_typst()
        with pytest.raises(convert.ConversionError, match="typst behövde mer än 512 MB minne"):
            compiling()
        assert converter.typst("Hej", epoch=0).startswith(b"%PDF")
    finally:
        converter.close()


def test_typsts_own_error_is_reported_as_before() -> None:
    converter = convert.Converter()
    try:
        with pytest.raises(convert.ConversionError, match=r"^typst: .*unknown variable"):
            converter.typst("#okand", epoch=0)
        assert converter.typst("Hej", epoch=0).startswith(b"%PDF")  # the same worker
    finally:
        converter.close()


def test_a_typst_worker_that_cannot_start_is_an_environment_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(convert, "_typst_command", lambda: [sys.executable, "-c", "import typs"])
    converter = convert.Converter()
    try:
        with pytest.raises(EnvironmentProblem, match=r"typst kunde inte startas .*No module"):
            converter.typst("Hej", epoch=0)
    finally:
        converter.close()


# --------------------------------------------------------------------------- pandoc


@pytest.mark.skipif(not LINUX, reason="the data limit is Linux's")
def test_a_pandoc_job_past_its_memory_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    greedy = tmp_path / "layout.lua"
    greedy.write_text(GREEDY_FILTER, encoding="utf-8")
    monkeypatch.setattr(convert, "MEMORY", 128 << 20)
    converter = convert.Converter()
    try:
        with pytest.raises(convert.ConversionError, match="pandoc behövde mer än 256 MB minne"):
            converter.pandoc("Text.", "docx", epoch=0, assets=convert.Assets(lua_filter=greedy))
        assert b"<p>Text.</p>" in converter.pandoc("Text.", "html5", epoch=0)
    finally:
        converter.close()


def _project(tmp_path: Path) -> Path:
    """A project whose spec is the fixture, with a folder for the team's templates."""
    (tmp_path / "specs").mkdir()
    shutil.copy(FIXTURE, tmp_path / "specs" / "mini.yaml")
    (tmp_path / "mallar").mkdir()
    (tmp_path / "avtal.toml").write_text('templates = "mallar"\n', encoding="utf-8")
    return tmp_path


def _monthly(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8")
    changed = text.replace("minst en gång per kvartal", "minst en gång per månad")
    assert changed != text
    spec.write_text(changed, encoding="utf-8")


def test_a_runaway_conversion_fails_the_spec_and_keeps_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    first = run_cli("build", "--format", "md,docx")
    assert first.code == 0, first.stderr
    before = tree(project / "build" / SPEC_ID)
    names = set(tree(project / "build"))
    (project / "mallar" / "layout.lua").write_text(SLOW_FILTER, encoding="utf-8")
    _monthly(project / "specs" / "mini.yaml")
    monkeypatch.setattr(convert, "TIMEOUT", 2)
    second = run_cli("build", "--format", "md,docx")
    assert second.code == 1
    assert (  # at the team's own filter, which pandoc ran (the spec's text is escaped)
        f"mallar/layout.lua: [build] {SPEC_ID}/avtal.docx: pandoc svarade inte inom 2 sekunder "
        "och stoppades; dokumentet blev för stort eller invecklat" in second.stderr
    ), second.stderr
    assert "teamets egen fil mallar/layout.lua används här, och felet kan stå där" in second.stderr
    assert "Traceback" not in second.stderr
    assert "0 av 1 specifikationer byggda: 0 filer skrivna" in second.stdout
    assert tree(project / "build" / SPEC_ID) == before  # all old: nothing new, nothing half-written
    assert set(tree(project / "build")) == names  # and nothing staged left behind


# --------------------------------------------------------------------------- sandbox


def test_no_markdown_makes_pandoc_read_a_file_even_without_our_filter(tmp_path: Path) -> None:
    """The built-in filter turns images into text; a team's filter may not. Whatever the
    filter, the job script reads in a sandbox and writes no image, so no local file
    reaches a document."""
    secret = tmp_path / "hemlig.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nHEMLIGT-INNEHALL")
    bare = tmp_path / "layout.lua"
    bare.write_text("-- lets everything through\n", encoding="utf-8")
    assets = convert.Assets(lua_filter=bare)
    markdown = f"Se ![bild]({secret}) och ![annan](/etc/hostname).\n"
    converter = convert.Converter()
    try:
        docx = converter.pandoc(markdown, "docx", epoch=0, assets=assets)
        html = converter.pandoc(markdown, "html5", epoch=0, assets=assets).decode()
        source = converter.pandoc(markdown, "typst", epoch=0, assets=assets).decode()
    finally:
        converter.close()
    parts = zipfile.ZipFile(io.BytesIO(docx))
    assert not [name for name in parts.namelist() if name.startswith("word/media/")]
    assert all(b"HEMLIGT" not in parts.read(name) for name in parts.namelist())
    text = re.sub(r"<[^>]+>", "", parts.read("word/document.xml").decode())
    assert "Se bild och annan." in text  # the descriptions stay
    assert "<img" not in html and str(secret) not in html and "bild" in html
    assert "image(" not in source and str(secret) not in source


# --------------------------------------------------------------------------- killed parent


def _children(pid: int) -> dict[int, bytes]:
    """The running child processes of `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _state(pid: int) -> str:
    """R, S, ... ; "" once the process is gone (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""
    return "" if state == "Z" else state


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll until the condition holds (a liveness bound, not a timing requirement)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not PROC, reason="reads /proc")
@pytest.mark.parametrize(
    ("template", "text", "fmt", "busy"),
    [
        ("layout.lua", SLOW_FILTER, "docx", b"convert.lua"),
        ("avtal.typst", None, "pdf", b"typst_worker"),
    ],
)
def test_no_converter_outlives_a_killed_build(
    tmp_path: Path, template: str, text: str | None, fmt: str, busy: bytes
) -> None:
    """SIGKILL the build while a converter computes (not waiting on its stdin): the
    converter ends with it."""
    project = _project(tmp_path)
    if text is None:
        text = SLOW_TYPST + (TEMPLATES / template).read_text(encoding="utf-8")
    (project / "mallar" / template).write_text(text, encoding="utf-8")
    _monthly(project / "specs" / "mini.yaml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--format", fmt, "--jobs", "1"],
        cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    working: list[int] = []

    def converting() -> bool:
        """A converter has spent longer on the job than starting up and converting the
        whole spec takes: it is in the endless loop, not waiting for its stdin."""
        found = _children(build.pid).items()
        working[:] = [p for p, c in found if busy in c and _cpu_seconds(p) > BUSY_SECONDS]
        return bool(working)

    try:
        assert _wait(converting, 120), "ingen konvertering startade"
        children = list(_children(build.pid))
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        assert _wait(lambda: not any(_state(p) for p in children), 60), [
            (p, _state(p)) for p in children
        ]
    finally:
        build.kill()
        for pid in working:  # a failed test leaves nothing computing
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


WITHOUT_PRCTL = """
import sys, threading
from generator import convert
convert._PRCTL = None  # as on a system without prctl
threading.Thread(target=convert.converter().typst, args=(sys.argv[1],), kwargs={"epoch": 0}).start()
threading.Event().wait()
"""


@pytest.mark.skipif(not PROC, reason="reads /proc")
def test_the_typst_worker_ends_with_its_parent_without_prctl() -> None:
    """Where the system cannot kill a child with its parent, the worker sees its parent
    gone and ends, also in the middle of a compile."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", WITHOUT_PRCTL, SLOW_TYPST], env=env, stdin=subprocess.DEVNULL
    )
    working: list[int] = []

    def converting() -> bool:
        found = _children(parent.pid).items()
        working[:] = [p for p, c in found if b"typst_worker" in c and _cpu_seconds(p) > 1]
        return bool(working)

    try:
        assert _wait(converting, 120), "ingen kompilering startade"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert _wait(lambda: not any(_state(p) for p in working), 60)
    finally:
        parent.kill()
        for pid in working:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
