"""Spec -> documents as Pandoc Markdown: the agreements, each party's staff report and
decision draft (sharing one set of decision points), and the completeness checklist.

Each Document names the templates it depends on, so the build can tell what is stale.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from . import delegation
from .checklist import evaluate
from .convert import BUILT_IN, FONTS, Assets
from .errors import Issue, Location, Severity
from .load import Spec
from .model import (
    Agreement,
    Case,
    Step,
    build_agreements,
    build_cases,
    competence_triggers,
    gives_delegation,
    open_ended_words,
)
from .provenance import Recorder, Sentence, annotate, notes, recording, split, to_json
from .render import Warnings, render, render_lines
from .resources import templates_dir
from .rules import RULES, Outcome
from .rules.upphandling import bought_today
from .theme import PLAIN, Theme
from .thresholds import for_spec as threshold

# The fonts typst embeds are inputs of every PDF: a changed font must rebuild.
FONT_FILES = tuple(
    sorted(f"fonts/{p.name}" for p in FONTS.glob("*") if p.suffix.lower() in (".ttf", ".otf"))
)
COMMON_TEMPLATES = (
    "avtal.typst",
    "layout.lua",
    "convert.lua",
    "reference.docx",
    "sida/sida.html5",
    "sida/stil.css",
    "sida/sida.lua",
    *FONT_FILES,
)


@cache
def template_inputs(*roots: str) -> tuple[str, ...]:
    """The templates `roots`, every template they import or include (found in the
    templates' own source, so a new partial can never be left out of the rebuild key; an
    include whose name is computed counts every partial), and the files the converters
    read."""
    found: list[str] = []
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.append(name)
        path = templates_dir() / name
        stat = path.stat()
        named = set(_referenced(path, stat.st_mtime_ns, stat.st_size))
        if None in named:
            named |= {p.name for p in templates_dir().glob("_*.md.j2")}
        todo.extend(sorted(n for n in named if n))
    return (*roots, *sorted(set(found) - set(roots)), *COMMON_TEMPLATES)


# A tag that loads another template (Jinja's fixed delimiters), and the one argument
# each takes that names it as a string; any other argument is a computed name. Found
# in the source text, not by parsing it: Jinja's parser took a quarter of a second of
# each build's start. A tag inside a comment or a raw block counts as well: more
# inputs, never fewer.
_LOADING_TAG = re.compile(r"\{%[-+]?\s*(include|import|from|extends)\b(.*?)[-+]?%\}", re.S)
_NAME = r"""\s*(["'])([^"'\\]*)\1"""
_NAMED_BY = {
    "include": re.compile(_NAME + r"(\s+ignore\s+missing)?(\s+with(out)?\s+context)?\s*"),
    "import": re.compile(_NAME + r"\s+as\s+\w+(\s+with(out)?\s+context)?\s*"),
    "from": re.compile(_NAME + r"\s+import\s.*", re.S),
    "extends": re.compile(_NAME + r"\s*"),
}


@lru_cache(maxsize=256)
def _referenced(path: Path, mtime_ns: int, size: int) -> frozenset[str | None]:
    """The templates a template imports or includes (None: a computed name), read once
    while the file stays the same."""
    source = path.read_text(encoding="utf-8")
    return frozenset(_names(tag, argument) for tag, argument in _LOADING_TAG.findall(source))


def _names(tag: str, argument: str) -> str | None:
    named = _NAMED_BY[tag].fullmatch(argument)
    return named.group(2) if named else None


# Each kind's agreement: (output name, template).
AGREEMENT_KINDS = {
    "avtalssamverkan": ("avtal", "avtal.md.j2"),
    "samverkansoverenskommelse": ("overenskommelse", "overenskommelse.md.j2"),
}
AGREEMENT_NAMES = frozenset(name for name, _ in AGREEMENT_KINDS.values())
@dataclass(frozen=True)
class Document:
    """One document to write: its Markdown, where it goes, and its header values."""

    folder: str
    name: str
    markdown: str
    depends: tuple[str, ...]
    record: tuple[tuple[str, Any], ...] = ()
    formats: tuple[str, ...] | None = None  # None: the formats asked for
    assets: Assets = BUILT_IN  # the converters' templates (a party's own Word template)
    inputs: tuple[Path, ...] = ()  # letterhead files it reads: a change rebuilds it
    # Each sentence with the spec fields it comes from, and how to find them in the
    # files (agreements and decision documents; the checklist has none).
    sentences: tuple[Sentence, ...] = ()
    locate: Callable[..., Location] | None = field(default=None, compare=False)

    def provenance(self) -> bytes:
        """The document's provenance file: each sentence with its spec fields and lines."""
        assert self.locate is not None
        return to_json(self.sentences, self.locate)

    def annotated(self) -> str:
        """The Markdown for the HTML page: each sentence's sources in a span's title, so
        that a reviewer sees them on hover."""
        if self.locate is None:
            return self.markdown
        return annotate(self.markdown, self.sentences, notes(self.sentences, self.locate))


def agreement_documents(
    agreements: Sequence[Agreement],
    *,
    spec_path: str,
    locate: Callable[..., Location],
    theme: Theme = PLAIN,
) -> Iterator[Document]:
    """Render the agreement (one per hub counterparty) to Markdown.

    A section reference needs every section's number, known only once the agreement is
    rendered: a first pass numbers the sections, a second writes the references. A
    hub's agreements are numbered alike as a rule: each starts from the numbers of the
    one before, and when its sections come out so numbered, that pass is the second
    (the same output: the references read only numbers, never decide what is written)."""
    guess: dict[str, int] | None = None  # the numbers of the agreement before
    for agreement in agreements:
        name, template = AGREEMENT_KINDS[str(agreement.spec["kind"])]
        party_ids = tuple(p.id for p in agreement.parties)
        heads = [theme.letterhead(p) for p in party_ids]
        logos = [head.logo for head in heads if head and head.logo]

        numbers: dict[str, int] = {}
        context = {"a": agreement, "logotyper": logos, "numrering": numbers}
        place = {"spec_path": spec_path, "locate": locate, "custom_dir": theme.custom_dir}
        marked, recorder = _numbered(template, context, place, dict(guess or {}))
        if numbers != guess:
            marked, recorder = _numbered(template, context, place, dict(numbers))
        guess = dict(numbers)
        markdown, sentences = split(marked, recorder)
        folder = (
            agreement.spec_id
            if agreement.host is None
            else (f"{agreement.spec_id}/{agreement.doc_id}")
        )
        record = (("fingerprint", fingerprint(markdown)), ("sections", dict(numbers)))
        yield Document(
            folder,
            name,
            markdown,
            template_inputs(template),
            record,
            assets=theme.assets(),
            inputs=theme.inputs(party_ids),
            sentences=sentences,
            locate=locate,
        )


def _numbered(
    template: str, context: dict[str, Any], place: dict[str, Any], references: dict[str, int]
) -> tuple[str, Recorder]:
    """One pass of an agreement: its sections numbered into context["numrering"] from
    § 1, its references read from `references`; the marked text and its reads."""
    recorder = Recorder()
    with recording(recorder):
        marked = render(
            template,
            **place,
            **context,
            paragraf=iter(range(1, 1000)).__next__,
            hanvisning=references,
        )
    return marked, recorder


def documents(
    spec: Spec, *, theme: Theme = PLAIN, said: Iterable[Issue] = ()
) -> tuple[list[Document], list[Issue]]:
    """Every document of a spec as Markdown (agreements first, then each party's case),
    and warnings for texts the documents needed but the spec lacks (see missing_texts)."""
    warnings = Warnings()
    docs = list(each_document(spec, warnings, theme=theme))
    return docs, missing_texts(spec, warnings, said)


def each_document(spec: Spec, warnings: Warnings, *, theme: Theme = PLAIN) -> Iterator[Document]:
    """`documents` one at a time, as each is rendered (a build converts the first while
    it renders the rest); the texts they lack go to `warnings`."""
    agreements = build_agreements(spec)
    docs: list[Document] = []  # a hub's: one per counterparty
    for doc in agreement_documents(
        agreements, spec_path=spec.path, locate=spec.locate, theme=theme
    ):
        docs.append(doc)
        yield doc
    prints = {a.doc_id: fingerprint(d.markdown) for a, d in zip(agreements, docs, strict=True)}
    sections = {
        a.doc_id: dict(dict(d.record).get("sections", {}))
        for a, d in zip(agreements, docs, strict=True)
    }
    for case in build_cases(agreements, prints):
        yield from case_documents(
            case,
            spec=spec,
            warnings=warnings,
            theme=theme,
            sections=sections[case.agreement.doc_id],
        )


def missing_texts(spec: Spec, warnings: Warnings, said: Iterable[Issue] = ()) -> list[Issue]:
    """A warning for each text the documents needed but the spec lacks, unless a
    warning or error already `said` is about that field or one around it."""
    covered = {i.location.pointer for i in said if i.severity is not Severity.INFO}
    covered.discard("")
    return [
        Issue(
            spec.locate(pointer),
            f"{what} saknas; texten i dokumentet är markerad ”Uppgift saknas” tills fältet fylls i",
            code="build",
            severity=Severity.WARNING,
        )
        for pointer, what in dict.fromkeys(warnings.pointers)
        if not any(pointer == c or pointer.startswith(c + "/") for c in covered)
    ]


def checklist_document(spec: Spec, outcome: Outcome, *, theme: Theme = PLAIN) -> Document:
    """The completeness checklist, as Markdown and HTML."""
    titles = {rule.id: rule.title for rule in RULES.values()}
    markdown = render(
        "checklista.md.j2",
        spec_path=spec.path,
        locate=spec.locate,
        custom_dir=theme.custom_dir,
        spec=spec,
        outcome=outcome,
        results=evaluate(spec, outcome),
        titles=titles,
    )
    return Document(
        str(spec.data["id"]),
        "checklista",
        markdown,
        template_inputs("checklista.md.j2"),
        formats=("md", "html"),
        assets=theme.assets(),
    )


def case_documents(
    case: Case,
    *,
    spec: Spec,
    warnings: Warnings,
    theme: Theme = PLAIN,
    sections: Mapping[str, int] | None = None,
) -> Iterator[Document]:
    """The staff report to the first organ and a decision draft per organ on the path.

    The points on the agreement are rendered once and quoted verbatim by every document;
    each organ's points for its own part are rendered once for that organ."""
    context: dict[str, Any] = {
        "c": case,
        "saknas": warnings,
        "grans": threshold,
        "behorighet": lambda c: competence_triggers(spec.data, c.party.data),
        "tills_vidare": open_ended_words,
        "innehar": lambda party, kind: delegation.holds(party.data.get("type"),
                                                        kind["legal_ref"]),
        "delegerar": lambda party: gives_delegation(spec.data, party.data),
        # the same reading of 'bought on the market today' as LOU-MARKNAD's
        "kops_idag": lambda: bought_today(spec) is not None,
        "custom_dir": theme.custom_dir,
        "brevhuvud": theme.letterhead(case.party.id),
        "avsnitt": dict(sections or {}),
        **powers(case, spec.data["parties"]),
    }

    def points(group: str, step: Step) -> tuple[str, ...]:
        return render_lines(
            "beslutspunkter.md.j2",
            spec_path=spec.path,
            locate=spec.locate,
            del_=group,
            steg=step,
            **context,
        )

    return _case_documents(case, spec, context, points, theme)


def _case_documents(
    case: Case,
    spec: Spec,
    context: dict[str, Any],
    points: Callable[[str, Step], tuple[str, ...]],
    theme: Theme,
) -> Iterator[Document]:
    recorder = Recorder()
    with recording(recorder):
        steps = case.steps
        proposal = points("avtalet", steps[-1])
        own = [points("egen", step) for step in steps]
    folder = f"{spec.data['id']}/{case.folder}"
    record = (
        ("agreement_version", str(spec.data["version"])),
        ("agreement_fingerprint", case.fingerprint),
        (
            "agreements",
            [f"{a.spec_id}/{a.doc_id}" if a.host else a.spec_id for a in case.agreements],
        ),
    )
    documents = [("tjansteutlatande", "tjansteutlatande", steps[0], own[0])]
    documents += [
        ("beslut" if i == 0 else f"beslut-{step.organ}", "beslut", step, own[i])
        for i, step in enumerate(steps)
    ]
    for name, template, step, egna in documents:
        with recording(recorder):
            marked = render(
                f"{template}.md.j2",
                spec_path=spec.path,
                locate=spec.locate,
                forslag=proposal,
                egna=egna,
                steg=step,
                **context,
            )
        markdown, sentences = split(marked, recorder)
        yield Document(
            folder,
            name,
            markdown,
            template_inputs(f"{template}.md.j2", "beslutspunkter.md.j2"),
            record,
            assets=theme.assets(case.party.id),
            inputs=theme.inputs((case.party.id,)),
            sentences=sentences,
            locate=spec.locate,
        )


def powers(case: Case, parties: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the decision templates ask the delegation model: the kind of an organ on the
    path, whether an organ may give a holder a power, and whether a title is a
    förvaltningschef (who alone may pass a power on)."""
    party = case.party.data

    def kind(step: Step) -> str:
        return delegation.step_kind(step, party)

    def lawful(holder: str, step: Step, purpose: str = delegation.CASES) -> bool:
        return delegation.lawful(
            holder, grantor=kind(step), own=party, parties=parties, purpose=purpose
        )

    return {"organslag": kind, "behorig": lawful, "forvaltningschef": delegation.may_pass_on}


def fingerprint(markdown: str) -> str:
    """The short hash that identifies a rendered document's exact text."""
    return hashlib.sha256(markdown.encode()).hexdigest()[:12]
