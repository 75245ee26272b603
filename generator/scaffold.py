"""`avtal init` and `avtal new`: a working spec repository, and a skeleton spec to fill in.

The files come from the package's templates/init/ and templates/ny/; this module only
decides where they go. `init` adds what a repository lacks and keeps what it has: a
file that exists is left as it is, a list of lines (.gitignore, .gitattributes) gets
the lines it lacks, and the copy of the schema, which is avtal's own, is brought up
to date with the installed avtal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .config import epoch_day
from .errors import AvtalError, Issue, Location, Severity, SpecError, shown
from .load import parse_party
from .origin import requirement
from .parties import PartySource
from .reader import read_limited
from .resources import SCHEMA_NAME, schema_path, templates_dir

if TYPE_CHECKING:  # imported where a file is written: the other commands start faster
    import jinja2

TEMPLATES = templates_dir()

# Repository file -> the template it is made from (under templates/init/).
REPOSITORY_FILES = {
    "avtal.toml": "avtal.toml.j2",
    ".gitattributes": "gitattributes",
    ".gitignore": "gitignore",
    "requirements.txt": "requirements.txt.j2",
    ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
    ".vscode/settings.json": "vscode-settings.json.j2",
    "README.md": "README.md.j2",
}
# The CI a repository can have: name -> (file, template under templates/init/).
CI_FILES = {
    "github": (".github/workflows/avtal.yml", "github-workflow.yml"),
    "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml"),
    "azure": ("azure-pipelines.yml", "azure-pipelines.yml"),
}
LINE_FILES = (".gitattributes", ".gitignore")  # completed line by line
SCHEMA_COPY = f"schemas/{SCHEMA_NAME}"  # where the editor and the specs find the schema
EMPTY_FOLDERS = ("specs", "parties")
KINDS = ("avtalssamverkan", "samverkansoverenskommelse")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScaffoldError(AvtalError):
    """A file to write exists already, or a name is not usable."""


@dataclass(frozen=True)
class Initialised:
    """What `avtal init` did to each file of the repository."""

    added: tuple[Path, ...] = ()
    completed: tuple[Path, ...] = ()  # a list of lines that lacked some
    updated: tuple[Path, ...] = ()  # the copy of the schema, brought up to date
    kept: tuple[Path, ...] = ()  # as they were


def _environment(folder: str) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def repository_texts(ci: tuple[str, ...]) -> dict[str, str]:
    """Every file `avtal init` writes, by its path in the repository."""
    env = _environment("init")
    context = {"requirement": requirement(), "schema": f"./{SCHEMA_COPY}"}
    files = {**REPOSITORY_FILES, **dict(CI_FILES[name] for name in ci)}
    texts = {
        name: env.get_template(template).render(**context)
        if template.endswith(".j2")
        else (TEMPLATES / "init" / template).read_text(encoding="utf-8")
        for name, template in files.items()
    }
    texts[SCHEMA_COPY] = schema_path().read_text(encoding="utf-8")
    for name in EMPTY_FOLDERS:
        texts[f"{name}/.gitkeep"] = ""
    return texts


def init_repository(folder: Path, *, ci: tuple[str, ...] = ("github",)) -> Initialised:
    """Add to `folder` what a spec repository needs and it lacks; keep what it has."""
    done: dict[str, list[Path]] = {"added": [], "completed": [], "updated": [], "kept": []}
    # Everything is rendered before anything is written: no half-made repository.
    for name, text in repository_texts(ci).items():
        target = folder / name
        what, new = _change(target, name, text)
        if new is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(new, encoding="utf-8")
        done[what].append(target)
    return Initialised(**{what: tuple(paths) for what, paths in done.items()})


def _change(target: Path, name: str, text: str) -> tuple[str, str | None]:
    """What init does to one file, and the text to write (None: nothing)."""
    linked = _linked(target, name)
    if linked is not None:
        # A link a pull request commits (schemas/agreement.schema.json -> elsewhere):
        # writing through it would write outside the repository.
        raise ScaffoldError(f"{linked} är en symbolisk länk; avtal init skriver inte genom "
                            "länkar. Ta bort länken och kör avtal init igen")
    if name.endswith(".gitkeep") and target.parent.is_dir():
        return "kept", None  # the folder is there: it needs no placeholder
    if not target.exists():
        return "added", text
    try:
        old = read_limited(target).decode("utf-8", errors="replace")
    except SpecError as err:
        raise ScaffoldError(f"{target} finns men är ingen vanlig fil; flytta den och kör "
                            "avtal init igen") from err
    if name == SCHEMA_COPY:
        return ("kept", None) if old == text else ("updated", text)
    if name in LINE_FILES:
        have = {line.strip() for line in old.splitlines()}
        lacking = [line for line in text.splitlines()
                   if line.strip() and not line.startswith("#") and line.strip() not in have]
        if lacking:
            return "completed", old + ("" if old.endswith("\n") or not old else "\n") + (
                "\n".join(lacking) + "\n")
    return "kept", None


def _linked(target: Path, name: str) -> Path | None:
    """The first symbolic link among `target` and the folders between the repository and
    it (its `name`'s own folders), or None: reading or writing through one reaches
    wherever it points."""
    below = tuple(target.parents[i] for i in range(len(Path(name).parents) - 1))
    return next((p for p in (target, *below) if p.is_symlink()), None)


def stale_schema(root: Path) -> list[Issue]:
    """A warning when the repository's copy of the schema is not the installed one's (read
    as every other file of the repository: never through a link, never without a cap)."""
    copy = root / SCHEMA_COPY
    if not (copy.exists() or copy.is_symlink()):
        return []
    try:
        if _linked(copy, SCHEMA_COPY) is not None:  # a folder of its path, too
            raise SpecError("länk")
        same = read_limited(copy) == schema_path().read_bytes()
    except SpecError:
        return [_copy_warning(copy, "kopian av schemat är ingen vanlig fil (en länk, mapp "
                                    "eller enhet); ta bort den och kör avtal init")]
    if same:
        return []
    return [_copy_warning(copy, "kopian av schemat är inte den installerade versionen av "
                                "avtal (editorn visar gamla fält och förklaringar); kör avtal "
                                "init för att uppdatera den")]


def _copy_warning(copy: Path, message: str) -> Issue:
    return Issue(Location(str(shown(copy))), message, code="schema-kopia",
                 severity=Severity.WARNING)


def new_spec(
    kind: str, spec_id: str, *, specs: Path, parties: tuple[str, ...], root: Path,
    registry: PartySource | None = None,
) -> Path:
    """Write the skeleton of a new agreement to specs/<id>.yaml. A party the registry
    has a file for is referenced (`ref:`): its name, type, number, organs and signatories
    come from there, and only what the agreement adds is asked for."""
    for name in (spec_id, *parties):
        if not _ID.match(name):
            raise ScaffoldError(
                f"”{name}” kan inte vara ett id; använd små bokstäver a–z, siffror och "
                "bindestreck, t.ex. familjeratt-norr"
            )
    target = specs / f"{spec_id}.yaml"
    inside = target.relative_to(root).as_posix() if target.is_relative_to(root) else target.name
    linked = _linked(target, inside)
    if linked is not None:  # a dangling link was written through (exists() is False)
        raise ScaffoldError(f"{linked} är en symbolisk länk; avtal new skriver inte genom "
                            "länkar. Ta bort länken eller välj ett annat id")
    if target.exists():
        raise ScaffoldError(f"{target} finns redan; välj ett annat id eller ta bort filen")
    context: Mapping[str, object] = {
        "id": spec_id,
        "date": _today().isoformat(),
        "parties": parties,
        "registered": {p: _organ_of(found) for p in parties if (found := _registered(registry, p))},
        "schema": _schema_reference(root, specs),
    }
    text = _environment("ny").get_template(f"{kind}.yaml.j2").render(**context)
    specs.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as new:  # never over a file made meanwhile
        new.write(text)
    return target


def _registered(registry: PartySource | None, party_id: str) -> tuple[bytes, str] | None:
    """The party's file in the registry, if it has one."""
    return registry(party_id) if registry is not None else None


def _organ_of(found: tuple[bytes, str]) -> str:
    """The organ a registered party's decision goes to by default: its social services
    board where the file names one, else its first organ ("" when the file gives none,
    or cannot be read: avtal check says why)."""
    try:
        listed = parse_party(*found).data.get("organs")
    except SpecError:
        return ""
    if not isinstance(listed, list):
        return ""
    organs = [str(o["id"]) for o in listed if isinstance(o, Mapping) and "id" in o]
    return next((o for o in organs if "social" in o), organs[0] if organs else "")


def _schema_reference(root: Path, specs: Path) -> str:
    """The repository's copy of the schema relative to the specs folder ("" without one)."""
    copy = root / SCHEMA_COPY
    if not copy.is_file():
        return ""
    return Path(os.path.relpath(copy.resolve(), specs.resolve())).as_posix()


def _today() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when it is set (reproducible skeletons)."""
    try:
        return epoch_day() or datetime.now(tz=UTC).date()
    except ValueError as err:
        raise ScaffoldError(str(err)) from None
