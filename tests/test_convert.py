"""The warm converters: one `pandoc lua` process and one typst compiler per worker.

They must give the bytes the pandoc command line gives, report pandoc's failures per
document (its own message, a crash, a hang) without stopping the build, and never
leave a pandoc running behind us.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import pytest
import typst
from buildkit import FIXTURE, ROOT, read_spec

from generator import build, cli, convert, render
from generator.documents import documents

EPOCH = 1_767_225_600  # 2026-01-01


@pytest.fixture(scope="module")
def markdown() -> str:
    """The fixture's rendered agreement."""
    return next(d.markdown for d in documents(read_spec(FIXTURE))[0] if d.name == "avtal")


def command_line(markdown: str, args: list[str]) -> bytes:
    """What `pandoc` run once for this document gives."""
    command = [convert.pandoc_path(), f"--from={convert.MARKDOWN}", "--wrap=none",
               f"--lua-filter={convert.LUA_FILTER}", *args]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    done = subprocess.run(command, input=markdown.encode(), capture_output=True, env=env,
                          check=True)
    return done.stdout


@pytest.mark.parametrize(("to", "args"), [
    ("docx", ["--to=docx", "--standalone", f"--reference-doc={convert.REFERENCE_DOCX}",
              "--output=-"]),
    ("typst", ["--to=typst", f"--template={convert.TYPST_TEMPLATE}"]),
    # HTML pages use the overview page's template and table filter (see also below).
    ("html5", ["--to=html5", "--standalone", f"--template={convert.PAGE_TEMPLATE}",
               f"--lua-filter={convert.PAGE_FILTER}"]),
])
@pytest.mark.parametrize("inline", [False, True])
def test_warm_pandoc_gives_the_command_lines_bytes(markdown: str, to: str,
                                                   args: list[str], inline: bool) -> None:
    """Also without the filter's pass over inline elements, which the warm pandoc leaves
    out where the Markdown has no `[` or `<` (see test_inline_markup.py)."""
    assert not re.search(r"[\[<]", markdown)
    if inline:
        markdown += "\nSe [ny text]{.insertion} [gammal]{.deletion} och [webb](https://a.se).\n"
    converter = convert.Converter()
    try:
        first = converter.pandoc(markdown, to, epoch=EPOCH)
        again = converter.pandoc(markdown, to, epoch=EPOCH)  # the same process, warm
    finally:
        converter.close()
    assert first == command_line(markdown, args)
    assert again == first


def test_warm_pandoc_passes_the_pages_variables(markdown: str) -> None:
    """The style sheet and the link home reach the HTML template as on the command line."""
    variables = {"stil": "body { color: #111; }", "oversikt": "../index.html"}
    converter = convert.Converter()
    try:
        page = converter.pandoc(markdown, "html5", epoch=EPOCH, variables=variables)
    finally:
        converter.close()
    args = ["--to=html5", "--standalone", f"--template={convert.PAGE_TEMPLATE}",
            f"--lua-filter={convert.PAGE_FILTER}",
            *(f"--variable={k}={v}" for k, v in variables.items())]
    assert page == command_line(markdown, args)
    assert b"body { color: #111; }" in page and b'href="../index.html"' in page


def test_the_timestamp_is_the_jobs_own(markdown: str) -> None:
    """One pandoc serves specs of different dates: each DOCX carries its own."""
    converter = convert.Converter()
    try:
        docx_2026 = converter.pandoc(markdown, "docx", epoch=EPOCH)
        docx_2001 = converter.pandoc(markdown, "docx", epoch=1_000_000_000)
    finally:
        converter.close()
    assert b"2026-01-01T00:00:00Z" in _core(docx_2026)
    assert b"2001-09-09T01:46:40Z" in _core(docx_2001)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_pandoc_is_given_none_of_our_environment_but_what_it_needs(
    markdown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI's secrets never reach pandoc (nor a team's filter run in it), and each job's
    writer copies pandoc's whole environment: both pandocs get PATH, HOME and the locale."""
    convert.end_field_checks()  # this thread's field check starts again, in what follows
    monkeypatch.setenv("AVTAL_TEST_SECRET", "hemligt")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    converter = convert.Converter()
    try:
        converter.pandoc(markdown, "typst", epoch=EPOCH)
        assert convert.markdown_findings(("Ren text.",)) == [[]]
        seen = [_environment(converter._process), _environment(convert.converter()._fields.process)]
    finally:
        converter.close()
        convert.end_field_checks()
    for names in seen:
        assert "AVTAL_TEST_SECRET" not in names
        assert {"PATH", "LC_ALL"} <= names and ("HOME" in names) == ("HOME" in os.environ)


def _environment(process: subprocess.Popen[bytes] | None) -> set[str]:
    assert process is not None
    entries = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
    return {entry.split(b"=", 1)[0].decode() for entry in entries if entry}


def _core(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read("docProps/core.xml")


def test_reused_typst_compiler_gives_typsts_bytes(markdown: str) -> None:
    source = convert.to_typst(markdown, epoch=EPOCH)
    fresh = typst.compile(  # type: ignore[call-overload]
        source.encode(), format="pdf", pdf_standards="a-2b",
        timestamp=datetime.fromtimestamp(EPOCH, tz=UTC), font_paths=[str(convert.FONTS)],
        ignore_system_fonts=True)
    converter = convert.Converter()
    assert converter.typst(source, epoch=EPOCH) == fresh
    assert converter.typst(source, epoch=EPOCH) == fresh


LOGO = "#set page(width: 12pt, height: 8pt, margin: 0pt)\n#rect(width: 6pt, height: 4pt)\n"


def test_a_compile_left_running_keeps_its_answer_when_another_comes(markdown: str) -> None:
    """A build leaves the PDF compiling while pandoc makes the DOCX, whose letterhead may
    ask the same typst worker for a logo meanwhile: each gets its own bytes."""
    source = convert.to_typst(markdown, epoch=EPOCH)
    converter = convert.Converter()
    try:
        alone = converter.typst(source, epoch=EPOCH), converter.typst(LOGO, epoch=0, png=True)
        compiling = converter.typst_started(source, epoch=EPOCH)
        logo = converter.typst(LOGO, epoch=0, png=True)
        assert (compiling(), logo) == alone
        assert compiling() == alone[0]  # asked again: the same answer
        assert converter.typst(source, epoch=EPOCH) == alone[0]
    finally:
        converter.close()


def test_the_field_check_keeps_one_pandoc_and_starts_another_after_a_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One warm pandoc checks the fields of spec after spec; one stopped at the time
    limit leaves a located finding, and the next check gets a new pandoc."""
    assert convert.markdown_findings(("Text med *betoning*.",)) == [[]]
    checker = convert.converter()._fields.process
    assert checker is not None
    found = convert.markdown_findings(("![karta](karta.png)", "Ren text."))
    assert found == [[{"kind": "image", "detail": "karta.png"}], []]
    assert convert.converter()._fields.process is checker
    monkeypatch.setattr(convert, "FIELDS_TIMEOUT", 1)
    found = convert.markdown_findings(("Ren text.", "> " * 5000, "Aldrig läst."))
    assert found[0] == [] and [f["kind"] for f in found[1]] == ["complex"] and len(found) == 2
    assert convert.markdown_findings(("Ren text.",)) == [[]]
    assert convert.converter()._fields.process not in (None, checker)
    convert.end_field_checks()
    assert convert.converter()._fields.process is None


def test_a_new_pandoc_takes_over_after_its_jobs(
    markdown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm pandoc grows with the documents it converts: after PANDOC_JOBS jobs a new
    one takes over, and gives the same bytes."""
    monkeypatch.setattr(convert, "PANDOC_JOBS", 2)
    converter = convert.Converter()
    try:
        first = [converter.pandoc(markdown, "typst", epoch=EPOCH) for _ in range(2)]
        pid = converter._pandoc.process.pid if converter._pandoc.process else None
        third = converter.pandoc(markdown, "typst", epoch=EPOCH)
        assert converter._pandoc.process is not None and converter._pandoc.process.pid != pid
        assert first == [third, third]
    finally:
        converter.close()


def _script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lua: str) -> None:
    script = tmp_path / "broken.lua"
    script.write_text(lua, encoding="utf-8")
    monkeypatch.setattr(convert, "JOBS_SCRIPT", script)


def test_a_pandoc_crash_is_reported_and_the_next_job_runs(
    markdown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _script(tmp_path, monkeypatch,
            'io.stdin:read("l")\nio.stderr:write("pandoc: simulerad krasch\\n")\nos.exit(3)\n')
    converter = convert.Converter()
    with pytest.raises(convert.ConversionError, match="simulerad krasch"):
        converter.pandoc(markdown, "typst", epoch=EPOCH)
    monkeypatch.undo()
    try:
        assert b"Region Stockholm" in converter.pandoc(markdown, "typst", epoch=EPOCH)
    finally:
        converter.close()


def test_a_hung_pandoc_is_stopped(markdown: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _script(tmp_path, monkeypatch, 'io.stdin:read("l")\nio.stdin:read("l")\n')  # never answers
    monkeypatch.setattr(convert, "TIMEOUT", 2)
    converter = convert.Converter()
    with pytest.raises(convert.ConversionError, match="svarade inte inom 2 sekunder"):
        converter.pandoc(markdown, "docx", epoch=EPOCH)
    assert converter._process is None


# A stand-in for convert.lua: answers each job with its format and text, stops on a job
# that says KRASCH and never answers one that says HÄNG.
ECHO = """
for line in io.stdin:lines() do
  local job = pandoc.json.decode(line, false)
  if job.markdown:find("KRASCH") then
    io.stderr:write("pandoc: simulerad krasch\\n")
    os.exit(3)
  end
  while job.markdown:find("HÄNG") do end
  local start = os.clock()
  while job.markdown:find("SOV") and os.clock() - start < 1.5 do end
  local body = job.to .. ":" .. job.markdown
  io.stdout:write("ok ", tostring(#body), "\\n", body)
  io.stdout:flush()
end
"""


def _sent(converter: convert.Converter, texts: list[str]) -> list[Any]:
    """Every text handed to pandoc at once, none awaited."""
    return [converter.pandoc_started(text, "typst", epoch=0) for text in texts]


@pytest.fixture()
def echoing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[convert.Converter]:
    """A converter whose pandoc runs the stand-in ECHO."""
    _script(tmp_path, monkeypatch, ECHO)
    converter = convert.Converter()
    yield converter
    converter.close()


def test_jobs_out_at_once_each_get_their_own_answer(echoing: convert.Converter) -> None:
    """A worker hands pandoc several jobs before it awaits any: each answer is its own,
    in whatever order they are awaited, and more jobs than may be out at once wait."""
    texts = [f"dokument {n}" for n in range(convert.PANDOC_AHEAD + 2)]
    answers = _sent(echoing, texts)
    assert len(echoing._pandoc._out) == convert.PANDOC_AHEAD
    got = {n: answers[n]() for n in (3, 0, len(texts) - 1, 1, 2, 4, 5, 6)}
    assert got == {n: f"typst:{texts[n]}".encode() for n in got}
    assert not echoing._pandoc._out


def test_a_crash_is_its_own_jobs_and_the_jobs_after_it_are_converted(
    echoing: convert.Converter,
) -> None:
    first, crash, after = _sent(echoing, ["först", "KRASCH", "efter"])
    assert after() == b"typst:efter"  # sent again, to a new pandoc
    with pytest.raises(convert.ConversionError, match="simulerad krasch"):
        crash()
    assert first() == "typst:först".encode()


def test_a_hang_is_its_own_jobs_and_the_job_after_it_is_converted(
    echoing: convert.Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "TIMEOUT", 2)
    hung, after = _sent(echoing, ["HÄNG", "efter"])
    with pytest.raises(convert.ConversionError, match="svarade inte inom 2 sekunder"):
        hung()
    assert after() == b"typst:efter"


def test_a_crash_seen_first_by_the_next_jobs_write_is_still_its_own_jobs(
    echoing: convert.Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandoc may end in a job out after the worker looked whether it runs: the next
    job's write finds the pipe broken, and the crash is still the crashed job's."""
    (crash,) = _sent(echoing, ["KRASCH"])
    process = echoing._pandoc.process
    assert process is not None
    process.wait()
    monkeypatch.setattr(process, "poll", lambda: None)  # as if it still ran
    (after,) = _sent(echoing, ["efter"])
    assert after() == b"typst:efter"
    with pytest.raises(convert.ConversionError, match="simulerad krasch"):
        crash()


def test_a_job_waiting_for_the_answers_before_it_has_its_own_time_after_them(
    echoing: convert.Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each SOV job spends 1.5 s of CPU, well within the 4 s a job has even on a loaded
    # machine; the four of them keep the large job waiting 6 s, longer than its time.
    monkeypatch.setattr(convert, "TIMEOUT", 4)
    large = "x" * (3 * convert.PIPE_BYTES)
    jobs = ["SOV 1", "SOV 2", "SOV 3", "SOV 4", large]
    answers = _sent(echoing, jobs)
    assert [a() for a in answers] == [f"typst:{t}".encode() for t in jobs]


def test_an_answer_awaited_after_the_converter_closed_starts_nothing(
    markdown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converter = convert.Converter()
    typst_source = convert.to_typst(markdown, epoch=EPOCH)
    compiling = converter.typst_started(typst_source, epoch=EPOCH)
    converting = converter.pandoc_started(markdown, "docx", epoch=EPOCH)
    converter.close()
    for answer in (compiling, converting):
        with pytest.raises(convert.ConversionError, match="stoppades innan det svarade"):
            answer()
    assert converter._typst.process is None and converter._pandoc.process is None


def test_a_job_larger_than_the_pipe_waits_for_the_answers_before_it(
    echoing: convert.Converter,
) -> None:
    """pandoc reads a job only when it has written its answers to the jobs before: a
    job the pipe cannot hold while those answers wait must not block either side."""
    large = "x" * (3 * convert.PIPE_BYTES)
    answers = _sent(echoing, [large, "liten", large, "liten"])
    assert [a() for a in answers] == [f"typst:{t}".encode() for t in [large, "liten"] * 2]


def test_pandocs_own_error_reaches_the_build(markdown: str) -> None:
    converter = convert.Converter()
    try:
        with pytest.raises(convert.ConversionError, match=r"pandoc: .*YAML"):
            converter.pandoc("---\nnyckel: [\n---\n\nText.\n", "docx", epoch=EPOCH)
        assert converter.pandoc(markdown, "html5", epoch=EPOCH).startswith(b"<!DOCTYPE html>")
    finally:
        converter.close()


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _pandoc_children() -> list[int]:
    """Our child processes that run the job script."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
            ours = parent == os.getpid() and convert.JOBS_SCRIPT.name.encode() in command
            if ours and _alive(int(entry.name)):
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_build_leaves_no_pandoc_running(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    before = set(_pandoc_children())  # this thread's own converter, if a test started it
    results = list(build.build_all([spec], build.Options(out=tmp_path / "out"), jobs=2))
    assert not results[0].failed, results[0].issues
    assert results[0].written
    assert set(_pandoc_children()) <= before


CHILD = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from generator import convert
converter = convert.converter()
converter.pandoc("# Rubrik", "typst", epoch=0)
print(converter._process.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_pandoc_does_not_outlive_a_killed_parent() -> None:
    """Killed outright, the parent runs no cleanup: pandoc ends on its closed stdin."""
    child = subprocess.run([sys.executable, "-c", CHILD, str(ROOT)], capture_output=True,
                           text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    pid = int(child.stdout.split()[0])
    for _ in range(300):  # a liveness wait, not a timing requirement
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid), "pandoc lever kvar efter att avtal dödats"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _build_on_terminal(tmp_path: Path) -> str:
    spec = tmp_path / "spec.yaml"
    spec.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    err = _Terminal()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--format", "md,docx", "--out", str(tmp_path / "out"),
                         str(spec)])
    assert code == 0, err.getvalue()
    return err.getvalue()


def test_progress_line_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    shown = _build_on_terminal(tmp_path)
    lines = [line.strip() for line in shown.split("\r") if line.strip()]
    assert lines, shown
    assert all("dokument" in line and "spec.yaml" in line for line in lines), lines
    total = lines[-1].split("] ", 1)[1].split()[0]
    done, of = total.split("/")
    assert done == of and int(of) >= 2  # every document, the agreement's two formats at least
    assert "[1/1]" not in shown  # the per-spec log lines are for pipes and CI logs


def test_no_progress_line_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    shown = _build_on_terminal(tmp_path)
    assert "\r" not in shown
    assert not re.search(r"\d+/\d+ dokument", shown)
    assert "[1/1]" in shown


def test_jobs_default_to_the_cores() -> None:
    args = cli._parser().parse_args(["build"])
    assert args.jobs is None
    assert build.default_jobs() == len(os.sched_getaffinity(0))


def test_compiled_templates_are_kept_per_version_of_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter that starts taking the context compiles differently: a template compiled
    by other code must not be reused, even when the template itself is the same."""
    code = tmp_path / "generator"
    code.mkdir()
    (code / "render.py").write_text("def gemen(text): ...\n", encoding="utf-8")
    monkeypatch.setattr(render, "code_dir", lambda: code)
    before = render._bytecode_cache()
    assert isinstance(before, jinja2.FileSystemBytecodeCache)
    (code / "render.py").write_text("@pass_context\ndef gemen(context, text): ...\n",
                                    encoding="utf-8")
    after = render._bytecode_cache()
    assert isinstance(after, jinja2.FileSystemBytecodeCache)
    assert before.pattern != after.pattern
    assert render._bytecode_cache().pattern == after.pattern  # stable while code stays
    # A sandboxed (team) template never loads code compiled without the sandbox.
    sandboxed = render._bytecode_cache(sandboxed=True)
    assert isinstance(sandboxed, jinja2.FileSystemBytecodeCache)
    assert sandboxed.pattern != after.pattern
