"""Locations in spec files, the problems found there, and the one base exception."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a spec file: path, 1-based line and column, and JSON pointer."""

    file: str
    line: int = 0
    column: int = 0
    pointer: str = ""

    def __str__(self) -> str:
        place = self.file
        if self.line:
            place += f":{self.line}:{self.column}"
        return place


def shown(path: Path) -> Path:
    """A path as the user would write it in a message: relative to the working
    directory when it lies below it, else as it is."""
    relative = Path(os.path.relpath(path))
    return path if relative.parts[:1] == ("..",) else relative


class Severity(StrEnum):
    """How serious a problem is; errors stop a build, warnings do not unless strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Issue:
    """One problem in a spec, with the place it concerns and what to do about it."""

    location: Location
    message: str
    code: str = "schema"
    severity: Severity = Severity.ERROR
    source: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order issues by file, line, column, pointer and message."""
        loc = self.location
        return (loc.file, loc.line, loc.column, loc.pointer, self.message)


class AvtalError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        pointer = f" {self.location.pointer}:" if self.location.pointer else ""
        return f"{self.location}:{pointer} {self.message}"


class SpecError(AvtalError):
    """A spec cannot be read at all (encoding, YAML syntax, size, duplicate keys)."""


class EnvironmentProblem(AvtalError):
    """The installation or environment is broken (exit code 2, not the user's spec)."""


# What the system says when it cannot write, in Swedish.
_OS_REASONS = {
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "behörighet saknas",
    errno.ENOENT: "sökvägen finns inte",
    errno.EPERM: "behörighet saknas",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "sökvägen är en mapp",
    errno.ENAMETOOLONG: "sökvägen är för lång",
    errno.EMFILE: "för många öppna filer",
    errno.ENOMEM: "minnet räcker inte",
}


def os_reason(err: OSError) -> str:
    """Why a file operation failed, in Swedish where the reason is a common one."""
    return _OS_REASONS.get(err.errno or 0, err.strerror or str(err))


def environment_message(err: OSError, fallback: str = "") -> str:
    """A Swedish sentence for a failed file operation, naming the path."""
    reason = os_reason(err)
    path = err.filename or fallback
    where = f" {path}" if path else ""
    return f"kan inte skriva{where}: {reason}. Kontrollera mappen och diskutrymmet och kör igen"
