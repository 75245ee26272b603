"""The one reader of files from a repository: specs, party files, avtal.toml, templates
and letterhead files all come through it.

A repository may come from a pull request, so a file is read only when it is a regular
file (not a device, FIFO, folder or symbolic link, which could point anywhere), and
never more than MAX_BYTES of it: no input can hang the reader, fill its memory or pull
in a file from outside the repository. Each refusal is a SpecError naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import Location, SpecError, os_reason

MAX_BYTES = 1_048_576


def grouped(number: int) -> str:
    """A whole number the Swedish way, with spaces between thousands: 1 048 576."""
    return f"{number:,}".replace(",", " ")


def read_limited(path: Path, name: str | None = None, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit`; SpecError for anything else.

    A device, FIFO, folder or symbolic link is refused before a byte is read, and a
    file that grows while it is read is cut off at the cap, so no input can hang the
    reader, fill its memory or pull in a file from outside the repository.
    """
    name = str(path) if name is None else name
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP or Path(path).is_symlink():
            raise SpecError(
                "är ingen vanlig fil utan en symbolisk länk; avtal läser inte filer genom "
                "länkar (de kan peka utanför förrådet), så lägg filen själv där länken står",
                Location(name),
            ) from err
        raise SpecError(f"filen kan inte läsas: {os_reason(err)}", Location(name)) from err
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # before fdopen, which refuses a folder
        os.close(handle)
        raise SpecError(
            "är ingen vanlig fil (en mapp, enhet eller namngiven rörledning); ange en fil",
            Location(name),
        )
    with os.fdopen(handle, "rb") as file:
        try:
            size = os.fstat(handle).st_size
            data = b"" if size > limit else file.read(limit + 1)
        except OSError as err:
            raise SpecError(f"filen kan inte läsas: {os_reason(err)}", Location(name)) from err
    if size > limit or len(data) > limit:
        raise SpecError(
            f"filen är {grouped(max(size, len(data)))} byte; en avtalsspecifikation får vara "
            f"högst {grouped(limit)} byte. "
            "Dela upp texten eller flytta långa bilagor till egna filer.",
            Location(name),
        )
    return data
