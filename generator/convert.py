"""Markdown -> DOCX / PDF / HTML. The only module that runs pandoc or typst.

Each converter is a pure function of its inputs: the same Markdown and timestamp give
the same bytes.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pypandoc

from .docx_letterhead import LETTERHEAD_MM, Letterhead, Logo, letterhead_parts, repack
from .errors import AvtalError, EnvironmentProblem, Location, shown
from .reader import png_size
from .resources import templates_dir

TEMPLATES = templates_dir()  # not render's: converting needs no template engine
LUA_FILTER = TEMPLATES / "layout.lua"
TYPST_TEMPLATE = TEMPLATES / "avtal.typst"
REFERENCE_DOCX = TEMPLATES / "reference.docx"
# The warm pandoc's job loop: reads jobs on stdin, answers on stdout.
JOBS_SCRIPT = TEMPLATES / "convert.lua"
# HTML pages share the overview page's style sheet (inline) and its table cards.
PAGE_TEMPLATE = TEMPLATES / "sida" / "sida.html5"
PAGE_FILTER = TEMPLATES / "sida" / "sida.lua"
PAGE_STYLE = TEMPLATES / "sida" / "stil.css"
PAGE_FILES = (PAGE_TEMPLATE, PAGE_FILTER)
FONTS = TEMPLATES / "fonts"  # DejaVu Sans: fallback for Hebrew, Arabic and some emoji
# Pandoc Markdown without raw passthrough: a Markdown field in a spec cannot smuggle in
# Typst, OpenXML, HTML or TeX code. Only our own Lua filter writes raw output. Without
# citations too: nothing cites, and a few dozen unclosed [ took pandoc minutes with them.
MARKDOWN = "markdown-raw_attribute-raw_html-raw_tex-citations"
FIELDS_SCRIPT = TEMPLATES / "fields.lua"

# ------------------------------------------------------------------ limits of a converter
# Every pandoc and typst call is bounded in time and memory, so that a hostile spec
# fails with a message instead of hanging or exhausting the build machine. The largest
# example agreement (25 kB of Markdown) takes under half a second in each converter and
# under 200 MB (pandoc; typst 50 MB). Even a spec at the loader's byte cap (1 MB of
# ordinary clauses: a 227-page agreement) takes about 3 s and under 450 MB in each.
#
# Seconds the check of a spec's Markdown fields may take (a real field takes
# milliseconds; some hostile ones take pandoc far longer than any build may).
FIELDS_TIMEOUT = 30
# Seconds one document may take in pandoc (one format) or in typst before it counts as
# hung and its converter is stopped.
TIMEOUT = 120
# Bytes of memory one converter may use: pandoc's heap limit, and the data limit the
# system sets on the typst worker (pandoc gets twice that as a backstop for what its
# Lua allocates outside the heap).
MEMORY = 2 << 30
# Jobs a warm pandoc converts before a new one takes over: it keeps a little of each job
# (about 10 kB; convert.lua runs our filter without the 40 kB a run of
# pandoc.utils.run_lua_filter keeps), so a very large build would otherwise grow it
# without end: 2 000 jobs take it from 180 to about 200 MB. Starting one costs a fifth
# of a second.
PANDOC_JOBS = 2000
# Jobs a warm pandoc may have at once: every format of two documents (see
# build._job_steps), so that it converts on while its worker thread waits for the GIL.
PANDOC_AHEAD = 6
HEADER_FIELDS = ("header-left", "header-right", "footer-left", "footer-right")
# Other texts of the metadata block the DOCX takes: the document's own title (its core
# property, as in the PDF) and its date (YYYY-MM-DD: when it was written, its timestamp).
TITLE_FIELD = "document-title"
DATE_FIELD = "document-date"
# The letterhead (templates/_brevhuvud.md.j2): a party's own, or the agreement's logos.
LOGO_FIELD = "letterhead-logo"
ADDRESS_FIELD = "letterhead-address"
LINES_FIELD = "letterhead-lines"
PARTY_LOGOS_FIELD = "party-logos"
# A logo's path as avtal.toml gives it to the templates: from the project root.
_LOGO_PATH = re.compile(r"^/[A-Za-z0-9/.-]+\.(?:svg|png)$")
DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
_REVISION = re.compile(r'(<w:(?:ins|del)\b)\s+w:id="\d+"')
_ESCAPED = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Assets:
    """The files a conversion reads: the built-in ones unless the team overrides them,
    and the folder Typst may read a letterhead's logo from (its `/` in the Markdown)."""

    typst_template: Path = TYPST_TEMPLATE
    lua_filter: Path = LUA_FILTER
    reference_docx: Path = REFERENCE_DOCX
    root: Path | None = None

    def job(self) -> dict[str, str]:
        """What a pandoc job names besides the warm process's own files (nothing for
        the built-in ones, so their jobs stay as they were)."""
        given = {
            "filter": (self.lua_filter, LUA_FILTER),
            "template": (self.typst_template, TYPST_TEMPLATE),
            "reference_doc": (self.reference_docx, REFERENCE_DOCX),
        }
        return {key: str(path) for key, (path, default) in given.items() if path != default}

    def blamed(self, started: Callable[[], bytes], to: str) -> Callable[[], bytes]:
        """The call giving a conversion's output, with a converter's error put at the
        team's own files the conversion reads (`to`: pandoc's format, or "pdf" for
        typst's compile): the spec's text is escaped, a team's code is not."""
        used = {"typst": (self.lua_filter, self.typst_template), "pdf": (self.typst_template,),
                "docx": (self.lua_filter, self.reference_docx), "html5": (self.lua_filter,)}
        built_in = (LUA_FILTER, TYPST_TEMPLATE, REFERENCE_DOCX)
        own = [str(shown(path)) for path in used.get(to, (self.lua_filter,))
               if path not in built_in]
        if not own:
            return started

        def finished() -> bytes:
            try:
                return started()
            except ConversionError as err:
                files, one = " och ".join(own), len(own) == 1
                raise ConversionError(
                    f"{err.message}; teamets {'egen fil' if one else 'egna filer'} {files} "
                    f"används här, och felet kan stå {'där' if one else 'i dem'} (bygg utan "
                    f"{'den' if one else 'dem'} för att pröva)", Location(own[0])
                ) from err

        return finished


BUILT_IN = Assets()


class ConversionError(AvtalError):
    """pandoc or typst refused a document; the message is theirs."""


class ConverterStopped(ConversionError):
    """A converter ran past its time or memory and was stopped."""


@cache
def pandoc_path() -> str:
    """The pandoc binary shipped by pypandoc-binary."""
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as err:
        raise EnvironmentProblem(f"pandoc hittades inte: {err}") from err


@cache
def tool_versions() -> dict[str, str]:
    """Versions of the converters, recorded in the manifest and the build hash."""
    return {
        "pandoc": str(pypandoc.get_pandoc_version()),
        "typst": version("typst"),
        "pypandoc-binary": version("pypandoc-binary"),
    }


class Converter:
    """One warm pandoc (`pandoc lua` running JOBS_SCRIPT) and one typst worker process
    (generator/typst_worker.py).

    Each thread converts through its own Converter (see `converter()`), so that a build
    starts pandoc and typst once per worker instead of once per document and format, and
    typst loads its fonts once. Each job has TIMEOUT seconds; a converter that runs over
    it, or past its MEMORY, is stopped and the next job starts a new one. Both end when
    their stdin closes, and (see `_child_setup`) when the process, or on Linux the thread,
    that started them ends, even in the middle of a job.
    """

    def __init__(self) -> None:
        self._pandoc = _Child(
            "pandoc",
            _pandoc_command,
            2 * MEMORY,
            renew_after=PANDOC_JOBS,
            depth=PANDOC_AHEAD,
            environment=pandoc_environment,
        )
        self._typst = _Child("typst", _typst_command, MEMORY)
        self._fields = _Child(
            "pandoc", _fields_command, 2 * MEMORY, environment=pandoc_environment
        )

    @property
    def _process(self) -> subprocess.Popen[bytes] | None:
        """The warm pandoc, while it runs."""
        return self._pandoc.process

    def pandoc(
        self,
        markdown: str,
        to: str,
        *,
        epoch: int,
        variables: dict[str, str] | None = None,
        assets: Assets = BUILT_IN,
    ) -> bytes:
        """Markdown -> `to` (docx, typst or html5) through the filter and the templates."""
        return self.pandoc_started(markdown, to, epoch=epoch, variables=variables, assets=assets)()

    def pandoc_started(
        self,
        markdown: str,
        to: str,
        *,
        epoch: int,
        variables: dict[str, str] | None = None,
        assets: Assets = BUILT_IN,
    ) -> Callable[[], bytes]:
        """`pandoc` handed to the warm pandoc without waiting for it: the call returned
        gives the result (or raises, at the team's own files where they took part: see
        Assets.blamed), so that this thread can do other work meanwhile."""
        job: dict[str, object] = {
            "to": to,
            "markdown": markdown,
            "epoch": epoch,
            "variables": variables or {},
            **assets.job(),
        }
        line = json.dumps(job, ensure_ascii=False) + "\n"  # \n inside is escaped
        answer = self._pandoc.send(line.encode())

        def result() -> bytes:
            status, body = answer()
            if status != b"ok":
                message = body.decode(errors="replace").strip()
                if _out_of_memory(message, None):  # Lua's own allocation failed
                    raise ConversionError(f"pandoc {_too_much(2 * MEMORY)}")
                raise ConversionError(f"pandoc: {message}")
            return body

        return assets.blamed(result, to)

    def typst(
        self, source: str, *, epoch: int, root: Path | None = None, png: bool = False
    ) -> bytes:
        """Typst source -> PDF/A-2b with only our fonts and typst's own (or, with `png`,
        a one-page source's PNG); `root` is the folder a letterhead's logo path starts
        from."""
        return self.typst_started(source, epoch=epoch, root=root, png=png)()

    def typst_started(
        self, source: str, *, epoch: int, root: Path | None = None, png: bool = False
    ) -> Callable[[], bytes]:
        """`typst` handed to the worker without waiting for it: the call returned gives
        the result (or raises), so that pandoc can convert meanwhile."""
        data = source.encode()
        header = {
            "size": len(data),
            "epoch": epoch,
            "root": str(root) if root else None,
            "format": "png" if png else "pdf",
        }
        answer = self._typst.send(json.dumps(header).encode() + b"\n" + data)

        def result() -> bytes:
            status, body = answer()
            if status != b"ok":
                raise ConversionError(f"typst: {body.decode(errors='replace').strip()}")
            return body

        return result

    def fields(self, text: str, *, seconds: float) -> list[dict[str, str]]:
        """What one Markdown text holds that a spec field must not (templates/fields.lua),
        within `seconds`; ConverterStopped past them or past the memory."""
        line = json.dumps(text, ensure_ascii=False) + "\n"
        status, body = self._fields.send(line.encode(), seconds=seconds)()
        if status != b"ok":
            message = body.decode(errors="replace").strip()
            if _out_of_memory(message, None):
                raise ConverterStopped(message)
            raise ConversionError(message)
        return _as_list(json.loads(body))

    def start_typst(self) -> None:
        """Start typst now if it is not running (else it starts on its first job), so
        that it loads its fonts while pandoc converts."""
        self._typst.started()

    def close(self, *, kill: bool = False) -> None:
        """Stop pandoc and typst: close their stdin and give them a moment to quit,
        else kill them."""
        self._pandoc.close(kill=kill)
        self._typst.close(kill=kill)
        self._fields.close(kill=kill)

    def close_fields(self) -> None:
        """Stop the field-check pandoc; the next check starts it again."""
        self._fields.close()


def _pandoc_command() -> list[str]:
    paths = (JOBS_SCRIPT, LUA_FILTER, TYPST_TEMPLATE, reference_exists())
    return [
        pandoc_path(),
        *_heap_limit(),
        "lua",
        *map(str, paths),
        MARKDOWN,
        *map(str, PAGE_FILES),
    ]


def _heap_limit() -> list[str]:
    """pandoc's own heap limit (its runtime's option), MEMORY."""
    return ["+RTS", f"-M{MEMORY >> 20}m", "-RTS"]


def _fields_command() -> list[str]:
    return [pandoc_path(), *_heap_limit(), "lua", str(FIELDS_SCRIPT), MARKDOWN]


# What pandoc is given of our environment: where programs and its data directory are,
# and the locale (its messages, file names). Nothing else: neither a CI's secrets nor
# anything a team's filter could read, and each job's SOURCE_DATE_EPOCH is set around
# its writer (convert.lua), which copies the whole environment each time.
PANDOC_ENVIRONMENT = (
    "PATH", "HOME", "XDG_DATA_HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TMPDIR",
    "LUA_PATH", "LUA_CPATH", "LUA_PATH_5_4", "LUA_CPATH_5_4",
    "LOCPATH", "LOCALE_ARCHIVE", "GUIX_LOCPATH",  # a pandoc of the system's (PYPANDOC_PANDOC)
    "SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "APPDATA",
)


def pandoc_environment() -> dict[str, str]:
    """The environment a pandoc of ours runs in (PANDOC_ENVIRONMENT)."""
    return {name: os.environ[name] for name in PANDOC_ENVIRONMENT if name in os.environ}


def _typst_command() -> list[str]:
    return [sys.executable, "-m", f"{__package__}.typst_worker", str(FONTS)]


Answer = Callable[[], tuple[bytes, bytes]]


class _Child:
    """A converter process that answers each job written to its stdin with a line
    `ok LENGTH` or `err LENGTH` and LENGTH bytes on its stdout, within TIMEOUT.

    Up to `depth` jobs are out at a time, answered in the order they were sent: a job
    sent when that many are out first takes the oldest one's answer in (kept for
    whoever asks), and a job the pipe cannot hold while jobs are out waits for their
    answers (see _write), so that neither side waits on a full pipe. Several jobs out
    keep the child busy while the thread that sent them does other work."""

    def __init__(
        self,
        name: str,
        command: Callable[[], list[str]],
        memory: int,
        *,
        renew_after: int | None = None,
        depth: int = 1,
        environment: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.name = name
        self.command = command
        self.environment = environment  # None: ours
        self.memory = memory
        self.renew_after = renew_after  # jobs after which a new process takes over
        self.depth = depth
        self.jobs = 0  # jobs the running process was sent
        self.process: subprocess.Popen[bytes] | None = None
        self._errors: Any = None  # a temporary file: the child's stderr
        self._buffer = bytearray()
        self._out: deque[Answer] = deque()  # the answers of the jobs out, oldest first
        self._failed: subprocess.Popen[bytes] | None = None  # stopped by a job's failure

    def send(self, job: bytes, *, seconds: float | None = None) -> Answer:
        """Hand the child a job; the call returned waits for its answer (status and
        body). The job has `seconds` (TIMEOUT) from now, writing and answering, and at
        least as long from when its answer is awaited."""
        ended = self.process is not None and self.process.poll() is not None
        renew = self.renew_after is not None and self.jobs >= self.renew_after
        self._take_in(0 if ended or renew else self.depth - 1)
        if renew:
            self.close()
        process = self._started()
        self.jobs += 1
        deadline = time.monotonic() + (TIMEOUT if seconds is None else seconds)
        try:
            self._write(job, deadline, process)
        except _Restart:
            return self.send(job, seconds=seconds)
        except (OSError, _Timeout) as err:
            raise self._stopped(err, process) from err
        answered: list[tuple[bytes, bytes] | AvtalError] = []

        def answer() -> tuple[bytes, bytes]:
            if not answered:
                self._before(answer, process)
                if self.process is not process and self._failed is process:
                    answered.append(self._again(job, seconds))  # stopped in a job before it
                else:  # awaited late (its worker finished a job meanwhile, or the child
                    # answered the jobs before it): the child has its time from now too
                    waited = time.monotonic() + (TIMEOUT if seconds is None else seconds)
                    answered.append(self._answer(process, max(deadline, waited)))
                if self._out and self._out[0] is answer:
                    self._out.popleft()
            got = answered[0]
            if isinstance(got, AvtalError):
                raise got
            return got

        self._out.append(answer)
        return answer

    def _before(self, answer: Answer, process: subprocess.Popen[bytes]) -> None:
        """Take in the answers of the jobs sent to `process` before `answer`'s."""
        while self.process is process and self._out and self._out[0] is not answer:
            with contextlib.suppress(AvtalError):  # raised to whoever asks
                self._out[0]()

    def _again(self, job: bytes, seconds: float | None) -> tuple[bytes, bytes] | AvtalError:
        """A job whose child was stopped for a job before it, sent to a new one."""
        try:
            return self.send(job, seconds=seconds)()
        except AvtalError as err:
            return err

    def _take_in(self, keep: int) -> None:
        """Take in the oldest answers until at most `keep` jobs are out (each kept for
        whoever asks)."""
        while len(self._out) > keep:
            with contextlib.suppress(AvtalError):
                self._out[0]()

    def _answer(
        self, process: subprocess.Popen[bytes], deadline: float
    ) -> tuple[bytes, bytes] | AvtalError:
        """The answer of the job that is out, or what stopped the child before it."""
        if self.process is not process:
            return ConversionError(f"{self.name} stoppades innan det svarade")
        try:
            status, _, size = self._read_line(deadline).partition(b" ")
            return status, self._read(int(size), deadline)
        except (OSError, EOFError, ValueError, _Timeout) as err:
            try:
                stopped = self._stopped(err, process)
            except EnvironmentProblem as problem:
                return problem
            stopped.__cause__ = err
            return stopped

    def _stopped(self, err: Exception, process: subprocess.Popen[bytes]) -> ConversionError:
        """The error for a child that gave no answer (see _failure); ConverterStopped
        when it ran past its time or memory."""
        self._failed = process  # the jobs out after this one go to a new child
        message, bounded = self._failure(err, process)
        kind = ConverterStopped if bounded else ConversionError
        return kind(f"{self.name} {message}")

    def close(self, *, kill: bool = False) -> None:
        """Stop the child: close its stdin and give it a moment to quit, else kill it."""
        process, self.process = self.process, None
        self._buffer.clear()
        self.jobs = 0
        self._out.clear()  # their answers, if any, say the child stopped
        if process is None:
            return
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.close()
        try:
            process.wait(timeout=0 if kill else 5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def started(self) -> subprocess.Popen[bytes]:
        """The running child, started if it is not running. The jobs out are taken in
        first (kept for whoever asks), so that a child that stopped in one is not
        replaced before its own message is read."""
        self._take_in(0)
        return self._started()

    def _started(self) -> subprocess.Popen[bytes]:
        if self.process is not None and self.process.poll() is None:
            return self.process
        self.close()
        command = self.command()
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env=self.environment and self.environment(),
                preexec_fn=_child_setup(self.memory),
            )
        except (OSError, subprocess.SubprocessError) as err:
            self.close()
            raise EnvironmentProblem(
                f"{self.name} kunde inte startas ({command[0]}): {err}"
            ) from err
        _OPEN.add(self)
        _unblocked(self.process, larger=self.depth > 1)
        return self.process

    def _failure(self, err: Exception, process: subprocess.Popen[bytes]) -> tuple[str, bool]:
        """What went wrong when the child gave no answer: the timeout, its memory, or
        its stderr; and whether it was one of the bounds. It is stopped either way; the
        next job starts a new one."""
        if isinstance(err, _Timeout):
            self.close(kill=True)
            return f"svarade inte inom {TIMEOUT} sekunder och stoppades{_ADVICE}", True
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)  # it is ending: let it finish its message
        text = ""
        if self._errors is not None:
            self._errors.seek(0)
            text = self._errors.read()[-4000:].decode(errors="replace").strip()
        self.close()
        if _out_of_memory(text, process.returncode):
            return _too_much(self.memory), True
        if "ModuleNotFoundError" in text or "ImportError" in text:  # not the document's fault
            raise EnvironmentProblem(
                f"{self.name} kunde inte startas ({text.splitlines()[-1]}); installera om "
                "avtal med pip så att dess beroenden (typst, pypandoc-binary) finns med"
            )
        return f"avslutades oväntat: {text or err}", False

    def _write(self, data: bytes, deadline: float, process: subprocess.Popen[bytes]) -> None:
        """Write a job as far as the pipe takes it. When it is full, the child reads on
        only once it has answered the jobs out: their answers are taken in first (kept
        for whoever asks), and the job has its time again from then; with none out,
        wait for room until the deadline, so that a child that stopped reading cannot
        block us past it. _Restart: the child stopped in a job out before this one was
        written whole."""
        assert process.stdin is not None
        fd = process.stdin.fileno()
        view = memoryview(data)
        seconds = deadline - time.monotonic()
        while view:
            try:
                view = view[os.write(fd, view) :]
                continue
            except BlockingIOError:
                pass
            except BrokenPipeError:  # it ended: in a job out, whose answer says why
                if not self._out:
                    raise
            if self._out:
                self._take_in(0)
                if self.process is not process:
                    raise _Restart from None
                deadline = max(deadline, time.monotonic() + seconds)
                continue
            _, ready, _ = select.select([], [fd], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise _Timeout

    def _read_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer[:] = rest
        return line

    def _read(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._fill(deadline)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _fill(self, deadline: float) -> None:
        """Read what the child has written, waiting for it only when there is nothing."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        try:
            chunk = os.read(fd, PIPE_BYTES)
        except BlockingIOError:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise _Timeout from None
            chunk = os.read(fd, PIPE_BYTES)
        if not chunk:
            raise EOFError(f"{self.name} closed its output")
        self._buffer += chunk


# How much the pipes of a converter with several jobs out hold (where the system lets
# us set it; a user's pipes share a budget, 64 MB by default on Linux): the jobs and
# answers of two documents, so that pandoc need not wait for its worker to read.
PIPE_BYTES = 1 << 18


def _unblocked(process: subprocess.Popen[bytes], *, larger: bool) -> None:
    """Make our ends of the child's pipes non-blocking (see _write, _fill) and, when
    `larger`, PIPE_BYTES large where the system allows."""
    for pipe in (process.stdin, process.stdout):
        assert pipe is not None
        os.set_blocking(pipe.fileno(), False)
        if larger:
            with contextlib.suppress(AttributeError, OSError):  # not Linux, or no budget
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class _Restart(Exception):
    """The child stopped before a job was written whole: it goes to a new one."""


class _Timeout(Exception):
    """A converter did not answer in time."""


_MEMORY_WORDS = (
    "heap overflow",  # pandoc's runtime past its heap limit
    "not enough memory",  # Lua in pandoc
    "memory allocation",  # typst (Rust)
    "MemoryError",  # the typst worker's Python
    "out of memory",
)
_ADVICE = (
    "; dokumentet blev för stort eller invecklat. Korta eller dela upp texterna i "
    "specifikationen"
)


def _too_much(memory: int) -> str:
    amount = f"{memory >> 30} GB" if memory % (1 << 30) == 0 else f"{memory >> 20} MB"
    return f"behövde mer än {amount} minne och stoppades{_ADVICE}"


def _out_of_memory(stderr: str, returncode: int | None) -> bool:
    """Whether a converter ended for want of memory: its own words, or killed (by the
    system's out-of-memory killer: our own kill after a timeout is told as that)."""
    return returncode == -signal.SIGKILL or any(word in stderr for word in _MEMORY_WORDS)


# prctl(2) option: the signal a process gets when the thread that started it ends.
_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Any:
    """libc's prctl on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
    return prctl


_PRCTL = _load_prctl()


def _child_setup(memory: int) -> Callable[[], None] | None:
    """What a converter process does before it runs: on Linux, ask to be killed when
    the thread that starts it ends (so also when avtal is killed outright), and limit
    its data memory. Elsewhere the warm pandoc ends when its stdin closes and the typst
    worker watches its parent.

    It runs in the child between fork and exec, while other threads of ours may hold
    locks: it only calls prctl (resolved beforehand), getppid and setrlimit.
    """
    if sys.platform == "win32":
        return None
    import resource

    parent = os.getpid()
    kind = resource.RLIMIT_DATA

    def setup() -> None:
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:  # the parent ended before prctl took effect
                os._exit(1)
        _, hard = resource.getrlimit(kind)
        limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(kind, (limit, limit))

    return setup


_OPEN: weakref.WeakSet[_Child] = weakref.WeakSet()
_LOCAL = threading.local()


def converter() -> Converter:
    """This thread's converter, started on first use."""
    current: Converter | None = getattr(_LOCAL, "converter", None)
    if current is None:
        current = _LOCAL.converter = Converter()
    return current


def release() -> None:
    """Stop this thread's converter (a worker thread calls it before it ends)."""
    current: Converter | None = getattr(_LOCAL, "converter", None)
    if current is not None:
        current.close()
        del _LOCAL.converter


def end_field_checks() -> None:
    """Stop this thread's field-check pandoc (a build calls it when its specs are read)."""
    current: Converter | None = getattr(_LOCAL, "converter", None)
    if current is not None:
        current.close_fields()


@atexit.register
def _close_all() -> None:
    for child in list(_OPEN):
        child.close()


def markdown_findings(texts: tuple[str, ...]) -> list[list[dict[str, str]]]:
    """What each Markdown text holds that a spec field must not (see templates/fields.lua).

    This thread's warm pandoc checks them all within FIELDS_TIMEOUT. A text that pandoc
    cannot read in the time left or within its heap limit gets the finding
    `{"kind": "complex"}` (any other failure: "error"); the texts after it are not
    checked.
    """
    deadline = time.monotonic() + FIELDS_TIMEOUT
    findings: list[list[dict[str, str]]] = []
    for text in texts:
        try:
            findings.append(converter().fields(text, seconds=deadline - time.monotonic()))
        except ConversionError as err:
            kind = "complex" if isinstance(err, ConverterStopped) else "error"
            findings.append([{"kind": kind, "detail": err.message[-300:]}])
            break
    return findings


def _as_list(value: object) -> list[dict[str, str]]:
    """Lua's empty table comes out as {}: no findings."""
    return [dict(v) for v in value] if isinstance(value, list) else []


def to_typst(markdown: str, *, epoch: int, assets: Assets = BUILT_IN) -> str:
    """Markdown -> Typst source through our template and the signature filter."""
    return converter().pandoc(markdown, "typst", epoch=epoch, assets=assets).decode()


def to_pdf(markdown: str, *, epoch: int, assets: Assets = BUILT_IN) -> bytes:
    """Markdown -> PDF/A-2b via Typst, with a fixed timestamp for reproducibility."""
    source = pdf_source_started(markdown, epoch=epoch, assets=assets)()
    return pdf_finished(markdown, source, epoch=epoch, assets=assets)()


def pdf_source_started(
    markdown: str, *, epoch: int, assets: Assets = BUILT_IN
) -> Callable[[], bytes]:
    """The Typst source of the Markdown's PDF, handed to this thread's pandoc; the call
    returned gives it, to be compiled by `pdf_finished`."""
    epoch = document_epoch(markdown, epoch)
    return converter().pandoc_started(markdown, "typst", epoch=epoch, assets=assets)


def pdf_finished(
    markdown: str, source: bytes, *, epoch: int, assets: Assets = BUILT_IN
) -> Callable[[], bytes]:
    """The PDF's Typst source handed to this thread's typst worker, with the document's
    own timestamp; the call returned gives the PDF, so that pandoc can convert
    meanwhile."""
    epoch = document_epoch(markdown, epoch)
    started = typst_started(source.decode(), epoch=epoch, root=assets.root)
    return assets.blamed(started, "pdf")


def typst_started(source: str, *, epoch: int, root: Path | None = None) -> Callable[[], bytes]:
    """Typst source compiled to PDF/A-2b in this thread's typst worker, with only the
    fonts typst embeds (without a `root`, in an empty folder, so that it reads no file
    at all); the call returned gives the PDF."""
    return converter().typst_started(source, epoch=epoch, root=root or _empty_folder())


@cache
def _empty_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="avtal-typst-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def to_docx(markdown: str, *, epoch: int, assets: Assets = BUILT_IN) -> bytes:
    """Markdown -> DOCX with the reference document's styles, header and footer."""
    return docx_finished(markdown, docx_started(markdown, epoch=epoch, assets=assets)(), assets)


def docx_started(markdown: str, *, epoch: int, assets: Assets = BUILT_IN) -> Callable[[], bytes]:
    """pandoc's DOCX of the Markdown, handed to this thread's pandoc; the call returned
    gives it, to be finished by `docx_finished`."""
    epoch = document_epoch(markdown, epoch)
    return converter().pandoc_started(markdown, "docx", epoch=epoch, assets=assets)


def docx_finished(markdown: str, docx: bytes, assets: Assets = BUILT_IN) -> bytes:
    """pandoc's DOCX with the header and footer texts, the document's title and its
    letterhead."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    edited = _edited(source, _header_edit(_metadata(markdown, (*HEADER_FIELDS, TITLE_FIELD))))

    def read(name: str) -> str:  # a part as _header_edit leaves it
        return edited[name] if name in edited else source.read(name).decode()

    parts = letterhead_parts(read, source.namelist(), letterhead(markdown, assets.root))
    replaced, added = parts if parts is not None else ({}, {})
    texts = {**edited, **replaced}
    return repack(source, {name: text.encode() for name, text in texts.items()}, added)


def letterhead(markdown: str, root: Path | None) -> Letterhead:
    """The letterhead a document's metadata block names, with its logos read from the
    project root (a party's own: logo, name lines, address; the agreement: each party's
    logo). The Markdown's own images never get this far (see convert.lua)."""
    values = _metadata(markdown, (LOGO_FIELD, ADDRESS_FIELD))
    lines = tuple(_metadata_list(markdown, LINES_FIELD))
    own = LOGO_FIELD in values or bool(lines) or ADDRESS_FIELD in values
    paths = [values[LOGO_FIELD]] if LOGO_FIELD in values else []
    if not own:
        paths = _metadata_list(markdown, PARTY_LOGOS_FIELD)
    description = lines[0] if lines else ""
    logos = tuple(_logo(path, root, description) for path in paths)
    return Letterhead(logos, lines, values.get(ADDRESS_FIELD, ""), own=own)


def _logo(path: str, root: Path | None, description: str) -> Logo:
    """A logo file under the project root: an SVG with the PNG typst draws of it, or a
    PNG as it is."""
    if root is None or not _LOGO_PATH.match(path) or ".." in path.split("/"):
        raise ConversionError(f"logotypen {path} ligger inte i projektmappen")
    base = root.resolve()
    file = (base / path.lstrip("/")).resolve()
    if not file.is_relative_to(base) or not file.is_file():
        raise ConversionError(f"logotypen {path} finns inte i projektmappen {root}")
    data = file.read_bytes()
    if file.suffix == ".png":
        try:
            png_size(data)
        except ValueError as err:
            raise ConversionError(f"logotypen {path}: {err}") from err
        return Logo(data, description=description)
    source = (
        "#set page(width: auto, height: auto, margin: 0pt, fill: none)\n"
        f'#image("{path}", height: {LETTERHEAD_MM}mm)\n'
    )
    png = converter().typst(source, epoch=0, root=root, png=True)
    return Logo(png, data, description)


def front_matter(markdown: str) -> dict[str, str]:
    """The header and footer texts from the Markdown's metadata block, unescaped.

    The templates write each as one JSON-quoted line of escaped Markdown.
    """
    return _metadata(markdown, HEADER_FIELDS)


def _metadata(markdown: str, keys: tuple[str, ...]) -> dict[str, str]:
    """Fields of the metadata block written one to a line as JSON-quoted escaped
    Markdown, unescaped."""
    values: dict[str, str] = {}
    block = markdown.split("\n---\n", 1)[0]
    for line in block.splitlines():
        key, _, raw = line.partition(": ")
        if key in keys:
            values[key] = _ESCAPED.sub(r"\1", json.loads(raw))
    return values


def _metadata_list(markdown: str, key: str) -> list[str]:
    """A list field of the metadata block (`key:` and then `  - "item"` lines, each
    JSON-quoted escaped Markdown), unescaped."""
    items: list[str] = []
    inside = False
    for line in markdown.split("\n---\n", 1)[0].splitlines():
        if inside and line.startswith("  - "):
            items.append(_ESCAPED.sub(r"\1", json.loads(line[4:])))
        else:
            inside = line == f"{key}:"
    return items


def document_epoch(markdown: str, epoch: int) -> int:
    """The timestamp of a document that gives its own date (a staff report, a decision),
    else `epoch`; SOURCE_DATE_EPOCH, when set, wins as everywhere."""
    day = _metadata(markdown, (DATE_FIELD,)).get(DATE_FIELD, "")
    if not day or os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return epoch
    return int(datetime.fromisoformat(day[:10]).replace(tzinfo=UTC).timestamp())


def unique_revision_ids(docx: bytes) -> bytes:
    """Give every w:ins and w:del its own id (pandoc numbers the two kinds separately)."""
    counter = iter(range(900_000, 10_000_000))

    def renumber(match: re.Match[str]) -> str:
        return f'{match.group(1)} w:id="{next(counter)}"'

    return _edit_parts(
        docx, lambda name: partial(_REVISION.sub, renumber) if name == DOCUMENT else None
    )


_TABLE = re.compile(r"(<w:tbl>.*?</w:tbl>)", re.S)
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)
_REVISED = re.compile(r"<w:(ins|del)\b([^>]*)>.*?</w:\1>", re.S)
_TEXT = re.compile(r"<w:t[ >]")


def revise_paragraph_marks(docx: bytes) -> bytes:
    """Mark the paragraph mark of a wholly inserted or deleted paragraph as such.

    Pandoc marks only the text, so accepting all changes would leave a deleted list
    item as an empty bullet (and rejecting them an inserted one). Paragraphs in table
    cells keep their marks (a cell always has a paragraph); a wholly inserted or
    deleted table row is marked as such instead.
    """

    def paragraph(match: re.Match[str]) -> str:
        xml = match.group(0)
        revised = _REVISED.findall(xml)
        kinds = {kind for kind, _ in revised}
        if len(kinds) != 1 or _TEXT.search(_REVISED.sub("", xml)):
            return xml  # unchanged, partly changed, or both deleted and inserted
        kind, attrs = revised[0]
        mark = f"<w:{kind}{attrs}/>"  # its id is made unique by unique_revision_ids
        if "<w:pPr>" not in xml:
            open_tag = xml[: xml.index(">") + 1]
            return open_tag + f"<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>" + xml[len(open_tag) :]
        properties = xml[xml.index("<w:pPr>") : xml.index("</w:pPr>")]
        if "<w:rPr>" in properties:
            return xml.replace("<w:rPr>", f"<w:rPr>{mark}", 1)  # the first is the mark's
        return xml.replace("</w:pPr>", f"<w:rPr>{mark}</w:rPr></w:pPr>", 1)

    def body(xml: str) -> str:
        parts = _TABLE.split(xml)
        return "".join(
            _ROW.sub(_revise_row, part)
            if part.startswith("<w:tbl>")
            else _PARAGRAPH.sub(paragraph, part)
            for part in parts
        )

    return _edit_parts(docx, lambda name: body if name == DOCUMENT else None)


_ROW = re.compile(r"<w:tr>.*?</w:tr>", re.S)


def _revise_row(match: re.Match[str]) -> str:
    """A table row whose every word is inserted (or deleted) is an inserted (or deleted)
    row, so that accepting or rejecting all changes removes it, not just its words."""
    xml = match.group(0)
    revised = _REVISED.findall(xml)
    kinds = {kind for kind, _ in revised}
    if len(kinds) != 1 or _TEXT.search(_REVISED.sub("", xml)):
        return xml
    kind, attrs = revised[0]
    mark = f"<w:{kind}{attrs}/>"
    if "</w:trPr>" in xml:
        return xml.replace("</w:trPr>", f"{mark}</w:trPr>", 1)
    return xml.replace("<w:tr>", f"<w:tr><w:trPr>{mark}</w:trPr>", 1)


def to_html(markdown: str, *, epoch: int, home: str = "", assets: Assets = BUILT_IN) -> bytes:
    """Markdown -> a standalone HTML page in the overview page's style (inline, no links
    to outside files), with a link back to the overview at `home` when given."""
    return html_started(markdown, epoch=epoch, home=home, assets=assets)()


def html_started(
    markdown: str, *, epoch: int, home: str = "", assets: Assets = BUILT_IN
) -> Callable[[], bytes]:
    """`to_html` handed to this thread's pandoc; the call returned gives the page."""
    variables = {"stil": PAGE_STYLE.read_text(encoding="utf-8")}
    if home:
        variables["oversikt"] = home
    return converter().pandoc_started(
        markdown, "html5", epoch=epoch, variables=variables, assets=assets
    )


def _header_edit(values: dict[str, str]) -> Callable[[str], Callable[[str], str] | None]:
    """The rewrite of each part of pandoc's DOCX (None: the part stays as it is): fill
    the header and footer placeholders (the header's title wraps in its cell, whole),
    keep every table row on one page, let tables fit their contents, and give the
    document its own title (a staff report's, not the agreement's) as in the PDF."""

    def edit(name: str) -> Callable[[str], str] | None:
        if name.startswith(("word/header", "word/footer")):
            return partial(_replace_fields, values=values)
        if name == CORE and TITLE_FIELD in values:
            return partial(_core_title, title=values[TITLE_FIELD])
        return _body if name == DOCUMENT else None

    return edit


_CORE_TITLE = re.compile(r"<dc:title>.*?</dc:title>|<dc:title\s*/>", re.S)


def _core_title(xml: str, title: str) -> str:
    return _CORE_TITLE.sub(lambda _: f"<dc:title>{xml_escape(title)}</dc:title>", xml, count=1)


def _body(xml: str) -> str:
    return _autofit_tables(_unsplittable_rows(xml))


_GRID = re.compile(r"<w:tblGrid>(.*?)</w:tblGrid>", re.S)
_GRID_COLUMN = re.compile(r'<w:gridCol w:w="(\d+)" />')
_PAGE = re.compile(r"<w:pgSz ([^>]*)/>\s*<w:pgMar ([^>]*)/>")
_ATTRIBUTE = re.compile(r'w:(\w+)="(\d+)"')


def _autofit_tables(xml: str) -> str:
    """Tables take their column widths from the filter (layout.lua: from what the
    columns hold), spread over the text width (pandoc assumes a narrower page), and
    Word may widen a column for a word that does not fit instead of breaking a
    telephone number or an e-mail address inside it."""
    xml = xml.replace('<w:tblLayout w:type="fixed" />', "")
    page = _PAGE.search(xml)
    if page is None:
        return xml
    size, margins = (dict(_ATTRIBUTE.findall(page.group(i))) for i in (1, 2))
    width = int(size.get("w", 0)) - int(margins.get("left", 0)) - int(margins.get("right", 0))
    if width <= 0:
        return xml

    def grid(match: re.Match[str]) -> str:
        columns = [int(w) for w in _GRID_COLUMN.findall(match.group(1))]
        total = sum(columns)
        if not total:
            return match.group(0)
        spread = "".join(f'<w:gridCol w:w="{w * width // total}" />' for w in columns)
        return f"<w:tblGrid>{spread}</w:tblGrid>"

    return _GRID.sub(grid, xml)


def _edit_parts(docx: bytes, edit: Callable[[str], Callable[[str], str] | None]) -> bytes:
    """A copy of a DOCX with some XML parts rewritten: `edit(name)` gives the rewrite
    for a part, or None to copy it as it is."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    edited = _edited(source, edit)
    return repack(source, {name: text.encode() for name, text in edited.items()}, {})


def _edited(
    source: zipfile.ZipFile, edit: Callable[[str], Callable[[str], str] | None]
) -> dict[str, str]:
    """The XML of the parts `edit` rewrites, rewritten."""
    edited = {}
    for name in source.namelist():
        rewrite = edit(name)
        if rewrite is not None:
            edited[name] = rewrite(source.read(name).decode())
    return edited


def _unsplittable_rows(xml: str) -> str:
    """A signature block or a table row is never split across two pages."""
    xml = xml.replace("<w:tr><w:trPr>", "<w:tr><w:trPr><w:cantSplit />")
    return xml.replace("<w:tr><w:tc>", "<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>")


def _replace_fields(xml: str, values: dict[str, str]) -> str:
    for name in HEADER_FIELDS:
        xml = xml.replace(f"[[{name.upper()}]]", xml_escape(values.get(name, "")))
    return xml


def reference_exists() -> Path:
    """The reference DOCX, or an installation problem if it is missing."""
    if not REFERENCE_DOCX.exists():
        raise EnvironmentProblem(f"mallen {REFERENCE_DOCX} saknas")
    return REFERENCE_DOCX
