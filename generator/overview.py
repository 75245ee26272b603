"""Build results -> the portfolio overview page (build/index.html): every agreement with
its status, term, next deadline, check results and links to its documents.

The page is plain HTML with the shared style sheet inline: no scripts, no external
resources. Its only varying input is "today" (for the next deadline), which the page
states and which SOURCE_DATE_EPOCH or AVTAL_TODAY fixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .deadlines import Deadline, term_end
from .errors import Issue, Severity
from .load import Spec
from .render import TEMPLATES, swedish_date

STYLE = TEMPLATES / "sida" / "stil.css"
# The Swedish name of each document the build writes, by file name.
DOCUMENT_NAMES = {
    "avtal": "Avtal",
    "overenskommelse": "Överenskommelse",
    "tjansteutlatande": "Tjänsteutlåtande",
    "beslut": "Förslag till beslut",
    "checklista": "Checklista",
}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "html": "Webbsida", "md": "Markdown"}
FORMAT_ORDER = tuple(FORMAT_NAMES)
# A file the build writes: folders named by ids (spec, party, organ), a document name
# and a format. Nothing else becomes a link, whatever a manifest says.
_OUTPUT = re.compile(r"(?:[a-z0-9][a-z0-9-]*/)+[a-z0-9][a-z0-9-]*\.[a-z]+")
# Routine periods: the "next deadline" column should not hide a notice date behind them.
ROUTINE = ("fakturering", "fakturering_forskott", "fakturering_efterskott")


@dataclass(frozen=True)
class Link:
    """One output file of a document."""

    href: str
    label: str


@dataclass(frozen=True)
class DocumentLinks:
    """A document (an agreement, a party's staff report, …) and its files."""

    name: str
    party: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Row:
    """One spec on the overview page."""

    path: str
    spec_id: str
    title: str
    kind: str
    parties: tuple[str, ...]
    status: str
    version: str
    version_date: str
    start: str
    end: str
    deadlines: tuple[Deadline, ...]
    issues: tuple[Issue, ...]
    exceptions: tuple[tuple[Issue, str], ...]
    documents: tuple[DocumentLinks, ...]

    @property
    def anchor(self) -> str:
        """The id of the row's section on the page."""
        return f"avtal-{self.spec_id or Path(self.path).stem}"

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The errors among the check results."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The warnings among the check results."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def next(self) -> Deadline | None:
        """The soonest deadline from today on that is more than a routine invoicing period."""
        important = [d for d in self.deadlines if d.kind not in ROUTINE]
        return next(iter(important or self.deadlines), None)

    @property
    def listed(self) -> tuple[Deadline, ...]:
        """The deadlines the page lists: five that matter, and the next routine one."""
        important = [d for d in self.deadlines if d.kind not in ROUTINE][:5]
        routine = [d for d in self.deadlines if d.kind in ROUTINE][:1]
        return tuple(sorted(important + routine, key=lambda d: d.sort_key))


def document_links(files: Iterable[str], party_names: dict[str, str]) -> tuple[DocumentLinks, ...]:
    """Group output files (relative to build/) by document, in a stable reading order."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for rel in sorted(files):
        if not _OUTPUT.fullmatch(rel):
            continue
        stem, _, fmt = rel.rpartition(".")
        folder, _, name = stem.rpartition("/")
        if name not in DOCUMENT_NAMES or fmt not in FORMAT_NAMES:
            continue
        grouped.setdefault((folder, name), []).append(rel)
    order = list(DOCUMENT_NAMES)

    def party(folder: str) -> str:
        return party_names.get(folder.rpartition("/")[2], "") if "/" in folder else ""

    keys = sorted(grouped, key=lambda k: (k[0].count("/"), order.index(k[1]), party(k[0]), k[0]))
    return tuple(
        DocumentLinks(
            DOCUMENT_NAMES[name],
            party(folder),
            tuple(
                Link(rel, FORMAT_NAMES[rel.rpartition(".")[2]])
                for rel in sorted(grouped[(folder, name)],
                                  key=lambda r: FORMAT_ORDER.index(r.rpartition(".")[2]))
            ),
        )
        for folder, name in keys
    )


def make_row(
    *,
    path: str,
    spec: Spec | None,
    issues: Sequence[Issue],
    exceptions: Sequence[tuple[Issue, str]],
    deadlines: Sequence[Deadline],
    files: Iterable[str],
) -> Row:
    """One spec's row: what the (schema-valid) spec says, what the check found, and
    what the build wrote; for a spec that could not be read, only its problems."""
    data = spec.data if spec is not None else {}
    parties = list(data.get("parties", []))
    term = data.get("term", {})
    end = term_end(term) if term else None
    return Row(
        path=path,
        spec_id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        kind=str(data.get("kind", "")),
        parties=tuple(str(p.get("name", "")) for p in parties),
        status=str(data.get("status", "")),
        version=str(data.get("version", "")),
        version_date=str(data.get("date", "")),
        start=str(term.get("start", "")),
        end=str(end or ""),
        deadlines=tuple(deadlines),
        issues=tuple(i for i in issues if i.severity is not Severity.INFO),
        exceptions=tuple(exceptions),
        documents=document_links(files, {str(p.get("id")): str(p.get("name")) for p in parties}),
    )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "sida")),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(datum=swedish_date)
    return env


def style() -> str:
    """The shared style sheet, to embed in every page."""
    return STYLE.read_text(encoding="utf-8")


def render_page(rows: Sequence[Row], *, today: date) -> bytes:
    """The overview page as UTF-8 HTML."""
    html = _environment().get_template("oversikt.html.j2").render(
        # The style sheet is our own file, not spec data: it is embedded as it is.
        rows=rows, today=today, stil=Markup(style()), version=__version__, Severity=Severity
    )
    return html.encode("utf-8")
