"""How documents look in a team's repository: its template folder over the built-in
templates (an override wins by file name), and each organisation's letterhead.

A Theme is a frozen value made from avtal.toml (the repository context makes it once);
the build hands it to each stage.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, Letterhead
from .errors import AvtalError, Location
from .reader import read_limited
from .resources import templates_dir

if TYPE_CHECKING:  # imported where a document is converted: a no-op build starts faster
    from .convert import Assets

__all__ = ["PLAIN", "Letterhead", "Theme"]


@dataclass(frozen=True)
class Theme:
    """The team's template folder, its project root and its letterheads by party id."""

    custom_dir: Path | None = None
    root: Path | None = None
    letterheads: tuple[tuple[str, Letterhead], ...] = ()

    @classmethod
    def of(cls, config: Config) -> Theme:
        """How the documents of the repository `config` describes look."""
        return cls(config.templates, config.root, config.letterheads)

    def find(self, name: str) -> Path:
        """The template file `name`: the team's own if it has one, else the built-in.
        The team's must be a regular file: pandoc and typst would follow a link out of
        the repository."""
        own = self.custom_dir / name if self.custom_dir is not None else None
        if own is not None and (own.is_symlink() or (own.exists() and not own.is_file())):
            raise AvtalError(
                "mallen är ingen vanlig fil (en symbolisk länk, mapp eller enhet); avtal "
                "läser inte mallar genom länkar, så lägg filen själv i mallmappen",
                Location(str(own)),
            )
        if own is not None and own.is_file():
            return own
        return templates_dir() / name

    def letterhead(self, party_id: str) -> Letterhead | None:
        """The letterhead configured for a party, if any."""
        return dict(self.letterheads).get(party_id)

    def logo_file(self, logo: str) -> Path:
        """The file a letterhead's logo path names."""
        assert self.root is not None
        return self.root / logo.lstrip("/")

    def assets(self, party_id: str | None = None) -> Assets:
        """The converter files for a document; a party's own Word template if it has one."""
        from .convert import Assets

        head = self.letterhead(party_id) if party_id else None
        reference = head.reference_docx if head and head.reference_docx else None
        logos = tuple(sorted({h.logo for _, h in self.letterheads if h.logo}))
        return Assets(
            typst_template=self.find("avtal.typst"),
            lua_filter=self.find("layout.lua"),
            reference_docx=reference or self.find("reference.docx"),
            root=self._typst_root(logos),
        )

    def _typst_root(self, logos: tuple[str, ...]) -> Path | None:
        if self.root is None:
            return None
        stamps = []
        for logo in logos:
            info = self.logo_file(logo).lstat()
            stamps.append((info.st_mtime_ns, info.st_size))  # a changed logo is copied anew
        return typst_root(self.root, logos, tuple(stamps))

    def inputs(self, party_ids: tuple[str, ...]) -> tuple[Path, ...]:
        """The letterhead files (logos, Word templates) documents for these parties read."""
        files: list[Path] = []
        for party_id in party_ids:
            head = self.letterhead(party_id)
            if head and head.logo:
                files.append(self.logo_file(head.logo))
            if head and head.reference_docx:
                files.append(head.reference_docx)
        return tuple(files)


PLAIN = Theme()  # the built-in templates, no letterheads


@cache
def typst_root(root: Path, logos: tuple[str, ...], stamps: tuple[tuple[int, int], ...]) -> Path:
    """The folder Typst may read from: a private one holding copies of the letterheads'
    logos (read through the capped reader) at their paths, and nothing else. Typst
    would follow a link in the repository itself out of it (`#read`, `#image`).
    `stamps` (each logo's time and size) only tell the cache a logo has changed."""
    folder = Path(tempfile.mkdtemp(prefix="avtal-typst-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for logo in logos:
        target = folder / logo.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_limited(root / logo.lstrip("/")))
    return folder
