"""Reading spec versions out of git: the only module that runs git."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import AvtalError, EnvironmentProblem, Location, SpecError
from .load import MAX_BYTES, read_limited


class GitError(AvtalError):
    """git refused (unknown revision, not a repository); the message is git's."""


@dataclass(frozen=True)
class Version:
    """One spec file at one revision (rev None: the working tree); data None: absent."""

    path: str
    rev: str | None
    data: bytes | None
    author: str
    date: str


# Paths are names, never patterns: a spec named ny[1].yaml or *.yaml is that one file.
_GIT = ("git", "--literal-pathspecs")
_LINK_MODE = "120000"


def _git(*args: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(
            [*_GIT, *args], capture_output=True, encoding="utf-8", errors="surrogateescape",
            cwd=cwd,
        )
    except FileNotFoundError as err:
        raise EnvironmentProblem("git hittades inte; installera git") from err
    if done.returncode != 0:
        raise GitError(_told(done.stderr.strip()))
    return done.stdout


def _told(stderr: str) -> str:
    """git's refusal as the user needs it: what is wrong and what to write instead."""
    found = re.search(r"(?:bad revision|invalid object name|unknown revision[^']*) '([^']*)'",
                      stderr) or re.search(r"Not a valid object name (\S+)", stderr)
    if found:
        return (
            f"revisionen ”{found.group(1)}” finns inte i git; ange en gren, en tagg eller en "
            "commit som finns, t.ex. main eller HEAD~1 (git log --oneline visar dem)"
        )
    if "not a git repository" in stderr.lower():
        return (
            "mappen är inget git-förråd; kör avtal i förrådets mapp, eller jämför två filer "
            "med avtal diff GAMMAL NY"
        )
    return f"git avbröt: {stderr}"


def split_range(spec: str) -> tuple[str, str | None]:
    """'A..B' -> (A, B); 'A' -> (A, None), the working tree.

    A revision that starts with - would be read by git as an option (--output=FILE
    writes a file), so it is refused."""
    if ".." in spec:
        old, new = spec.split("..", 1)
        old, new = old or "HEAD", new or "HEAD"
    else:
        old, new = spec, None
    for rev in (old, new):
        if rev is not None and (rev.startswith("-") or not rev.strip() or "\0" in rev):
            raise GitError(
                f"revisionen ”{rev}” kan inte användas: en revision får inte börja med - "
                "eller vara tom. Ange en gren, en tagg eller en commit, t.ex. origin/main"
            )
    return old, new


@dataclass(frozen=True)
class Changed:
    """A spec file that differs between two revisions: its name before and after (the
    same unless git found it renamed)."""

    old: str
    new: str


def changed_specs(old: str, new: str | None, paths: list[str]) -> list[str]:
    """Spec files (*.yaml, *.yml) that differ between two revisions, or a rev and the tree."""
    return sorted({name for c in changed_files(old, new, paths) for name in (c.old, c.new)})


def changed_files(old: str, new: str | None, paths: list[str]) -> list[Changed]:
    """Spec files that differ between two revisions (or a rev and the working tree),
    renames as one entry, sorted by their new name."""
    revs = [old] if new is None else [old, new]
    # -z: names as they are, NUL-separated (without it git quotes å, ä and ö as octal).
    out = _git("diff", "--raw", "-z", "-M", "--relative", *revs, "--", *paths)
    fields = out.split("\0")
    found: list[Changed] = []
    index = 0
    while index + 1 < len(fields):
        status = fields[index].rsplit(" ", 1)[-1]
        names = fields[index + 1 : index + (3 if status[:1] in "RC" else 2)]
        index += 1 + len(names)
        if status[:1] == "C":
            names = names[1:]  # a copy: the new file is new
        if any(n.endswith((".yaml", ".yml")) for n in names):
            found.append(Changed(names[0], names[-1]))
    return sorted(found, key=lambda c: c.new)


def _user() -> str:
    try:
        return _git("config", "user.name").strip() or "avtal"
    except GitError:
        return "avtal"


def read_version(path: str, rev: str | None) -> Version:
    """A spec file's bytes at a revision (None: the working tree), with author and date."""
    if rev is None:
        file = Path(path)
        data = read_limited(file) if file.exists() or file.is_symlink() else None
        return Version(path, None, data, _user(), "")
    data = _blob(rev, path)
    log = _git("log", "-1", "--format=%an%n%aI", rev, "--").splitlines()
    return Version(path, rev, data, log[0] if log else "avtal", log[1] if len(log) > 1 else "")


def _blob(rev: str, path: str) -> bytes | None:
    """A file's bytes at a revision (None: absent there), at most MAX_BYTES + 1 of them,
    so that the size check refuses a huge file without reading all of it. A symbolic
    link is refused, as in the working tree: its target may be anywhere."""
    entry = _git("ls-tree", "-z", rev, "--", path).split("\0")[0]
    if not entry:
        return None
    mode, kind, oid = entry.split("\t", 1)[0].split(" ")
    if mode == _LINK_MODE or kind != "blob":
        what = "en symbolisk länk" if mode == _LINK_MODE else "en mapp"
        raise SpecError(
            f"är ingen vanlig fil utan {what} i {rev}; avtal läser bara vanliga filer, så "
            "lägg specifikationen själv i förrådet",
            Location(path),
        )
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "blob", oid], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except FileNotFoundError as err:
        raise EnvironmentProblem("git hittades inte; installera git") from err
    assert process.stdout is not None
    with process.stdout:
        data = process.stdout.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        process.kill()
    return data if process.wait() == 0 or len(data) > MAX_BYTES else None


def history(path: str, old: str, new: str | None) -> list[Version]:
    """The spec as each commit after `old` up to `new` left it, oldest first, with each
    commit's author and date; then the working tree when `new` is None."""
    revs = _git("log", "--reverse", "--format=%H", f"{old}..{new or 'HEAD'}", "--", path).split()
    versions = [read_version(path, rev) for rev in revs]
    if new is None:
        versions.append(read_version(path, None))
    return versions


def short(rev: str) -> str:
    """A short, file-name-safe name for a revision."""
    return _git("rev-parse", "--short", rev).strip()


def where(version: Version) -> str:
    """The file an error in this version is in: the path, and the revision if from git."""
    return f"{version.path} ({short(version.rev)})" if version.rev else version.path


@dataclass(frozen=True)
class RevisionRegistry:
    """The party files of the registry folder `folder` as they are at revision `rev`,
    so that an old version of a spec reads the parties it was written with."""

    folder: str  # relative to the working directory, with forward slashes
    rev: str

    def __call__(self, party_id: str) -> tuple[bytes, str] | None:
        """The party file's bytes at the revision and its name in messages, or None."""
        party = read_version(f"{self.folder}/{party_id}.yaml", self.rev)
        return None if party.data is None else (party.data, where(party))


def tracked(folder: Path) -> bool:
    """True when git tracks a file in `folder`: it came with the repository (and so,
    perhaps, with a pull request). False outside git, or without git."""
    if not folder.is_dir():
        return False
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--", "."], cwd=folder, capture_output=True, check=False
        )
    except OSError:
        return False
    return done.returncode == 0 and bool(done.stdout)
