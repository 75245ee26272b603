"""A spec's output folder is replaced as a whole, never file by file.

The documents of a build are written to a staging folder beside the spec's folder;
the documents that were up to date and anything no manifest wrote are linked in, the
new manifest is added, and the staging folder is swapped with the live one in one
step (renameat2 RENAME_EXCHANGE on Linux; elsewhere two renames, which a later build
repairs if it was stopped between them). A build killed at any moment leaves every
spec's documents all old or all new, with a manifest that matches them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from .errors import AvtalError, Location

_NEW = ".avtal-ny-"
_OLD = ".avtal-gammal-"
_LEFTOVER = re.compile(rf"^\.(?P<name>.+?)(?P<kind>{_NEW}|{_OLD})(?P<pid>\d+)-[0-9a-f]+$")


class OutputRefused(AvtalError):
    """The output folder is one avtal does not write into (a symbolic link)."""


def staging_for(live: Path) -> Path:
    """A fresh, hidden staging folder beside `live` (created when first written to)."""
    return live.with_name(f".{live.name}{_NEW}{os.getpid()}-{secrets.token_hex(4)}")


def refuse_links(folder: Path) -> None:
    """OutputRefused when the folder is a symbolic link (avtal writes only where it is),
    or something other than a folder (a file a pull request put where a spec's folder
    goes would be swapped for the documents and left behind)."""
    if folder.is_symlink():
        raise OutputRefused(
            f"utdatamappen {folder} är en symbolisk länk; avtal skriver inte genom länkar. "
            "Ta bort länken eller ange en vanlig mapp",
            Location(str(folder)),
        )
    if os.path.lexists(folder) and not folder.is_dir():
        raise OutputRefused(
            f"utdatamappen {folder} är ingen mapp utan en fil; ta bort filen, så skriver "
            "avtal mappen där",
            Location(str(folder)),
        )


def refuse_links_down(out: Path, folder: Path) -> None:
    """refuse_links for the output folder and every folder below it on the way to
    `folder` (a pull request can commit ”build/<spec> -> elsewhere”)."""
    here = out
    refuse_links(here)
    for part in folder.relative_to(out).parts:
        here = here / part
        refuse_links(here)


def write_whole(path: Path, text: str, *, inside: Path) -> None:
    """Write a report to `path` whole or not at all: into a new file beside it, then one
    rename, which replaces a symbolic link found there instead of writing through it.
    A folder on the way that is a link kept in `inside` (the repository, which a pull
    request writes) is refused: it could point anywhere the runner may write."""
    _refuse_linked_folders(path, inside.resolve())
    if path.is_dir() and not path.is_symlink():
        raise OutputRefused(
            "--output namnger en mapp; ange en fil (den skrivs över om den finns)",
            Location(str(path)),
        )
    temporary = staging_for(path)  # named as a staging folder is, beside the report
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(temporary, flags, 0o644), "w", encoding="utf-8",
                       newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise OSError(err.errno, err.strerror, str(path)) from err
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _refuse_linked_folders(path: Path, root: Path) -> None:
    here = Path(path.anchor) if path.is_absolute() else Path()
    for part in path.parent.parts[1 if path.is_absolute() else 0:]:
        here = here / part
        if here.is_symlink() and Path(os.path.realpath(here.parent)).is_relative_to(root):
            raise OutputRefused(
                "mappen är en symbolisk länk i förrådet, och --output skriver inte genom "
                f"länkar; ange en fil i en vanlig mapp i stället för {path}",
                Location(str(here)),
            )


def discard(staging: Path | None) -> None:
    """Remove a staging folder that is not to be swapped in."""
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def commit(
    staging: Path, live: Path, carried: Iterable[str], ours: Collection[str], manifest: bytes,
    *, foreign: bool = True,
) -> None:
    """Complete the staging folder and swap it in for `live`.

    `carried`: the up-to-date documents to keep, relative to `live`. `ours`: everything
    the old manifest listed (and the manifest itself); whatever else is in `live` is
    someone else's and is kept too.
    """
    refuse_links(live)
    staging.mkdir(parents=True, exist_ok=True)
    for rel in carried:
        _link(live / rel, staging / rel)
    for rel in _foreign(live, ours) if foreign else ():
        if not os.path.lexists(staging / rel):
            _link(live / rel, staging / rel)
    (staging / "manifest.json").write_bytes(manifest)
    _swap(staging, live)


def recover(out: Path) -> None:
    """Finish or undo what a stopped build left beside its spec folders in `out`."""
    if not out.is_dir() or out.is_symlink():
        return
    for entry in out.iterdir():
        found = _LEFTOVER.match(entry.name)
        if found is None or not entry.is_dir() or entry.is_symlink():
            continue
        if _alive(int(found["pid"])):
            continue  # another build is at work here
        live = out / found["name"]
        if found["kind"] == _OLD and not os.path.lexists(live):
            entry.rename(live)  # stopped between the two renames: the old one is whole
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _foreign(live: Path, ours: Collection[str]) -> list[str]:
    """Files in `live` that no manifest wrote, relative to it; never a symbolic link,
    which a pull request can commit into build/ to put a file from the runner beside the
    documents (and into the uploaded artifact): it is left out of the new folder."""
    found: list[str] = []
    if not live.is_dir():
        return found
    for folder, _, files in os.walk(live):
        base = Path(folder)
        for name in files:
            rel = (base / name).relative_to(live).as_posix()
            if rel not in ours and not (base / name).is_symlink():
                found.append(rel)
    return sorted(found)


def _link(source: Path, target: Path) -> None:
    """Put `source` at `target` without copying its bytes where the system allows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, live: Path) -> None:
    if not os.path.lexists(live):
        os.rename(staging, live)
        return
    if _exchange(staging, live):
        shutil.rmtree(staging, ignore_errors=True)  # now the old folder
        return
    old = live.with_name(staging.name.replace(_NEW, _OLD))
    os.rename(live, old)
    os.rename(staging, live)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not possible."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system or kernel without it
    raise OSError(code, os.strerror(code), str(second))


def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
