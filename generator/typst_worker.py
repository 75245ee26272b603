"""One typst compiler in a process of its own: `python -m generator.typst_worker FONTS`.

typst runs in-process in Python and cannot be stopped or bounded there, so each
converter compiles in such a child (see convert.Converter), which it can kill after its
timeout and whose memory the operating system limits. Jobs come on stdin: a line of
JSON {"size": N, "epoch": seconds, "root": folder or null, "format": "pdf" or "png"} and
then N bytes of Typst source. Each answer on stdout is a line `ok LENGTH` (the PDF, or
the PNG of a one-page source at PNG_PPI) or `err LENGTH` (typst's
message) followed by exactly LENGTH bytes, as from the warm pandoc. The worker ends
when its stdin closes or its parent is gone.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from typing import IO

import typst

# How often the worker looks whether its parent still runs (where the system cannot
# kill it with its parent, see convert._child_setup).
WATCH_SECONDS = 1.0
# Pixels per inch of a PNG (a letterhead's logo drawn for Word and LibreOffice).
PNG_PPI = 300.0


# Where typst would fetch a package (a team's template can #import "@preview/…"): a
# proxy that refuses every connection.
NO_NETWORK = "http://127.0.0.1:9"


def _no_packages() -> str:
    """An empty private folder for typst's packages, and no way to download any: a
    team's Typst template reads no package from the user's data folder (@local) and
    fetches none from the internet (@preview)."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy",
                 "all_proxy"):
        os.environ[name] = NO_NETWORK
    for name in ("NO_PROXY", "no_proxy"):
        os.environ.pop(name, None)
    folder = tempfile.mkdtemp(prefix="avtal-typst-paket-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def main() -> None:
    """Compile jobs from stdin until it closes."""
    fonts = sys.argv[1]
    threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start()
    packages = _no_packages()
    compiler = typst.Compiler(
        font_paths=typst.Fonts(include_system_fonts=False, font_paths=[fonts]),
        ignore_system_fonts=True,
        package_path=packages,
        package_cache_path=packages,
    )
    jobs, answers = sys.stdin.buffer, sys.stdout.buffer
    while header := jobs.readline():
        job = json.loads(header)
        source = jobs.read(int(job["size"]))
        try:
            if job.get("format") == "png":
                out = compiler.compile(source, format="png", ppi=PNG_PPI, root=job.get("root"))
            else:
                out = compiler.compile(
                    source,
                    format="pdf",
                    pdf_standards="a-2b",
                    timestamp=datetime.fromtimestamp(int(job["epoch"]), tz=UTC),
                    root=job.get("root"),
                )
        except typst.TypstError as err:
            _answer(answers, b"err", str(err).encode())
        else:
            if not isinstance(out, bytes):  # a PNG of more than one page
                _answer(answers, b"err", b"typst gave more than one page")
            else:
                _answer(answers, b"ok", out)


def _answer(out: IO[bytes], status: bytes, body: bytes) -> None:
    out.write(status + b" " + str(len(body)).encode() + b"\n" + body)
    out.flush()


def _watch(parent: int) -> None:
    """End the worker, even in the middle of a compile, once its parent has ended."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


if __name__ == "__main__":
    main()
