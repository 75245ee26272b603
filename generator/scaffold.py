"""`avtal init` and `avtal new`: a working spec repository, and a skeleton spec to fill in.

The files come from the package's templates/init/ and templates/ny/; this module only
decides where they go and refuses to overwrite anything.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2

from . import __version__
from .errors import AvtalError
from .render import TEMPLATES
from .resources import schema_path

# Repository file -> the template it is made from (under templates/init/).
REPOSITORY_FILES = {
    "avtal.toml": "avtal.toml.j2",
    ".gitattributes": "gitattributes",
    ".gitignore": "gitignore",
    "requirements.txt": "requirements.txt.j2",
    ".github/workflows/avtal.yml": "workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".vscode/settings.json": "vscode-settings.json.j2",
    "README.md": "README.md.j2",
}
EMPTY_FOLDERS = ("specs", "parties")
KINDS = ("avtalssamverkan",)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScaffoldError(AvtalError):
    """A file to write exists already, or a name is not usable."""


@dataclass(frozen=True)
class Written:
    """What a scaffold command wrote."""

    paths: tuple[Path, ...]


def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def init_repository(folder: Path) -> Written:
    """Write a new spec repository into `folder`; nothing that exists is overwritten."""
    taken = [name for name in REPOSITORY_FILES if (folder / name).exists()]
    if taken:
        raise ScaffoldError(
            f"{folder} har redan {', '.join(taken)}; avtal init skriver inte över filer. "
            "Välj en tom mapp eller ta bort filerna"
        )
    env = _environment("init")
    context = {"version": __version__, "schema": _schema_reference(folder)}
    texts = {  # everything rendered before anything is written: no half-made repository
        name: env.get_template(template).render(**context)
        if template.endswith(".j2")
        else (TEMPLATES / "init" / template).read_text(encoding="utf-8")
        for name, template in REPOSITORY_FILES.items()
    }
    written: list[Path] = []
    for name, text in texts.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    for name in EMPTY_FOLDERS:
        keep = folder / name / ".gitkeep"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.touch()
        written.append(keep)
    return Written(tuple(written))


def _schema_reference(folder: Path) -> str:
    """The installed schema as the editor should find it: relative when it is installed
    inside the repository (a .venv there), else its absolute path."""
    schema = schema_path().resolve()
    root = folder.resolve()
    return os.path.relpath(schema, root) if schema.is_relative_to(root) else str(schema)


def new_spec(kind: str, spec_id: str, *, specs: Path, parties: tuple[str, str]) -> Path:
    """Write the skeleton of a new agreement to specs/<id>.yaml."""
    for name in (spec_id, *parties):
        if not _ID.match(name):
            raise ScaffoldError(
                f"”{name}” kan inte vara ett id; använd små bokstäver a–z, siffror och "
                "bindestreck, t.ex. familjeratt-norr"
            )
    target = specs / f"{spec_id}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} finns redan; välj ett annat id eller ta bort filen")
    text = (
        _environment("ny")
        .get_template(f"{kind}.yaml.j2")
        .render(id=spec_id, date=_today().isoformat(), parties=parties)
    )
    specs.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _today() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when it is set (reproducible skeletons)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(tz=UTC).date()
