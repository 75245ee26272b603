"""The team's repository, found once per invocation: its root, avtal.toml, party
registry, template folder and letterheads, as one frozen value the command passes down.

The repository is a fact of the invocation (the working directory, or --config), not of
a spec file: git's textconv hands avtal a temporary copy of a spec, and that copy reads
its parties from the same registry as the original. Nothing below the command looks
for a configuration file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config, load_config, read_config
from .errors import shown
from .gitio import RevisionRegistry
from .parties import FolderRegistry, PartySource
from .theme import Theme


@dataclass(frozen=True)
class Repository:
    """The team's repository: its configuration, party registry and theme."""

    config: Config
    parties: FolderRegistry  # the working tree's party registry
    theme: Theme

    @property
    def root(self) -> Path:
        """The folder of avtal.toml (the working directory when there is none)."""
        return self.config.root

    def parties_at(self, rev: str | None) -> PartySource:
        """The party registry as it is at a git revision (None: the working tree)."""
        if rev is None:
            return self.parties
        return RevisionRegistry(shown(self.parties.folder).as_posix(), rev)


def open_repository(start: Path, *, config_file: Path | None = None) -> Repository:
    """The repository avtal runs in: `config_file` when given, else the avtal.toml in
    `start` or the nearest folder above it, else `start` with the defaults."""
    config = read_config(config_file) if config_file is not None else load_config(start)
    return Repository(config, FolderRegistry(config.parties.resolve()), Theme.of(config))
